//! Reading an uploaded file into a header row and data rows of text, with bounds: `.xlsx`
//! (calamine; the first visible sheet, cached values of formulas, merged cells reported) and
//! CSV in UTF-8 (with or without BOM) or GB18030, which Excel on a Chinese Windows writes.

use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xlsx};
use shared::ErrorCode;

use super::FileError;
use crate::service::edit::values::excel_date;

/// Largest total size of an `.xlsx` file's parts once unpacked (a zip bomb stops here).
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// Largest ratio of unpacked to packed size of one part.
pub const MAX_RATIO: u64 = 200;

/// One sheet of text: the header row and the data rows with their 1-based spreadsheet row
/// numbers (empty rows left out).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
    /// Row numbers touched by merged cells (their values are not trustworthy).
    pub merged_rows: Vec<usize>,
    /// Things the reader left out that the user should know (hidden sheets).
    pub notes: Vec<String>,
}

/// Reads a file: `.xlsx` by its zip signature, CSV otherwise.
pub fn read(bytes: &[u8], max_rows: usize) -> Result<Sheet, FileError> {
    if bytes.starts_with(b"PK\x03\x04") { read_xlsx(bytes, max_rows) } else { read_csv(&decode(bytes)?, max_rows) }
}

/// The text of a CSV file: UTF-8 (a BOM is dropped), else GB18030; anything else is refused.
pub fn decode(bytes: &[u8]) -> Result<String, FileError> {
    let unknown = || FileError::new(ErrorCode::UnknownEncoding, "the file is neither UTF-8 nor GB18030 text");
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(unknown());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(unknown)?
            .into_owned(),
    };
    // Binary data and UTF-16 decode to text full of control characters.
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(unknown());
    }
    Ok(text)
}

fn too_many(max_rows: usize) -> FileError {
    FileError::new(ErrorCode::TooManyRows, format!("one import takes at most {max_rows} rows; split the file"))
}

fn read_csv(text: &str, max_rows: usize) -> Result<Sheet, FileError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut sheet = Sheet::default();
    for (index, record) in reader.records().enumerate() {
        let record = record
            .map_err(|error| FileError::new(ErrorCode::UnreadableFile, format!("the CSV is malformed: {error}")))?;
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if index == 0 {
            sheet.headers = cells;
        } else if cells.iter().any(|cell| !cell.trim().is_empty()) {
            if sheet.rows.len() == max_rows {
                return Err(too_many(max_rows));
            }
            sheet.rows.push((index + 1, cells));
        }
    }
    Ok(sheet)
}

/// Refuses an `.xlsx` whose parts would unpack to more than [`MAX_UNPACKED_BYTES`] or whose
/// compression ratio is that of a bomb, before anything is unpacked.
fn check_sizes(bytes: &[u8]) -> Result<(), FileError> {
    let unreadable = |_| FileError::new(ErrorCode::UnreadableFile, "the file is not a readable .xlsx workbook");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(unreadable)?;
        total = total.saturating_add(entry.size());
        if total > MAX_UNPACKED_BYTES || entry.size() > entry.compressed_size().max(1024).saturating_mul(MAX_RATIO) {
            return Err(FileError::new(
                ErrorCode::FileTooLarge,
                format!("the workbook unpacks to more than {} MiB", MAX_UNPACKED_BYTES / 1024 / 1024),
            ));
        }
    }
    Ok(())
}

/// A cell as text: numbers without a trailing `.0`, dates in ISO 8601, formulas by their cached
/// value; an error value (`#DIV/0!`) stays visible so that the row is refused.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => (*number as i64).to_string(),
        Data::Float(number) => number.to_string(),
        Data::Bool(flag) => flag.to_string(),
        Data::DateTime(time) => {
            excel_date(time.as_f64()).map_or_else(|| time.as_f64().to_string(), |date| date.to_string())
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Sheet, FileError> {
    check_sizes(bytes)?;
    let unreadable = |error: calamine::XlsxError| {
        FileError::new(ErrorCode::UnreadableFile, format!("the file is not a readable .xlsx workbook ({error})"))
    };
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let mut sheet = Sheet::default();
    let sheets = workbook.sheets_metadata().to_vec();
    let hidden: Vec<&str> =
        sheets.iter().filter(|s| s.visible != SheetVisible::Visible).map(|s| s.name.as_str()).collect();
    if !hidden.is_empty() {
        sheet.notes.push(format!("hidden sheets were not read: {}", hidden.join(", ")));
    }
    let Some(first) = sheets.iter().find(|s| s.visible == SheetVisible::Visible) else {
        return Err(FileError::new(ErrorCode::UnreadableFile, "the workbook has no visible sheet"));
    };
    if sheets.iter().filter(|s| s.visible == SheetVisible::Visible).count() > 1 {
        sheet.notes.push(format!("only the first sheet, {}, was read", first.name));
    }
    let range = workbook.worksheet_range(&first.name).map_err(unreadable)?;
    if range.height() > max_rows + 1 {
        return Err(too_many(max_rows));
    }
    let (first_row, _) = range.start().unwrap_or((0, 0));
    for (index, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        let number = first_row as usize + index + 1;
        if index == 0 {
            sheet.headers = cells;
        } else if cells.iter().any(|cell| !cell.trim().is_empty()) {
            sheet.rows.push((number, cells));
        }
    }
    for dimensions in workbook.merge_cells_by_sheet_name(&first.name).map_err(unreadable)? {
        sheet.merged_rows.extend((dimensions.start.0..=dimensions.end.0).map(|row| row as usize + 1));
    }
    sheet.merged_rows.sort_unstable();
    sheet.merged_rows.dedup();
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_is_utf8_with_or_without_bom_or_gb18030() {
        assert_eq!(decode("名称\n".as_bytes()).unwrap(), "名称\n");
        assert_eq!(decode(b"\xEF\xBB\xBFname\n").unwrap(), "name\n");
        let (gb, _, _) = encoding_rs::GB18030.encode("企业名称,霍山县\n");
        assert_ne!(&gb[..], "企业名称,霍山县\n".as_bytes());
        assert_eq!(decode(&gb).unwrap(), "企业名称,霍山县\n");
        assert_eq!(decode(b"\xFF\xFEn\x00").unwrap_err().code, ErrorCode::UnknownEncoding);
        assert_eq!(decode(&[0x80, 0x00, 0x01, 0x02]).unwrap_err().code, ErrorCode::UnknownEncoding);
    }

    /// A formula is read by the value the spreadsheet computed and stored with it; a date
    /// cell by its date; a merged region marks its rows.
    #[test]
    fn workbooks_give_cached_formula_values_dates_and_merged_rows() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "职工人数").unwrap();
        sheet.write_string(0, 1, "成立日期").unwrap();
        sheet.write_formula(1, 0, Formula::new("=40+2").set_result("42")).unwrap();
        let date = ExcelDateTime::from_ymd(2021, 3, 5).unwrap();
        sheet.write_datetime_with_format(1, 1, &date, &Format::new().set_num_format("yyyy-mm-dd")).unwrap();
        sheet.merge_range(2, 0, 2, 1, "merged", &Format::new()).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let read = read(&bytes, 10).unwrap();
        assert_eq!(read.rows[0], (2, vec!["42".to_owned(), "2021-03-05".to_owned()]));
        assert_eq!(read.merged_rows, vec![3]);
    }

    #[test]
    fn csv_rows_keep_their_spreadsheet_numbers_and_skip_empty_ones() {
        let sheet = read(b"a,b\n1,2\n,\n3,4\n", 10).unwrap();
        assert_eq!(sheet.headers, ["a", "b"]);
        assert_eq!(sheet.rows, vec![(2, vec!["1".into(), "2".into()]), (4, vec!["3".into(), "4".into()])]);
        assert_eq!(read(b"a\n1\n2\n3\n", 2).unwrap_err().code, ErrorCode::TooManyRows);
    }
}
