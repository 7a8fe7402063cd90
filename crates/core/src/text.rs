//! Rules for the strings a publication may contain.
//!
//! Names come from files and are shown as text, never markup. They may still
//! mislead: a bidirectional override can make "۱۲۳" read as "۳۲۱". So names
//! refuse control characters and explicit bidi controls, while keeping the
//! zero-width non-joiner (U+200C) that Persian spelling needs.

/// Why a string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("contains the control or bidi-override character U+{0:04X}")]
    Control(u32),
    #[error("may contain only ASCII letters, digits, '.', '_' and '-'")]
    IdSyntax,
}

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_ID_CHARS: usize = 64;

/// A display name (Persian or English).
pub fn check_name(s: &str) -> Result<(), TextError> {
    if s.trim().is_empty() {
        return Err(TextError::Empty);
    }
    if s.chars().count() > MAX_NAME_CHARS {
        return Err(TextError::TooLong { max: MAX_NAME_CHARS });
    }
    match s.chars().find(|&c| is_forbidden(c)) {
        Some(c) => Err(TextError::Control(c as u32)),
        None => Ok(()),
    }
}

fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// An identifier: station, contest, candidate, county code.
pub fn check_id(s: &str) -> Result<(), TextError> {
    if s.is_empty() {
        return Err(TextError::Empty);
    }
    if s.len() > MAX_ID_CHARS {
        return Err(TextError::TooLong { max: MAX_ID_CHARS });
    }
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        Ok(())
    } else {
        Err(TextError::IdSyntax)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_persian_zwnj_names() {
        assert_eq!(check_name("علی‌آباد"), Ok(()));
        assert_eq!(check_name("Ali Abad"), Ok(()));
    }

    #[test]
    fn refuses_bidi_overrides_and_controls() {
        assert_eq!(check_name("abc\u{202E}def"), Err(TextError::Control(0x202E)));
        assert_eq!(check_name("a\nb"), Err(TextError::Control(0x0A)));
        assert_eq!(check_name("  "), Err(TextError::Empty));
    }

    #[test]
    fn ids_are_ascii_tokens() {
        assert_eq!(check_id("IR-15-1503-V012"), Ok(()));
        assert_eq!(check_id("a b"), Err(TextError::IdSyntax));
        assert_eq!(check_id("<script>"), Err(TextError::IdSyntax));
    }
}
