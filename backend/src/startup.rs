//! The `Application`: settings, database, migrations, demo data, schema and router, bound
//! to a listener before it serves (port 0 works, for tests).

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use tokio::net::TcpListener;

use crate::{
    db, demo,
    graph::GraphIndex,
    graphql::schema::{SchemaOptions, build_schema},
    http,
    state::AppState,
};

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database_url: String,
    /// Load the demo dataset into an empty database at start-up.
    pub load_demo: bool,
    /// Directory of a built web app to serve; `None` serves the one compiled into the binary.
    pub static_dir: Option<PathBuf>,
    /// Answer introspection queries (and suggest field names).
    pub introspection: bool,
    /// Mark session cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// Exports that may stream at once (each holds a database connection); `None` allows
    /// half the pool. Further exports get 503 with `Retry-After`.
    pub max_concurrent_exports: Option<usize>,
    /// Origins besides the server's own allowed to open a WebSocket with the session cookie.
    pub allowed_origins: Vec<String>,
    /// Proxies (load balancers) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Settings {
    /// Settings for a local server: the given database, demo data, introspection on.
    pub fn local(bind: SocketAddr, database_url: String) -> Self {
        Self {
            bind,
            database_url,
            load_demo: true,
            static_dir: None,
            introspection: true,
            secure_cookies: false,
            max_concurrent_exports: None,
            allowed_origins: Vec::new(),
            trusted_proxies: Vec::new(),
        }
    }
}

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    router: axum::Router,
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
}

impl Application {
    /// Connects, migrates, loads demo data if asked, and binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let (db, statements) = db::connect(&settings.database_url).await?;
        db::migrate(&db).await?;
        if settings.load_demo {
            match demo::load_into_empty(&db).await? {
                demo::SeedOutcome::Loaded => tracing::info!("demo dataset loaded"),
                demo::SeedOutcome::SkippedNotEmpty => tracing::info!("database not empty; demo dataset not loaded"),
            }
        }
        let as_startup = |error: crate::AppError| match error {
            crate::AppError::Database(cause) => StartupError::Database(cause),
            other => StartupError::Database(sea_orm::DbErr::Custom(format!("{other:?}"))),
        };
        // Read before the index: changes committed while it loads are applied after.
        let feed_start = crate::service::changes::latest(&db).await.map_err(as_startup)?;
        let graph = GraphIndex::load(&db).await.map_err(as_startup)?;
        {
            let data = graph.read();
            tracing::info!(
                nodes = data.nodes.len(),
                projects = data.live_projects(),
                heap_mib = data.heap_bytes() / (1 << 20),
                "graph index built"
            );
        }
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let changes = crate::service::changes::Changes::new(graph.clone(), feed_start);
        changes.spawn(db::uncounted(&db));
        let schema = build_schema(
            db.clone(),
            graph.clone(),
            changes.clone(),
            SchemaOptions { introspection: settings.introspection, secure_cookies: settings.secure_cookies },
        );
        let exports = Arc::new(tokio::sync::Semaphore::new(
            settings.max_concurrent_exports.unwrap_or_else(|| (crate::db::pool_size(&db) / 2).max(1)),
        ));
        let allowed_origins = Arc::new(settings.allowed_origins.clone());
        let trusted_proxies = Arc::new(settings.trusted_proxies.clone());
        let state =
            AppState { db, graph, schema, statements, metrics, exports, changes, allowed_origins, trusted_proxies };
        let router = http::router(state.clone(), settings.static_dir.as_deref());
        let listener = TcpListener::bind(settings.bind).await?;
        Ok(Self { listener, state, router })
    }

    /// The address actually bound (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.address().port()
    }

    /// The shared state (database, schema, statement counter).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
