//! Aggregates' dimensions and groups: what the SQL aggregates (`service::aggregate`) and the
//! graph index's counts (`graph::aggregate`) both take and give.

use async_graphql::{Enum, InputObject};
use serde::Deserialize;
use shared::ErrorCode;

use super::{IntFilter, SortDirection};
use crate::error::{AppError, AppResult};

/// A dimension to group by. Not every dimension applies to every aggregate; each aggregate
/// documents which it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Dimension {
    Chain,
    Segment,
    Stage,
    County,
    Institution,
    InstitutionKind,
    Status,
    Kind,
    Programme,
    Format,
    Year,
    Quarter,
    Month,
}

/// One group of an aggregate: the dimension values (unset for dimensions not grouped by)
/// and the measures.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub chain_id: Option<uuid::Uuid>,
    pub chain_name: Option<String>,
    pub chain_code: Option<String>,
    pub segment_id: Option<uuid::Uuid>,
    pub segment_name: Option<String>,
    pub segment_code: Option<String>,
    pub stage: Option<String>,
    pub county: Option<String>,
    pub institution_id: Option<uuid::Uuid>,
    pub institution_name: Option<String>,
    pub institution_kind: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub programme: Option<String>,
    pub format: Option<String>,
    pub year: Option<i32>,
    pub quarter: Option<i32>,
    pub month: Option<i32>,
    /// Measures by alias (`m_count`, `m_funding`, ...).
    pub measures: Vec<(&'static str, i64)>,
}

impl Group {
    /// A measure by alias; 0 when the subject has no such measure.
    pub fn measure(&self, alias: &str) -> i64 {
        self.measures.iter().find(|(name, _)| *name == alias).map_or(0, |(_, value)| *value)
    }

    /// The group's dimension values, as one comparable key.
    pub fn key(&self) -> String {
        format!(
            "{:?}",
            (
                (self.chain_id, self.segment_id, &self.stage, &self.county, self.institution_id),
                (&self.institution_kind, &self.status, &self.kind, &self.programme, &self.format),
                (self.year, self.quarter, self.month),
            )
        )
    }
}

/// A measure of an aggregate: what `orderBy` and `having` compare. Not every measure applies
/// to every aggregate; asking for one an aggregate lacks is `BAD_USER_INPUT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Measure {
    Count,
    FundingCny,
    Patents,
    Papers,
    Products,
    Trainees,
    Employees,
    WorkersNeeded,
    WorkersPlaced,
    NeedsMet,
    /// Distinct enterprises in the group (projects: participants; ledger: the rows' enterprises).
    DistinctEnterprises,
    /// Distinct institutions in the group (projects: participants).
    DistinctInstitutions,
}

impl Measure {
    /// The measure's alias in a [`Group`].
    pub const fn alias(self) -> &'static str {
        match self {
            Self::Count => "m_count",
            Self::FundingCny => "m_funding",
            Self::Patents => "m_patents",
            Self::Papers => "m_papers",
            Self::Products => "m_products",
            Self::Trainees => "m_trainees",
            Self::Employees => "m_employees",
            Self::WorkersNeeded => "m_needed",
            Self::WorkersPlaced => "m_placed",
            Self::NeedsMet => "m_met",
            Self::DistinctEnterprises => "m_enterprises",
            Self::DistinctInstitutions => "m_institutions",
        }
    }
}

/// One sort key of an aggregate's groups: a measure or a dimension (exactly one), and a
/// direction. Groups tied on every key keep the order of their dimension values.
#[derive(Debug, Clone, Copy, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AggregateOrder {
    pub measure: Option<Measure>,
    /// Orders by the dimension's name (chains, segments, institutions), code or number.
    pub dimension: Option<Dimension>,
    #[graphql(default)]
    #[serde(default)]
    pub direction: SortDirection,
}

/// Conditions on the measures of each group (SQL's `HAVING`): every one that is set must hold.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AggregateHaving {
    pub count: Option<IntFilter>,
    pub funding_cny: Option<IntFilter>,
    pub patents: Option<IntFilter>,
    pub papers: Option<IntFilter>,
    pub products: Option<IntFilter>,
    pub trainees: Option<IntFilter>,
    pub employees: Option<IntFilter>,
    pub workers_needed: Option<IntFilter>,
    pub workers_placed: Option<IntFilter>,
    pub needs_met: Option<IntFilter>,
    pub distinct_enterprises: Option<IntFilter>,
    pub distinct_institutions: Option<IntFilter>,
}

impl AggregateHaving {
    /// The conditions that are set, by measure.
    pub fn conditions(&self) -> Vec<(Measure, &IntFilter)> {
        [
            (Measure::Count, &self.count),
            (Measure::FundingCny, &self.funding_cny),
            (Measure::Patents, &self.patents),
            (Measure::Papers, &self.papers),
            (Measure::Products, &self.products),
            (Measure::Trainees, &self.trainees),
            (Measure::Employees, &self.employees),
            (Measure::WorkersNeeded, &self.workers_needed),
            (Measure::WorkersPlaced, &self.workers_placed),
            (Measure::NeedsMet, &self.needs_met),
            (Measure::DistinctEnterprises, &self.distinct_enterprises),
            (Measure::DistinctInstitutions, &self.distinct_institutions),
        ]
        .into_iter()
        .filter_map(|(measure, filter)| filter.as_ref().map(|filter| (measure, filter)))
        .collect()
    }
}

/// The largest `limit` an aggregate takes.
pub const MAX_AGGREGATE_LIMIT: i32 = 10_000;

/// What is done to an aggregate's groups once counted: keep those whose measures pass
/// `having`, sort by `order` (then by every dimension value, unset last), keep the first
/// `limit`. One implementation for every source of groups (SQL on either database, the graph
/// index), so they cannot disagree.
#[derive(Debug, Clone, Default)]
pub struct Shaping {
    pub having: AggregateHaving,
    pub order: Vec<AggregateOrder>,
    pub limit: Option<i32>,
}

/// A dimension's value in a group, as it sorts: unset after every value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue<'a> {
    Int(i64),
    Text(&'a str),
    Unset,
}

impl Group {
    /// How a group sorts along a dimension: names for chains, segments and institutions, codes
    /// for coded values, numbers for date parts.
    fn sort_value(&self, dimension: Dimension) -> SortValue<'_> {
        let value: Option<SortValue<'_>> = match dimension {
            Dimension::Chain => self.chain_name.as_deref().map(SortValue::Text),
            Dimension::Segment => self.segment_name.as_deref().map(SortValue::Text),
            Dimension::Stage => self.stage.as_deref().map(SortValue::Text),
            Dimension::County => self.county.as_deref().map(SortValue::Text),
            Dimension::Institution => self.institution_name.as_deref().map(SortValue::Text),
            Dimension::InstitutionKind => self.institution_kind.as_deref().map(SortValue::Text),
            Dimension::Status => self.status.as_deref().map(SortValue::Text),
            Dimension::Kind => self.kind.as_deref().map(SortValue::Text),
            Dimension::Programme => self.programme.as_deref().map(SortValue::Text),
            Dimension::Format => self.format.as_deref().map(SortValue::Text),
            Dimension::Year => self.year.map(|value| SortValue::Int(value.into())),
            Dimension::Quarter => self.quarter.map(|value| SortValue::Int(value.into())),
            Dimension::Month => self.month.map(|value| SortValue::Int(value.into())),
        };
        value.unwrap_or(SortValue::Unset)
    }

    /// The group's identity along a dimension, for the final tie-break (IDs, not names, which
    /// two groups may share).
    fn identity(&self, dimension: Dimension) -> (SortValue<'_>, Option<uuid::Uuid>) {
        let id = match dimension {
            Dimension::Chain => self.chain_id,
            Dimension::Segment => self.segment_id,
            Dimension::Institution => self.institution_id,
            _ => None,
        };
        (self.sort_value(dimension), id)
    }
}

impl Shaping {
    /// Whether anything is to be done.
    pub fn is_empty(&self) -> bool {
        self.having.conditions().is_empty() && self.order.is_empty() && self.limit.is_none()
    }

    /// The measures `having` and `order` compare.
    pub fn measures(&self) -> Vec<Measure> {
        let mut measures: Vec<Measure> = self.having.conditions().into_iter().map(|(measure, _)| measure).collect();
        measures.extend(self.order.iter().filter_map(|key| key.measure));
        measures.dedup();
        measures
    }

    /// Checks the keys and the limit: each order key names one measure or one dimension, a
    /// dimension must be one grouped by, and the limit is 1 to [`MAX_AGGREGATE_LIMIT`].
    pub fn check(&self, dimensions: &[Dimension]) -> AppResult<()> {
        for key in &self.order {
            match (key.measure, key.dimension) {
                (Some(_), None) => {}
                (None, Some(dimension)) if dimensions.contains(&dimension) => {}
                (None, Some(dimension)) => {
                    return Err(AppError::bad_input(
                        ErrorCode::BadUserInput,
                        format!("orderBy names {dimension:?}, which the aggregate is not grouped by"),
                    ));
                }
                _ => {
                    return Err(AppError::bad_input(
                        ErrorCode::BadUserInput,
                        "each orderBy key names either a measure or a dimension",
                    ));
                }
            }
        }
        if let Some(limit) = self.limit
            && !(1..=MAX_AGGREGATE_LIMIT).contains(&limit)
        {
            return Err(AppError::bad_input(
                ErrorCode::PageSizeOutOfRange,
                format!("`limit` must be between 1 and {MAX_AGGREGATE_LIMIT}, got {limit}"),
            ));
        }
        Ok(())
    }

    /// Applies `having`, `order` and `limit` to groups of `dimensions`.
    pub fn apply(&self, mut groups: Vec<Group>, dimensions: &[Dimension]) -> Vec<Group> {
        let having = self.having.conditions();
        groups.retain(|group| {
            having.iter().all(|(measure, filter)| filter.matches(Some(group.measure(measure.alias()))))
        });
        if !self.order.is_empty() {
            groups.sort_by(|a, b| {
                for key in &self.order {
                    let ordering = match (key.measure, key.dimension) {
                        (Some(measure), _) => a.measure(measure.alias()).cmp(&b.measure(measure.alias())),
                        (None, Some(dimension)) => match (a.sort_value(dimension), b.sort_value(dimension)) {
                            // Unset sorts last in either direction.
                            (SortValue::Unset, SortValue::Unset) => std::cmp::Ordering::Equal,
                            (SortValue::Unset, _) => return std::cmp::Ordering::Greater,
                            (_, SortValue::Unset) => return std::cmp::Ordering::Less,
                            (left, right) => left.cmp(&right),
                        },
                        (None, None) => std::cmp::Ordering::Equal,
                    };
                    let ordering = if key.direction == SortDirection::Desc { ordering.reverse() } else { ordering };
                    if ordering.is_ne() {
                        return ordering;
                    }
                }
                dimensions
                    .iter()
                    .map(|dimension| a.identity(*dimension).cmp(&b.identity(*dimension)))
                    .find(|ordering| ordering.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        if let Some(limit) = self.limit {
            groups.truncate(usize::try_from(limit).unwrap_or(0));
        }
        groups
    }
}
