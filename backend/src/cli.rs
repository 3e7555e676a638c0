//! The command line: `serve`, `migrate`, `seed-demo` and `export-schema`.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};

use crate::{demo, startup::Settings};

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
    /// Directory of the built web app, served at `/`.
    #[arg(long, env = "LIANQIAO_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,
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
                static_dir: Some(args.static_dir),
            };
            let application = crate::Application::build(settings).await.map_err(|e| e.to_string())?;
            tracing::info!(address = %application.address(), "serving");
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

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).try_init();
}
