//! The chain list: each chain with its coverage and gaps.

use leptos::prelude::*;

use crate::{
    api::{self, chains},
    components::loader,
    format::percent,
    i18n::{Lang, Text, text, tr, use_lang},
};

/// The chain list.
#[component]
pub fn ChainsPage() -> impl IntoView {
    let chains = loader::load(|| api::run::<api::Chains>(chains::Variables));
    let lang = use_lang();
    view! {
        <main>
            <h2>{tr(Text::NavChains)}</h2>
            {loader::loaded(chains, move |data| view! {
                <ul class="cards" data-testid="chains">
                    {data.industry_chains.nodes.into_iter().map(|chain| {
                        let total: i64 = chain.analysis.segments.iter().map(|segment| segment.enterprise_count).sum();
                        let covered: i64 = chain.analysis.segments.iter().map(|segment| segment.covered_enterprise_count).sum();
                        let gaps = chain.analysis.gaps.len();
                        let (zh, en) = (chain.name_zh.clone(), chain.name_en.clone());
                        view! {
                            <li class="card">
                                <a href=format!("/chains/{}", chain.id)>{move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</a>
                                <p>{move || format!("{}{} / {} ({}%) · {}{gaps}",
                                    text(lang.get(), Text::Coverage), covered, total, percent(covered, total), text(lang.get(), Text::Gaps))}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </main>
    }
}
