//! The web app compiled into the binary (`build.rs` embeds `frontend/dist`): its files by
//! path, and `index.html` for every other path that is not the API's, so client-side routes can
//! be deep-linked. `--static-dir` serves a directory instead (for development).

use std::{collections::HashMap, sync::LazyLock};

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

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

/// Whether a file's name carries a digest of its content (`lianqiao_bg.0123456789abcdef.wasm`,
/// see `scripts/build-frontend.sh`).
fn fingerprinted(name: &str) -> bool {
    name.split('.').any(|part| part.len() == 16 && part.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

/// Whether one entry of `Accept-Encoding` accepts gzip (`gzip`, `gzip;q=0.8`; not `gzip;q=0`).
fn accepts_gzip(entry: &str) -> bool {
    let mut parts = entry.split(';').map(str::trim);
    parts.next().is_some_and(|coding| coding.eq_ignore_ascii_case("gzip"))
        && parts.all(|parameter| parameter.strip_prefix("q=").is_none_or(|q| q.parse::<f32>().is_ok_and(|q| q > 0.0)))
}

/// Whether the binary carries the web app.
pub fn embedded() -> bool {
    file("index.html").is_some()
}

/// Each file's entity tag: a digest of its bytes, so a browser revalidates with one small
/// request and downloads a file again only when a new build changed it.
static ETAGS: LazyLock<HashMap<&'static str, HeaderValue>> = LazyLock::new(|| {
    WEB_APP
        .iter()
        .filter_map(|(name, bytes)| {
            let digest = Sha256::digest(bytes);
            let tag: String = digest[..12].iter().map(|byte| format!("{byte:02x}")).collect();
            Some((*name, HeaderValue::from_str(&format!("\"{tag}\"")).ok()?))
        })
        .collect()
});

/// Any path the router does not know: a file of the app, or the app's `index.html`.
pub async fn serve(uri: Uri, request_headers: HeaderMap) -> Response {
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
    // A precompressed copy (`<file>.gz`, made by the build) for clients that accept gzip.
    let gzip = request_headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accepted| accepted.split(',').any(accepts_gzip));
    let compressed = if gzip { file(&format!("{name}.gz")) } else { None };
    let bytes = compressed.unwrap_or(bytes);
    // Each variant has its own tag (the compressed bytes differ from the plain ones).
    let etag = ETAGS.get(name).and_then(|tag| {
        let tag = tag.to_str().ok()?;
        let tag = if compressed.is_some() { format!("{}-gz\"", tag.trim_end_matches('"')) } else { tag.to_owned() };
        HeaderValue::from_str(&tag).ok()
    });
    let fresh = etag.as_ref().is_some_and(|etag| {
        request_headers.get(header::IF_NONE_MATCH).is_some_and(|asked| {
            asked
                .to_str()
                .is_ok_and(|asked| asked.split(',').any(|one| one.trim() == etag.to_str().unwrap_or_default()))
        })
    });
    let mut response = if fresh { StatusCode::NOT_MODIFIED.into_response() } else { bytes.into_response() };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type(name)));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if compressed.is_some() && !fresh {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    // Fingerprinted files never change under their name: a browser keeps them for a year.
    // index.html keeps its name: it is revalidated (by entity tag) before a cached copy is used.
    let policy = if fingerprinted(name) { "public, max-age=31536000, immutable" } else { "no-cache" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag);
    }
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

    #[test]
    fn gzip_is_sent_only_when_accepted() {
        assert!(accepts_gzip("gzip") && accepts_gzip(" gzip;q=0.8"));
        assert!(!accepts_gzip("gzip;q=0") && !accepts_gzip("br") && !accepts_gzip("x-gzip2"));
    }

    #[test]
    fn only_fingerprinted_names_are_immutable() {
        assert!(fingerprinted("lianqiao_bg.0123456789abcdef.wasm"));
        assert!(!fingerprinted("index.html"));
        assert!(!fingerprinted("lianqiao_bg.wasm"));
    }
}
