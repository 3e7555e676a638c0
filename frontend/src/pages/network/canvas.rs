//! The canvas: the graph laid out by `shared::layout` inside the WebAssembly module, a few
//! steps per animation frame, and drawn with the names of its busiest nodes; wheel, keys and
//! buttons zoom and pan, dragging the background pans, dragging a node pins it, clicking a
//! node opens its panel. The canvas keeps its proportions whatever the panel beside it, and
//! draws at the screen's pixel density.

use std::{cell::RefCell, rc::Rc};

use leptos::{html::Canvas, prelude::*};
use shared::layout::{Layout, Settings};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use super::{
    data::{Found, NodeInfo, Style, edge_key, find, label_order, to_csv},
    details::{Panel, node_panel},
    filters::{Colour, NetworkQuery, go},
};
use crate::{
    api,
    download::{download, download_csv},
    format::thousands,
    i18n::{Lang, Text, text, tr, use_lang},
};

/// Layout steps per animation frame, and the most steps before the layout is left as it is.
const STEPS_PER_FRAME: usize = 3;
const MAX_STEPS: usize = 600;
/// Names drawn on the graph besides the selected node and a path's nodes.
const LABELS: usize = 14;

/// How an edge is drawn in a year comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeState {
    Plain,
    New,
    Continued,
    Ended,
}

/// What the canvas shows: the layout, the nodes and the view transform.
struct Scene {
    layout: Layout,
    nodes: Vec<NodeInfo>,
    edges: Vec<(usize, usize)>,
    edge_states: Vec<EdgeState>,
    style: Style,
    lang: Lang,
    /// Device pixels per CSS pixel: fonts and lines are drawn this much larger.
    density: f64,
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
        self.scale = (0.9 * (width / span_x).min(height / span_y)).min(12.0 * self.density);
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

    fn radius(&self, node: usize) -> f64 {
        self.style.radius(&self.nodes, node) * self.density
    }

    /// The node under a point of the canvas, if any.
    fn pick(&self, point: (f64, f64), width: f64, height: f64) -> Option<usize> {
        let mut best = None;
        let mut best_distance = f64::MAX;
        for (index, position) in self.layout.positions().iter().enumerate() {
            let (x, y) = self.to_screen(*position, width, height);
            let distance = ((x - point.0).powi(2) + (y - point.1).powi(2)).sqrt();
            if distance < best_distance && distance <= self.radius(index) + 4.0 * self.density {
                best = Some(index);
                best_distance = distance;
            }
        }
        best
    }

    /// Draws the scene; returns the nodes whose names were drawn.
    fn draw(&self, context: &CanvasRenderingContext2d, width: f64, height: f64) -> Vec<usize> {
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, width, height);
        let positions = self.layout.positions();
        // Plain edges in one path; a year comparison's edges by state.
        for (state, colour) in [
            (EdgeState::Plain, "rgba(11, 79, 108, 0.22)"),
            (EdgeState::Continued, "rgba(120, 120, 120, 0.35)"),
            (EdgeState::Ended, "rgba(209, 73, 91, 0.8)"),
            (EdgeState::New, "rgba(46, 139, 87, 0.9)"),
        ] {
            context.set_stroke_style_str(colour);
            context.set_line_width(if state == EdgeState::Plain { 1.0 } else { 1.5 } * self.density);
            context.begin_path();
            for (edge, &(from, to)) in self.edges.iter().enumerate() {
                if self.edge_states.get(edge).copied().unwrap_or(EdgeState::Plain) != state {
                    continue;
                }
                let (x1, y1) = self.to_screen(positions[from], width, height);
                let (x2, y2) = self.to_screen(positions[to], width, height);
                context.move_to(x1, y1);
                context.line_to(x2, y2);
            }
            context.stroke();
        }
        for (index, (node, position)) in self.nodes.iter().zip(positions).enumerate() {
            let (x, y) = self.to_screen(*position, width, height);
            context.set_fill_style_str(self.style.colour(node));
            context.begin_path();
            let _ = context.arc(x, y, self.radius(index), 0.0, std::f64::consts::TAU);
            context.fill();
        }
        if self.path.len() > 1 {
            context.set_stroke_style_str("#edae49");
            context.set_line_width(4.0 * self.density);
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
            context.set_line_width(3.0 * self.density);
            context.begin_path();
            let _ = context.arc(x, y, self.radius(index) + 4.0 * self.density, 0.0, std::f64::consts::TAU);
            context.stroke();
        }
        self.draw_labels(context, width, height)
    }

    /// Names of the selected node, a path's nodes and the busiest nodes, each where it does
    /// not cover a name already drawn.
    fn draw_labels(&self, context: &CanvasRenderingContext2d, width: f64, height: f64) -> Vec<usize> {
        let positions = self.layout.positions();
        let font = 12.0 * self.density;
        context.set_font(&format!("{}px sans-serif", font.round() as i64));
        context.set_line_width(3.0 * self.density);
        context.set_stroke_style_str("#ffffff");
        context.set_fill_style_str("#1d2b36");
        let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
        let mut drawn = Vec::new();
        let first = self.selected.into_iter().chain(self.path.iter().copied());
        let busiest = label_order(&self.nodes, self.style.size).into_iter().take(LABELS);
        for index in first.chain(busiest) {
            let name = &self.nodes[index].label(self.lang);
            let (x, y) = self.to_screen(positions[index], width, height);
            let text_width = text_width(name, font);
            // Right of the node, else left, above or below: the first place free of other names
            // and inside the canvas.
            let gap = self.radius(index) + 2.0 * self.density;
            let places = [
                (x + gap, y - font / 2.0),
                (x - gap - text_width, y - font / 2.0),
                (x - text_width / 2.0, y - gap - font),
                (x - text_width / 2.0, y + gap),
            ];
            let free = places.into_iter().map(|(left, top)| (left, top, left + text_width, top + font)).find(|rect| {
                let inside = rect.0 >= 0.0 && rect.2 <= width && rect.1 >= 0.0 && rect.3 <= height;
                inside
                    && !placed
                        .iter()
                        .any(|other| rect.0 < other.2 && other.0 < rect.2 && rect.1 < other.3 && other.1 < rect.3)
            });
            let Some(rect) = free else { continue };
            let (left, top) = (rect.0, rect.1);
            placed.push(rect);
            drawn.push(index);
            let _ = context.stroke_text(name, left, top + font * 0.85);
            let _ = context.fill_text(name, left, top + font * 0.85);
        }
        drawn
    }
}

/// A name's width in pixels, estimated (CJK characters one font size, others about half):
/// enough to keep names from covering each other.
fn text_width(name: &str, font: f64) -> f64 {
    name.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f64>() * font
}

/// What a pointer held down on the canvas is doing.
enum Drag {
    /// Moving the view; a press without movement is a click on the background or a node.
    Pan { last: (f64, f64), moved: bool },
    /// Moving one node (pinned where it is dropped).
    Node { node: usize, moved: bool },
}

/// A pointer's position in canvas pixels (the canvas is drawn at the screen's density).
fn canvas_point(event: &web_sys::PointerEvent, canvas: &web_sys::HtmlCanvasElement) -> (f64, f64) {
    let shown = f64::from(canvas.client_width().max(1));
    let ratio = f64::from(canvas.width()) / shown;
    (f64::from(event.offset_x()) * ratio, f64::from(event.offset_y()) * ratio)
}

/// Sizes the canvas's pixels to its width on the page times the screen's density; its height
/// follows from the width (wide screens 12:7, phones 1:1), never from the panel beside it.
fn size_to_page(canvas: &web_sys::HtmlCanvasElement) -> f64 {
    let density = window().device_pixel_ratio().clamp(1.0, 3.0);
    let shown = f64::from(canvas.client_width());
    if shown > 0.0 {
        let height = if shown < 600.0 { shown } else { shown * 7.0 / 12.0 };
        canvas.set_width((shown * density).round() as u32);
        canvas.set_height((height * density).round() as u32);
    }
    density
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
            let labels = scene.draw(&context, width, height);
            mark_labels(&scene, &labels, &canvas);
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

/// The names drawn, one per line, on the canvas element (for assistive tools and tests).
fn mark_labels(scene: &Scene, labels: &[usize], canvas: &web_sys::HtmlCanvasElement) {
    let names: Vec<String> = labels.iter().map(|&index| scene.nodes[index].label(scene.lang)).collect();
    let _ = canvas.set_attribute("data-labels", &names.join("\n"));
}

fn redraw(scene: &Rc<RefCell<Scene>>, canvas: &web_sys::HtmlCanvasElement) {
    if let Some(context) = context_of(canvas) {
        let scene = scene.borrow();
        let labels = scene.draw(&context, f64::from(canvas.width()), f64::from(canvas.height()));
        mark_labels(&scene, &labels, canvas);
    }
    // The view's zoom in thousandths, for tests.
    let _ = canvas.set_attribute("data-scale", &((scene.borrow().scale * 1000.0).round() as i64).to_string());
}

#[component]
pub fn NetworkCanvas(graph: api::Graph, #[prop(optional)] query: Option<Memo<NetworkQuery>>) -> impl IntoView {
    let lang = use_lang();
    if graph.nodes.is_empty() && query.is_some() {
        return view! {
            <p class="notice" role="status" data-testid="network-empty">
                {tr(Text::EmptyNetwork)} " " <a href="/network">{tr(Text::ClearFilters)}</a>
            </p>
        }
        .into_any();
    }
    let index: std::collections::HashMap<String, usize> =
        graph.nodes.iter().enumerate().map(|(position, node)| (node.id.clone(), position)).collect();
    let edges: Vec<(usize, usize, f32)> = graph
        .edges
        .iter()
        .filter_map(|(source, target, weight)| Some((*index.get(source)?, *index.get(target)?, *weight)))
        .collect();
    let nodes: Vec<NodeInfo> = graph.nodes.clone();
    let start = query.map(|query| query.get_untracked()).unwrap_or_default();
    // The node in the URL, or an ego view's centre, starts selected.
    let centre = start.node.as_ref().or(start.ego.as_ref()).and_then(|id| index.get(id).copied());
    let (node_count, edge_count) = (nodes.len(), edges.len());
    let scene = Rc::new(RefCell::new(Scene {
        layout: Layout::new(node_count, &edges, Settings::default()),
        nodes: nodes.clone(),
        edges: edges.iter().map(|&(from, to, _)| (from, to)).collect(),
        edge_states: Vec::new(),
        style: Style::new(&nodes, start.colour, start.size),
        lang: lang.get_untracked(),
        density: 1.0,
        scale: 1.0,
        offset: (0.0, 0.0),
        selected: centre,
        path: Vec::new(),
        steps: 0,
        follow: true,
    }));
    let canvas_ref = NodeRef::<Canvas>::new();
    let (selected, set_selected) = signal(centre);
    let index = Rc::new(index);

    {
        let scene = scene.clone();
        Effect::new(move |_| {
            if let Some(canvas) = canvas_ref.get() {
                let canvas: web_sys::HtmlCanvasElement = canvas;
                scene.borrow_mut().density = size_to_page(&canvas);
                animate(scene.clone(), canvas);
            }
        });
    }
    // Colours, sizes and the language's names change the drawing, not the layout.
    let settings = Memo::new(move |_| query.map(|query| query.with(|q| (q.colour, q.size))));
    {
        let scene = send_wrapper::SendWrapper::new(scene.clone());
        Effect::new(move |_| {
            let (colour, size) = settings.get().unwrap_or_default();
            let lang = lang.get();
            {
                let mut scene = scene.borrow_mut();
                let style = Style::new(&scene.nodes, colour, size);
                scene.style = style;
                scene.lang = lang;
            }
            if let Some(canvas) = canvas_ref.get_untracked() {
                redraw(&scene, &canvas);
            }
        });
    }
    // A year comparison colours the edges: new, continued, ended.
    let compared = RwSignal::new(None::<(usize, usize, usize)>);
    {
        let scene = send_wrapper::SendWrapper::new(scene.clone());
        let compare =
            Memo::new(move |_| query.and_then(|query| query.with(|q| q.compare.map(|year| (year, q.filters_only())))));
        let keys: Vec<String> = graph.edges.iter().map(|(source, target, _)| edge_key(source, target)).collect();
        Effect::new(move |_| {
            let Some((year, filters)) = compare.get() else {
                scene.borrow_mut().edge_states.clear();
                compared.set(None);
                if let Some(canvas) = canvas_ref.get_untracked() {
                    redraw(&scene, &canvas);
                }
                return;
            };
            let (scene, keys) = (scene.clone(), keys.clone());
            leptos::task::spawn_local(async move {
                let variables = api::compare_years::Variables {
                    first: i64::from(year),
                    second: i64::from(year) + 1,
                    filter: Some(filters.compare_filter()),
                };
                let Ok(data) = api::run::<api::CompareYears>(variables).await else { return };
                let found = data.compare_years;
                let mut states = std::collections::HashMap::new();
                let new = found.new_edges.iter().map(|edge| (edge_key(&edge.source, &edge.target), EdgeState::New));
                let continued = found
                    .continued_edges
                    .iter()
                    .map(|edge| (edge_key(&edge.source, &edge.target), EdgeState::Continued));
                let ended =
                    found.ended_edges.iter().map(|edge| (edge_key(&edge.source, &edge.target), EdgeState::Ended));
                states.extend(new.chain(continued).chain(ended));
                scene.borrow_mut().edge_states =
                    keys.iter().map(|key| states.get(key).copied().unwrap_or(EdgeState::Plain)).collect();
                compared.set(Some((found.new_edges.len(), found.continued_edges.len(), found.ended_edges.len())));
                if let Some(canvas) = canvas_ref.get_untracked() {
                    redraw(&scene, &canvas);
                }
            });
        });
    }
    // The path in the URL: its nodes and, between each two, the projects linking them.
    let path_found = RwSignal::new(None::<Vec<PathStep>>);
    {
        let scene = send_wrapper::SendWrapper::new(scene.clone());
        let index = send_wrapper::SendWrapper::new(index.clone());
        let wanted = Memo::new(move |_| {
            query.and_then(|query| query.with(|q| q.path.clone().map(|path| (path, q.filters_only()))))
        });
        Effect::new(move |_| {
            let Some(((from, to), filters)) = wanted.get() else {
                path_found.set(None);
                scene.borrow_mut().path.clear();
                return;
            };
            let (scene, index) = (scene.clone(), index.clone());
            leptos::task::spawn_local(async move {
                let steps = find_path(from, to, filters).await;
                scene.borrow_mut().path = steps.iter().filter_map(|step| index.get(&step.node.id).copied()).collect();
                path_found.set(Some(steps));
                if let Some(canvas) = canvas_ref.get_untracked() {
                    redraw(&scene, &canvas);
                }
            });
        });
    }

    let drag = Rc::new(RefCell::new(None::<Drag>));
    let zoom = {
        let scene = send_wrapper::SendWrapper::new(scene.clone());
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
    let fit = {
        let scene = send_wrapper::SendWrapper::new(scene.clone());
        move || {
            if let Some(canvas) = canvas_ref.get_untracked() {
                scene.borrow_mut().fit(f64::from(canvas.width()), f64::from(canvas.height()));
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
        let (zoom, pan, fit) = (zoom.clone(), pan.clone(), fit.clone());
        move |event: leptos::ev::KeyboardEvent| {
            let step = 40.0;
            match event.key().as_str() {
                "+" | "=" => zoom(1.15),
                "-" | "_" => zoom(1.0 / 1.15),
                "ArrowLeft" => pan(step, 0.0),
                "ArrowRight" => pan(-step, 0.0),
                "ArrowUp" => pan(0.0, step),
                "ArrowDown" => pan(0.0, -step),
                "0" => fit(),
                _ => return,
            }
            event.prevent_default();
        }
    };
    // Selects a node (in the URL too) and redraws.
    let select = {
        let (scene, nodes) = (send_wrapper::SendWrapper::new(scene.clone()), nodes.clone());
        move |picked: usize| {
            scene.borrow_mut().selected = Some(picked);
            set_selected.set(Some(picked));
            if let Some(canvas) = canvas_ref.get_untracked() {
                redraw(&scene, &canvas);
            }
            let id = nodes[picked].id.clone();
            go(query, |next| next.node = Some(id));
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
        let (drag, scene, select) = (drag.clone(), scene.clone(), select.clone());
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
            if let Some(picked) = picked {
                select(picked);
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
            download_csv("lianqiao-network.csv", &to_csv(&nodes, &edges));
        }
    };
    // Selects a node and centres the view on it (search, partner links in the panel).
    let focus = {
        let (scene, select) = (send_wrapper::SendWrapper::new(scene.clone()), select.clone());
        move |index: usize| {
            {
                let mut scene = scene.borrow_mut();
                let [x, y] = scene.layout.positions()[index];
                scene.follow = false;
                scene.scale = scene.scale.max(1.5 * scene.density);
                scene.offset = (-f64::from(x), -f64::from(y));
            }
            select(index);
        }
    };
    let hidden = graph.hidden;
    let total = graph.node_count;
    view! {
        <Search nodes=nodes.clone() focus=focus.clone() query=query hidden=hidden />
        {query.map(|query| move || query.with(|q| q.ego.is_some()).then(|| view! {
            <p class="ego-note">
                {tr(Text::EgoShown)} " "
                <button type="button" data-testid="whole-network" on:click=move |_| go(Some(query), |next| next.ego = None)>{tr(Text::ShowWhole)}</button>
            </p>
        }))}
        {query.is_some().then(|| view! {
            <p class="shown" data-testid="network-shown" data-shown=node_count data-hidden=hidden data-total=total>
                {move || {
                    let lang = lang.get();
                    let mut line = text(lang, Text::ShownOf).replace("{shown}", &thousands(node_count as i64)).replace("{total}", &thousands(total));
                    if hidden > 0 {
                        line.push_str(&text(lang, Text::HiddenNodes).replace("{hidden}", &thousands(hidden)));
                    }
                    line
                }}
            </p>
        })}
        <p class="exports">
            <button type="button" data-testid="export-png" on:click=on_png>{tr(Text::ExportPng)}</button>
            <button type="button" data-testid="export-csv" on:click=on_csv>{tr(Text::ExportCsv)}</button>
        </p>
        <div class="network">
            <div class="canvas-box">
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
                <p class="zoom">
                    <button type="button" data-testid="zoom-in" aria-label=tr(Text::ZoomIn) on:click={ let zoom = zoom.clone(); move |_| zoom(1.3) }>"+"</button>
                    <button type="button" data-testid="zoom-out" aria-label=tr(Text::ZoomOut) on:click=move |_| zoom(1.0 / 1.3)>"−"</button>
                    <button type="button" data-testid="zoom-fit" on:click=move |_| fit()>{tr(Text::FitView)}</button>
                </p>
            </div>
            {node_panel(Panel { nodes: nodes.clone(), selected, query, focus: focus.clone() })}
        </div>
        {move || path_found.get().map(|steps| path_view(steps, lang.get()))}
        {move || compared.get().map(|(new, continued, ended)| {
            let lang = lang.get();
            view! {
                <p class="legend compare" data-testid="compare-legend">
                    <span class="line new"></span>{format!("{} {}", text(lang, Text::CompareNew), thousands(new as i64))}
                    <span class="line continued"></span>{format!("{} {}", text(lang, Text::CompareContinued), thousands(continued as i64))}
                    <span class="line ended"></span>{format!("{} {}", text(lang, Text::CompareEnded), thousands(ended as i64))}
                </p>
            }
        })}
        <p class="hint" id="network-keys">{tr(Text::NetworkKeys)}</p>
        {move || match settings.get().unwrap_or_default().0 {
            Colour::Kind => view! {
                <p class="legend">
                    <span class="dot enterprise"></span>{tr(Text::Enterprise)}
                    <span class="dot institution"></span>{tr(Text::Institution)}
                </p>
            }.into_any(),
            Colour::Community => view! { <p class="legend">{tr(Text::CommunityLegend)}</p> }.into_any(),
        }}
    }
    .into_any()
}

/// One node of a shortest path and the projects linking it to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct PathStep {
    pub node: NodeInfo,
    pub projects: Vec<(String, String)>,
}

/// The shortest path between two nodes under the filters, with the projects along it; empty
/// when they are not connected (or the request failed).
async fn find_path(from: String, to: String, filters: NetworkQuery) -> Vec<PathStep> {
    let variables = api::path::Variables { from, to, filter: Some(filters.path_filter()) };
    let Some(path) = api::run::<api::Path>(variables).await.ok().and_then(|data| data.shortest_path) else {
        return Vec::new();
    };
    let ids: Vec<String> = path.edges.iter().flat_map(|edge| edge.project_ids.iter().take(5).cloned()).collect();
    let titles: std::collections::HashMap<String, String> =
        api::run::<api::PathProjects>(api::path_projects::Variables { ids })
            .await
            .map(|data| data.projects.nodes.into_iter().map(|project| (project.id, project.title)).collect())
            .unwrap_or_default();
    let mut steps: Vec<PathStep> = path
        .nodes
        .into_iter()
        .map(|node| PathStep {
            node: NodeInfo {
                institution: matches!(node.kind, api::path::GraphNodeKind::INSTITUTION),
                id: node.id,
                name: node.name,
                name_en: node.name_en,
                degree: 0,
                projects: 0,
                betweenness: 0.0,
                community: 0,
            },
            projects: Vec::new(),
        })
        .collect();
    for (step, edge) in path.edges.iter().enumerate() {
        if let Some(one) = steps.get_mut(step) {
            one.projects =
                edge.project_ids.iter().take(5).filter_map(|id| Some((id.clone(), titles.get(id)?.clone()))).collect();
        }
    }
    steps
}

fn path_view(steps: Vec<PathStep>, lang: Lang) -> impl IntoView {
    if steps.is_empty() {
        return view! { <p class="notice" role="status" data-testid="path-none">{text(lang, Text::PathNone)}</p> }
            .into_any();
    }
    view! {
        <section class="path" aria-live="polite">
            <h3>{format!("{}{}", text(lang, Text::PathTitle), steps.len() - 1)}</h3>
            <ol data-testid="path">
                {steps.into_iter().map(|step| view! {
                    <li>
                        <a href=step.node.href()>{step.node.label(lang)}</a>
                        {(!step.projects.is_empty()).then(|| view! {
                            <p class="via" data-testid="path-projects">
                                {text(lang, Text::PathVia)}
                                {step.projects.into_iter().map(|(id, title)| view! { <a href=format!("/projects/{id}")>{title}</a> " " }).collect_view()}
                            </p>
                        })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

/// The explorer's search: every node shown whose name (or English name) contains the text;
/// one is selected at once, several are listed to choose from; when none is shown, the
/// records of that name are offered with their own networks (they may be among the hidden).
#[component]
fn Search<F>(nodes: Vec<NodeInfo>, focus: F, query: Option<Memo<NetworkQuery>>, hidden: i64) -> impl IntoView
where
    F: Fn(usize) + Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    let (typed, set_typed) = signal(String::new());
    // Found among the nodes shown, and among all records (ID, name) when none is shown.
    let found = RwSignal::new(None::<Vec<usize>>);
    let elsewhere = RwSignal::new(Vec::<(String, String)>::new());
    let on_search = {
        let (focus, nodes) = (focus.clone(), nodes.clone());
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let text = typed.get_untracked();
            let Found { nodes: matches, exact } = find(&nodes, &text);
            elsewhere.set(Vec::new());
            // One match, or an exact name: selected at once.
            if matches.len() == 1 || exact {
                focus(matches[0]);
                found.set(None);
                return;
            }
            if matches.is_empty() && hidden > 0 && !text.trim().is_empty() {
                leptos::task::spawn_local(async move {
                    let variables = api::search_nodes::Variables { text: text.trim().to_owned() };
                    if let Ok(data) = api::run::<api::SearchNodes>(variables).await {
                        let institutions = data.institutions.nodes.into_iter().map(|one| (one.id, one.name));
                        let enterprises = data.enterprises.nodes.into_iter().map(|one| (one.id, one.name));
                        elsewhere.set(institutions.chain(enterprises).collect());
                    }
                });
            }
            found.set(Some(matches));
        }
    };
    let listed = {
        let nodes = nodes.clone();
        move || {
            let lang = lang.get();
            let matches = found.get()?;
            let others = elsewhere.get();
            let others_count = others.len();
            if matches.is_empty() && others.is_empty() {
                return Some(
                    view! { <p class="error" role="status" data-testid="search-none">{text(lang, Text::NoMatch)}</p> }
                        .into_any(),
                );
            }
            let shown = matches.iter().take(12).map(|&index| {
                let focus = focus.clone();
                view! { <li><button type="button" class="link" on:click=move |_| focus(index)>{nodes[index].label(lang)}</button></li> }
            });
            let more = others.into_iter().map(|(id, name)| {
                view! {
                    <li>
                        <button type="button" class="link" on:click=move |_| go(query, |next| { next.ego = Some(id.clone()); next.node = Some(id.clone()); })>
                            {name}
                        </button>
                        " " <span class="hint">{text(lang, Text::NotShown)}</span>
                    </li>
                }
            });
            let count = matches.len() + others_count;
            Some(
                view! {
                    <div class="search-results" data-testid="search-results">
                        <p>{text(lang, Text::SearchFound).replace("{count}", &count.to_string())}</p>
                        <ul>{shown.collect_view()}{more.collect_view()}</ul>
                    </div>
                }
                .into_any(),
            )
        }
    };
    view! {
        <form class="search" role="search" on:submit=on_search>
            <label for="network-search">{tr(Text::SearchLabel)}</label>
            <input
                id="network-search"
                type="search"
                placeholder=tr(Text::SearchPlaceholder)
                on:input:target=move |event| set_typed.set(event.target().value())
            />
            <button type="submit">{tr(Text::Search)}</button>
        </form>
        {listed}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::network::filters::Size;

    fn node(name: &str) -> NodeInfo {
        NodeInfo {
            id: name.to_owned(),
            name: name.to_owned(),
            name_en: None,
            institution: false,
            degree: 1,
            projects: 1,
            betweenness: 0.0,
            community: 0,
        }
    }

    #[test]
    fn a_point_dropped_on_the_canvas_lands_where_the_node_is_drawn() {
        let nodes = vec![node("甲")];
        let scene = Scene {
            layout: Layout::new(1, &[], Settings::default()),
            style: Style::new(&nodes, Colour::Kind, Size::Partners),
            nodes,
            edges: Vec::new(),
            edge_states: Vec::new(),
            lang: Lang::Zh,
            density: 2.0,
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
        assert_eq!(scene.radius(0), 2.0 * scene.style.radius(&scene.nodes, 0), "drawn at the screen's density");
    }
}
