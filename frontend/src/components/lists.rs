//! Lines of the enterprise and institution pages: a project, a partner.

use leptos::prelude::*;

use crate::components::badge::status_badge;

/// A project line: title link, status, start date.
pub fn project_item(
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
pub fn partner_item(id: String, name: String, institution: bool, weight: i64) -> impl IntoView {
    let href = if institution { format!("/institutions/{id}") } else { format!("/enterprises/{id}") };
    let class = if institution { "chip institution" } else { "chip enterprise" };
    view! { <li><a class=class href=href>{name}</a> " × " {weight}</li> }
}
