//! Client-side routing: the current URL as a signal, same-origin link clicks and the back and
//! forward buttons turned into history entries without reloading, and the app's routes.
//!
//! The app's own instead of `leptos_router`: the routes are few and flat, and the router's
//! generic matching cost about 5% of the WebAssembly bundle, which has a 400 KB budget.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};

/// A page of the app, with the ID its path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Dashboard,
    Network,
    Chains,
    Chain(String),
    Projects,
    Project(String),
    Enterprise(String),
    Institution(String),
    Desk,
    Data,
    LayoutLab,
    NotFound,
}

impl Route {
    /// The page a path shows (a trailing slash is ignored).
    pub fn from_path(path: &str) -> Self {
        let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|segment| !segment.is_empty()).collect();
        let id = |value: &str| value.to_owned();
        match segments.as_slice() {
            [] => Self::Dashboard,
            ["network"] => Self::Network,
            ["chains"] => Self::Chains,
            ["chains", chain] => Self::Chain(id(chain)),
            ["projects"] => Self::Projects,
            ["data"] => Self::Data,
            ["projects", project] => Self::Project(id(project)),
            ["enterprises", enterprise] => Self::Enterprise(id(enterprise)),
            ["institutions", institution] => Self::Institution(id(institution)),
            ["desk"] => Self::Desk,
            ["lab", "layout"] => Self::LayoutLab,
            _ => Self::NotFound,
        }
    }
}

/// The current location: path and query string (with its `?`).
#[derive(Debug, Clone, Copy)]
pub struct Location(RwSignal<(String, String)>);

fn read_location() -> (String, String) {
    let location = window().location();
    (location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
}

thread_local! {
    /// The one location of the page, reachable from event handlers (which run outside any
    /// reactive owner, so they cannot use the context).
    static LOCATION: std::cell::OnceCell<Location> = const { std::cell::OnceCell::new() };
}

fn location() -> Location {
    LOCATION.with(|cell| *cell.get_or_init(|| Location(RwSignal::new(read_location()))))
}

/// Starts following link clicks and history navigation.
pub fn provide() -> Location {
    let location = location();
    let on_popstate = Closure::<dyn FnMut()>::new(move || location.0.set(read_location()));
    let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
        if let Some(href) = internal_link(&event) {
            event.prevent_default();
            navigate(&href);
        }
    });
    let _ = window().add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The app lives as long as the page: the listeners are never removed.
    on_popstate.forget();
    on_click.forget();
    location
}

/// The path and query of a plain left click on a link to one of the app's pages, if this is
/// one.
fn internal_link(event: &web_sys::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let target: web_sys::Element = event.target()?.dyn_into().ok()?;
    let anchor = target.closest("a[href]").ok()??;
    if anchor.has_attribute("download") || anchor.get_attribute("target").is_some_and(|target| target != "_self") {
        return None;
    }
    let anchor: web_sys::HtmlAnchorElement = anchor.dyn_into().ok()?;
    let origin = window().location().origin().ok()?;
    // Paths that are not the app's pages (the playground, exports, metrics) load normally.
    let ours = anchor.origin() == origin && Route::from_path(&anchor.pathname()) != Route::NotFound;
    ours.then(|| format!("{}{}{}", anchor.pathname(), anchor.search(), anchor.hash()))
}

/// Goes to `href` (a path with an optional query) without reloading the page.
pub fn navigate(href: &str) {
    let Ok(history) = window().history() else { return };
    let previous_path = window().location().pathname().unwrap_or_default();
    if history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href)).is_ok() {
        let next = read_location();
        if next.0 != previous_path {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
        location().0.set(next);
    }
}

/// Replaces the current URL with `href` (same page, other settings: a selection, a path)
/// without adding a history entry.
pub fn replace(href: &str) {
    let Ok(history) = window().history() else { return };
    if history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href)).is_ok() {
        location().0.set(read_location());
    }
}

/// The page the current path shows; changes only when the page (or its ID) changes.
pub fn use_route() -> Memo<Route> {
    let location = location();
    Memo::new(move |_| location.0.with(|(path, _)| Route::from_path(path)))
}

/// Whether `href` is the current path (for `aria-current` in the navigation).
pub fn is_current(href: &'static str) -> Memo<bool> {
    let location = location();
    Memo::new(move |_| {
        location.0.with(|(path, _)| {
            let path = path.trim_end_matches('/');
            if href == "/" { path.is_empty() } else { path == href || path.starts_with(&format!("{href}/")) }
        })
    })
}

/// The query string's values, decoded, as (key, value) pairs.
pub fn use_query() -> Memo<Vec<(String, String)>> {
    let location = location();
    Memo::new(move |_| location.0.with(|(_, search)| parse_query(search)))
}

/// Decodes `?a=1&b=x%20y` into pairs (`+` is a space, as forms write it).
pub fn parse_query(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(&text.replace('+', " "))
                    .decode_utf8()
                    .ok()
                    .map(|text| text.into_owned())
            };
            Some((decode(key)?, decode(value)?))
        })
        .collect()
}

/// A lookup over query pairs, as the pages read their state.
pub fn lookup(pairs: &[(String, String)]) -> impl Fn(&str) -> Option<String> + '_ {
    move |key| pairs.iter().find(|(name, _)| name == key).map(|(_, value)| value.clone())
}

/// Characters left as they are in URL query values (RFC 3986 unreserved).
const QUERY_VALUE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A link: `path` with `params` as its query string (none when empty).
pub fn link(path: &str, params: Vec<(&str, String)>) -> String {
    let query: Vec<String> = params
        .into_iter()
        .map(|(key, value)| format!("{key}={}", percent_encoding::utf8_percent_encode(&value, QUERY_VALUE)))
        .collect();
    if query.is_empty() { path.to_owned() } else { format!("{path}?{}", query.join("&")) }
}

/// A link's query as (key, decoded value) pairs; the inverse of `link`, for tests.
#[cfg(test)]
pub fn query_pairs(href: &str) -> Vec<(String, String)> {
    let Some((_, query)) = href.split_once('?') else { return Vec::new() };
    query
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            Some((key.to_owned(), percent_encoding::percent_decode_str(value).decode_utf8().ok()?.into_owned()))
        })
        .collect()
}

/// A lookup over `query_pairs`, as the pages read the URL.
#[cfg(test)]
pub fn lookup_owned(pairs: Vec<(String, String)>) -> impl Fn(&str) -> Option<String> {
    move |key| pairs.iter().find(|(name, _)| name == key).map(|(_, value)| value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_choose_pages() {
        assert_eq!(Route::from_path("/"), Route::Dashboard);
        assert_eq!(Route::from_path("/network/"), Route::Network);
        assert_eq!(Route::from_path("/projects/UHJvamVjdDox"), Route::Project("UHJvamVjdDox".to_owned()));
        assert_eq!(Route::from_path("/chains/Q2hhaW46MQ"), Route::Chain("Q2hhaW46MQ".to_owned()));
        assert_eq!(Route::from_path("/lab/layout"), Route::LayoutLab);
        assert_eq!(Route::from_path("/network/some/deep/link"), Route::NotFound);
        assert_eq!(Route::from_path("/projects/a/b"), Route::NotFound);
    }

    #[test]
    fn query_strings_decode() {
        let pairs = parse_query("?q=%E7%94%B5%E6%9C%BA&status=in_progress&flag&x=a+b");
        assert_eq!(lookup(&pairs)("q").as_deref(), Some("电机"));
        assert_eq!(lookup(&pairs)("status").as_deref(), Some("in_progress"));
        assert_eq!(lookup(&pairs)("flag").as_deref(), Some(""));
        assert_eq!(lookup(&pairs)("x").as_deref(), Some("a b"));
        assert_eq!(lookup(&pairs)("missing"), None);
        assert!(parse_query("").is_empty());
    }
}
