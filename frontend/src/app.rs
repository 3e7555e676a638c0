//! The app shell: masthead, navigation, language switch, and the client-side routes. Every
//! page is a deep link (the server answers `index.html` for unknown paths).

use leptos::prelude::*;
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};

use crate::i18n::{self, Text, tr};

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
    view! {
        <Router>
            <header class="masthead">
                <h1>"链桥 Lianqiao"</h1>
                <p class="tagline">{tr(Text::Tagline)}</p>
                <nav aria-label=tr(Text::MainNavigation)>
                    <A href="/" exact=true>{tr(Text::NavIndicators)}</A>
                    <A href="/network">{tr(Text::NavNetwork)}</A>
                    <A href="/chains">{tr(Text::NavChains)}</A>
                    <A href="/projects">{tr(Text::NavProjects)}</A>
                    <A href="/desk">{tr(Text::NavDesk)}</A>
                    <button type="button" class="language" data-testid="switch-language" on:click=switch_language>
                        {tr(Text::SwitchLanguage)}
                    </button>
                </nav>
            </header>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=crate::dashboard::Dashboard />
                <Route path=path!("/network") view=crate::network::NetworkPage />
                <Route path=path!("/chains") view=crate::chain::ChainsPage />
                <Route path=path!("/chains/:id") view=crate::chain::ChainPage />
                <Route path=path!("/projects") view=crate::projects::ProjectsPage />
                <Route path=path!("/projects/:id") view=crate::projects::ProjectPage />
                <Route path=path!("/enterprises/:id") view=crate::entity::EnterprisePage />
                <Route path=path!("/institutions/:id") view=crate::entity::InstitutionPage />
                <Route path=path!("/desk") view=crate::desk::DeskPage />
                <Route path=path!("/lab/layout") view=crate::network::LayoutLab />
            </Routes>
        </Router>
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
