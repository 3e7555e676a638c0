//! An institution's page: facts, projects and partners (from the graph index).

use leptos::prelude::*;
use shared::domain::InstitutionKind;

use crate::{
    api::{self, institution_page},
    codes,
    components::{
        lists::{partner_item, project_item},
        loader,
    },
    i18n::{Lang, Text, pick, text, tr, use_lang},
};

#[component]
pub fn InstitutionPage(id: String) -> impl IntoView {
    let page = loader::load(move || api::run::<api::InstitutionPage>(institution_page::Variables { id: id.clone() }));
    view! {
        <main>
            {loader::loaded(page, |data| match data.node {
                Some(institution_page::InstitutionPageNode::Institution(institution)) => {
                    view! { <Institution institution=institution neighbours=data.neighbours /> }.into_any()
                }
                _ => loader::error_view(api::Error::not_found()).into_any(),
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
    let kind = codes::from_graphql(InstitutionKind::ALL, &institution.kind);
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
                {institution.projects.nodes.iter().map(|project| project_item(project.id.clone(), project.title.clone(), codes::status_of(&project.status), project.start_date.clone())).collect_view()}
            </ul>
            <h3>{tr(Text::PartnersTitle)}</h3>
            <ul class="partners" data-testid="entity-partners">
                {neighbours.iter().map(|partner| partner_item(partner.node.id.clone(), partner.node.name.clone(), codes::code_of(&partner.node.kind) == "institution", partner.weight)).collect_view()}
            </ul>
        </article>
    }
}
