//! The command line: accounts created and reset without the API.

use std::process::Command;

use serde_json::json;

use crate::helpers::{Backend, spawn_app};

fn lianqiao(database_url: &str, args: &[&str], password: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lianqiao"))
        .args(args)
        .args(["--database-url", database_url])
        .env("LIANQIAO_PASSWORD", password)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_create_accounts_and_reset_passwords_from_the_cli() {
    let app = spawn_app(Backend::Sqlite).await;
    let create = [
        "create-user",
        "--username",
        "ops",
        "--display-name",
        "Operations",
        "--role",
        "liaison",
        "--institution",
        "皖西学院",
    ];
    let output = lianqiao(&app.database_url, &create, "cli-password-1");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let liaison = app.login("ops", "cli-password-1").await;
    assert_eq!(
        liaison.data("{ me { role institution { name } } }", json!({})).await["me"]["institution"]["name"],
        "皖西学院"
    );

    let duplicate = lianqiao(&app.database_url, &create, "cli-password-1");
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("DUPLICATE_USERNAME"));

    let reset = lianqiao(&app.database_url, &["reset-password", "--username", "ops"], "cli-password-2");
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    assert!(liaison.data("{ me { username } }", json!({})).await["me"].is_null(), "a reset ends the sessions");
    app.login("ops", "cli-password-2").await;
    app.teardown().await;
}
