//! `spawn_app()`: a fresh database (a new SQLite file, or a new PostgreSQL database named by
//! a UUID), migrated, loaded with the demo dataset, served on port 0.

use backend::{Application, Settings, db::StatementCounter};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("LIANQIAO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A running application and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub client: reqwest::Client,
    anonymous: Caller,
    pub statements: StatementCounter,
    pub db: DatabaseConnection,
    pub graph: std::sync::Arc<backend::graph::GraphIndex>,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase(String),
}

/// Starts an application with demo data on a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Like `spawn_app`, with changed settings.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let name = format!("lianqiao_test_{}", Uuid::new_v4().simple());
    let (database_url, cleanup) = match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            (format!("sqlite://{}?mode=rwc", path.display()), Cleanup::SqliteFile(path))
        }
        Backend::Postgres => {
            let admin_url = postgres_admin_url();
            let admin = Database::connect(&admin_url)
                .await
                .unwrap_or_else(|error| panic!("PostgreSQL at {admin_url} is required for postgres:: tests: {error}"));
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            let base = admin_url.rsplit_once('/').map(|(base, _)| base).expect("URL has a database");
            (format!("{base}/{name}"), Cleanup::PostgresDatabase(name))
        }
    };
    let mut settings = Settings::local("127.0.0.1:0".parse().expect("address"), database_url.clone());
    configure(&mut settings);
    let application = Application::build(settings).await.expect("application starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let statements = application.state().statements.clone();
    let db = application.state().db.clone();
    let graph = application.state().graph.clone();
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::new();
    let anonymous = Caller { address: address.clone(), client: client.clone(), credentials: None };
    TestApp { address, database_url, client, anonymous, statements, db, graph, cleanup }
}

/// Someone calling the API: anonymous, a signed-in session (cookie) or a bearer token.
#[derive(Clone)]
pub struct Caller {
    address: String,
    client: reqwest::Client,
    credentials: Option<(reqwest::header::HeaderName, String)>,
}

impl Caller {
    /// POSTs a GraphQL request and returns the whole JSON response.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some((name, value)) = &self.credentials {
            request = request.header(name, value);
        }
        request.send().await.expect("request sent").json().await.expect("JSON response")
    }

    /// The header that carries this caller's credentials, if any.
    pub fn credentials(&self) -> Option<(reqwest::header::HeaderName, String)> {
        self.credentials.clone()
    }

    /// The same caller talking to another server.
    pub fn with_address(&self, address: &str) -> Caller {
        Caller { address: address.to_owned(), ..self.clone() }
    }

    /// Runs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables).await;
        assert!(response.get("errors").is_none(), "unexpected errors: {}", abbreviate(&response));
        response["data"].clone()
    }

    /// Creates an API token as this (signed-in) caller and returns its secret.
    pub async fn create_api_token(&self, name: &str) -> String {
        let data =
            self.data("mutation ($n: String!) { createApiToken(name: $n) { secret } }", json!({ "n": name })).await;
        data["createApiToken"]["secret"].as_str().expect("a secret").to_owned()
    }

    /// Runs a query that must fail and returns the `extensions.code` of its first error.
    pub async fn error_code(&self, query: &str, variables: Value) -> String {
        let response = self.graphql(query, variables).await;
        let error = &response["errors"][0];
        assert!(error.is_object(), "expected an error: {}", abbreviate(&response));
        error["extensions"]["code"].as_str().unwrap_or_else(|| panic!("error without a code: {response}")).to_owned()
    }

    /// Moves the first project in status `from` to status `to` (both GraphQL enum names) and
    /// returns that project's `id` and the `version` it had.
    pub async fn move_first_project(&self, from: &str, to: &str) -> Value {
        let query =
            format!("{{ projects(first: 1, filter: {{status: {{eq: {from}}}}}) {{ nodes {{ id version }} }} }}");
        let project = self.data(&query, json!({})).await["projects"]["nodes"][0].clone();
        let mutation = format!(
            "mutation ($id: ID!, $v: Int!) {{ updateProjectStatus(input: {{projectId: $id, status: {to}, expectedVersion: $v}}) {{ __typename }} }}"
        );
        let result = self.data(&mutation, json!({ "id": project["id"], "v": project["version"] })).await;
        assert_eq!(result["updateProjectStatus"]["__typename"], "ProjectUpdated");
        project
    }
}

/// A JSON value cut to a readable length for assertion messages.
pub fn abbreviate(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 1_500 {
        format!("{}…", &text[..text.char_indices().nth(1_500).map_or(text.len(), |(i, _)| i)])
    } else {
        text
    }
}

impl std::ops::Deref for TestApp {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.anonymous
    }
}

/// An anonymous caller of the server at `address`.
pub fn caller(address: &str) -> Caller {
    Caller { address: address.to_owned(), client: reqwest::Client::new(), credentials: None }
}

/// Signs in at the server at `address` and returns a caller carrying the session cookie.
pub async fn login(address: &str, username: &str, password: &str) -> Caller {
    let anonymous = caller(address);
    let response = anonymous
        .client
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": "mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { username } }", "variables": { "u": username, "p": password } }))
        .send()
        .await
        .expect("request sent");
    let cookie = response
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned);
    let body: Value = response.json().await.expect("JSON response");
    let cookie = cookie.unwrap_or_else(|| panic!("login as {username} failed: {body}"));
    Caller { credentials: Some((reqwest::header::COOKIE, cookie)), ..anonymous }
}

impl TestApp {
    /// Signs in and returns a caller carrying the session cookie.
    pub async fn login(&self, username: &str, password: &str) -> Caller {
        Caller { client: self.client.clone(), ..login(&self.address, username, password).await }
    }

    /// The demo administrator.
    pub async fn admin(&self) -> Caller {
        self.login(backend::demo::accounts::ADMIN.0, backend::demo::accounts::ADMIN.1).await
    }

    /// A caller sending `Authorization: Bearer <token>`.
    pub fn bearer(&self, token: &str) -> Caller {
        Caller {
            credentials: Some((reqwest::header::AUTHORIZATION, format!("Bearer {token}"))),
            ..self.anonymous.clone()
        }
    }

    /// Removes the test's database.
    pub async fn teardown(self) {
        self.db.clone().close().await.ok();
        match self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase(name) => {
                if let Ok(admin) = Database::connect(&postgres_admin_url()).await {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                }
            }
        }
    }
}

/// Declares each named test body (`async fn name(app: &TestApp)`) as two tests, one per
/// database: `<module>::sqlite::<name>` and `<module>::postgres::<name>`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                    super::$name(&app).await;
                    app.teardown().await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await;
                    super::$name(&app).await;
                    app.teardown().await;
                }
            )+
        }
    };
}

/// Reads a JSON number as i64.
pub fn int(value: &Value) -> i64 {
    value.as_i64().unwrap_or_else(|| panic!("not an integer: {value}"))
}
