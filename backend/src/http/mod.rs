//! The HTTP surface: `/graphql`, `/healthz` and the built web app at `/` (client-side routes
//! fall back to its `index.html`).

mod graphql;

use std::path::Path;

use axum::{Router, extract::DefaultBodyLimit, routing::get};
use tower_http::services::{ServeDir, ServeFile};

use crate::startup::AppState;

/// The largest request body accepted; larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Builds the router.
pub fn router(state: AppState, static_dir: Option<&Path>) -> Router {
    let api = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/healthz", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    match static_dir {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            api.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => api,
    }
}
