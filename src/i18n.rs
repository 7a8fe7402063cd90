//! Every word the app shows, in Persian (first) and English, and the way
//! numbers and dates are written in each. Views ask [`Lang`] for text; none
//! writes a user-facing string of its own.

mod format;

use leptos::prelude::*;
use shafaf_core::model::{ContestKind, Name};
use shafaf_core::summary::Ratio;
use shafaf_core::Finding;
use time::OffsetDateTime;

use crate::load::{local_storage, HistoryProgress, LoadError, Progress, SourceError, SourceKind};
use crate::state::{AuditPhase, AuditState};

/// The interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Fa,
    En,
}

/// Where the choice of language is remembered.
const STORAGE_KEY: &str = "shafaf.lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::En => "en",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            Lang::En => "ltr",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fa => Lang::En,
            Lang::En => Lang::Fa,
        }
    }

    /// The language's own name, for the toggle.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Fa => "فارسی",
            Lang::En => "English",
        }
    }

    /// The remembered choice, else Persian.
    pub fn remembered() -> Lang {
        let stored = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        match stored.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Fa,
        }
    }

    pub fn remember(self) {
        if let Some(storage) = local_storage() {
            // Private browsing may refuse; the choice then lasts for the visit.
            let _ = storage.set_item(STORAGE_KEY, self.code());
        }
    }

    fn pick<'a>(self, fa: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fa => fa,
            Lang::En => en,
        }
    }

    /// A name from the data, in this language. It is text, never markup.
    pub fn name(self, name: &Name) -> String {
        self.pick(&name.fa, &name.en).to_owned()
    }

    pub fn t(self, msg: Msg) -> &'static str {
        let (fa, en) = msg.texts();
        self.pick(fa, en)
    }

    /// An integer with grouped digits in this language's script.
    pub fn number(self, n: u64) -> String {
        match self {
            Lang::Fa => format::integer_fa(n),
            Lang::En => format::integer_en(n),
        }
    }

    /// A code or identifier (e.g. a ballot code) with its digits in this language's script.
    pub fn digits(self, code: &str) -> String {
        match self {
            Lang::Fa => code.chars().map(|c| c.to_digit(10).map_or(c, format::persian_digit)).collect(),
            Lang::En => code.to_owned(),
        }
    }

    /// `part / whole` as a percentage with one decimal; a dash when `whole` is 0.
    pub fn percent(self, part: u64, whole: u64) -> String {
        match self {
            Lang::Fa => format::percent_fa(part, whole),
            Lang::En => format::percent_en(part, whole),
        }
        .unwrap_or_else(|| "–".to_owned())
    }

    /// A calendar date: Solar Hijri in Persian, Gregorian in English.
    pub fn date(self, date: time::Date) -> String {
        match self {
            Lang::Fa => format::date_fa(date),
            Lang::En => format::date_en(date),
        }
    }

    /// How long before `now` a moment was, in its largest whole unit:
    /// "۵ ماه پیش", "5 months ago".
    pub fn ago(self, t: OffsetDateTime, now: OffsetDateTime) -> String {
        let seconds = (now - t).whole_seconds();
        if seconds < 60 {
            return self
                .pick(
                    if seconds < -60 { "جلوتر از ساعت شما" } else { "همین حالا" },
                    if seconds < -60 { "ahead of your clock" } else { "just now" },
                )
                .into();
        }
        let units = [
            (365 * 86_400, "سال", "year"),
            (30 * 86_400, "ماه", "month"),
            (86_400, "روز", "day"),
            (3_600, "ساعت", "hour"),
            (60, "دقیقه", "minute"),
        ];
        let (size, fa, en) = units.into_iter().find(|(size, _, _)| seconds >= *size).unwrap_or(units[4]);
        let n = (seconds / size).unsigned_abs();
        match self {
            Lang::Fa => format!("{} {fa} پیش", self.number(n)),
            Lang::En => format!("{n} {en}{} ago", if n == 1 { "" } else { "s" }),
        }
    }

    /// A moment as written in its file: date, hour and minute, UTC offset.
    pub fn date_time(self, t: OffsetDateTime) -> String {
        let (h, m) = (u64::from(t.hour()), u64::from(t.minute()));
        let two = |n: u64| {
            let s = self.number(n);
            if n < 10 {
                format!("{}{s}", self.number(0))
            } else {
                s
            }
        };
        let offset = t.offset();
        let sign = if offset.is_negative() { '-' } else { '+' };
        let (oh, om) = (offset.whole_hours().unsigned_abs(), offset.minutes_past_hour().unsigned_abs());
        // The offset stays in Latin digits, as time zones are written, and is
        // isolated left to right (U+2066 … U+2069) inside Persian text.
        let comma = self.pick("،", ",");
        format!("{}{comma} {}:{} \u{2066}(UTC{sign}{oh:02}:{om:02})\u{2069}", self.date(t.date()), two(h), two(m))
    }

    /// "2 of 2 required".
    pub fn of_required(self, n: u64, required: u64) -> String {
        if required == 0 {
            return self.number(n);
        }
        match self {
            Lang::Fa => format!("{} از {} گواهی لازم", self.number(n), self.number(required)),
            Lang::En => format!("{n} of {required} required"),
        }
    }

    pub fn bytes(self, n: u64) -> String {
        let (count, unit) = self.in_unit(n, n);
        format!("{count} {unit}")
    }

    /// "113 of 534 KB": `done` and `total` in `total`'s unit, named once (a
    /// progress line that fits a narrow phone's width).
    pub fn bytes_of(self, done: u64, total: u64) -> String {
        let (done, _) = self.in_unit(done, total);
        let (total, unit) = self.in_unit(total, total);
        match self {
            Lang::Fa => format!("{done} از {total} {unit}"),
            Lang::En => format!("{done} of {total} {unit}"),
        }
    }

    /// `n` in the unit that suits `scale` (kilobytes below a megabyte),
    /// rounded up, and the unit's name.
    fn in_unit(self, n: u64, scale: u64) -> (String, &'static str) {
        const KIB: u64 = 1024;
        const MIB: u64 = 1024 * KIB;
        if scale >= MIB {
            (self.number(n.div_ceil(MIB)), self.pick("مگابایت", "MB"))
        } else {
            (self.number(n.div_ceil(KIB)), self.pick("کیلوبایت", "KB"))
        }
    }

    /// The status line: the release's level and how far its audit has got.
    pub fn audit_line(self, a: &AuditState) -> String {
        let (p, n) = (self.number(a.provinces_done as u64), self.number(a.provinces_total as u64));
        match (a.phase, self) {
            (AuditPhase::Complete, Lang::Fa) => "همه‌ی شعبه‌ها وارسی و همه‌ی شوراها بازشماری شدند".to_owned(),
            (AuditPhase::Complete, Lang::En) => "every station verified and every council recounted".to_owned(),
            (AuditPhase::Waiting, Lang::Fa) => "امضاشده · وارسی همه‌ی شعبه‌ها منتظر درخواست شماست".to_owned(),
            (AuditPhase::Waiting, Lang::En) => "signed · the audit of every station waits for you to ask".to_owned(),
            (AuditPhase::Running, Lang::Fa) => format!("امضاشده · بازشماری: {p} از {n} استان"),
            (AuditPhase::Running, Lang::En) => format!("signed · recounting: {p} of {n} provinces"),
        }
    }

    /// The audit's progress in words: provinces, stations, bytes.
    pub fn audit_progress(self, a: &AuditState) -> String {
        let (p, n) = (self.number(a.provinces_done as u64), self.number(a.provinces_total as u64));
        let (s, t) = (self.number(a.stations_verified), self.number(a.stations_total));
        let sizes = self.bytes_of(a.bytes_done, a.bytes_total);
        let mut text = match self {
            Lang::Fa => format!("{p} از {n} استان بازشماری شد؛ امضای {s} از {t} شعبه وارسی شد؛ {sizes} دریافت شد."),
            Lang::En => {
                format!("{p} of {n} provinces recounted; {s} of {t} station signatures verified; {sizes} downloaded.")
            }
        };
        if !a.unavailable.is_empty() {
            let k = self.number(a.unavailable.len() as u64);
            text.push(' ');
            text.push_str(&match self {
                Lang::Fa => format!("{k} پرونده دریافت یا خوانده نشد؛ حکم نهایی منتظر آن است."),
                Lang::En => format!("{k} file(s) could not be downloaded or read; the final verdict waits for them."),
            });
        }
        text
    }

    /// The charts of an area wait for the recount of its provinces.
    pub fn charts_wait(self, ready: u64, total: u64) -> String {
        let (r, t) = (self.number(ready), self.number(total));
        match self {
            Lang::Fa => format!("نمودارها همه‌ی شعبه‌های این ناحیه را می‌خوانند و پس از وارسی آن‌ها نشان داده می‌شوند: {r} از {t} استان بازشماری شده است."),
            Lang::En => format!("The charts read every station of this area and are drawn once they are verified: {r} of {t} provinces recounted so far."),
        }
    }

    /// "2 of 3 parts read".
    pub fn sheet_parts(self, read: usize, n: usize) -> String {
        let (read, n) = (self.number(read as u64), self.number(n as u64));
        match self {
            Lang::Fa => format!("{read} بخش از {n} بخش برگه خوانده شد؛ بقیه را هم بخوانید"),
            Lang::En => format!("{read} of the sheet's {n} parts read; scan the others"),
        }
    }

    /// "In release 4 (the current one)".
    pub fn sheet_release(self, version: u64) -> String {
        let v = self.number(version);
        match self {
            Lang::Fa => format!("انتشار {v}، انتشار کنونی"),
            Lang::En => format!("Release {v}, the current one"),
        }
    }

    /// "Published in release 3, corrected in release 4".
    pub fn sheet_corrected(self, printed: u64, corrected: u64) -> String {
        let (a, b) = (self.number(printed), self.number(corrected));
        match self {
            Lang::Fa => format!("در انتشار {a} منتشر شد و در انتشار {b} اصلاح شد؛ ارقامی که تغییر کرد:"),
            Lang::En => format!("Published in release {a}, corrected in release {b}; the figures that changed:"),
        }
    }

    /// The button that starts the audit a browser saving data waits with.
    pub fn verify_every_station(self, bytes: u64) -> String {
        let size = self.bytes(bytes);
        match self {
            Lang::Fa => format!("وارسی همه‌ی شعبه‌های کشور ({size})"),
            Lang::En => format!("Verify every station in the country ({size})"),
        }
    }

    pub fn progress(self, progress: Progress) -> String {
        match progress {
            Progress::Config => self.t(Msg::FetchingConfig).to_owned(),
            Progress::Metadata => self.t(Msg::FetchingMetadata).to_owned(),
            Progress::Files { bytes_done, bytes_total } => {
                let sizes = self.bytes_of(bytes_done, bytes_total);
                match self {
                    Lang::Fa => format!("دریافت خلاصه‌ی امضاشده و نقشه: {sizes}"),
                    Lang::En => format!("Downloading the signed summary and map: {sizes}"),
                }
            }
            Progress::Verifying => self.t(Msg::Verifying).to_owned(),
        }
    }

    /// A ratio as a percentage with one decimal; a dash without a denominator.
    pub fn ratio_percent(self, ratio: Option<Ratio>) -> String {
        ratio.map_or_else(|| "–".to_owned(), |r| self.percent(r.num, r.den))
    }

    /// A ratio with two decimals (votes per ballot); a dash without a denominator.
    pub fn decimal(self, ratio: Option<Ratio>) -> String {
        ratio.and_then(|r| format::hundredths(self == Lang::Fa, r.num, r.den)).unwrap_or_else(|| "–".to_owned())
    }

    pub fn bytes_exact(self, n: u64) -> String {
        format!("{} {}", self.number(n), self.pick("بایت", "bytes"))
    }

    /// What kind of council, in a few words.
    pub fn council_kind(self, kind: ContestKind) -> &'static str {
        match kind {
            ContestKind::City => self.pick("شورای شهر", "city council"),
            ContestKind::Village => self.pick("شورای روستا", "village council"),
        }
    }

    /// A council's title: "شورای روستای …", "… village council".
    pub fn council_title(self, kind: ContestKind, name: &Name) -> String {
        let name = self.name(name);
        match (self, kind) {
            (Lang::Fa, ContestKind::City) => format!("شورای شهر {name}"),
            (Lang::Fa, ContestKind::Village) => format!("شورای روستای {name}"),
            (Lang::En, ContestKind::City) => format!("{name} city council"),
            (Lang::En, ContestKind::Village) => format!("{name} village council"),
        }
    }

    pub fn county_title(self, name: &Name) -> String {
        let name = self.name(name);
        match self {
            Lang::Fa => format!("شهرستان {name}"),
            Lang::En => format!("{name} County"),
        }
    }

    pub fn province_title(self, name: &Name) -> String {
        let name = self.name(name);
        match self {
            Lang::Fa => format!("استان {name}"),
            Lang::En => format!("{name} Province"),
        }
    }

    pub fn seats(self, seats: u32, alternates: u32) -> String {
        let (s, a) = (self.number(u64::from(seats)), self.number(u64::from(alternates)));
        match self {
            Lang::Fa => format!("{s} کرسی، {a} علی‌البدل"),
            Lang::En => format!("{s} seats, {a} alternates"),
        }
    }

    pub fn decided_by_tie_break(self, tie_break: &Name) -> String {
        let how = self.name(tie_break);
        match self {
            Lang::Fa => format!("آرای برابر؛ با {how} تعیین شد"),
            Lang::En => format!("tied on votes; decided by the tie-break ({how})"),
        }
    }

    pub fn votes_and_share(self, votes: u64, share: Option<Ratio>) -> String {
        let (v, p) = (self.number(votes), self.ratio_percent(share));
        match self {
            Lang::Fa => format!("{v} رأی ({p})"),
            Lang::En => format!("{v} votes ({p})"),
        }
    }

    /// The margin of the last seat, in a sentence.
    pub fn last_seat_margin(self, votes: u64, last: &Name, first: &Name, tie: bool) -> String {
        let (n, last, first) = (self.number(votes), self.name(last), self.name(first));
        match (self, tie) {
            (Lang::Fa, true) => format!(
                "آخرین کرسی با آرای برابر میان {last} (آخرین منتخب) و {first} (نخستین علی‌البدل) با قرعه تعیین شد."
            ),
            (Lang::En, true) => format!(
                "The last seat was a tie between {last} (last elected) and {first} (first alternate), decided by the tie-break."
            ),
            (Lang::Fa, false) => {
                format!("فاصله‌ی آخرین کرسی: {n} رأی میان {last} (آخرین منتخب) و {first} (نخستین علی‌البدل).")
            }
            (Lang::En, false) => format!(
                "Margin of the last seat: {n} votes between {last} (last elected) and {first} (first alternate)."
            ),
        }
    }

    pub fn names_of_seats(self, seats: u32) -> String {
        let n = self.number(u64::from(seats));
        match self {
            Lang::Fa => format!("از حداکثر {n} نام در هر برگه"),
            Lang::En => format!("of up to {n} names per ballot"),
        }
    }

    pub fn of_total(self, part: u64, whole: u64) -> String {
        let (a, b) = (self.number(part), self.number(whole));
        match self {
            Lang::Fa => format!("{a} از {b} واجد شرایط"),
            Lang::En => format!("{a} of {b} eligible voters"),
        }
    }

    pub fn of_registered(self, registered: u64) -> String {
        let n = self.number(registered);
        match self {
            Lang::Fa => format!("از {n} شعبه‌ی ثبت‌شده"),
            Lang::En => format!("of {n} registered"),
        }
    }

    pub fn rows_shown(self, shown: usize, total: usize) -> String {
        let (a, b) = (self.number(shown as u64), self.number(total as u64));
        match self {
            Lang::Fa => format!("{a} ردیف از {b}"),
            Lang::En => format!("{a} of {b} rows"),
        }
    }

    pub fn download_csv(self, rows: usize) -> String {
        let n = self.number(rows as u64);
        match self {
            Lang::Fa => format!("دریافت CSV ({n} ردیف)"),
            Lang::En => format!("Download CSV ({n} rows)"),
        }
    }

    pub fn page_of(self, page: usize, pages: usize) -> String {
        let (a, b) = (self.number(page as u64), self.number(pages as u64));
        match self {
            Lang::Fa => format!("صفحه‌ی {a} از {b}"),
            Lang::En => format!("Page {a} of {b}"),
        }
    }

    pub fn hits_found(self, hits: usize, query: &str) -> String {
        let n = self.number(hits as u64);
        match (self, hits) {
            (Lang::Fa, 0) => format!("جایی با نام «{query}» پیدا نشد."),
            (Lang::En, 0) => format!("No place is called “{query}”."),
            (Lang::Fa, _) => format!("{n} جا با نام «{query}»"),
            (Lang::En, 1) => format!("1 place matches “{query}”"),
            (Lang::En, _) => format!("{n} places match “{query}”"),
        }
    }

    pub fn more_hits(self, more: usize) -> String {
        let n = self.number(more as u64);
        match self {
            Lang::Fa => format!("و {n} مورد دیگر؛ نام را کامل‌تر بنویسید."),
            Lang::En => format!("and {n} more; type more of the name."),
        }
    }

    pub fn files_verified(self, verified: u64, total: u64) -> String {
        let (a, b) = (self.number(verified), self.number(total));
        match self {
            Lang::Fa => format!("اندازه و چکیده‌ی SHA-256 {a} پرونده از {b} پرونده‌ی فهرست انتشار درست است."),
            Lang::En => format!("{a} of the release's {b} files match their size and SHA-256."),
        }
    }

    pub fn station_signature_counts(self, registered: u64, verified: u64) -> String {
        let (a, b) = (self.number(registered), self.number(verified));
        match self {
            Lang::Fa => format!(
                "{a} شعبه ثبت شده است؛ امضای دستگاه {b} نتیجه وارسی شد. شعبه‌ای که گزارش نداده، نتیجه و امضایی ندارد."
            ),
            Lang::En => format!(
                "{a} stations registered; the device signatures of {b} results verified. A station that has not reported has no result to sign."
            ),
        }
    }

    pub fn signatures_of(self, province: &Name) -> String {
        let p = self.province_title(province);
        match self {
            Lang::Fa => format!("امضاهای شعبه‌ها — {p}"),
            Lang::En => format!("Station signatures — {p}"),
        }
    }

    /// A role's threshold and how many valid signatures met it.
    pub fn threshold(self, role: &str, valid: Option<u64>, threshold: u32, keys: usize) -> String {
        let (t, k) = (self.number(u64::from(threshold)), self.number(keys as u64));
        match (self, valid) {
            (Lang::Fa, Some(v)) => {
                let v = self.number(v);
                format!("{role}: {v} امضای معتبر؛ حد نصاب {t} از {k} کلید")
            }
            (Lang::En, Some(v)) => {
                let v = self.number(v);
                format!("{role}: {v} valid signatures; threshold {t} of {k} keys")
            }
            (Lang::Fa, None) => {
                format!("{role}: حد نصاب {t} از {k} کلید (امضاهای این نقش بخشی از وارسی این صفحه نیست)")
            }
            (Lang::En, None) => {
                format!("{role}: threshold {t} of {k} keys (this role's signatures are not part of this check)")
            }
        }
    }

    pub fn source_error(self, error: SourceError) -> &'static str {
        match error {
            SourceError::BadUrl => self.pick(
                "نشانی انتشار باید یک نشانی http یا https باشد.",
                "The publication address must be an http or https address.",
            ),
            SourceError::BadRoot => self.pick(
                "اثر انگشت ریشه باید ۶۴ رقم شانزده‌شانزدهی (SHA-256) باشد.",
                "The root fingerprint must be 64 hexadecimal digits (SHA-256).",
            ),
            SourceError::NotStored => self.pick("مرورگر اجازه‌ی ذخیره نداد.", "The browser did not allow saving it."),
        }
    }

    pub fn signatures_verified(self, n: u64) -> String {
        let n = self.number(n);
        match self {
            Lang::Fa => format!("{n} امضای دستگاه شعبه وارسی شد"),
            Lang::En => format!("{n} device signatures verified"),
        }
    }

    pub fn contests_recounted(self, recounted: u64, matching: u64) -> String {
        let (m, k) = (self.number(recounted), self.number(matching));
        match self {
            Lang::Fa => {
                format!("{m} شورا از روی نتایج امضاشده‌ی شعبه‌ها دوباره شمرده شد؛ {k} مورد با ارقام منتشرشده یکی است")
            }
            Lang::En => format!("{m} contests recounted, {k} match the published totals"),
        }
    }

    pub fn more_items(self, n: usize) -> String {
        let n = self.number(n as u64);
        match self {
            Lang::Fa => format!("و {n} مورد دیگر"),
            Lang::En => format!("and {n} more"),
        }
    }

    pub fn more_findings(self, n: usize) -> String {
        let n = self.number(n as u64);
        match self {
            Lang::Fa => format!("و {n} یافته‌ی دیگر (همه را با `shafaf verify` ببینید)"),
            Lang::En => format!("and {n} more (see all with `shafaf verify`)"),
        }
    }

    pub fn load_error(self, error: &LoadError) -> String {
        let url = error.url();
        match (self, error) {
            (Lang::Fa, LoadError::Network { .. }) => format!("دریافت {url} ممکن نشد"),
            (Lang::En, LoadError::Network { .. }) => format!("Could not fetch {url}"),
            (Lang::Fa, LoadError::Status { status, .. }) => {
                format!("سرور برای {url} پاسخ خطا داد (HTTP {status})")
            }
            (Lang::En, LoadError::Status { status, .. }) => {
                format!("The server answered HTTP {status} for {url}")
            }
            (Lang::Fa, LoadError::BadConfig { .. }) => {
                format!("پیکربندی برنامه در {url} نامعتبر است")
            }
            (Lang::En, LoadError::BadConfig { .. }) => {
                format!("The app's configuration at {url} is not valid")
            }
            (Lang::Fa, LoadError::BadPublicationUrl { .. }) => {
                format!("نشانی انتشار «{url}» پذیرفته نیست: باید در همین وب‌گاه باشد")
            }
            (Lang::En, LoadError::BadPublicationUrl { .. }) => {
                format!("The publication address “{url}” is not accepted: it must be on this site")
            }
        }
    }

    /// What kind of problem a finding is, in plain words; the finding's own
    /// message (English, naming file, key and values) goes beside it.
    pub fn finding_title(self, finding: &Finding) -> &'static str {
        let (fa, en) = match finding.code() {
            "format" => ("پرونده قالب درستی ندارد", "The file is malformed"),
            "file_missing" => ("پرونده در انتشار نیست", "A file is missing"),
            "size_mismatch" => {
                ("اندازه‌ی پرونده با فهرست انتشار نمی‌خواند", "The file's size does not match the release")
            }
            "too_large" => (
                "سرور بیش از اندازه‌ی فهرست‌شده‌ی پرونده فرستاد؛ دریافت همان‌جا متوقف شد",
                "The server sent more than the file's listed size; the download was stopped there",
            ),
            "hash_mismatch" => (
                "چکیده‌ی پرونده با فهرست انتشار نمی‌خواند: پرونده تغییر کرده است",
                "The file's hash does not match the release: the file was changed",
            ),
            "root_not_pinned" => (
                "ریشه‌ی اعتماد با اثر انگشت اعلام‌شده یکی نیست",
                "The trust root is not the one whose fingerprint was announced",
            ),
            "bad_signature" => ("امضا وارسی نمی‌شود", "A signature does not verify"),
            "threshold_not_met" => ("امضاهای معتبر به حد نصاب نمی‌رسد", "Not enough valid signatures"),
            "bad_trust_root" => ("ریشه‌ی اعتماد نادرست است", "The trust root is invalid"),
            "expired" => ("تاریخ اعتبار گذشته است", "It has expired"),
            "wrong_election" => ("مربوط به انتخابات دیگری است", "It belongs to another election"),
            "wrong_root" => ("به ریشه‌ی اعتماد دیگری اشاره می‌کند", "It refers to another trust root"),
            "duplicate_id" => ("شناسه‌ی تکراری", "A duplicate identifier"),
            "unknown_reference" => ("ارجاع به چیزی که تعریف نشده", "A reference to something undefined"),
            "invalid_value" => ("مقدار نامعتبر", "An invalid value"),
            "unknown_device" => ("امضاشده با دستگاهی که ثبت نشده", "Signed by a device that is not registered"),
            "result_for_other_station" => ("نتیجه‌ی شعبه‌ای دیگر", "The result of another station"),
            "bad_station_signature" => {
                ("امضای دستگاه شعبه وارسی نمی‌شود", "A station device's signature does not verify")
            }
            "device_reused" => ("یک دستگاه برای چند شعبه ثبت شده", "One device is registered for several stations"),
            "duplicate_result" => ("بیش از یک نتیجه برای یک شعبه", "More than one result for a station"),
            "wrong_contest" => ("نتیجه برای شورای دیگری است", "The result is for another contest"),
            "arithmetic" => ("ارقام یک شعبه با هم نمی‌خوانند", "A station's figures do not add up"),
            "turnout_above_eligible" => ("آرا بیش از واجدان شرایط", "More ballots than eligible voters"),
            "recount_mismatch" => {
                ("شمارش دوباره با رقم منتشرشده یکی نیست", "The recount differs from the published figure")
            }
            "outcome_mismatch" => ("منتخبان با شمارش دوباره یکی نیستند", "The elected differ from the recount"),
            "summary_mismatch" => (
                "خلاصه‌ی منتشرشده با شمارش دوباره‌ی شهرستان یکی نیست",
                "The published summary differs from the county's recount",
            ),
            "overflow" => ("عددی بیش از حد بزرگ", "A count is too large"),
            // Live updates and history
            "bad_checkpoint" => ("نقطه‌ی بازبینی دفتر انتشار نادرست است", "The release log's checkpoint is invalid"),
            "bad_proof" => ("اثبات دفتر انتشار نادرست است", "A proof of the release log is invalid"),
            "not_in_log" => ("این انتشار در دفتر انتشار نیست", "This release is not in the release log"),
            "rollback" => (
                "بازگشت به عقب: نسخه‌ای قدیمی‌تر از آنچه پیش‌تر وارسی شد ارائه شده است",
                "Rollback: an older release than one verified before is being served",
            ),
            "stale_release" => (
                "این نسخه آخرین نسخه نیست: نسخه‌ی تازه‌تری منتشر شده است",
                "This is not the latest release: a newer one was published",
            ),
            "fork" => (
                "دو شاخه شدن: دفتر انتشار با آنچه پیش‌تر وارسی شد نمی‌خواند و تاریخچه بازنویسی شده است",
                "Fork: the release log does not extend the one verified before; its history was rewritten",
            ),
            "frozen" => (
                "انجماد: اشاره‌گر به آخرین نسخه منقضی شده است، پس شاید نسخه‌های تازه‌تر پنهان شده باشند",
                "Freeze: the pointer to the latest release has expired, so newer releases may be withheld",
            ),
            "not_committed" => (
                "آنچه باید پیش از گشایش صندوق‌ها ثبت می‌شد ثبت نشده یا بعداً تغییر کرده است",
                "Something that had to be committed before the polls opened was not, or was changed later",
            ),
            "pointer_mismatch" => (
                "اشاره‌گر به آخرین نسخه با انتشار نمی‌خواند",
                "The pointer to the latest release does not match the release",
            ),
            _ => ("یافته", "Finding"),
        };
        self.pick(fa, en)
    }
}

/// Fixed texts of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    AppName,
    Tagline,
    MetaDescription,
    AppBuildHeading,
    AppBuildExplained,
    AppCommit,
    AppHash,
    AppFiles,
    AppHashUnknown,
    SkipToContent,
    DemoBanner,
    SwitchLanguage,
    StatusHeading,
    Loading,
    Verified,
    VerifiedExplained,
    VerifiedWithFindings,
    VerifiedWithFindingsExplained,
    Failed,
    FailedExplained,
    Expired,
    ExpiredExplained,
    SignedExplained,
    LevelsExplained,
    AuditProgress,
    LevelSigned,
    LevelRecounted,
    LevelFailed,
    Withdrawn,
    ProvinceLoading,
    ProvinceUnreachable,
    /// While a view's code downloads after a link was followed.
    OpeningView,
    StationsAfterRecount,
    NotYetRecounted,
    Verification,
    ReleaseVersion,
    Issued,
    Expires,
    RootFingerprint,
    FetchingConfig,
    FetchingMetadata,
    Verifying,
    DownloadProgress,
    VerifyProgress,
    FindingsHeading,
    FindingFile,
    FindingContest,
    FindingDetail,
    ElectionDay,
    SummaryHeading,
    ByProvince,
    ByCounty,
    Province,
    County,
    Contests,
    CityContests,
    VillageContests,
    StationsRegistered,
    StationsReported,
    Eligible,
    BallotsCast,
    Valid,
    Invalid,
    Turnout,
    InvalidShare,
    FooterAbout,
    FooterFont,
    Attribution,
    NavOverview,
    NavVerification,
    NavSource,
    MainNavigation,
    Breadcrumbs,
    ListSeparator,
    Yes,
    No,
    FindHeading,
    SearchLabel,
    SearchPlaceholder,
    SearchButton,
    SearchHint,
    SearchResults,
    PageNotFound,
    ViewUnavailable,
    ViewUnavailableExplained,
    TryAgain,
    PlaceNotFound,
    BackToOverview,
    WhatWasChecked,
    AllCouncils,
    CouncilsOfCounty,
    Council,
    Kind,
    KindCity,
    KindVillage,
    KindOfCouncil,
    AllKinds,
    Seats,
    VotesPerBallot,
    LastSeatMargin,
    NoMargin,
    Recount,
    RecountMatches,
    RecountDiffers,
    FilterByName,
    AllRows,
    RowsPerPage,
    Pages,
    PreviousPage,
    NextPage,
    Print,
    Result,
    ElectedMembers,
    Alternates,
    Ballots,
    Candidates,
    Candidate,
    Rank,
    BallotCode,
    Votes,
    Share,
    Standing,
    StandingElected,
    StandingAlternate,
    StandingNotElected,
    TieBreakShort,
    FindingsForCouncil,
    Stations,
    StationsExplained,
    Station,
    DeviceKey,
    Signature,
    SignatureVerified,
    SignatureInvalid,
    DidNotSign,
    NotReported,
    VerificationPanel,
    WhatVerifiedMeans,
    ProvesHeading,
    Proves,
    DoesNotProveHeading,
    DoesNotProve,
    Publication,
    PublicationUrl,
    ChosenBy,
    PinnedRoot,
    ChangeSource,
    SourceDefault,
    SourceLink,
    SourceSaved,
    NotDefaultSource,
    TrustRoot,
    Pinned,
    PinnedExplained,
    ElectionId,
    RootVersion,
    Thresholds,
    Keys,
    Role,
    RoleRoot,
    RolePublisher,
    RoleWitness,
    RoleTimestamp,
    KeyFingerprint,
    Release,
    ReleaseFingerprint,
    Files,
    FilesCaption,
    FilePath,
    FileKind,
    FileSize,
    FileVerified,
    FileNotVerified,
    FileElection,
    FileGeoProvinces,
    FileGeoCounties,
    FileContests,
    FileStations,
    FileResults,
    Status,
    NotCheckedRoot,
    NotCheckedRelease,
    NotCheckedData,
    StationSignatures,
    RecountHeading,
    RecountCaption,
    PublishedCast,
    RecountedCast,
    PublishedValid,
    RecountedValid,
    PublishedInvalid,
    RecountedInvalid,
    NoFindings,
    SourceHeading,
    SourceExplained,
    ChooseSource,
    DefaultPublication,
    SaveSource,
    ResetSource,
    // Live updates and history
    NavHistory,
    NavSheet,
    SheetHeading,
    SheetExplained,
    SheetUpload,
    SheetCamera,
    SheetCameraStop,
    SheetMatches,
    SheetDiffers,
    SheetUnpublished,
    SheetCorrected,
    SheetWrongDevice,
    SheetInvalid,
    SheetStation,
    SheetSignedBy,
    SheetCommittedKey,
    SheetField,
    SheetOnPaper,
    SheetPublished,
    EvidenceDownload,
    EvidenceExplained,
    EvidenceHeading,
    EvidenceUpload,
    EvidenceProven,
    EvidenceNotProven,
    LiveHeading,
    LiveLastChecked,
    LiveNotYet,
    LiveUnreachable,
    LiveRefusedExplained,
    StationsCorrected,
    WinnersChanged,
    HistoryHeading,
    HistoryExplained,
    NoReleaseLog,
    FirstRelease,
    SignedBy,
    WitnessedBy,
    NoWitnesses,
    CompareReleases,
    CompareFrom,
    CompareTo,
    CompareCouncil,
    VotesBefore,
    RankBefore,
    VotesAfter,
    RankAfter,
    LogHeading,
    SetupHeading,
    SetupExplained,
    SetupCommitted,
    PollsOpen,
    SetupWitnessedBefore,
    BeforePollsOpened,
    SetupPhase,
    LogSize,
    LogRootHash,
    PointerExpires,
    PointerIssued,
    CosignedAt,
    CouncilHistory,
    WitnessedNow,
    // Maps and charts
    MapTurnoutVsMedian,
    MapStationsVerified,
    MapPercentSign,
    MapPoints,
    MapNoData,
    MapHasFindings,
    MapFindings,
    MapZoom,
    MapZoomIn,
    MapZoomOut,
    MapZoomReset,
    MapHint,
    MapColourBy,
    MapAttribution,
    MapAsTable,
    MapClass,
    MapOfProvinces,
    MapOfCounties,
    MapUnavailable,
    ChartsLink,
    ChartsHeading,
    ChartsIntro,
    ChartStationsReported,
    ChartShareOfRank,
    ChartShareOfTop,
    ChartSeatsFilled,
    ChartDoesNotProve,
    ChartDownloadSvg,
    ChartDownloadPng,
    ChartAsTable,
    ChartByRegion,
    ChartRange,
    ChartStations,
    ChartAboveHundred,
    ChartUndefined,
    ChartTurnoutHistogram,
    ChartSeatsFilledTitle,
    ChartNoStations,
    ChartClosedAt,
    ChartCumulative,
    ChartClosingTimes,
    ChartShareAxis,
    ChartCorner,
    ChartFingerprint,
    ChartNoCounts,
    ChartDigit,
    ChartObserved,
    ChartExpected,
    ChartDeviates,
    ChartConsistent,
    ChartFewCounts,
    ChartDegreesOfFreedom,
    ChartCounts,
    ChartMeanDigit,
    ChartLastDigit,
    ChartSecondDigit,
    ChartIntegerStations,
    ChartIntegerPercent,
    ReasonLandslide,
    ReasonFullTurnout,
    ReasonAboveEligible,
    ReasonSeatsFilledHigh,
    ReasonSeatsFilledLow,
    ChartForRank,
    ChartOutliers,
    ChartListed,
    ChartStation,
    ChartReasons,
    ChartCumulativeShare,
    // End of maps and charts
}

impl Msg {
    /// How the publication shown was chosen.
    pub fn chosen_by(kind: SourceKind) -> Msg {
        match kind {
            SourceKind::Default => Msg::SourceDefault,
            SourceKind::Link => Msg::SourceLink,
            SourceKind::Saved => Msg::SourceSaved,
        }
    }

    /// (Persian, English).
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Msg::AppName => ("شفاف", "Shafaf"),
            Msg::Tagline => (
                "نتایج انتخابات شوراهای شهر و روستا، وارسی‌شده در مرورگر شما",
                "City and village council election results, verified in your browser",
            ),
            Msg::MetaDescription => (
                "نتایج انتخابات شوراهای شهر و روستا از روی پرونده‌های امضاشدهٔ هر شعبه، پیش از نمایش در مرورگر شما وارسی می‌شوند: نقشه، مشارکت و نتیجهٔ هر شورا.",
                "City and village council election results, checked in your browser against every polling station's signed files before they are shown: maps, turnout and each council's result.",
            ),
            Msg::AppBuildHeading => ("خود این برنامه", "This app itself"),
            Msg::AppBuildExplained => (
                "فهرست پرونده‌های این برنامه (app-files.txt) با یک چکیده نام برده می‌شود. با «shafaf check-app» یا sha256sum بسنجید که آنچه به شما رسیده همان است که از کد منبع ساخته می‌شود.",
                "The list of this app's files (app-files.txt) is named by one hash. Check with `shafaf check-app` or sha256sum that what you were served is what the source builds.",
            ),
            Msg::AppCommit => ("ساخته‌شده از commit", "Built from commit"),
            Msg::AppHash => ("چکیدهٔ SHA-256 برنامه", "SHA-256 of the app"),
            Msg::AppFiles => ("شمار پرونده‌ها", "Files"),
            Msg::AppHashUnknown => (
                "فهرست پرونده‌های برنامه (app-files.txt) در دسترس نبود.",
                "The app's file list (app-files.txt) could not be read.",
            ),
            Msg::SkipToContent => ("پرش به محتوا", "Skip to content"),
            Msg::DemoBanner => ("نمایشی — این نتایج واقعی نیستند", "DEMO — not real results"),
            Msg::SwitchLanguage => ("زبان", "Language"),
            Msg::StatusHeading => ("وضعیت وارسی", "Verification status"),
            Msg::Loading => ("در حال دریافت و وارسی…", "Fetching and verifying…"),
            Msg::Verified => ("وارسی شد", "Verified"),
            Msg::VerifiedExplained => (
                "همه‌ی امضاها و چکیده‌ها درست‌اند و شمارش دوباره با ارقام منتشرشده یکی است.",
                "Every signature and hash checks out, and the recount matches the published totals.",
            ),
            Msg::VerifiedWithFindings => ("وارسی شد، با یافته", "Verified, with findings"),
            Msg::VerifiedWithFindingsExplained => (
                "پرونده‌ها اصیل و کامل‌اند، اما برخی ارقام امضاشده با هم نمی‌خوانند. یافته‌ها در پایین آمده‌اند.",
                "The files are authentic and complete, but some signed figures do not add up. The findings are listed below.",
            ),
            Msg::Failed => ("وارسی ناموفق", "Verification failed"),
            Msg::FailedExplained => (
                "به این نتایج اعتماد نکنید: بخشی از انتشار وارسی نشد. ارقامی که به آن بخش بسته‌اند نشان داده نمی‌شوند و یافته‌ها می‌گویند کدام پرونده.",
                "Do not trust these results: part of the publication did not verify. No figure that depends on it is shown, and the findings name the file.",
            ),
            Msg::SignedExplained => (
                "هر رقمی که می‌بینید از پرونده‌هایی است که کلیدهای مرجع برگزاری امضا کرده‌اند و دست نخورده‌اند. وارسی امضای همه‌ی شعبه‌ها و شمارش دوباره در جریان است و هر ناحیه می‌گوید تا کجا رسیده است.",
                "Every figure shown comes from files the authority's keys signed, unaltered. Every station's signature is being checked and every council recounted; each area says how far it has got.",
            ),
            Msg::LevelsExplained => (
                "دو سطح وارسی: «امضاشده» یعنی رقم از پرونده‌ای امضاشده و دست‌نخورده آمده است؛ «بازشماری‌شده» یعنی امضای دستگاه همه‌ی شعبه‌های آن ناحیه وارسی و شوراهایش از روی نتایج شعبه‌ها دوباره شمرده شده‌اند.",
                "Two levels: \"signed\" means a figure comes from a signed, unaltered file; \"recounted\" means every station device's signature in the area verified and its councils were recounted from the station results.",
            ),
            Msg::AuditProgress => ("پیشرفت وارسی همه‌ی شعبه‌ها", "Progress of the audit of every station"),
            Msg::LevelSigned => ("امضاشده", "signed"),
            Msg::LevelRecounted => ("بازشماری‌شده", "recounted"),
            Msg::LevelFailed => ("پس گرفته شد: وارسی نشد", "withdrawn: did not verify"),
            Msg::Withdrawn => (
                "ارقام این ناحیه نشان داده نمی‌شوند: پرونده‌هایش وارسی نشدند.",
                "This area's figures are not shown: its files did not verify.",
            ),
            Msg::ProvinceLoading => ("در حال دریافت و وارسی شوراهای این استان…", "Fetching and verifying this province's councils…"),
            Msg::ProvinceUnreachable => (
                "شوراهای این استان دریافت نشد. اتصال را بررسی کنید و دوباره بکوشید.",
                "This province's councils could not be downloaded. Check the connection and try again.",
            ),
            Msg::OpeningView => ("در حال باز کردن این صفحه…", "Opening the page…"),
            Msg::StationsAfterRecount => (
                "شعبه‌ها پس از وارسی امضای همه‌ی شعبه‌های این استان اینجا می‌آیند.",
                "The stations appear here once every station of this province has been verified.",
            ),
            Msg::NotYetRecounted => ("هنوز بازشماری نشده", "not yet recounted"),
            Msg::Verification => ("وارسی", "Verification"),
            Msg::Expired => ("منقضی", "Expired"),
            Msg::ExpiredExplained => (
                "اعتبار این انتشار گذشته است؛ آن را آخرین نتایج ندانید. هیچ رقمی نشان داده نمی‌شود.",
                "This release is no longer current; do not treat it as the latest results. No figures are shown.",
            ),
            Msg::ReleaseVersion => ("نسخه‌ی انتشار", "Release version"),
            Msg::Issued => ("تاریخ انتشار", "Issued"),
            Msg::Expires => ("اعتبار تا", "Expires"),
            Msg::RootFingerprint => ("اثر انگشت ریشه‌ی اعتماد", "Trust root fingerprint"),
            Msg::FetchingConfig => ("دریافت پیکربندی…", "Fetching the configuration…"),
            Msg::FetchingMetadata => (
                "دریافت ریشه‌ی اعتماد و فهرست انتشار…",
                "Fetching the trust root and the release manifest…",
            ),
            Msg::Verifying => (
                "وارسی امضاها و چکیده‌ها و شمارش دوباره‌ی آرا…",
                "Verifying signatures and hashes, recounting the votes…",
            ),
            Msg::DownloadProgress => ("پیشرفت دریافت", "Download progress"),
            Msg::VerifyProgress => ("پیشرفت وارسی", "Verification progress"),
            Msg::FindingsHeading => ("یافته‌ها", "Findings"),
            Msg::FindingFile => ("پرونده", "File"),
            Msg::FindingContest => ("شورا", "Contest"),
            Msg::FindingDetail => ("جزئیات", "Detail"),
            Msg::ElectionDay => ("روز رأی‌گیری", "Election day"),
            Msg::SummaryHeading => ("خلاصه‌ی نتایج", "Summary of the results"),
            Msg::ByProvince => ("به تفکیک استان", "By province"),
            Msg::ByCounty => ("به تفکیک شهرستان", "By county"),
            Msg::Province => ("استان", "Province"),
            Msg::County => ("شهرستان", "County"),
            Msg::Contests => ("شوراها", "Councils"),
            Msg::CityContests => ("شوراهای شهر", "City councils"),
            Msg::VillageContests => ("شوراهای روستا", "Village councils"),
            Msg::StationsRegistered => ("شعبه‌های ثبت‌شده", "Stations registered"),
            Msg::StationsReported => ("شعبه‌های گزارش‌داده", "Stations reported"),
            Msg::Eligible => ("واجدان شرایط", "Eligible voters"),
            Msg::BallotsCast => ("آرای مأخوذه", "Ballots cast"),
            Msg::Valid => ("آرای صحیح", "Valid ballots"),
            Msg::Invalid => ("آرای باطله", "Invalid ballots"),
            Msg::Turnout => ("مشارکت", "Turnout"),
            Msg::InvalidShare => ("سهم آرای باطله", "Invalid share"),
            Msg::FooterAbout => (
                "شفاف: هر کس می‌تواند نتایج را در مرورگر خود وارسی کند؛ هیچ رقمی پیش از وارسی نشان داده نمی‌شود.",
                "Shafaf: anyone can verify the results in their own browser; no figure is shown before it verified.",
            ),
            Msg::FooterFont => ("قلم وزیرمتن (SIL Open Font License)", "Vazirmatn font (SIL Open Font License)"),
            Msg::Attribution => ("منابع داده", "Data credits"),
            Msg::NavOverview => ("نمای کلی", "Overview"),
            Msg::NavVerification => ("وارسی", "Verification"),
            Msg::NavSource => ("منبع انتشار", "Publication source"),
            Msg::MainNavigation => ("پیمایش اصلی", "Main navigation"),
            Msg::Breadcrumbs => ("جای این صفحه", "You are here"),
            Msg::ListSeparator => ("، ", " · "),
            Msg::Yes => ("بله", "Yes"),
            Msg::No => ("خیر", "No"),
            Msg::FindHeading => ("شورای شهر یا روستای خود را پیدا کنید", "Find your city or village council"),
            Msg::SearchLabel => ("نام شهر یا روستا", "Name of a city or village"),
            Msg::SearchPlaceholder => ("مثلاً خرم‌آباد", "e.g. Khorramabad"),
            Msg::SearchButton => ("جست‌وجو", "Search"),
            Msg::SearchHint => (
                "نام را به فارسی یا انگلیسی بنویسید؛ بخشی از نام هم کافی است.",
                "Type the name in Persian or English; part of it is enough.",
            ),
            Msg::SearchResults => ("نتایج جست‌وجو", "Search results"),
            Msg::PageNotFound => ("این صفحه وجود ندارد", "There is no such page"),
            Msg::ViewUnavailable => ("این صفحه باز نشد", "This page could not be opened"),
            Msg::ViewUnavailableExplained => (
                "بخشی از برنامه که این صفحه را نشان می‌دهد دریافت نشد. اتصال را بررسی کنید و دوباره بکوشید.",
                "The part of the app that shows this page did not download. Check the connection and try again.",
            ),
            Msg::TryAgain => ("دوباره بکوشید", "Try again"),
            Msg::PlaceNotFound => ("این جا در این انتشار نیست", "This place is not in this publication"),
            Msg::BackToOverview => ("بازگشت به نمای کلی", "Back to the overview"),
            Msg::WhatWasChecked => ("چه چیزهایی وارسی شد", "What was checked"),
            Msg::AllCouncils => ("همه‌ی شوراها", "All councils"),
            Msg::CouncilsOfCounty => ("شوراهای شهرستان", "Councils of the county"),
            Msg::Council => ("شورا", "Council"),
            Msg::Kind => ("نوع", "Kind"),
            Msg::KindCity => ("شهر", "City"),
            Msg::KindVillage => ("روستا", "Village"),
            Msg::KindOfCouncil => ("نوع شورا", "Kind of council"),
            Msg::AllKinds => ("همه", "All"),
            Msg::Seats => ("کرسی‌ها", "Seats"),
            Msg::VotesPerBallot => ("نام در هر برگه‌ی صحیح", "Names per valid ballot"),
            Msg::LastSeatMargin => ("فاصله‌ی آخرین کرسی (رأی)", "Last-seat margin (votes)"),
            Msg::NoMargin => (
                "این شورا علی‌البدل ندارد؛ فاصله‌ی آخرین کرسی تعریف نمی‌شود.",
                "This council has no alternates, so there is no last-seat margin.",
            ),
            Msg::Recount => ("شمارش دوباره", "Recount"),
            Msg::RecountMatches => ("یکی است", "matches"),
            Msg::RecountDiffers => ("فرق دارد", "differs"),
            Msg::FilterByName => ("پالایش با نام", "Filter by name"),
            Msg::AllRows => ("همه", "All"),
            Msg::RowsPerPage => ("ردیف در هر صفحه", "Rows per page"),
            Msg::Pages => ("صفحه‌ها", "pages"),
            Msg::PreviousPage => ("صفحه‌ی قبل", "Previous page"),
            Msg::NextPage => ("صفحه‌ی بعد", "Next page"),
            Msg::Print => ("چاپ", "Print"),
            Msg::Result => ("نتیجه", "Result"),
            Msg::ElectedMembers => ("منتخبان", "Elected members"),
            Msg::Alternates => ("اعضای علی‌البدل", "Alternates"),
            Msg::Ballots => ("آرا", "Ballots"),
            Msg::Candidates => ("نامزدها", "Candidates"),
            Msg::Candidate => ("نامزد", "Candidate"),
            Msg::Rank => ("رتبه", "Rank"),
            Msg::BallotCode => ("کد نامزد", "Ballot code"),
            Msg::Votes => ("رأی", "Votes"),
            Msg::Share => ("سهم از آرای صحیح", "Share of valid ballots"),
            Msg::Standing => ("وضعیت", "Standing"),
            Msg::StandingElected => ("منتخب", "Elected"),
            Msg::StandingAlternate => ("علی‌البدل", "Alternate"),
            Msg::StandingNotElected => ("انتخاب نشده", "Not elected"),
            Msg::TieBreakShort => ("با قرعه", "by the tie-break"),
            Msg::FindingsForCouncil => ("یافته‌های وارسی درباره‌ی این شورا", "Verification findings about this council"),
            Msg::Stations => ("شعبه‌های اخذ رأی", "Polling stations"),
            Msg::StationsExplained => (
                "نتیجه‌ی هر شعبه را دستگاه همان شعبه امضا کرده و این امضا در مرورگر شما وارسی شده است؛ ارقام این شورا جمع همین نتیجه‌هاست.",
                "Each station's result is signed by that station's device, and the signature was verified in your browser; this council's figures are the sum of these results.",
            ),
            Msg::Station => ("شعبه", "Station"),
            Msg::DeviceKey => ("کلید دستگاه (اثر انگشت)", "Device key (fingerprint)"),
            Msg::Signature => ("امضا", "Signature"),
            Msg::SignatureVerified => ("امضا وارسی شد", "signature verified"),
            Msg::SignatureInvalid => ("امضا نادرست است", "signature invalid"),
            Msg::DidNotSign => ("امضا نکرده است", "did not sign"),
            Msg::NotReported => ("هنوز گزارش نداده", "not reported yet"),
            Msg::VerificationPanel => ("گزارش وارسی", "Verification panel"),
            Msg::WhatVerifiedMeans => ("«وارسی شد» یعنی چه", "What “verified” means"),
            Msg::ProvesHeading => ("ثابت می‌کند:", "It proves:"),
            Msg::Proves => (
                "این پرونده‌ها بی‌هیچ تغییری از کلیدهایی آمده‌اند که مرجع برگزاری اعلام کرده است، و ارقام اعلام‌شده‌ی هر شورا با جمع نتیجه‌های امضاشده‌ی شعبه‌ها یکی است.",
                "these files come unaltered from the keys the authority published, and each council's published totals add up to the signed station results.",
            ),
            Msg::DoesNotProveHeading => ("ثابت نمی‌کند:", "It does not prove:"),
            Msg::DoesNotProve => (
                "که دستگاه‌ها آرا را درست شمرده‌اند، یا که دستگاه‌های ثبت‌شده همان‌هایی بوده‌اند که در شعبه‌ها کار کرده‌اند.",
                "that the devices counted the ballots correctly, or that the registered devices were the ones in the stations.",
            ),
            Msg::Publication => ("انتشار وارسی‌شده", "The publication checked"),
            Msg::PublicationUrl => ("نشانی انتشار", "Publication address"),
            Msg::ChosenBy => ("انتخاب‌شده از", "Chosen by"),
            Msg::PinnedRoot => ("اثر انگشت ریشه‌ی اعتماد (SHA-256)", "Pinned trust root (SHA-256)"),
            Msg::ChangeSource => ("تغییر انتشار", "Change the publication"),
            Msg::SourceDefault => ("پیکربندی این وب‌گاه (config.json)", "this site's configuration (config.json)"),
            Msg::SourceLink => ("نشانی صفحه (?pub=)", "the page address (?pub=)"),
            Msg::SourceSaved => ("انتخاب شما در این مرورگر", "your choice in this browser"),
            Msg::NotDefaultSource => (
                "این انتشار پیش‌فرض این وب‌گاه نیست:",
                "This is not this site's default publication:",
            ),
            Msg::TrustRoot => ("ریشه‌ی اعتماد", "Trust root"),
            Msg::Pinned => ("سنجاق‌شده", "Pinned"),
            Msg::PinnedExplained => (
                "با اثر انگشتی که پیش از دریافت می‌دانستیم یکی است",
                "it matches the fingerprint known before downloading",
            ),
            Msg::ElectionId => ("شناسه‌ی انتخابات", "Election id"),
            Msg::RootVersion => ("نسخه‌ی ریشه", "Root version"),
            Msg::Thresholds => ("حد نصاب امضاها", "Signature thresholds"),
            Msg::Keys => ("کلیدهای ریشه‌ی اعتماد", "Keys of the trust root"),
            Msg::Role => ("نقش", "Role"),
            Msg::RoleRoot => ("ریشه", "Root"),
            Msg::RolePublisher => ("ناشر", "Publisher"),
            Msg::RoleWitness => ("ناظر", "Witness"),
            Msg::RoleTimestamp => ("مُهر زمان", "Timestamp"),
            Msg::KeyFingerprint => ("اثر انگشت کلید (SHA-256)", "Key fingerprint (SHA-256)"),
            Msg::Release => ("انتشار", "Release"),
            Msg::ReleaseFingerprint => ("چکیده‌ی release.json", "SHA-256 of release.json"),
            Msg::Files => ("پرونده‌ها", "Files"),
            Msg::FilesCaption => ("پرونده‌های فهرست انتشار", "Files listed in the release"),
            Msg::FilePath => ("مسیر", "Path"),
            Msg::FileKind => ("نوع", "Kind"),
            Msg::FileSize => ("اندازه", "Size"),
            Msg::FileVerified => ("درست", "verified"),
            Msg::FileNotVerified => ("نادرست", "does not match"),
            Msg::FileElection => ("انتخابات", "election"),
            Msg::FileGeoProvinces => ("مرز استان‌ها", "province boundaries"),
            Msg::FileGeoCounties => ("مرز شهرستان‌ها", "county boundaries"),
            Msg::FileContests => ("شوراها و ارقام اعلام‌شده", "councils and published totals"),
            Msg::FileStations => ("شعبه‌ها و کلید دستگاه‌ها", "stations and device keys"),
            Msg::FileResults => ("نتیجه‌های امضاشده‌ی شعبه‌ها", "signed station results"),
            Msg::Status => ("وضعیت", "Status"),
            Msg::NotCheckedRoot => (
                "ریشه‌ی اعتماد وارسی نشد، پس هیچ چیز دیگری خوانده نشد.",
                "The trust root did not verify, so nothing else was read.",
            ),
            Msg::NotCheckedRelease => (
                "فهرست انتشار وارسی نشد، پس هیچ پرونده‌ای خوانده نشد.",
                "The release manifest did not verify, so no file was read.",
            ),
            Msg::NotCheckedData => (
                "بخشی از داده وارسی نشد، پس هیچ رقمی نشان داده نمی‌شود.",
                "Part of the data did not verify, so no figure is shown.",
            ),
            Msg::StationSignatures => ("امضای دستگاه شعبه‌ها", "Station device signatures"),
            Msg::RecountHeading => ("شمارش دوباره‌ی هر شورا", "Recount of every council"),
            Msg::RecountCaption => (
                "ارقام اعلام‌شده در برابر شمارش دوباره از نتیجه‌های امضاشده (ناهمخوان‌ها نخست)",
                "Published figures against the recount of the signed results (mismatches first)",
            ),
            Msg::PublishedCast => ("مأخوذه (اعلام‌شده)", "Cast (published)"),
            Msg::RecountedCast => ("مأخوذه (شمارش دوباره)", "Cast (recounted)"),
            Msg::PublishedValid => ("صحیح (اعلام‌شده)", "Valid (published)"),
            Msg::RecountedValid => ("صحیح (شمارش دوباره)", "Valid (recounted)"),
            Msg::PublishedInvalid => ("باطله (اعلام‌شده)", "Invalid (published)"),
            Msg::RecountedInvalid => ("باطله (شمارش دوباره)", "Invalid (recounted)"),
            Msg::NoFindings => ("هیچ یافته‌ای نیست.", "There are no findings."),
            Msg::SourceHeading => ("کدام انتشار", "Which publication"),
            Msg::SourceExplained => (
                "این صفحه یک انتشار را از نشانی آن دریافت می‌کند و آن را با ریشه‌ی اعتمادی می‌سنجد که اثر انگشتش از پیش معلوم است. می‌توانید انتشار دیگری (مثلاً نسخه‌ای از جای دیگر) را با اثر انگشتی که مرجع اعلام کرده وارسی کنید؛ این انتخاب فقط در همین مرورگر نگه داشته می‌شود.",
                "This page fetches a publication from its address and checks it against a trust root whose fingerprint is known in advance. You can verify another publication (for example a copy served elsewhere) against the fingerprint the authority announced; the choice is kept in this browser only.",
            ),
            Msg::ChooseSource => ("انتشار دیگر", "Another publication"),
            Msg::DefaultPublication => ("پیش‌فرض این وب‌گاه", "This site's default"),
            Msg::SaveSource => ("ذخیره و وارسی", "Save and verify"),
            Msg::ResetSource => ("بازگشت به پیش‌فرض", "Reset to the default"),
            // Live updates and history
            Msg::NavHistory => ("تاریخچه", "History"),
            Msg::NavSheet => ("وارسی برگه‌ی شعبه", "Check a sheet"),
            Msg::SheetHeading => ("وارسی برگه‌ی نتیجه‌ی شعبه", "Check a station's result sheet"),
            Msg::SheetExplained => (
                "دستگاه هر شعبه پس از بسته شدن صندوق نتیجه را چاپ می‌کند و بر در شعبه می‌چسباند. از کدهای QR آن عکس بگیرید یا با دوربین بخوانید: امضای دستگاه با کلیدی که پیش از گشایش صندوق‌ها ثبت شد سنجیده می‌شود و نتیجه با آنچه منتشر شده مقایسه می‌شود.",
                "Each station's device prints its result when the polls close and posts it at the station's door. Photograph its QR codes or scan them with the camera: the device's signature is checked against the key committed before the polls opened, and the result is compared with what was published.",
            ),
            Msg::SheetUpload => ("عکس برگه (یک یا چند عکس):", "Photo of the sheet (one or more):"),
            Msg::SheetCamera => ("خواندن با دوربین", "Scan with the camera"),
            Msg::SheetCameraStop => ("توقف دوربین", "Stop the camera"),
            Msg::SheetMatches => ("با نتیجه‌ی منتشرشده یکی است", "Matches the published result"),
            Msg::SheetDiffers => (
                "با نتیجه‌ی منتشرشده فرق دارد: دستگاه شعبه نتیجه‌ی دیگری را امضا کرده است",
                "Differs from the published result: the station's device signed another result",
            ),
            Msg::SheetUnpublished => ("نتیجه‌ی این شعبه هنوز منتشر نشده است", "This station's result is not published yet"),
            Msg::SheetCorrected => ("این نتیجه منتشر شد و سپس اصلاح شد", "This result was published, then corrected"),
            Msg::SheetWrongDevice => (
                "امضاشده با کلیدی که کلید ثبت‌شده‌ی دستگاه این شعبه نیست",
                "Signed by a key that is not this station's committed device",
            ),
            Msg::SheetInvalid => ("برگه‌ی معتبری نیست", "Not a valid sheet"),
            Msg::SheetStation => ("شعبه:", "Station:"),
            Msg::SheetSignedBy => ("امضاشده با کلید", "Signed with key"),
            Msg::SheetCommittedKey => ("کلید ثبت‌شده‌ی دستگاه:", "Committed device key:"),
            Msg::SheetField => ("رقم", "Figure"),
            Msg::SheetOnPaper => ("روی برگه", "On the sheet"),
            Msg::SheetPublished => ("منتشرشده", "Published"),
            Msg::EvidenceDownload => ("دریافت پرونده‌ی مدرک", "Download the evidence"),
            Msg::EvidenceExplained => (
                "پرونده‌ای کوچک که هر کس فقط با اثر انگشت ریشه‌ی اعتماد می‌تواند بسنجد: دو امضا با کلیدهای خود مرجع برگزاری (دستگاه شعبه و ناشران) که درباره‌ی یک شعبه با هم نمی‌خوانند.",
                "A small file anyone can check with nothing but the trust root's fingerprint: two signatures by the authority's own keys (the station's device and the publishers) that disagree about one station.",
            ),
            Msg::EvidenceHeading => ("سنجش پرونده‌ی مدرک", "Check an evidence file"),
            Msg::EvidenceUpload => ("پرونده‌ی مدرک (JSON):", "Evidence file (JSON):"),
            Msg::EvidenceProven => (
                "ثابت شد: دستگاه شعبه نتیجه‌ای را امضا کرده که انتشار امضاشده‌ی ناشران آن را منتشر نمی‌کند",
                "Proven: the station's device signed a result that the publishers' signed release does not publish",
            ),
            Msg::EvidenceNotProven => ("این پرونده چیزی را ثابت نمی‌کند", "This file proves nothing"),
            Msg::LiveHeading => ("به‌روزرسانی زنده", "Live updates"),
            Msg::LiveLastChecked => ("آخرین بررسی:", "Last checked:"),
            Msg::LiveNotYet => ("هنوز انتشار تازه‌تری بررسی نشده", "Not checked for a newer release yet"),
            Msg::LiveUnreachable => (
                "سرور در دسترس نبود؛ دوباره تلاش می‌شود",
                "The server could not be reached; trying again",
            ),
            Msg::LiveRefusedExplained => (
                "این نسخه نشان داده نمی‌شود؛ نسخه‌ای که پیش‌تر وارسی شد بر جای خود می‌ماند.",
                "It is not shown; the release verified before stays on the page.",
            ),
            Msg::StationsCorrected => ("شعبه‌هایی که نتیجه‌شان اصلاح شد:", "Stations whose results were corrected:"),
            Msg::WinnersChanged => ("شوراهایی که منتخبانشان تغییر کرد:", "Councils whose elected members changed:"),
            Msg::HistoryHeading => ("تاریخچه‌ی انتشارها و اصلاحیه‌ها", "Releases and corrections"),
            Msg::HistoryExplained => (
                "هر انتشار برگی از دفتر انتشارهاست که تنها می‌توان به آن افزود. هر نسخه این‌جا با امضاها و گواهانش وارسی شده است؛ آنچه نسبت به نسخه‌ی پیش تغییر کرده زیر آن آمده است.",
                "Every release is a leaf of an append-only release log. Each one here was verified with its signatures and witnesses; what changed from the release before is listed under it.",
            ),
            Msg::NoReleaseLog => (
                "این انتشار دفتر انتشار ندارد، پس تاریخچه‌ای برای نشان دادن نیست.",
                "This publication has no release log, so there is no history to show.",
            ),
            Msg::FirstRelease => ("نخستین انتشار", "The first release"),
            Msg::SignedBy => ("امضای ناشر", "Signed by"),
            Msg::WitnessedBy => ("گواهان", "Witnessed by"),
            Msg::NoWitnesses => ("هیچ گواهی امضا نکرده است", "No witness has cosigned"),
            Msg::CompareReleases => ("مقایسه‌ی دو انتشار", "Compare two releases"),
            Msg::CompareFrom => ("از", "From"),
            Msg::CompareTo => ("تا", "To"),
            Msg::CompareCouncil => ("شورا", "Council"),
            Msg::VotesBefore => ("رأی (پیش)", "Votes (before)"),
            Msg::RankBefore => ("رتبه (پیش)", "Rank (before)"),
            Msg::VotesAfter => ("رأی (پس)", "Votes (after)"),
            Msg::RankAfter => ("رتبه (پس)", "Rank (after)"),
            Msg::LogHeading => ("دفتر انتشارها", "Release log"),
            Msg::SetupHeading => ("ثبت پیش از گشایش صندوق‌ها", "Committed before the polls opened"),
            Msg::SetupExplained => (
                "انتشار ۱، انتشار آغازین، پیش از گشایش صندوق‌ها همه‌ی شعبه‌ها، کلید دستگاه هر شعبه و نامزدهای هر شورا را ثبت کرد و گواهان آن را امضا کردند. هر انتشار بعدی با آن سنجیده می‌شود: شعبه یا کلیدی که بعداً پیدا شود، یا فهرست نامزدی که تغییر کند، پذیرفته نمی‌شود.",
                "Release 1, the setup, fixed every station, each station's device key and every council's candidates before the polls opened, and the witnesses cosigned it. Every later release is checked against it: a station or key that appears later, or a changed list of candidates, is refused.",
            ),
            Msg::SetupCommitted => ("ثبت‌شده در", "Committed at"),
            Msg::PollsOpen => ("گشایش صندوق‌ها", "Polls opened at"),
            Msg::SetupWitnessedBefore => ("گواهی‌شده پیش از گشایش صندوق‌ها", "Witnessed before the polls opened"),
            Msg::BeforePollsOpened => ("پیش از گشایش صندوق‌ها؟", "Before the polls opened?"),
            Msg::SetupPhase => (
                "هنوز نتیجه‌ای منتشر نشده است. این انتشارِ آغازین است: شعبه‌ها، کلید دستگاه‌هایشان و نامزدها را پیش از گشایش صندوق‌ها ثبت می‌کند تا نتیجه‌های بعدی با آن سنجیده شوند.",
                "No results yet. This is the setup release: it commits the stations, their device keys and the candidates before the polls open, so that every result published later can be checked against it.",
            ),
            Msg::LogSize => ("شمار انتشارها در دفتر", "Releases in the log"),
            Msg::LogRootHash => ("چکیده‌ی ریشه‌ی دفتر", "Log root hash"),
            Msg::PointerExpires => ("اعتبار اشاره‌گر به آخرین نسخه تا", "The pointer to the latest release is valid until"),
            Msg::PointerIssued => ("اشاره‌گر صادر شده در", "Pointer issued"),
            Msg::CosignedAt => ("زمان گواهی", "Cosigned at"),
            Msg::CouncilHistory => (
                "این شورا در انتشارهای پیشین (تاریخچه‌ی اصلاحیه‌ها)",
                "This council in earlier releases (history of corrections)",
            ),
            Msg::WitnessedNow => ("گواهان این نسخه:", "Witnessed by:"),
            // Maps and charts
            Msg::MapTurnoutVsMedian => ("مشارکت نسبت به میانه", "Turnout vs. the median"),
            Msg::MapStationsVerified => ("شعبه‌های وارسی‌شده", "Stations verified"),
            Msg::MapPercentSign => ("٪", "%"),
            Msg::MapPoints => ("واحد درصد", "points"),
            Msg::MapNoData => ("بی‌داده", "no data"),
            Msg::MapHasFindings => ("دارای یافته‌ی وارسی", "has verification findings"),
            Msg::MapFindings => ("یافته‌ها", "Findings"),
            Msg::MapZoom => ("بزرگ‌نمایی نقشه", "Map zoom"),
            Msg::MapZoomIn => ("بزرگ‌تر", "Zoom in"),
            Msg::MapZoomOut => ("کوچک‌تر", "Zoom out"),
            Msg::MapZoomReset => ("اندازه‌ی اول", "Reset"),
            Msg::MapHint => ("برای دیدن جزئیات روی یک ناحیه بزنید یا با Tab به آن بروید و Enter را بزنید؛ نقشه‌ی کشور را می‌توانید بزرگ کنید، بکشید و با کلیدهای جهت جابه‌جا کنید.", "Click a region, or Tab to it and press Enter, to open it; the national map can be zoomed, dragged, and moved with the arrow keys."),
            Msg::MapColourBy => ("رنگ بر پایه‌ی", "Colour by"),
            Msg::MapAttribution => ("مرزها: © مشارکت‌کنندگان OpenStreetMap (ODbL)؛ ساده‌شده برای نمایش.", "Boundaries: © OpenStreetMap contributors (ODbL); simplified for display."),
            Msg::MapAsTable => ("نقشه به صورت جدول", "The map as a table"),
            Msg::MapClass => ("رده", "Class"),
            Msg::MapOfProvinces => ("نقشه‌ی استان‌ها", "Map of the provinces"),
            Msg::MapOfCounties => ("نقشه‌ی شهرستان‌ها", "Map of the counties"),
            Msg::MapUnavailable => ("نقشه را نمی‌توان کشید", "The map cannot be drawn"),
            Msg::ChartsLink => ("نمودارها و آزمون‌های آماری این منطقه", "Charts and statistical tests for this region"),
            Msg::ChartsHeading => ("نمودارها و آزمون‌ها", "Charts and tests"),
            Msg::ChartsIntro => ("همه‌ی نمودارها از نتایج وارسی‌شده‌ی شعبه‌ها ساخته شده‌اند. هیچ‌کدام به‌تنهایی تقلب را ثابت نمی‌کند؛ فقط نشان می‌دهند کجا باید دقیق‌تر نگاه کرد.", "Every chart is drawn from the verified station results. None of them proves fraud on its own; they show where to look more closely."),
            Msg::ChartStationsReported => ("شعبه‌های گزارش‌داده در این منطقه", "Stations reported in this region"),
            Msg::ChartShareOfRank => ("سهم نامزد رتبه‌ی", "Share of the candidate ranked"),
            Msg::ChartShareOfTop => ("سهم نامزد اول شعبه", "Share of the station's top candidate"),
            Msg::ChartSeatsFilled => ("نام در هر برگه به نسبت کرسی‌ها", "Names per ballot, as a share of the seats"),
            Msg::ChartDoesNotProve => ("آنچه ثابت نمی‌کند:", "What it does not prove:"),
            Msg::ChartDownloadSvg => ("دریافت SVG", "Download SVG"),
            Msg::ChartDownloadPng => ("دریافت PNG", "Download PNG"),
            Msg::ChartAsTable => ("داده‌های نمودار به صورت جدول", "The chart's numbers as a table"),
            Msg::ChartByRegion => ("مشارکت به تفکیک منطقه", "Turnout by region"),
            Msg::ChartRange => ("بازه", "Range"),
            Msg::ChartStations => ("شعبه‌ها", "Stations"),
            Msg::ChartAboveHundred => ("شعبه‌های با مشارکت بیش از ۱۰۰٪ (در ستون آخر)", "Stations above 100% turnout (in the last bar)"),
            Msg::ChartUndefined => ("شعبه‌های بی‌واجد شرایط (کنار گذاشته)", "Stations without eligible voters (left out)"),
            Msg::ChartTurnoutHistogram => ("پخش مشارکت شعبه‌ها", "Distribution of station turnout"),
            Msg::ChartSeatsFilledTitle => ("پری برگه‌ها: نام در هر برگه به نسبت کرسی‌ها", "How full the ballots are: names per ballot, for the seats"),
            Msg::ChartNoStations => ("هیچ شعبه‌ای در این منطقه گزارش نداده است.", "No station in this region has reported."),
            Msg::ChartClosedAt => ("زمان بسته شدن", "Closing time"),
            Msg::ChartCumulative => ("آرای شعبه‌های بسته‌شده تا این زمان", "Ballots at stations closed by then"),
            Msg::ChartClosingTimes => ("آرا بر پایه‌ی زمان بسته شدن شعبه‌ها", "Ballots by the time stations closed"),
            Msg::ChartShareAxis => ("محور عمودی:", "Vertical axis:"),
            Msg::ChartCorner => ("شعبه‌ها با مشارکت و سهم ۹۵٪ یا بیشتر (گوشه‌ی بالا)", "Stations with turnout and share of 95% or more (the top corner)"),
            Msg::ChartFingerprint => ("اثر انگشت انتخابات: مشارکت × سهم", "Election fingerprint: turnout × share"),
            Msg::ChartNoCounts => ("شماری برای این آزمون نیست.", "There are no counts for this test."),
            Msg::ChartDigit => ("رقم", "Digit"),
            Msg::ChartObserved => ("دیده‌شده", "Observed"),
            Msg::ChartExpected => ("مورد انتظار", "Expected"),
            Msg::ChartDeviates => ("رقم‌ها در سطح ۱٪ از انتظار دور است.", "The digits deviate from the expected at the 1% level."),
            Msg::ChartConsistent => ("رقم‌ها با انتظار سازگار است.", "The digits are consistent with the expected."),
            Msg::ChartFewCounts => ("(شمارها اندک است؛ مقدار p را با احتیاط بخوانید)", "(few counts: read the p-value with care)"),
            Msg::ChartDegreesOfFreedom => ("درجه‌ی آزادی", "degrees of freedom"),
            Msg::ChartCounts => ("شمارها", "Counts"),
            Msg::ChartMeanDigit => ("میانگین رقم / مورد انتظار", "Mean digit / expected"),
            Msg::ChartLastDigit => ("آزمون رقم آخر آرای نامزدها", "Last-digit test of the candidates' votes"),
            Msg::ChartSecondDigit => ("آزمون رقم دوم (بنفورد)", "Second-digit (Benford) test"),
            Msg::ChartIntegerStations => ("شعبه‌های با مشارکت درصد صحیح", "Stations with a whole-percentage turnout"),
            Msg::ChartIntegerPercent => ("مشارکت‌های درصد صحیح", "Whole-percentage turnouts"),
            Msg::ReasonLandslide => ("مشارکت و سهم یک نامزد هر دو ۹۵٪ یا بیشتر", "Turnout and one candidate's share both 95% or more"),
            Msg::ReasonFullTurnout => ("همه‌ی واجدان شرایط شعبه رأی دادند", "Every voter assigned to the station voted"),
            Msg::ReasonAboveEligible => ("آرای بیش از واجدان شرایط شعبه", "More ballots than voters assigned"),
            Msg::ReasonSeatsFilledHigh => ("برگه‌ها بسیار پرتر از شعبه‌ی میانه", "Ballots much fuller than at the median station"),
            Msg::ReasonSeatsFilledLow => ("برگه‌ها بسیار خالی‌تر از شعبه‌ی میانه", "Ballots much emptier than at the median station"),
            Msg::ChartForRank => ("برای نامزد رتبه‌ی", "for the candidate ranked"),
            Msg::ChartOutliers => ("شعبه‌هایی که باید دقیق‌تر دید", "Stations to look at"),
            Msg::ChartListed => ("شعبه‌های فهرست‌شده", "Stations listed"),
            Msg::ChartStation => ("شعبه", "Station"),
            Msg::ChartReasons => ("چرا", "Why"),
            Msg::ChartCumulativeShare => ("سهم آرا در شعبه‌های بسته‌شده تا این زمان", "Share of ballots at stations closed by then"),
            // End of maps and charts
        }
    }
}

/// The language signal, provided by the app.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// A text computed in the current language, e.g. a name or a number. Like
/// [`tr`], it keeps the page's many reactive texts to one compiled renderer.
pub fn text<T: Into<String>>(f: impl Fn(Lang) -> T + Send + Sync + 'static) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || f(lang.get()).into())
}

/// A fixed text that follows the language, for a view or an attribute.
/// Every call gives the same closure type, so the page's hundreds of texts
/// share one compiled copy of the code that renders them (wasm size).
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().t(msg)
}

/// `part / whole` in percent with one decimal, Latin digits, for `data-`
/// attributes; empty when `whole` is 0.
pub fn percent_plain(part: u64, whole: u64) -> String {
    format::percent_plain(part, whole).unwrap_or_default()
}

/// `part / whole` with two decimals, Latin digits, for CSV files; empty when `whole` is 0.
pub fn hundredths_plain(part: u64, whole: u64) -> String {
    format::hundredths_plain(part, whole).unwrap_or_default()
}

// Live updates and history
impl Lang {
    pub fn showing_release(self, version: u64) -> String {
        let v = self.number(version);
        match self {
            Lang::Fa => format!("نسخه‌ی {v} نشان داده می‌شود"),
            Lang::En => format!("Showing release {v}"),
        }
    }

    /// How many witnesses cosigned the release shown, where their names do
    /// not fit (a phone's live line).
    pub fn witnessed_by(self, n: u64) -> String {
        let count = self.number(n);
        match self {
            Lang::Fa => format!("با امضای {count} گواه"),
            Lang::En => format!("witnessed by {count}"),
        }
    }

    pub fn release_title(self, version: u64) -> String {
        let v = self.number(version);
        match self {
            Lang::Fa => format!("نسخه‌ی {v}"),
            Lang::En => format!("Release {v}"),
        }
    }

    /// The time of day a check was made, with seconds.
    pub fn clock(self, t: OffsetDateTime) -> String {
        let two = |n: u8| {
            let s = self.number(u64::from(n));
            if n < 10 {
                format!("{}{s}", self.number(0))
            } else {
                s
            }
        };
        format!("{}:{}:{} \u{2066}(UTC)\u{2069}", two(t.hour()), two(t.minute()), two(t.second()))
    }

    pub fn moved_to_release(self, from: u64, to: u64) -> String {
        let (f, t) = (self.number(from), self.number(to));
        match self {
            Lang::Fa => format!("از نسخه‌ی {f} به نسخه‌ی {t}:"),
            Lang::En => format!("From release {f} to release {t}:"),
        }
    }

    pub fn station_changes(self, added: u64, corrected: u64, withdrawn: u64) -> String {
        let (a, c, w) = (self.number(added), self.number(corrected), self.number(withdrawn));
        match self {
            Lang::Fa => format!("{a} شعبه‌ی تازه گزارش داد، نتیجه‌ی {c} شعبه اصلاح شد، {w} نتیجه پس گرفته شد."),
            Lang::En => format!("{a} stations added, {c} corrected, {w} withdrawn."),
        }
    }

    pub fn cast_before_after(self, before: Option<u64>, after: Option<u64>) -> String {
        let n = |v: Option<u64>| v.map_or_else(|| "—".to_owned(), |v| self.number(v));
        let (b, a) = (n(before), n(after));
        match self {
            Lang::Fa => format!("آرای مأخوذه: {b} ← {a}"),
            Lang::En => format!("ballots cast: {b} → {a}"),
        }
    }

    pub fn refused_release(self, version: u64) -> String {
        if version == 0 {
            return self
                .pick("اشاره‌گر به آخرین نسخه پذیرفته نشد.", "The pointer to the latest release was refused.")
                .to_owned();
        }
        let v = self.number(version);
        match self {
            Lang::Fa => format!("نسخه‌ای که سرور اکنون ارائه می‌کند ({v}) پذیرفته نشد."),
            Lang::En => format!("The release the server now offers ({v}) was refused."),
        }
    }

    /// How far the history view has verified the release log's releases.
    pub fn history_progress(self, p: HistoryProgress) -> String {
        let (v, n) = (self.number(p.version), self.number(p.releases));
        let (d, t) = (self.number(p.provinces_done as u64), self.number(p.provinces as u64));
        match self {
            Lang::Fa => format!("وارسی نسخه‌ی {v} از {n}: {d} از {t} استان بازشماری شد"),
            Lang::En => format!("Verifying release {v} of {n}: {d} of {t} provinces recounted"),
        }
    }

    pub fn log_summary(self, size: u64) -> String {
        let n = self.number(size);
        match self {
            Lang::Fa => format!("دفتر انتشار {n} نسخه دارد؛ چکیده‌ی ریشه:"),
            Lang::En => format!("The release log holds {n} releases; root hash:"),
        }
    }
}

// Maps and charts

impl Lang {
    /// A measured value with `decimals` decimals (a chart's axis, a map's
    /// legend), in this language's digits and decimal separator.
    pub fn fixed(self, v: f64, decimals: usize) -> String {
        let v = if v == 0.0 { 0.0 } else { v };
        let s = format!("{v:.decimals$}");
        match self {
            Lang::Fa => self.digits(&s.replace('.', "٫").replace('-', "−")),
            Lang::En => s.replace('-', "−"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_of_a_download_name_their_unit_once() {
        assert_eq!(Lang::En.bytes_of(113 * 1024, 534 * 1024), "113 of 534 KB");
        assert_eq!(Lang::Fa.bytes_of(113 * 1024, 534 * 1024), "۱۱۳ از ۵۳۴ کیلوبایت");
        // Both in the total's unit, rounded up: a start is not shown as done.
        assert_eq!(Lang::En.bytes_of(300 * 1024, 22 * 1024 * 1024), "1 of 22 MB");
        assert_eq!(Lang::En.bytes_of(0, 22 * 1024 * 1024), "0 of 22 MB");
        assert_eq!(Lang::En.bytes(1536), "2 KB");
    }
}
