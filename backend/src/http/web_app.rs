//! The web app compiled into the binary (`build.rs` embeds `frontend/dist`): its files by
//! path, and `index.html` for every other path that is not the API's, so client-side routes can
//! be deep-linked. `--static-dir` serves a directory instead (for development).

use axum::{
    http::{HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};

include!(concat!(env!("OUT_DIR"), "/web_app.rs"));

/// The media type of a file, by its extension.
fn media_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn file(path: &str) -> Option<&'static [u8]> {
    WEB_APP.iter().find(|(name, _)| *name == path).map(|(_, bytes)| *bytes)
}

/// Whether the binary carries the web app.
pub fn embedded() -> bool {
    file("index.html").is_some()
}

/// Any path the router does not know: a file of the app, or the app's `index.html`.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let (name, bytes) = match file(path) {
        Some(bytes) if !path.is_empty() => (path, bytes),
        _ => match file("index.html") {
            // A missing asset (a path with an extension) is a 404, not the app's page.
            Some(_) if path.rsplit('/').next().is_some_and(|last| last.contains('.')) => {
                return (StatusCode::NOT_FOUND, "not found").into_response();
            }
            Some(index) => ("index.html", index),
            None => {
                return (
                    StatusCode::NOT_FOUND,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    "This server was built without the web app. Build it with scripts/build-frontend.sh and \
                     rebuild the server, or start the server with --static-dir frontend/dist. The API is at /graphql.",
                )
                    .into_response();
            }
        },
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type(name)));
    // The file names do not change between builds: check before reusing a cached copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_get_their_media_types() {
        assert_eq!(media_type("lianqiao_bg.wasm"), "application/wasm");
        assert_eq!(media_type("lianqiao.js"), "text/javascript; charset=utf-8");
        assert_eq!(media_type("index.html"), "text/html; charset=utf-8");
    }
}
