//! GraphQL object types. Each wraps an entity model; relations resolve through the
//! per-request loaders.

mod account;
mod chain;
mod enterprise;
mod institution;
mod ledger;
mod project;
mod stewardship;

pub use account::{ApiToken, AuditEntry, User};
pub use chain::{ChainSegment, IndustryChain};
pub use enterprise::Enterprise;
pub use institution::Institution;
pub use ledger::{EmploymentNeed, EmploymentPlacement, TrainingSession};
pub use project::{Project, StatusChange};
pub use stewardship::{Import, RecordChange};

use async_graphql::{ID, Interface};

use crate::{
    error::AppError,
    graphql::{
        connection::{Conn, connection},
        loaders::{Keyed, LoaderFor, Relation, RequestLoaders},
    },
    ids::{self, NodeKind},
    service::{
        list::CountQuery,
        pagination::{Page, PageArgs},
    },
};

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The global ID of the object."))]
pub enum Node {
    IndustryChain(IndustryChain),
    ChainSegment(ChainSegment),
    Enterprise(Enterprise),
    Institution(Institution),
    Project(Project),
    StatusChange(StatusChange),
    TrainingSession(TrainingSession),
    EmploymentNeed(EmploymentNeed),
    EmploymentPlacement(EmploymentPlacement),
}

fn global_id(kind: NodeKind, id: uuid::Uuid) -> ID {
    ID(ids::encode(kind, id))
}

/// Parses an enum code read from the database; an unknown code means corrupt data.
pub(super) fn parse_code<T>(code: &str, parse: fn(&str) -> Option<T>) -> async_graphql::Result<T> {
    parse(code).ok_or_else(|| {
        AppError::Database(sea_orm::DbErr::Type(format!("unknown code {code:?} in the database"))).into()
    })
}

/// A connection over the records linked to `id` through `relation`: the links are
/// paginated in memory and only the page's records are loaded.
async fn linked_connection<E, N>(
    loaders: &RequestLoaders,
    relation: Relation,
    id: uuid::Uuid,
    args: PageArgs,
    wrap: fn(E::Model) -> N,
) -> async_graphql::Result<Conn<N>>
where
    E: Keyed + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
    RequestLoaders: LoaderFor<E>,
    N: async_graphql::OutputType,
{
    let linked = loaders.linked(relation, id).await?;
    let page = Page::from_slice(&linked, &args)?;
    let models = loaders.many::<E>(&page.items).await?;
    let page = Page { items: models, offset: page.offset, has_previous: page.has_previous, has_next: page.has_next };
    Ok(connection(page, CountQuery::known(linked.len() as u64), wrap))
}
