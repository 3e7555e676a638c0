//! The network explorer: filters and view settings in the URL (`filters`), the graph and what
//! the explorer holds of it (`data`), the canvas with its interaction (`canvas`) and the
//! selected node's panel (`details`). The layout lab (`pages::lab`) draws a synthetic graph
//! on the same canvas.
//!
//! The explorer never loads the whole graph: it asks for the busiest nodes (at most the
//! "nodes shown" setting) and says how many it leaves out; an ego view or a filter drills
//! down to the rest.

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
    let key = Memo::new(move |_| query.get().graph_key());
    let choices = RwSignal::new(api::Choices::default());
    // Bumped by "try again" after a failure.
    let attempt = RwSignal::new(0_u32);
    let graph = load(move || {
        let key = key.get();
        attempt.track();
        async move {
            let filters = &key.filters;
            match key.ego {
                None => {
                    let (graph, offered) = api::network(filters.filter(), key.show).await?;
                    choices.set(offered);
                    Ok(graph)
                }
                Some((id, depth)) => api::ego(id, depth, filters.ego_filter(), key.show).await,
            }
        }
    });
    view! {
        <main class="wide">
            <h2>{tr(Text::NetworkTitle)}</h2>
            <NetworkFilters query=query choices=choices />
            {move || match graph.get() {
                None => view! { <p class="loading" role="status">{tr(Text::LoadingNetwork)}</p> }.into_any(),
                Some(Ok(graph)) => view! { <NetworkCanvas graph=graph query=query /> }.into_any(),
                Some(Err(error)) => view! {
                    {error_view(error)}
                    <p><button type="button" data-testid="retry" on:click=move |_| attempt.update(|n| *n += 1)>{tr(Text::Retry)}</button></p>
                }.into_any(),
            }}
        </main>
    }
}
