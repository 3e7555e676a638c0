//! The app shell and its first page: the published figures next to the figures counted from
//! the records.

use leptos::prelude::*;

use crate::api::{self, Indicator};

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
    view! {
        <header class="masthead">
            <h1>"链桥 Lianqiao"</h1>
            <p class="tagline">"六安市校企合作与产业链协同平台（演示数据）"</p>
            <nav aria-label="主导航">
                <a href="/" aria-current=(page == Page::Home).then_some("page")>"公开指标"</a>
                <a href="/network" aria-current=(page == Page::Network).then_some("page")>"合作网络"</a>
            </nav>
        </header>
        {match page {
            Page::Home => view! { <Home /> }.into_any(),
            Page::Network => view! { <crate::network::NetworkPage /> }.into_any(),
            Page::NotFound => view! {
                <main>
                    <h2>"页面不存在"</h2>
                    <p data-testid="not-found">"没有这个页面。" <a href="/">"返回首页"</a></p>
                </main>
            }.into_any(),
        }}
    }
}

#[component]
fn Home() -> impl IntoView {
    let indicators = LocalResource::new(api::indicators);
    view! {
        <main>
            <h2>"公开指标：公布值与系统计算值"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"正在加载…"</p> }>
                {move || indicators.get().map(|result| match result {
                    Ok(rows) => view! { <IndicatorTable rows=rows /> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{format!("加载失败：{error}")}</p> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn IndicatorTable(rows: Vec<Indicator>) -> impl IntoView {
    let source = rows.first().map(|row| format!("来源：{}（{}）", row.source, row.as_of)).unwrap_or_default();
    view! {
        <table class="indicators" data-testid="indicators">
            <thead>
                <tr><th scope="col">"指标"</th><th scope="col">"公布值"</th><th scope="col">"计算值"</th><th scope="col">"一致"</th></tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let matches = row.published_value == row.computed_value;
                    view! {
                        <tr data-key=row.key.clone() class:mismatch=!matches>
                            <th scope="row" title=row.label_en.clone()>{row.label.clone()}</th>
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
