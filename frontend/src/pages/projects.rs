//! The projects table: filters, sorting and the cursor in the URL, a CSV of the rows shown.

use leptos::prelude::*;
use shared::domain::ProjectStatus;

use crate::{
    api::{self, projects},
    codes,
    components::{badge::status_badge, loader},
    download::{self, csv_field},
    i18n::{Lang, Text, pick, pick_name, text, tr, use_lang},
    router,
};

/// Rows per page of the table.
pub const PAGE_SIZE: i64 = 20;

/// The columns the table sorts by, with their URL codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Title,
    Status,
    Start,
    End,
    Updated,
}

impl SortField {
    const ALL: [SortField; 5] = [Self::Title, Self::Status, Self::Start, Self::End, Self::Updated];

    pub fn code(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Status => "status",
            Self::Start => "start",
            Self::End => "end",
            Self::Updated => "updated",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.code() == code)
    }

    fn api(self) -> projects::ProjectOrderField {
        match self {
            Self::Title => projects::ProjectOrderField::TITLE,
            Self::Status => projects::ProjectOrderField::STATUS,
            Self::Start => projects::ProjectOrderField::START_DATE,
            Self::End => projects::ProjectOrderField::END_DATE,
            Self::Updated => projects::ProjectOrderField::UPDATED_AT,
        }
    }
}

/// Where the table continues from: after the last row of a page or before its first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    After(String),
    Before(String),
}

/// The table's state, read from and written to the URL, so that every view is a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub status: Option<ProjectStatus>,
    pub chain: Option<String>,
    pub text: String,
    pub year: Option<i32>,
    pub sort: SortField,
    pub descending: bool,
    pub cursor: Option<Cursor>,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            status: None,
            chain: None,
            text: String::new(),
            year: None,
            sort: SortField::Start,
            descending: true,
            cursor: None,
        }
    }
}

impl ListQuery {
    /// Reads the URL's query; unknown or malformed values fall back to the defaults.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        let get = |key: &str| param(key).filter(|value| !value.is_empty());
        let default = Self::default();
        Self {
            status: get("status").and_then(|code| ProjectStatus::from_code(&code)),
            chain: get("chain"),
            text: get("q").unwrap_or_default(),
            year: get("year").and_then(|year| year.parse().ok()),
            sort: get("sort").and_then(|code| SortField::from_code(&code)).unwrap_or(default.sort),
            descending: get("dir").map_or(default.descending, |dir| dir != "asc"),
            cursor: get("after").map(Cursor::After).or_else(|| get("before").map(Cursor::Before)),
        }
    }

    /// The link to this view of the table.
    pub fn href(&self) -> String {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(status) = self.status {
            params.push(("status", status.code().to_owned()));
        }
        if let Some(chain) = &self.chain {
            params.push(("chain", chain.clone()));
        }
        if !self.text.trim().is_empty() {
            params.push(("q", self.text.trim().to_owned()));
        }
        if let Some(year) = self.year {
            params.push(("year", year.to_string()));
        }
        let default = Self::default();
        if (self.sort, self.descending) != (default.sort, default.descending) {
            params.push(("sort", self.sort.code().to_owned()));
            params.push(("dir", if self.descending { "desc" } else { "asc" }.to_owned()));
        }
        match &self.cursor {
            Some(Cursor::After(cursor)) => params.push(("after", cursor.clone())),
            Some(Cursor::Before(cursor)) => params.push(("before", cursor.clone())),
            None => {}
        }
        router::link("/projects", params)
    }

    /// The same view from its first page (any change of filter or order starts over).
    pub fn restart(self) -> Self {
        Self { cursor: None, ..self }
    }

    /// Sorting by `field`: ascending first, a second click on the same column reverses it.
    pub fn sorted_by(self, field: SortField) -> Self {
        let descending = if self.sort == field { !self.descending } else { false };
        Self { sort: field, descending, ..self }.restart()
    }

    /// The API's variables for this view.
    pub fn variables(&self) -> projects::Variables {
        let mut filter = projects::ProjectFilter::default();
        if let Some(status) = self.status {
            filter.status = Some(projects::ProjectStatusFilter { eq: codes::status_to(status), ..Default::default() });
        }
        if let Some(chain) = &self.chain {
            filter.has_enterprise = Box::new(Some(projects::EnterpriseFilter {
                chain: Some(projects::IdFilter { eq: Some(chain.clone()), ..Default::default() }),
                ..Default::default()
            }));
        }
        if !self.text.trim().is_empty() {
            filter.title =
                Some(projects::StringFilter { contains: Some(self.text.trim().to_owned()), ..Default::default() });
        }
        if let Some(year) = self.year {
            filter.start_date = Some(projects::DateFilter {
                gte: Some(format!("{year}-01-01")),
                lte: Some(format!("{year}-12-31")),
                ..Default::default()
            });
        }
        let direction = if self.descending { projects::SortDirection::DESC } else { projects::SortDirection::ASC };
        let mut variables = projects::Variables {
            filter: Some(filter),
            sort: self.sort.api(),
            direction,
            first: None,
            after: None,
            last: None,
            before: None,
        };
        match &self.cursor {
            Some(Cursor::Before(cursor)) => {
                variables.last = Some(PAGE_SIZE);
                variables.before = Some(cursor.clone());
            }
            Some(Cursor::After(cursor)) => {
                variables.first = Some(PAGE_SIZE);
                variables.after = Some(cursor.clone());
            }
            None => variables.first = Some(PAGE_SIZE),
        }
        variables
    }
}

type Row = projects::ProjectsProjectsNodes;

/// The rows shown, as CSV: one line per project, participants joined by `; `.
pub fn rows_csv(rows: &[Row], lang: Lang) -> String {
    // The columns' labels are the record declarations' (as `/export/projects.csv?header=zh`).
    const COLUMNS: [&str; 7] = ["id", "title", "status", "kind", "programme", "start_date", "end_date"];
    let label = |column: &shared::records::Column| if lang == Lang::Zh { column.label_zh } else { column.label_en };
    let mut header: Vec<&str> =
        COLUMNS.iter().filter_map(|name| shared::records::PROJECT.column(name)).map(label).collect();
    header.extend(match lang {
        Lang::Zh => ["参与企业", "参与高校院所"],
        Lang::En => ["Enterprises", "Institutions"],
    });
    let mut csv = header.join(",") + "\n";
    for row in rows {
        // Codes as the API and the exports write them, so they paste into filters.
        let status = codes::status_of(&row.status).map_or("", ProjectStatus::name);
        let kind = codes::from_graphql(shared::domain::ProjectKind::ALL, &row.kind).map_or("", |kind| kind.name());
        let enterprises: Vec<&str> = row.enterprises.nodes.iter().map(|node| node.name.as_str()).collect();
        let institutions: Vec<&str> = row.institutions.nodes.iter().map(|node| node.name.as_str()).collect();
        let fields = [
            row.id.clone(),
            row.title.clone(),
            status.to_owned(),
            kind.to_owned(),
            row.programme.clone(),
            row.start_date.clone().unwrap_or_default(),
            row.end_date.clone().unwrap_or_default(),
            enterprises.join("; "),
            institutions.join("; "),
        ];
        csv.push_str(&fields.iter().map(|field| csv_field(field)).collect::<Vec<_>>().join(","));
        csv.push('\n');
    }
    csv
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let params = router::use_query();
    let query = Memo::new(move |_| params.with(|pairs| ListQuery::from_params(router::lookup(pairs))));
    let page = loader::load(move || {
        let variables = query.get().variables();
        async move { api::run::<api::Projects>(variables).await }
    });
    view! {
        <main class="wide">
            <h2>{tr(Text::ProjectsTitle)}</h2>
            <Filters query=query page=page />
            {loader::loaded(page, move |data| view! { <ProjectTable data=data query=query.get_untracked() /> })}
        </main>
    }
}

#[component]
fn Filters(query: Memo<ListQuery>, page: loader::Loaded<projects::ResponseData>) -> impl IntoView {
    let lang = use_lang();
    let go = move |next: ListQuery| router::navigate(&next.restart().href());
    let (text_value, set_text_value) = signal(query.get_untracked().text);
    let on_submit = {
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            go(ListQuery { text: text_value.get_untracked(), ..query.get_untracked() });
        }
    };
    let on_status = {
        move |event: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlSelectElement>| {
            go(ListQuery { status: ProjectStatus::from_code(&event.target().value()), ..query.get_untracked() });
        }
    };
    let on_chain = {
        move |event: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlSelectElement>| {
            let value = event.target().value();
            go(ListQuery { chain: (!value.is_empty()).then_some(value), ..query.get_untracked() });
        }
    };
    let on_year = move |event: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlSelectElement>| {
        go(ListQuery { year: event.target().value().parse().ok(), ..query.get_untracked() });
    };
    // The chain list arrives with the first page; it is kept when later pages load.
    let chains = Memo::new(move |previous: Option<&Vec<(String, String, String)>>| match page.get() {
        Some(Ok(data)) => {
            data.industry_chains.nodes.into_iter().map(|chain| (chain.id, chain.name_zh, chain.name_en)).collect()
        }
        _ => previous.cloned().unwrap_or_default(),
    });
    view! {
        <form class="filters" role="search" on:submit=on_submit data-testid="project-filters">
            <label>
                {tr(Text::FilterTitle)}
                <input
                    type="search"
                    name="q"
                    prop:value=move || query.get().text
                    on:input:target=move |event| set_text_value.set(event.target().value())
                />
            </label>
            <button type="submit">{tr(Text::Search)}</button>
            <label>
                {tr(Text::FilterStatus)}
                <select name="status" on:change:target=on_status>
                    <option value="" selected=move || query.get().status.is_none()>{tr(Text::All)}</option>
                    {ProjectStatus::ALL.iter().map(|status| {
                        let status = *status;
                        view! {
                            <option value=status.code() selected=move || query.get().status == Some(status)>
                                {move || pick(lang.get(), status.label_zh(), status.label_en())}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {tr(Text::FilterChain)}
                <select name="chain" on:change:target=on_chain>
                    <option value="" selected=move || query.get().chain.is_none()>{tr(Text::All)}</option>
                    <For each=move || chains.get() key=|chain| chain.0.clone() let:chain>
                        {
                            let id = chain.0.clone();
                            view! {
                                <option value=chain.0.clone() selected=move || query.get().chain.as_deref() == Some(id.as_str())>
                                    {move || if lang.get() == Lang::Zh { chain.1.clone() } else { chain.2.clone() }}
                                </option>
                            }
                        }
                    </For>
                </select>
            </label>
            <label>
                {tr(Text::FilterYear)}
                <select name="year" on:change:target=on_year>
                    <option value="" selected=move || query.get().year.is_none()>{tr(Text::All)}</option>
                    {(2015..=2024).rev().map(|year| view! {
                        <option value=year.to_string() selected=move || query.get().year == Some(year)>{year.to_string()}</option>
                    }).collect_view()}
                </select>
            </label>
        </form>
    }
}

#[component]
fn ProjectTable(data: projects::ResponseData, query: ListQuery) -> impl IntoView {
    let lang = use_lang();
    let connection = data.projects;
    let info = connection.page_info.clone();
    let rows = connection.nodes.clone();
    let header = {
        let query = query.clone();
        move |field: SortField, label: Text| {
            let active = query.sort == field;
            let sort = if !active {
                "none"
            } else if query.descending {
                "descending"
            } else {
                "ascending"
            };
            let href = query.clone().sorted_by(field).href();
            view! {
                <th scope="col" aria-sort=sort>
                    <a href=href data-sort=field.code()>{tr(label)} {if active { if query.descending { " ↓" } else { " ↑" } } else { "" }}</a>
                </th>
            }
        }
    };
    let previous = info
        .start_cursor
        .clone()
        .filter(|_| info.has_previous_page)
        .map(|cursor| ListQuery { cursor: Some(Cursor::Before(cursor)), ..query.clone() }.href());
    // Going back from the first page of a `before` view may not know what follows; any page
    // reached by `before` has rows after it.
    let has_next = info.has_next_page || matches!(query.cursor, Some(Cursor::Before(_)));
    let next = info
        .end_cursor
        .clone()
        .filter(|_| has_next)
        .map(|cursor| ListQuery { cursor: Some(Cursor::After(cursor)), ..query.clone() }.href());
    let on_csv = {
        let rows = rows.clone();
        move |_| download::download_csv("lianqiao-projects.csv", &rows_csv(&rows, lang.get_untracked()))
    };
    let total = connection.total_count;
    let shown = rows.len();
    view! {
        <p class="table-tools">
            <span data-testid="project-total">{move || format!("{}{}", text(lang.get(), Text::Total), crate::format::thousands(total))}</span>
            <button type="button" data-testid="projects-csv" on:click=on_csv disabled=shown == 0>{tr(Text::DownloadCsv)}</button>
        </p>
        <div class="table-scroll">
            <table class="data projects" data-testid="projects">
                <thead>
                    <tr>
                        {header(SortField::Title, Text::ColumnTitle)}
                        {header(SortField::Status, Text::FilterStatus)}
                        <th scope="col">{tr(Text::Participants)}</th>
                        {header(SortField::Start, Text::ColumnStart)}
                        {header(SortField::End, Text::ColumnEnd)}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let status = codes::status_of(&row.status);
                        view! {
                            <tr data-id=row.id.clone()>
                                <td class="title"><a href=format!("/projects/{}", row.id)>{row.title.clone()}</a></td>
                                <td data-label=tr(Text::FilterStatus)>{status_badge(status)}</td>
                                <td class="participants" data-label=tr(Text::Participants)>
                                    {row.enterprises.nodes.iter().map(|node| view! {
                                        <a class="chip enterprise" href=format!("/enterprises/{}", node.id)>{node.name.clone()}</a>
                                    }).collect_view()}
                                    {row.institutions.nodes.iter().map(|node| {
                                        let (zh, en) = (node.name.clone(), node.name_en.clone());
                                        view! {
                                            <a class="chip institution" href=format!("/institutions/{}", node.id)>
                                                {move || pick_name(lang.get(), &zh, Some(en.as_str()))}
                                            </a>
                                        }
                                    }).collect_view()}
                                </td>
                                <td class="date" data-label=tr(Text::ColumnStart)>{row.start_date.clone().unwrap_or_default()}</td>
                                <td class="date" data-label=tr(Text::ColumnEnd)>{row.end_date.clone().unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(shown == 0).then(|| view! { <p class="empty">{tr(Text::NoRows)}</p> })}
        <nav class="pager" aria-label=tr(Text::Pages)>
            {match previous {
                Some(href) => view! { <a href=href rel="prev" data-testid="previous-page">{tr(Text::PreviousPage)}</a> }.into_any(),
                None => view! { <span class="disabled">{tr(Text::PreviousPage)}</span> }.into_any(),
            }}
            {match next {
                Some(href) => view! { <a href=href rel="next" data-testid="next-page">{tr(Text::NextPage)}</a> }.into_any(),
                None => view! { <span class="disabled">{tr(Text::NextPage)}</span> }.into_any(),
            }}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        router::lookup_owned(pairs.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect())
    }

    #[test]
    fn the_default_view_has_a_short_link() {
        assert_eq!(ListQuery::default().href(), "/projects");
        assert_eq!(ListQuery::from_params(|_| None), ListQuery::default());
    }

    #[test]
    fn every_view_round_trips_through_its_link() {
        let query = ListQuery {
            status: Some(ProjectStatus::InProgress),
            chain: Some("SW5kdXN0cnlDaGFpbjox".to_owned()),
            text: "电机".to_owned(),
            year: Some(2023),
            sort: SortField::Title,
            descending: false,
            cursor: Some(Cursor::After("b2Zmc2V0OjE5".to_owned())),
        };
        assert_eq!(ListQuery::from_params(router::lookup_owned(router::query_pairs(&query.href()))), query);
    }

    #[test]
    fn bad_values_in_the_url_fall_back_to_defaults() {
        let query = ListQuery::from_params(params(&[("status", "lost"), ("sort", "colour"), ("year", "soon")]));
        assert_eq!(query, ListQuery::default());
    }

    #[test]
    fn sorting_starts_ascending_flips_on_a_second_click_and_starts_over() {
        let paged = ListQuery { cursor: Some(Cursor::After("x".to_owned())), ..ListQuery::default() };
        let by_title = paged.sorted_by(SortField::Title);
        assert_eq!((by_title.sort, by_title.descending, by_title.cursor.clone()), (SortField::Title, false, None));
        assert!(by_title.sorted_by(SortField::Title).descending);
    }

    #[test]
    fn filters_become_api_variables_and_pages_use_the_cursor() {
        let query = ListQuery {
            status: Some(ProjectStatus::Completed),
            cursor: Some(Cursor::Before("c".to_owned())),
            ..ListQuery::default()
        };
        let variables = serde_json::to_value(query.variables()).unwrap();
        assert_eq!(variables["filter"]["status"]["eq"], "COMPLETED");
        assert_eq!(variables["last"], PAGE_SIZE);
        assert_eq!(variables["before"], "c");
        assert!(variables["first"].is_null());
        assert_eq!((&variables["sort"], &variables["direction"]), (&"START_DATE".into(), &"DESC".into()));
    }
}
