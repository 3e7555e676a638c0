//! The large synthetic dataset for scale tests and benchmarks: by default 100,000
//! enterprises, 2,000 institutions and 1,000,000 projects over the demo's chains, generated
//! from a fixed seed and loaded in bulk (PostgreSQL `COPY`, SQLite multi-row inserts in one
//! transaction) with a progress bar. Every record is flagged `is_demo`.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, TransactionTrait,
};
use shared::{County, CreditCode, InstitutionKind, ProjectKind, ProjectStatus};
use uuid::Uuid;

use super::catalogue::{CHAINS, COUNTY_PLACE_NAMES, DEMO_MARKER, PROGRAMMES};
use crate::entity::{
    chain_segment, enterprise, enterprise_segment, industry_chain, institution, project, project_enterprise,
    project_institution,
};

/// How many records of each kind to generate.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub enterprises: usize,
    pub institutions: usize,
    pub projects: usize,
}

impl Default for Scale {
    fn default() -> Self {
        Self { enterprises: 100_000, institutions: 2_000, projects: 1_000_000 }
    }
}

/// Rows per COPY chunk or per insert transaction step.
const CHUNK: usize = 50_000;
const SEED: u64 = 1_000_000;

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

fn fixed_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 18, 0, 0, 0).single().expect("valid time")
}

/// A table being written: PostgreSQL gets CSV for `COPY`, SQLite gets models.
enum Sink<'a> {
    Postgres { db: &'a DatabaseConnection },
    Sqlite { transaction: &'a sea_orm::DatabaseTransaction },
}

async fn copy(db: &DatabaseConnection, table: &str, columns: &str, csv: String) -> Result<(), DbErr> {
    let pool = db.get_postgres_connection_pool();
    let mut connection = pool.acquire().await.map_err(|e| DbErr::Custom(e.to_string()))?;
    let mut copy = connection
        .copy_in_raw(&format!("COPY {table} ({columns}) FROM STDIN (FORMAT csv)"))
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    copy.send(csv.into_bytes()).await.map_err(|e| DbErr::Custom(e.to_string()))?;
    copy.finish().await.map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(())
}

async fn insert<A>(transaction: &sea_orm::DatabaseTransaction, models: Vec<A>) -> Result<(), DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<A> = models.by_ref().take(400).collect();
        <A::Entity as EntityTrait>::insert_many(chunk).exec_without_returning(transaction).await?;
    }
    Ok(())
}

fn date(rng: &mut ChaCha8Rng, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, rng.random_range(1..=12), rng.random_range(1..=28)).expect("valid date")
}

/// The foreign keys of the bulk-loaded tables, as `(table, name, definition)`.
async fn foreign_keys(db: &DatabaseConnection) -> Result<Vec<(String, String, String)>, DbErr> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
              WHERE contype = 'f' AND conrelid::regclass::text IN
                ('enterprises', 'enterprise_segments', 'projects', 'project_enterprises', 'project_institutions')",
        ))
        .await?;
    rows.iter().map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?, row.try_get_by_index(2)?))).collect()
}

/// Loads the large dataset into an empty database. This is a tool for scratch databases
/// (scale tests, benchmarks): PostgreSQL chunks are committed as they are copied, so a failed
/// load leaves a partial dataset behind; drop that database and start again.
pub async fn load(db: &DatabaseConnection, scale: Scale) -> Result<(), DbErr> {
    if enterprise::Entity::find().count(db).await? > 0 {
        return Err(DbErr::Custom(
            "the database already holds enterprises; load the large dataset into an empty one".into(),
        ));
    }
    let total = (CHAINS.len() + scale.institutions + 2 * scale.enterprises + 3 * scale.projects) as u64;
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} rows ({per_sec}, eta {eta}) {msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let now = fixed_time();
    let backend = db.get_database_backend();

    // Chains and segments: the demo's catalogue.
    bar.set_message("chains");
    let mut segments: Vec<(Uuid, usize)> = Vec::new();
    for (chain_index, spec) in CHAINS.iter().enumerate() {
        let chain_id = uuid(&mut rng);
        industry_chain::Entity::insert(industry_chain::ActiveModel::from(industry_chain::Model {
            id: chain_id,
            code: spec.code.to_owned(),
            name_zh: spec.name_zh.to_owned(),
            name_en: spec.name_en.to_owned(),
            position: chain_index as i32 + 1,
        }))
        .exec_without_returning(db)
        .await?;
        for (position, segment) in spec.segments.iter().enumerate() {
            let id = uuid(&mut rng);
            chain_segment::Entity::insert(chain_segment::ActiveModel::from(chain_segment::Model {
                id,
                chain_id,
                position: position as i32 + 1,
                stage: segment.stage.code().to_owned(),
                name_zh: segment.name_zh.to_owned(),
                name_en: segment.name_en.to_owned(),
                code: super::catalogue::segment_code(spec.code, position as i32 + 1),
                needs: Some(shared::Disciplines::stored(segment.needs).codes()),
            }))
            .exec_without_returning(db)
            .await?;
            segments.push((id, chain_index));
        }
        bar.inc(1);
    }
    // On PostgreSQL, checking foreign keys row by row dominates a bulk load: they are dropped
    // for the load and added back afterwards, which validates each in one pass (and fails the
    // load if anything does not match).
    let dropped = if backend == DatabaseBackend::Postgres { foreign_keys(db).await? } else { Vec::new() };
    for (table, name, _) in &dropped {
        db.execute_unprepared(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\"")).await?;
    }
    // PostgreSQL gets COPY on pooled connections; SQLite one transaction for everything else.
    let transaction = db.begin().await?;
    let sink = match backend {
        DatabaseBackend::Postgres => Sink::Postgres { db },
        _ => Sink::Sqlite { transaction: &transaction },
    };

    bar.set_message("institutions");
    let kinds = [InstitutionKind::University, InstitutionKind::ResearchInstitute, InstitutionKind::VocationalCollege];
    let mut institution_ids = Vec::with_capacity(scale.institutions);
    let mut models = Vec::new();
    let mut csv = String::new();
    for index in 0..scale.institutions {
        let id = uuid(&mut rng);
        institution_ids.push(id);
        let kind = kinds[[0, 0, 0, 0, 1, 1, 2][index % 7]];
        let name = format!("示例{}{index:04}{DEMO_MARKER}", kind.label_zh());
        let name_en = format!("Demo {} {index:04}", kind.label_en());
        // Two disciplines each, spread over all of them.
        let all = shared::Discipline::ALL;
        let disciplines = shared::Disciplines::stored(&format!(
            "{},{}",
            all[index % all.len()].code(),
            all[(index * 5 + 3) % all.len()].code()
        ))
        .codes();
        match &sink {
            Sink::Postgres { .. } => {
                let _ = writeln!(
                    csv,
                    "{id},{name},{name_en},{},安徽省,合肥市,{},\"{disciplines}\",{now:?},{now:?}",
                    kind.code(),
                    index < 20
                );
            }
            Sink::Sqlite { .. } => models.push(institution::ActiveModel::from(institution::Model {
                version: 1,
                archived_at: None,
                id,
                name,
                name_en,
                kind: kind.code().to_owned(),
                province: "安徽省".into(),
                city: "合肥市".into(),
                is_key: index < 20,
                disciplines: Some(disciplines),
                created_at: now,
                updated_at: now,
            })),
        }
        bar.inc(1);
    }
    match &sink {
        Sink::Postgres { db } => {
            copy(db, "institutions", "id,name,name_en,kind,province,city,is_key,disciplines,created_at,updated_at", csv)
                .await?
        }
        Sink::Sqlite { transaction } => insert(transaction, models).await?,
    }

    bar.set_message("enterprises");
    let mut enterprise_ids = Vec::with_capacity(scale.enterprises);
    let mut enterprise_chain = Vec::with_capacity(scale.enterprises);
    for start in (0..scale.enterprises).step_by(CHUNK) {
        let mut csv = String::new();
        let mut links_csv = String::new();
        let mut models = Vec::new();
        let mut links = Vec::new();
        for index in start..(start + CHUNK).min(scale.enterprises) {
            let id = uuid(&mut rng);
            let (segment, chain) = segments[rng.random_range(0..segments.len())];
            let county_index = rng.random_range(0..County::ALL.len());
            let county = County::ALL[county_index];
            let code =
                CreditCode::for_enterprise(county.division_code(), index as u32 * 900 + rng.random_range(0..900));
            let name = format!("{}{index:06}号示例企业{DEMO_MARKER}", COUNTY_PLACE_NAMES[county_index]);
            let employees = rng.random_range(10..3_000);
            let founded = rng.random_range(1985..=2022);
            enterprise_ids.push(id);
            enterprise_chain.push(chain);
            match &sink {
                Sink::Postgres { .. } => {
                    let _ = writeln!(
                        csv,
                        "{id},{name},{code},{},{},{},{employees},{founded},true,{now:?},{now:?}",
                        county.code(),
                        index % 5 != 0,
                        index % 20 == 0
                    );
                    let _ = writeln!(links_csv, "{id},{segment}");
                }
                Sink::Sqlite { .. } => {
                    models.push(enterprise::ActiveModel::from(enterprise::Model {
                        version: 1,
                        archived_at: None,
                        id,
                        name,
                        credit_code: code.to_string(),
                        county: county.code().to_owned(),
                        above_scale: index % 5 != 0,
                        is_key: index % 20 == 0,
                        employees,
                        founded_year: Some(founded),
                        is_demo: true,
                        created_at: now,
                        updated_at: now,
                    }));
                    links.push(enterprise_segment::ActiveModel::from(enterprise_segment::Model {
                        enterprise_id: id,
                        segment_id: segment,
                    }));
                }
            }
        }
        let rows = 2 * ((start + CHUNK).min(scale.enterprises) - start) as u64;
        match &sink {
            Sink::Postgres { db } => {
                copy(db, "enterprises", "id,name,credit_code,county,above_scale,is_key,employees,founded_year,is_demo,created_at,updated_at", csv).await?;
                copy(db, "enterprise_segments", "enterprise_id,segment_id", links_csv).await?;
            }
            Sink::Sqlite { transaction } => {
                insert(transaction, models).await?;
                insert(transaction, links).await?;
            }
        }
        bar.inc(rows);
    }

    bar.set_message("projects");
    let statuses = ProjectStatus::ALL;
    let status_weights = [5_u32, 8, 12, 35, 25, 8, 7];
    let status_total: u32 = status_weights.iter().sum();
    let chains = CHAINS.len();
    // On PostgreSQL the links of one chunk are copied while the next chunk's projects are:
    // two server backends work at once.
    let mut pending_links: Option<tokio::task::JoinHandle<Result<(), DbErr>>> = None;
    for start in (0..scale.projects).step_by(CHUNK) {
        let mut projects_csv = String::new();
        let mut firms_csv = String::new();
        let mut schools_csv = String::new();
        let mut projects = Vec::new();
        let mut firms = Vec::new();
        let mut schools = Vec::new();
        let count = (start + CHUNK).min(scale.projects) - start;
        for offset in 0..count {
            let number = start + offset;
            let id = uuid(&mut rng);
            // Skewed towards the first enterprises, which become hubs.
            let firm = ((rng.random::<f64>().powf(2.5)) * scale.enterprises as f64) as usize % scale.enterprises;
            let chain = enterprise_chain[firm];
            let school = if rng.random_bool(0.7) {
                let slots = scale.institutions.div_ceil(chains);
                (rng.random_range(0..slots) * chains + chain).min(scale.institutions - 1)
            } else {
                rng.random_range(0..scale.institutions)
            };
            let second = rng.random_bool(0.1).then(|| rng.random_range(0..scale.institutions)).filter(|s| *s != school);
            let mut pick = rng.random_range(0..status_total);
            let status = statuses[status_weights
                .iter()
                .position(|w| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .unwrap_or(0)];
            let kind = ProjectKind::ALL[rng.random_range(0..ProjectKind::ALL.len())];
            let programme = PROGRAMMES[rng.random_range(0..PROGRAMMES.len())];
            let started = !matches!(status, ProjectStatus::Proposed | ProjectStatus::Negotiating);
            let year = rng.random_range(2015..=2024);
            let start_date = started.then(|| date(&mut rng, year));
            let end_date = match (status, start_date) {
                (ProjectStatus::Completed | ProjectStatus::Terminated, Some(start)) => {
                    Some(start + chrono::Days::new(rng.random_range(90..900)))
                }
                _ => None,
            };
            let funding = rng.random_range(1..300) * 10_000_i64;
            let title = format!("示例合作项目{number:07}{DEMO_MARKER}");
            let (firm_id, school_id) = (enterprise_ids[firm], institution_ids[school]);
            match &sink {
                Sink::Postgres { .. } => {
                    let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                    let _ = writeln!(
                        projects_csv,
                        "{id},{title},{programme},{},{},{},{},{funding},0,0,0,0,1,true,{now:?},{now:?}",
                        kind.code(),
                        status.code(),
                        opt(start_date),
                        opt(end_date)
                    );
                    let _ = writeln!(firms_csv, "{id},{firm_id}");
                    let _ = writeln!(schools_csv, "{id},{school_id}");
                    if let Some(second) = second {
                        let _ = writeln!(schools_csv, "{id},{}", institution_ids[second]);
                    }
                }
                Sink::Sqlite { .. } => {
                    projects.push(project::ActiveModel::from(project::Model {
                        archived_at: None,
                        id,
                        title,
                        programme: programme.to_owned(),
                        kind: kind.code().to_owned(),
                        status: status.code().to_owned(),
                        start_date,
                        end_date,
                        funding_cny: funding,
                        patents: 0,
                        papers: 0,
                        products: 0,
                        trainees: 0,
                        version: 1,
                        is_demo: true,
                        created_at: now,
                        updated_at: now,
                        external_ref: None,
                    }));
                    firms.push(project_enterprise::ActiveModel::from(project_enterprise::Model {
                        project_id: id,
                        enterprise_id: firm_id,
                    }));
                    schools.push(project_institution::ActiveModel::from(project_institution::Model {
                        project_id: id,
                        institution_id: school_id,
                    }));
                    if let Some(second) = second {
                        schools.push(project_institution::ActiveModel::from(project_institution::Model {
                            project_id: id,
                            institution_id: institution_ids[second],
                        }));
                    }
                }
            }
        }
        match &sink {
            Sink::Postgres { db } => {
                copy(
                    db,
                    "projects",
                    "id,title,programme,kind,status,start_date,end_date,funding_cny,patents,papers,products,trainees,version,is_demo,created_at,updated_at",
                    projects_csv,
                )
                .await?;
                if let Some(previous) = pending_links.take() {
                    previous.await.map_err(|e| DbErr::Custom(e.to_string()))??;
                }
                let db = (*db).clone();
                pending_links = Some(tokio::spawn(async move {
                    copy(&db, "project_enterprises", "project_id,enterprise_id", firms_csv).await?;
                    copy(&db, "project_institutions", "project_id,institution_id", schools_csv).await
                }));
            }
            Sink::Sqlite { transaction } => {
                insert(transaction, projects).await?;
                insert(transaction, firms).await?;
                insert(transaction, schools).await?;
            }
        }
        bar.inc(3 * count as u64);
    }
    if let Some(previous) = pending_links.take() {
        previous.await.map_err(|e| DbErr::Custom(e.to_string()))??;
    }
    transaction.commit().await?;
    bar.set_message("constraints");
    for (table, name, definition) in &dropped {
        db.execute_unprepared(&format!("ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}")).await?;
    }
    if backend == DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    bar.finish_with_message("done");
    Ok(())
}
