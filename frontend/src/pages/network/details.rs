//! The details panel of the selected node: what it is, its partners (each selects that node in
//! the explorer) and latest projects, and the shortest-path and ego-network tools.

use leptos::prelude::*;

use super::{
    data::NodeInfo,
    filters::{NetworkQuery, go},
};
use crate::{
    api, codes,
    components::{badge::status_badge, loader::load},
    format::thousands,
    i18n::{Text, text, tr, use_lang},
};

/// What the panel shows and what it can make the explorer do.
pub struct Panel<F> {
    pub nodes: Vec<NodeInfo>,
    pub selected: ReadSignal<Option<usize>>,
    /// The explorer's URL state (none in the layout lab).
    pub query: Option<Memo<NetworkQuery>>,
    /// Selects a node and centres the view on it.
    pub focus: F,
}

/// The panel of the selected node: what it is, its page, its partners and projects, the
/// shortest-path and ego-network tools (both kept in the URL).
pub fn node_panel<F>(panel: Panel<F>) -> impl IntoView
where
    F: Fn(usize) + Clone + Send + Sync + 'static,
{
    let Panel { nodes, selected, query, focus } = panel;
    let lang = use_lang();
    let initial_depth = query.and_then(|query| query.get_untracked().depth).unwrap_or(2);
    let (depth, set_depth) = signal(initial_depth);
    let path_start = RwSignal::new(None::<usize>);
    let details = {
        let nodes = nodes.clone();
        load(move || {
            let id = selected.get().map(|index| nodes[index].id.clone());
            let filter = query.map(|query| query.get_untracked().panel_filter());
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
    <aside class="panel" data-testid="node-panel" aria-live="polite">
        {move || match selected.get() {
            None => view! { <p class="hint">{tr(Text::NetworkHint)}</p> }.into_any(),
            Some(index) => {
                let node = &nodes[index];
                let lang_now = lang.get();
                view! {
                    <h3 class="node-name">{node.label(lang_now)}</h3>
                    <p>{text(lang_now, if node.institution { Text::Institution } else { Text::Enterprise })}</p>
                    <p data-testid="node-metrics">
                        {format!("{}{}", text(lang_now, Text::Partners), thousands(node.degree))} <br />
                        {format!("{}{}", text(lang_now, Text::ProjectsInView), thousands(node.projects))} <br />
                        {format!("{}{}", text(lang_now, Text::Betweenness), thousands(node.betweenness.round() as i64))}
                    </p>
                    <p>
                        <a data-testid="open-page" href=node.href()>{text(lang_now, Text::OpenPage)}</a>
                    </p>
                    {
                        let (focus, index_of) = (focus.clone(), index_of.clone());
                        move || details.get().and_then(Result::ok).flatten().map(|data| node_details(data, &focus, &index_of))
                    }
                    {query.map(|query| {
                        let (id, nodes) = (node.id.clone(), nodes.clone());
                        view! {
                            <p class="path-tools">
                                <button type="button" data-testid="path-start" on:click=move |_| {
                                    path_start.set(Some(index));
                                    go(Some(query), |next| next.path = None);
                                }>{text(lang_now, Text::PathStart)}</button>
                                {move || path_start.get().filter(|start| *start != index).map(|start| {
                                    let (from, to) = (nodes[start].id.clone(), nodes[index].id.clone());
                                    let label = format!("{}{}", text(lang.get(), Text::PathFind), nodes[start].label(lang.get()));
                                    view! { <button type="button" data-testid="path-find" on:click=move |_| go(Some(query), |next| next.path = Some((from.clone(), to.clone())))>{label}</button> }
                                })}
                            </p>
                            <p class="ego">
                                <label>
                                    {text(lang_now, Text::Depth)}
                                    <select on:change:target=move |event| set_depth.set(event.target().value().parse().unwrap_or(1))>
                                        <option value="1" selected=move || depth.get() == 1>"1"</option>
                                        <option value="2" selected=move || depth.get() == 2>"2"</option>
                                        <option value="3" selected=move || depth.get() == 3>"3"</option>
                                    </select>
                                </label>
                                <button
                                    type="button"
                                    data-testid="expand-ego"
                                    on:click=move |_| go(Some(query), |next| {
                                        next.ego = Some(id.clone());
                                        next.node = Some(id.clone());
                                        next.depth = Some(depth.get_untracked());
                                    })
                                >
                                    {text(lang_now, Text::ShowEgo)}
                                </button>
                            </p>
                        }
                    })}
                }.into_any()
            }
        }}
    </aside>
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
            one.projects.nodes.into_iter().map(|p| (p.id, p.title, codes::status_of(&p.status))).collect::<Vec<_>>(),
        )),
        Some(NodePanelNode::Institution(one)) => Some((
            one.projects.total_count,
            one.projects.nodes.into_iter().map(|p| (p.id, p.title, codes::status_of(&p.status))).collect(),
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
                    <li><a href=format!("/projects/{id}")>{title}</a> " " {status_badge(status)}</li>
                }).collect_view()}
            </ul>
        })}
    }
}
