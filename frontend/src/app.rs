//! The app shell: masthead, navigation, language switch, and the client-side routes. Every
//! page is a deep link (the server answers `index.html` for unknown paths).

use leptos::prelude::*;

use crate::{
    i18n::{self, Text, tr},
    pages,
    router::{self, Route},
};

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
                {link("/data", Text::NavData)}
                <button type="button" class="language" data-testid="switch-language" on:click=switch_language>
                    {tr(Text::SwitchLanguage)}
                </button>
            </nav>
        </header>
        {move || match route.get() {
            Route::Dashboard => view! { <pages::dashboard::Dashboard /> }.into_any(),
            Route::Network => view! { <pages::network::NetworkPage /> }.into_any(),
            Route::Chains => view! { <pages::chains::ChainsPage /> }.into_any(),
            Route::Chain(id) => view! { <pages::chain::ChainPage id=id /> }.into_any(),
            Route::Projects => view! { <pages::projects::ProjectsPage /> }.into_any(),
            Route::Project(id) => view! { <pages::project::ProjectPage id=id /> }.into_any(),
            Route::Enterprise(id) => view! { <pages::enterprise::EnterprisePage id=id /> }.into_any(),
            Route::Institution(id) => view! { <pages::institution::InstitutionPage id=id /> }.into_any(),
            Route::Desk => view! { <pages::desk::DeskPage /> }.into_any(),
            Route::Data => view! { <pages::data::DataPage /> }.into_any(),
            Route::LayoutLab => view! { <pages::lab::LayoutLab /> }.into_any(),
            Route::NotFound => view! { <pages::not_found::NotFound /> }.into_any(),
        }}
    }
}
