//! CSV downloads of the verified figures a reader is looking at.
//!
//! RFC 4180 (quoted where needed, CRLF line ends), UTF-8 with a byte order
//! mark so that spreadsheet programs read Persian names correctly. Numbers
//! are raw (Latin digits, no grouping). Text from the files is data: a cell
//! that a spreadsheet would run as a formula is prefixed with `'`.

use wasm_bindgen::JsCast;

/// A CSV document being written.
#[derive(Debug, Clone)]
pub struct Csv {
    text: String,
}

impl Default for Csv {
    fn default() -> Self {
        Csv { text: String::from('\u{FEFF}') }
    }
}

impl Csv {
    pub fn new() -> Csv {
        Csv::default()
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            push_cell(&mut self.text, cell.as_ref());
        }
        self.text.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.text
    }
}

fn push_cell(out: &mut String, cell: &str) {
    // What spreadsheet programs would take as the start of a formula.
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || cell.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

/// Offers `text` to the reader as a file download named `file_name`.
pub fn download(file_name: &str, text: &str) {
    // Failing here means the browser refused a blob or a link: nothing to tell
    // beyond the download not starting.
    let _ = try_download(file_name, text);
}

fn try_download(file_name: &str, text: &str) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.set_hidden(true);
    let body = document.body()?;
    body.append_child(&link).ok()?;
    link.click();
    link.remove();
    // Revoked later: the download reads the blob after this function returns.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Some(())
}

/// A file name made of safe characters only.
pub fn file_name(parts: &[&str]) -> String {
    let stem: String = parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .collect();
    format!("{stem}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_with_a_byte_order_mark_and_ends_rows_with_crlf() {
        let mut csv = Csv::new();
        csv.row(["name_fa", "votes"]);
        csv.row(["کمال‌آباد", "12"]);
        assert_eq!(csv.finish(), "\u{FEFF}name_fa,votes\r\nکمال‌آباد,12\r\n");
    }

    #[test]
    fn quotes_separators_and_quotes() {
        let mut csv = Csv::new();
        csv.row(["a,b", "say \"hi\"", "line\nbreak"]);
        assert_eq!(csv.finish(), "\u{FEFF}\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\"\r\n");
    }

    #[test]
    fn defuses_cells_a_spreadsheet_would_run() {
        let mut csv = Csv::new();
        csv.row(["=HYPERLINK(\"x\")", "@SUM(A1)", "12"]);
        assert_eq!(csv.finish(), "\u{FEFF}\"'=HYPERLINK(\"\"x\"\")\",\"'@SUM(A1)\",12\r\n");
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_name(&["shafaf", "IR-15", "", "councils"]), "shafaf-IR-15-councils.csv");
        assert_eq!(file_name(&["a/b c"]), "a_b_c.csv");
    }
}
