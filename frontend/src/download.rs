//! Files the app hands to the browser: CSV (quoted as RFC 4180 asks, with a byte-order mark so
//! that Excel reads Chinese) and images, through one download helper.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Quotes a CSV field when it needs it, and neutralises formula-leading text
/// (`shared::spreadsheet`), since these files are opened in spreadsheets.
pub fn csv_field(value: &str) -> String {
    let value = shared::spreadsheet::safe_cell(value);
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

/// Starts a download of `href` (a data URL) as `filename`.
pub fn download(filename: &str, href: &str) {
    let Ok(anchor) = document().create_element("a") else { return };
    let _ = anchor.set_attribute("href", href);
    let _ = anchor.set_attribute("download", filename);
    if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlElement>() {
        anchor.click();
    }
}

/// Downloads `csv` as a UTF-8 file with a byte-order mark (so that Excel reads Chinese).
pub fn download_csv(filename: &str, csv: &str) {
    let encoded = String::from(js_sys::encode_uri_component(csv));
    download(filename, &format!("data:text/csv;charset=utf-8,%EF%BB%BF{encoded}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("皖西学院"), "皖西学院");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
    }
}
