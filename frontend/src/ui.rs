//! Small pieces every page uses: loading and error states, labels of the shared enums in the
//! current language, CSV and downloads.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use shared::{domain::ProjectStatus, error_code::ErrorCode};
use wasm_bindgen::JsCast;

use crate::{
    api,
    i18n::{Lang, Text, text, tr, use_lang},
};

/// What a page loaded from the API: `None` until the first answer.
pub type Loaded<T> = RwSignal<Option<Result<T, api::Error>>>;

/// Loads with `fetch` when the page mounts and again whenever a signal read by `fetch`
/// changes; an answer that arrives after a newer request was made is dropped. The last
/// answer stays on screen while the next one loads.
///
/// The app's own loader instead of `LocalResource` + `Suspense`: with eighteen operations,
/// their async machinery per response type cost about 8% of the bundle.
pub fn load<T, F>(fetch: impl Fn() -> F + 'static) -> Loaded<T>
where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, api::Error>> + 'static,
{
    let state: Loaded<T> = RwSignal::new(None);
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let future = fetch();
        latest.update_value(|request| *request += 1);
        let request = latest.get_value();
        leptos::task::spawn_local(async move {
            let result = future.await;
            if latest.try_get_value() == Some(request) {
                state.try_set(Some(result));
            }
        });
    });
    state
}

/// Shows `render(data)` once `state` has loaded, a loading line before, and an alert with
/// the error's code if it failed.
pub fn loaded<T, V>(state: Loaded<T>, render: impl Fn(T) -> V + Send + Sync + 'static) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || match state.get() {
        None => view! { <p class="loading" role="status">{tr(Text::Loading)}</p> }.into_any(),
        Some(Ok(data)) => render(data).into_any(),
        Some(Err(error)) => error_view(error).into_any(),
    }
}

/// An alert for a failed call, in the current language, with the machine-readable code.
pub fn error_view(error: api::Error) -> impl IntoView {
    let lang = use_lang();
    let message = move || {
        let lang = lang.get();
        let reason = match &error {
            api::Error::Network(_) => text(lang, Text::NetworkFailed).to_owned(),
            api::Error::Api { .. } if error.code() == Some(ErrorCode::NotFound) => {
                text(lang, Text::NotFoundBody).to_owned()
            }
            api::Error::Api { code, message } => format!("{message} ({code})"),
        };
        format!("{}{reason}", text(lang, Text::LoadFailed))
    };
    view! { <p class="error" role="alert">{message}</p> }
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
pub fn lookup(pairs: Vec<(String, String)>) -> impl Fn(&str) -> Option<String> {
    move |key| pairs.iter().find(|(name, _)| name == key).map(|(_, value)| value.clone())
}

/// The Chinese or the English string, by language.
pub fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

/// A generated GraphQL enum's name (`IN_PROGRESS`): its `Debug` form.
fn name_of<S: std::fmt::Debug>(value: &S) -> String {
    format!("{value:?}")
}

/// A generated GraphQL enum from its name.
fn enum_named<S: DeserializeOwned>(name: &str) -> Option<S> {
    S::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(name)).ok()
}

/// Reads a generated GraphQL enum (`IN_PROGRESS`) as the shared status (`in_progress`).
pub fn status_of<S: std::fmt::Debug>(value: &S) -> Option<ProjectStatus> {
    ProjectStatus::from_code(&code_of(value))
}

/// Writes a shared status as a generated GraphQL enum.
pub fn status_to<S: DeserializeOwned>(status: ProjectStatus) -> Option<S> {
    enum_named(&status.code().to_ascii_uppercase())
}

/// Reads any generated GraphQL enum as its shared counterpart's stable code (`IN_PROGRESS` →
/// `in_progress`), for lookups with the shared `from_code`.
pub fn code_of<S: std::fmt::Debug>(value: &S) -> String {
    name_of(value).to_ascii_lowercase()
}

/// The GraphQL name of a shared enum's variant: `HuoqiuCounty` → `HUOQIU_COUNTY` (the API's
/// enums are derived from the shared ones, so the names match).
pub fn graphql_name<T: std::fmt::Debug>(value: T) -> String {
    let mut name = String::new();
    for (index, letter) in name_of(&value).chars().enumerate() {
        if letter.is_ascii_uppercase() && index > 0 {
            name.push('_');
        }
        name.push(letter.to_ascii_uppercase());
    }
    name
}

/// Reads a generated GraphQL enum as one of the shared enum's values.
pub fn from_graphql<T: std::fmt::Debug + Copy, S: std::fmt::Debug>(all: &[T], value: &S) -> Option<T> {
    let name = name_of(value);
    all.iter().copied().find(|candidate| graphql_name(*candidate) == name)
}

/// Writes a shared enum's value as a generated GraphQL enum.
pub fn to_graphql<S: DeserializeOwned, T: std::fmt::Debug>(value: T) -> Option<S> {
    enum_named(&graphql_name(value))
}

/// The status in the current language, as a badge.
pub fn status_badge(status: Option<ProjectStatus>) -> impl IntoView {
    let lang = use_lang();
    let code = status.map_or("unknown", ProjectStatus::code);
    let label = move || status.map_or("?", |status| pick(lang.get(), status.label_zh(), status.label_en()));
    view! { <span class=format!("status status-{code}") data-status=code>{label}</span> }
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// Starts a download of `href` (a data URL) as `filename`.
pub fn download(filename: &str, href: &str) {
    let Ok(anchor) = document().create_element("a") else { return };
    let _ = anchor.set_attribute("href", href);
    let _ = anchor.set_attribute("download", filename);
    if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlElement>() {
        anchor.click();
    }
}

/// Downloads `csv` as a UTF-8 file with a byte-order mark (so that Excel reads Chinese).
pub fn download_csv(filename: &str, csv: &str) {
    let encoded = String::from(js_sys::encode_uri_component(csv));
    download(filename, &format!("data:text/csv;charset=utf-8,%EF%BB%BF{encoded}"));
}

/// The part of an RFC 3339 timestamp a reader needs: `2024-03-05 14:07`.
pub fn short_time(timestamp: &str) -> String {
    timestamp.get(..16).map_or_else(|| timestamp.to_owned(), |head| head.replacen('T', " ", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_enums_map_to_the_shared_state_machine() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        enum Generated {
            IN_PROGRESS,
            COMPLETED,
        }
        assert_eq!(status_of(&Generated::IN_PROGRESS), Some(ProjectStatus::InProgress));
        assert_eq!(status_to::<Generated>(ProjectStatus::Completed), Some(Generated::COMPLETED));
        assert_eq!(status_to::<Generated>(ProjectStatus::Proposed), None);
        assert_eq!(code_of(&Generated::IN_PROGRESS), "in_progress");
        assert_eq!(graphql_name(shared::domain::County::HuoqiuCounty), "HUOQIU_COUNTY");
        assert_eq!(from_graphql(ProjectStatus::ALL, &Generated::IN_PROGRESS), Some(ProjectStatus::InProgress));
        assert_eq!(to_graphql::<Generated, _>(ProjectStatus::Completed), Some(Generated::COMPLETED));
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("皖西学院"), "皖西学院");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn timestamps_are_shortened_to_the_minute() {
        assert_eq!(short_time("2024-03-05T14:07:59.123Z"), "2024-03-05 14:07");
        assert_eq!(short_time("2024"), "2024");
    }
}
