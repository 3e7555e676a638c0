//! Filtered, ordered, paginated listing of any entity, and batched loading by keys.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
    sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Query, SelectStatement, SimpleExpr},
};
use uuid::Uuid;

use super::pagination::{Page, PageArgs};
use crate::error::AppResult;

/// A count of the rows matching a filter, run only when a client asks for `totalCount`.
#[derive(Debug, Clone)]
pub struct CountQuery {
    statement: SelectStatement,
    known: Option<u64>,
}

impl CountQuery {
    /// A count whose value is already known (for lists held in memory).
    pub fn known(total: u64) -> Self {
        Self { statement: Query::select(), known: Some(total) }
    }

    /// Runs the count, or returns the known value.
    pub async fn run(&self, db: &DatabaseConnection) -> AppResult<u64> {
        if let Some(total) = self.known {
            return Ok(total);
        }
        let statement = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(self.statement.clone(), Alias::new("filtered"))
            .to_owned();
        let row = db.query_one(&statement).await?;
        let total: i64 = row.map(|row| row.try_get_by_index(0)).transpose()?.unwrap_or(0);
        Ok(u64::try_from(total).unwrap_or(0))
    }
}

/// Lists one page of `E` matching `condition`, ordered by `order` and then by `id`.
pub async fn list<E>(
    db: &DatabaseConnection,
    condition: Condition,
    order: Vec<(SimpleExpr, Order)>,
    id: E::Column,
    args: &PageArgs,
) -> AppResult<(Page<E::Model>, CountQuery)>
where
    E: EntityTrait,
{
    let base = E::find().filter(condition);
    let mut count = CountQuery { statement: base.as_query().clone(), known: None };
    if args.needs_total() {
        count.known = Some(count.run(db).await?);
    }
    let window = args.window(count.known)?;
    let mut select = base;
    for (expr, direction) in order {
        select = select.order_by(expr, direction);
    }
    let rows = select.order_by(id, Order::Asc).offset(window.offset).limit(window.limit + 1).all(db).await?;
    Ok((Page::from_fetched(window, rows), count))
}

/// Lists `limit` rows of `E` matching `condition` after skipping `offset`, ordered by `order`
/// and then by `id` (flat rows for BI tools).
pub async fn rows<E>(
    db: &DatabaseConnection,
    condition: Condition,
    order: Vec<(SimpleExpr, Order)>,
    id: E::Column,
    (offset, limit): (u64, u64),
) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
{
    let mut select = E::find().filter(condition);
    for (expr, direction) in order {
        select = select.order_by(expr, direction);
    }
    Ok(select.order_by_asc(id).offset(offset).limit(limit).all(db).await?)
}

/// Loads models by primary key, keyed by it.
pub async fn by_ids<E>(
    db: &DatabaseConnection,
    id: E::Column,
    keys: &[Uuid],
    key_of: fn(&E::Model) -> Uuid,
) -> AppResult<HashMap<Uuid, E::Model>>
where
    E: EntityTrait,
{
    let rows = E::find().filter(id.is_in(keys.iter().copied())).all(db).await?;
    Ok(rows.into_iter().map(|row| (key_of(&row), row)).collect())
}

/// A many-to-many link (or one-to-many reference) to follow in one statement: for each key,
/// the linked IDs in the target's order.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub table: &'static str,
    pub key: &'static str,
    pub value: &'static str,
    /// The table the values are IDs of; its `id` is joined to order the result.
    pub target: &'static str,
    /// Columns of the target to order by, before the target's `id`.
    pub order: &'static [(&'static str, Order)],
}

/// Follows `link` for many keys at once: `SELECT key, value FROM link JOIN target ... WHERE key IN (...)`,
/// to live targets only.
pub async fn follow(db: &DatabaseConnection, link: Link, keys: &[Uuid]) -> AppResult<HashMap<Uuid, Vec<Uuid>>> {
    let table = Alias::new(link.table);
    // The target is aliased, since it may be the link table itself (chain → segments).
    let target = Alias::new("linked");
    let mut statement = Query::select()
        .expr_as(Expr::col((table.clone(), Alias::new(link.key))), Alias::new("link_key"))
        .expr_as(Expr::col((table.clone(), Alias::new(link.value))), Alias::new("link_value"))
        .from(table.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new(link.target),
            target.clone(),
            Expr::col((target.clone(), Alias::new("id"))).equals((table.clone(), Alias::new(link.value))),
        )
        .and_where(Expr::col((table, Alias::new(link.key))).is_in(keys.iter().copied()))
        .to_owned();
    // Archived records are not followed to.
    if shared::records::RECORDS
        .iter()
        .any(|record| record.table == link.target && record.column("archived_at").is_some())
    {
        statement.and_where(Expr::col((target.clone(), Alias::new("archived_at"))).is_null());
    }
    for (column, direction) in link.order {
        statement.order_by((target.clone(), Alias::new(*column)), direction.clone());
    }
    statement.order_by((target, Alias::new("id")), Order::Asc);
    let rows = db.query_all(&statement).await?;
    let mut linked: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in rows {
        let key: Uuid = row.try_get("", "link_key")?;
        let value: Uuid = row.try_get("", "link_value")?;
        linked.entry(key).or_default().push(value);
    }
    Ok(linked)
}
