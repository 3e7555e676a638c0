//! The network explorer: the cooperation graph laid out by `shared::layout` inside the
//! WebAssembly module, a few steps per animation frame, and drawn on a canvas. Wheel zooms,
//! dragging the background pans, clicking a node (or finding it by name) opens its panel.

use std::{cell::RefCell, rc::Rc};

use leptos::{html::Canvas, prelude::*};
use shared::layout::{Layout, Settings};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use shared::domain::{County, ProjectStatus};

use crate::{
    api::{self, network},
    i18n::{Lang, Text, text, tr, use_lang},
    router,
    ui::{self, pick},
};

/// Layout steps per animation frame, and the most steps before the layout is left as it is.
const STEPS_PER_FRAME: usize = 3;
const MAX_STEPS: usize = 600;

/// A node as drawn.
pub type NodeInfo = api::GraphNode;

/// What the canvas shows: the layout, the nodes and the view transform.
struct Scene {
    layout: Layout,
    nodes: Vec<NodeInfo>,
    edges: Vec<(usize, usize)>,
    scale: f64,
    offset: (f64, f64),
    selected: Option<usize>,
    /// The nodes of a shortest path, drawn highlighted.
    path: Vec<usize>,
    steps: usize,
    /// Whether the view follows the layout (until the user zooms, pans or searches).
    follow: bool,
}

impl Scene {
    /// Centres the view on the nodes and scales it so that all of them fit.
    fn fit(&mut self, width: f64, height: f64) {
        let positions = self.layout.positions();
        if positions.is_empty() {
            return;
        }
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for [x, y] in positions {
            min_x = min_x.min(f64::from(*x));
            max_x = max_x.max(f64::from(*x));
            min_y = min_y.min(f64::from(*y));
            max_y = max_y.max(f64::from(*y));
        }
        let span_x = (max_x - min_x).max(1.0);
        let span_y = (max_y - min_y).max(1.0);
        self.scale = (0.9 * (width / span_x).min(height / span_y)).min(12.0);
        self.offset = (-(min_x + max_x) / 2.0, -(min_y + max_y) / 2.0);
    }

    fn to_screen(&self, [x, y]: [f32; 2], width: f64, height: f64) -> (f64, f64) {
        (
            width / 2.0 + (f64::from(x) + self.offset.0) * self.scale,
            height / 2.0 + (f64::from(y) + self.offset.1) * self.scale,
        )
    }

    /// The layout coordinates of a point of the canvas.
    fn to_layout(&self, (x, y): (f64, f64), width: f64, height: f64) -> [f32; 2] {
        [
            ((x - width / 2.0) / self.scale - self.offset.0) as f32,
            ((y - height / 2.0) / self.scale - self.offset.1) as f32,
        ]
    }

    /// The node under a point of the canvas, if any.
    fn pick(&self, point: (f64, f64), width: f64, height: f64) -> Option<usize> {
        let mut best = None;
        let mut best_distance = f64::MAX;
        for (index, position) in self.layout.positions().iter().enumerate() {
            let (x, y) = self.to_screen(*position, width, height);
            let distance = ((x - point.0).powi(2) + (y - point.1).powi(2)).sqrt();
            if distance < best_distance && distance <= radius(self.nodes[index].degree) + 4.0 {
                best = Some(index);
                best_distance = distance;
            }
        }
        best
    }

    fn draw(&self, context: &CanvasRenderingContext2d, width: f64, height: f64) {
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, width, height);
        let positions = self.layout.positions();
        context.set_stroke_style_str("rgba(11, 79, 108, 0.25)");
        context.set_line_width(1.0);
        context.begin_path();
        for &(from, to) in &self.edges {
            let (x1, y1) = self.to_screen(positions[from], width, height);
            let (x2, y2) = self.to_screen(positions[to], width, height);
            context.move_to(x1, y1);
            context.line_to(x2, y2);
        }
        context.stroke();
        for (index, node) in self.nodes.iter().enumerate() {
            let (x, y) = self.to_screen(positions[index], width, height);
            context.set_fill_style_str(if node.institution { "#d1495b" } else { "#00798c" });
            context.begin_path();
            let _ = context.arc(x, y, radius(node.degree), 0.0, std::f64::consts::TAU);
            context.fill();
        }
        if self.path.len() > 1 {
            context.set_stroke_style_str("#edae49");
            context.set_line_width(4.0);
            context.begin_path();
            for (step, &index) in self.path.iter().enumerate() {
                let (x, y) = self.to_screen(positions[index], width, height);
                if step == 0 {
                    context.move_to(x, y);
                } else {
                    context.line_to(x, y);
                }
            }
            context.stroke();
        }
        if let Some(index) = self.selected {
            let (x, y) = self.to_screen(positions[index], width, height);
            context.set_stroke_style_str("#edae49");
            context.set_line_width(3.0);
            context.begin_path();
            let _ = context.arc(x, y, radius(self.nodes[index].degree) + 4.0, 0.0, std::f64::consts::TAU);
            context.stroke();
        }
    }
}

/// What a pointer held down on the canvas is doing.
enum Drag {
    /// Moving the view; a press without movement is a click on the background or a node.
    Pan { last: (f64, f64), moved: bool },
    /// Moving one node (pinned where it is dropped).
    Node { node: usize, moved: bool },
}

/// A pointer's position in canvas pixels (the canvas may be drawn smaller, e.g. on a phone).
fn canvas_point(event: &web_sys::PointerEvent, canvas: &web_sys::HtmlCanvasElement) -> (f64, f64) {
    let shown = f64::from(canvas.client_width().max(1));
    let ratio = f64::from(canvas.width()) / shown;
    (f64::from(event.offset_x()) * ratio, f64::from(event.offset_y()) * ratio)
}

/// Node radius in pixels, by degree.
pub fn radius(degree: i64) -> f64 {
    3.0 + (degree.max(0) as f64).sqrt() * 1.5
}

/// The nodes and edges on screen as CSV: one table, a `record` column telling nodes and edges
/// apart (`node,id,name,kind,degree` / `edge,source,target,weight`).
pub fn to_csv(nodes: &[NodeInfo], edges: &[(usize, usize, f32)]) -> String {
    fn field(value: &str) -> String {
        if value.contains([',', '"', '\n']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value.to_owned() }
    }
    let mut csv = String::from("record,id_or_source,name_or_target,kind_or_weight,degree\n");
    for node in nodes {
        let kind = if node.institution { "institution" } else { "enterprise" };
        csv.push_str(&format!("node,{},{},{kind},{}\n", field(&node.id), field(&node.name), node.degree));
    }
    for &(from, to, weight) in edges {
        // Weights count projects: whole numbers.
        let weight = weight.round() as i64;
        csv.push_str(&format!("edge,{},{},{weight},\n", field(&nodes[from].id), field(&nodes[to].id)));
    }
    csv
}

/// Starts a download of `href` (a data URL) as `filename`.
fn download(filename: &str, href: &str) {
    let Ok(anchor) = document().create_element("a") else { return };
    let _ = anchor.set_attribute("href", href);
    let _ = anchor.set_attribute("download", filename);
    if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlElement>() {
        anchor.click();
    }
}

/// The first node whose name contains `text` (case-insensitive), if any.
pub fn find(nodes: &[NodeInfo], text: &str) -> Option<usize> {
    let needle = text.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    nodes.iter().position(|node| node.name.to_lowercase().contains(&needle))
}

fn context_of(canvas: &web_sys::HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten().and_then(|context| context.dyn_into().ok())
}

/// Steps the layout and redraws, then schedules itself again until the layout settles.
fn animate(scene: Rc<RefCell<Scene>>, canvas: web_sys::HtmlCanvasElement) {
    // A canvas taken off the page (another graph was loaded) stops its loop.
    if !canvas.is_connected() {
        return;
    }
    let settled = {
        let mut scene = scene.borrow_mut();
        let mut moved = f32::MAX;
        for _ in 0..STEPS_PER_FRAME {
            moved = scene.layout.step();
            scene.steps += 1;
        }
        let (width, height) = (f64::from(canvas.width()), f64::from(canvas.height()));
        if scene.follow {
            scene.fit(width, height);
        }
        if let Some(context) = context_of(&canvas) {
            scene.draw(&context, width, height);
            // The first frame with the graph on screen, for the first-paint benchmark.
            if scene.steps == STEPS_PER_FRAME
                && let Some(performance) = window().performance()
            {
                let _ = performance.mark("lianqiao:network-drawn");
            }
        }
        moved < 0.05 || scene.steps >= MAX_STEPS
    };
    let _ = canvas.set_attribute("data-steps", &scene.borrow().steps.to_string());
    if settled {
        let _ = canvas.set_attribute("data-settled", "true");
    } else {
        request_animation_frame(move || animate(scene, canvas));
    }
}

fn redraw(scene: &Rc<RefCell<Scene>>, canvas: &web_sys::HtmlCanvasElement) {
    if let Some(context) = context_of(canvas) {
        scene.borrow().draw(&context, f64::from(canvas.width()), f64::from(canvas.height()));
    }
    // The view's zoom in thousandths, for tests.
    let _ = canvas.set_attribute("data-scale", &((scene.borrow().scale * 1000.0).round() as i64).to_string());
}

/// Builds an operation's `GraphFilter` from a `NetworkQuery`.
macro_rules! graph_filter {
    ($query:expr, $($module:ident)::+) => {{
        let query = $query;
        let mut filter = $($module)::+::GraphFilter::default();
        if let Some(chain) = &query.chain {
            filter.chain = Some($($module)::+::IdFilter { eq: Some(chain.clone()), ..Default::default() });
        }
        if let Some(county) = query.county {
            filter.county = Some($($module)::+::CountyFilter { eq: ui::to_graphql(county), ..Default::default() });
        }
        if let Some(status) = query.status {
            filter.status = Some($($module)::+::ProjectStatusFilter { eq: ui::status_to(status), ..Default::default() });
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
        ui::link("/network", params)
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
pub fn NetworkPage() -> impl IntoView {
    let params = router::use_query();
    let query = Memo::new(move |_| params.with(|pairs| NetworkQuery::from_params(router::lookup(pairs))));
    // `None` shows the (filtered) network; `Some((id, depth))` one node's ego network.
    let (ego, set_ego) = signal(None::<(String, i64)>);
    let choices = RwSignal::new(api::Choices::default());
    let graph = ui::load(move || {
        let ego = ego.get();
        let filters = query.get();
        async move {
            match ego {
                None => {
                    let (graph, offered) = api::network(filters.filter()).await?;
                    choices.set(offered);
                    Ok(graph)
                }
                Some((id, depth)) => api::ego(id, depth, filters.ego_filter()).await,
            }
        }
    });
    view! {
        <main class="wide">
            <h2>{tr(Text::NetworkTitle)}</h2>
            <NetworkFilters query=query choices=choices />
            {move || match graph.get() {
                None => view! { <p class="loading" role="status">{tr(Text::LoadingNetwork)}</p> }.into_any(),
                Some(Ok(graph)) => view! { <NetworkCanvas graph=graph ego=ego set_ego=set_ego filters=query.get_untracked() /> }.into_any(),
                Some(Err(error)) => ui::error_view(error).into_any(),
            }}
        </main>
    }
}

#[component]
fn NetworkFilters(query: Memo<NetworkQuery>, choices: RwSignal<api::Choices>) -> impl IntoView {
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

/// A deterministic synthetic cooperation graph: every tenth node an institution, each edge
/// between an enterprise and an institution, as in the real network. For the layout
/// benchmark (`/lab/layout?nodes=2000&edges=5000`).
pub fn synthetic(node_count: usize, edge_count: usize) -> api::Graph {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % bound.max(1) as u64) as usize
    };
    let institutions = node_count.div_ceil(10).max(1);
    let nodes: Vec<NodeInfo> = (0..node_count)
        .map(|index| NodeInfo {
            id: format!("n{index}"),
            name: format!("node {index}"),
            institution: index % 10 == 0,
            degree: 0,
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut edges = Vec::with_capacity(edge_count);
    let enterprises = node_count - institutions;
    while edges.len() < edge_count.min(enterprises * institutions) {
        let institution = next(institutions) * 10;
        let enterprise = loop {
            let candidate = next(node_count);
            if candidate % 10 != 0 {
                break candidate;
            }
        };
        if seen.insert((institution, enterprise)) {
            edges.push((nodes[enterprise].id.clone(), nodes[institution].id.clone(), 1.0));
        }
    }
    let mut graph = api::Graph { nodes, edges };
    let mut degrees = vec![0_i64; node_count];
    for (source, target, _) in &graph.edges {
        degrees[source[1..].parse::<usize>().unwrap_or(0)] += 1;
        degrees[target[1..].parse::<usize>().unwrap_or(0)] += 1;
    }
    for (node, degree) in graph.nodes.iter_mut().zip(degrees) {
        node.degree = degree;
    }
    graph
}

/// The layout benchmark's page: a synthetic graph of the size in the URL, laid out and
/// drawn exactly like the network explorer.
#[component]
pub fn LayoutLab() -> impl IntoView {
    let query = router::use_query().get_untracked();
    let size =
        |key: &str, default: usize| router::lookup(&query)(key).and_then(|value| value.parse().ok()).unwrap_or(default);
    let graph = synthetic(size("nodes", 2_000).min(20_000), size("edges", 5_000).min(50_000));
    let (ego, set_ego) = signal(None::<(String, i64)>);
    view! {
        <main class="wide">
            <NetworkCanvas graph=graph ego=ego set_ego=set_ego />
        </main>
    }
}

/// The panel's partners (each selects that node) and latest projects.
fn node_details<F: Fn(usize) + Clone + Send + Sync + 'static>(
    data: api::node_panel::ResponseData,
    focus: &F,
    index_of: &std::collections::HashMap<String, usize>,
) -> impl IntoView + use<F> {
    use api::node_panel::NodePanelNode;
    let projects = match data.node {
        Some(NodePanelNode::Enterprise(one)) => Some((
            one.projects.total_count,
            one.projects.nodes.into_iter().map(|p| (p.id, p.title, ui::status_of(&p.status))).collect::<Vec<_>>(),
        )),
        Some(NodePanelNode::Institution(one)) => Some((
            one.projects.total_count,
            one.projects.nodes.into_iter().map(|p| (p.id, p.title, ui::status_of(&p.status))).collect(),
        )),
        _ => None,
    };
    let partners = data
        .neighbours
        .into_iter()
        .take(10)
        .map(|partner| {
            let target = index_of.get(&partner.node.id).copied();
            let focus = focus.clone();
            view! {
                <li>
                    <button type="button" class="link" disabled=target.is_none() on:click=move |_| if let Some(index) = target { focus(index) }>
                        {partner.node.name}
                    </button>
                    " × " {partner.weight}
                </li>
            }
        })
        .collect_view();
    view! {
        <h4>{tr(Text::PartnersTitle)}</h4>
        <ul class="panel-partners" data-testid="panel-partners">{partners}</ul>
        {projects.map(|(total, projects)| view! {
            <h4>{move || format!("{} ({total})", text(use_lang().get(), Text::NodeProjects))}</h4>
            <ul class="panel-projects" data-testid="panel-projects">
                {projects.into_iter().map(|(id, title, status)| view! {
                    <li><a href=format!("/projects/{id}")>{title}</a> " " {ui::status_badge(status)}</li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn NetworkCanvas(
    graph: api::Graph,
    ego: ReadSignal<Option<(String, i64)>>,
    set_ego: WriteSignal<Option<(String, i64)>>,
    #[prop(optional)] filters: Option<NetworkQuery>,
) -> impl IntoView {
    let index: std::collections::HashMap<&str, usize> =
        graph.nodes.iter().enumerate().map(|(position, node)| (node.id.as_str(), position)).collect();
    let edges: Vec<(usize, usize, f32)> = graph
        .edges
        .iter()
        .filter_map(|(source, target, weight)| {
            Some((*index.get(source.as_str())?, *index.get(target.as_str())?, *weight))
        })
        .collect();
    let nodes: Vec<NodeInfo> = graph.nodes.clone();
    // In an ego network the centre stays selected.
    let centre = ego.get_untracked().and_then(|(id, _)| nodes.iter().position(|node| node.id == id));
    let node_count = nodes.len();
    let edge_count = edges.len();
    let path_nodes = nodes.clone();
    let panel_filters = filters.clone();
    let scene = Rc::new(RefCell::new(Scene {
        layout: Layout::new(node_count, &edges, Settings::default()),
        nodes: nodes.clone(),
        edges: edges.iter().map(|&(from, to, _)| (from, to)).collect(),
        scale: 1.0,
        offset: (0.0, 0.0),
        selected: centre,
        path: Vec::new(),
        steps: 0,
        follow: true,
    }));
    let canvas_ref = NodeRef::<Canvas>::new();
    let (selected, set_selected) = signal(centre);
    let (not_found, set_not_found) = signal(false);
    let (query, set_query) = signal(String::new());
    let (depth, set_depth) = signal(ego.get_untracked().map_or(2i64, |(_, depth)| depth));
    let lang = use_lang();
    // Shortest path: where it starts, and the nodes found (`Some(empty)`: not connected).
    let path_start = RwSignal::new(None::<usize>);
    let path_found = RwSignal::new(None::<Vec<usize>>);
    let find_path = {
        let (scene, nodes) = (scene.clone(), nodes.clone());
        let scene = send_wrapper::SendWrapper::new(scene);
        move |to: usize| {
            let Some(from) = path_start.get_untracked() else { return };
            let filter = filters.as_ref().map(NetworkQuery::path_filter);
            let variables = api::path::Variables { from: nodes[from].id.clone(), to: nodes[to].id.clone(), filter };
            let (scene, nodes) = (scene.clone(), nodes.clone());
            leptos::task::spawn_local(async move {
                let found = api::run::<api::Path>(variables).await.ok().and_then(|data| data.shortest_path);
                let path: Vec<usize> = found
                    .map(|path| {
                        path.nodes.iter().filter_map(|node| nodes.iter().position(|one| one.id == node.id)).collect()
                    })
                    .unwrap_or_default();
                scene.borrow_mut().path = path.clone();
                path_found.set(Some(path));
                if let Some(canvas) = canvas_ref.get_untracked() {
                    redraw(&scene, &canvas);
                }
            });
        }
    };

    {
        let scene = scene.clone();
        Effect::new(move |_| {
            if let Some(canvas) = canvas_ref.get() {
                let canvas: web_sys::HtmlCanvasElement = canvas;
                animate(scene.clone(), canvas);
            }
        });
    }

    let drag = Rc::new(RefCell::new(None::<Drag>));
    let zoom = {
        let scene = scene.clone();
        move |factor: f64| {
            {
                let mut scene = scene.borrow_mut();
                scene.follow = false;
                scene.scale *= factor;
            }
            if let Some(canvas) = canvas_ref.get_untracked() {
                redraw(&scene, &canvas);
            }
        }
    };
    let pan = {
        let scene = scene.clone();
        move |dx: f64, dy: f64| {
            {
                let mut scene = scene.borrow_mut();
                let scale = scene.scale;
                scene.follow = false;
                scene.offset.0 += dx / scale;
                scene.offset.1 += dy / scale;
            }
            if let Some(canvas) = canvas_ref.get_untracked() {
                redraw(&scene, &canvas);
            }
        }
    };
    let on_wheel = {
        let zoom = zoom.clone();
        move |event: web_sys::WheelEvent| {
            event.prevent_default();
            zoom(if event.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 });
        }
    };
    let on_key = {
        let (zoom, pan, scene) = (zoom.clone(), pan.clone(), scene.clone());
        move |event: leptos::ev::KeyboardEvent| {
            let step = 40.0;
            match event.key().as_str() {
                "+" | "=" => zoom(1.15),
                "-" | "_" => zoom(1.0 / 1.15),
                "ArrowLeft" => pan(step, 0.0),
                "ArrowRight" => pan(-step, 0.0),
                "ArrowUp" => pan(0.0, step),
                "ArrowDown" => pan(0.0, -step),
                "0" => {
                    if let Some(canvas) = canvas_ref.get_untracked() {
                        scene.borrow_mut().fit(f64::from(canvas.width()), f64::from(canvas.height()));
                        redraw(&scene, &canvas);
                    }
                }
                _ => return,
            }
            event.prevent_default();
        }
    };
    let on_down = {
        let (drag, scene) = (drag.clone(), scene.clone());
        move |event: web_sys::PointerEvent| {
            let Some(canvas) = canvas_ref.get_untracked() else { return };
            let point = canvas_point(&event, &canvas);
            let picked = scene.borrow().pick(point, f64::from(canvas.width()), f64::from(canvas.height()));
            let _ = canvas.set_pointer_capture(event.pointer_id());
            *drag.borrow_mut() = Some(match picked {
                Some(node) => Drag::Node { node, moved: false },
                None => Drag::Pan { last: point, moved: false },
            });
        }
    };
    let on_move = {
        let (drag, scene) = (drag.clone(), scene.clone());
        move |event: web_sys::PointerEvent| {
            let Some(canvas) = canvas_ref.get_untracked() else { return };
            let point = canvas_point(&event, &canvas);
            let mut state = drag.borrow_mut();
            match state.as_mut() {
                None => return,
                Some(Drag::Pan { last, moved }) => {
                    let mut scene = scene.borrow_mut();
                    let scale = scene.scale;
                    scene.follow = false;
                    scene.offset.0 += (point.0 - last.0) / scale;
                    scene.offset.1 += (point.1 - last.1) / scale;
                    *moved |= (point.0 - last.0).abs() + (point.1 - last.1).abs() > 0.0;
                    *last = point;
                }
                Some(Drag::Node { node, moved }) => {
                    let mut scene = scene.borrow_mut();
                    let position = scene.to_layout(point, f64::from(canvas.width()), f64::from(canvas.height()));
                    scene.follow = false;
                    scene.layout.pin(*node, Some(position));
                    *moved = true;
                }
            }
            drop(state);
            redraw(&scene, &canvas);
        }
    };
    let on_up = {
        let (drag, scene) = (drag.clone(), scene.clone());
        move |event: web_sys::PointerEvent| {
            let state = drag.borrow_mut().take();
            let Some(canvas) = canvas_ref.get_untracked() else { return };
            let picked = match state {
                // A dragged node stays where it was put; the others settle around it.
                Some(Drag::Node { node, moved: true }) => {
                    let settled = canvas.get_attribute("data-settled").is_some();
                    scene.borrow_mut().steps = MAX_STEPS.saturating_sub(90);
                    if settled {
                        let _ = canvas.remove_attribute("data-settled");
                        animate(scene.clone(), canvas.clone());
                    }
                    Some(node)
                }
                Some(Drag::Node { node, moved: false }) => Some(node),
                Some(Drag::Pan { moved: true, .. }) | None => None,
                Some(Drag::Pan { moved: false, .. }) => {
                    let point = canvas_point(&event, &canvas);
                    scene.borrow().pick(point, f64::from(canvas.width()), f64::from(canvas.height()))
                }
            };
            if picked.is_some() {
                scene.borrow_mut().selected = picked;
                set_selected.set(picked);
                redraw(&scene, &canvas);
            }
        }
    };
    let on_png = move |_| {
        if let Some(canvas) = canvas_ref.get_untracked()
            && let Ok(url) = canvas.to_data_url()
        {
            download("lianqiao-network.png", &url);
        }
    };
    let on_csv = {
        let (nodes, edges) = (nodes.clone(), edges.clone());
        move |_| {
            let csv = to_csv(&nodes, &edges);
            let encoded = String::from(js_sys::encode_uri_component(&csv));
            download("lianqiao-network.csv", &format!("data:text/csv;charset=utf-8,%EF%BB%BF{encoded}"));
        }
    };
    // Selects a node and centres the view on it (search, partner links in the panel).
    let focus = {
        let scene = send_wrapper::SendWrapper::new(scene.clone());
        move |index: usize| {
            let mut scene_ref = scene.borrow_mut();
            let [x, y] = scene_ref.layout.positions()[index];
            scene_ref.follow = false;
            scene_ref.scale = scene_ref.scale.max(1.5);
            scene_ref.offset = (-f64::from(x), -f64::from(y));
            scene_ref.selected = Some(index);
            drop(scene_ref);
            set_selected.set(Some(index));
            if let Some(canvas) = canvas_ref.get_untracked() {
                redraw(&scene, &canvas);
            }
        }
    };
    let on_search = {
        let (focus, nodes) = (focus.clone(), nodes.clone());
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let found = find(&nodes, &query.get_untracked());
            set_not_found.set(found.is_none());
            if let Some(index) = found {
                focus(index);
            }
        }
    };
    // The selected node's partners and latest projects.
    let details = {
        let (nodes, filters) = (nodes.clone(), panel_filters);
        ui::load(move || {
            let id = selected.get().map(|index| nodes[index].id.clone());
            let filter = filters.as_ref().map(NetworkQuery::panel_filter);
            async move {
                match id {
                    None => Ok(None),
                    Some(id) => api::run::<api::NodePanel>(api::node_panel::Variables { id, filter }).await.map(Some),
                }
            }
        })
    };
    let index_of: std::collections::HashMap<String, usize> =
        nodes.iter().enumerate().map(|(position, node)| (node.id.clone(), position)).collect();

    view! {
        <form class="search" role="search" on:submit=on_search>
            <label for="network-search">{tr(Text::SearchLabel)}</label>
            <input
                id="network-search"
                type="search"
                placeholder=tr(Text::SearchPlaceholder)
                on:input:target=move |event| set_query.set(event.target().value())
            />
            <button type="submit">{tr(Text::Search)}</button>
            <span class="error" role="status">{move || if not_found.get() { text(lang.get(), Text::NoMatch) } else { "" }}</span>
        </form>
        {move || ego.get().map(|_| view! {
            <p class="ego-note">
                {tr(Text::EgoShown)} " "
                <button type="button" data-testid="whole-network" on:click=move |_| set_ego.set(None)>{tr(Text::ShowWhole)}</button>
            </p>
        })}
        <p class="exports">
            <button type="button" data-testid="export-png" on:click=on_png>{tr(Text::ExportPng)}</button>
            <button type="button" data-testid="export-csv" on:click=on_csv>{tr(Text::ExportCsv)}</button>
        </p>
        <div class="network">
            <canvas
                node_ref=canvas_ref
                width="960"
                height="560"
                data-testid="network"
                data-nodes=node_count
                data-edges=edge_count
                aria-label=move || format!("{} {node_count} / {edge_count}", text(lang.get(), Text::NetworkSummary))
                tabindex="0"
                aria-describedby="network-keys"
                on:keydown=on_key
                on:wheel=on_wheel
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
            ></canvas>
            <aside class="panel" data-testid="node-panel" aria-live="polite">
                {move || match selected.get() {
                    None => view! { <p class="hint">{tr(Text::NetworkHint)}</p> }.into_any(),
                    Some(index) => {
                        let node = &nodes[index];
                        view! {
                            <h3 class="node-name">{node.name.clone()}</h3>
                            <p>{text(lang.get(), if node.institution { Text::Institution } else { Text::Enterprise })}</p>
                            <p>{format!("{}{}", text(lang.get(), Text::Partners), node.degree)}</p>
                            <p>
                                <a data-testid="open-page" href=format!("/{}/{}", if node.institution { "institutions" } else { "enterprises" }, node.id)>
                                    {text(lang.get(), Text::OpenPage)}
                                </a>
                            </p>
                            {
                                let (focus, index_of) = (focus.clone(), index_of.clone());
                                move || details.get().and_then(Result::ok).flatten().map(|data| node_details(data, &focus, &index_of))
                            }
                            <p class="path-tools">
                                <button type="button" data-testid="path-start" on:click=move |_| {
                                    path_start.set(Some(index));
                                    path_found.set(None);
                                }>{text(lang.get(), Text::PathStart)}</button>
                                {path_start.get().filter(|start| *start != index).map(|start| {
                                    let find_path = find_path.clone();
                                    let label = format!("{}{}", text(lang.get(), Text::PathFind), nodes[start].name);
                                    view! { <button type="button" data-testid="path-find" on:click=move |_| find_path(index)>{label}</button> }
                                })}
                            </p>
                            <p class="ego">
                                <label>
                                    {text(lang.get(), Text::Depth)}
                                    <select on:change:target=move |event| set_depth.set(event.target().value().parse().unwrap_or(1))>
                                        <option value="1" selected=move || depth.get() == 1>"1"</option>
                                        <option value="2" selected=move || depth.get() == 2>"2"</option>
                                        <option value="3" selected=move || depth.get() == 3>"3"</option>
                                    </select>
                                </label>
                                <button
                                    type="button"
                                    data-testid="expand-ego"
                                    on:click={
                                        let id = node.id.clone();
                                        move |_| set_ego.set(Some((id.clone(), depth.get_untracked())))
                                    }
                                >
                                    {text(lang.get(), Text::ShowEgo)}
                                </button>
                            </p>
                        }.into_any()
                    }
                }}
            </aside>
        </div>
        {move || path_found.get().map(|path| {
            let lang = lang.get();
            if path.is_empty() {
                view! { <p class="notice" role="status" data-testid="path-none">{text(lang, Text::PathNone)}</p> }.into_any()
            } else {
                view! {
                    <section class="path" aria-live="polite">
                        <h3>{format!("{}{}", text(lang, Text::PathTitle), path.len() - 1)}</h3>
                        <ol data-testid="path">
                            {path.iter().map(|&index| {
                                let node = &path_nodes[index];
                                let href = format!("/{}/{}", if node.institution { "institutions" } else { "enterprises" }, node.id);
                                view! { <li><a href=href>{node.name.clone()}</a></li> }
                            }).collect_view()}
                        </ol>
                    </section>
                }.into_any()
            }
        })}
        <p class="hint" id="network-keys">{tr(Text::NetworkKeys)}</p>
        <p class="legend">
            <span class="dot enterprise"></span>{tr(Text::Enterprise)}
            <span class="dot institution"></span>{tr(Text::Institution)}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str) -> NodeInfo {
        NodeInfo { id: name.to_owned(), name: name.to_owned(), institution: false, degree: 1 }
    }

    #[test]
    fn search_finds_the_first_node_containing_the_text() {
        let nodes = [node("西安交通大学"), node("六安江淮电机有限公司（演示）"), node("合肥工业大学")];
        assert_eq!(find(&nodes, "电机"), Some(1));
        assert_eq!(find(&nodes, " 工业 "), Some(2));
        assert_eq!(find(&nodes, "不存在"), None);
        assert_eq!(find(&nodes, "  "), None);
    }

    #[test]
    fn the_view_exports_as_one_csv_table() {
        let nodes = [node("甲, Ltd"), node("乙")];
        let csv = to_csv(&nodes, &[(0, 1, 2.0)]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1], "node,\"甲, Ltd\",\"甲, Ltd\",enterprise,1");
        assert_eq!(lines[3], "edge,\"甲, Ltd\",乙,2,");
    }

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
        let read = NetworkQuery::from_params(ui::lookup(ui::query_pairs(&query.href())));
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

    #[test]
    fn the_synthetic_graph_has_the_asked_size_and_is_deterministic() {
        let graph = synthetic(2_000, 5_000);
        assert_eq!((graph.nodes.len(), graph.edges.len()), (2_000, 5_000));
        assert_eq!(graph, synthetic(2_000, 5_000));
        assert_eq!(graph.nodes.iter().map(|node| node.degree).sum::<i64>(), 10_000);
        assert!(graph.edges.iter().all(|(source, target, _)| source != target));
    }

    #[test]
    fn a_point_dropped_on_the_canvas_lands_where_the_node_is_drawn() {
        let scene = Scene {
            layout: Layout::new(1, &[], Settings::default()),
            nodes: vec![node("甲")],
            edges: Vec::new(),
            scale: 2.5,
            offset: (-10.0, 4.0),
            selected: None,
            path: Vec::new(),
            steps: 0,
            follow: false,
        };
        let position = scene.to_layout((300.0, 120.0), 960.0, 560.0);
        let (x, y) = scene.to_screen(position, 960.0, 560.0);
        assert!((x - 300.0).abs() < 1e-3 && (y - 120.0).abs() < 1e-3, "({x}, {y})");
    }

    #[test]
    fn busier_nodes_are_drawn_larger() {
        assert!(radius(16) > radius(4));
        assert!(radius(0) >= 3.0);
    }
}
