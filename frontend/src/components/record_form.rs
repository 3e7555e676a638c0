//! A form for a record, built from its declaration (`shared::records`): one input per column
//! by its value type (codes as choices, yes/no, numbers, dates, text), required ones marked;
//! it creates or updates through the record's mutation, and on a version conflict keeps what
//! was typed so that the next save applies it over the stored version. The data desk edits
//! every written column with it, the liaison desk the columns a liaison sets.

use leptos::{prelude::*, task::spawn_local};
use shared::records::{Column, Record, ValueType};
use wasm_bindgen::JsValue;

use crate::{
    api::{self, js},
    i18n::{Lang, Text, pick, tr, use_lang},
};

pub fn column_label(lang: Lang, column: &Column) -> &'static str {
    pick(lang, column.label_zh, column.label_en)
}

pub fn field(column: &Column) -> &'static str {
    column.field.unwrap_or(column.name)
}

/// A value as the API answered it, read from the browser's JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Number(i64),
    Flag(bool),
}

pub fn cell(column: &Column, value: &JsValue) -> Cell {
    let value = match column.value {
        ValueType::Ref(_) if value.is_object() => js::get(value, "id"),
        _ => value.clone(),
    };
    if let Some(text) = value.as_string() {
        Cell::Text(text)
    } else if let Some(flag) = value.as_bool() {
        Cell::Flag(flag)
    } else if let Some(number) = js::int(&value) {
        Cell::Number(number)
    } else {
        Cell::Null
    }
}

/// A cell as a form's input holds it.
pub fn input_text(value: &Cell) -> String {
    match value {
        Cell::Null => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Number(number) => number.to_string(),
        Cell::Flag(flag) => flag.to_string(),
    }
}

/// What a form sends for an input's text, by the column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// Left out: a required column left empty keeps its value.
    Skip,
    /// Cleared: an optional column left empty.
    Null,
    Number(i64),
    Flag(bool),
    Text(String),
}

pub fn input_value(column: &Column, text: &str) -> Sent {
    let text = text.trim();
    if text.is_empty() {
        return if column.optional { Sent::Null } else { Sent::Skip };
    }
    match column.value {
        ValueType::Int | ValueType::BigInt => text.parse().map_or_else(|_| Sent::Text(text.to_owned()), Sent::Number),
        ValueType::Bool => Sent::Flag(text == "true"),
        _ => Sent::Text(text.to_owned()),
    }
}

impl Sent {
    fn to_js(&self) -> Option<JsValue> {
        match self {
            Self::Skip => None,
            Self::Null => Some(JsValue::NULL),
            Self::Number(number) => Some(JsValue::from_f64(*number as f64)),
            Self::Flag(flag) => Some(JsValue::from_bool(*flag)),
            Self::Text(text) => Some(JsValue::from_str(text)),
        }
    }
}

/// One record of a table, read out of the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub version: i64,
    pub archived: bool,
    /// The form's columns' values, in their order.
    pub cells: Vec<Cell>,
}

/// How a save ended: the record as saved, or a conflict at the stored version.
enum Answer {
    Saved(JsValue),
    Conflict(i64),
}

#[component]
pub fn RecordForm(
    record: &'static Record,
    /// The columns edited (the row's cells are theirs, in order).
    columns: Vec<&'static Column>,
    row: Option<Row>,
    create: &'static str,
    update: &'static str,
    /// Called with the saved record's ID and version, or `None` when the form is left.
    on_done: Callback<Option<(String, i64)>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = row.as_ref().map(|row| row.id.clone());
    let version = RwSignal::new(row.as_ref().map_or(1, |row| row.version));
    let texts: Vec<(&'static Column, RwSignal<String>)> = columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let text = row.as_ref().and_then(|row| row.cells.get(index)).map(input_text).unwrap_or_default();
            (*column, RwSignal::new(text))
        })
        .collect();
    let texts = StoredValue::new(texts);
    let (message, set_message) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let input: Vec<(&'static str, JsValue)> = texts
            .get_value()
            .into_iter()
            .filter_map(|(column, text)| {
                input_value(column, &text.get_untracked()).to_js().map(|value| (field(column), value))
            })
            .collect();
        let id = id.clone();
        set_busy.set(true);
        spawn_local(async move {
            let lang = lang.get_untracked();
            let type_name = record.graphql_type;
            let input = js::object(&input);
            let result = match &id {
                None => {
                    let query =
                        format!("mutation ($input: {type_name}Input!) {{ {create}(input: $input) {{ id version }} }}");
                    api::raw(&query, js::object(&[("input", input)]))
                        .await
                        .map(|data| Answer::Saved(js::get(&data, create)))
                }
                Some(id) => {
                    // Projects answer the workflow's types, the others the records' ones.
                    let conflict = if type_name == "Project" {
                        "... on VersionConflict { current { version } } ... on ProjectUpdated { project { id version } }"
                            .to_owned()
                    } else {
                        format!(
                            "... on RecordConflict {{ current {{ ... on {type_name} {{ version }} }} }} \
                             ... on RecordSaved {{ record {{ ... on {type_name} {{ id version }} }} }}"
                        )
                    };
                    let query = format!(
                        "mutation ($id: ID!, $v: Int!, $input: {type_name}Input!) {{ {update}(id: $id, expectedVersion: $v, input: $input) {{ __typename {conflict} }} }}"
                    );
                    let variables = js::object(&[
                        ("id", id.as_str().into()),
                        ("v", JsValue::from_f64(version.get_untracked() as f64)),
                        ("input", input),
                    ]);
                    api::raw(&query, variables).await.map(|data| {
                        let outcome = js::get(&data, update);
                        let kind = js::get(&outcome, "__typename").as_string().unwrap_or_default();
                        if kind.ends_with("Conflict") {
                            Answer::Conflict(
                                js::int(&js::get(&js::get(&outcome, "current"), "version")).unwrap_or_default(),
                            )
                        } else {
                            Answer::Saved(js::get(&outcome, if type_name == "Project" { "project" } else { "record" }))
                        }
                    })
                }
            };
            set_busy.set(false);
            match result {
                Ok(Answer::Saved(saved)) => on_done.run(Some((
                    js::get(&saved, "id").as_string().unwrap_or_default(),
                    js::int(&js::get(&saved, "version")).unwrap_or_default(),
                ))),
                Ok(Answer::Conflict(current)) => {
                    // Keep what was typed; the next save applies it over the current version.
                    version.set(current);
                    set_message.set(Some(crate::i18n::text(lang, Text::RecordConflict).to_owned()));
                }
                Err(error) => set_message.set(Some(crate::components::loader::reason(lang, &error))),
            }
        });
    };
    view! {
        <form class="record-form" data-testid="record-form" on:submit=save>
            {texts.get_value().into_iter().map(|(column, text)| {
                let required = !column.optional;
                let name = field(column);
                let control = match column.value {
                    ValueType::Code(set) => view! {
                        <select name=name on:change:target=move |event| text.set(event.target().value())>
                            <option value="" selected=move || text.get().is_empty()>"—"</option>
                            {set.values().into_iter().map(|(code, public)| view! {
                                <option value=public selected=move || text.get() == public>
                                    {move || pick(lang.get(), set.label_zh_of(code), public)}
                                </option>
                            }).collect_view()}
                        </select>
                    }.into_any(),
                    ValueType::Bool => view! {
                        <select name=name on:change:target=move |event| text.set(event.target().value())>
                            <option value="false" selected=move || text.get() != "true">{tr(Text::No)}</option>
                            <option value="true" selected=move || text.get() == "true">{tr(Text::Yes)}</option>
                        </select>
                    }.into_any(),
                    value => {
                        let kind = match value {
                            ValueType::Int | ValueType::BigInt => "number",
                            ValueType::Date => "date",
                            _ => "text",
                        };
                        view! {
                            <input name=name type=kind prop:value=move || text.get()
                                on:input:target=move |event| text.set(event.target().value()) />
                        }.into_any()
                    }
                };
                view! {
                    <label>
                        {move || column_label(lang.get(), column)}
                        {required.then_some(" *")}
                        {control}
                    </label>
                }
            }).collect_view()}
            <div class="actions">
                <button type="submit" data-testid="save" disabled=busy>{tr(Text::Save)}</button>
                <button type="button" on:click=move |_| on_done.run(None)>{tr(Text::Cancel)}</button>
            </div>
            <p class="error" role="alert" data-testid="form-message">{move || message.get()}</p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use shared::records;

    use super::*;

    #[test]
    fn forms_send_values_of_the_declared_types() {
        let employees = records::ENTERPRISE.column("employees").unwrap();
        assert_eq!(input_value(employees, "12"), Sent::Number(12));
        assert_eq!(input_value(employees, ""), Sent::Skip, "a required column left empty is not sent");
        let founded = records::ENTERPRISE.column("founded_year").unwrap();
        assert_eq!(input_value(founded, " "), Sent::Null, "an optional one is cleared");
        assert_eq!(input_text(&Cell::Number(7)), "7");
    }
}
