//! Aggregates' dimensions and groups: what the SQL aggregates (`service::aggregate`) and the
//! graph index's counts (`graph::aggregate`) both take and give.

use async_graphql::Enum;
use serde::Deserialize;

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
    pub segment_id: Option<uuid::Uuid>,
    pub segment_name: Option<String>,
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
}
