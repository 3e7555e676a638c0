//! Enterprise and institution pages, linked from every table, chain and graph panel: facts,
//! projects, partners (from the graph index) and, for enterprises, the employment ledger.

use leptos::prelude::*;
use shared::domain::{County, InstitutionKind};

use crate::{
    api::{self, enterprise_page, institution_page},
    app::thousands,
    i18n::{Lang, Text, text, tr, use_lang},
    ui::{self, pick, status_badge},
};

/// A project line: title link, status, start date.
fn project_item(
    id: String,
    title: String,
    status: Option<shared::domain::ProjectStatus>,
    start: Option<String>,
) -> impl IntoView {
    view! {
        <li>
            <a href=format!("/projects/{id}")>{title}</a> " " {status_badge(status)} " "
            <span class="date">{start.unwrap_or_default()}</span>
        </li>
    }
}

/// A partner link, to the partner's own page, with the number of shared projects.
fn partner_item(id: String, name: String, institution: bool, weight: i64) -> impl IntoView {
    let href = if institution { format!("/institutions/{id}") } else { format!("/enterprises/{id}") };
    let class = if institution { "chip institution" } else { "chip enterprise" };
    view! { <li><a class=class href=href>{name}</a> " × " {weight}</li> }
}

#[component]
pub fn EnterprisePage(id: String) -> impl IntoView {
    let page = ui::load(move || api::run::<api::EnterprisePage>(enterprise_page::Variables { id: id.clone() }));
    view! { <main>{ui::loaded(page, |data| view! { <Enterprise data=data /> })}</main> }
}

#[component]
fn Enterprise(data: enterprise_page::ResponseData) -> impl IntoView {
    let lang = use_lang();
    let enterprise = data.enterprise;
    let county = ui::from_graphql(County::ALL, &enterprise.county);
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
                {enterprise.projects.nodes.iter().map(|project| project_item(project.id.clone(), project.title.clone(), ui::status_of(&project.status), project.start_date.clone())).collect_view()}
            </ul>
            <h3>{tr(Text::PartnersTitle)}</h3>
            <ul class="partners" data-testid="entity-partners">
                {data.neighbours.iter().map(|partner| partner_item(partner.node.id.clone(), partner.node.name.clone(), ui::code_of(&partner.node.kind) == "institution", partner.weight)).collect_view()}
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

#[component]
pub fn InstitutionPage(id: String) -> impl IntoView {
    let page = ui::load(move || api::run::<api::InstitutionPage>(institution_page::Variables { id: id.clone() }));
    view! {
        <main>
            {ui::loaded(page, |data| match data.node {
                Some(institution_page::InstitutionPageNode::Institution(institution)) => {
                    view! { <Institution institution=institution neighbours=data.neighbours /> }.into_any()
                }
                _ => ui::error_view(api::Error::not_found()).into_any(),
            })}
        </main>
    }
}

#[component]
fn Institution(
    institution: institution_page::InstitutionPageNodeOnInstitution,
    neighbours: Vec<institution_page::InstitutionPageNeighbours>,
) -> impl IntoView {
    let lang = use_lang();
    let kind = ui::from_graphql(InstitutionKind::ALL, &institution.kind);
    let key = institution.is_key;
    let (zh, en) = (institution.name.clone(), institution.name_en.clone());
    view! {
        <article class="entity" data-testid="institution">
            <h2>{move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</h2>
            <p class="meta">{move || kind.map_or("", |kind| pick(lang.get(), kind.label_zh(), kind.label_en()))}</p>
            <dl class="facts">
                <dt>{tr(Text::Location)}</dt><dd>{format!("{} · {}", institution.province, institution.city)}</dd>
                <dt>{tr(Text::KeyUniversity)}</dt><dd>{move || text(lang.get(), if key { Text::Yes } else { Text::No })}</dd>
            </dl>
            <h3>{move || format!("{} ({})", text(lang.get(), Text::NavProjects), institution.projects.total_count)}</h3>
            <ul class="projects" data-testid="entity-projects">
                {institution.projects.nodes.iter().map(|project| project_item(project.id.clone(), project.title.clone(), ui::status_of(&project.status), project.start_date.clone())).collect_view()}
            </ul>
            <h3>{tr(Text::PartnersTitle)}</h3>
            <ul class="partners" data-testid="entity-partners">
                {neighbours.iter().map(|partner| partner_item(partner.node.id.clone(), partner.node.name.clone(), ui::code_of(&partner.node.kind) == "institution", partner.weight)).collect_view()}
            </ul>
        </article>
    }
}
