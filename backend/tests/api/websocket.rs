//! `/graphql/ws` follows HTTP's rules: origin check for the session cookie, the caller's
//! rights, the alias cap, request loaders, codes on every error, the audit log.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::helpers::{Caller, TestApp, abbreviate};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A graphql-transport-ws connection to an application.
pub struct Ws {
    socket: Socket,
    next_id: u32,
    /// Messages of other operations read while waiting for one.
    held: Vec<Value>,
}

/// Where an application listens, as `host:port`.
fn host_of(address: &str) -> &str {
    address.trim_start_matches("http://")
}

impl Ws {
    /// Opens a connection with these upgrade headers and `connection_init` payload; the HTTP
    /// status of a refused upgrade, or `Err(0)` when `connection_init` was refused.
    pub async fn open(address: &str, headers: &[(&str, String)], init: Value) -> Result<Ws, u16> {
        let mut request = format!("ws://{}/graphql/ws", host_of(address)).into_client_request().unwrap();
        request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static("graphql-transport-ws"));
        for (name, value) in headers {
            let name = tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap();
            request.headers_mut().insert(name, value.parse().unwrap());
        }
        let mut socket = match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => socket,
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => return Err(response.status().as_u16()),
            Err(error) => panic!("cannot connect: {error}"),
        };
        socket.send(Message::text(json!({ "type": "connection_init", "payload": init }).to_string())).await.unwrap();
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await.expect("an answer to connection_init") {
            Some(Ok(Message::Text(text))) => {
                let ack: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(ack["type"], "connection_ack", "{ack}");
                Ok(Ws { socket, next_id: 0, held: Vec::new() })
            }
            _ => Err(0),
        }
    }

    /// A connection as `caller` (its cookie or token sent with the upgrade) from the server's
    /// own origin.
    pub async fn as_caller(address: &str, caller: &Caller) -> Ws {
        let mut headers = vec![("origin", format!("http://{}", host_of(address)))];
        if let Some((name, value)) = caller.credentials() {
            let name = if name == reqwest::header::COOKIE { "cookie" } else { "authorization" };
            headers.push((name, value));
        }
        Ws::open(address, &headers, json!({})).await.expect("connected")
    }

    /// Starts an operation; returns its ID.
    pub async fn start(&mut self, query: &str, variables: Value) -> String {
        self.next_id += 1;
        let id = self.next_id.to_string();
        let message = json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } });
        self.socket.send(Message::text(message.to_string())).await.unwrap();
        id
    }

    /// The next `next` or `error` message of operation `id` (within `wait`).
    pub async fn message_of(&mut self, id: &str, wait: Duration) -> Value {
        if let Some(index) = self.held.iter().position(|message| message["id"] == id) {
            return self.held.remove(index);
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("no message for operation {id} within {wait:?}"))
                .expect("the connection is open")
                .expect("a message");
            let Message::Text(text) = message else { continue };
            let message: Value = serde_json::from_str(&text).unwrap();
            if message["type"] != "next" && message["type"] != "error" {
                continue;
            }
            if message["id"] == id {
                return message;
            }
            self.held.push(message);
        }
    }

    /// Runs a query or mutation and returns its payload (`data`/`errors`).
    pub async fn run(&mut self, query: &str, variables: Value) -> Value {
        let id = self.start(query, variables).await;
        let message = self.message_of(&id, Duration::from_secs(10)).await;
        match message["type"].as_str() {
            Some("error") => json!({ "errors": message["payload"] }),
            _ => message["payload"].clone(),
        }
    }
}

/// The code of a payload's first error.
fn first_code(payload: &Value) -> &str {
    payload["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no coded error: {payload}"))
}

async fn foreign_origins_may_not_use_the_cookie(app: &TestApp) {
    let admin = app.admin().await;
    let (_, cookie) = admin.credentials().unwrap();
    let foreign = [("origin", "http://evil.example".to_owned()), ("cookie", cookie.clone())];
    assert_eq!(Ws::open(&app.address, &foreign, json!({})).await.err(), Some(403));
    // The server's own origin with the cookie is the administrator.
    let mut ws = Ws::as_caller(&app.address, &admin).await;
    let me = ws.run("{ me { username role } }", json!({})).await;
    assert_eq!(me["data"]["me"]["role"], "ADMIN", "{me}");
    // A bad token in connection_init ends the connection; a good one is its caller.
    assert_eq!(Ws::open(&app.address, &[], json!({ "authorization": "Bearer nonsense" })).await.err(), Some(0));
    let token = admin.create_api_token("ws").await;
    let mut ws = Ws::open(&app.address, &[], json!({ "authorization": format!("Bearer {token}") })).await.unwrap();
    let me = ws.run("{ me { username } }", json!({})).await;
    assert_eq!(me["data"]["me"]["username"], "admin", "{me}");
}

async fn anonymous_subscribers_see_public_fields_only(app: &TestApp) {
    let mut anonymous = Ws::open(&app.address, &[], json!({})).await.unwrap();
    let admin = app.admin().await;
    let mut signed_in = Ws::as_caller(&app.address, &admin).await;
    let query =
        "subscription { projectUpdated { id status fundingCny statusHistory(first: 20) { nodes { toStatus } } } }";
    let anonymous_id = anonymous.start(query, json!({})).await;
    let signed_in_id = signed_in.start(query, json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let project = admin.move_first_project("SIGNED", "IN_PROGRESS").await;

    let seen = anonymous.message_of(&anonymous_id, Duration::from_secs(5)).await;
    let event = &seen["payload"];
    assert_eq!(event["data"]["projectUpdated"]["id"], project["id"], "{seen}");
    assert!(event["data"]["projectUpdated"]["fundingCny"].is_null(), "{seen}");
    assert_eq!(first_code(event), "UNAUTHENTICATED");
    let seen = signed_in.message_of(&signed_in_id, Duration::from_secs(5)).await;
    let event = &seen["payload"]["data"]["projectUpdated"];
    assert!(event["fundingCny"].is_i64(), "{seen}");
    // The status history comes through the request loaders, fresh for the event.
    let history = event["statusHistory"]["nodes"].as_array().unwrap();
    assert!(history.iter().any(|change| change["toStatus"] == "IN_PROGRESS"), "{seen}");
}

async fn a_liaison_has_a_liaisons_rights_and_is_audited(app: &TestApp) {
    let (username, _) = backend::demo::accounts::LIAISONS[0];
    let liaison = app.login(username, backend::demo::accounts::LIAISON_PASSWORD).await;
    let own = liaison.data("{ me { institution { id } } }", json!({})).await["me"]["institution"]["id"].clone();
    let admin = app.admin().await;
    let projects = admin
        .data("{ projects(first: 100) { nodes { id version institutions(first: 20) { nodes { id } } } } }", json!({}))
        .await;
    let foreign = projects["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|project| !project["institutions"]["nodes"].as_array().unwrap().iter().any(|i| i["id"] == own))
        .expect("a project of another institution")
        .clone();

    let mut ws = Ws::as_caller(&app.address, &liaison).await;
    let me = ws.run("{ me { username role } }", json!({})).await;
    assert_eq!(me["data"]["me"]["role"], "LIAISON", "{me}");
    let mutation = "mutation ($id: ID!, $v: Int!) { updateProjectProgress(input: {projectId: $id, patents: 3, expectedVersion: $v}) { __typename } }";
    let refused = ws.run(mutation, json!({ "id": foreign["id"], "v": foreign["version"] })).await;
    assert_eq!(first_code(&refused), "FORBIDDEN", "{}", abbreviate(&refused));
    let audit = admin.data("{ auditLog(first: 1) { nodes { actor operation outcome } } }", json!({})).await;
    let entry = &audit["auditLog"]["nodes"][0];
    assert!(entry["actor"].as_str().unwrap().contains(username), "{audit}");
    assert!(entry["operation"].as_str().unwrap().contains("updateProjectProgress"), "{audit}");
}

async fn limits_apply_and_every_error_has_a_code(app: &TestApp) {
    let mut ws = Ws::open(&app.address, &[], json!({})).await.unwrap();
    let aliases: String = (0..=backend::graphql::schema::MAX_ALIASES)
        .map(|i| format!("a{i}: egoNetwork(nodeId: \"x\", depth: 3) {{ nodes {{ id }} }} "))
        .collect();
    let refused = ws.run(&format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(first_code(&refused), "BAD_REQUEST", "{}", abbreviate(&refused));
    // Fields that use the request loaders work (they failed over WebSocket before).
    let page =
        ws.run("{ projects(first: 2) { nodes { statusHistory(first: 3) { nodes { toStatus } } } } }", json!({})).await;
    assert!(page.get("errors").is_none(), "{}", abbreviate(&page));
    let node = ws.run("{ node(id: \"bm9uc2Vuc2U\") { id } }", json!({})).await;
    assert_eq!(first_code(&node), "BAD_ID", "{node}");
    let too_deep = ws.run("{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } } } } }", json!({})).await;
    assert!(too_deep["errors"][0]["extensions"]["code"].is_string(), "{too_deep}");
}

/// Each operation resolves the connection's caller again: a session ended or a token revoked
/// after the upgrade no longer counts.
async fn ended_sessions_and_revoked_tokens_stop_counting(app: &TestApp) {
    let admin = app.admin().await;
    let mut by_cookie = Ws::as_caller(&app.address, &admin).await;
    let token = admin.create_api_token("ws-revoked").await;
    let mut by_token = Ws::open(&app.address, &[], json!({ "token": token })).await.unwrap();
    let me = "{ me { username } }";
    assert_eq!(by_cookie.run(me, json!({})).await["data"]["me"]["username"], "admin");
    assert_eq!(by_token.run(me, json!({})).await["data"]["me"]["username"], "admin");

    let tokens = admin.data("{ myApiTokens { id name } }", json!({})).await;
    let id =
        tokens["myApiTokens"].as_array().unwrap().iter().find(|t| t["name"] == "ws-revoked").unwrap()["id"].clone();
    admin.data("mutation ($id: ID!) { revokeApiToken(id: $id) { id } }", json!({ "id": id })).await;
    admin.data("mutation { logout }", json!({})).await;

    let after = by_cookie.run(me, json!({})).await;
    assert!(after["data"]["me"].is_null(), "{after}");
    let after = by_token.run(me, json!({})).await;
    assert_eq!(first_code(&after), "UNAUTHENTICATED", "{after}");
}

crate::on_both_databases!(
    ended_sessions_and_revoked_tokens_stop_counting,
    foreign_origins_may_not_use_the_cookie,
    anonymous_subscribers_see_public_fields_only,
    a_liaison_has_a_liaisons_rights_and_is_audited,
    limits_apply_and_every_error_has_a_code,
);
