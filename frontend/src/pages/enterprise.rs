//! An enterprise's page: facts, projects, partners (from the graph index) and the employment
//! ledger.

use leptos::prelude::*;
use shared::domain::County;

use crate::{
    api::{self, enterprise_page},
    codes,
    components::{
        lists::{partner_item, project_item},
        loader,
    },
    format::thousands,
    i18n::{Lang, Text, pick, text, tr, use_lang},
};

#[component]
pub fn EnterprisePage(id: String) -> impl IntoView {
    let page = loader::load(move || api::run::<api::EnterprisePage>(enterprise_page::Variables { id: id.clone() }));
    view! { <main>{loader::loaded(page, |data| view! { <Enterprise data=data /> })}</main> }
}

#[component]
fn Enterprise(data: enterprise_page::ResponseData) -> impl IntoView {
    let lang = use_lang();
    let enterprise = data.enterprise;
    let county = codes::from_graphql(County::ALL, &enterprise.county);
    let yes_no = move |value: bool| text(lang.get(), if value { Text::Yes } else { Text::No });
    let (above, key) = (enterprise.above_scale, enterprise.is_key);
    let mut needs = enterprise.employment_needs.clone();
    needs.sort_by_key(|row| row.year);
    view! {
        <article class="entity" data-testid="enterprise">
            <h2>{enterprise.name.clone()}</h2>
            <p class="meta">{tr(Text::Enterprise)} {enterprise.is_demo.then(|| view! { " · " <span class="demo">{tr(Text::DemoRecord)}</span> })}</p>
            <dl class="facts">
                <dt>{tr(Text::CreditCode)}</dt><dd><code>{enterprise.credit_code.clone()}</code></dd>
                <dt>{tr(Text::County)}</dt><dd>{move || county.map_or("", |county| pick(lang.get(), county.label_zh(), county.label_en()))}</dd>
                <dt>{tr(Text::AboveScale)}</dt><dd>{move || yes_no(above)}</dd>
                <dt>{tr(Text::KeyEnterprise)}</dt><dd>{move || yes_no(key)}</dd>
                <dt>{tr(Text::Employees)}</dt><dd>{thousands(enterprise.employees)}</dd>
                <dt>{tr(Text::Founded)}</dt><dd>{enterprise.founded_year.map(|year| year.to_string()).unwrap_or_default()}</dd>
            </dl>
            <h3>{tr(Text::NavChains)}</h3>
            <ul class="segments">
                {enterprise.segments.iter().map(|segment| {
                    let names = (segment.chain.name_zh.clone(), segment.chain.name_en.clone(), segment.name_zh.clone(), segment.name_en.clone());
                    view! {
                        <li><a href=format!("/chains/{}", segment.chain.id)>{move || {
                            let (chain_zh, chain_en, zh, en) = &names;
                            if lang.get() == Lang::Zh { format!("{chain_zh} · {zh}") } else { format!("{chain_en} · {en}") }
                        }}</a></li>
                    }
                }).collect_view()}
            </ul>
            <h3>{move || format!("{} ({})", text(lang.get(), Text::NavProjects), enterprise.projects.total_count)}</h3>
            <ul class="projects" data-testid="entity-projects">
                {enterprise.projects.nodes.iter().map(|project| project_item(project.id.clone(), project.title.clone(), codes::status_of(&project.status), project.start_date.clone())).collect_view()}
            </ul>
            <h3>{tr(Text::PartnersTitle)}</h3>
            <ul class="partners" data-testid="entity-partners">
                {data.neighbours.iter().map(|partner| partner_item(partner.node.id.clone(), partner.node.name.clone(), codes::code_of(&partner.node.kind) == "institution", partner.weight)).collect_view()}
            </ul>
            {(!needs.is_empty()).then(|| view! {
                <h3>{tr(Text::LedgerTitle)}</h3>
                <table class="data">
                    <thead><tr>
                        <th scope="col">{tr(Text::Year)}</th>
                        <th scope="col">{tr(Text::SeriesNeeded)}</th>
                        <th scope="col">{tr(Text::SeriesPlaced)}</th>
                        <th scope="col">{tr(Text::NeedsMet)}</th>
                    </tr></thead>
                    <tbody>
                        {needs.into_iter().map(|row| view! {
                            <tr>
                                <td>{row.year}</td>
                                <td class="number">{thousands(row.workers_needed)}</td>
                                <td class="number">{thousands(row.workers_placed)}</td>
                                <td>{move || yes_no(row.needs_met)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </article>
    }
}
