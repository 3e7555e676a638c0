//! The HTTP surface: `/graphql` (queries and mutations), `/graphql/ws` (subscriptions over
//! graphql-transport-ws), `/healthz`, and the built web app at `/` (client-side routes fall
//! back to its `index.html`). Every response carries an `x-request-id`; requests time out
//! after 30 seconds.

mod export;
mod graphql;
mod import;
mod playground;
pub mod web_app;
mod ws;

use std::{path::Path, time::Duration};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderMap, HeaderValue, Request, header},
    routing::get,
};
use tower::ServiceBuilder;
use tower_http::{
    LatencyUnit,
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};

use crate::state::AppState;

pub use graphql::MAX_BATCH_SIZE;

/// The largest request body accepted; larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// How long a request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or_default();
    tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
}

/// The caller's credentials: a bearer token (`Authorization: Bearer ...`) or the session cookie.
pub(crate) fn credentials(headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned());
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == crate::service::accounts::SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned());
    (cookie, bearer)
}

/// Who sent a request and its ID, for the audit log and the login limiter.
pub(crate) fn request_meta(
    state: &AppState,
    headers: &HeaderMap,
    peer: std::net::SocketAddr,
) -> crate::auth::RequestMeta {
    crate::auth::RequestMeta {
        client_address: client_address(headers, peer.ip(), &state.trusted_proxies).to_string(),
        request_id: headers.get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned(),
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` (read from the right, past further trusted proxies) — entries
/// further left are whatever the client claimed, so they are never taken over a proxy's word.
fn client_address(headers: &HeaderMap, peer: std::net::IpAddr, trusted: &[std::net::IpAddr]) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut nearest = peer;
    for entry in forwarded.iter().rev() {
        let Ok(address) = entry.parse::<std::net::IpAddr>() else { break };
        nearest = address;
        if !trusted.contains(&address) {
            break;
        }
    }
    nearest
}

/// `GET /metrics`.
async fn metrics(axum::extract::State(state): axum::extract::State<AppState>) -> impl axum::response::IntoResponse {
    let body = state.metrics.render(&state.db, &state.graph);
    ([(axum::http::header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body)
}

/// `GET /readyz`: ready when the database answers and the process follows the change feed
/// (so its graph index is current); 503 with `Retry-After` otherwise, so that a load balancer
/// sends requests elsewhere until the process has caught up by itself.
async fn ready(axum::extract::State(state): axum::extract::State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    use sea_orm::ConnectionTrait;
    let backend = state.db.get_database_backend();
    let not_ready = |reason: &'static str| {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "2")], reason).into_response()
    };
    if let Err(error) = state.db.query_one_raw(sea_orm::Statement::from_string(backend, "SELECT 1")).await {
        tracing::warn!(%error, "database not ready");
        return not_ready("database unavailable");
    }
    if !state.changes.is_following() {
        return not_ready("not following the change feed");
    }
    (axum::http::StatusCode::OK, "ready").into_response()
}

/// Builds the router.
pub fn router(state: AppState, static_dir: Option<&Path>) -> Router {
    let api = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/export/{file}", get(export::export))
        .route(
            "/import/{table}",
            axum::routing::post(import::import).layer(DefaultBodyLimit::max(import::MAX_FILE_BYTES)),
        )
        .route("/import/{table}/template.xlsx", get(import::template))
        .route("/metrics", get(metrics))
        .route("/playground", get(playground::page))
        .route("/playground/{file}", get(playground::file))
        .route_layer(axum::middleware::from_fn_with_state(state.metrics.clone(), crate::metrics::track))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    let app = match static_dir {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            api.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => api.fallback(web_app::serve),
    };
    with_layers(app)
}

/// The layers every response passes through: request IDs, tracing, panics caught, compression,
/// security headers, the timeout.
fn with_layers(app: Router) -> Router {
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http().make_span_with(request_span).on_response(
                    DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Millis),
                ),
            )
            .layer(PropagateRequestIdLayer::x_request_id())
            // A panic anywhere becomes a 500 with the code and the request ID, never a dropped
            // connection.
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(CompressionLayer::new())
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
            .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
            .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT)),
    )
}

/// The content security policy of every response that does not set its own (the playground
/// does): the app's own scripts, styles and WebAssembly, connections to this origin only, no
/// framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// The answer to a request whose handler panicked: GraphQL-shaped, so GraphQL clients read the
/// code; the cause is logged (the request ID is added by the surrounding layers).
fn panic_response(cause: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let detail = cause
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| cause.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    tracing::error!(panic = detail, "a request handler panicked");
    let body = serde_json::json!({
        "errors": [{ "message": "internal server error", "extensions": { "code": shared::ErrorCode::Internal.as_str() } }]
    });
    (axum::http::StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "application/json")], body.to_string())
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, routing::get};
    use tower::ServiceExt;

    use super::*;

    #[test]
    fn the_client_address_is_taken_from_trusted_proxies_only() {
        let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.9"));
        // Not a trusted proxy: its header is the client's claim.
        assert_eq!(client_address(&headers, proxy, &[]), proxy);
        // A trusted proxy's last entry is the address it saw; earlier entries are claims.
        assert_eq!(client_address(&headers, proxy, &[proxy]).to_string(), "203.0.113.9");
        // Past a chain of trusted proxies.
        let inner: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(client_address(&headers, proxy, &[proxy, inner]).to_string(), "6.6.6.6");
        // Garbage stops the walk at the last good address.
        headers.insert("x-forwarded-for", HeaderValue::from_static("not an address"));
        assert_eq!(client_address(&headers, proxy, &[proxy]), proxy);
    }

    /// A handler that panics answers 500 with the `INTERNAL` code and the request ID; the
    /// connection is not dropped.
    #[tokio::test]
    async fn a_panic_becomes_an_internal_error_with_the_request_id() {
        async fn broken() -> &'static str {
            panic!("a bug")
        }
        let app = with_layers(Router::new().route("/broken", get(broken)));
        let request = axum::http::Request::builder().uri("/broken").body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().contains_key("x-request-id"));
        let body = axum::body::to_bytes(response.into_body(), 10_000).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
    }
}
