//! The project page: participants, outcomes, the status history as a timeline.

use leptos::prelude::*;

use crate::{
    api::{self, project_page},
    codes,
    components::{
        badge::status_badge,
        loader,
        timeline::{history_entry, timeline},
    },
    format::thousands,
    i18n::{Text, pick, pick_name, tr, use_lang},
};

/// The project page.
#[component]
pub fn ProjectPage(id: String) -> impl IntoView {
    let session = crate::session::use_session();
    let project = loader::load(move || {
        let id = id.clone();
        let signed_in = session.signed_in();
        async move { api::run::<api::ProjectPage>(project_page::Variables { id, signed_in }).await }
    });
    view! {
        <main>
            {loader::loaded(project, |data| match data.node {
                Some(project_page::ProjectPageNode::Project(project)) => view! { <ProjectDetails project=project /> }.into_any(),
                _ => loader::error_view(api::Error::not_found()).into_any(),
            })}
        </main>
    }
}

#[component]
fn ProjectDetails(project: project_page::ProjectPageNodeOnProject) -> impl IntoView {
    let lang = use_lang();
    let status = codes::status_of(&project.status);
    let kind = codes::from_graphql(shared::domain::ProjectKind::ALL, &project.kind);
    let none = "—";
    let funding = project.funding_cny.map_or_else(|| none.to_owned(), |funding| format!("¥{}", thousands(funding)));
    let history = project.status_history.nodes.clone().into_iter().map(|change| history_entry!(change)).collect();
    view! {
        <article class="project" data-testid="project" data-version=project.version>
            <h2>{project.title.clone()}</h2>
            <p class="meta">
                {status_badge(status)}
                " "
                <span>{move || kind.map_or("", |kind| pick(lang.get(), kind.label_zh(), kind.label_en()))}</span>
                " · "
                <span data-testid="programme">{
                    let programme = project.programme.clone();
                    move || pick_name(lang.get(), &programme, shared::domain::programme_en(&programme))
                }</span>
                {project.is_demo.then(|| view! { " · " <span class="demo">{tr(Text::DemoRecord)}</span> })}
            </p>
            <dl class="facts">
                <dt>{tr(Text::ColumnStart)}</dt><dd>{project.start_date.clone().unwrap_or_else(|| none.to_owned())}</dd>
                <dt>{tr(Text::ColumnEnd)}</dt><dd>{project.end_date.clone().unwrap_or_else(|| none.to_owned())}</dd>
                <dt>{tr(Text::Funding)}</dt><dd>{funding}</dd>
            </dl>
            <h3>{tr(Text::Outcomes)}</h3>
            <dl class="facts outcomes" data-testid="outcomes">
                <dt>{tr(Text::Patents)}</dt><dd>{project.patents}</dd>
                <dt>{tr(Text::Papers)}</dt><dd>{project.papers}</dd>
                <dt>{tr(Text::Products)}</dt><dd>{project.products}</dd>
                <dt>{tr(Text::Trainees)}</dt><dd>{project.trainees}</dd>
            </dl>
            <h3>{tr(Text::Participants)}</h3>
            <ul class="participants" data-testid="participants">
                {project.enterprises.nodes.iter().map(|node| view! {
                    <li><a class="chip enterprise" href=format!("/enterprises/{}", node.id)>{node.name.clone()}</a></li>
                }).collect_view()}
                {project.institutions.nodes.iter().map(|node| {
                    let (zh, en) = (node.name.clone(), node.name_en.clone());
                    view! { <li><a class="chip institution" href=format!("/institutions/{}", node.id)>{move || pick_name(lang.get(), &zh, Some(en.as_str()))}</a></li> }
                }).collect_view()}
            </ul>
            <h3>{tr(Text::History)}</h3>
            {timeline(history)}
        </article>
    }
}
