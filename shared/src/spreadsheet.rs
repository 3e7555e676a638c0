//! Text for spreadsheets: a cell that starts like a formula (`=`, `+`, `-`, `@`, a tab or a
//! carriage return) is run by Excel or LibreOffice when the file is opened, so a note such as
//! `=HYPERLINK(…)` could act on the reader's machine (CSV injection, see OWASP). Exports and the
//! web app's downloads prefix such text with an apostrophe, which spreadsheets show as text.

use std::borrow::Cow;

/// The characters a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// `text` as a spreadsheet shows it verbatim: formula-leading text gets a leading apostrophe.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::safe_cell;

    #[test]
    fn formula_leading_text_is_neutralised_and_the_rest_left_alone() {
        assert_eq!(safe_cell("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        for text in ["+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_cell(text).starts_with('\''), "{text:?}");
        }
        for text in ["皖西学院", "2024-01-01", "", "a=b"] {
            assert_eq!(safe_cell(text), text);
        }
    }
}
