//! Read rights per column, for every use of a column: reading it, filtering, ordering,
//! grouping or summing by it, exporting it. The rights are declared once per column in
//! `shared::records`; every path that touches a column asks [`check`], so a caller who may
//! not read a column cannot learn its values through a filter, an order or an aggregate
//! either.

use shared::{
    ErrorCode,
    records::{Column, Read, Record},
};

use crate::error::{AppError, AppResult};

/// What a request does with a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Read,
    Filter,
    Order,
    Group,
    Sum,
    Export,
}

impl Use {
    fn verb(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Filter => "filter by",
            Self::Order => "order by",
            Self::Group => "group by",
            Self::Sum => "sum",
            Self::Export => "export",
        }
    }

    /// Whether the declaration allows this use at all.
    fn declared(self, column: &Column) -> bool {
        match self {
            Self::Read => column.field.is_some(),
            Self::Filter => column.filter,
            Self::Order => column.order,
            Self::Group => column.group,
            Self::Sum => column.sum,
            Self::Export => column.export,
        }
    }
}

/// Checks that a caller reading at `level` may use the column `name` of `record` this way,
/// and returns its declaration. A column the caller may not read answers `UNAUTHENTICATED`
/// (anonymous callers) or `FORBIDDEN`, naming the column; a use the declaration does not allow
/// is a bug of the server (the declaration tests catch it) and answers `INTERNAL`.
pub fn check(level: Read, record: &'static Record, name: &str, usage: Use) -> AppResult<&'static Column> {
    let Some(column) = record.column(name).filter(|column| usage.declared(column)) else {
        return Err(AppError::internal(format!("{}.{name} is not declared for {}", record.graphql_type, usage.verb())));
    };
    if column.readable_at(level) {
        return Ok(column);
    }
    let shown = column.field.unwrap_or(column.name);
    let who = match column.read {
        Read::Staff => "editors and administrators",
        _ => "signed-in users and API tokens",
    };
    let message = format!("only {who} may {} `{shown}` of {}", usage.verb(), record.graphql_type);
    let code = if level == Read::Public { ErrorCode::Unauthenticated } else { ErrorCode::Forbidden };
    Err(AppError::bad_input(code, message))
}

#[cfg(test)]
mod tests {
    use shared::records::PROJECT;

    use super::*;

    #[test]
    fn restricted_columns_are_refused_for_every_use_and_named() {
        for usage in [Use::Read, Use::Filter, Use::Order, Use::Sum, Use::Export] {
            let error = check(Read::Public, &PROJECT, "funding_cny", usage).unwrap_err();
            assert_eq!(error.code(), ErrorCode::Unauthenticated);
            let AppError::BadInput { message, .. } = error else { panic!("not a bad-input error") };
            assert!(message.contains("fundingCny"), "{message}");
            assert!(check(Read::SignedIn, &PROJECT, "funding_cny", usage).is_ok());
        }
        assert!(check(Read::Public, &PROJECT, "title", Use::Filter).is_ok());
        // A use the declaration does not allow is a server bug, not a client error.
        assert_eq!(check(Read::SignedIn, &PROJECT, "papers", Use::Order).unwrap_err().code(), ErrorCode::Internal);
    }
}
