//! Plausible Persian names, with English transliterations, for the demo's
//! cities, villages and candidates.
//!
//! Names are built from small word lists in the patterns Iranian place names
//! and family names follow (`علی‌آباد` Ali Abad, `چشمه سفید` Cheshmeh-ye
//! Sefid, `قلعه رستم سفلی` Qaleh-ye Rostam-e Sofla; `کریم‌زاده` Karimzadeh).
//! Every name is invented: none is meant to be a real place or person.

use std::collections::BTreeSet;

use rand::Rng;

/// The zero-width non-joiner Persian spelling puts between the parts of a
/// compound when the first part would otherwise join the second.
const ZWNJ: char = '\u{200C}';

/// A name in both scripts, before it becomes a [`crate::model::Name`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pair {
    pub fa: String,
    pub en: String,
}

impl Pair {
    fn new(fa: impl Into<String>, en: impl Into<String>) -> Self {
        Self { fa: fa.into(), en: en.into() }
    }
}

/// Joins two Persian words into one compound: directly after a letter that
/// never joins the next one (ا د ذ ر ز ژ و), with a ZWNJ otherwise, so
/// `محمد`+`آباد` is `محمدآباد` and `علی`+`آباد` is `علی‌آباد`.
pub(crate) fn join_fa(first: &str, second: &str) -> String {
    let non_joining = matches!(first.chars().last(), Some('ا' | 'آ' | 'د' | 'ذ' | 'ر' | 'ز' | 'ژ' | 'و' | 'ة' | 'ء'));
    let mut out = String::with_capacity(first.len() + second.len() + 3);
    out.push_str(first);
    if !non_joining {
        out.push(ZWNJ);
    }
    out.push_str(second);
    out
}

/// The English ezafe after a word: `-ye` after a vowel, including the
/// silent final h of Cheshmeh or Tappeh (Cheshmeh-ye), `-e` after a
/// consonant, including the sounded h of Deh, Kuh or Chah (Deh-e, Kuhdasht-e).
fn ezafe(en: &str) -> &'static str {
    let last = en.rsplit([' ', '-']).next().unwrap_or(en);
    let silent_h = last.len() > 3 && last.ends_with("eh");
    if silent_h || last.ends_with(['a', 'e', 'i', 'o', 'u']) {
        "-ye"
    } else {
        "-e"
    }
}

/// Given names that also make place names (Ali Abad, Qaleh-ye Rostam).
const PERSONS: &[(&str, &str)] = &[
    ("علی", "Ali"),
    ("حسین", "Hossein"),
    ("حسن", "Hasan"),
    ("محمد", "Mohammad"),
    ("احمد", "Ahmad"),
    ("رحیم", "Rahim"),
    ("کریم", "Karim"),
    ("قاسم", "Qasem"),
    ("جعفر", "Jafar"),
    ("عباس", "Abbas"),
    ("نصیر", "Nasir"),
    ("امیر", "Amir"),
    ("مراد", "Morad"),
    ("رستم", "Rostam"),
    ("بهرام", "Bahram"),
    ("حیدر", "Heydar"),
    ("یوسف", "Yusef"),
    ("ابراهیم", "Ebrahim"),
    ("اسماعیل", "Esmail"),
    ("محمود", "Mahmud"),
    ("شاه", "Shah"),
    ("میرزا", "Mirza"),
    ("حاجی", "Haji"),
    ("نظر", "Nazar"),
    ("خداداد", "Khodadad"),
    ("کاظم", "Kazem"),
    ("صادق", "Sadeq"),
    ("سلیمان", "Soleyman"),
    ("داوود", "Davud"),
    ("نور", "Nur"),
    ("فیروز", "Firuz"),
    ("خسرو", "Khosrow"),
    ("جهان", "Jahan"),
    ("دولت", "Dowlat"),
    ("نجف", "Najaf"),
    ("رضا", "Reza"),
    ("یزدان", "Yazdan"),
    ("بابا", "Baba"),
    ("ملک", "Malek"),
    ("سلطان", "Soltan"),
    ("حمزه", "Hamzeh"),
    ("مؤمن", "Momen"),
    ("اکبر", "Akbar"),
    ("کمال", "Kamal"),
    ("منصور", "Mansur"),
];

/// Words for a place, with the ezafe-ready English form.
const FEATURES: &[(&str, &str)] = &[
    ("ده", "Deh"),
    ("قلعه", "Qaleh"),
    ("چشمه", "Cheshmeh"),
    ("چاه", "Chah"),
    ("سر", "Sar"),
    ("باغ", "Bagh"),
    ("کوه", "Kuh"),
    ("تنگ", "Tang"),
    ("دره", "Darreh"),
    ("چم", "Cham"),
    ("کهریز", "Kahriz"),
    ("سراب", "Sarab"),
    ("تپه", "Tappeh"),
    ("بند", "Band"),
    ("پل", "Pol"),
    ("چغا", "Chogha"),
    ("کلاته", "Kalateh"),
    ("رباط", "Robat"),
    ("برج", "Borj"),
    ("گردنه", "Gardaneh"),
];

const ADJECTIVES: &[(&str, &str)] = &[
    ("نو", "Now"),
    ("کهنه", "Kohneh"),
    ("سفید", "Sefid"),
    ("سیاه", "Siah"),
    ("سرخ", "Sorkh"),
    ("بزرگ", "Bozorg"),
    ("کوچک", "Kuchak"),
    ("شیرین", "Shirin"),
    ("گرم", "Garm"),
    ("سبز", "Sabz"),
    ("زرد", "Zard"),
    ("میانه", "Mianeh"),
    ("خشک", "Khoshk"),
    ("بلند", "Boland"),
    ("سنگی", "Sangi"),
    ("انجیر", "Anjir"),
];

/// Qualifiers that tell apart places of the same name (upper, lower, ...).
const QUALIFIERS: &[(&str, &str)] =
    &[("علیا", "Olya"), ("سفلی", "Sofla"), ("وسطی", "Vosta"), ("بالا", "Bala"), ("پایین", "Pain")];

/// Single-word place names.
const PLACES: &[(&str, &str)] = &[
    ("زاغه", "Zagheh"),
    ("ویسیان", "Veysian"),
    ("سپیددشت", "Sepiddasht"),
    ("کونانی", "Kunani"),
    ("گراب", "Garab"),
    ("چقابل", "Choqabal"),
    ("هفت‌چشمه", "Haft Cheshmeh"),
    ("درب‌گنبد", "Darb-e Gonbad"),
    ("سرابدوره", "Sarab Dowreh"),
    ("شول‌آباد", "Shul Abad"),
    ("بیرانشهر", "Biranshahr"),
    ("کاکاوند", "Kakavand"),
    ("فیروزان", "Firuzan"),
    ("نورشهر", "Nurshahr"),
    ("گلستانه", "Golestaneh"),
    ("سیاهکل", "Siahkal"),
    ("ونایی", "Vanai"),
    ("اشترینان", "Oshtorinan"),
    ("مرگسر", "Margsar"),
    ("پیرده", "Pirdeh"),
    ("خاوه", "Khaveh"),
    ("کمندان", "Kamandan"),
    ("سرکان", "Sarkan"),
    ("لاشگرد", "Lashgerd"),
];

/// Invents a place name. Draws again (with a qualifier, then freely) until
/// it finds one not in `taken`, and records it there.
pub(crate) fn place(rng: &mut impl Rng, taken: &mut BTreeSet<String>) -> Pair {
    loop {
        let base = place_base(rng);
        if taken.insert(base.fa.clone()) {
            return base;
        }
        let qualified = qualify(rng, &base);
        if taken.insert(qualified.fa.clone()) {
            return qualified;
        }
    }
}

fn pick<'a>(rng: &mut impl Rng, list: &'a [(&'a str, &'a str)]) -> (&'a str, &'a str) {
    list[rng.gen_range(0..list.len())]
}

fn place_base(rng: &mut impl Rng) -> Pair {
    match rng.gen_range(0..100u32) {
        // Ali Abad, Mohammad Abad: the commonest pattern of all.
        0..=34 => {
            let (fa, en) = pick(rng, PERSONS);
            Pair::new(join_fa(fa, "آباد"), format!("{en} Abad"))
        }
        // Cheshmeh-ye Sefid
        35..=59 => {
            let (ffa, fen) = pick(rng, FEATURES);
            let (afa, aen) = pick(rng, ADJECTIVES);
            Pair::new(format!("{ffa} {afa}"), format!("{fen}{} {aen}", ezafe(fen)))
        }
        // Qaleh-ye Rostam
        60..=84 => {
            let (ffa, fen) = pick(rng, FEATURES);
            let (pfa, pen) = pick(rng, PERSONS);
            Pair::new(format!("{ffa} {pfa}"), format!("{fen}{} {pen}", ezafe(fen)))
        }
        _ => {
            let (fa, en) = pick(rng, PLACES);
            Pair::new(fa, en)
        }
    }
}

fn qualify(rng: &mut impl Rng, base: &Pair) -> Pair {
    let (qfa, qen) = pick(rng, QUALIFIERS);
    Pair::new(format!("{} {qfa}", base.fa), format!("{}{} {qen}", base.en, ezafe(&base.en)))
}

/// A county seat's neighbourhood-style variant, e.g. `Kuhdasht-e Sofla`.
pub(crate) fn qualified(rng: &mut impl Rng, base: &Pair, taken: &mut BTreeSet<String>) -> Option<Pair> {
    for _ in 0..QUALIFIERS.len() * 2 {
        let q = qualify(rng, base);
        if taken.insert(q.fa.clone()) {
            return Some(q);
        }
    }
    None
}

const MEN: &[(&str, &str)] = &[
    ("محمد", "Mohammad"),
    ("علی", "Ali"),
    ("حسین", "Hossein"),
    ("حسن", "Hasan"),
    ("رضا", "Reza"),
    ("مهدی", "Mehdi"),
    ("احمد", "Ahmad"),
    ("امیر", "Amir"),
    ("جواد", "Javad"),
    ("مجید", "Majid"),
    ("سعید", "Saeid"),
    ("حمید", "Hamid"),
    ("مصطفی", "Mostafa"),
    ("ابراهیم", "Ebrahim"),
    ("اکبر", "Akbar"),
    ("یوسف", "Yusef"),
    ("کریم", "Karim"),
    ("داوود", "Davud"),
    ("فرهاد", "Farhad"),
    ("بهروز", "Behruz"),
    ("مرتضی", "Morteza"),
    ("محسن", "Mohsen"),
    ("عباس", "Abbas"),
    ("قاسم", "Qasem"),
    ("هادی", "Hadi"),
    ("وحید", "Vahid"),
    ("بهزاد", "Behzad"),
    ("کامران", "Kamran"),
    ("نادر", "Nader"),
    ("رحیم", "Rahim"),
    ("ایرج", "Iraj"),
    ("منصور", "Mansur"),
    ("صادق", "Sadeq"),
    ("یعقوب", "Yaqub"),
    ("اسماعیل", "Esmail"),
    ("مسعود", "Masud"),
    ("محمدرضا", "Mohammadreza"),
    ("علیرضا", "Alireza"),
    ("امیرحسین", "Amirhossein"),
    ("غلامرضا", "Qolamreza"),
    ("نصرالله", "Nasrollah"),
    ("کیومرث", "Kiumars"),
    ("بیژن", "Bijan"),
    ("جمشید", "Jamshid"),
    ("سهراب", "Sohrab"),
    ("پرویز", "Parviz"),
    ("خلیل", "Khalil"),
    ("ناصر", "Naser"),
];

const WOMEN: &[(&str, &str)] = &[
    ("فاطمه", "Fatemeh"),
    ("زهرا", "Zahra"),
    ("مریم", "Maryam"),
    ("معصومه", "Masumeh"),
    ("زینب", "Zeynab"),
    ("سمیه", "Somayeh"),
    ("لیلا", "Leyla"),
    ("نرگس", "Narges"),
    ("الهام", "Elham"),
    ("مهناز", "Mahnaz"),
    ("فرزانه", "Farzaneh"),
    ("سارا", "Sara"),
    ("مینا", "Mina"),
    ("شهلا", "Shahla"),
    ("پروین", "Parvin"),
    ("طاهره", "Tahereh"),
    ("اعظم", "Azam"),
    ("نسرین", "Nasrin"),
    ("منیژه", "Manizheh"),
    ("رقیه", "Roqayeh"),
    ("آزاده", "Azadeh"),
    ("شیرین", "Shirin"),
    ("ژیلا", "Zhila"),
    ("نازنین", "Nazanin"),
    ("صدیقه", "Sediqeh"),
    ("عاطفه", "Atefeh"),
    ("راضیه", "Raziyeh"),
    ("فرشته", "Fereshteh"),
    ("مهین", "Mahin"),
    ("اکرم", "Akram"),
];

/// Roots of family names: `Karim` gives Karimi, Karimzadeh, Karimpur, ...
const SURNAME_ROOTS: &[(&str, &str)] = &[
    ("احمد", "Ahmad"),
    ("کریم", "Karim"),
    ("رحیم", "Rahim"),
    ("حسن", "Hasan"),
    ("حسین", "Hossein"),
    ("جعفر", "Jafar"),
    ("قاسم", "Qasem"),
    ("کاظم", "Kazem"),
    ("محمود", "Mahmud"),
    ("مراد", "Morad"),
    ("رستم", "Rostam"),
    ("بهرام", "Bahram"),
    ("کمال", "Kamal"),
    ("جمال", "Jamal"),
    ("نجف", "Najaf"),
    ("امیر", "Amir"),
    ("نصیر", "Nasir"),
    ("هاشم", "Hashem"),
    ("سلیم", "Salim"),
    ("منصور", "Mansur"),
    ("صادق", "Sadeq"),
    ("رشید", "Rashid"),
    ("مجید", "Majid"),
    ("یوسف", "Yusef"),
    ("داوود", "Davud"),
    ("اسکندر", "Eskandar"),
    ("اکبر", "Akbar"),
    ("اصغر", "Asghar"),
    ("حیدر", "Heydar"),
    ("کرم", "Karam"),
    ("خداداد", "Khodadad"),
    ("رسول", "Rasul"),
    ("سلطان", "Soltan"),
    ("زمان", "Zaman"),
    ("فرهاد", "Farhad"),
    ("عباس", "Abbas"),
    ("ابراهیم", "Ebrahim"),
    ("نوروز", "Nowruz"),
    ("شریف", "Sharif"),
    ("عزیز", "Aziz"),
    ("نظر", "Nazar"),
    ("بهمن", "Bahman"),
    ("طاهر", "Taher"),
    ("قربان", "Qorban"),
    ("رمضان", "Ramezan"),
    ("صفر", "Safar"),
    ("غلام", "Qolam"),
];

const SURNAME_SUFFIXES: &[(&str, &str)] = &[
    ("ی", "i"),
    ("ی", "i"),
    ("زاده", "zadeh"),
    ("پور", "pur"),
    ("نژاد", "nezhad"),
    ("وند", "vand"),
    ("نیا", "nia"),
    ("فر", "far"),
    ("لو", "lu"),
];

const SURNAMES: &[(&str, &str)] = &[
    ("موسوی", "Musavi"),
    ("رضایی", "Rezaei"),
    ("میرزایی", "Mirzaei"),
    ("شیرازی", "Shirazi"),
    ("تهرانی", "Tehrani"),
    ("بختیاری", "Bakhtiari"),
    ("لرستانی", "Lorestani"),
    ("کردی", "Kordi"),
    ("ترکمان", "Torkaman"),
    ("بلوچی", "Baluchi"),
    ("طباطبایی", "Tabatabai"),
    ("صالحی", "Salehi"),
    ("نوری", "Nuri"),
    ("سبزواری", "Sabzevari"),
    ("دهقان", "Dehqan"),
];

fn surname(rng: &mut impl Rng) -> Pair {
    if rng.gen_range(0..6u32) == 0 {
        let (fa, en) = pick(rng, SURNAMES);
        return Pair::new(fa, en);
    }
    let (rfa, ren) = pick(rng, SURNAME_ROOTS);
    let (sfa, sen) = pick(rng, SURNAME_SUFFIXES);
    // Persian writes the -i ending straight on; the others are compounds.
    let fa = if sfa == "ی" { format!("{rfa}{sfa}") } else { join_fa(rfa, sfa) };
    Pair::new(fa, format!("{ren}{sen}"))
}

/// Invents a candidate's name; `woman_percent` of them are women's names.
/// Draws again until the name is not in `taken`, and records it there.
pub(crate) fn person(rng: &mut impl Rng, woman_percent: u32, taken: &mut BTreeSet<String>) -> Pair {
    loop {
        let woman = rng.gen_range(0..100u32) < woman_percent;
        let (gfa, gen) = if woman { pick(rng, WOMEN) } else { pick(rng, MEN) };
        let sayyid = !woman && rng.gen_range(0..10u32) == 0;
        let last = surname(rng);
        let (fa, en) = if sayyid {
            (format!("سید {gfa} {}", last.fa), format!("Seyyed {gen} {}", last.en))
        } else {
            (format!("{gfa} {}", last.fa), format!("{gen} {}", last.en))
        };
        if taken.insert(fa.clone()) {
            return Pair::new(fa, en);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn compounds_use_zwnj_only_after_a_joining_letter() {
        assert_eq!(join_fa("علی", "آباد"), "علی\u{200C}آباد");
        assert_eq!(join_fa("محمد", "آباد"), "محمدآباد");
        assert_eq!(join_fa("کریم", "زاده"), "کریم\u{200C}زاده");
    }

    #[test]
    fn ezafe_follows_the_last_sound() {
        assert_eq!(ezafe("Cheshmeh"), "-ye");
        assert_eq!(ezafe("Deh"), "-e");
        assert_eq!(ezafe("Kuhdasht"), "-e");
        assert_eq!(ezafe("Chogha"), "-ye");
        assert_eq!(ezafe("Chah"), "-e");
    }

    #[test]
    fn generated_names_are_unique_and_valid_text() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let mut taken = BTreeSet::new();
        for _ in 0..600 {
            let p = place(&mut rng, &mut taken);
            crate::text::check_name(&p.fa).unwrap();
            crate::text::check_name(&p.en).unwrap();
        }
        assert_eq!(taken.len(), 600);
        let mut people = BTreeSet::new();
        for _ in 0..3000 {
            let p = person(&mut rng, 25, &mut people);
            crate::text::check_name(&p.fa).unwrap();
            assert!(p.en.is_ascii(), "{}", p.en);
        }
        assert_eq!(people.len(), 3000);
    }
}
