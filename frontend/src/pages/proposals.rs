//! The liaison's own changes on the desk: a project's participants (partner enterprises
//! picked from the register, other institutions invited; the liaison's institution always
//! takes part) and the list of one's recent changes. Proposals and outcomes use the data
//! desk's form, with the columns a liaison sets.

use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsValue;

use crate::{
    api::{self, js},
    i18n::{Text, pick, text, tr, use_lang},
};

/// A record picked from the register: ID and name.
type Picked = (String, String);

/// A search over a list root by name, offering matches to pick.
#[component]
fn Picker(root: &'static str, label: Text, picked: RwSignal<Vec<Picked>>, testid: &'static str) -> impl IntoView {
    let (matches, set_matches) = signal(Vec::<Picked>::new());
    let search = move |text: String| {
        if text.trim().chars().count() < 2 {
            set_matches.set(Vec::new());
            return;
        }
        spawn_local(async move {
            let query = format!(
                "query ($t: String!) {{ {root}(first: 8, filter: {{ name: {{ contains: $t }} }}) {{ nodes {{ id name }} }} }}"
            );
            if let Ok(data) = api::raw(&query, js::object(&[("t", text.trim().into())])).await {
                let found = js::items(&js::get(&js::get(&data, root), "nodes"))
                    .iter()
                    .map(|node| {
                        (
                            js::get(node, "id").as_string().unwrap_or_default(),
                            js::get(node, "name").as_string().unwrap_or_default(),
                        )
                    })
                    .collect();
                set_matches.set(found);
            }
        });
    };
    view! {
        <fieldset class="picker" data-testid=testid>
            <legend>{tr(label)}</legend>
            <input type="search" on:input:target=move |event| search(event.target().value()) />
            <ul class="matches">
                {move || matches.get().into_iter().map(|found| {
                    let name = found.1.clone();
                    view! {
                        <li><button type="button" class="link" on:click=move |_| {
                            picked.update(|list| if !list.contains(&found) { list.push(found.clone()) });
                            set_matches.set(Vec::new());
                        }>{name}</button></li>
                    }
                }).collect_view()}
            </ul>
            <ul class="picked">
                {move || picked.get().into_iter().map(|(id, name)| {
                    let removed = id.clone();
                    view! {
                        <li data-id=id>{name} " "
                            <button type="button" class="link" aria-label="remove"
                                on:click=move |_| picked.update(|list| list.retain(|(other, _)| *other != removed))>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </fieldset>
    }
}

/// The signed-in user's recent changes of records.
#[component]
pub fn MyChanges(refresh: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let changes = crate::components::loader::load(move || {
        refresh.track();
        async move {
            let data = api::raw("{ myChanges(limit: 10) { at action recordType } }", JsValue::NULL).await?;
            Ok(js::items(&js::get(&data, "myChanges"))
                .iter()
                .map(|change| {
                    let field = |key| js::get(change, key).as_string().unwrap_or_default();
                    (field("at"), field("action"), field("recordType"))
                })
                .collect::<Vec<_>>())
        }
    });
    view! {
        <section class="my-changes" data-testid="my-changes">
            <h4>{tr(Text::MyChanges)}</h4>
            {move || match changes.get() {
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{tr(Text::NoChangesYet)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul>{list.into_iter().map(|(at, action, kind)| view! {
                        <li>{crate::format::short_time(&at)} " · " {move || action_label(lang.get(), &action)} " · " {kind}</li>
                    }).collect_view()}</ul>
                }.into_any(),
                Some(Err(error)) => view! { <p class="error">{crate::components::loader::reason(lang.get(), &error)}</p> }.into_any(),
                None => view! { <p class="loading">{tr(Text::Loading)}</p> }.into_any(),
            }}
        </section>
    }
}

fn action_label(lang: crate::i18n::Lang, action: &str) -> &'static str {
    match action {
        "create" => pick(lang, "新建", "created"),
        "update" => pick(lang, "修改", "edited"),
        "archive" => pick(lang, "归档", "archived"),
        "restore" => pick(lang, "恢复", "restored"),
        "participants" => pick(lang, "调整参与方", "participants changed"),
        _ => pick(lang, "撤销", "reverted"),
    }
}

/// A project's participants, as a liaison edits them: enterprises picked from the register,
/// institutions invited; the liaison's own institution stays (the server refuses otherwise).
#[component]
pub fn ParticipantsForm(
    id: String,
    version: i64,
    enterprises: Vec<(String, String)>,
    institutions: Vec<(String, String)>,
    on_saved: Callback<(String, i64)>,
) -> impl IntoView {
    let lang = use_lang();
    let enterprises = RwSignal::new(enterprises);
    let institutions = RwSignal::new(institutions);
    let (message, set_message) = signal(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let ids = |list: Vec<Picked>| {
            let array = js_sys::Array::new();
            for (id, _) in list {
                array.push(&JsValue::from_str(&id));
            }
            JsValue::from(array)
        };
        let input = js::object(&[
            ("enterprises", ids(enterprises.get_untracked())),
            ("institutions", ids(institutions.get_untracked())),
        ]);
        let id = id.clone();
        spawn_local(async move {
            let query = "mutation ($id: ID!, $v: Int!, $input: ProjectInput!) { updateProject(id: $id, expectedVersion: $v, input: $input) { __typename ... on ProjectUpdated { project { id version } } } }";
            let variables =
                js::object(&[("id", id.as_str().into()), ("v", JsValue::from_f64(version as f64)), ("input", input)]);
            match api::raw(query, variables).await {
                Ok(data) => {
                    let project = js::get(&js::get(&data, "updateProject"), "project");
                    match js::int(&js::get(&project, "version")) {
                        Some(version) => {
                            set_message.set(None);
                            on_saved.run((js::get(&project, "id").as_string().unwrap_or_default(), version));
                        }
                        None => set_message.set(Some(text(lang.get_untracked(), Text::StaleProject).to_owned())),
                    }
                }
                Err(error) => set_message.set(Some(crate::components::loader::reason(lang.get_untracked(), &error))),
            }
        });
    };
    view! {
        <form class="participants" data-testid="participants" on:submit=submit>
            <h4>{tr(Text::Participants)}</h4>
            <Picker root="enterprises" label=Text::PartnerEnterprises picked=enterprises testid="edit-enterprises" />
            <Picker root="institutions" label=Text::InvitedInstitutions picked=institutions testid="edit-institutions" />
            <button type="submit">{tr(Text::Save)}</button>
            <p class="error" role="alert">{message}</p>
        </form>
    }
}
