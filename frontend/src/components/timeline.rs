//! A project's status history as a timeline (the project page and the liaison desk).

use leptos::prelude::*;
use shared::domain::ProjectStatus;

use crate::{
    components::badge::status_badge,
    format::short_time,
    i18n::{Text, text, use_lang},
};

/// Converts a generated history entry (each operation has its own type).
macro_rules! history_entry {
    ($change:expr) => {{
        let change = $change;
        $crate::components::timeline::HistoryEntry {
            from: change.from_status.as_ref().and_then($crate::codes::status_of),
            to: $crate::codes::status_of(&change.to_status),
            // People by the name they are known by; the username where there is none.
            actor: change.actor_name.or(change.actor),
            note: change.note.filter(|note: &String| !note.is_empty()),
            changed_at: change.changed_at,
        }
    }};
}
pub(crate) use history_entry;

/// One entry of a status history, as the timeline draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub from: Option<ProjectStatus>,
    pub to: Option<ProjectStatus>,
    pub actor: Option<String>,
    pub note: Option<String>,
    pub changed_at: String,
}

/// A status history as a timeline, oldest first.
pub fn timeline(history: Vec<HistoryEntry>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="timeline" data-testid="history">
            {history.into_iter().map(|change| {
                view! {
                    <li data-to=change.to.map_or("", ProjectStatus::code)>
                        <time datetime=change.changed_at.clone()>{short_time(&change.changed_at)}</time>
                        <span class="transition">
                            {change.from.map(|from| view! { {status_badge(Some(from))} " → " })}
                            {status_badge(change.to)}
                        </span>
                        {change.actor.map(|who| view! { <span class="actor">{move || text(lang.get(), Text::ChangedBy)} {who.clone()}</span> })}
                        {change.note.map(|note| view! { <q class="note">{note}</q> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
