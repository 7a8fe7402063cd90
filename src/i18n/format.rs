//! Digits, grouping and calendars, by ICU4X with its compiled CLDR data:
//! Persian digits and separators and the Solar Hijri calendar for `fa`,
//! Latin digits and the Gregorian calendar for `en`.
//!
//! Size, measured on this app's release build (opt-level z, LTO, wasm-opt -Oz),
//! same code otherwise: 644,737 bytes of wasm with hand-written digits and
//! Jalali arithmetic, 677,000 bytes with `icu_decimal` + `icu_calendar` 2.4
//! and their compiled data: 32 KB more for CLDR-correct numbers
//! and a maintained calendar, well inside the budget. Month names are not
//! worth `icu_datetime`; the twelve of each calendar are below.

use std::cell::OnceCell;

use fixed_decimal::Decimal;
use icu_calendar::cal::Persian;
use icu_decimal::DecimalFormatter;
use icu_locale_core::locale;

thread_local! {
    // Building a formatter looks its data up; the page formats thousands of numbers.
    static FA: OnceCell<Option<DecimalFormatter>> = const { OnceCell::new() };
    static EN: OnceCell<Option<DecimalFormatter>> = const { OnceCell::new() };
}

fn format_decimal(fa: bool, value: &Decimal) -> String {
    let cell = if fa { &FA } else { &EN };
    cell.with(|cell| {
        let formatter = cell.get_or_init(|| {
            let prefs = if fa { locale!("fa").into() } else { locale!("en").into() };
            DecimalFormatter::try_new(prefs, Default::default()).ok()
        });
        match formatter {
            Some(f) => f.format(value).to_string(),
            // Compiled data holds both locales; plain digits are the safe fallback.
            None => value.to_string(),
        }
    })
}

pub fn integer_fa(n: u64) -> String {
    format_decimal(true, &Decimal::from(n))
}

pub fn integer_en(n: u64) -> String {
    format_decimal(false, &Decimal::from(n))
}

/// `part / whole` in tenths of a percent, rounded half up; `None` when `whole` is 0.
fn tenths_of_percent(part: u64, whole: u64) -> Option<u64> {
    scaled(part, whole, 1000)
}

/// `part / whole × scale`, rounded half up; `None` when `whole` is 0.
fn scaled(part: u64, whole: u64, scale: u64) -> Option<u64> {
    if whole == 0 {
        return None;
    }
    let value = (u128::from(part) * u128::from(scale) * 2 + u128::from(whole)) / (u128::from(whole) * 2);
    u64::try_from(value).ok()
}

/// `part / whole` with two decimals (e.g. votes per ballot), in each script.
pub fn hundredths(fa: bool, part: u64, whole: u64) -> Option<String> {
    let mut value = Decimal::from(scaled(part, whole, 100)?);
    value.multiply_pow10(-2);
    Some(format_decimal(fa, &value))
}

/// The value `hundredths` shows, in Latin digits without grouping.
pub fn hundredths_plain(part: u64, whole: u64) -> Option<String> {
    let h = scaled(part, whole, 100)?;
    Some(format!("{}.{:02}", h / 100, h % 100))
}

fn one_decimal(fa: bool, tenths: u64) -> String {
    let mut value = Decimal::from(tenths);
    value.multiply_pow10(-1);
    format_decimal(fa, &value)
}

pub fn percent_fa(part: u64, whole: u64) -> Option<String> {
    Some(format!("{}٪", one_decimal(true, tenths_of_percent(part, whole)?)))
}

pub fn percent_en(part: u64, whole: u64) -> Option<String> {
    Some(format!("{}%", one_decimal(false, tenths_of_percent(part, whole)?)))
}

/// The value `percent_*` shows, in Latin digits, for `data-` attributes.
pub fn percent_plain(part: u64, whole: u64) -> Option<String> {
    let t = tenths_of_percent(part, whole)?;
    Some(format!("{}.{}", t / 10, t % 10))
}

/// A Solar Hijri date: year, month (1–12), day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jalali {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub fn to_jalali(date: time::Date) -> Option<Jalali> {
    let iso = icu_calendar::Date::try_new_iso(date.year(), u8::from(date.month()), date.day()).ok()?;
    let persian = iso.to_calendar(Persian);
    Some(Jalali { year: persian.year().extended_year(), month: persian.month().ordinal, day: persian.day_of_month().0 })
}

const JALALI_MONTHS: [&str; 12] =
    ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

const GREGORIAN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn date_fa(date: time::Date) -> String {
    let Some(j) = to_jalali(date) else {
        return date_en(date);
    };
    let month = JALALI_MONTHS[usize::from(j.month.clamp(1, 12) - 1)];
    // Years are written without a thousands separator.
    let year: String = j.year.to_string().chars().map(|c| c.to_digit(10).map_or(c, persian_digit)).collect();
    format!("{} {month} {year}", integer_fa(u64::from(j.day)))
}

pub fn persian_digit(d: u32) -> char {
    char::from_u32(0x06F0 + d).unwrap_or('?')
}

pub fn date_en(date: time::Date) -> String {
    let month = GREGORIAN_MONTHS[usize::from(u8::from(date.month()) - 1)];
    format!("{} {month} {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn groups_digits_in_each_script() {
        assert_eq!(integer_en(0), "0");
        assert_eq!(integer_en(1_234_567), "1,234,567");
        assert_eq!(integer_fa(1_234_567), "۱٬۲۳۴٬۵۶۷");
        assert_eq!(integer_fa(999), "۹۹۹");
    }

    #[test]
    fn rounds_percentages_to_one_decimal() {
        assert_eq!(percent_en(1, 3).as_deref(), Some("33.3%"));
        assert_eq!(percent_en(2, 3).as_deref(), Some("66.7%"));
        assert_eq!(percent_en(1, 1).as_deref(), Some("100.0%"));
        assert_eq!(percent_fa(1, 8).as_deref(), Some("۱۲٫۵٪"));
        assert_eq!(percent_en(5, 0), None);
        assert_eq!(percent_plain(1, 1).as_deref(), Some("100.0"));
    }

    #[test]
    fn writes_two_decimals() {
        assert_eq!(hundredths(false, 287, 100).as_deref(), Some("2.87"));
        assert_eq!(hundredths(false, 3, 1).as_deref(), Some("3.00"));
        assert_eq!(hundredths(false, 2, 3).as_deref(), Some("0.67"));
        assert_eq!(hundredths(true, 5, 2).as_deref(), Some("۲٫۵۰"));
        assert_eq!(hundredths_plain(2, 3).as_deref(), Some("0.67"));
        assert_eq!(hundredths_plain(1, 0), None);
    }

    #[test]
    fn converts_known_dates_to_jalali() {
        let cases = [
            (date!(2025 - 03 - 21), (1404, 1, 1)),
            (date!(2025 - 03 - 20), (1403, 12, 30)),
            (date!(2021 - 06 - 18), (1400, 3, 28)),
            (date!(2026 - 06 - 12), (1405, 3, 22)),
            (date!(1979 - 02 - 11), (1357, 11, 22)),
            (date!(2024 - 03 - 20), (1403, 1, 1)),
            (date!(2024 - 03 - 19), (1402, 12, 29)),
            (date!(2017 - 05 - 19), (1396, 2, 29)),
            (date!(2025 - 09 - 22), (1404, 6, 31)),
            (date!(2025 - 09 - 23), (1404, 7, 1)),
            (date!(2026 - 03 - 20), (1404, 12, 29)),
            (date!(2026 - 03 - 21), (1405, 1, 1)),
        ];
        for (g, (year, month, day)) in cases {
            assert_eq!(to_jalali(g), Some(Jalali { year, month, day }), "{g}");
        }
    }

    #[test]
    fn writes_dates_in_each_calendar() {
        assert_eq!(date_fa(date!(2021 - 06 - 18)), "۲۸ خرداد ۱۴۰۰");
        assert_eq!(date_en(date!(2021 - 06 - 18)), "18 June 2021");
    }
}
