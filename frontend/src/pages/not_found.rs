//! The page for paths the app does not know.

use leptos::prelude::*;

use crate::i18n::{Text, tr};

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main>
            <h2>{tr(Text::NotFoundTitle)}</h2>
            <p data-testid="not-found">{tr(Text::NotFoundBody)} " " <a href="/">{tr(Text::BackHome)}</a></p>
        </main>
    }
}
