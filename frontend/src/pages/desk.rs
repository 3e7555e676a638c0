//! The liaison desk: sign in, the projects of one's own institution, a status change that
//! offers only the transitions the shared state machine allows, a note, a conflict dialog
//! when someone else changed the project first, and live updates of everyone's changes.

use std::collections::HashMap;

use leptos::{prelude::*, task::spawn_local};
use shared::{
    domain::{ProjectStatus, Role},
    error_code::ErrorCode,
    permissions::{self, Action, Scope},
    records::{self, Column},
};

/// What a proposal asks for; partners are added on the project's panel.
fn proposal_columns() -> Vec<&'static Column> {
    ["title", "programme", "kind"].iter().filter_map(|name| records::PROJECT.column(name)).collect()
}

/// What a liaison sets on their projects (the permission table's columns).
fn outcome_columns() -> Vec<&'static Column> {
    permissions::LIAISON_PROJECT_COLUMNS.iter().filter_map(|name| records::PROJECT.column(name)).collect()
}

use crate::{
    api::{self, change_status, desk_projects, project_changes, project_page},
    codes,
    components::{
        badge::status_badge,
        loader,
        login::LoginForm,
        record_form::{self, Cell, RecordForm},
        timeline::{history_entry, timeline},
    },
    format,
    i18n::{Text, pick, text, tr, use_lang},
    live,
    pages::{
        account::Account,
        proposals::{MyChanges, ParticipantsForm},
    },
    session::{User, use_session},
};

#[component]
pub fn DeskPage() -> impl IntoView {
    let session = use_session();
    view! {
        <main>
            <h2>{tr(Text::NavDesk)}</h2>
            {move || match (session.known(), session.user()) {
                (false, _) => view! { <p class="loading" role="status">{tr(Text::Loading)}</p> }.into_any(),
                (true, None) => view! { <LoginForm /> }.into_any(),
                (true, Some(user)) => view! { <Desk user=user /> }.into_any(),
            }}
        </main>
    }
}

type Row = desk_projects::DeskProjectsProjectsNodes;

#[component]
fn Desk(user: User) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    // The permission table decides what the desk offers.
    let may_change = permissions::scope(user.role, Action::EditProjectProgress) != Scope::Nothing;
    let may_propose = permissions::scope(user.role, Action::ProposeProject) != Scope::Nothing;
    let proposing = RwSignal::new(false);
    let my_changes = RwSignal::new(0_u32);
    let filter = user.institution.as_ref().filter(|_| user.role == Some(Role::Liaison)).map(|(id, _)| {
        desk_projects::ProjectFilter {
            has_institution: Box::new(Some(desk_projects::InstitutionFilter {
                id: Some(desk_projects::IdFilter { eq: Some(id.clone()), ..Default::default() }),
                ..Default::default()
            })),
            ..Default::default()
        }
    });
    // A liaison's desk lists their institution's projects; staff see every project.
    let list_title = if filter.is_some() { Text::MyProjects } else { Text::AllProjects };
    let filter = StoredValue::new(filter);
    let rows = RwSignal::new(Vec::<Row>::new());
    let total = RwSignal::new(0_i64);
    let next_cursor = RwSignal::new(None::<String>);
    let load_state = RwSignal::new(None::<Result<(), api::Error>>);
    let selected = RwSignal::new(None::<String>);
    let search = RwSignal::new(String::new());
    // Announcements of others' changes, newest first, numbered so that equal texts differ.
    let notices = RwSignal::new(Vec::<(u32, String)>::new());
    let announced = StoredValue::new(0_u32);
    // The latest version changed by someone else, per project, to tell the open panel it is
    // stale. Whose change it was comes with the change (its author), so this desk's own
    // changes are never taken for someone else's, whichever arrives first.
    let live_versions = RwSignal::new(HashMap::<String, i64>::new());
    let me = user.username.clone();

    let load = move |after: Option<String>| {
        let mut filter = filter.get_value();
        let text = search.get_untracked();
        if !text.trim().is_empty() {
            let mut with_title = filter.unwrap_or_default();
            with_title.title =
                Some(desk_projects::StringFilter { contains: Some(text.trim().to_owned()), ..Default::default() });
            filter = Some(with_title);
        }
        spawn_local(async move {
            let result = api::run::<api::DeskProjects>(desk_projects::Variables { filter, after: after.clone() }).await;
            match result {
                Ok(data) => {
                    let connection = data.projects;
                    total.set(connection.total_count);
                    next_cursor.set(connection.page_info.end_cursor.filter(|_| connection.page_info.has_next_page));
                    rows.update(|rows| {
                        if after.is_none() {
                            rows.clear();
                        }
                        rows.extend(connection.nodes);
                    });
                    load_state.set(Some(Ok(())));
                }
                Err(error) => load_state.set(Some(Err(error))),
            }
        });
    };
    load(None);

    live::subscribe::<api::ProjectChanges>(
        project_changes::Variables,
        move |data| {
            let change = data.project_updated;
            let author = change.last_change.as_ref().and_then(|last| last.actor.clone());
            let mine = author.as_deref() == Some(me.as_str());
            if !mine {
                live_versions.update(|versions| {
                    versions.insert(change.id.clone(), change.version);
                });
            }
            let mut known = false;
            rows.update(|rows| {
                if let Some(row) = rows.iter_mut().find(|row| row.id == change.id) {
                    known = true;
                    if let Some(status) = codes::status_of(&change.status).and_then(codes::status_to) {
                        row.status = status;
                    }
                    row.version = change.version;
                    row.updated_at = change.updated_at.clone();
                }
            });
            if known && !mine {
                let status = codes::status_of(&change.status);
                let lang = lang.get_untracked();
                let label = status.map_or("?", |status| pick(lang, status.label_zh(), status.label_en()));
                let who = change
                    .last_change
                    .and_then(|last| last.actor_name)
                    .unwrap_or_else(|| text(lang, Text::SomeoneElse).to_owned());
                let notice = text(lang, Text::ChangedBySomeone)
                    .replace("{who}", &who)
                    .replace("{title}", &change.title)
                    .replace("{status}", label);
                announced.update_value(|count| *count += 1);
                let number = announced.get_value();
                notices.update(|notices| {
                    notices.insert(0, (number, notice));
                    notices.truncate(5);
                });
            }
        },
        move || load(None),
    );

    let on_logout = move |_| {
        spawn_local(async move {
            let _ = session.logout().await;
        });
    };
    let who = format!(
        "{}{}",
        user.display_name,
        user.institution.as_ref().map(|(_, name)| format!(" · {name}")).unwrap_or_default()
    );
    view! {
        <p class="signed-in" data-testid="signed-in">
            {tr(Text::SignedInAs)} <strong>{who}</strong> " "
            <button type="button" on:click=on_logout>{tr(Text::SignOut)}</button>
        </p>
        {(!may_change).then(|| view! { <p class="hint">{tr(Text::ViewerCannotChange)}</p> })}
        {may_propose.then(|| view! {
            <button type="button" data-testid="open-propose" on:click=move |_| proposing.update(|open| *open = !*open)>
                {tr(Text::ProposeProject)}
            </button>
        })}
        {move || proposing.get().then(|| view! {
            <div data-testid="propose">
                <h3>{tr(Text::ProposeProject)}</h3>
                <RecordForm record=&records::PROJECT columns=proposal_columns() row=None create="proposeProject" update="updateProject"
                    on_done=Callback::new(move |saved: Option<(String, i64)>| {
                        proposing.set(false);
                        if let Some((id, _)) = saved {
                            my_changes.update(|n| *n += 1);
                            load(None);
                            selected.set(Some(id));
                        }
                    }) />
            </div>
        })}
        <div class="live" role="status" aria-live="polite" data-testid="live-notice">
            <For each=move || notices.get() key=|(number, _)| *number let:notice>
                <p class="notice dismissable">
                    <span>{notice.1}</span>
                    <button type="button" class="dismiss" data-testid="dismiss-notice" aria-label=tr(Text::Dismiss)
                        on:click=move |_| notices.update(|all| all.retain(|(number, _)| *number != notice.0))>"×"</button>
                </p>
            </For>
        </div>
        <div class="desk">
            <section class="desk-list">
                <h3 data-testid="desk-list-title">{move || format!("{}（{}）", text(lang.get(), list_title), total.get())}</h3>
                <form class="search" role="search" on:submit=move |event: leptos::ev::SubmitEvent| { event.prevent_default(); load(None); }>
                    <label for="desk-search">{tr(Text::FindProject)}</label>
                    <input id="desk-search" type="search" data-testid="desk-search" prop:value=search
                        on:input:target=move |event| search.set(event.target().value()) />
                    <button type="submit">{tr(Text::Search)}</button>
                </form>
                {move || (load_state.get() == Some(Ok(())) && total.get() == 0).then(|| view! {
                    <p class="hint" data-testid="desk-empty">{move || text(lang.get(), if !search.get().trim().is_empty() {
                        Text::DeskNoMatch
                    } else if may_propose {
                        Text::DeskEmptyPropose
                    } else {
                        Text::DeskEmpty
                    })}</p>
                })}
                {move || match load_state.get() {
                    None => view! { <p class="loading" role="status">{tr(Text::Loading)}</p> }.into_any(),
                    Some(Err(error)) => loader::error_view(error).into_any(),
                    Some(Ok(())) => ().into_any(),
                }}
                <ul class="desk-projects" data-testid="desk-projects">
                    <For each=move || rows.get() key=|row| (row.id.clone(), row.version) let:row>
                        {
                            let id = row.id.clone();
                            let current = id.clone();
                            view! {
                                <li data-id=row.id.clone() class:selected=move || selected.get().as_deref() == Some(current.as_str())>
                                    <button type="button" class="link" on:click=move |_| {
                                        selected.set(Some(id.clone()));
                                        show_panel();
                                    }>
                                        {row.title.clone()}
                                    </button>
                                    " " {status_badge(codes::status_of(&row.status))}
                                </li>
                            }
                        }
                    </For>
                </ul>
                {move || next_cursor.get().map(|cursor| view! {
                    <button type="button" on:click=move |_| load(Some(cursor.clone()))>{tr(Text::LoadMore)}</button>
                })}
            </section>
            {move || selected.get().map(|id| view! {
                <Panel id=id may_change=may_change live_versions=live_versions rows=rows my_changes=my_changes />
            })}
        </div>
        <MyChanges refresh=my_changes />
        <Account />
    }
}

/// Brings the project panel into view once drawn: on a phone it sits below the list.
fn show_panel() {
    request_animation_frame(|| {
        if let Some(panel) = document().query_selector("[data-testid=desk-panel]").ok().flatten() {
            panel.scroll_into_view();
        }
    });
}

/// What a conflict dialog shows: the project as stored now.
#[derive(Debug, Clone, PartialEq)]
struct Conflict {
    status: Option<ProjectStatus>,
    /// Who changed it, by display name, and the note they gave.
    actor: Option<String>,
    note: Option<String>,
    changed_at: Option<String>,
}

#[component]
fn Panel(
    id: String,
    may_change: bool,
    live_versions: RwSignal<HashMap<String, i64>>,
    rows: RwSignal<Vec<Row>>,
    my_changes: RwSignal<u32>,
) -> impl IntoView {
    let reload = RwSignal::new(0_u32);
    // The note being typed outlives a reload of the project (after a conflict, say).
    let note = RwSignal::new(String::new());
    let project = {
        let id = id.clone();
        loader::load(move || {
            reload.track();
            let id = id.clone();
            // The project page's operation, signed in: the same history with actors and notes.
            async move { api::run::<api::ProjectPage>(project_page::Variables { id, signed_in: true }).await }
        })
    };
    view! {
        <section class="panel desk-panel" data-testid="desk-panel">
            {loader::loaded(project, move |data| match data.node {
                Some(project_page::ProjectPageNode::Project(project)) => {
                    let saved = Callback::new(move |_: (String, i64)| {
                        my_changes.update(|n| *n += 1);
                        reload.update(|n| *n += 1);
                    });
                    let outcomes = may_change.then(|| {
                        let (id, version) = (project.id.clone(), project.version);
                        let date = |value: &Option<String>| value.clone().map_or(Cell::Null, Cell::Text);
                        let row = record_form::Row {
                            id: id.clone(),
                            version,
                            archived: false,
                            cells: vec![
                                date(&project.start_date),
                                date(&project.end_date),
                                Cell::Number(project.patents),
                                Cell::Number(project.papers),
                                Cell::Number(project.products),
                                Cell::Number(project.trainees),
                            ],
                        };
                        let enterprises = project.enterprises.nodes.iter().map(|node| (node.id.clone(), node.name.clone())).collect::<Vec<_>>();
                        let institutions = project.institutions.nodes.iter().map(|node| (node.id.clone(), node.name.clone())).collect::<Vec<_>>();
                        let outcomes_saved = Callback::new(move |done: Option<(String, i64)>| {
                            if let Some(done) = done { saved.run(done) }
                        });
                        view! {
                            <div data-testid="outcomes">
                                <h4>{tr(Text::Outcomes)}</h4>
                                <RecordForm record=&records::PROJECT columns=outcome_columns() row=Some(row) create="proposeProject" update="updateProject"
                                    on_done=outcomes_saved />
                            </div>
                            <ParticipantsForm id=id version=version enterprises=enterprises institutions=institutions on_saved=saved />
                        }
                    });
                    view! {
                        <ChangeForm project=project may_change=may_change reload=reload note=note live_versions=live_versions rows=rows my_changes=my_changes />
                        {outcomes}
                    }.into_any()
                }
                _ => loader::error_view(api::Error::not_found()).into_any(),
            })}
        </section>
    }
}

#[component]
fn ChangeForm(
    project: project_page::ProjectPageNodeOnProject,
    may_change: bool,
    reload: RwSignal<u32>,
    note: RwSignal<String>,
    live_versions: RwSignal<HashMap<String, i64>>,
    rows: RwSignal<Vec<Row>>,
    my_changes: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let status = codes::status_of(&project.status);
    // Exactly the transitions of the shared state machine.
    let choices: Vec<ProjectStatus> = status.map(|status| status.next_statuses().to_vec()).unwrap_or_default();
    let version = project.version;
    let id = project.id.clone();
    let (choice, set_choice) = signal(choices.first().copied());
    let (busy, set_busy) = signal(false);
    let (failure, set_failure) = signal(None::<String>);
    let conflict = RwSignal::new(None::<Conflict>);
    let stale = {
        let id = id.clone();
        move || live_versions.with(|versions| versions.get(&id).is_some_and(|seen| *seen > version))
    };
    let history: Vec<_> = project.status_history.nodes.into_iter().map(|change| history_entry!(change)).collect();

    let on_submit = {
        let id = id.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let Some(next) = choice.get_untracked() else { return };
            let Some(status) = codes::status_to::<change_status::ProjectStatus>(next) else { return };
            let input = change_status::UpdateProjectStatusInput {
                project_id: id.clone(),
                status,
                note: note.get_untracked(),
                expected_version: version,
            };
            set_busy.set(true);
            set_failure.set(None);
            spawn_local(async move {
                let result = api::run::<api::ChangeStatus>(change_status::Variables { input }).await;
                set_busy.set(false);
                match result.map(|data| data.update_project_status) {
                    Ok(change_status::ChangeStatusUpdateProjectStatus::ProjectUpdated(updated)) => {
                        let project = updated.project;
                        note.set(String::new());
                        my_changes.update(|n| *n += 1);
                        rows.update(|rows| {
                            if let Some(row) = rows.iter_mut().find(|row| row.id == project.id) {
                                row.version = project.version;
                                row.updated_at = project.updated_at.clone();
                                if let Some(status) = codes::status_of(&project.status).and_then(codes::status_to) {
                                    row.status = status;
                                }
                            }
                        });
                        reload.update(|count| *count += 1);
                    }
                    Ok(change_status::ChangeStatusUpdateProjectStatus::VersionConflict(found)) => {
                        let current = found.current;
                        let last = current.last_change;
                        conflict.set(Some(Conflict {
                            status: codes::status_of(&current.status),
                            actor: last.as_ref().and_then(|last| last.actor_name.clone()),
                            note: last.as_ref().and_then(|last| last.note.clone()),
                            changed_at: last.map(|last| last.at),
                        }));
                    }
                    Err(error) => set_failure.set(Some(match error.code() {
                        Some(ErrorCode::IllegalTransition) => {
                            text(lang.get_untracked(), Text::IllegalTransition).to_owned()
                        }
                        Some(ErrorCode::Forbidden) => text(lang.get_untracked(), Text::NotYourProject).to_owned(),
                        _ => crate::components::loader::reason(lang.get_untracked(), &error),
                    })),
                }
            });
        }
    };
    let title = project.title.clone();
    view! {
        <h3 data-testid="desk-title">
            <a href=format!("/projects/{}", project.id)>{project.title.clone()}</a>
        </h3>
        <p data-testid="desk-version" data-version=version>
            {tr(Text::StatusLabel)} <span data-testid="desk-status">{status_badge(status)}</span>
        </p>
        {move || stale().then(|| view! {
            <p class="notice" role="status" data-testid="stale-notice">
                {tr(Text::StaleProject)} " "
                <button type="button" data-testid="stale-reload" on:click=move |_| reload.update(|n| *n += 1)>{tr(Text::ConflictReload)}</button>
            </p>
        })}
        {if !may_change {
            ().into_any()
        } else if choices.is_empty() {
            view! { <p class="hint">{tr(Text::FinalStatus)}</p> }.into_any()
        } else {
            view! {
                <form class="change" on:submit=on_submit data-testid="change-status">
                    <fieldset>
                        <legend>{tr(Text::NewStatus)}</legend>
                        {choices.iter().map(|next| {
                            let next = *next;
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name="status"
                                        value=next.code()
                                        checked=move || choice.get() == Some(next)
                                        on:change=move |_| set_choice.set(Some(next))
                                    />
                                    {move || pick(lang.get(), next.label_zh(), next.label_en())}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <label class="note">
                        {tr(Text::Note)}
                        <textarea name="note" maxlength="500" rows="3" prop:value=note on:input:target=move |event| note.set(event.target().value())></textarea>
                    </label>
                    <button type="submit" disabled=busy>{tr(Text::SaveStatus)}</button>
                    <p class="error" role="alert">{failure}</p>
                </form>
            }.into_any()
        }}
        {move || conflict.get().map(|found| {
            let title = title.clone();
            view! { <ConflictDialog found=found title=title conflict=conflict reload=reload /> }
        })}
        <h4>{tr(Text::History)}</h4>
        {timeline(history)}
    }
}

#[component]
fn ConflictDialog(
    found: Conflict,
    title: String,
    conflict: RwSignal<Option<Conflict>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let first = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    let status = found.status;
    let details = move || {
        let lang = lang.get();
        let label = status.map_or("?", |status| pick(lang, status.label_zh(), status.label_en()));
        let mut line = format!("{}{label}", text(lang, Text::ConflictNow));
        if let Some(actor) = &found.actor {
            line.push_str(&format!(" · {}{actor}", text(lang, Text::ChangedBy)));
        }
        if let Some(at) = &found.changed_at {
            line.push_str(&format!(" · {}", format::short_time(at)));
        }
        line
    };
    let their_note = found.note.clone();
    let close = move || conflict.set(None);
    view! {
        <div class="backdrop">
            <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="conflict-title" aria-describedby="conflict-body" data-testid="conflict"
                on:keydown=move |event: leptos::ev::KeyboardEvent| if event.key() == "Escape" { close() }>
                <h3 id="conflict-title">{tr(Text::ConflictTitle)}</h3>
                <p id="conflict-body">{title} <br /> {details}</p>
                {their_note.map(|note| view! { <p data-testid="conflict-note">{tr(Text::TheirNote)} <q>{note}</q></p> })}
                <p>{tr(Text::ConflictNotApplied)}</p>
                <p class="actions">
                    <button type="button" node_ref=first data-testid="conflict-reload" on:click=move |_| {
                        close();
                        reload.update(|count| *count += 1);
                    }>{tr(Text::ConflictReload)}</button>
                    <button type="button" data-testid="conflict-cancel" on:click=move |_| close()>{tr(Text::Cancel)}</button>
                </p>
            </div>
        </div>
    }
}
