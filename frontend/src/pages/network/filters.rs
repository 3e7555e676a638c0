//! The explorer's filters: read from and written to the URL, turned into the API's graph
//! filter, and the form that changes them.

use leptos::prelude::*;
use shared::domain::{County, ProjectStatus};

use crate::{
    api::{self, network},
    codes,
    i18n::{Lang, Text, pick, text, tr, use_lang},
    router,
};

/// Builds an operation's `GraphFilter` from a `NetworkQuery`.
macro_rules! graph_filter {
    ($query:expr, $($module:ident)::+) => {{
        let query = $query;
        let mut filter = $($module)::+::GraphFilter::default();
        if let Some(chain) = &query.chain {
            filter.chain = Some($($module)::+::IdFilter { eq: Some(chain.clone()), ..Default::default() });
        }
        if let Some(county) = query.county {
            filter.county = Some($($module)::+::CountyFilter { eq: codes::to_graphql(county), ..Default::default() });
        }
        if let Some(status) = query.status {
            filter.status = Some($($module)::+::ProjectStatusFilter { eq: codes::status_to(status), ..Default::default() });
        }
        if let Some(programme) = &query.programme {
            filter.programme = Some($($module)::+::StringFilter { eq: Some(programme.clone()), ..Default::default() });
        }
        if query.from.is_some() || query.to.is_some() {
            filter.start_year = Some($($module)::+::IntFilter {
                gte: query.from.map(i64::from),
                lte: query.to.map(i64::from),
                ..Default::default()
            });
        }
        filter
    }};
}

/// The explorer's filters, read from and written to the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkQuery {
    pub chain: Option<String>,
    pub county: Option<County>,
    pub status: Option<ProjectStatus>,
    pub programme: Option<String>,
    /// Projects that started in this year or later.
    pub from: Option<i32>,
    /// Projects that started in this year or earlier (the year slider).
    pub to: Option<i32>,
}

/// The years the year filters offer.
pub const YEARS: std::ops::RangeInclusive<i32> = 2015..=2024;

impl NetworkQuery {
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        let get = |key: &str| param(key).filter(|value| !value.is_empty());
        let year = |key: &str| get(key).and_then(|year| year.parse().ok()).filter(|year| YEARS.contains(year));
        Self {
            chain: get("chain"),
            county: get("county").and_then(|code| County::from_code(&code)),
            status: get("status").and_then(|code| ProjectStatus::from_code(&code)),
            programme: get("programme"),
            from: year("from"),
            to: year("to"),
        }
    }

    pub fn href(&self) -> String {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(chain) = &self.chain {
            params.push(("chain", chain.clone()));
        }
        if let Some(county) = self.county {
            params.push(("county", county.code().to_owned()));
        }
        if let Some(status) = self.status {
            params.push(("status", status.code().to_owned()));
        }
        if let Some(programme) = &self.programme {
            params.push(("programme", programme.clone()));
        }
        if let Some(from) = self.from {
            params.push(("from", from.to_string()));
        }
        if let Some(to) = self.to {
            params.push(("to", to.to_string()));
        }
        router::link("/network", params)
    }

    /// The API's filter (the network and path operations have one type each).
    pub fn filter(&self) -> network::GraphFilter {
        graph_filter!(self, network)
    }

    pub fn path_filter(&self) -> api::path::GraphFilter {
        graph_filter!(self, api::path)
    }

    pub fn ego_filter(&self) -> api::ego::GraphFilter {
        graph_filter!(self, api::ego)
    }

    pub fn panel_filter(&self) -> api::node_panel::GraphFilter {
        graph_filter!(self, api::node_panel)
    }
}

#[component]
pub fn NetworkFilters(query: Memo<NetworkQuery>, choices: RwSignal<api::Choices>) -> impl IntoView {
    let lang = use_lang();
    let go = move |next: NetworkQuery| router::navigate(&next.href());
    let select = {
        move |apply: fn(&mut NetworkQuery, Option<String>)| {
            move |event: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlSelectElement>| {
                let value = event.target().value();
                let mut next = query.get_untracked();
                apply(&mut next, (!value.is_empty()).then_some(value));
                go(next);
            }
        }
    };
    let on_slider = {
        move |event: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlInputElement>| {
            let year: i32 = event.target().value().parse().unwrap_or(*YEARS.end());
            go(NetworkQuery { to: (year < *YEARS.end()).then_some(year), ..query.get_untracked() });
        }
    };
    let year_options = move |selected: fn(&NetworkQuery) -> Option<i32>| {
        YEARS.map(move |year| view! { <option value=year.to_string() selected=move || selected(&query.get()) == Some(year)>{year.to_string()}</option> }).collect_view()
    };
    view! {
        <form class="filters" data-testid="network-filters" on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
            <label>
                {tr(Text::FilterChain)}
                <select name="chain" on:change:target=select(|query, value| query.chain = value)>
                    <option value="" selected=move || query.get().chain.is_none()>{tr(Text::All)}</option>
                    {move || choices.get().chains.into_iter().map(|(id, zh, en)| {
                        let selected = query.get().chain.as_deref() == Some(id.as_str());
                        view! { <option value=id selected=selected>{if lang.get() == Lang::Zh { zh } else { en }}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {tr(Text::County)} " "
                <select name="county" on:change:target=select(|query, value| query.county = value.and_then(|code| County::from_code(&code)))>
                    <option value="" selected=move || query.get().county.is_none()>{tr(Text::All)}</option>
                    {County::ALL.iter().map(|county| {
                        let county = *county;
                        view! { <option value=county.code() selected=move || query.get().county == Some(county)>{move || pick(lang.get(), county.label_zh(), county.label_en())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {tr(Text::FilterStatus)} " "
                <select name="status" on:change:target=select(|query, value| query.status = value.and_then(|code| ProjectStatus::from_code(&code)))>
                    <option value="" selected=move || query.get().status.is_none()>{tr(Text::All)}</option>
                    {ProjectStatus::ALL.iter().map(|status| {
                        let status = *status;
                        view! { <option value=status.code() selected=move || query.get().status == Some(status)>{move || pick(lang.get(), status.label_zh(), status.label_en())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {tr(Text::Programme)}
                <select name="programme" on:change:target=select(|query, value| query.programme = value)>
                    <option value="" selected=move || query.get().programme.is_none()>{tr(Text::All)}</option>
                    {move || choices.get().programmes.into_iter().map(|programme| {
                        let selected = query.get().programme.as_deref() == Some(programme.as_str());
                        view! { <option value=programme.clone() selected=selected>{programme.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {tr(Text::FromYear)}
                <select name="from" on:change:target=select(|query, value| query.from = value.and_then(|year| year.parse().ok()))>
                    <option value="" selected=move || query.get().from.is_none()>{tr(Text::All)}</option>
                    {year_options(|query| query.from)}
                </select>
            </label>
            <label class="slider">
                {move || format!("{}{}", text(lang.get(), Text::UpToYear), query.get().to.unwrap_or(*YEARS.end()))}
                <input
                    type="range"
                    name="to"
                    data-testid="year-slider"
                    min=YEARS.start().to_string()
                    max=YEARS.end().to_string()
                    step="1"
                    prop:value=move || query.get().to.unwrap_or(*YEARS.end()).to_string()
                    on:change:target=on_slider
                />
            </label>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_filters_round_trip_through_the_url_and_become_the_api_filter() {
        let query = NetworkQuery {
            chain: Some("Q2hhaW46MQ".to_owned()),
            county: Some(County::HuoqiuCounty),
            status: Some(ProjectStatus::InProgress),
            programme: Some("产学研合作".to_owned()),
            from: Some(2020),
            to: Some(2023),
        };
        let read = NetworkQuery::from_params(router::lookup_owned(router::query_pairs(&query.href())));
        assert_eq!(read, query);
        let filter = serde_json::to_value(query.filter()).unwrap();
        assert_eq!(filter["county"]["eq"], "HUOQIU_COUNTY");
        assert_eq!(filter["status"]["eq"], "IN_PROGRESS");
        assert_eq!(
            (filter["startYear"]["gte"].as_i64(), filter["startYear"]["lte"].as_i64()),
            (Some(2020), Some(2023))
        );
        assert_eq!(serde_json::to_value(query.path_filter()).unwrap(), filter, "both operations filter alike");
        assert_eq!(NetworkQuery::default().href(), "/network");
        assert_eq!(
            NetworkQuery::from_params(|key| (key == "to").then(|| "1999".to_owned())).to,
            None,
            "years outside the data"
        );
    }
}
