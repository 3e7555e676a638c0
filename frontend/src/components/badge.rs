//! The status badge.

use leptos::prelude::*;
use shared::domain::ProjectStatus;

use crate::i18n::{pick, use_lang};

/// The status in the current language, as a badge.
pub fn status_badge(status: Option<ProjectStatus>) -> impl IntoView {
    let lang = use_lang();
    let code = status.map_or("unknown", ProjectStatus::code);
    let label = move || status.map_or("?", |status| pick(lang.get(), status.label_zh(), status.label_en()));
    view! { <span class=format!("status status-{code}") data-status=code>{label}</span> }
}
