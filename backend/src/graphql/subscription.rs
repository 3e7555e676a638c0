//! Live updates over WebSocket (graphql-transport-ws) at `/graphql/ws`.

use async_graphql::{Context, ID, Subscription};
use futures_util::{Stream, StreamExt};

use super::objects::Project;
use crate::{
    error::IntoGraphqlResult,
    ids::{self, NodeKind},
    service::changes::Changes,
};

/// Records of one type that changed in one commit (created, edited, archived, restored,
/// imported or reverted).
#[derive(async_graphql::SimpleObject)]
pub struct RecordsChanged {
    /// The change's place in commit order (the change feed's sequence number, shared by
    /// every server process; later changes have larger numbers).
    pub sequence: String,
    /// The GraphQL type of the records.
    pub record_type: String,
    /// Their global IDs (none when the change is larger than 1,000 records: `truncated`).
    pub ids: Vec<ID>,
    pub truncated: bool,
}

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

    /// Every committed change of records (any type, or only `recordType`), so that a view of
    /// enterprises, institutions, training sessions or the ledger can follow the data staff.
    async fn records_changed(
        &self,
        ctx: &Context<'_>,
        record_type: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = RecordsChanged>> {
        let receiver = ctx.data::<Changes>()?.subscribe_records();
        Ok(events::stream(receiver).filter_map(move |event| {
            let wanted = record_type.clone();
            async move {
                let event = event?;
                let type_name = event.kind.type_name();
                if wanted.as_deref().is_some_and(|wanted| wanted != type_name) {
                    return None;
                }
                Some(RecordsChanged {
                    sequence: event.seq.to_string(),
                    record_type: type_name.to_owned(),
                    truncated: event.truncated,
                    ids: event.ids.iter().map(|id| ID(ids::encode(event.kind, *id))).collect(),
                })
            }
        }))
    }
}

mod events {
    //! A `Stream` over a broadcast receiver; lagging subscribers skip what they missed.

    use futures_util::Stream;
    use tokio::sync::broadcast::{Receiver, error::RecvError};

    pub fn stream<T: Clone>(receiver: Receiver<T>) -> impl Stream<Item = Option<T>> {
        futures_util::stream::unfold(receiver, |mut receiver| async move {
            match receiver.recv().await {
                Ok(event) => Some((Some(event), receiver)),
                Err(RecvError::Lagged(_)) => Some((None, receiver)),
                Err(RecvError::Closed) => None,
            }
        })
    }
}
