//! Live updates over WebSocket (graphql-transport-ws) at `/graphql/ws`.

use async_graphql::{Context, ID, Subscription};
use futures_util::{Stream, StreamExt};

use super::objects::Project;
use crate::{
    error::IntoGraphqlResult,
    ids::{self, NodeKind},
    service::changes::Changes,
};

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Every project change as it is committed; only one project's when `projectId` is given.
    async fn project_updated(
        &self,
        ctx: &Context<'_>,
        project_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = Project>> {
        let only = project_id.map(|id| ids::decode_as(NodeKind::Project, &id)).transpose().graphql()?;
        let receiver = ctx.data::<Changes>()?.subscribe();
        Ok(events::stream(receiver).filter_map(move |event| async move {
            event.filter(|event| only.is_none_or(|id| event.0.id == id)).map(|event| Project(event.0))
        }))
    }
}

mod events {
    //! A `Stream` over a broadcast receiver; lagging subscribers skip what they missed.

    use futures_util::Stream;
    use tokio::sync::broadcast::{Receiver, error::RecvError};

    use crate::service::changes::ProjectEvent;

    pub fn stream(receiver: Receiver<ProjectEvent>) -> impl Stream<Item = Option<ProjectEvent>> {
        futures_util::stream::unfold(receiver, |mut receiver| async move {
            match receiver.recv().await {
                Ok(event) => Some((Some(event), receiver)),
                Err(RecvError::Lagged(_)) => Some((None, receiver)),
                Err(RecvError::Closed) => None,
            }
        })
    }
}
