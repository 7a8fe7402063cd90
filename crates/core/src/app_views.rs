//! Which of the app's lazily loaded parts draws the view at an address.
//!
//! Two choose it before the view is drawn, from this one table: the app
//! (`preload_view_in_address`, src/app.rs), which starts the part's code
//! while the publication verifies, and the script index.html runs before
//! the app (written by xtask/src/split.rs), which starts it beside the app's
//! own download.

/// An address's path, split at `/`, against a pattern: `*` is any one part,
/// a final `..` any further parts (none included).
pub const VIEWS: &[(&[&str], &str)] = &[
    (&["p", ".."], "places"),
    (&["find", ".."], "places"),
    (&["c", "*"], "council"),
    (&["charts", ".."], "charts"),
    (&["c", "*", "charts"], "charts"),
    (&["verify", ".."], "observer"),
    (&["source", ".."], "observer"),
    (&["history", ".."], "observer"),
    (&["sheet", ".."], "sheet"),
];

/// The part that draws the view at `parts` (the address's path split at
/// `/`, empty parts left out); `None` for the landing page's, which is in
/// the app's first download, and for an address no view has.
pub fn view_of(parts: &[&str]) -> Option<&'static str> {
    VIEWS.iter().find(|(pattern, _)| fits(pattern, parts)).map(|(_, view)| *view)
}

/// Whether `parts` fits `pattern` (see [`VIEWS`]).
fn fits(pattern: &[&str], parts: &[&str]) -> bool {
    let (head, rest) = match pattern.split_last() {
        Some((&"..", head)) => (head, true),
        _ => (pattern, false),
    };
    let length = if rest { parts.len() >= head.len() } else { parts.len() == head.len() };
    length && head.iter().zip(parts).all(|(p, part)| *p == "*" || p == part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_names_the_part_that_draws_it() {
        let cases: [(&[&str], Option<&str>); 12] = [
            (&[], None),
            (&["p", "IR-15"], Some("places")),
            (&["p", "IR-15", "0101"], Some("places")),
            (&["find"], Some("places")),
            (&["c", "IR-15-C1"], Some("council")),
            (&["c", "IR-15-C1", "charts"], Some("charts")),
            (&["c", "IR-15-C1", "other"], None),
            (&["c"], None),
            (&["charts"], Some("charts")),
            (&["history"], Some("observer")),
            (&["sheet", "IR-15-S00001"], Some("sheet")),
            (&["nowhere"], None),
        ];
        for (parts, view) in cases {
            assert_eq!(view_of(parts), view, "{parts:?}");
        }
    }
}
