//! What each chart shows and what it does not prove, one plain sentence
//! each, in Persian and English. The app shows them beside the charts; the
//! stable [`Chart::key`] lets it keep its own wording if it prefers.

use serde::Serialize;

/// A sentence in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bilingual {
    pub fa: &'static str,
    pub en: &'static str,
}

/// The statistics' charts and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chart {
    Fingerprint,
    TurnoutHistogram,
    TurnoutByRegion,
    SeatsFilled,
    ClosingTimes,
    LastDigit,
    SecondDigit,
    IntegerPercent,
    Outliers,
}

impl Chart {
    pub const ALL: [Chart; 9] = [
        Chart::Fingerprint,
        Chart::TurnoutHistogram,
        Chart::TurnoutByRegion,
        Chart::SeatsFilled,
        Chart::ClosingTimes,
        Chart::LastDigit,
        Chart::SecondDigit,
        Chart::IntegerPercent,
        Chart::Outliers,
    ];

    /// A stable key (`stats.fingerprint`).
    pub fn key(self) -> &'static str {
        match self {
            Chart::Fingerprint => "stats.fingerprint",
            Chart::TurnoutHistogram => "stats.turnout_histogram",
            Chart::TurnoutByRegion => "stats.turnout_by_region",
            Chart::SeatsFilled => "stats.seats_filled",
            Chart::ClosingTimes => "stats.closing_times",
            Chart::LastDigit => "stats.last_digit",
            Chart::SecondDigit => "stats.second_digit",
            Chart::IntegerPercent => "stats.integer_percent",
            Chart::Outliers => "stats.outliers",
        }
    }

    /// What the chart shows.
    pub fn shows(self) -> Bilingual {
        match self {
            Chart::Fingerprint => Bilingual {
                fa: "هر خانه شمار شعبه‌هایی را نشان می‌دهد که مشارکتشان و سهم برگه‌هایی که نام این نامزد را دارند در آن بازه است؛ در انتخابات سالم شعبه‌ها معمولاً یک ابر گرد می‌سازند و پر کردن صندوق، شعبه‌ها را به گوشهٔ مشارکت بالا و سهم بالا می‌کشد.",
                en: "Each cell counts the polling stations with that turnout and that share of ballots naming the candidate; honest elections usually form one round cloud, and stuffed ballot boxes pull stations toward the corner of high turnout and high share.",
            },
            Chart::TurnoutHistogram => Bilingual {
                fa: "شمار شعبه‌ها در هر میزان مشارکت، با سنجش آرای مأخوذه در برابر رأی‌دهندگانی که طرح به هر شعبه سپرده است.",
                en: "How many polling stations had each turnout, counting ballots cast against the voters the plan assigned to each station.",
            },
            Chart::TurnoutByRegion => Bilingual {
                fa: "آرای مأخوذه به نسبت واجدان شرایط در هر منطقه.",
                en: "Ballots cast as a share of eligible voters in each region.",
            },
            Chart::SeatsFilled => Bilingual {
                fa: "رأی‌دهندگان هر شعبه به‌طور میانگین نام چند نامزد را در برگه نوشتند، به نسبت کرسی‌های شورا.",
                en: "How many candidates voters named per ballot at each station, as a share of the council's seats.",
            },
            Chart::ClosingTimes => Bilingual {
                fa: "زمان بسته شدن شعبه‌ها و اینکه تا هر زمان چه اندازه از آرا در شعبه‌های بسته‌شده بود؛ نتایج فقط زمان گشایش و بستن شعبه را دارند، نه آرای طول روز را.",
                en: "When polling stations closed, and how many of the ballots were in stations closed by each time; results give only opening and closing times, not ballots over the day.",
            },
            Chart::LastDigit => Bilingual {
                fa: "فراوانی هر رقم آخر در شمار آرای نامزدها در شعبه‌ها (شمارهای ۱۰ و بیشتر)، در برابر پخش یکنواختی که شمارش سالم نشان می‌دهد.",
                en: "How often each last digit appears in the candidates' vote counts at stations (counts of 10 or more), against the even spread that honest counts show.",
            },
            Chart::SecondDigit => Bilingual {
                fa: "فراوانی هر رقم دوم در شمار آرای نامزدها در شعبه‌ها، در برابر قانون بنفورد برای رقم دوم (میانگین ۴٫۱۸۷).",
                en: "How often each second digit appears in the candidates' vote counts at stations, against Benford's law for second digits (mean 4.187).",
            },
            Chart::IntegerPercent => Bilingual {
                fa: "شمار شعبه‌هایی که مشارکتشان درصدی درست است، در برابر شماری که شانس برای شعبه‌هایی به این اندازه‌ها پیش می‌آورد.",
                en: "How many stations have a turnout that is a whole percentage, against how many chance gives for stations of their sizes.",
            },
            Chart::Outliers => Bilingual {
                fa: "شعبه‌هایی که ارزش نگاه دقیق‌تر دارند، هر یک با دلیلش: مشارکت بسیار بالا با نام یک نامزد تقریباً در همهٔ برگه‌ها، مشارکت برابر یا بیش از رأی‌دهندگان سپرده‌شده، یا برگه‌هایی با نام‌های بسیار بیشتر یا کمتر، به نسبت کرسی‌ها، از شعبهٔ میانهٔ منطقه.",
                en: "Stations worth a closer look, each with its reasons: very high turnout with one candidate on nearly every ballot, turnout at or above the assigned voters, or ballots naming far more or fewer candidates, for the seats, than at the region's median station.",
            },
        }
    }

    /// What the chart does not prove.
    pub fn does_not_prove(self) -> Bilingual {
        match self {
            Chart::Fingerprint => Bilingual {
                fa: "شعبه‌ای در آن گوشه دلیل تقلب نیست: روستایی کوچک ممکن است تقریباً یکپارچه پای صندوق بیاید و به نامزد خودش رأی دهد.",
                en: "A station in that corner is not proof of fraud: a small village may turn out almost to a person and vote for one of its own.",
            },
            Chart::TurnoutHistogram => Bilingual {
                fa: "قلهٔ دوم یا انبوهی در ۱۰۰٪ جای نگاه دقیق‌تر است اما به‌تنهایی چیزی را ثابت نمی‌کند، و چون هر کس می‌تواند در هر شعبهٔ شورای خود رأی دهد، مشارکت یک شعبه حتی می‌تواند از ۱۰۰٪ بگذرد.",
                en: "A second peak or a pile at 100% invites a closer look but proves nothing alone, and since voters may vote at any station of their council, a station's turnout can even pass 100%.",
            },
            Chart::TurnoutByRegion => Bilingual {
                fa: "تفاوت مناطق دلایل عادی بسیار دارد (شهرها کمتر از روستاها رأی می‌دهند) و نشانهٔ دست‌کاری نیست.",
                en: "Differences between regions have many ordinary causes (cities vote less than villages) and are not evidence of manipulation.",
            },
            Chart::SeatsFilled => Bilingual {
                fa: "برگه‌های کم‌نام جایی که یک نامزد محلی چیره است عادی است و به‌تنهایی نشان نمی‌دهد که برگه‌ها را دیگران پر کرده‌اند.",
                en: "Ballots naming few candidates are common where one local candidate dominates, and alone do not show that others filled them in.",
            },
            Chart::ClosingTimes => Bilingual {
                fa: "بسته شدن دیرهنگام هنگام تمدید رأی‌گیری عادی است و به‌خودی‌خود نشانهٔ خطا نیست.",
                en: "Late closings are common when voting is extended and do not by themselves mean anything was wrong.",
            },
            Chart::LastDigit => Bilingual {
                fa: "انحراف یعنی رقم‌ها غیرعادی‌اند، نه اینکه کسی آن‌ها را ساخته است؛ با شمارهای کم، تصادف به‌تنهایی انحراف می‌سازد.",
                en: "A deviation says the digits are unusual, not that anyone made them up; with few counts, chance alone produces deviations.",
            },
            Chart::SecondDigit => Bilingual {
                fa: "شمارش سالم هم اغلب از این قانون فاصله می‌گیرد، پس انحراف یک پرسش است نه یک یافته.",
                en: "Honest counts often depart from this law too, so a deviation is a question, not a finding.",
            },
            Chart::IntegerPercent => Bilingual {
                fa: "فزونی نشان می‌دهد شاید ارقام برای رسیدن به عددی از پیش‌تعیین‌شده نوشته شده باشند، اما می‌تواند تصادفی باشد و نمی‌گوید کدام شعبه‌ها.",
                en: "An excess hints that figures were written to meet a target, but it can be chance, and it does not say which stations.",
            },
            Chart::Outliers => Bilingual {
                fa: "هر دلیل علت‌های سالم هم دارد؛ شعبهٔ فهرست‌شده جای پرسیدن است، نه شعبه‌ای که خطایش ثابت شده باشد.",
                en: "Each reason also has honest causes; a listed station is a place to ask questions, not a station shown to be wrong.",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_has_one_sentence_each_way_in_both_languages() {
        let mut keys: Vec<&str> = Chart::ALL.iter().map(|c| c.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Chart::ALL.len());
        for chart in Chart::ALL {
            for text in [chart.shows(), chart.does_not_prove()] {
                for sentence in [text.fa, text.en] {
                    assert!(sentence.ends_with('.'), "{chart:?}: {sentence}");
                    // One sentence: a single full stop, at the end (decimals aside).
                    let stops = sentence.match_indices(". ").count();
                    assert_eq!(stops, 0, "{chart:?}: {sentence}");
                    assert!(!sentence.chars().any(char::is_control), "{chart:?}: {sentence}");
                }
            }
        }
    }
}
