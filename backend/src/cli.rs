//! The command line: `serve`, `migrate`, `seed-demo`, `import` and `export-schema`.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shared::Role;

use crate::{
    demo,
    service::accounts::{self, NewUser},
    startup::Settings,
};

/// Lianqiao (链桥): the school–enterprise cooperation network of a city's industry.
#[derive(Debug, Parser)]
#[command(name = "lianqiao", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API and the web app (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Load the demo dataset into an empty database and exit.
    SeedDemo(DatabaseArgs),
    /// Create an account. The password is read from LIANQIAO_PASSWORD or the first line of
    /// standard input, never from the command line (it would show in process lists).
    CreateUser {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// admin, editor, liaison or viewer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// For liaisons: the Chinese name of their institution, e.g. 皖西学院.
        #[arg(long)]
        institution: Option<String>,
    },
    /// Set a new password for an account and end its sessions (password as for create-user).
    ResetPassword {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
    },
    /// Load the large synthetic dataset (scale tests, benchmarks) into an empty database.
    SeedLarge {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long, default_value_t = 100_000)]
        enterprises: usize,
        #[arg(long, default_value_t = 2_000)]
        institutions: usize,
        #[arg(long, default_value_t = 1_000_000)]
        projects: usize,
    },
    /// Import a `.xlsx` or CSV file into a table (enterprises, institutions, projects,
    /// training_sessions, employment_needs), as `POST /import/<table>` does. Exits non-zero
    /// when the file is refused or any row was rejected.
    Import {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The table, by its export name.
        table: String,
        /// The `.xlsx` or CSV file.
        file: PathBuf,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Commit the valid rows and reject the others (default: all rows or none).
        #[arg(long)]
        valid_only: bool,
        /// Write the JSON report (the HTTP answer's shape) to this file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Most data rows taken.
        #[arg(long, default_value_t = crate::service::import::MAX_ROWS)]
        max_rows: usize,
        /// Who the record history names (default: `cli`).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Write the GraphQL schema (SDL) to a file, or to standard output with `-`.
    ExportSchema {
        #[arg(default_value = "schema.graphql")]
        output: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// SQLite (`sqlite://path?mode=rwc`) or PostgreSQL (`postgres://...`) URL.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/lianqiao.db?mode=rwc")]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LIANQIAO_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Load the demo dataset if the database is empty.
    #[arg(long, env = "LIANQIAO_DEMO")]
    pub demo: bool,
    /// Serve the web app from this directory (for development) instead of the one compiled
    /// into the binary.
    #[arg(long, env = "LIANQIAO_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// Refuse introspection queries (and field suggestions), e.g. on a public deployment.
    #[arg(long, env = "LIANQIAO_DISABLE_INTROSPECTION")]
    pub disable_introspection: bool,
    /// Mark session cookies `Secure`; use when clients reach the server over HTTPS.
    #[arg(long, env = "LIANQIAO_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// An origin besides the server's own (`https://host[:port]`) whose pages may open a
    /// WebSocket with the session cookie; repeat or separate with commas.
    #[arg(long = "allowed-origin", env = "LIANQIAO_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// The address of a proxy (load balancer) in front of this server, whose
    /// `X-Forwarded-For` names the client for the audit log and the login limiter; repeat or
    /// separate with commas.
    #[arg(long = "trusted-proxy", env = "LIANQIAO_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command) -> Result<(), String> {
    match command {
        Command::Serve(args) => {
            let settings = Settings {
                bind: args.bind,
                database_url: args.database.database_url,
                load_demo: args.demo,
                static_dir: args.static_dir,
                introspection: !args.disable_introspection,
                secure_cookies: args.secure_cookies,
                max_concurrent_exports: None,
                allowed_origins: args.allowed_origins,
                trusted_proxies: args.trusted_proxies,
            };
            let application = crate::Application::build(settings).await.map_err(|e| e.to_string())?;
            tracing::info!(address = %application.address(), "serving");
            // On standard output for supervisors and tests that asked for port 0.
            println!("listening on http://{}", application.address());
            application.run_until_stopped().await.map_err(|e| e.to_string())
        }
        Command::Migrate(args) => {
            let (db, _) = crate::db::connect(&args.database_url).await.map_err(|e| e.to_string())?;
            crate::db::migrate(&db).await.map_err(|e| e.to_string())?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo(args) => {
            let (db, _) = crate::db::connect(&args.database_url).await.map_err(|e| e.to_string())?;
            crate::db::migrate(&db).await.map_err(|e| e.to_string())?;
            match demo::load_into_empty(&db).await.map_err(|e| e.to_string())? {
                demo::SeedOutcome::Loaded => tracing::info!("demo dataset loaded"),
                demo::SeedOutcome::SkippedNotEmpty => {
                    return Err(
                        "the database already holds enterprises; demo data is only loaded into an empty database"
                            .into(),
                    );
                }
            }
            Ok(())
        }
        Command::CreateUser { database, username, display_name, role, institution } => {
            let db = connect_and_migrate(&database).await?;
            let institution_id = match institution {
                Some(name) => Some(
                    crate::entity::institution::Entity::find()
                        .filter(crate::entity::institution::Column::Name.eq(name.as_str()))
                        .one(&db)
                        .await
                        .map_err(|e| e.to_string())?
                        .ok_or_else(|| format!("no institution is named {name}"))?
                        .id,
                ),
                None => None,
            };
            let new = NewUser { username, display_name, password: read_password()?, role, institution_id };
            let user = accounts::create_user(&db, new).await.map_err(describe)?;
            tracing::info!(username = %user.username, role = %user.role, "account created");
            Ok(())
        }
        Command::ResetPassword { database, username } => {
            let db = connect_and_migrate(&database).await?;
            let user = crate::entity::user::Entity::find()
                .filter(crate::entity::user::Column::Username.eq(username.trim().to_lowercase()))
                .one(&db)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no account is named {username}"))?;
            accounts::reset_password(&db, user.id, read_password()?).await.map_err(describe)?;
            tracing::info!(%username, "password reset; sessions ended");
            Ok(())
        }
        Command::SeedLarge { database, enterprises, institutions, projects } => {
            let db = connect_and_migrate(&database).await?;
            let started = std::time::Instant::now();
            let scale = demo::large::Scale { enterprises, institutions, projects };
            demo::large::load(&db, scale).await.map_err(|e| e.to_string())?;
            tracing::info!(seconds = started.elapsed().as_secs_f64(), "large dataset loaded");
            Ok(())
        }
        Command::Import { database, table, file, dry_run, valid_only, report, max_rows, actor } => {
            use crate::service::import;
            let db = connect_and_migrate(&database).await?;
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let mode = match (dry_run, valid_only) {
                (true, _) => import::Mode::DryRun,
                (false, true) => import::Mode::CommitValid,
                (false, false) => import::Mode::Commit,
            };
            let file_name = file.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
            let request = import::Request { table: &table, file_name, bytes: &bytes, mode, max_rows };
            let actor = crate::service::edit::Actor { user_id: None, label: format!("cli:{actor}"), import: None };
            // Recorded in the change feed: running servers apply it like their own writes.
            let changes = crate::service::changes::Changes::detached();
            let outcome = import::run(&db, &changes, &actor, request).await.map_err(describe)?;
            let json = serde_json::to_string_pretty(&outcome).map_err(|e| e.to_string())?;
            match &report {
                Some(path) => {
                    std::fs::write(path, &json).map_err(|e| format!("cannot write {}: {e}", path.display()))?
                }
                None => println!("{json}"),
            }
            eprintln!(
                "{}: {} created, {} updated, {} unchanged, {} rejected{}",
                outcome.table,
                outcome.created,
                outcome.updated,
                outcome.unchanged,
                outcome.rejected,
                if outcome.dry_run { " (dry run: nothing written)" } else { "" }
            );
            if outcome.rejected > 0 {
                return Err(format!("{} rows have problems; see the report", outcome.rejected));
            }
            Ok(())
        }
        Command::ExportSchema { output } => {
            let sdl = crate::graphql::schema::sdl();
            if output.as_os_str() == "-" {
                print!("{sdl}");
                Ok(())
            } else {
                std::fs::write(&output, sdl).map_err(|e| format!("cannot write {}: {e}", output.display()))
            }
        }
    }
}

async fn connect_and_migrate(args: &DatabaseArgs) -> Result<sea_orm::DatabaseConnection, String> {
    let (db, _) = crate::db::connect(&args.database_url).await.map_err(|e| e.to_string())?;
    crate::db::migrate(&db).await.map_err(|e| e.to_string())?;
    Ok(db)
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_code(text).ok_or_else(|| "one of admin, editor, liaison, viewer".to_owned())
}

fn read_password() -> Result<String, String> {
    if let Ok(password) = std::env::var("LIANQIAO_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn describe(error: crate::AppError) -> String {
    match error {
        crate::AppError::BadInput { code, message } => format!("{message} ({code})"),
        crate::AppError::NotFound { kind, id } => format!("no {kind} {id}"),
        crate::AppError::Database(cause) => cause.to_string(),
    }
}

/// Logs go to standard error: JSON lines (one object per event, with the request span's
/// `request_id`) when `LIANQIAO_LOG_FORMAT=json` or when standard error is not a terminal,
/// human-readable text otherwise (or with `LIANQIAO_LOG_FORMAT=text`). `RUST_LOG` filters.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let json = match std::env::var("LIANQIAO_LOG_FORMAT").as_deref() {
        Ok("json") => true,
        Ok("text") => false,
        _ => !terminal,
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json {
        builder.json().with_current_span(true).with_span_list(false).try_init()
    } else {
        builder.with_ansi(terminal).try_init()
    };
}
