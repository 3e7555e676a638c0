//! The published figures of `shared::SEED_INDICATORS`, counted from the records now.

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use shared::{IndicatorKey, SEED_INDICATORS, SeedIndicator};

use crate::error::AppResult;

/// One published figure and its value computed from the records.
#[derive(Debug, Clone)]
pub struct IndicatorValue {
    pub seed: SeedIndicator,
    pub computed_value: i64,
}

/// How each figure is counted. Everything is computed in one statement, over live records
/// (archived ones, and links to them, are left out).
///
/// - Cooperation means a project with at least one institution; cooperating enterprises and
///   cooperation projects count above-scale enterprises only, in any project status.
/// - Key-university projects have at least one key institution of kind university.
/// - The ledger figures read the 2023 rows of key enterprises: "surveyed" rows and their
///   shortage, rows with workers placed (the sums of their placements) and their total, and
///   enterprises whose surveyed rows' placements reached their needs, all occupations
///   together.
const INDICATOR_SQL: &str = "
WITH e AS (SELECT * FROM enterprises WHERE archived_at IS NULL),
     i AS (SELECT * FROM institutions WHERE archived_at IS NULL),
     p AS (SELECT * FROM projects WHERE archived_at IS NULL),
     pe AS (SELECT l.* FROM project_enterprises l JOIN e ON e.id = l.enterprise_id JOIN p ON p.id = l.project_id),
     pi AS (SELECT l.* FROM project_institutions l JOIN i ON i.id = l.institution_id JOIN p ON p.id = l.project_id),
     t AS (SELECT * FROM training_sessions WHERE archived_at IS NULL),
     n AS (SELECT l.* FROM employment_needs l JOIN e ON e.id = l.enterprise_id WHERE l.archived_at IS NULL)
SELECT
  (SELECT COUNT(*) FROM e WHERE above_scale = TRUE),
  (SELECT COUNT(DISTINCT pe.enterprise_id) FROM pe JOIN e ON e.id = pe.enterprise_id
    WHERE e.above_scale = TRUE AND pe.project_id IN (SELECT project_id FROM pi)),
  (SELECT COUNT(*) FROM p
    WHERE EXISTS (SELECT 1 FROM pe JOIN e ON e.id = pe.enterprise_id
                   WHERE pe.project_id = p.id AND e.above_scale = TRUE)
      AND EXISTS (SELECT 1 FROM pi WHERE pi.project_id = p.id)),
  (SELECT COUNT(*) FROM p
    WHERE EXISTS (SELECT 1 FROM pi JOIN i ON i.id = pi.institution_id
                   WHERE pi.project_id = p.id AND i.is_key = TRUE AND i.kind = 'university')),
  (SELECT COUNT(*) FROM t WHERE held_on >= '2023-01-01' AND held_on < '2024-01-01'),
  (SELECT COALESCE(SUM(trainees), 0) FROM t WHERE held_on >= '2023-01-01' AND held_on < '2024-01-01'),
  (SELECT COUNT(DISTINCT n.enterprise_id) FROM n JOIN e ON e.id = n.enterprise_id
    WHERE n.year = 2023 AND e.is_key = TRUE AND n.surveyed = TRUE),
  (SELECT COALESCE(SUM(n.workers_needed), 0) FROM n JOIN e ON e.id = n.enterprise_id
    WHERE n.year = 2023 AND e.is_key = TRUE AND n.surveyed = TRUE),
  (SELECT COUNT(DISTINCT n.enterprise_id) FROM n JOIN e ON e.id = n.enterprise_id
    WHERE n.year = 2023 AND e.is_key = TRUE AND n.workers_placed > 0),
  (SELECT COALESCE(SUM(n.workers_placed), 0) FROM n JOIN e ON e.id = n.enterprise_id
    WHERE n.year = 2023 AND e.is_key = TRUE),
  (SELECT COUNT(*) FROM (SELECT n.enterprise_id FROM n JOIN e ON e.id = n.enterprise_id
    WHERE n.year = 2023 AND e.is_key = TRUE AND n.surveyed = TRUE
    GROUP BY n.enterprise_id
    HAVING SUM(n.workers_needed) > 0 AND SUM(n.workers_placed) >= SUM(n.workers_needed)) met)
";

/// The order of the columns of `INDICATOR_SQL`.
const COLUMN_ORDER: [IndicatorKey; 11] = [
    IndicatorKey::AboveScaleEnterprises,
    IndicatorKey::CooperatingEnterprises,
    IndicatorKey::CooperationProjects,
    IndicatorKey::KeyUniversityProjects,
    IndicatorKey::TrainingSessions2023,
    IndicatorKey::Trainees2023,
    IndicatorKey::SurveyedKeyEnterprises,
    IndicatorKey::WorkerShortage,
    IndicatorKey::EnterprisesReceivedWorkers,
    IndicatorKey::WorkersReceived,
    IndicatorKey::KeyEnterprisesNeedsMet,
];

/// Computes every indicator in one statement.
pub async fn compute(db: &DatabaseConnection) -> AppResult<Vec<IndicatorValue>> {
    let backend = db.get_database_backend();
    let row = db.query_one_raw(Statement::from_string(backend, INDICATOR_SQL)).await?;
    let mut values = Vec::with_capacity(SEED_INDICATORS.len());
    for seed in SEED_INDICATORS {
        let index = COLUMN_ORDER.iter().position(|key| *key == seed.key).expect("every key has a column");
        let computed_value = match &row {
            // COUNT and SUM of INTEGER columns are BIGINT on PostgreSQL, INTEGER on SQLite.
            Some(row) => row.try_get_by_index::<i64>(index)?,
            None => 0,
        };
        values.push(IndicatorValue { seed, computed_value });
    }
    Ok(values)
}
