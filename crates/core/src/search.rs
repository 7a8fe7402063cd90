//! Finding places by name, the way people type them.
//!
//! Persian text is written with several encodings of the same letters: Arabic
//! yeh and kaf (ي ك ى) beside the Persian ones (ی ک), with or without the
//! zero-width non-joiner (U+200C) between the parts of a word (خرم‌آباد,
//! خرمآباد, خرم آباد), with or without diacritics and tatweel. English names
//! come with and without hyphens and accents (Darb-e Gonbad, Khorram Abad,
//! Khorramabad). [`normalize`] folds all of these to one spelling, and
//! [`SearchIndex`] matches a query against prefixes and substrings of the
//! folded names, ignoring spaces, so that every variant finds the same place.
//!
//! Pure and allocation-light: the app builds one index per verified election
//! and queries it on every keystroke.

/// A name or query folded for comparison: Arabic letter forms to Persian,
/// diacritics, tatweel and joiners removed, Persian and Arabic digits to
/// ASCII, lowercase, accents stripped, and every run of spaces, hyphens and
/// punctuation folded to one space, trimmed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A separator is written only between two words, never first or twice.
    let mut pending_space = false;
    // ASCII and the Arabic block (which has no case) need no lookup in
    // Unicode's tables, which a phone's browser runs slowly, to lowercase.
    let lower = |c: char| {
        let plain = c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c);
        let (one, many) = if plain { (Some(c.to_ascii_lowercase()), None) } else { (None, Some(c.to_lowercase())) };
        one.into_iter().chain(many.into_iter().flatten())
    };
    for c in text.chars().flat_map(lower) {
        match fold(c) {
            Folded::Drop => {}
            Folded::Separator => pending_space = !out.is_empty(),
            Folded::Char(c) => {
                if std::mem::take(&mut pending_space) {
                    out.push(' ');
                }
                out.push(c);
            }
            Folded::Str(s) => {
                if std::mem::take(&mut pending_space) {
                    out.push(' ');
                }
                out.push_str(s);
            }
        }
    }
    out
}

/// [`normalize`] without the spaces: `Khorram Abad`, `Khorramabad` and
/// `khorram-abad` are all `khorramabad`.
pub fn compact(text: &str) -> String {
    normalize(text).chars().filter(|c| *c != ' ').collect()
}

enum Folded {
    Drop,
    Separator,
    Char(char),
    Str(&'static str),
}

fn fold(c: char) -> Folded {
    use Folded::*;
    match c {
        // Most of any name, answered first.
        'a'..='z' | '0'..='9' => Char(c),
        // Joiners, marks of direction, soft hyphen, byte order mark, tatweel.
        '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{00AD}' | '\u{FEFF}' | '\u{0640}' => Drop,
        // Arabic diacritics (harakat, shadda, sukun, hamza marks), superscript
        // alef, Quranic annotation marks; combining marks of Latin letters.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0300}'..='\u{036F}' => Drop,
        // Apostrophes join the parts of a transliterated word (Ma'mulan).
        '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '`' | '\u{00B4}' => Drop,
        // Arabic yeh, alef maksura, yeh with hamza, and Pashto/Uyghur forms of yeh.
        '\u{064A}' | '\u{0649}' | '\u{0626}' | '\u{06CD}' | '\u{06D0}' => Char('ی'),
        // Arabic kaf.
        '\u{0643}' => Char('ک'),
        // Teh marbuta, heh with yeh above, ae.
        '\u{0629}' | '\u{06C0}' | '\u{06D5}' => Char('ه'),
        // Alef with madda, with hamza above or below, wasla.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => Char('ا'),
        // Waw with hamza.
        '\u{0624}' => Char('و'),
        // Persian and Arabic-Indic digits.
        '\u{06F0}'..='\u{06F9}' => Char(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        '\u{0660}'..='\u{0669}' => Char(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        // The other Arabic letters, and the Persian ones: kept.
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | 'پ' | 'چ' | 'ژ' | 'ک' | 'گ' | 'ی' => Char(c),
        c if c.is_alphanumeric() => match latin_base(c) {
            Some(base) => Str(base),
            None => Char(c),
        },
        // Spaces, hyphens, dashes, punctuation: all separate words alike.
        _ => Separator,
    }
}

/// The unaccented letters of a lowercase accented Latin letter (Latin-1
/// Supplement and Latin Extended-A, which transliterations use).
fn latin_base(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// How well a name matches a query; better matches sort first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The whole name.
    Exact,
    /// The beginning of the name.
    Prefix,
    /// The beginning of a word inside the name (`Abad` in `Kamal Abad`).
    WordPrefix,
    /// Anywhere inside the name.
    Substring,
}

/// A folded name: its compact form, and where each of its words begins in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    compact: String,
    word_starts: Vec<usize>,
}

impl Key {
    fn of(name: &str) -> Key {
        let mut compact = String::with_capacity(name.len());
        let mut word_starts = Vec::new();
        for word in normalize(name).split(' ') {
            word_starts.push(compact.len());
            compact.push_str(word);
        }
        Key { compact, word_starts }
    }

    fn matches(&self, query: &str) -> Option<MatchKind> {
        if query.is_empty() {
            return None;
        }
        if self.compact == query {
            Some(MatchKind::Exact)
        } else if self.compact.starts_with(query) {
            Some(MatchKind::Prefix)
        } else if self.word_starts.iter().any(|&i| self.compact[i..].starts_with(query)) {
            Some(MatchKind::WordPrefix)
        } else if self.compact.contains(query) {
            Some(MatchKind::Substring)
        } else {
            None
        }
    }
}

/// Items findable by one or more names (e.g. the Persian and the English).
#[derive(Debug, Clone)]
pub struct SearchIndex<T> {
    entries: Vec<(T, Vec<Key>)>,
}

impl<T> Default for SearchIndex<T> {
    fn default() -> Self {
        SearchIndex { entries: Vec::new() }
    }
}

/// One item found, and how well it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a, T> {
    pub item: &'a T,
    pub kind: MatchKind,
}

impl<T> SearchIndex<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an item under its names. Among equally good matches, items added
    /// first come first.
    pub fn add<'n>(&mut self, item: T, names: impl IntoIterator<Item = &'n str>) {
        self.entries.push((item, names.into_iter().map(Key::of).collect()));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The items one of whose names matches `query`, best matches first
    /// (exact, then prefix, word prefix, substring), then in the order they
    /// were added. An empty query (after folding) finds nothing.
    pub fn search(&self, query: &str) -> Vec<Hit<'_, T>> {
        search_all([self], query)
    }
}

/// [`SearchIndex::search`] over several indexes as if they were one, their
/// items added in the order the indexes come: an index can then be rebuilt
/// alone when only its part changes.
pub fn search_all<'a, T: 'a>(indexes: impl IntoIterator<Item = &'a SearchIndex<T>>, query: &str) -> Vec<Hit<'a, T>> {
    let query = compact(query);
    let mut hits: Vec<Hit<'a, T>> = indexes
        .into_iter()
        .flat_map(|index| &index.entries)
        .filter_map(|(item, keys)| keys.iter().filter_map(|k| k.matches(&query)).min().map(|kind| Hit { item, kind }))
        .collect();
    // A stable sort keeps the order of addition among equals.
    hits.sort_by_key(|h| h.kind);
    hits
}

/// A filter for tables: whether `text` (any names, ids) contains `query`,
/// both folded and compared without spaces. An empty query matches everything.
pub fn contains(text: &str, query: &str) -> bool {
    let query = compact(query);
    query.is_empty() || compact(text).contains(&query)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the shortcuts in [`normalize`] and [`fold`] assume of Unicode.
    #[test]
    fn shortcuts_answer_as_unicode_does() {
        for c in (0..0x80).chain(0x600..0x700).filter_map(char::from_u32) {
            assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [c.to_ascii_lowercase()], "{c:?}");
        }
        let kept = ('a'..='z').chain('0'..='9').chain('\u{0621}'..='\u{063A}').chain('\u{0641}'..='\u{064A}');
        for c in kept.chain(['پ', 'چ', 'ژ', 'ک', 'گ', 'ی']) {
            assert!(c.is_alphanumeric() && latin_base(c).is_none(), "{c:?}");
        }
    }

    #[test]
    fn folds_arabic_letter_forms_to_persian() {
        assert_eq!(normalize("علي آباد"), normalize("علی آباد"));
        assert_eq!(normalize("كوهدشت"), "کوهدشت");
        assert_eq!(normalize("موسى"), "موسی");
        assert_eq!(normalize("رئيس"), "رییس");
        assert_eq!(normalize("مدرسة"), "مدرسه");
        assert_eq!(normalize("آباد"), "اباد");
    }

    #[test]
    fn removes_zwnj_tatweel_and_diacritics() {
        assert_eq!(normalize("خرم\u{200C}آباد"), "خرماباد");
        assert_eq!(normalize("خرمـــآباد"), "خرماباد");
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("\u{200F}دلفان\u{200E}"), "دلفان");
    }

    #[test]
    fn folds_spaces_hyphens_and_case() {
        assert_eq!(normalize("  Darb-e   Gonbad-e Vosta "), "darb e gonbad e vosta");
        assert_eq!(normalize("KHORRAM—ABAD"), "khorram abad");
        assert_eq!(normalize("Ma'mulan"), "mamulan");
        assert_eq!(compact("Khorram Abad"), "khorramabad");
        assert_eq!(compact("خرم آباد"), compact("خرم\u{200C}آباد"));
        assert_eq!(normalize("-"), "");
    }

    #[test]
    fn strips_latin_accents() {
        assert_eq!(normalize("Šāh Ābād"), "sah abad");
        assert_eq!(normalize("Ärzeh Ö"), "arzeh o");
        assert_eq!(normalize("e\u{0301}"), "e");
    }

    #[test]
    fn folds_persian_and_arabic_digits() {
        assert_eq!(normalize("۱۲۳"), "123");
        assert_eq!(normalize("٤٥"), "45");
    }

    fn index() -> SearchIndex<&'static str> {
        let mut index = SearchIndex::new();
        index.add("khorramabad-city", ["خرم‌آباد", "Khorramabad"]);
        index.add("kamal-abad-1", ["کمال‌آباد", "Kamal Abad"]);
        index.add("kamal-abad-bala", ["کمال‌آباد بالا", "Kamal Abad-e Bala"]);
        index.add("kamal-abad-2", ["کمال‌آباد", "Kamal Abad"]);
        index.add("shah-abad", ["شاه‌آباد", "Shah Abad"]);
        index.add("khorramabad-county", ["خرم آباد", "Khorramabad"]);
        index
    }

    fn found(index: &SearchIndex<&'static str>, query: &str) -> Vec<(&'static str, MatchKind)> {
        index.search(query).into_iter().map(|h| (*h.item, h.kind)).collect()
    }

    #[test]
    fn finds_every_spelling_of_a_persian_name() {
        let index = index();
        for query in ["خرم‌آباد", "خرمآباد", "خرم آباد", "خرم اباد", "خرمـآباد"] {
            assert_eq!(
                found(&index, query),
                [("khorramabad-city", MatchKind::Exact), ("khorramabad-county", MatchKind::Exact)],
                "{query}"
            );
        }
        // Arabic kaf and yeh, no ZWNJ.
        let arabic = found(&index, "كمالآباد");
        assert_eq!(arabic[..2], [("kamal-abad-1", MatchKind::Exact), ("kamal-abad-2", MatchKind::Exact)]);
        assert_eq!(arabic[2], ("kamal-abad-bala", MatchKind::Prefix));
    }

    #[test]
    fn finds_english_names_by_prefix_and_word() {
        let index = index();
        assert_eq!(found(&index, "khorram")[0], ("khorramabad-city", MatchKind::Prefix));
        assert_eq!(found(&index, "KHORRAM ABAD")[0], ("khorramabad-city", MatchKind::Exact));
        assert_eq!(found(&index, "bala"), [("kamal-abad-bala", MatchKind::WordPrefix)]);
        let abad = found(&index, "abad");
        assert!(abad.iter().all(|(_, kind)| *kind != MatchKind::Exact));
        // Word prefixes (Kamal Abad) come before substrings (Khorramabad).
        let first_substring = abad.iter().position(|(_, k)| *k == MatchKind::Substring).unwrap();
        assert!(abad[..first_substring].iter().all(|(_, k)| *k == MatchKind::WordPrefix));
        assert!(abad[first_substring..].iter().any(|(item, _)| *item == "khorramabad-city"));
    }

    #[test]
    fn ranks_exact_before_prefix_before_substring() {
        let mut index = SearchIndex::new();
        index.add(1, ["Deh Now Abad"]);
        index.add(2, ["Abadeh"]);
        index.add(3, ["Abad"]);
        assert_eq!(
            found_numbers(&index, "abad"),
            [(3, MatchKind::Exact), (2, MatchKind::Prefix), (1, MatchKind::WordPrefix)]
        );
        assert_eq!(
            found_numbers(&index, "bad"),
            [(1, MatchKind::Substring), (2, MatchKind::Substring), (3, MatchKind::Substring)]
        );
    }

    #[test]
    fn indexes_searched_together_rank_as_one() {
        let names = [(1, "Kamal Abad"), (2, "Abad"), (3, "Deh Abad"), (4, "Abadeh"), (5, "Khorramabad")];
        let mut whole = SearchIndex::new();
        let mut parts = [SearchIndex::new(), SearchIndex::new(), SearchIndex::new()];
        for (i, (n, name)) in names.into_iter().enumerate() {
            whole.add(n, [name]);
            parts[i % 3].add(n, [name]);
        }
        // In order of addition: part 0 holds 1 and 4, so split that way the
        // order differs; split in blocks it is the same.
        let mut blocks = [SearchIndex::new(), SearchIndex::new()];
        for (i, (n, name)) in names.into_iter().enumerate() {
            blocks[usize::from(i >= 2)].add(n, [name]);
        }
        for query in ["abad", "bad", "deh", "kamal", ""] {
            assert_eq!(search_all(&blocks, query), whole.search(query), "{query}");
        }
        let kinds = |hits: Vec<Hit<'_, i32>>| hits.into_iter().map(|h| h.kind).collect::<Vec<_>>();
        assert_eq!(kinds(search_all(&parts, "abad")), kinds(whole.search("abad")));
    }

    fn found_numbers(index: &SearchIndex<i32>, query: &str) -> Vec<(i32, MatchKind)> {
        index.search(query).into_iter().map(|h| (*h.item, h.kind)).collect()
    }

    #[test]
    fn empty_queries_find_nothing() {
        let index = index();
        assert!(found(&index, "").is_empty());
        assert!(found(&index, " - \u{200C} ").is_empty());
        assert!(found(&index, "tehran").is_empty());
    }

    #[test]
    fn table_filter_ignores_spelling_variants() {
        assert!(contains("کمال‌آباد Kamal Abad IR-15-1503-V12", "كمال اباد"));
        assert!(contains("کمال‌آباد Kamal Abad", ""));
        assert!(contains("Station IR-15-S00042", "s00042"));
        assert!(!contains("کمال‌آباد", "شاه"));
    }
}
