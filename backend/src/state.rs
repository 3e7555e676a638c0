//! `AppState`: what every request handler shares. It sits below the transport (`http`) and
//! the start-up code that builds it, and above everything it holds.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{db::StatementCounter, graph::GraphIndex, graphql::schema::AppSchema, metrics::Metrics};

/// Shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub graph: Arc<GraphIndex>,
    pub schema: AppSchema,
    pub statements: StatementCounter,
    pub metrics: Arc<Metrics>,
    /// Permits for running exports.
    pub exports: Arc<tokio::sync::Semaphore>,
    /// What follows a commit (the index, subscribers), shared with the schema.
    pub changes: crate::service::changes::Changes,
    /// Origins besides the server's own whose pages may open a WebSocket with the session
    /// cookie (`https://host[:port]`).
    pub allowed_origins: Arc<Vec<String>>,
    /// Proxies whose `X-Forwarded-For` names the client (see `http::request_meta`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
}
