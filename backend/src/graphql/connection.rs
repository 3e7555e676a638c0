//! Relay connections built from service-layer pages.

use async_graphql::{
    Context, Object, OutputType,
    connection::{Connection, CursorType, Edge},
};
use sea_orm::DatabaseConnection;

use crate::{
    error::IntoGraphqlResult,
    service::{
        list::CountQuery,
        pagination::{self, Page, PageArgs},
    },
};

/// An opaque cursor holding an offset into the ordered list.
pub struct OffsetCursor(pub u64);

impl CursorType for OffsetCursor {
    type Error = String;

    fn decode_cursor(text: &str) -> Result<Self, Self::Error> {
        pagination::decode_cursor(text).map(Self).map_err(|_| "bad cursor".to_owned())
    }

    fn encode_cursor(&self) -> String {
        pagination::encode_cursor(self.0)
    }
}

/// Fields every connection has beside edges and page info.
pub struct ConnectionTotals {
    count: CountQuery,
}

impl ConnectionTotals {
    /// How the whole list is counted.
    pub fn count(&self) -> &CountQuery {
        &self.count
    }
}

#[Object]
impl ConnectionTotals {
    /// The number of items in the whole list (all pages), counted only when asked for.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let db = ctx.data::<DatabaseConnection>()?;
        self.count.run(db).await.graphql().map(|total| i64::try_from(total).unwrap_or(i64::MAX))
    }
}

/// The connection type of every list in the API.
pub type Conn<N> = Connection<OffsetCursor, N, ConnectionTotals>;

/// Builds a connection from a page, mapping each item to its GraphQL object.
pub fn connection<T, N: OutputType>(page: Page<T>, count: CountQuery, mut map: impl FnMut(T) -> N) -> Conn<N> {
    let mut connection =
        Connection::with_additional_fields(page.has_previous, page.has_next, ConnectionTotals { count });
    let offset = page.offset;
    connection.edges.extend(
        page.items
            .into_iter()
            .enumerate()
            .map(|(index, item)| Edge::new(OffsetCursor(offset + index as u64), map(item))),
    );
    connection
}

/// The complexity of a connection field: its page size (`first` or `last`, default 20,
/// capped at 100) times the cost of what is selected per item.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first.or(last).map_or(pagination::DEFAULT_PAGE_SIZE, |size| size.clamp(1, 100) as u64);
    (size as usize).saturating_mul(child_complexity).max(1)
}

/// Pagination arguments as resolvers receive them.
pub fn page_args(first: Option<i32>, after: Option<String>, last: Option<i32>, before: Option<String>) -> PageArgs {
    PageArgs { first, after, last, before }
}
