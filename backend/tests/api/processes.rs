//! Several server processes (the real `lianqiao` binary) on one fresh PostgreSQL database:
//! changes made through one reach the others' graph index, lists and subscribers in order;
//! a killed listener or killed connections are recovered from without missing a change; the
//! login limiter is shared. Within one process (both databases): a gap in the feed rebuilds
//! the index, and pruning keeps the newest row.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use crate::helpers::{Caller, TestApp};

/// Project counts by status as the caller's server's graph index holds them.
async fn counts_by_status(caller: &Caller) -> Vec<(String, i64)> {
    let data = caller.data("{ projectAggregate(groupBy: [STATUS]) { status count } }", json!({})).await;
    let mut counts: Vec<(String, i64)> = data["projectAggregate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["status"].as_str().unwrap().to_owned(), row["count"].as_i64().unwrap()))
        .collect();
    counts.sort();
    counts
}

/// The same counts from the database.
async fn counts_in_database(db: &DatabaseConnection) -> Vec<(String, i64)> {
    let sql = "SELECT upper(status), count(*) FROM projects WHERE archived_at IS NULL GROUP BY status";
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    let mut counts: Vec<(String, i64)> =
        rows.iter().map(|row| (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap())).collect();
    counts.sort();
    counts
}

/// Both, for one application.
async fn index_and_database(app: &TestApp) -> (Vec<(String, i64)>, Vec<(String, i64)>) {
    (counts_by_status(app).await, counts_in_database(&app.db).await)
}

/// A write the process never heard of (made behind its back, its feed rows pruned) shows up
/// as a gap in the feed's numbers: the process rebuilds its index from the database.
async fn a_gap_in_the_feed_rebuilds_the_index(app: &TestApp) {
    let backend = app.db.get_database_backend();
    let (index, database) = index_and_database(app).await;
    assert_eq!(index, database);
    app.db
        .execute_unprepared(
            "UPDATE projects SET status = 'completed' WHERE id IN \
             (SELECT id FROM projects WHERE status = 'in_progress' AND archived_at IS NULL ORDER BY id LIMIT 3)",
        )
        .await
        .unwrap();
    assert_ne!(index_and_database(app).await.0, index_and_database(app).await.1, "the index has not heard yet");
    let newest = backend::service::changes::latest(&app.db).await.unwrap();
    // A change of a type the index does not hold, numbered past a gap.
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO change_feed (seq, record_type, record_ids, committed_at) VALUES ($1, 'TrainingSession', '[]', $2)",
            [(newest + 5).into(), chrono::Utc::now().into()],
        ))
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let (index, database) = index_and_database(app).await;
        if index == database {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the index was not rebuilt: {index:?} {database:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Pruning removes old rows but keeps the newest, so a process starting later knows where the
/// feed stands; changes after it are applied as before.
async fn pruning_keeps_the_newest_row(app: &TestApp) {
    let admin = app.admin().await;
    admin.move_first_project("SIGNED", "IN_PROGRESS").await;
    admin.move_first_project("SIGNED", "IN_PROGRESS").await;
    let newest = backend::service::changes::latest(&app.db).await.unwrap();
    let pruned = backend::service::changes::prune(&app.db, Duration::ZERO).await.unwrap();
    assert!(pruned >= 1, "{pruned}");
    assert_eq!(backend::service::changes::latest(&app.db).await.unwrap(), newest);
    let left = app
        .db
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), "SELECT count(*) FROM change_feed"))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(left, 1);
    admin.move_first_project("SIGNED", "IN_PROGRESS").await;
    let (index, database) = index_and_database(app).await;
    assert_eq!(index, database);
}

/// The feed task reads the feed every 2 s; its statements are the process's own, so an idle
/// server's statement count (what the per-request statement tests read) stays still.
async fn the_feed_task_is_not_counted_as_requests(app: &TestApp) {
    let before = app.statements.get();
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    assert_eq!(app.statements.get(), before);
}

crate::on_both_databases!(
    a_gap_in_the_feed_rebuilds_the_index,
    pruning_keeps_the_newest_row,
    the_feed_task_is_not_counted_as_requests
);

/// Several server processes (PostgreSQL only: skipped with the other `::postgres::` tests).
mod several {
    mod postgres {
        use std::{
            io::{BufRead, BufReader},
            process::{Child, Command, Stdio},
            time::{Duration, Instant},
        };

        use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
        use serde_json::{Value, json};
        use uuid::Uuid;

        use super::super::{counts_by_status, counts_in_database};
        use crate::{
            helpers::{Caller, abbreviate, postgres_admin_url},
            websocket::Ws,
        };

        /// A `lianqiao serve` process; killed when dropped.
        struct Server {
            child: Child,
            address: String,
        }

        impl Drop for Server {
            fn drop(&mut self) {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }

        impl Server {
            /// Starts a server named `name` (its PostgreSQL `application_name`) on `url`.
            fn start(url: &str, name: &str) -> Server {
                Server::start_with(url, name, &[])
            }

            /// [`Server::start`] with more arguments for `lianqiao serve`.
            fn start_with(url: &str, name: &str, args: &[&str]) -> Server {
                let mut child = Command::new(env!("CARGO_BIN_EXE_lianqiao"))
                    .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--database-url"])
                    .arg(format!("{url}?application_name={name}"))
                    .args(args)
                    .env("RUST_LOG", "warn")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("the lianqiao binary starts");
                let stdout = child.stdout.take().expect("stdout");
                let (sender, receiver) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                        if let Some(address) = line.strip_prefix("listening on ") {
                            let _ = sender.send(address.to_owned());
                        }
                    }
                });
                let address =
                    receiver.recv_timeout(Duration::from_secs(120)).expect("the server says where it listens");
                Server { child, address }
            }

            fn caller(&self) -> Caller {
                crate::helpers::caller(&self.address)
            }
        }

        /// A fresh database, dropped with [`Database::drop`].
        struct Fresh {
            name: String,
            url: String,
            admin: DatabaseConnection,
        }

        impl Fresh {
            async fn new() -> Fresh {
                let admin = Database::connect(postgres_admin_url()).await.expect("PostgreSQL");
                let name = format!("lianqiao_procs_{}", Uuid::new_v4().simple());
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
                let base = postgres_admin_url().rsplit_once('/').unwrap().0.to_owned();
                Fresh { url: format!("{base}/{name}"), name, admin }
            }

            /// Terminates the backends of this database whose `application_name` and query match.
            async fn terminate(&self, application: &str, query_like: &str) -> i64 {
                let sql = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                       WHERE datname = $1 AND application_name LIKE $2 AND query LIKE $3 AND pid <> pg_backend_pid()";
                let row = self
                    .admin
                    .query_one_raw(Statement::from_sql_and_values(
                        sea_orm::DatabaseBackend::Postgres,
                        sql,
                        [self.name.clone().into(), application.into(), query_like.into()],
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                row.try_get_by_index::<i64>(0).unwrap()
            }

            async fn drop(self) {
                let _ =
                    self.admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).await;
            }
        }

        /// Signs in as the demo administrator through `server`.
        async fn admin(server: &Server) -> Caller {
            let (user, password) = backend::demo::accounts::ADMIN;
            crate::helpers::login(&server.address, user, password).await
        }

        /// Waits until `check` holds (polled), failing after `limit`; returns how long it took.
        async fn within<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
        where
            F: FnMut() -> Fut,
            Fut: std::future::Future<Output = bool>,
        {
            let started = Instant::now();
            while !check().await {
                assert!(started.elapsed() < limit, "{what} did not happen within {limit:?}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            started.elapsed()
        }

        /// Moves `count` projects SIGNED → IN_PROGRESS through `caller`; returns their IDs in order.
        async fn start_projects(caller: &Caller, count: usize) -> Vec<String> {
            let query = format!(
                "{{ projects(first: {count}, filter: {{status: {{eq: SIGNED}}}}) {{ nodes {{ id version }} }} }}"
            );
            let page = caller.data(&query, json!({})).await;
            let mut moved = Vec::new();
            for project in page["projects"]["nodes"].as_array().unwrap() {
                let result = caller
                .data(
                    "mutation ($id: ID!, $v: Int!) { updateProjectStatus(input: {projectId: $id, status: IN_PROGRESS, expectedVersion: $v}) { __typename } }",
                    json!({ "id": project["id"], "v": project["version"] }),
                )
                .await;
                assert_eq!(result["updateProjectStatus"]["__typename"], "ProjectUpdated");
                moved.push(project["id"].as_str().unwrap().to_owned());
            }
            moved
        }

        /// The project IDs of the `projectUpdated` events of operation `id`, `count` of them.
        async fn events(ws: &mut Ws, id: &str, count: usize) -> Vec<String> {
            let mut seen = Vec::new();
            for _ in 0..count {
                let message = ws.message_of(id, Duration::from_secs(10)).await;
                seen.push(message["payload"]["data"]["projectUpdated"]["id"].as_str().unwrap_or_default().to_owned());
            }
            seen
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn changes_through_one_process_reach_the_others_in_order() {
            let fresh = Fresh::new().await;
            let a = Server::start(&fresh.url, "lianqiao-a");
            let b = Server::start(&fresh.url, "lianqiao-b");
            let c = Server::start(&fresh.url, "lianqiao-c");
            let admin_a = admin(&a).await;
            let (reader_b, reader_c) = (b.caller(), c.caller());
            let before = counts_by_status(&reader_b).await;
            let mut ws_b = Ws::open(&b.address, &[], json!({})).await.unwrap();
            let projects_b = ws_b.start("subscription { projectUpdated { id status } }", json!({})).await;
            let records_b = ws_b.start("subscription { recordsChanged { recordType ids sequence } }", json!({})).await;
            tokio::time::sleep(Duration::from_millis(300)).await;

            // One status change through A: B's and C's graph index follow within a second.
            let moved = start_projects(&admin_a, 1).await;
            let expected = counts_in_database(&fresh.admin_of_test().await).await;
            for reader in [&reader_b, &reader_c] {
                let took = within(Duration::from_secs(1), "the status change reaching another process", || async {
                    counts_by_status(reader).await == expected
                })
                .await;
                eprintln!("propagated in {took:?}");
            }
            assert_ne!(before, expected);
            // A participant added through A is a link B's graph answers with.
            let institution =
                admin_a.data("{ institutions(first: 1) { nodes { id } } }", json!({})).await["institutions"]["nodes"]
                    [0]["id"]
                    .clone();
            let project = admin_a
            .data(
                "query ($id: ID!) { node(id: $id) { ... on Project { version institutions(first: 50) { nodes { id } } enterprises(first: 50) { nodes { id } } } } }",
                json!({ "id": moved[0] }),
            )
            .await["node"]
            .clone();
            let mut institutions: Vec<Value> =
                project["institutions"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
            institutions.retain(|id| *id != institution);
            institutions.push(institution.clone());
            let enterprises: Vec<Value> =
                project["enterprises"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
            admin_a
            .data(
                "mutation ($id: ID!, $v: Int!, $i: [ID!]!, $e: [ID!]!) { updateProject(id: $id, expectedVersion: $v, input: {institutions: $i, enterprises: $e}) { __typename } }",
                json!({ "id": moved[0], "v": project["version"], "i": institutions, "e": enterprises }),
            )
            .await;
            let ego = "query ($id: ID!) { egoNetwork(nodeId: $id, depth: 1) { nodes { id } } }";
            within(Duration::from_secs(1), "the new link in B's graph", || async {
                let data = reader_b.data(ego, json!({ "id": institution })).await;
                data["egoNetwork"]["nodes"].as_array().unwrap().iter().any(|node| node["id"] == enterprises[0])
            })
            .await;

            // Five more through A: B's subscribers hear all six, in commit order.
            let more = start_projects(&admin_a, 5).await;
            let heard = events(&mut ws_b, &projects_b, 7).await;
            let mut expected_order = moved.clone();
            expected_order.push(moved[0].clone());
            expected_order.extend(more);
            assert_eq!(heard, expected_order);
            let mut sequences = Vec::new();
            for _ in 0..7 {
                let message = ws_b.message_of(&records_b, Duration::from_secs(5)).await;
                sequences.push(
                    message["payload"]["data"]["recordsChanged"]["sequence"].as_str().unwrap().parse::<i64>().unwrap(),
                );
            }
            assert!(sequences.windows(2).all(|pair| pair[0] < pair[1]), "{sequences:?}");
            drop((a, b, c));
            fresh.drop().await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_killed_listener_catches_up_without_missing_a_change() {
            let fresh = Fresh::new().await;
            let a = Server::start(&fresh.url, "lianqiao-a");
            let b = Server::start(&fresh.url, "lianqiao-b");
            let admin_a = admin(&a).await;
            let reader_b = b.caller();
            let mut ws_b = Ws::open(&b.address, &[], json!({})).await.unwrap();
            let projects_b = ws_b.start("subscription { projectUpdated { id } }", json!({})).await;
            tokio::time::sleep(Duration::from_millis(300)).await;

            let killed = fresh.terminate("lianqiao-b", "LISTEN%").await;
            assert_eq!(killed, 1, "B's listener connection");
            let moved = start_projects(&admin_a, 12).await;
            let expected = counts_in_database(&fresh.admin_of_test().await).await;
            within(Duration::from_secs(10), "B catching up", || async {
                counts_by_status(&reader_b).await == expected
            })
            .await;
            assert_eq!(events(&mut ws_b, &projects_b, 12).await, moved, "every change once, in order");
            within(Duration::from_secs(10), "B ready again", || async { status(&b.address, "/readyz").await == 200 })
                .await;
            drop((a, b));
            fresh.drop().await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn both_recover_when_every_connection_is_killed_under_writes() {
            let fresh = Fresh::new().await;
            let a = Server::start(&fresh.url, "lianqiao-a");
            let b = Server::start(&fresh.url, "lianqiao-b");
            let (admin_a, admin_b) = (admin(&a).await, admin(&b).await);
            let writers = [(0, admin_a.clone()), (1, admin_b.clone())].map(|(half, caller)| {
            tokio::spawn(async move {
                let page = caller
                    .data("{ projects(first: 40, filter: {status: {eq: PROPOSED}}) { nodes { id version } } }", json!({}))
                    .await;
                let mut acknowledged = Vec::new();
                let mut slowest = Duration::ZERO;
                for project in page["projects"]["nodes"].as_array().unwrap().iter().skip(half * 20).take(20) {
                    let started = Instant::now();
                    let response = caller
                        .graphql(
                            "mutation ($id: ID!, $v: Int!) { updateProjectStatus(input: {projectId: $id, status: NEGOTIATING, expectedVersion: $v}) { __typename } }",
                            json!({ "id": project["id"], "v": project["version"] }),
                        )
                        .await;
                    slowest = slowest.max(started.elapsed());
                    if response["data"]["updateProjectStatus"]["__typename"] == "ProjectUpdated" {
                        acknowledged.push(project["id"].as_str().unwrap().to_owned());
                    } else {
                        let code = response["errors"][0]["extensions"]["code"].as_str().unwrap_or_default().to_owned();
                        assert!(["UNAVAILABLE", "VERSION_CONFLICT"].contains(&code.as_str()), "{}", abbreviate(&response));
                    }
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
                (acknowledged, slowest)
            })
        });
            for _ in 0..3 {
                tokio::time::sleep(Duration::from_millis(150)).await;
                fresh.terminate("lianqiao-%", "%").await;
            }
            let mut acknowledged = Vec::new();
            for writer in writers {
                let (done, slowest) = writer.await.unwrap();
                assert!(slowest < Duration::from_secs(10), "a write answered after {slowest:?}");
                acknowledged.extend(done);
            }
            assert!(!acknowledged.is_empty());
            for server in [&a, &b] {
                within(Duration::from_secs(15), "readiness again", || async {
                    status(&server.address, "/readyz").await == 200
                })
                .await;
            }
            // Every acknowledged write is stored, and both indexes equal the database.
            let db = fresh.admin_of_test().await;
            for id in &acknowledged {
                let uuid = decode(id);
                let row = db
                    .query_one_raw(Statement::from_sql_and_values(
                        sea_orm::DatabaseBackend::Postgres,
                        "SELECT status FROM projects WHERE id = $1",
                        [uuid.into()],
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "negotiating");
            }
            let expected = counts_in_database(&db).await;
            for server in [&a, &b] {
                let reader = server.caller();
                within(Duration::from_secs(10), "the index equal to the database", || async {
                    counts_by_status(&reader).await == expected
                })
                .await;
            }
            drop((a, b));
            fresh.drop().await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn the_login_limiter_is_shared() {
            let fresh = Fresh::new().await;
            let a = Server::start(&fresh.url, "lianqiao-a");
            let b = Server::start(&fresh.url, "lianqiao-b");
            let login = "mutation { login(username: \"admin\", password: \"wrong\") { username } }";
            for _ in 0..5 {
                assert_eq!(a.caller().error_code(login, json!({})).await, "INVALID_CREDENTIALS");
            }
            assert_eq!(b.caller().error_code(login, json!({})).await, "RATE_LIMITED");
            drop((a, b));
            fresh.drop().await;
        }

        /// The README's nginx example, as written, in front of two processes.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn two_processes_behind_nginx() {
            let Some(nginx) =
                ["/usr/sbin/nginx", "/usr/bin/nginx"].into_iter().find(|path| std::path::Path::new(path).exists())
            else {
                assert!(std::env::var("CI").as_deref() != Ok("true"), "nginx is required on CI");
                eprintln!("nginx is not installed: two_processes_behind_nginx SKIPPED");
                return;
            };
            let readme = include_str!("../../../README.md");
            let example =
                readme.split("```nginx\n").nth(1).and_then(|rest| rest.split("```").next()).expect("the example");
            let fresh = Fresh::new().await;
            let a = Server::start_with(&fresh.url, "lianqiao-a", &["--trusted-proxy", "127.0.0.1"]);
            let b = Server::start_with(&fresh.url, "lianqiao-b", &["--trusted-proxy", "127.0.0.1"]);
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let front = format!("127.0.0.1:{port}");
            let site = example
                .replace("127.0.0.1:8081", a.address.trim_start_matches("http://"))
                .replace("127.0.0.1:8082", b.address.trim_start_matches("http://"))
                .replace("127.0.0.1:8080", &front);
            let dir = std::env::temp_dir().join(format!("lianqiao-nginx-{}", Uuid::new_v4().simple()));
            std::fs::create_dir_all(&dir).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
            let d = dir.display();
            let conf = format!(
                "daemon off; pid {d}/nginx.pid; error_log {d}/error.log; events {{}}\n\
             http {{ access_log off; client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n{site}\n}}\n"
            );
            std::fs::write(dir.join("nginx.conf"), conf).unwrap();
            let mut proxy = Command::new(nginx)
                .arg("-p")
                .arg(&dir)
                .arg("-c")
                .arg(dir.join("nginx.conf"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("nginx starts");
            let address = format!("http://{front}");
            within(Duration::from_secs(10), "nginx answering", || async { status(&address, "/readyz").await == 200 })
                .await;

            let admin = crate::helpers::login(&address, "admin", backend::demo::accounts::ADMIN.1).await;
            let mut ws = Ws::as_caller(&address, &admin).await;
            let updates = ws.start("subscription { projectUpdated { id } }", json!({})).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let db = fresh.admin_of_test().await;
            let mut moved = Vec::new();
            for _ in 0..4 {
                moved.extend(start_projects(&admin, 1).await);
                let expected = counts_in_database(&db).await;
                // Reads alternate between the two processes behind the proxy: each agrees at once.
                for _ in 0..2 {
                    within(Duration::from_secs(1), "both processes agreeing", || async {
                        counts_by_status(&admin).await == expected
                    })
                    .await;
                }
            }
            assert_eq!(events(&mut ws, &updates, 4).await, moved);
            // The address nginx forwards is the client's in the audit log.
            reqwest::Client::new()
                .post(format!("{address}/graphql"))
                .header("x-forwarded-for", "203.0.113.9")
                .json(&json!({ "query": "mutation { login(username: \"admin\", password: \"wrong\") { username } }" }))
                .send()
                .await
                .unwrap();
            let audit = admin.data("{ auditLog(first: 1) { nodes { operation clientAddress } } }", json!({})).await;
            assert_eq!(audit["auditLog"]["nodes"][0]["clientAddress"], "203.0.113.9", "{audit}");
            // A graceful stop ends the workers too (killing the master would orphan them).
            let _ = Command::new(nginx)
                .arg("-p")
                .arg(&dir)
                .arg("-c")
                .arg(dir.join("nginx.conf"))
                .args(["-s", "stop"])
                .stderr(Stdio::null())
                .status();
            let _ = proxy.wait();
            let _ = std::fs::remove_dir_all(&dir);
            drop((a, b));
            fresh.drop().await;
        }

        /// A PostgreSQL cluster of the test's own (initdb on another port), so that it can be
        /// stopped and started again; stopped and removed when dropped.
        struct Cluster {
            bin: std::path::PathBuf,
            dir: std::path::PathBuf,
            port: u16,
        }

        impl Cluster {
            /// `None` when PostgreSQL's server programs are not installed here.
            fn create() -> Option<Cluster> {
                let versions = std::fs::read_dir("/usr/lib/postgresql").ok()?;
                let bin = versions.filter_map(Result::ok).map(|entry| entry.path().join("bin")).max()?;
                let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
                let dir = std::env::temp_dir().join(format!("lianqiao-cluster-{}", Uuid::new_v4().simple()));
                std::fs::create_dir_all(&dir).unwrap();
                let cluster = Cluster { bin, dir, port };
                // initdb refuses to run as root: the cluster belongs to `postgres` then.
                if cluster.is_root() {
                    let owned = Command::new("chown").arg("postgres:postgres").arg(&cluster.dir).status().unwrap();
                    assert!(owned.success());
                }
                let data = cluster.dir.join("data");
                let made = cluster.run("initdb", &["-A", "trust", "-U", "postgres", "-D", data.to_str().unwrap()]);
                assert!(made, "initdb");
                Some(cluster)
            }

            fn is_root(&self) -> bool {
                Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.starts_with(b"0\n"))
            }

            fn run(&self, program: &str, args: &[&str]) -> bool {
                let program = self.bin.join(program);
                let mut command = if self.is_root() {
                    let mut command = Command::new("runuser");
                    command.args(["-u", "postgres", "--"]).arg(program);
                    command
                } else {
                    Command::new(program)
                };
                command
                    .args(args)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|status| status.success())
            }

            fn start(&self) {
                let options = format!(
                    "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={}",
                    self.port,
                    self.dir.display()
                );
                let data = self.dir.join("data");
                let log = self.dir.join("log");
                let started = self.run(
                    "pg_ctl",
                    &["-D", data.to_str().unwrap(), "-o", &options, "-l", log.to_str().unwrap(), "-w", "start"],
                );
                assert!(started, "pg_ctl start");
            }

            fn stop(&self) {
                let data = self.dir.join("data");
                self.run("pg_ctl", &["-D", data.to_str().unwrap(), "-m", "fast", "-w", "stop"]);
            }

            fn url(&self) -> String {
                format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
            }
        }

        impl Drop for Cluster {
            fn drop(&mut self) {
                self.stop();
                let _ = std::fs::remove_dir_all(&self.dir);
            }
        }

        /// PostgreSQL stops and starts again under two processes: meanwhile they answer from their
        /// index, refuse writes at once with 503/`UNAVAILABLE` and `Retry-After`, and report
        /// not-ready; afterwards they are ready by themselves and follow each other's writes again.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_database_restart_is_survived_without_restarting_the_servers() {
            let Some(cluster) = Cluster::create() else {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "PostgreSQL's server programs are required on CI"
                );
                eprintln!(
                    "no PostgreSQL server programs: a_database_restart_is_survived_without_restarting_the_servers SKIPPED"
                );
                return;
            };
            cluster.start();
            let a = Server::start(&cluster.url(), "lianqiao-a");
            let b = Server::start(&cluster.url(), "lianqiao-b");
            let admin_a = admin(&a).await;
            let reader_b = b.caller();
            let before = counts_by_status(&reader_b).await;

            cluster.stop();
            for server in [&a, &b] {
                within(Duration::from_secs(10), "not ready", || async {
                    status(&server.address, "/readyz").await == 503
                })
                .await;
            }
            // What the index holds is still answered.
            assert_eq!(counts_by_status(&reader_b).await, before);
            // A write is refused at once, with a code and a time to retry.
            let started = Instant::now();
            let response = reqwest::Client::new()
            .post(format!("{}/graphql", a.address))
            .header(reqwest::header::COOKIE, admin_a.credentials().unwrap().1)
            .json(&json!({ "query": "mutation { updateProjectStatus(input: {projectId: \"UHJvamVjdDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA\", status: SIGNED, expectedVersion: 1}) { __typename } }" }))
            .send()
            .await
            .unwrap();
            assert!(started.elapsed() < Duration::from_secs(10), "answered after {:?}", started.elapsed());
            assert_eq!(response.status().as_u16(), 503);
            assert!(response.headers().contains_key(reqwest::header::RETRY_AFTER));
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{body}");

            cluster.start();
            for server in [&a, &b] {
                within(Duration::from_secs(30), "ready again", || async {
                    status(&server.address, "/readyz").await == 200
                })
                .await;
            }
            start_projects(&admin_a, 2).await;
            let expected = counts_by_status(&admin_a).await;
            assert_ne!(expected, before);
            within(Duration::from_secs(2), "B following A again", || async {
                counts_by_status(&reader_b).await == expected
            })
            .await;
            drop((a, b));
        }

        async fn status(address: &str, path: &str) -> u16 {
            match reqwest::get(format!("{address}{path}")).await {
                Ok(response) => response.status().as_u16(),
                Err(_) => 0,
            }
        }

        fn decode(id: &str) -> Uuid {
            backend::ids::decode(id).expect("a global ID").1
        }

        impl Fresh {
            /// A connection to the test's database itself.
            async fn admin_of_test(&self) -> DatabaseConnection {
                Database::connect(&self.url).await.unwrap()
            }
        }
    }
}
