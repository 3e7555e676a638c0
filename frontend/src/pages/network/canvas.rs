//! The canvas: the graph laid out by `shared::layout` inside the WebAssembly module, a few
//! steps per animation frame, and drawn; wheel and keys zoom and pan, dragging the background
//! pans, dragging a node pins it, clicking a node opens its panel.

use std::{cell::RefCell, rc::Rc};

use leptos::{html::Canvas, prelude::*};
use shared::layout::{Layout, Settings};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use super::{
    data::{NodeInfo, find, to_csv},
    details::{Panel, node_panel},
    filters::NetworkQuery,
};
use crate::{
    api,
    download::{download, download_csv},
    i18n::{Text, text, tr, use_lang},
};

/// Layout steps per animation frame, and the most steps before the layout is left as it is.
const STEPS_PER_FRAME: usize = 3;
const MAX_STEPS: usize = 600;

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

#[component]
pub fn NetworkCanvas(
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
            download_csv("lianqiao-network.csv", &to_csv(&nodes, &edges));
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
            {node_panel(Panel {
                nodes: nodes.clone(),
                selected,
                filters: panel_filters,
                focus: focus.clone(),
                find_path,
                path_start,
                path_found,
                set_ego,
                initial_depth: ego.get_untracked().map_or(2i64, |(_, depth)| depth),
            })}
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
