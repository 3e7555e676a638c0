//! The app shell: masthead, navigation, language switch, and the client-side routes. Every
//! page is a deep link (the server answers `index.html` for unknown paths).

use leptos::prelude::*;

use crate::{
    i18n::{self, Text, tr},
    router::{self, Route},
};

/// Formats an integer with thousands separators, as the published figures are written.
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < 0 { format!("-{grouped}") } else { grouped }
}

#[component]
pub fn App() -> impl IntoView {
    let (lang, set_lang) = signal(i18n::initial());
    i18n::remember(lang.get_untracked());
    provide_context(lang);
    crate::session::provide();
    let switch_language = move |_| {
        let next = lang.get_untracked().other();
        set_lang.set(next);
        i18n::remember(next);
    };
    router::provide();
    let route = router::use_route();
    let link = |href: &'static str, label: Text| {
        let current = router::is_current(href);
        view! { <a href=href aria-current=move || current.get().then_some("page")>{tr(label)}</a> }
    };
    view! {
        <header class="masthead">
            <h1>"链桥 Lianqiao"</h1>
            <p class="tagline">{tr(Text::Tagline)}</p>
            <nav aria-label=tr(Text::MainNavigation)>
                {link("/", Text::NavIndicators)}
                {link("/network", Text::NavNetwork)}
                {link("/chains", Text::NavChains)}
                {link("/projects", Text::NavProjects)}
                {link("/desk", Text::NavDesk)}
                <button type="button" class="language" data-testid="switch-language" on:click=switch_language>
                    {tr(Text::SwitchLanguage)}
                </button>
            </nav>
        </header>
        {move || match route.get() {
            Route::Dashboard => view! { <crate::dashboard::Dashboard /> }.into_any(),
            Route::Network => view! { <crate::network::NetworkPage /> }.into_any(),
            Route::Chains => view! { <crate::chain::ChainsPage /> }.into_any(),
            Route::Chain(id) => view! { <crate::chain::ChainPage id=id /> }.into_any(),
            Route::Projects => view! { <crate::projects::ProjectsPage /> }.into_any(),
            Route::Project(id) => view! { <crate::projects::ProjectPage id=id /> }.into_any(),
            Route::Enterprise(id) => view! { <crate::entity::EnterprisePage id=id /> }.into_any(),
            Route::Institution(id) => view! { <crate::entity::InstitutionPage id=id /> }.into_any(),
            Route::Desk => view! { <crate::desk::DeskPage /> }.into_any(),
            Route::LayoutLab => view! { <crate::network::LayoutLab /> }.into_any(),
            Route::NotFound => view! { <NotFound /> }.into_any(),
        }}
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main>
            <h2>{tr(Text::NotFoundTitle)}</h2>
            <p data-testid="not-found">{tr(Text::NotFoundBody)} " " <a href="/">{tr(Text::BackHome)}</a></p>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn groups_thousands_like_the_published_figures() {
        assert_eq!(thousands(17_553), "17,553");
        assert_eq!(thousands(1_402), "1,402");
        assert_eq!(thousands(186), "186");
        assert_eq!(thousands(-1_000_000), "-1,000,000");
    }
}
