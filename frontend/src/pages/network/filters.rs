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
    /// The ego view: its centre and depth (1 to 3).
    pub ego: Option<String>,
    pub depth: Option<i64>,
    /// The shortest path shown: from and to.
    pub path: Option<(String, String)>,
    /// The node selected (its panel open).
    pub node: Option<String>,
    /// How nodes are coloured and sized.
    pub colour: Colour,
    pub size: Size,
    /// The most nodes shown (the busiest first).
    pub show: Option<i64>,
    /// Edges coloured as new, continued or ended from one year to the next.
    pub compare: Option<i32>,
}

/// How the explorer colours nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Colour {
    /// Enterprises and institutions.
    #[default]
    Kind,
    /// Communities found by the API (label propagation).
    Community,
}

/// How the explorer sizes nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Size {
    /// By partners.
    #[default]
    Partners,
    /// By betweenness (brokers between groups).
    Betweenness,
}

/// The choices of the "nodes shown" control, and its default: enough for the demo network's
/// core, few enough for a phone to draw at 30 fps.
pub const SHOW_CHOICES: [i64; 3] = [300, 1000, 2000];
pub const DEFAULT_SHOW: i64 = 1000;

/// What the graph on screen depends on (the view's other settings do not reload it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphKey {
    pub filters: NetworkQuery,
    pub ego: Option<(String, i64)>,
    pub show: i64,
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
            ego: get("ego"),
            depth: get("depth").and_then(|depth| depth.parse().ok()).filter(|depth| (1..=3).contains(depth)),
            path: get("pathFrom").zip(get("pathTo")),
            node: get("node"),
            colour: if get("colour").as_deref() == Some("community") { Colour::Community } else { Colour::Kind },
            size: if get("size").as_deref() == Some("betweenness") { Size::Betweenness } else { Size::Partners },
            show: get("show").and_then(|show| show.parse().ok()).filter(|show| SHOW_CHOICES.contains(show)),
            compare: year("compare").filter(|year| year < YEARS.end()),
        }
    }

    /// The filters only (what the API's graph filter is made of).
    pub fn filters_only(&self) -> Self {
        Self {
            chain: self.chain.clone(),
            county: self.county,
            status: self.status,
            programme: self.programme.clone(),
            from: self.from,
            to: self.to,
            ..Self::default()
        }
    }

    /// What the graph on screen depends on.
    pub fn graph_key(&self) -> GraphKey {
        GraphKey {
            filters: self.filters_only(),
            ego: self.ego.clone().map(|id| (id, self.depth.unwrap_or(2))),
            show: self.show.unwrap_or(DEFAULT_SHOW),
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
        if let Some(ego) = &self.ego {
            params.push(("ego", ego.clone()));
        }
        if let Some(depth) = self.depth {
            params.push(("depth", depth.to_string()));
        }
        if let Some((from, to)) = &self.path {
            params.push(("pathFrom", from.clone()));
            params.push(("pathTo", to.clone()));
        }
        if let Some(node) = &self.node {
            params.push(("node", node.clone()));
        }
        if self.colour == Colour::Community {
            params.push(("colour", "community".to_owned()));
        }
        if self.size == Size::Betweenness {
            params.push(("size", "betweenness".to_owned()));
        }
        if let Some(show) = self.show {
            params.push(("show", show.to_string()));
        }
        if let Some(year) = self.compare {
            params.push(("compare", year.to_string()));
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

    pub fn compare_filter(&self) -> api::compare_years::GraphFilter {
        graph_filter!(self, api::compare_years)
    }
}

/// Changes the URL's view settings (selection, path, ego view) without a history entry; the
/// graph reloads only if its `GraphKey` changed.
pub fn go(query: Option<Memo<NetworkQuery>>, change: impl FnOnce(&mut NetworkQuery)) {
    if let Some(query) = query {
        let mut next = query.get_untracked();
        change(&mut next);
        router::replace(&next.href());
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
                        let name = crate::i18n::pick_name(lang.get(), &programme, shared::domain::programme_en(&programme));
                        view! { <option value=programme.clone() selected=selected>{name}</option> }
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
        <form class="filters view-settings" data-testid="network-view" on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
            <label>
                {tr(Text::ColourBy)}
                <select name="colour" on:change:target=select(|query, value| query.colour = if value.as_deref() == Some("community") { Colour::Community } else { Colour::Kind })>
                    <option value="kind" selected=move || query.get().colour == Colour::Kind>{tr(Text::ColourKind)}</option>
                    <option value="community" selected=move || query.get().colour == Colour::Community>{tr(Text::ColourCommunity)}</option>
                </select>
            </label>
            <label>
                {tr(Text::SizeBy)}
                <select name="size" on:change:target=select(|query, value| query.size = if value.as_deref() == Some("betweenness") { Size::Betweenness } else { Size::Partners })>
                    <option value="partners" selected=move || query.get().size == Size::Partners>{tr(Text::SizePartners)}</option>
                    <option value="betweenness" selected=move || query.get().size == Size::Betweenness>{tr(Text::SizeBetweenness)}</option>
                </select>
            </label>
            <label>
                {tr(Text::NodesShown)}
                <select name="show" on:change:target=select(|query, value| query.show = value.and_then(|show| show.parse().ok()).filter(|show| *show != DEFAULT_SHOW))>
                    {SHOW_CHOICES.map(|show| view! { <option value=show.to_string() selected=move || query.get().show.unwrap_or(DEFAULT_SHOW) == show>{crate::format::thousands(show)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {tr(Text::CompareYears)}
                <select name="compare" on:change:target=select(|query, value| query.compare = value.and_then(|year| year.parse().ok()))>
                    <option value="" selected=move || query.get().compare.is_none()>{tr(Text::NoComparison)}</option>
                    {YEARS.filter(|year| year < YEARS.end()).map(|year| view! {
                        <option value=year.to_string() selected=move || query.get().compare == Some(year)>{move || format!("{year} → {}", year + 1)}</option>
                    }).collect_view()}
                </select>
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
            ego: Some("SW5zdGl0dXRpb246MQ".to_owned()),
            depth: Some(3),
            path: Some(("RW50ZXJwcmlzZToy".to_owned(), "SW5zdGl0dXRpb246Mw".to_owned())),
            node: Some("RW50ZXJwcmlzZToy".to_owned()),
            colour: Colour::Community,
            size: Size::Betweenness,
            show: Some(300),
            compare: Some(2022),
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
        let key = query.graph_key();
        assert_eq!(key.ego, Some(("SW5zdGl0dXRpb246MQ".to_owned(), 3)));
        assert_eq!(key.show, 300);
        let restyled = NetworkQuery { colour: Colour::Kind, path: None, node: None, compare: None, ..query.clone() };
        assert_eq!(restyled.graph_key(), key, "colours, paths and selections do not reload the graph");
        assert_eq!(NetworkQuery::default().href(), "/network");
        assert_eq!(
            NetworkQuery::from_params(|key| (key == "to").then(|| "1999".to_owned())).to,
            None,
            "years outside the data"
        );
    }
}
