//! The data desk of the office's staff (`/data`): imports (the table's template, a dry run
//! whose problems show by row and column, the commit, its revert) and the records themselves
//! (a table per record type with search and the archived toggle, a form built from the record
//! declarations, conflicts on `version`, archive and restore). Field names, labels, types and
//! who may do what come from `shared` (the record declarations and the permission table), so
//! the page has no list of columns of its own.

use leptos::{prelude::*, task::spawn_local};
use shared::{
    permissions::{self, Action, Scope},
    records::{self, Column, Record, ValueType},
};
use wasm_bindgen::{JsCast, JsValue};

use crate::{
    api::{self, js},
    components::login::LoginForm,
    components::record_form::{Cell, RecordForm, Row, cell, column_label, field},
    i18n::{Lang, Text, explain, pick, tr, use_lang},
    router,
    session::use_session,
};

/// The tables the page keeps, in the order it offers them.
const TABLES: &[&Record] = records::IMPORTED;

fn table_of(name: &str) -> &'static Record {
    TABLES.iter().copied().find(|record| record.export == Some(name)).unwrap_or(TABLES[0])
}

fn label(lang: Lang, record: &Record) -> &'static str {
    pick(lang, record.label_zh, record.label_en)
}

#[component]
pub fn DataPage() -> impl IntoView {
    let session = use_session();
    view! {
        <main class="data">
            <h2>{tr(Text::NavData)}</h2>
            {move || match (session.known(), session.user()) {
                (false, _) => view! { <p class="loading" role="status">{tr(Text::Loading)}</p> }.into_any(),
                (true, None) => view! { <LoginForm /> }.into_any(),
                (true, Some(user)) if permissions::scope(user.role, Action::EditRecords) == Scope::Everything => {
                    view! { <DataDesk /> }.into_any()
                }
                (true, Some(_)) => view! { <p class="error" role="alert">{tr(Text::StaffOnly)}</p> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn DataDesk() -> impl IntoView {
    let query = router::use_query();
    let lang = use_lang();
    let tab = Memo::new(move |_| router::lookup(&query.get())("tab").unwrap_or_else(|| "import".to_owned()));
    let table = Memo::new(move |_| router::lookup(&query.get())("table").unwrap_or_else(|| "enterprises".to_owned()));
    let tab_link = move |name: &'static str, text_key: Text| {
        let href = move || router::link("/data", vec![("tab", name.to_owned()), ("table", table.get())]);
        view! {
            <a href=href aria-current=move || (tab.get() == name).then_some("page") data-testid=format!("tab-{name}")>
                {tr(text_key)}
            </a>
        }
    };
    view! {
        <nav class="tabs">{tab_link("import", Text::DataImport)} {tab_link("records", Text::DataRecords)}</nav>
        <label class="table-choice">
            {tr(Text::DataTable)}
            <select
                data-testid="data-table"
                on:change:target=move |event| {
                    router::navigate(&router::link("/data", vec![("tab", tab.get_untracked()), ("table", event.target().value())]));
                }
            >
                {TABLES
                    .iter()
                    .map(|record| {
                        let name = record.export.unwrap_or_default();
                        view! {
                            <option value=name selected=move || table.get() == name>{move || label(lang.get(), record)}</option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
        {move || {
            let record = table_of(&table.get());
            if tab.get() == "records" {
                view! { <RecordsPanel record=record /> }.into_any()
            } else {
                view! { <ImportPanel record=record /> }.into_any()
            }
        }}
    }
}

/// The answer of `POST /import/<table>`.
#[derive(Debug, Clone, PartialEq)]
struct Report {
    dry_run: bool,
    committed: bool,
    import_id: Option<String>,
    created: i64,
    updated: i64,
    unchanged: i64,
    rejected: i64,
    problems: Vec<RowProblem>,
    notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct RowProblem {
    row: i64,
    column: Option<String>,
    code: String,
    message: String,
    value: Option<String>,
}

/// Reads the import's answer: a report, or a refusal (`{"error": {code, message}}`).
fn read_report(lang: Lang, text: &str) -> Result<Report, String> {
    let answer = js_sys::JSON::parse(text).map_err(|_| text.to_owned())?;
    let refusal = js::get(&answer, "error");
    if refusal.is_object() {
        let code = js::get(&refusal, "code").as_string().unwrap_or_default();
        return Err(format!(
            "{}（{}）",
            explain(lang, &code),
            js::get(&refusal, "message").as_string().unwrap_or_default()
        ));
    }
    let count = |key| js::int(&js::get(&answer, key)).unwrap_or_default();
    let problems = js::items(&js::get(&answer, "problems"))
        .iter()
        .map(|problem| RowProblem {
            row: js::int(&js::get(problem, "row")).unwrap_or_default(),
            column: js::get(problem, "column").as_string(),
            code: js::get(problem, "code").as_string().unwrap_or_default(),
            message: js::get(problem, "message").as_string().unwrap_or_default(),
            value: js::get(problem, "value").as_string(),
        })
        .collect();
    Ok(Report {
        dry_run: js::get(&answer, "dryRun").as_bool().unwrap_or_default(),
        committed: js::get(&answer, "committed").as_bool().unwrap_or_default(),
        import_id: js::get(&answer, "importId").as_string(),
        created: count("created"),
        updated: count("updated"),
        unchanged: count("unchanged"),
        rejected: count("rejected"),
        problems,
        notes: js::items(&js::get(&answer, "notes")).iter().filter_map(JsValue::as_string).collect(),
    })
}

#[component]
fn ImportPanel(record: &'static Record) -> impl IntoView {
    let lang = use_lang();
    let table = record.export.unwrap_or_default();
    let file = StoredValue::new_local(None::<web_sys::File>);
    let (chosen, set_chosen) = signal(false);
    let report = RwSignal::new(None::<Result<Report, String>>);
    let busy = RwSignal::new(false);
    let reverted = RwSignal::new(None::<Result<(), String>>);
    let send = move |mode: &'static str| {
        let Some(upload) = file.get_value() else { return };
        busy.set(true);
        reverted.set(None);
        spawn_local(async move {
            let name = upload.name();
            let result = api::import_file(table, &name, mode, upload.into()).await;
            busy.set(false);
            report.set(Some(match result {
                Ok((_, text)) => read_report(lang.get_untracked(), &text),
                Err(error) => Err(crate::components::loader::reason(lang.get_untracked(), &error)),
            }));
        });
    };
    let revert = move |id: String| {
        busy.set(true);
        spawn_local(async move {
            let variables = js::object(&[("id", id.into())]);
            let result = api::raw("mutation ($id: ID!) { revertImport(id: $id) { id } }", variables).await;
            busy.set(false);
            reverted.set(Some(
                result.map(|_| ()).map_err(|error| crate::components::loader::reason(lang.get_untracked(), &error)),
            ));
        });
    };
    view! {
        <section class="import" data-testid="import-panel">
            <p>{tr(Text::ImportHint)}</p>
            <p>
                <a href=format!("/import/{table}/template.xlsx") download data-testid="template">
                    {tr(Text::DownloadTemplate)}
                </a>
            </p>
            <label>
                {tr(Text::ChooseFile)}
                <input
                    type="file"
                    accept=".xlsx,.csv,text/csv"
                    data-testid="import-file"
                    on:change=move |event| {
                        let input: web_sys::HtmlInputElement = event.target().unwrap().unchecked_into();
                        let picked = input.files().and_then(|files| files.get(0));
                        set_chosen.set(picked.is_some());
                        file.set_value(picked);
                        report.set(None);
                    }
                />
            </label>
            <div class="actions">
                <button type="button" data-testid="dry-run" disabled=move || !chosen.get() || busy.get() on:click=move |_| send("dry")>
                    {tr(Text::DryRun)}
                </button>
                <button type="button" data-testid="commit" disabled=move || !chosen.get() || busy.get() on:click=move |_| send("all")>
                    {tr(Text::CommitImport)}
                </button>
                <button type="button" data-testid="commit-valid" disabled=move || !chosen.get() || busy.get() on:click=move |_| send("valid")>
                    {tr(Text::CommitValid)}
                </button>
            </div>
            {move || {
                report
                    .get()
                    .map(|result| match result {
                        Err(message) => view! { <p class="error" role="alert" data-testid="import-error">{message}</p> }.into_any(),
                        Ok(report) => {
                            let import_id = report.import_id.clone();
                            view! {
                                <div data-testid="import-report" data-committed=report.committed.to_string()>
                                    <p data-testid="import-counts">
                                        {move || {
                                            let lang = lang.get();
                                            format!(
                                                "{} {} · {} {} · {} {} · {} {}{}",
                                                pick(lang, "新增", "created"), report.created,
                                                pick(lang, "更新", "updated"), report.updated,
                                                pick(lang, "未变", "unchanged"), report.unchanged,
                                                pick(lang, "有问题", "rejected"), report.rejected,
                                                if report.dry_run { pick(lang, "（检查，未写入）", " (checked, nothing written)") }
                                                else if report.committed { pick(lang, "（已导入）", " (imported)") }
                                                else { pick(lang, "（未写入）", " (nothing written)") },
                                            )
                                        }}
                                    </p>
                                    <ul class="notes">{report.notes.iter().map(|note| view! { <li>{note.clone()}</li> }).collect_view()}</ul>
                                    {(!report.problems.is_empty()).then(|| view! {
                                        <table class="problems" data-testid="import-problems">
                                            <thead><tr>
                                                <th>{tr(Text::ProblemRow)}</th><th>{tr(Text::ProblemColumn)}</th>
                                                <th>{tr(Text::ProblemWhat)}</th><th>{tr(Text::ProblemValue)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {report.problems.iter().map(|problem| {
                                                    let problem = problem.clone();
                                                    let code = problem.code.clone();
                                                    view! {
                                                        <tr data-code=problem.code.clone()>
                                                            <td>{problem.row}</td>
                                                            <td>{problem.column.clone().unwrap_or_default()}</td>
                                                            <td title=problem.message.clone()>{move || explain(lang.get(), &code)}</td>
                                                            <td>{problem.value.clone().unwrap_or_default()}</td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    })}
                                    {import_id.map(|id| view! {
                                        <button type="button" data-testid="revert" disabled=busy on:click=move |_| revert(id.clone())>
                                            {tr(Text::RevertImport)}
                                        </button>
                                    })}
                                </div>
                            }
                            .into_any()
                        }
                    })
            }}
            {move || reverted.get().map(|result| match result {
                Ok(()) => view! { <p role="status" data-testid="reverted">{tr(Text::ImportReverted)}</p> }.into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            })}
        </section>
    }
}

/// The list root of a record type, the text column its search looks in, and its mutations.
fn roots(record: &Record) -> (&'static str, &'static str, &'static str, &'static str) {
    match record.graphql_type {
        "Enterprise" => ("enterprises", "name", "createEnterprise", "updateEnterprise"),
        "Institution" => ("institutions", "name", "createInstitution", "updateInstitution"),
        "Project" => ("projects", "title", "proposeProject", "updateProject"),
        "TrainingSession" => ("trainingSessions", "title", "createTrainingSession", "updateTrainingSession"),
        _ => ("employmentNeeds", "occupation", "createEmploymentNeed", "updateEmploymentNeed"),
    }
}

/// The columns a form edits: the written ones (a project's status changes on the desk).
fn form_columns(record: &'static Record) -> Vec<&'static Column> {
    record.written_columns().filter(|column| column.name != "status").collect()
}

/// A selection of a column's value: references as their IDs.
fn selection(column: &Column) -> String {
    match column.value {
        ValueType::Ref(_) => format!("{} {{ id }}", field(column)),
        _ => field(column).to_owned(),
    }
}

/// A cell as the table shows it: codes by their Chinese labels, yes as a tick.
fn shown(column: &Column, value: &Cell) -> String {
    match (column.value, value) {
        (ValueType::Code(set), Cell::Text(name)) => set
            .values()
            .iter()
            .find(|(_, public)| public == name)
            .map(|(code, _)| set.label_zh_of(code))
            .unwrap_or(name)
            .to_owned(),
        (_, Cell::Text(text)) => text.clone(),
        (_, Cell::Number(number)) => number.to_string(),
        (_, Cell::Flag(true)) => "✓".to_owned(),
        (_, Cell::Flag(false) | Cell::Null) => String::new(),
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Listing {
    total: i64,
    rows: Vec<Row>,
}

#[component]
fn RecordsPanel(record: &'static Record) -> impl IntoView {
    let lang = use_lang();
    let (root, search_field, create, update) = roots(record);
    let columns = form_columns(record);
    let (search, set_search) = signal(String::new());
    let (archived, set_archived) = signal(false);
    let refresh = RwSignal::new(0_u32);
    // The record being edited (`Some(None)`: a new one).
    let editing = RwSignal::new(None::<Option<Row>>);
    let listed = columns.len().min(5);
    let headers = columns.clone();
    let rows = crate::components::loader::load(move || {
        let _ = refresh.get();
        let text = search.get();
        let mut filter = Vec::new();
        if !text.trim().is_empty() {
            filter.push((search_field, js::object(&[("contains", text.trim().into())])));
        }
        if archived.get() {
            filter.push(("archived", JsValue::TRUE));
        }
        let fields: Vec<String> = columns.iter().map(|column| selection(column)).collect();
        let query = format!(
            "query ($f: {}Filter) {{ {root}(first: 50, filter: $f) {{ totalCount nodes {{ id version archivedAt {} }} }} }}",
            record.graphql_type,
            fields.join(" ")
        );
        let columns = columns.clone();
        async move {
            let data = api::raw(&query, js::object(&[("f", js::object(&filter))])).await?;
            let connection = js::get(&data, root);
            let rows = js::items(&js::get(&connection, "nodes"))
                .iter()
                .map(|node| Row {
                    id: js::get(node, "id").as_string().unwrap_or_default(),
                    version: js::int(&js::get(node, "version")).unwrap_or_default(),
                    archived: !js::get(node, "archivedAt").is_null(),
                    cells: columns.iter().map(|column| cell(column, &js::get(node, field(column)))).collect(),
                })
                .collect();
            Ok(Listing { total: js::int(&js::get(&connection, "totalCount")).unwrap_or_default(), rows })
        }
    });
    let archive = move |id: String, version: i64, restore: bool| {
        spawn_local(async move {
            let mutation = if restore { "restoreRecord" } else { "archiveRecord" };
            let query = format!(
                "mutation ($id: ID!, $v: Int!) {{ {mutation}(id: $id, expectedVersion: $v) {{ __typename }} }}"
            );
            let variables = js::object(&[("id", id.into()), ("v", JsValue::from_f64(version as f64))]);
            let _ = api::raw(&query, variables).await;
            refresh.update(|n| *n += 1);
        });
    };
    view! {
        <section class="records" data-testid="records-panel">
            <div class="filters">
                <label>
                    {tr(Text::Search)}
                    <input type="search" data-testid="records-search" on:change:target=move |event| set_search.set(event.target().value()) />
                </label>
                <label>
                    <input type="checkbox" data-testid="records-archived" on:change:target=move |event| set_archived.set(event.target().checked()) />
                    {tr(Text::ShowArchived)}
                </label>
                <button type="button" data-testid="records-new" on:click=move |_| editing.set(Some(None))>
                    {tr(Text::NewRecord)}
                </button>
            </div>
            {move || editing.get().map(|current| view! {
                <RecordForm record=record columns=form_columns(record) row=current create=create update=update
                    on_done=Callback::new(move |_| { editing.set(None); refresh.update(|n| *n += 1); }) />
            })}
            {move || match rows.get() {
                None => view! { <p class="loading" role="status">{tr(Text::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{crate::components::loader::reason(lang.get(), &error)}</p> }.into_any(),
                Some(Ok(listing)) => {
                    let headers = headers.clone();
                    view! {
                        <p>{tr(Text::Total)} {listing.total}</p>
                        <table data-testid="records-table">
                            <thead><tr>
                                {headers.iter().copied().take(listed).map(|column| view! { <th>{move || column_label(lang.get(), column)}</th> }).collect_view()}
                                <th>{tr(Text::Version)}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {listing.rows.into_iter().map(|row| {
                                    let cells = headers.iter().copied().zip(&row.cells).take(listed)
                                        .map(|(column, value)| view! { <td>{shown(column, value)}</td> })
                                        .collect_view();
                                    let (id, version, is_archived) = (row.id.clone(), row.version, row.archived);
                                    let (archive_id, restore_id) = (id.clone(), id.clone());
                                    view! {
                                        <tr data-id=id>
                                            {cells}
                                            <td>{version}</td>
                                            <td class="row-actions">
                                                {(!is_archived).then(|| view! {
                                                    <button type="button" data-testid="edit" on:click=move |_| editing.set(Some(Some(row.clone())))>{tr(Text::Edit)}</button>
                                                    <button type="button" data-testid="archive" on:click=move |_| archive(archive_id.clone(), version, false)>{tr(Text::Archive)}</button>
                                                })}
                                                {is_archived.then(|| view! {
                                                    <button type="button" data-testid="restore" on:click=move |_| archive(restore_id.clone(), version, true)>{tr(Text::Restore)}</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use shared::error_code::ErrorCode;

    use super::*;

    #[test]
    fn tables_show_codes_and_forms_leave_the_status_to_the_desk() {
        let county = records::ENTERPRISE.column("county").unwrap();
        assert_eq!(shown(county, &Cell::Text("HUOSHAN_COUNTY".into())), "霍山县");
        assert!(form_columns(&records::PROJECT).iter().all(|column| column.name != "status"));
    }

    /// The operations this page and the desk's forms compose name roots and mutations of the
    /// committed schema (the declaration tests hold their fields to it).
    #[test]
    fn composed_operations_name_what_the_schema_has() {
        let schema = include_str!("../../../schema.graphql");
        let mut names = vec!["archiveRecord", "restoreRecord", "revertImport", "myChanges", "imports"];
        for record in TABLES {
            let (root, _, create, update) = roots(record);
            names.extend([root, create, update]);
            assert!(schema.contains(&format!("input {}Input ", record.graphql_type)), "{}Input", record.graphql_type);
            assert!(schema.contains(&format!("input {}Filter ", record.graphql_type)), "{}Filter", record.graphql_type);
        }
        for name in names {
            assert!(schema.contains(&format!("\t{name}(")) || schema.contains(&format!("\t{name}:")), "{name}");
        }
    }

    #[test]
    fn every_error_code_reads_in_both_languages() {
        assert_eq!(explain(Lang::Zh, "DUPLICATE_KEY"), ErrorCode::DuplicateKey.explain().0);
        assert_eq!(explain(Lang::En, "NOT_A_CODE"), "NOT_A_CODE");
    }
}
