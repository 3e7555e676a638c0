//! Tabular exports for BI tools: `GET /export/<table>.csv` or `.jsonl` (streamed), or `.xlsx`
//! for Excel users (built whole, up to Excel's row limit). This module is the
//! transport: it parses the request, resolves the caller, and encodes the rows that
//! `service::export` streams (columns and filters from the record declarations, with the
//! caller's rights). Query parameters: `filter` (the GraphQL filter input of the table as JSON;
//! for `graph_nodes` and `graph_edges` the `GraphFilter`), `columns` (comma-separated, in order;
//! default every column the caller may read), `header` (`names`, the default, or `zh`/`en`: the
//! columns' declared labels in the CSV header row, for people) and `bom=true` (a UTF-8
//! byte-order mark for Excel). Column names are stable and listed in docs/bi.md.

use std::collections::HashMap;

use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use shared::ErrorCode;

use crate::{
    error::AppError,
    service::{accounts, export},
    state::AppState,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    JsonLines,
    /// A workbook for Excel users: built whole (at most [`MAX_XLSX_ROWS`] rows), not streamed.
    Xlsx,
}

/// Most rows an `.xlsx` export holds (Excel's sheets end at 1,048,576 rows).
const MAX_XLSX_ROWS: usize = 1_048_575;

fn problem(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": { "code": code.as_str(), "message": message.into() } });
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// The response for an error of the export service.
fn failure(error: AppError) -> Response {
    let status = match error.code() {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    match error {
        AppError::BadInput { code, message } => problem(status, code, message),
        other if other.code() == ErrorCode::Unavailable => {
            let mut response = problem(status, other.code(), "the database cannot be reached right now; retry shortly");
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
        other => {
            tracing::error!(error = ?other, "export failed");
            problem(status, other.code(), "internal server error")
        }
    }
}

/// `GET /export/<table>.<csv|jsonl>`.
pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some((table, extension)) = file.rsplit_once('.') else {
        return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, "ask for /export/<table>.csv, .jsonl or .xlsx");
    };
    let format = match extension {
        "csv" => Format::Csv,
        "jsonl" => Format::JsonLines,
        "xlsx" => Format::Xlsx,
        _ => return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, "formats are csv, jsonl and xlsx"),
    };
    if !export::tables().iter().any(|(name, _)| *name == table) {
        let tables: Vec<&str> = export::tables().into_iter().map(|(name, _)| name).collect();
        return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("tables are {}", tables.join(", ")));
    }

    // Each export holds a database connection for as long as it streams; the rest of the API
    // keeps the other half of the pool.
    let Ok(permit) = state.exports.clone().try_acquire_owned() else {
        let mut response = problem(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::RateLimited,
            "too many exports are running; retry in a few seconds",
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return response;
    };
    // Once the body streams, its status is sent: a database that cannot be reached is found
    // out first (503 with Retry-After), not by a table cut short.
    if let Err(error) = state.db.ping().await {
        return failure(AppError::from(error));
    }
    let (cookie, bearer) = super::credentials(&headers);
    let principal = match accounts::resolve_principal(&state.db, cookie.as_deref(), bearer.as_deref()).await {
        Ok(principal) => principal,
        Err(error) if error.code() == ErrorCode::Unauthenticated => {
            return problem(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated,
                "the bearer token is unknown, expired or revoked",
            );
        }
        Err(error) => return failure(error),
    };
    let header = match params.get("header").map(String::as_str) {
        None | Some("names") => export::Header::Names,
        Some("zh") => export::Header::Zh,
        Some("en") => export::Header::En,
        Some(other) => {
            let message = format!("`header` is names, zh or en, not `{other}`");
            return problem(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message);
        }
    };
    let request = export::Request {
        table,
        filter: params.get("filter").map(String::as_str),
        columns: params.get("columns").map(|list| list.split(',').map(str::trim).collect()),
        header,
        read: principal.read_level(),
    };
    let export::Export { columns, header, text, rows: receiver } = match export::start(&state.db, &state.graph, request)
    {
        Ok(export) => export,
        Err(error) => return failure(error),
    };

    let bom = params.get("bom").is_some_and(|value| value == "true" || value == "1");
    if format == Format::Xlsx {
        let counter = state.metrics.export_counter(table);
        return workbook(table, &header, &text, receiver, counter, permit).await;
    }
    let encoder = Encoder { format, columns, text, rows: state.metrics.export_counter(table), _permit: permit };
    let mut first = Vec::new();
    if format == Format::Csv {
        if bom {
            first.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
        }
        let header: Vec<String> = header.iter().map(|label| (*label).to_owned()).collect();
        first.extend(csv_line(&header));
    }
    let lines =
        futures_util::stream::unfold((receiver, Some(first), encoder), |(mut receiver, header, encoder)| async move {
            if let Some(header) = header {
                return Some((Ok::<_, std::io::Error>(header), (receiver, None, encoder)));
            }
            let mut rows = Vec::with_capacity(CHUNK_ROWS);
            if receiver.recv_many(&mut rows, CHUNK_ROWS).await == 0 {
                return None;
            }
            let mut chunk = Vec::with_capacity(rows.len() * 128);
            for row in rows {
                match row {
                    Ok(cells) => encoder.encode(cells, &mut chunk),
                    // The response is cut short, so clients see the failure instead of a partial table.
                    Err(message) => return Some((Err(std::io::Error::other(message)), (receiver, None, encoder))),
                }
            }
            Some((Ok(chunk), (receiver, None, encoder)))
        });
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        _ => "application/x-ndjson; charset=utf-8",
    };
    // Fused: a compressing layer may poll once more after the end, which `unfold` forbids.
    let mut response = Response::new(Body::from_stream(futures_util::StreamExt::fuse(lines)));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{table}.{extension}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// An `.xlsx` export: the header row, then the rows; whole numbers in columns that are not
/// free text are numbers, everything else text (free text neutralised for spreadsheets), so
/// that the file imports back unchanged.
async fn workbook(
    table: &str,
    header: &[&'static str],
    text: &[bool],
    mut receiver: export::Rows,
    counter: prometheus_client::metrics::counter::Counter,
    _permit: tokio::sync::OwnedSemaphorePermit,
) -> Response {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let failed =
        |error: rust_xlsxwriter::XlsxError| failure(AppError::internal(format!("cannot write the workbook: {error}")));
    for (col, label) in header.iter().enumerate() {
        if let Err(error) = sheet.write_string(0, col as u16, *label) {
            return failed(error);
        }
    }
    let mut row = 0_u32;
    while let Some(cells) = receiver.recv().await {
        let cells = match cells {
            Ok(cells) => cells,
            Err(message) => return failure(AppError::internal(message)),
        };
        row += 1;
        if row as usize > MAX_XLSX_ROWS {
            let message = format!("an .xlsx export holds at most {MAX_XLSX_ROWS} rows; filter it or export CSV");
            return problem(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BadUserInput, message);
        }
        counter.inc();
        for (col, (cell, free_text)) in cells.iter().zip(text).enumerate() {
            let written = match cell.parse::<i64>() {
                Ok(number) if !free_text && !cell.starts_with('0') || cell == "0" => {
                    sheet.write_number(row, col as u16, number as f64).map(|_| ())
                }
                _ if *free_text => {
                    sheet.write_string(row, col as u16, shared::spreadsheet::safe_cell(cell)).map(|_| ())
                }
                _ => sheet.write_string(row, col as u16, cell).map(|_| ()),
            };
            if let Err(error) = written {
                return failed(error);
            }
        }
    }
    match book.save_to_buffer() {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            );
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{table}.xlsx\"")) {
                response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => failed(error),
    }
}

/// Rows encoded into one chunk of the response body.
const CHUNK_ROWS: usize = 256;

/// Turns rows of cells into lines of the chosen format.
struct Encoder {
    format: Format,
    /// Free-text columns, neutralised for spreadsheets in CSV.
    text: Vec<bool>,
    columns: Vec<&'static str>,
    rows: prometheus_client::metrics::counter::Counter,
    /// Held while the body streams; released when it ends or the client goes away.
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Encoder {
    fn encode(&self, cells: Vec<String>, out: &mut Vec<u8>) {
        self.rows.inc();
        match self.format {
            Format::Csv => {
                let cells: Vec<String> = cells
                    .into_iter()
                    .zip(&self.text)
                    .map(|(cell, text)| if *text { shared::spreadsheet::safe_cell(&cell).into_owned() } else { cell })
                    .collect();
                out.extend(csv_line(&cells))
            }
            Format::JsonLines | Format::Xlsx => {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(cells)
                    .map(|(c, v)| ((*c).to_owned(), serde_json::Value::String(v)))
                    .collect();
                if serde_json::to_writer(&mut *out, &object).is_ok() {
                    out.push(b'\n');
                }
            }
        }
    }
}

fn csv_line(cells: &[String]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    let _ = writer.write_record(cells);
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::service::export;

    /// docs/bi.md is where BI users read the column names; it must list exactly these.
    #[test]
    fn the_bi_guide_lists_every_table_with_its_columns() {
        let guide = include_str!("../../../docs/bi.md");
        for (table, columns) in export::tables() {
            let row = format!("| {table} | {} |", columns.join(", "));
            assert!(guide.lines().any(|line| line == row), "docs/bi.md lacks the row `{row}`");
        }
    }
}
