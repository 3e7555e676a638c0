//! The values of declared columns (`shared::records`), read from any record by the column's
//! declared name: the planner and the exports show every column this way, so neither has a
//! list of columns or a conversion of its own.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{EntityTrait, ModelTrait, Value as SqlValue};
use shared::records::{Column, Record, ValueType};
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    ids,
};

/// The value of one column of one record, in its public form.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    /// Text, and global IDs.
    Text(String),
    /// A domain enum's public name (its GraphQL value).
    Code(&'static str),
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
}

impl Cell {
    /// The cell as exports print it: empty for unset, ISO 8601 dates, RFC 3339 timestamps.
    pub fn into_text(self) -> String {
        match self {
            Self::Null => String::new(),
            Self::Text(text) => text,
            Self::Code(name) => name.to_owned(),
            Self::Int(number) => number.to_string(),
            Self::Bool(flag) => flag.to_string(),
            Self::Date(date) => date.to_string(),
            Self::DateTime(time) => time.to_rfc3339(),
        }
    }
}

/// A stored column's value that does not fit its declaration: a bug or a corrupt row.
fn mismatch(record: &Record, column: &Column) -> AppError {
    AppError::internal(format!("{}.{} does not hold a {:?}", record.table, column.name, column.value))
}

/// The value of a stored column of `model`, by its declared name.
pub fn cell<M>(record: &'static Record, column: &'static Column, model: &M) -> AppResult<Cell>
where
    M: ModelTrait,
    <M::Entity as EntityTrait>::Column: FromStr,
{
    let key = <M::Entity as EntityTrait>::Column::from_str(column.name)
        .map_err(|_| AppError::internal(format!("{}.{} is not a stored column", record.table, column.name)))?;
    let stored = model.get(key);
    let uuid = |value: Option<Uuid>, type_name: &str| value.map(|id| Cell::Text(ids::encode_named(type_name, id)));
    let cell = match (column.value, stored) {
        (ValueType::Id, SqlValue::Uuid(value)) => uuid(value, record.graphql_type),
        (ValueType::Ref(type_name), SqlValue::Uuid(value)) => uuid(value, type_name),
        (ValueType::Text, SqlValue::String(value)) => value.map(Cell::Text),
        (ValueType::Code(set), SqlValue::String(value)) => match value {
            Some(code) => Some(Cell::Code(set.name_of(&code).ok_or_else(|| mismatch(record, column))?)),
            None => None,
        },
        (ValueType::Int, SqlValue::Int(value)) => value.map(|n| Cell::Int(n.into())),
        (ValueType::BigInt, SqlValue::BigInt(value)) => value.map(Cell::Int),
        (ValueType::Bool, SqlValue::Bool(value)) => value.map(Cell::Bool),
        (ValueType::Date, SqlValue::ChronoDate(value)) => value.map(Cell::Date),
        (ValueType::DateTime, SqlValue::ChronoDateTimeUtc(value)) => value.map(Cell::DateTime),
        _ => return Err(mismatch(record, column)),
    };
    Ok(cell.unwrap_or(Cell::Null))
}

#[cfg(test)]
mod tests {
    use shared::records::{ENTERPRISE, PROJECT};

    use super::*;
    use crate::entity::{enterprise, project};

    #[test]
    fn cells_show_ids_codes_and_numbers_in_their_public_form() {
        let id = Uuid::nil();
        let project = project::Model {
            archived_at: None,
            id,
            title: "t".into(),
            programme: "p".into(),
            kind: "joint_rnd".into(),
            status: "in_progress".into(),
            start_date: None,
            end_date: None,
            funding_cny: 5_000_000_000,
            patents: 1,
            papers: 2,
            products: 3,
            trainees: 4,
            version: 1,
            is_demo: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            external_ref: None,
        };
        let get = |name| cell(&PROJECT, PROJECT.column(name).unwrap(), &project).unwrap();
        assert_eq!(get("id"), Cell::Text(ids::encode(ids::NodeKind::Project, id)));
        assert_eq!(get("status"), Cell::Code("IN_PROGRESS"));
        assert_eq!(get("funding_cny"), Cell::Int(5_000_000_000));
        assert_eq!(get("start_date"), Cell::Null);
        let broken = project::Model { status: "lost".into(), ..project.clone() };
        assert!(cell(&PROJECT, PROJECT.column("status").unwrap(), &broken).is_err());
        let enterprise = enterprise::Model {
            version: 1,
            archived_at: None,
            id,
            name: "n".into(),
            credit_code: "c".into(),
            county: "huoshan".into(),
            above_scale: true,
            is_key: false,
            employees: 10,
            founded_year: None,
            is_demo: false,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let county = cell(&ENTERPRISE, ENTERPRISE.column("county").unwrap(), &enterprise).unwrap();
        assert_eq!(county.into_text(), "HUOSHAN_COUNTY");
    }
}
