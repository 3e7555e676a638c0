//! GraphQL over WebSocket (graphql-transport-ws, and the older graphql-ws) at `/graphql/ws`,
//! under the same rules as HTTP:
//! - the caller is the session cookie sent with the upgrade (only from an allowed `Origin`: the
//!   server's own, or one listed with `--allowed-origin`), a bearer token sent with the upgrade,
//!   or a token in `connection_init` (`{"authorization": "Bearer …"}`), which replaces them;
//! - every operation runs through `schema::execute_one`/`schema::subscribe`: the alias cap,
//!   depth and complexity limits, request-scoped loaders, metrics and, for mutations, the
//!   audit log; queries and mutations time out like HTTP requests; messages are as large as an
//!   HTTP body at most; every error carries a code.

use std::{
    net::SocketAddr,
    sync::{Arc, OnceLock},
};

use async_graphql::{Executor, Request, Response, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{ConnectInfo, State, WebSocketUpgrade},
    http::{HeaderMap, StatusCode, header},
    response::Response as HttpResponse,
};
use futures_util::{StreamExt, stream::BoxStream};
use shared::ErrorCode;

use crate::{
    auth::Principal,
    error::ensure_code,
    graphql::{
        operation::OperationSummary,
        schema::{self, Session},
    },
    service::accounts,
    state::AppState,
};

/// `GET /graphql/ws`: checks the origin and the credentials of the upgrade, then serves the
/// connection.
pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    if !origin_allowed(&headers, &state.allowed_origins) {
        return super::graphql::refusal(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "this origin may not open a WebSocket here",
        );
    }
    let principal = match super::graphql::caller(&state, &headers).await {
        Ok(principal) => principal,
        Err(refused) => return refused,
    };
    let (cookie, bearer) = super::credentials(&headers);
    let meta = super::request_meta(&state, &headers, peer);
    let session = Session {
        schema: state.schema.clone(),
        db: state.db.clone(),
        graph: state.graph.clone(),
        metrics: state.metrics.clone(),
        principal,
        meta,
    };
    let credentials = Credentials { cookie, bearer };
    let connection =
        Connection { session: Arc::new(session), credentials: Arc::new(credentials), token: Arc::new(OnceLock::new()) };
    let db = state.db.clone();
    let chosen = connection.token.clone();
    upgrade
        .max_message_size(super::MAX_BODY_BYTES)
        .max_frame_size(super::MAX_BODY_BYTES)
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            GraphQLWebSocket::new(socket, connection, protocol)
                .on_connection_init(move |payload| async move {
                    if let Some(token) = init_token(&payload) {
                        accounts::resolve_principal(&db, None, Some(&token))
                            .await
                            .map_err(|_| async_graphql::Error::new("the token is unknown, expired or revoked"))?;
                        let _ = chosen.set(token);
                    }
                    Ok(async_graphql::Data::default())
                })
                .serve()
                .await;
        })
}

/// A token sent in `connection_init`: `{"authorization": "Bearer <secret>"}` (any case) or
/// `{"token": "<secret>"}`.
fn init_token(payload: &serde_json::Value) -> Option<String> {
    let fields = payload.as_object()?;
    fields.iter().find_map(|(name, value)| {
        let value = value.as_str()?.trim();
        match name.to_ascii_lowercase().as_str() {
            "authorization" => Some(value.strip_prefix("Bearer ").unwrap_or(value).trim().to_owned()),
            "token" => Some(value.to_owned()),
            _ => None,
        }
    })
}

/// A browser always sends `Origin` with a WebSocket upgrade: it must be the server's own
/// (same host as `Host`) or listed. Clients without `Origin` are not browsers, so they cannot
/// be carrying a victim's cookie.
fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    if allowed.iter().any(|listed| listed.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or_default();
    let origin_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    !host.is_empty() && origin_host.is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host))
}

/// The credentials sent with the upgrade.
struct Credentials {
    cookie: Option<String>,
    bearer: Option<String>,
}

/// One WebSocket connection: what its operations run with, the credentials of the upgrade and
/// the token `connection_init` may have sent (which replaces them).
#[derive(Clone)]
struct Connection {
    session: Arc<Session>,
    credentials: Arc<Credentials>,
    token: Arc<OnceLock<String>>,
}

impl Connection {
    /// The session an operation starts with: its caller is resolved again, so a session that
    /// ended or a token revoked since the upgrade no longer counts (`UNAUTHENTICATED`).
    async fn session(&self) -> Result<Session, Response> {
        let (cookie, bearer) = match self.token.get() {
            Some(token) => (None, Some(token.as_str())),
            None => (self.credentials.cookie.as_deref(), self.credentials.bearer.as_deref()),
        };
        let principal = if cookie.is_none() && bearer.is_none() {
            Principal::Anonymous
        } else {
            accounts::resolve_principal(&self.session.db, cookie, bearer).await.map_err(|error| {
                let error: async_graphql::Error = error.into();
                Response::from_errors(vec![error.into_server_error(async_graphql::Pos::default())])
            })?
        };
        Ok(Session { principal, ..(*self.session).clone() })
    }
}

impl Executor for Connection {
    async fn execute(&self, request: Request) -> Response {
        self.execute_stream(request, None).next().await.unwrap_or_default()
    }

    fn execute_stream(&self, request: Request, _: Option<Arc<async_graphql::Data>>) -> BoxStream<'static, Response> {
        let connection = self.clone();
        futures_util::stream::once(async move { (connection.session().await, request) })
            .flat_map(|(session, request)| match session {
                Ok(session) => run(session, request),
                Err(refused) => futures_util::stream::once(async move { refused }).boxed(),
            })
            .map(with_codes)
            .boxed()
    }
}

/// Runs one operation of a connection.
fn run(session: Session, mut request: Request) -> BoxStream<'static, Response> {
    let name = request.operation_name.clone();
    let is_subscription = request
        .parsed_query()
        .ok()
        .and_then(|document| OperationSummary::of(document, name.as_deref()))
        .is_some_and(|summary| summary.is_subscription);
    if is_subscription {
        return schema::subscribe(&session, request);
    }
    futures_util::stream::once(async move {
        let execution = session.execution();
        let run = schema::execute_one(&execution, request);
        tokio::time::timeout(super::REQUEST_TIMEOUT, run).await.unwrap_or_else(|_| {
            let message = format!("the operation took longer than {} s; narrow it", super::REQUEST_TIMEOUT.as_secs());
            let error = ensure_code(ServerError::new(message, None), ErrorCode::BadUserInput);
            Response::from_errors(vec![error])
        })
    })
    .boxed()
}

/// Every error carries a code, as over HTTP.
fn with_codes(mut response: Response) -> Response {
    let default =
        if response.data == async_graphql::Value::Null { ErrorCode::BadRequest } else { ErrorCode::BadUserInput };
    response.errors =
        std::mem::take(&mut response.errors).into_iter().map(|error| ensure_code(error, default)).collect();
    response
}
