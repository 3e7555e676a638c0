//! Loading and error states: the app's own loader (instead of `LocalResource` + `Suspense`)
//! and how a failed request reads in the current language.

use leptos::prelude::*;
use shared::error_code::ErrorCode;

use crate::{
    api,
    i18n::{Lang, Text, explain, text, tr, use_lang},
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

/// An alert for a failed call, in the current language, with the machine-readable code: the
/// reason is the shared error code's reading, never the server's (English) message.
pub fn error_view(error: api::Error) -> impl IntoView {
    let lang = use_lang();
    let code = error.code_text().map(str::to_owned);
    // What the browser reported, for support (not shown).
    let detail = match &error {
        api::Error::Network(detail) => Some(detail.clone()),
        api::Error::Api { .. } => None,
    };
    let message = move || format!("{}{}", text(lang.get(), Text::LoadFailed), reason(lang.get(), &error));
    view! { <p class="error" role="alert" data-code=code data-detail=detail>{message}</p> }
}

/// Why a call failed, for a person: the network failure, "no such record", or the error
/// code's reading with the code. The server's own message is English: it is added to the
/// English reading only (details such as which value failed), never to the Chinese.
pub fn reason(lang: Lang, error: &api::Error) -> String {
    match error {
        api::Error::Network(_) => text(lang, Text::NetworkFailed).to_owned(),
        api::Error::Api { .. } if error.code() == Some(ErrorCode::NotFound) => {
            text(lang, Text::NotFoundBody).to_owned()
        }
        api::Error::Api { code, message } if lang == Lang::En && !message.is_empty() => {
            format!("{} ({code}): {message}", explain(lang, code))
        }
        api::Error::Api { code, .. } => format!("{}（{code}）", explain(lang, code)),
    }
}
