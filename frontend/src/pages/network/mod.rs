//! The network explorer: filters in the URL (`filters`), the graph and what the explorer holds
//! of it (`data`), the canvas with its interaction (`canvas`) and the selected node's panel
//! (`details`). The layout lab (`pages::lab`) draws a synthetic graph on the same canvas.

mod canvas;
mod data;
mod details;
mod filters;

use leptos::prelude::*;

use self::filters::{NetworkFilters, NetworkQuery};
pub use self::{canvas::NetworkCanvas, data::NodeInfo};
use crate::{
    api,
    components::loader::{error_view, load},
    i18n::{Text, tr},
    router,
};

#[component]
pub fn NetworkPage() -> impl IntoView {
    let params = router::use_query();
    let query = Memo::new(move |_| params.with(|pairs| NetworkQuery::from_params(router::lookup(pairs))));
    // `None` shows the (filtered) network; `Some((id, depth))` one node's ego network.
    let (ego, set_ego) = signal(None::<(String, i64)>);
    let choices = RwSignal::new(api::Choices::default());
    let graph = load(move || {
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
                Some(Err(error)) => error_view(error).into_any(),
            }}
        </main>
    }
}
