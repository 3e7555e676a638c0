//! The app shell and its first page: the published figures next to the figures counted from
//! the records.

use leptos::prelude::*;

use crate::{
    api::{self, Indicator},
    i18n::{self, Lang, Text, text, tr},
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

/// The pages, by path. Every page is a deep link (the server answers `index.html` for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Network,
    NotFound,
}

impl Page {
    pub fn from_path(path: &str) -> Self {
        match path.trim_end_matches('/') {
            "" => Self::Home,
            "/network" => Self::Network,
            _ => Self::NotFound,
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let page = Page::from_path(&path);
    let (lang, set_lang) = signal(i18n::initial());
    i18n::remember(lang.get_untracked());
    provide_context(lang);
    let switch_language = move |_| {
        let next = lang.get_untracked().other();
        set_lang.set(next);
        i18n::remember(next);
    };
    view! {
        <header class="masthead">
            <h1>"链桥 Lianqiao"</h1>
            <p class="tagline">{tr(Text::Tagline)}</p>
            <nav aria-label=tr(Text::MainNavigation)>
                <a href="/" aria-current=(page == Page::Home).then_some("page")>{tr(Text::NavIndicators)}</a>
                <a href="/network" aria-current=(page == Page::Network).then_some("page")>{tr(Text::NavNetwork)}</a>
                <button type="button" class="language" data-testid="switch-language" on:click=switch_language>
                    {tr(Text::SwitchLanguage)}
                </button>
            </nav>
        </header>
        {match page {
            Page::Home => view! { <Home /> }.into_any(),
            Page::Network => view! { <crate::network::NetworkPage /> }.into_any(),
            Page::NotFound => view! {
                <main>
                    <h2>{tr(Text::NotFoundTitle)}</h2>
                    <p data-testid="not-found">{tr(Text::NotFoundBody)} " " <a href="/">{tr(Text::BackHome)}</a></p>
                </main>
            }.into_any(),
        }}
    }
}

#[component]
fn Home() -> impl IntoView {
    let indicators = LocalResource::new(api::indicators);
    let lang = i18n::use_lang();
    view! {
        <main>
            <h2>{tr(Text::IndicatorsTitle)}</h2>
            <Suspense fallback=move || view! { <p class="loading" role="status">{tr(Text::Loading)}</p> }>
                {move || indicators.get().map(|result| match result {
                    Ok(rows) => view! { <IndicatorTable rows=rows /> }.into_any(),
                    Err(error) => {
                        let message = move || format!("{}{error}", text(lang.get(), Text::LoadFailed));
                        view! { <p class="error" role="alert">{message}</p> }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn IndicatorTable(rows: Vec<Indicator>) -> impl IntoView {
    let lang = i18n::use_lang();
    let (source, as_of) = rows.first().map(|row| (row.source.clone(), row.as_of.clone())).unwrap_or_default();
    let source = move || match lang.get() {
        Lang::Zh => format!("{}{source}（{as_of}）", text(Lang::Zh, Text::Source)),
        Lang::En => format!("{}{source} ({as_of})", text(Lang::En, Text::Source)),
    };
    view! {
        <table class="indicators" data-testid="indicators">
            <thead>
                <tr>
                    <th scope="col">{tr(Text::Indicator)}</th>
                    <th scope="col">{tr(Text::Published)}</th>
                    <th scope="col">{tr(Text::Computed)}</th>
                    <th scope="col">{tr(Text::Matches)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let matches = row.published_value == row.computed_value;
                    view! {
                        <tr data-key=row.key.clone() class:mismatch=!matches>
                            <th scope="row">{
                                let (zh, en) = (row.label.clone(), row.label_en.clone());
                                move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }
                            }</th>
                            <td class="number published">{thousands(row.published_value)}</td>
                            <td class="number computed">{thousands(row.computed_value)}</td>
                            <td class="status">{if matches { "✓" } else { "✗" }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="source">{source}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::{Page, thousands};

    #[test]
    fn paths_choose_pages() {
        assert_eq!(Page::from_path("/"), Page::Home);
        assert_eq!(Page::from_path("/network"), Page::Network);
        assert_eq!(Page::from_path("/network/"), Page::Network);
        assert_eq!(Page::from_path("/network/some/deep/link"), Page::NotFound);
    }

    #[test]
    fn groups_thousands_like_the_published_figures() {
        assert_eq!(thousands(17_553), "17,553");
        assert_eq!(thousands(1_402), "1,402");
        assert_eq!(thousands(186), "186");
        assert_eq!(thousands(-1_000_000), "-1,000,000");
    }
}
