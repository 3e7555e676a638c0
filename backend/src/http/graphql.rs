//! GraphQL over HTTP, following the GraphQL-over-HTTP specification:
//! - GET runs queries only (405 for a mutation), POST only as `application/json` (415);
//! - `Accept` picks `application/graphql-response+json` or `application/json` (406 otherwise);
//! - request errors (unparsable JSON or document, validation, variable coercion) answer without
//!   `data`: 400 for `application/graphql-response+json`, 200 for `application/json` as the
//!   spec asks for legacy clients; malformed JSON is always 400.

use async_graphql::{
    BatchRequest, BatchResponse, ServerError,
    parser::{parse_query, types::OperationType},
};
use std::net::SocketAddr;

use axum::{
    body::Bytes,
    extract::{ConnectInfo, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use shared::ErrorCode;

use crate::{
    auth::Principal,
    error::ensure_code,
    graphql::{operation, schema},
    service::accounts,
    state::AppState,
};

/// The most operations one batched POST may carry.
pub const MAX_BATCH_SIZE: usize = 10;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const APPLICATION_JSON: &str = "application/json";

/// The media type a response is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }
}

/// Picks the response media type from `Accept`; `None` when nothing acceptable is offered.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    let offered: Vec<&str> = accept.split(',').map(|part| part.split(';').next().unwrap_or_default().trim()).collect();
    if offered.contains(&GRAPHQL_RESPONSE_JSON) {
        Some(MediaType::GraphqlResponseJson)
    } else if offered.iter().any(|media| matches!(*media, APPLICATION_JSON | "*/*" | "application/*" | "")) {
        Some(MediaType::Json)
    } else {
        None
    }
}

fn json_response(status: StatusCode, media: MediaType, body: serde_json::Value) -> Response {
    bytes_response(status, media, body.to_string().into_bytes())
}

fn bytes_response(status: StatusCode, media: MediaType, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, media.header());
    response
}

/// A GraphQL response body, serialised straight from async-graphql's values.
#[derive(serde::Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

/// A response with errors and no `data`.
fn request_error(status: StatusCode, media: MediaType, code: ErrorCode, message: impl Into<String>) -> Response {
    let body =
        serde_json::json!({ "errors": [{ "message": message.into(), "extensions": { "code": code.as_str() } }] });
    json_response(status, media, body)
}

fn not_acceptable() -> Response {
    request_error(
        StatusCode::NOT_ACCEPTABLE,
        MediaType::Json,
        ErrorCode::BadRequest,
        "accept application/graphql-response+json or application/json",
    )
}

/// A GraphQL-shaped error answer (`application/json`), for transports that refuse before
/// any GraphQL runs (the WebSocket upgrade).
pub(super) fn refusal(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    request_error(status, MediaType::Json, code, message)
}

/// Resolves the caller of a transport that answers in `application/json` (the WebSocket
/// upgrade), with the same refusals as GraphQL over HTTP.
pub(super) async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Principal, Response> {
    authenticate(state, headers, MediaType::Json).await
}

/// Resolves the caller; an invalid bearer token is answered with 401.
async fn authenticate(state: &AppState, headers: &HeaderMap, media: MediaType) -> Result<Principal, Response> {
    let (cookie, bearer) = super::credentials(headers);
    match accounts::resolve_principal(&state.db, cookie.as_deref(), bearer.as_deref()).await {
        Ok(principal) => Ok(principal),
        Err(error) if error.code() == ErrorCode::Unauthenticated => {
            let mut response = request_error(
                StatusCode::UNAUTHORIZED,
                media,
                ErrorCode::Unauthenticated,
                "the bearer token is unknown, expired or revoked",
            );
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            Err(response)
        }
        Err(error) if error.code() == ErrorCode::Unavailable => {
            // Credentials cannot be checked without the database: say so at once, so the client
            // retries (anonymous requests still get what the process holds).
            tracing::warn!(?error, "cannot check credentials: the database is unavailable");
            let mut response = request_error(
                StatusCode::SERVICE_UNAVAILABLE,
                media,
                ErrorCode::Unavailable,
                "the database cannot be reached right now; retry shortly",
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            Err(response)
        }
        Err(error) => {
            tracing::error!(?error, "cannot resolve the caller's credentials");
            Err(request_error(StatusCode::INTERNAL_SERVER_ERROR, media, ErrorCode::Internal, "internal server error"))
        }
    }
}

/// `GET /graphql?query=...&variables=...&operationName=...`: queries only.
pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let query = query.unwrap_or_default();
    let has_query = query.split('&').any(|pair| pair.split('=').next() == Some("query"));
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(request) if has_query => request,
        Ok(_) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                ErrorCode::BadRequest,
                "the `query` parameter is missing",
            );
        }
        Err(error) => return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, error.to_string()),
    };
    if is_mutation(&request) {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            ErrorCode::BadRequest,
            "mutations must be sent with POST",
        );
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(&state, &headers, peer, media, BatchRequest::Single(request)).await
}

/// `POST /graphql` with an `application/json` body (one operation or a batch).
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence != APPLICATION_JSON {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            ErrorCode::BadRequest,
            "send GraphQL requests as application/json",
        );
    }
    let batch = match serde_json::from_slice::<serde_json::Value>(&body)
        .map_err(|error| error.to_string())
        .and_then(|value| check_parameters(&value).map(|()| value))
        .and_then(|value| serde_json::from_value::<BatchRequest>(value).map_err(|error| error.to_string()))
    {
        Ok(batch) => batch,
        Err(reason) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                ErrorCode::BadRequest,
                format!("the body is not a GraphQL request: {reason}"),
            );
        }
    };
    if let BatchRequest::Batch(requests) = &batch
        && (requests.is_empty() || requests.len() > MAX_BATCH_SIZE)
    {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            ErrorCode::BadRequest,
            format!("a batch carries 1 to {MAX_BATCH_SIZE} operations"),
        );
    }
    execute(&state, &headers, peer, media, batch).await
}

/// Checks the request parameters' types before deserialising: `query` must be a string,
/// `variables` and `extensions` maps, `operationName` a string (the last three may be null).
/// Without this, a request with a misspelt `query` would run as an empty document.
fn check_parameters(value: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value;
    let check_one = |request: &Value| -> Result<(), String> {
        let Value::Object(fields) = request else {
            return Err("a request is a JSON object".into());
        };
        if !matches!(fields.get("query"), Some(Value::String(_))) {
            return Err("`query` must be a string".into());
        }
        for (name, expect_map) in [("variables", true), ("extensions", true), ("operationName", false)] {
            match (fields.get(name), expect_map) {
                (None | Some(Value::Null), _) | (Some(Value::Object(_)), true) | (Some(Value::String(_)), false) => {}
                _ => return Err(format!("`{name}` has the wrong type")),
            }
        }
        Ok(())
    };
    match value {
        Value::Array(requests) => requests.iter().try_for_each(check_one),
        request => check_one(request),
    }
}

/// Whether the operation a request would run is a mutation. Unparsable documents are left
/// to the executor, which reports them as request errors.
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(document) = parse_query(&request.query) else {
        return false;
    };
    let operation = match &request.operation_name {
        Some(name) => document
            .operations
            .iter()
            .find(|(op_name, _)| op_name.map(|n| n.as_str()) == Some(name.as_str()))
            .map(|(_, op)| op),
        None => document.operations.iter().next().map(|(_, op)| op),
    };
    operation.is_some_and(|operation| operation.node.ty == OperationType::Mutation)
}

async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    media: MediaType,
    mut batch: BatchRequest,
) -> Response {
    // Refused before the caller is resolved, with 400 whatever the media type (the schema
    // checks the same for every transport).
    let too_many_aliases = batch.iter_mut().any(|request| {
        request.parsed_query().is_ok_and(|document| operation::alias_count(document) > schema::MAX_ALIASES)
    });
    if too_many_aliases {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            ErrorCode::BadRequest,
            format!("a document may use at most {} aliases", schema::MAX_ALIASES),
        );
    }
    let principal = match authenticate(state, headers, media).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let meta = super::request_meta(state, headers, peer);
    let execution = schema::Execution {
        schema: &state.schema,
        db: &state.db,
        graph: &state.graph,
        metrics: &state.metrics,
        principal: &principal,
        meta: &meta,
    };
    let response = schema::execute(&execution, batch).await;
    // Headers set by resolvers (the session cookie of `login`/`logout`) go on the HTTP response.
    let mut extra_headers = HeaderMap::new();
    let mut take_headers = |response: &mut async_graphql::Response| {
        for (name, value) in std::mem::take(&mut response.http_headers).iter() {
            extra_headers.append(name.clone(), value.clone());
        }
    };
    let mut http_response = match response {
        BatchResponse::Single(mut response) => {
            take_headers(&mut response);
            let (status, body) = render(response, media);
            let mut http = bytes_response(status, media, body);
            if status == StatusCode::SERVICE_UNAVAILABLE {
                http.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            http
        }
        BatchResponse::Batch(responses) => {
            let mut body = vec![b'['];
            for (index, mut response) in responses.into_iter().enumerate() {
                take_headers(&mut response);
                if index > 0 {
                    body.push(b',');
                }
                body.extend(render(response, media).1);
            }
            body.push(b']');
            bytes_response(StatusCode::OK, media, body)
        }
    };
    http_response.headers_mut().extend(extra_headers);
    http_response
}

/// A request error stops before execution: no data, and errors without a path.
fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

fn unavailable(errors: &[ServerError]) -> bool {
    errors.iter().any(|error| {
        error.extensions.as_ref().and_then(|extensions| extensions.get("code"))
            == Some(&async_graphql::Value::from(ErrorCode::Unavailable.as_str()))
    })
}

/// Whether a response's data holds nothing: null, or only null root fields.
fn nothing_answered(data: &async_graphql::Value) -> bool {
    match data {
        async_graphql::Value::Null => true,
        async_graphql::Value::Object(fields) => fields.values().all(|value| *value == async_graphql::Value::Null),
        _ => false,
    }
}

fn render(response: async_graphql::Response, media: MediaType) -> (StatusCode, Vec<u8>) {
    let request_error = is_request_error(&response);
    let default_code = if request_error { ErrorCode::BadRequest } else { ErrorCode::BadUserInput };
    let errors: Vec<ServerError> = response.errors.into_iter().map(|error| ensure_code(error, default_code)).collect();
    let body =
        Body { data: (!request_error).then_some(&response.data), errors: &errors, extensions: &response.extensions };
    let status = match (request_error, media) {
        (true, MediaType::GraphqlResponseJson) => StatusCode::BAD_REQUEST,
        // Nothing could be answered because the database is away (a write, or a read the
        // process cannot serve from its index): 503, and the caller retries.
        _ if unavailable(&errors) && nothing_answered(&response.data) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::OK,
    };
    // Values and errors always serialise; a failure would be a bug, answered as an internal error.
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|error| {
        tracing::error!(%error, "cannot serialise a response");
        br#"{"errors":[{"message":"internal server error","extensions":{"code":"INTERNAL"}}]}"#.to_vec()
    });
    (status, bytes)
}
