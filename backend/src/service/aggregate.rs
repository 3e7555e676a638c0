//! Counts and sums grouped by dimensions (chain, segment, stage, county, institution, status,
//! year/quarter/month, ...), filtered by the filter language.
//!
//! Each aggregate runs as one statement: an inner `SELECT DISTINCT` pairs every record with
//! its dimension values (a project touching two chains belongs to both groups), and the outer
//! query joins the record back once per group, so sums never double count within a group.
//! Distinct participants of projects (enterprises, institutions) need the links joined, which
//! would repeat each project in the sums, so they are a second statement over the same groups,
//! run only when asked for; along an enterprise-side dimension they count the enterprises that
//! put the project in the group, not its partners elsewhere. `having`, `orderBy` and `limit` are applied to the groups by
//! [`crate::filter::Shaping`], the same code for every database and for the graph index.

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult,
    sea_query::{Alias, Condition, Expr, ExprTrait, Query, SelectStatement},
};

use shared::records::{self, Read, Record};

use shared::ErrorCode;

use crate::{
    auth::columns::{self, Use},
    error::{AppError, AppResult},
    filter::{Dimension, Group, Measure, Shaping},
};

/// A join an aggregate may need, in dependency order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Join {
    Enterprise,
    Segment,
    Chain,
    Institution,
}

/// What a dimension reads: its SQL expressions (aliases `d_<name>...`) and the joins it needs.
struct DimensionSql {
    columns: Vec<(String, String)>,
    joins: Vec<Join>,
}

/// Which date column year/quarter/month dimensions read from.
fn date_part(backend: DatabaseBackend, part: &str, column: &str) -> String {
    match (backend, part) {
        (DatabaseBackend::Postgres, _) => format!("CAST(EXTRACT({part} FROM {column}) AS INTEGER)"),
        (_, "YEAR") => format!("CAST(strftime('%Y', {column}) AS INTEGER)"),
        (_, "MONTH") => format!("CAST(strftime('%m', {column}) AS INTEGER)"),
        _ => format!("((CAST(strftime('%m', {column}) AS INTEGER) + 2) / 3)"),
    }
}

/// What is aggregated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Projects,
    Enterprises,
    TrainingSessions,
    EmploymentNeeds,
}

impl Subject {
    fn table(self) -> &'static str {
        match self {
            Self::Projects => "projects",
            Self::Enterprises => "enterprises",
            Self::TrainingSessions => "training_sessions",
            Self::EmploymentNeeds => "employment_needs",
        }
    }

    /// The column that enterprise-side joins start from, if any.
    fn enterprise_key(self) -> Option<&'static str> {
        match self {
            Self::Projects => None,
            Self::Enterprises => Some("r.id"),
            Self::EmploymentNeeds => Some("r.enterprise_id"),
            Self::TrainingSessions => None,
        }
    }

    fn date_column(self) -> Option<&'static str> {
        match self {
            Self::Projects => Some("r.start_date"),
            Self::TrainingSessions => Some("r.held_on"),
            Self::Enterprises | Self::EmploymentNeeds => None,
        }
    }

    /// The measures: alias and SQL over the record `r` joined back once per group.
    fn measures(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Projects => &[
                ("m_count", "COUNT(*)"),
                ("m_funding", "CAST(COALESCE(SUM(r.funding_cny), 0) AS BIGINT)"),
                ("m_patents", "COALESCE(SUM(r.patents), 0)"),
                ("m_papers", "COALESCE(SUM(r.papers), 0)"),
                ("m_products", "COALESCE(SUM(r.products), 0)"),
                ("m_trainees", "COALESCE(SUM(r.trainees), 0)"),
            ],
            Self::Enterprises => &[
                ("m_count", "COUNT(*)"),
                ("m_employees", "COALESCE(SUM(r.employees), 0)"),
                ("m_enterprises", "COUNT(DISTINCT r.id)"),
            ],
            Self::TrainingSessions => &[("m_count", "COUNT(*)"), ("m_trainees", "COALESCE(SUM(r.trainees), 0)")],
            Self::EmploymentNeeds => &[
                ("m_count", "COUNT(*)"),
                ("m_needed", "COALESCE(SUM(r.workers_needed), 0)"),
                ("m_placed", "COALESCE(SUM(r.workers_placed), 0)"),
                (
                    "m_met",
                    "COALESCE(SUM(CASE WHEN r.workers_needed > 0 AND r.workers_placed >= r.workers_needed THEN 1 ELSE 0 END), 0)",
                ),
                ("m_enterprises", "COUNT(DISTINCT r.enterprise_id)"),
            ],
        }
    }

    /// The measures counted by the second statement (distinct participants of projects).
    fn participant_measures(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Projects => {
                &[("m_enterprises", "COUNT(DISTINCT g.eid)"), ("m_institutions", "COUNT(DISTINCT g.iid)")]
            }
            _ => &[],
        }
    }

    /// Whether this aggregate has `measure`.
    pub fn has(self, measure: Measure) -> bool {
        let alias = measure.alias();
        self.measures().iter().chain(self.participant_measures()).any(|(name, _)| *name == alias)
    }
}

/// The declared column a measure sums, whose read right decides who may order or filter by it.
fn measured_column(measure: Measure) -> Option<(&'static Record, &'static str)> {
    use records::*;
    Some(match measure {
        Measure::FundingCny => (&PROJECT, "funding_cny"),
        Measure::Patents => (&PROJECT, "patents"),
        Measure::Papers => (&PROJECT, "papers"),
        Measure::Products => (&PROJECT, "products"),
        Measure::Employees => (&ENTERPRISE, "employees"),
        Measure::WorkersNeeded => (&EMPLOYMENT_NEED, "workers_needed"),
        Measure::WorkersPlaced => (&EMPLOYMENT_NEED, "workers_placed"),
        Measure::Count
        | Measure::Trainees
        | Measure::NeedsMet
        | Measure::DistinctEnterprises
        | Measure::DistinctInstitutions => return None,
    })
}

/// Checks the shaping of an aggregate of `subject` for a caller reading at `read`: its keys
/// and limit, that every measure it compares belongs to the aggregate, and that the caller
/// may read each (a measure over a restricted column is as restricted as the column).
pub fn check_shaping(subject: Subject, dimensions: &[Dimension], shaping: &Shaping, read: Read) -> AppResult<()> {
    shaping.check(dimensions)?;
    for measure in shaping.measures() {
        if !subject.has(measure) {
            return Err(AppError::bad_input(
                ErrorCode::BadUserInput,
                format!("this aggregate has no measure {measure:?}"),
            ));
        }
        if let Some((record, column)) = measured_column(measure) {
            columns::check(read, record, column, Use::Sum)?;
        }
    }
    Ok(())
}

/// The declared column a subject's records are grouped by along a dimension: its declared read
/// right decides who may group by it (see [`check_grouping`]).
fn grouped_column(subject: Subject, dimension: Dimension) -> Option<(&'static Record, &'static str)> {
    use records::*;
    Some(match dimension {
        Dimension::Chain if subject == Subject::TrainingSessions => (&TRAINING_SESSION, "chain_id"),
        Dimension::Chain => (&CHAIN_SEGMENT, "chain_id"),
        Dimension::Segment => (&CHAIN_SEGMENT, "id"),
        Dimension::Stage => (&CHAIN_SEGMENT, "stage"),
        Dimension::County => (&ENTERPRISE, "county"),
        Dimension::Institution => (&INSTITUTION, "id"),
        Dimension::InstitutionKind => (&INSTITUTION, "kind"),
        Dimension::Status => (&PROJECT, "status"),
        Dimension::Kind => (&PROJECT, "kind"),
        Dimension::Programme => (&PROJECT, "programme"),
        Dimension::Format => (&TRAINING_SESSION, "format"),
        Dimension::Year if subject == Subject::EmploymentNeeds => (&EMPLOYMENT_NEED, "year"),
        Dimension::Year | Dimension::Quarter | Dimension::Month => match subject {
            Subject::Projects => (&PROJECT, "start_date"),
            Subject::TrainingSessions => (&TRAINING_SESSION, "held_on"),
            Subject::Enterprises | Subject::EmploymentNeeds => return None,
        },
    })
}

/// Checks that a caller reading at `read` may group by these dimensions: each dimension's
/// declared column must be groupable and readable by the caller, like every use of a column.
pub fn check_grouping(subject: Subject, dimensions: &[Dimension], read: Read) -> AppResult<()> {
    for dimension in dimensions {
        if let Some((record, column)) = grouped_column(subject, *dimension) {
            columns::check(read, record, column, Use::Group)?;
        }
    }
    Ok(())
}

fn dimension_sql(subject: Subject, dimension: Dimension, backend: DatabaseBackend) -> Option<DimensionSql> {
    let simple = |columns: &[(&str, &str)], joins: &[Join]| {
        Some(DimensionSql {
            columns: columns.iter().map(|(alias, sql)| ((*alias).to_owned(), (*sql).to_owned())).collect(),
            joins: joins.to_vec(),
        })
    };
    let enterprise_side = matches!(subject, Subject::Projects | Subject::Enterprises | Subject::EmploymentNeeds);
    match dimension {
        Dimension::Chain if enterprise_side => simple(
            &[("d_chain_id", "c.id"), ("d_chain_name", "c.name_zh"), ("d_chain_code", "c.code")],
            &[Join::Enterprise, Join::Segment, Join::Chain],
        ),
        Dimension::Chain if subject == Subject::TrainingSessions => {
            simple(&[("d_chain_id", "c.id"), ("d_chain_name", "c.name_zh"), ("d_chain_code", "c.code")], &[Join::Chain])
        }
        Dimension::Segment if enterprise_side => simple(
            &[("d_segment_id", "s.id"), ("d_segment_name", "s.name_zh"), ("d_segment_code", "s.code")],
            &[Join::Enterprise, Join::Segment],
        ),
        Dimension::Stage if enterprise_side => simple(&[("d_stage", "s.stage")], &[Join::Enterprise, Join::Segment]),
        Dimension::County if enterprise_side => simple(&[("d_county", "e.county")], &[Join::Enterprise]),
        Dimension::Institution if subject == Subject::Projects => {
            simple(&[("d_institution_id", "i.id"), ("d_institution_name", "i.name")], &[Join::Institution])
        }
        Dimension::InstitutionKind if subject == Subject::Projects => {
            simple(&[("d_institution_kind", "i.kind")], &[Join::Institution])
        }
        Dimension::Status if subject == Subject::Projects => simple(&[("d_status", "r.status")], &[]),
        Dimension::Kind if subject == Subject::Projects => simple(&[("d_kind", "r.kind")], &[]),
        Dimension::Programme if subject == Subject::Projects => simple(&[("d_programme", "r.programme")], &[]),
        Dimension::Format if subject == Subject::TrainingSessions => simple(&[("d_format", "r.format")], &[]),
        Dimension::Year if subject == Subject::EmploymentNeeds => simple(&[("d_year", "r.year")], &[]),
        Dimension::Year | Dimension::Quarter | Dimension::Month => {
            let column = subject.date_column()?;
            let mut columns = vec![("d_year".to_owned(), date_part(backend, "YEAR", column))];
            if dimension == Dimension::Quarter {
                columns.push(("d_quarter".to_owned(), date_part(backend, "QUARTER", column)));
            }
            if dimension == Dimension::Month {
                columns.push(("d_month".to_owned(), date_part(backend, "MONTH", column)));
            }
            Some(DimensionSql { columns, joins: Vec::new() })
        }
        _ => None,
    }
}

/// Why an aggregate request is not valid.
#[derive(Debug, Clone, Copy)]
pub struct UnsupportedDimension(pub Dimension);

/// Runs an aggregate of `subject` over the records matching `condition` (a condition on the
/// subject's own table), grouped by `dimensions`; `participants` also counts the distinct
/// enterprises and institutions of each group of projects (a second statement).
pub async fn aggregate(
    db: &DatabaseConnection,
    subject: Subject,
    dimensions: &[Dimension],
    condition: Condition,
    participants: bool,
) -> AppResult<Result<Vec<Group>, UnsupportedDimension>> {
    let backend = db.get_database_backend();
    let mut columns: Vec<(String, String)> = Vec::new();
    let mut joins: Vec<Join> = Vec::new();
    for dimension in dimensions {
        let Some(sql) = dimension_sql(subject, *dimension, backend) else {
            return Ok(Err(UnsupportedDimension(*dimension)));
        };
        for column in sql.columns {
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
        joins.extend(sql.joins);
    }
    joins.sort();
    joins.dedup();

    let table = subject.table();
    let matching = Query::select()
        .column((Alias::new(table), Alias::new("id")))
        .from(Alias::new(table))
        .cond_where(condition)
        .to_owned();
    // Every matching record with its values along the dimensions (`extra` adds columns).
    let pairs = |joins: &[Join], extra: &[(&str, &'static str)]| {
        let mut inner = Query::select();
        inner.distinct().expr_as(Expr::cust("r.id"), Alias::new("rid")).from_as(Alias::new(table), Alias::new("r"));
        for (alias, sql) in &columns {
            inner.expr_as(Expr::cust(sql.clone()), Alias::new(alias.clone()));
        }
        for (alias, sql) in extra {
            inner.expr_as(Expr::cust(*sql), Alias::new(*alias));
        }
        add_joins(&mut inner, subject, joins);
        inner.and_where(Expr::cust("r.id").in_subquery(matching.clone()));
        inner
    };
    let inner = pairs(&joins, &[]);

    let grouped = |select: &mut SelectStatement| {
        for (alias, _) in &columns {
            select.expr_as(Expr::cust(format!("g.{alias}")), Alias::new(alias.clone()));
            select.add_group_by([Expr::cust(format!("g.{alias}"))]);
            select.order_by_expr(Expr::cust(format!("g.{alias}")), sea_orm::Order::Asc);
        }
    };
    let mut outer = Query::select();
    grouped(&mut outer);
    for (alias, sql) in subject.measures() {
        outer.expr_as(Expr::cust(*sql), Alias::new(*alias));
    }
    outer.from_subquery(inner.clone(), Alias::new("g")).join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        Alias::new(table),
        Alias::new("r"),
        Expr::cust("r.id = g.rid"),
    );

    let rows = db.query_all(&outer).await?;
    let mut groups =
        rows.iter().map(|row| read_group(row, subject.measures(), &columns)).collect::<Result<Vec<_>, _>>()?;

    if participants && !subject.participant_measures().is_empty() {
        // The participants of each group's projects: along an enterprise-side dimension (chain,
        // segment, stage, county) only the enterprises that put the project in the group, along
        // INSTITUTION only that institution.
        let mut with_participants = joins.clone();
        with_participants.extend([Join::Enterprise, Join::Institution]);
        with_participants.sort();
        with_participants.dedup();
        let mut counts = Query::select();
        grouped(&mut counts);
        for (alias, sql) in subject.participant_measures() {
            counts.expr_as(Expr::cust(*sql), Alias::new(*alias));
        }
        counts.from_subquery(pairs(&with_participants, &[("eid", "e.id"), ("iid", "i.id")]), Alias::new("g"));
        let rows = db.query_all(&counts).await?;
        let mut by_key = std::collections::HashMap::new();
        for row in &rows {
            let group = read_group(row, subject.participant_measures(), &columns)?;
            by_key.insert(group.key(), group.measures);
        }
        for group in &mut groups {
            if let Some(measures) = by_key.remove(&group.key()) {
                group.measures.extend(measures);
            }
        }
    }
    Ok(Ok(groups))
}

fn add_joins(select: &mut SelectStatement, subject: Subject, joins: &[Join]) {
    let left = |select: &mut SelectStatement, table: &str, alias: &str, on: String| {
        select.join_as(sea_orm::sea_query::JoinType::LeftJoin, Alias::new(table), Alias::new(alias), Expr::cust(on));
    };
    for join in joins {
        match join {
            Join::Enterprise => match subject.enterprise_key() {
                Some(key) => left(select, "enterprises", "e", format!("e.id = {key} AND e.archived_at IS NULL")),
                None => {
                    // Links to archived enterprises are left out, as the enterprises are.
                    left(
                        select,
                        "project_enterprises",
                        "pe",
                        "pe.project_id = r.id AND pe.enterprise_id IN \
                         (SELECT id FROM enterprises WHERE archived_at IS NULL)"
                            .into(),
                    );
                    left(select, "enterprises", "e", "e.id = pe.enterprise_id".into());
                }
            },
            Join::Segment => {
                left(select, "enterprise_segments", "es", "es.enterprise_id = e.id".into());
                left(select, "chain_segments", "s", "s.id = es.segment_id".into());
            }
            Join::Chain if subject == Subject::TrainingSessions => {
                left(select, "industry_chains", "c", "c.id = r.chain_id".into())
            }
            Join::Chain => left(select, "industry_chains", "c", "c.id = s.chain_id".into()),
            Join::Institution => {
                left(
                    select,
                    "project_institutions",
                    "pi",
                    "pi.project_id = r.id AND pi.institution_id IN \
                     (SELECT id FROM institutions WHERE archived_at IS NULL)"
                        .into(),
                );
                left(select, "institutions", "i", "i.id = pi.institution_id".into());
            }
        }
    }
}

fn read_group(
    row: &QueryResult,
    measures: &[(&'static str, &'static str)],
    columns: &[(String, String)],
) -> Result<Group, sea_orm::DbErr> {
    let mut group = Group::default();
    for (alias, _) in columns {
        match alias.as_str() {
            "d_chain_id" => group.chain_id = row.try_get("", alias)?,
            "d_chain_name" => group.chain_name = row.try_get("", alias)?,
            "d_chain_code" => group.chain_code = row.try_get("", alias)?,
            "d_segment_id" => group.segment_id = row.try_get("", alias)?,
            "d_segment_name" => group.segment_name = row.try_get("", alias)?,
            "d_segment_code" => group.segment_code = row.try_get("", alias)?,
            "d_stage" => group.stage = row.try_get("", alias)?,
            "d_county" => group.county = row.try_get("", alias)?,
            "d_institution_id" => group.institution_id = row.try_get("", alias)?,
            "d_institution_name" => group.institution_name = row.try_get("", alias)?,
            "d_institution_kind" => group.institution_kind = row.try_get("", alias)?,
            "d_status" => group.status = row.try_get("", alias)?,
            "d_kind" => group.kind = row.try_get("", alias)?,
            "d_programme" => group.programme = row.try_get("", alias)?,
            "d_format" => group.format = row.try_get("", alias)?,
            "d_year" => group.year = row.try_get("", alias)?,
            "d_quarter" => group.quarter = row.try_get("", alias)?,
            "d_month" => group.month = row.try_get("", alias)?,
            _ => {}
        }
    }
    for (alias, _) in measures {
        group.measures.push((alias, row.try_get("", alias)?));
    }
    Ok(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every dimension an aggregate accepts groups by a declared, groupable column.
    #[test]
    fn every_dimension_groups_by_a_declared_column() {
        let subjects = [Subject::Projects, Subject::Enterprises, Subject::TrainingSessions, Subject::EmploymentNeeds];
        let dimensions = [
            Dimension::Chain,
            Dimension::Segment,
            Dimension::Stage,
            Dimension::County,
            Dimension::Institution,
            Dimension::InstitutionKind,
            Dimension::Status,
            Dimension::Kind,
            Dimension::Programme,
            Dimension::Format,
            Dimension::Year,
            Dimension::Quarter,
            Dimension::Month,
        ];
        let mut supported = 0;
        for subject in subjects {
            for dimension in dimensions {
                if dimension_sql(subject, dimension, DatabaseBackend::Sqlite).is_some() {
                    supported += 1;
                    let (record, column) = grouped_column(subject, dimension)
                        .unwrap_or_else(|| panic!("{subject:?} by {dimension:?} has no declared column"));
                    columns::check(Read::SignedIn, record, column, Use::Group)
                        .unwrap_or_else(|_| panic!("{}.{column} is not declared groupable", record.graphql_type));
                }
            }
        }
        assert!(supported > 20);
        assert!(check_grouping(Subject::Projects, &[Dimension::Status, Dimension::Year], Read::Public).is_ok());
    }
}
