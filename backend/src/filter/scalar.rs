//! Per-field operators: the leaves of every filter.

use async_graphql::{ID, InputObject};
use chrono::NaiveDate;
use sea_orm::sea_query::{Condition, ExprTrait, Func, LikeExpr, SimpleExpr};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    error::AppResult,
    ids::{self, NodeKind},
};

/// The operators of one column's filter, applied to the column's SQL expression.
pub trait ColumnFilter {
    fn condition(&self, expr: SimpleExpr) -> Condition;
}

/// Implements [`ColumnFilter`] with the type's own `condition`.
macro_rules! column_filter {
    ($($filter:ty),+) => {
        $(impl ColumnFilter for $filter {
            fn condition(&self, expr: SimpleExpr) -> Condition {
                <$filter>::condition(self, expr)
            }
        })+
    };
}

column_filter!(StringFilter, IntFilter, DateFilter, BoolFilter);
column_filter!(CountyFilter, ChainStageFilter, InstitutionKindFilter, ProjectKindFilter, ProjectStatusFilter);
column_filter!(TrainingFormatFilter);

/// Builds `expr <op> value`.
type Operator<V> = fn(SimpleExpr, V) -> SimpleExpr;

/// Adds `expr <op> value` for each operator that is set.
fn comparisons<V>(
    expr: &SimpleExpr,
    eq: &Option<V>,
    ne: &Option<V>,
    gt: &Option<V>,
    gte: &Option<V>,
    lt: &Option<V>,
    lte: &Option<V>,
) -> Condition
where
    V: Clone + Into<sea_orm::Value>,
{
    let mut condition = Condition::all();
    let operators: [(&Option<V>, Operator<V>); 6] = [
        (eq, |e, v| e.eq(v)),
        (ne, |e, v| e.ne(v)),
        (gt, |e, v| e.gt(v)),
        (gte, |e, v| e.gte(v)),
        (lt, |e, v| e.lt(v)),
        (lte, |e, v| e.lte(v)),
    ];
    for (value, operator) in operators {
        if let Some(value) = value {
            condition = condition.add(operator(expr.clone(), value.clone()));
        }
    }
    condition
}

fn membership<V: Clone + Into<sea_orm::Value>>(expr: &SimpleExpr, values: &Option<Vec<V>>) -> Option<SimpleExpr> {
    values.as_ref().map(|values| expr.clone().is_in(values.iter().cloned().map(Into::into)))
}

fn nullness(expr: &SimpleExpr, is_null: Option<bool>) -> Option<SimpleExpr> {
    is_null.map(|is_null| if is_null { expr.clone().is_null() } else { expr.clone().is_not_null() })
}

/// Operators on a text field. `contains` and `startsWith` ignore letter case.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StringFilter {
    pub eq: Option<String>,
    pub ne: Option<String>,
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    pub in_list: Option<Vec<String>>,
    pub contains: Option<String>,
    pub starts_with: Option<String>,
    pub is_null: Option<bool>,
}

fn like_pattern(text: &str, prefix_only: bool) -> String {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    if prefix_only { format!("{escaped}%") } else { format!("%{escaped}%") }
}

impl StringFilter {
    pub fn condition(&self, expr: SimpleExpr) -> Condition {
        let none = None::<String>;
        let mut condition = comparisons(&expr, &self.eq, &self.ne, &none, &none, &none, &none);
        condition = condition.add_option(membership(&expr, &self.in_list)).add_option(nullness(&expr, self.is_null));
        for (text, prefix_only) in [(&self.contains, false), (&self.starts_with, true)] {
            if let Some(text) = text {
                let lowered: SimpleExpr = Func::lower(expr.clone()).into();
                condition = condition.add(lowered.like(LikeExpr::new(like_pattern(text, prefix_only)).escape('\\')));
            }
        }
        condition
    }
}

/// Operators on an integer field.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntFilter {
    pub eq: Option<i64>,
    pub ne: Option<i64>,
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    pub in_list: Option<Vec<i64>>,
    pub gt: Option<i64>,
    pub gte: Option<i64>,
    pub lt: Option<i64>,
    pub lte: Option<i64>,
    pub is_null: Option<bool>,
}

impl IntFilter {
    pub fn condition(&self, expr: SimpleExpr) -> Condition {
        comparisons(&expr, &self.eq, &self.ne, &self.gt, &self.gte, &self.lt, &self.lte)
            .add_option(membership(&expr, &self.in_list))
            .add_option(nullness(&expr, self.is_null))
    }
}

/// Operators on a date field (ISO 8601 dates).
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DateFilter {
    pub eq: Option<NaiveDate>,
    pub ne: Option<NaiveDate>,
    pub gt: Option<NaiveDate>,
    pub gte: Option<NaiveDate>,
    pub lt: Option<NaiveDate>,
    pub lte: Option<NaiveDate>,
    pub is_null: Option<bool>,
}

impl DateFilter {
    pub fn condition(&self, expr: SimpleExpr) -> Condition {
        comparisons(&expr, &self.eq, &self.ne, &self.gt, &self.gte, &self.lt, &self.lte)
            .add_option(nullness(&expr, self.is_null))
    }
}

/// Operators on a yes/no field.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BoolFilter {
    pub eq: Option<bool>,
    pub ne: Option<bool>,
}

impl BoolFilter {
    pub fn condition(&self, expr: SimpleExpr) -> Condition {
        let none = None::<bool>;
        comparisons(&expr, &self.eq, &self.ne, &none, &none, &none, &none)
    }
}

/// Operators on a reference to another object, by its global ID.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdFilter {
    pub eq: Option<ID>,
    pub ne: Option<ID>,
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    pub in_list: Option<Vec<ID>>,
    pub is_null: Option<bool>,
}

impl IdFilter {
    /// Builds the condition; every ID must be a global ID of `kind`.
    pub fn condition(&self, expr: SimpleExpr, kind: NodeKind) -> AppResult<Condition> {
        let decode =
            |id: &Option<ID>| -> AppResult<Option<Uuid>> { id.as_ref().map(|id| ids::decode_as(kind, id)).transpose() };
        let none = None::<Uuid>;
        let in_list = match &self.in_list {
            Some(list) => Some(list.iter().map(|id| ids::decode_as(kind, id)).collect::<AppResult<Vec<_>>>()?),
            None => None,
        };
        Ok(comparisons(&expr, &decode(&self.eq)?, &decode(&self.ne)?, &none, &none, &none, &none)
            .add_option(membership(&expr, &in_list))
            .add_option(nullness(&expr, self.is_null)))
    }
}

/// Declares the filter of a `shared` enum stored as its code.
macro_rules! enum_filter {
    ($name:ident, $enum:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Default, InputObject, Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            pub eq: Option<$enum>,
            pub ne: Option<$enum>,
            #[graphql(name = "in")]
            #[serde(rename = "in")]
            pub in_list: Option<Vec<$enum>>,
        }

        impl $name {
            pub fn condition(&self, expr: SimpleExpr) -> Condition {
                let code = |value: &Option<$enum>| value.map(|value| value.code().to_owned());
                let none = None::<String>;
                let in_list = self
                    .in_list
                    .as_ref()
                    .map(|list| list.iter().map(|value| value.code().to_owned()).collect::<Vec<_>>());
                comparisons(&expr, &code(&self.eq), &code(&self.ne), &none, &none, &none, &none)
                    .add_option(membership(&expr, &in_list))
            }
        }
    };
}

enum_filter!(CountyFilter, shared::County, "Operators on a county.");
enum_filter!(ChainStageFilter, shared::ChainStage, "Operators on a chain stage.");
enum_filter!(InstitutionKindFilter, shared::InstitutionKind, "Operators on an institution kind.");
enum_filter!(ProjectKindFilter, shared::ProjectKind, "Operators on a project kind.");
enum_filter!(ProjectStatusFilter, shared::ProjectStatus, "Operators on a project status.");
enum_filter!(TrainingFormatFilter, shared::TrainingFormat, "Operators on a training format.");
