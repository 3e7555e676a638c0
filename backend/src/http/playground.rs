//! The GraphQL playground at `/playground`: GraphiQL, React, our page and the example queries
//! are all compiled into the binary (see `build.rs`), so it works on an intranet with no
//! internet access. A content security policy keeps the page from reaching any other host.

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

macro_rules! vendor {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/playground/", $name))
    };
}

/// Whether the npm packages were present when the binary was built.
const COMPLETE: bool = matches!(env!("LIANQIAO_PLAYGROUND_COMPLETE").as_bytes(), b"true");

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/// The example tabs: (file name, query, variables).
const EXAMPLES: &[(&str, &str, &str)] = &[
    ("network", include_str!("../../../playground/examples/1-network.graphql"), ""),
    ("bi", include_str!("../../../playground/examples/2-bi.graphql"), ""),
    (
        "liaison",
        include_str!("../../../playground/examples/3-liaison.graphql"),
        "{\n  \"projectId\": \"paste an id from MyProjects\",\n  \"expectedVersion\": 1\n}",
    ),
];

static EXAMPLES_JSON: LazyLock<String> = LazyLock::new(|| {
    let examples: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(name, query, variables)| serde_json::json!({ "name": name, "query": query, "variables": variables }))
        .collect();
    serde_json::Value::Array(examples).to_string()
});

fn asset(name: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match name {
        "playground.js" => (include_bytes!("../../../playground/web/playground.js"), "text/javascript; charset=utf-8"),
        "graphiql.min.js" => (vendor!("graphiql.min.js"), "text/javascript; charset=utf-8"),
        "graphiql.min.css" => (vendor!("graphiql.min.css"), "text/css; charset=utf-8"),
        "react.production.min.js" => (vendor!("react.production.min.js"), "text/javascript; charset=utf-8"),
        "react-dom.production.min.js" => (vendor!("react-dom.production.min.js"), "text/javascript; charset=utf-8"),
        "examples.json" => (EXAMPLES_JSON.as_bytes(), "application/json"),
        _ => return None,
    })
}

/// `GET /playground`.
pub async fn page() -> Response {
    if !COMPLETE {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The playground's assets were not installed when this server was built: \
             run `npm ci --prefix playground` and rebuild.",
        )
            .into_response();
    }
    let mut response =
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], include_str!("../../../playground/web/index.html"))
            .into_response();
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    response
}

/// `GET /playground/<asset>`.
pub async fn file(Path(name): Path<String>) -> Response {
    let Some((bytes, content_type)) = asset(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], bytes).into_response()
}
