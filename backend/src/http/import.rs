//! Imports for the office's data staff: `POST /import/<table>` takes a `.xlsx` or CSV file as
//! the body (or as the `file` part of a multipart form) and answers the report as JSON —
//! `dryRun=true` only checks, `mode=valid` commits the valid rows and rejects the others,
//! the default commits all rows or none (422 when any row has a problem); `report=xlsx`
//! answers the rejected rows as an `.xlsx` error report instead. `GET /import/<table>/template.xlsx`
//! is the table's template. Needs a session of an editor or administrator (the permission
//! table's `Import`); every import is also written to the audit log.

use std::collections::HashMap;

use axum::{
    body::Body,
    extract::{FromRequest, Multipart, Path, Query, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use shared::{ErrorCode, permissions::Action};

use crate::{
    auth::Principal,
    error::AppError,
    service::{
        accounts, audit,
        edit::Actor,
        import::{self, Mode, files, template},
    },
    state::AppState,
};

/// The largest file an import takes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn problem(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": { "code": code.as_str(), "message": message.into() } });
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::VersionConflict | ErrorCode::RevertBlocked => StatusCode::CONFLICT,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn failure(error: AppError) -> Response {
    let code = error.code();
    match error {
        AppError::BadInput { code, message } => problem(status_of(code), code, message),
        _ if code == ErrorCode::Unavailable => {
            let mut response =
                problem(status_of(code), code, "the database cannot be reached right now; retry shortly");
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
        other => {
            tracing::error!(error = ?other, "import failed");
            problem(status_of(code), code, "internal server error")
        }
    }
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Principal, Response> {
    let (cookie, bearer) = super::credentials(headers);
    accounts::resolve_principal(&state.db, cookie.as_deref(), bearer.as_deref()).await.map_err(failure)
}

/// The file: the multipart form's `file` part, or the body itself. Its name comes from the
/// part, the `fileName` parameter or `X-File-Name`.
async fn file_of(request: Request, params: &HashMap<String, String>) -> Result<(String, Vec<u8>), Response> {
    let too_large = || {
        problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::FileTooLarge,
            format!("an import file has at most {} MiB", MAX_FILE_BYTES / 1024 / 1024),
        )
    };
    let named = params
        .get("fileName")
        .cloned()
        .or_else(|| request.headers().get("x-file-name").and_then(|value| value.to_str().ok()).map(str::to_owned));
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    if multipart {
        let mut form = Multipart::from_request(request, &())
            .await
            .map_err(|_| problem(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, "the form cannot be read"))?;
        while let Some(field) = form.next_field().await.map_err(|_| too_large())? {
            if field.name() == Some("file") {
                let name = field.file_name().map(str::to_owned).or(named).unwrap_or_else(|| "upload".to_owned());
                let bytes = field.bytes().await.map_err(|_| too_large())?;
                return Ok((name, bytes.to_vec()));
            }
        }
        return Err(problem(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, "the form has no `file` part"));
    }
    let bytes = axum::body::to_bytes(request.into_body(), MAX_FILE_BYTES).await.map_err(|_| too_large())?;
    Ok((named.unwrap_or_else(|| "upload".to_owned()), bytes.to_vec()))
}

/// `POST /import/<table>`.
pub async fn import(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    Path(table): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let principal = match caller(&state, &headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let user = match principal.require(Action::Import) {
        Ok((user, _)) => user.clone(),
        Err(error) => return failure(error),
    };
    if import::table(&table).is_none() {
        let tables: Vec<&str> = import::TABLES.iter().filter_map(|record| record.export).collect();
        return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("tables are {}", tables.join(", ")));
    }
    let flag = |name: &str| params.get(name).is_some_and(|value| value == "true" || value == "1");
    let mode = match (flag("dryRun"), params.get("mode").map(String::as_str)) {
        (true, _) => Mode::DryRun,
        (false, None | Some("all")) => Mode::Commit,
        (false, Some("valid")) => Mode::CommitValid,
        (false, Some(other)) => {
            let message = format!("`mode` is all or valid, not `{other}`");
            return problem(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message);
        }
    };
    let xlsx_report = params.get("report").is_some_and(|value| value == "xlsx");
    let (file_name, bytes) = match file_of(request, &params).await {
        Ok(file) => file,
        Err(response) => return response,
    };
    let actor = Actor::of(&user);
    // The name is only recorded; a long one is cut.
    let file_name: String = file_name.chars().filter(|c| !c.is_control()).take(255).collect();
    let run = import::Request { table: &table, file_name, bytes: &bytes, mode, max_rows: import::MAX_ROWS };
    let report = match import::run(&state.db, &state.changes, &actor, run).await {
        Ok(report) => report,
        Err(error) => return failure(error),
    };
    if report.committed {
        let details = serde_json::json!({
            "table": report.table, "fileName": report.file_name, "digest": report.digest,
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "rejected": report.rejected, "importId": report.import_id,
        });
        if let Err(error) =
            audit::record(&state.db, &principal, &super::request_meta(&state, &headers, peer), "import", details, "ok")
                .await
        {
            tracing::error!(?error, "cannot write the audit log");
        }
    }
    if xlsx_report {
        let sheet = match files::read(&bytes, import::MAX_ROWS) {
            Ok(sheet) => sheet,
            Err(error) => return failure(error.into()),
        };
        return match template::error_report(&sheet, &report.problems) {
            Ok(workbook) => (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(XLSX)),
                    (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"rejected.xlsx\"")),
                ],
                Body::from(workbook),
            )
                .into_response(),
            Err(error) => failure(error),
        };
    }
    let status =
        if report.rejected > 0 && mode == Mode::Commit { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, axum::Json(report)).into_response()
}

/// `GET /import/<table>/template.xlsx`: public, like the column names it shows.
pub async fn template(Path(table): Path<String>) -> Response {
    let Some(record) = import::table(&table) else {
        return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, "no such import table");
    };
    match template::workbook(record) {
        Ok(workbook) => {
            let disposition = format!("attachment; filename=\"{table}-template.xlsx\"");
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(XLSX)),
                    (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).expect("an ASCII name")),
                ],
                Body::from(workbook),
            )
                .into_response()
        }
        Err(error) => failure(error),
    }
}
