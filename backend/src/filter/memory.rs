//! The same per-field operators, evaluated in memory (by the graph index, which must not go
//! to the database). Semantics match the SQL translation: every set operator must hold.

use std::collections::HashSet;

use uuid::Uuid;

use super::scalar::*;
use crate::{
    error::AppResult,
    ids::{self, NodeKind},
};

/// An `IdFilter` with its IDs decoded.
#[derive(Debug, Clone, Default)]
pub struct IdPredicate {
    eq: Option<Uuid>,
    ne: Option<Uuid>,
    in_list: Option<HashSet<Uuid>>,
    is_null: Option<bool>,
}

impl IdFilter {
    /// Decodes the IDs, which must be global IDs of `kind`.
    pub fn predicate(&self, kind: NodeKind) -> AppResult<IdPredicate> {
        let decode = |id: &Option<async_graphql::ID>| id.as_ref().map(|id| ids::decode_as(kind, id)).transpose();
        Ok(IdPredicate {
            eq: decode(&self.eq)?,
            ne: decode(&self.ne)?,
            in_list: self
                .in_list
                .as_ref()
                .map(|list| list.iter().map(|id| ids::decode_as(kind, id)).collect())
                .transpose()?,
            is_null: self.is_null,
        })
    }
}

impl IdPredicate {
    pub fn matches(&self, value: Option<Uuid>) -> bool {
        self.eq.is_none_or(|eq| value == Some(eq))
            && self.ne.is_none_or(|ne| value != Some(ne))
            && self.in_list.as_ref().is_none_or(|list| value.is_some_and(|value| list.contains(&value)))
            && self.is_null.is_none_or(|is_null| is_null == value.is_none())
    }
}

impl StringFilter {
    pub fn matches(&self, value: Option<&str>) -> bool {
        let lower = value.map(str::to_lowercase);
        self.eq.as_ref().is_none_or(|eq| value == Some(eq.as_str()))
            && self.ne.as_ref().is_none_or(|ne| value.is_some_and(|value| value != ne.as_str()))
            && self.in_list.as_ref().is_none_or(|list| value.is_some_and(|value| list.iter().any(|item| item == value)))
            && self
                .contains
                .as_ref()
                .is_none_or(|part| lower.as_ref().is_some_and(|value| value.contains(&part.to_lowercase())))
            && self
                .starts_with
                .as_ref()
                .is_none_or(|prefix| lower.as_ref().is_some_and(|value| value.starts_with(&prefix.to_lowercase())))
            && self.is_null.is_none_or(|is_null| is_null == value.is_none())
    }
}

/// The comparison operators of an ordered value, as SQL evaluates them: a comparison with an
/// unset value is not true.
fn compares<T: Ord + Copy>(value: Option<T>, [eq, ne, gt, gte, lt, lte]: [Option<T>; 6]) -> bool {
    let holds = |bound: Option<T>, test: fn(T, T) -> bool| {
        bound.is_none_or(|bound| value.is_some_and(|value| test(value, bound)))
    };
    holds(eq, |v, b| v == b)
        && holds(ne, |v, b| v != b)
        && holds(gt, |v, b| v > b)
        && holds(gte, |v, b| v >= b)
        && holds(lt, |v, b| v < b)
        && holds(lte, |v, b| v <= b)
}

impl IntFilter {
    pub fn matches(&self, value: Option<i64>) -> bool {
        compares(value, [self.eq, self.ne, self.gt, self.gte, self.lt, self.lte])
            && self.in_list.as_ref().is_none_or(|list| value.is_some_and(|value| list.contains(&value)))
            && self.is_null.is_none_or(|is_null| is_null == value.is_none())
    }
}

impl DateFilter {
    pub fn matches(&self, value: Option<chrono::NaiveDate>) -> bool {
        compares(value, [self.eq, self.ne, self.gt, self.gte, self.lt, self.lte])
            && self.is_null.is_none_or(|is_null| is_null == value.is_none())
    }
}

impl BoolFilter {
    pub fn matches(&self, value: bool) -> bool {
        self.eq.is_none_or(|eq| value == eq) && self.ne.is_none_or(|ne| value != ne)
    }
}

/// In-memory matching of the enum filters.
macro_rules! enum_matches {
    ($($filter:ident => $enum:ty),+) => {$(
        impl $filter {
            pub fn matches(&self, value: Option<$enum>) -> bool {
                self.eq.is_none_or(|eq| value == Some(eq))
                    && self.ne.is_none_or(|ne| value != Some(ne))
                    && self.in_list.as_ref().is_none_or(|list| value.is_some_and(|value| list.contains(&value)))
            }
        }
    )+};
}

enum_matches!(
    CountyFilter => shared::County,
    ChainStageFilter => shared::ChainStage,
    InstitutionKindFilter => shared::InstitutionKind,
    ProjectKindFilter => shared::ProjectKind,
    ProjectStatusFilter => shared::ProjectStatus,
    TrainingFormatFilter => shared::TrainingFormat
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_combine_like_in_sql() {
        let years = IntFilter { gte: Some(2020), lt: Some(2023), ..Default::default() };
        assert!(years.matches(Some(2021)));
        assert!(!years.matches(Some(2023)));
        assert!(!years.matches(None), "a comparison with NULL is not true");
        let name = StringFilter { contains: Some("Anhui".into()), ..Default::default() };
        assert!(name.matches(Some("west anhui university")));
        let status = ProjectStatusFilter { in_list: Some(vec![shared::ProjectStatus::Signed]), ..Default::default() };
        assert!(status.matches(Some(shared::ProjectStatus::Signed)));
        assert!(!status.matches(Some(shared::ProjectStatus::Completed)));
    }
}
