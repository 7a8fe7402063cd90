//! Every word the app shows, in Persian (first) and English, and the way
//! numbers and dates are written in each. Views ask [`Lang`] for text; none
//! writes a user-facing string of its own.

mod format;

use leptos::prelude::*;
use shafaf_core::model::Name;
use shafaf_core::Finding;
use time::OffsetDateTime;

use crate::load::{LoadError, Progress};

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

    pub fn bytes(self, n: u64) -> String {
        const KIB: u64 = 1024;
        const MIB: u64 = 1024 * KIB;
        if n >= MIB {
            format!("{} {}", self.number(n.div_ceil(MIB)), self.pick("مگابایت", "MB"))
        } else {
            format!("{} {}", self.number(n.div_ceil(KIB)), self.pick("کیلوبایت", "KB"))
        }
    }

    pub fn progress(self, progress: Progress) -> String {
        match progress {
            Progress::Config => self.t(Msg::FetchingConfig).to_owned(),
            Progress::Metadata => self.t(Msg::FetchingMetadata).to_owned(),
            Progress::Files { files_done, files_total, bytes_done, bytes_total } => {
                let (a, b) = (self.number(files_done as u64), self.number(files_total as u64));
                let (x, y) = (self.bytes(bytes_done), self.bytes(bytes_total));
                match self {
                    Lang::Fa => format!("دریافت پرونده‌ها: {a} از {b} پرونده، {x} از {y}"),
                    Lang::En => format!("Downloading files: {a} of {b}, {x} of {y}"),
                }
            }
            Progress::Verifying => self.t(Msg::Verifying).to_owned(),
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
            "overflow" => ("عددی بیش از حد بزرگ", "A count is too large"),
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
    ReleaseVersion,
    Issued,
    Expires,
    RootFingerprint,
    FullFingerprint,
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
    AllProvinces,
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
}

impl Msg {
    /// (Persian, English).
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Msg::AppName => ("شفاف", "Shafaf"),
            Msg::Tagline => (
                "نتایج انتخابات شوراهای شهر و روستا، وارسی‌شده در مرورگر شما",
                "City and village council election results, verified in your browser",
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
                "به این نتایج اعتماد نکنید: بخشی از انتشار وارسی نشد، پس هیچ رقمی نشان داده نمی‌شود.",
                "Do not trust these results: part of the publication did not verify, so no figures are shown.",
            ),
            Msg::Expired => ("منقضی", "Expired"),
            Msg::ExpiredExplained => (
                "اعتبار این انتشار گذشته است؛ آن را آخرین نتایج ندانید. هیچ رقمی نشان داده نمی‌شود.",
                "This release is no longer current; do not treat it as the latest results. No figures are shown.",
            ),
            Msg::ReleaseVersion => ("نسخه‌ی انتشار", "Release version"),
            Msg::Issued => ("تاریخ انتشار", "Issued"),
            Msg::Expires => ("اعتبار تا", "Expires"),
            Msg::RootFingerprint => ("اثر انگشت ریشه‌ی اعتماد", "Trust root fingerprint"),
            Msg::FullFingerprint => ("اثر انگشت کامل (SHA-256)", "Full fingerprint (SHA-256)"),
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
            Msg::AllProvinces => ("همه‌ی استان‌های این انتشار", "All provinces in this release"),
            Msg::ByProvince => ("به تفکیک استان", "By province"),
            Msg::ByCounty => ("به تفکیک شهرستان", "By county"),
            Msg::Province => ("استان", "Province"),
            Msg::County => ("شهرستان", "County"),
            Msg::Contests => ("شوراها", "Contests"),
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
        }
    }
}

/// The language signal, provided by the app.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// `part / whole` in percent with one decimal, Latin digits, for `data-`
/// attributes; empty when `whole` is 0.
pub fn percent_plain(part: u64, whole: u64) -> String {
    format::percent_plain(part, whole).unwrap_or_default()
}
