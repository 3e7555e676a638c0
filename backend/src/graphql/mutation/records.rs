//! Creating, editing, archiving and restoring records. Each input lists the written columns of
//! its record declaration (all optional: a creation needs the required ones, an edit sends the
//! ones it changes; `null` clears an optional column); the service checks them by the same
//! rules as imports.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject, Union};
use chrono::NaiveDate;
use sea_orm::{DatabaseConnection, Value as SqlValue};
use shared::{County, InstitutionKind, ProjectKind, TrainingFormat, permissions::Action, records};
use uuid::Uuid;

use super::projects::{ProjectUpdateResult, into_result};
use crate::{
    entity::{employment_need, employment_placement, enterprise, institution, project, training_session},
    error::{AppResult, IntoGraphqlResult},
    graphql::{
        objects::{
            EmploymentNeed, EmploymentPlacement, Enterprise, Import, Institution, Node, Project, TrainingSession,
        },
        principal,
    },
    ids::{self, NodeKind},
    service::{
        changes::Changes,
        edit::{self, Actor, Editable, Outcome, Values},
        projects::{self as project_service, Editor, Participants},
    },
};

/// Collects an input's fields into stored values by declared column name.
#[derive(Default)]
struct Collect(Values);

impl Collect {
    fn put<T: Into<SqlValue>>(mut self, name: &'static str, value: Option<T>) -> Self {
        if let Some(value) = value {
            self.0.insert(name, value.into());
        }
        self
    }

    /// An optional column: absent leaves it, `null` clears it.
    fn maybe<T: Into<SqlValue>>(
        mut self,
        record: &records::Record,
        name: &'static str,
        value: MaybeUndefined<T>,
    ) -> Self {
        match value {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => {
                // Only declared columns are collected (the declaration tests hold the inputs
                // to them); an undeclared name would be refused by the service as unknown.
                if let Some(column) = record.column(name) {
                    self.0.insert(name, edit::values::null_of(column.value));
                }
            }
            MaybeUndefined::Value(value) => {
                self.0.insert(name, value.into());
            }
        }
        self
    }

    fn code(self, name: &'static str, code: Option<&'static str>) -> Self {
        self.put(name, code.map(str::to_owned))
    }
}

/// An enterprise's register entry.
#[derive(InputObject, Default)]
pub struct EnterpriseInput {
    pub name: Option<String>,
    /// The 18-character unified social credit code (its check character is verified).
    pub credit_code: Option<String>,
    pub county: Option<County>,
    pub above_scale: Option<bool>,
    pub is_key: Option<bool>,
    pub employees: Option<i32>,
    pub founded_year: MaybeUndefined<i32>,
}

impl EnterpriseInput {
    fn values(self) -> Values {
        Collect::default()
            .put("name", self.name)
            .put("credit_code", self.credit_code)
            .code("county", self.county.map(County::code))
            .put("above_scale", self.above_scale)
            .put("is_key", self.is_key)
            .put("employees", self.employees)
            .maybe(&records::ENTERPRISE, "founded_year", self.founded_year)
            .0
    }
}

/// A university's, institute's or college's entry.
#[derive(InputObject, Default)]
pub struct InstitutionInput {
    /// The Chinese name (unique).
    pub name: Option<String>,
    pub name_en: Option<String>,
    pub kind: Option<InstitutionKind>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub is_key: Option<bool>,
    /// What the institution is strong in: discipline codes or names (`Discipline`) separated
    /// by commas, e.g. `agronomy,tea`.
    pub disciplines: Option<String>,
}

impl InstitutionInput {
    fn values(self) -> Values {
        Collect::default()
            .put("name", self.name)
            .put("name_en", self.name_en)
            .code("kind", self.kind.map(InstitutionKind::code))
            .put("province", self.province)
            .put("city", self.city)
            .put("is_key", self.is_key)
            .put("disciplines", self.disciplines)
            .0
    }
}

/// A project's columns and participants (its status changes through `updateProjectStatus`).
#[derive(InputObject, Default)]
pub struct ProjectInput {
    pub title: Option<String>,
    pub programme: Option<String>,
    pub kind: Option<ProjectKind>,
    pub start_date: MaybeUndefined<NaiveDate>,
    pub end_date: MaybeUndefined<NaiveDate>,
    pub funding_cny: Option<i64>,
    pub patents: Option<i32>,
    pub papers: Option<i32>,
    pub products: Option<i32>,
    pub trainees: Option<i32>,
    /// The project's number in its owner's register (unique when set).
    pub external_ref: MaybeUndefined<String>,
    /// The participating enterprises (all of them: the list replaces the current one).
    pub enterprises: Option<Vec<ID>>,
    /// The participating institutions (all of them). A liaison's own institution stays.
    pub institutions: Option<Vec<ID>>,
}

impl ProjectInput {
    fn split(self) -> AppResult<(Values, Option<Participants>)> {
        let decode = |ids_: Option<Vec<ID>>, kind| -> AppResult<Option<Vec<Uuid>>> {
            ids_.map(|list| list.iter().map(|id| ids::decode_as(kind, id)).collect()).transpose()
        };
        let enterprises = decode(self.enterprises, NodeKind::Enterprise)?;
        let institutions = decode(self.institutions, NodeKind::Institution)?;
        let participants = (enterprises.is_some() || institutions.is_some()).then(|| Participants {
            enterprises: enterprises.unwrap_or_default(),
            institutions: institutions.unwrap_or_default(),
        });
        let values = Collect::default()
            .put("title", self.title)
            .put("programme", self.programme)
            .code("kind", self.kind.map(ProjectKind::code))
            .maybe(&records::PROJECT, "start_date", self.start_date)
            .maybe(&records::PROJECT, "end_date", self.end_date)
            .put("funding_cny", self.funding_cny)
            .put("patents", self.patents)
            .put("papers", self.papers)
            .put("products", self.products)
            .put("trainees", self.trainees)
            .maybe(&records::PROJECT, "external_ref", self.external_ref)
            .0;
        Ok((values, participants))
    }
}

/// An entrepreneur training session.
#[derive(InputObject, Default)]
pub struct TrainingSessionInput {
    pub held_on: Option<NaiveDate>,
    pub title: Option<String>,
    pub chain: MaybeUndefined<ID>,
    pub format: Option<TrainingFormat>,
    pub trainees: Option<i32>,
    /// Of the trainees, entrepreneurs; with `executives` set too, the two add up to `trainees`.
    pub entrepreneurs: MaybeUndefined<i32>,
    /// Of the trainees, corporate executives.
    pub executives: MaybeUndefined<i32>,
}

impl TrainingSessionInput {
    fn values(self) -> AppResult<Values> {
        let chain = match self.chain {
            MaybeUndefined::Value(id) => MaybeUndefined::Value(ids::decode_as(NodeKind::IndustryChain, &id)?),
            MaybeUndefined::Null => MaybeUndefined::Null,
            MaybeUndefined::Undefined => MaybeUndefined::Undefined,
        };
        Ok(Collect::default()
            .put("held_on", self.held_on)
            .put("title", self.title)
            .maybe(&records::TRAINING_SESSION, "chain_id", chain)
            .code("format", self.format.map(TrainingFormat::code))
            .put("trainees", self.trainees)
            .maybe(&records::TRAINING_SESSION, "entrepreneurs", self.entrepreneurs)
            .maybe(&records::TRAINING_SESSION, "executives", self.executives)
            .0)
    }
}

/// A row of the employment-needs ledger: one enterprise, one year, one occupation. Workers
/// placed are recorded as placements (`createEmploymentPlacement`).
#[derive(InputObject, Default)]
pub struct EmploymentNeedInput {
    pub enterprise: Option<ID>,
    pub year: Option<i32>,
    /// The occupation or skill (default `不限工种`, any).
    pub occupation: Option<String>,
    pub workers_needed: Option<i32>,
    pub surveyed: Option<bool>,
    /// When the need was referred to the human-resources and social-security bureau.
    pub referred_on: MaybeUndefined<NaiveDate>,
    pub referred_by: MaybeUndefined<String>,
}

/// Workers placed for a need on a day.
#[derive(InputObject, Default)]
pub struct EmploymentPlacementInput {
    pub need: Option<ID>,
    pub placed_on: Option<NaiveDate>,
    pub workers: Option<i32>,
    pub note: MaybeUndefined<String>,
}

impl EmploymentPlacementInput {
    fn values(self) -> AppResult<Values> {
        let need = self.need.map(|id| ids::decode_as(NodeKind::EmploymentNeed, &id)).transpose()?;
        Ok(Collect::default()
            .put("need_id", need)
            .put("placed_on", self.placed_on)
            .put("workers", self.workers)
            .maybe(&records::EMPLOYMENT_PLACEMENT, "note", self.note)
            .0)
    }
}

impl EmploymentNeedInput {
    fn values(self) -> AppResult<Values> {
        let enterprise = self.enterprise.map(|id| ids::decode_as(NodeKind::Enterprise, &id)).transpose()?;
        Ok(Collect::default()
            .put("enterprise_id", enterprise)
            .put("year", self.year)
            .put("occupation", self.occupation)
            .put("workers_needed", self.workers_needed)
            .put("surveyed", self.surveyed)
            .maybe(&records::EMPLOYMENT_NEED, "referred_on", self.referred_on)
            .maybe(&records::EMPLOYMENT_NEED, "referred_by", self.referred_by)
            .0)
    }
}

/// The change was applied (or there was nothing to change).
#[derive(SimpleObject)]
pub struct RecordSaved {
    /// The record as stored now.
    pub record: Node,
}

/// Someone changed the record first; nothing was written.
#[derive(SimpleObject)]
pub struct RecordConflict {
    pub message: String,
    /// The version the client expected.
    pub expected_version: i32,
    /// The record as stored now.
    pub current: Node,
}

/// The result of an edit, an archive or a restore: applied, or a conflict carrying the
/// current record.
#[derive(Union)]
pub enum RecordSaveResult {
    RecordSaved(RecordSaved),
    RecordConflict(RecordConflict),
}

trait AsNode: Editable {
    fn node(model: Self::Model) -> Node;
}
impl AsNode for enterprise::Entity {
    fn node(model: enterprise::Model) -> Node {
        Node::Enterprise(Enterprise(model))
    }
}
impl AsNode for institution::Entity {
    fn node(model: institution::Model) -> Node {
        Node::Institution(Institution(model))
    }
}
impl AsNode for project::Entity {
    fn node(model: project::Model) -> Node {
        Node::Project(Project(model))
    }
}
impl AsNode for training_session::Entity {
    fn node(model: training_session::Model) -> Node {
        Node::TrainingSession(TrainingSession(model))
    }
}
impl AsNode for employment_need::Entity {
    fn node(model: employment_need::Model) -> Node {
        Node::EmploymentNeed(EmploymentNeed(model))
    }
}
impl AsNode for employment_placement::Entity {
    fn node(model: employment_placement::Model) -> Node {
        Node::EmploymentPlacement(EmploymentPlacement(model))
    }
}

fn save_result<E: AsNode>(outcome: Outcome<E::Model>, expected_version: i32) -> AppResult<RecordSaveResult>
where
    E::Column: std::str::FromStr,
{
    Ok(match outcome {
        Outcome::Saved(model) => RecordSaveResult::RecordSaved(RecordSaved { record: E::node(model) }),
        Outcome::Conflict(current) => RecordSaveResult::RecordConflict(RecordConflict {
            message: format!(
                "the record is at version {}, not {expected_version}; reload and try again",
                edit::version_of::<E>(&current)?
            ),
            expected_version,
            current: E::node(current),
        }),
    })
}

fn context<'a>(
    ctx: &Context<'a>,
    action: Action,
) -> async_graphql::Result<(&'a DatabaseConnection, &'a Changes, Actor)> {
    let (user, _) = principal(ctx).require(action).graphql()?;
    Ok((ctx.data::<DatabaseConnection>()?, ctx.data::<Changes>()?, Actor::of(user)))
}

async fn update<E: AsNode>(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i32,
    values: Values,
) -> async_graphql::Result<RecordSaveResult>
where
    E::Column: std::str::FromStr,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel:
        sea_orm::ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send + sea_orm::TryIntoModel<E::Model>,
{
    let (db, changes, actor) = context(ctx, Action::EditRecords)?;
    let id = ids::decode_as(E::KIND, id).graphql()?;
    let outcome = edit::update::<E>(db, changes, &actor, id, expected_version, values).await.graphql()?;
    save_result::<E>(outcome, expected_version).graphql()
}

async fn archive<E: AsNode>(
    ctx: &Context<'_>,
    id: Uuid,
    expected_version: i32,
    archive: bool,
) -> async_graphql::Result<RecordSaveResult>
where
    E::Column: std::str::FromStr,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel:
        sea_orm::ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send + sea_orm::TryIntoModel<E::Model>,
{
    let (db, changes, actor) = context(ctx, Action::EditRecords)?;
    let outcome = edit::set_archived::<E>(db, changes, &actor, id, expected_version, archive).await.graphql()?;
    save_result::<E>(outcome, expected_version).graphql()
}

async fn set_archived(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i32,
    flag: bool,
) -> async_graphql::Result<RecordSaveResult> {
    let (kind, uuid) = ids::decode(id).graphql()?;
    match kind {
        NodeKind::Enterprise => archive::<enterprise::Entity>(ctx, uuid, expected_version, flag).await,
        NodeKind::Institution => archive::<institution::Entity>(ctx, uuid, expected_version, flag).await,
        NodeKind::Project => archive::<project::Entity>(ctx, uuid, expected_version, flag).await,
        NodeKind::TrainingSession => archive::<training_session::Entity>(ctx, uuid, expected_version, flag).await,
        NodeKind::EmploymentNeed => archive::<employment_need::Entity>(ctx, uuid, expected_version, flag).await,
        NodeKind::EmploymentPlacement => {
            archive::<employment_placement::Entity>(ctx, uuid, expected_version, flag).await
        }
        other => Err(crate::error::AppError::bad_input(
            shared::ErrorCode::BadId,
            format!("a {} cannot be archived", other.type_name()),
        ))
        .graphql(),
    }
}

#[derive(Default)]
pub struct RecordMutation;

/// Editors and administrators keep every record; liaisons propose projects and edit their own
/// institution's (see `shared::permissions`). Codes: `DUPLICATE_KEY`, `INVALID_CREDIT_CODE`,
/// `INVALID_VALUE`, `MISSING_VALUE`, `UNKNOWN_REFERENCE`, `ARCHIVED`, `FORBIDDEN`.
#[Object]
impl RecordMutation {
    /// Adds an enterprise to the register.
    async fn create_enterprise(&self, ctx: &Context<'_>, input: EnterpriseInput) -> async_graphql::Result<Enterprise> {
        let (db, changes, actor) = context(ctx, Action::EditRecords)?;
        Ok(Enterprise(edit::create::<enterprise::Entity>(db, changes, &actor, input.values()).await.graphql()?))
    }

    /// Corrects an enterprise, if it is still at `expectedVersion`.
    async fn update_enterprise(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: EnterpriseInput,
    ) -> async_graphql::Result<RecordSaveResult> {
        update::<enterprise::Entity>(ctx, &id, expected_version, input.values()).await
    }

    /// Adds a university, institute or college.
    async fn create_institution(
        &self,
        ctx: &Context<'_>,
        input: InstitutionInput,
    ) -> async_graphql::Result<Institution> {
        let (db, changes, actor) = context(ctx, Action::EditRecords)?;
        Ok(Institution(edit::create::<institution::Entity>(db, changes, &actor, input.values()).await.graphql()?))
    }

    /// Corrects an institution, if it is still at `expectedVersion`.
    async fn update_institution(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: InstitutionInput,
    ) -> async_graphql::Result<RecordSaveResult> {
        update::<institution::Entity>(ctx, &id, expected_version, input.values()).await
    }

    /// Records a training session.
    async fn create_training_session(
        &self,
        ctx: &Context<'_>,
        input: TrainingSessionInput,
    ) -> async_graphql::Result<TrainingSession> {
        let (db, changes, actor) = context(ctx, Action::EditRecords)?;
        let values = input.values().graphql()?;
        Ok(TrainingSession(edit::create::<training_session::Entity>(db, changes, &actor, values).await.graphql()?))
    }

    /// Corrects a training session, if it is still at `expectedVersion`.
    async fn update_training_session(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: TrainingSessionInput,
    ) -> async_graphql::Result<RecordSaveResult> {
        update::<training_session::Entity>(ctx, &id, expected_version, input.values().graphql()?).await
    }

    /// Records an enterprise's employment needs for a year.
    async fn create_employment_need(
        &self,
        ctx: &Context<'_>,
        input: EmploymentNeedInput,
    ) -> async_graphql::Result<EmploymentNeed> {
        let (db, changes, actor) = context(ctx, Action::EditRecords)?;
        let values = input.values().graphql()?;
        Ok(EmploymentNeed(edit::create::<employment_need::Entity>(db, changes, &actor, values).await.graphql()?))
    }

    /// Corrects a ledger row, if it is still at `expectedVersion`.
    async fn update_employment_need(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: EmploymentNeedInput,
    ) -> async_graphql::Result<RecordSaveResult> {
        update::<employment_need::Entity>(ctx, &id, expected_version, input.values().graphql()?).await
    }

    /// Records workers placed for a need; the need's `workersPlaced` is the sum of its
    /// placements.
    async fn create_employment_placement(
        &self,
        ctx: &Context<'_>,
        input: EmploymentPlacementInput,
    ) -> async_graphql::Result<EmploymentPlacement> {
        let (db, changes, actor) = context(ctx, Action::EditRecords)?;
        let values = input.values().graphql()?;
        Ok(EmploymentPlacement(
            edit::create::<employment_placement::Entity>(db, changes, &actor, values).await.graphql()?,
        ))
    }

    /// Corrects a placement, if it is still at `expectedVersion`.
    async fn update_employment_placement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: EmploymentPlacementInput,
    ) -> async_graphql::Result<RecordSaveResult> {
        update::<employment_placement::Entity>(ctx, &id, expected_version, input.values().graphql()?).await
    }

    /// Proposes a project (status `PROPOSED`). Editors for any participants; liaisons for their
    /// own institution, which is added to the participants.
    async fn propose_project(&self, ctx: &Context<'_>, input: ProjectInput) -> async_graphql::Result<Project> {
        let (user, scope) = principal(ctx).require(Action::ProposeProject).graphql()?;
        let (values, participants) = input.split().graphql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        let model = project_service::propose(
            db,
            ctx.data::<Changes>()?,
            Editor { user, scope },
            values,
            participants.unwrap_or_default(),
        )
        .await
        .graphql()?;
        Ok(Project(model))
    }

    /// Edits a project's columns and participants, if it is still at `expectedVersion`.
    /// Liaisons change dates, outcomes and participants of their own institution's projects.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: ProjectInput,
    ) -> async_graphql::Result<ProjectUpdateResult> {
        let (user, scope) = principal(ctx).require(Action::EditProjectProgress).graphql()?;
        let scope = scope.max(shared::permissions::scope(principal(ctx).role(), Action::EditRecords));
        let project_id = ids::decode_as(NodeKind::Project, &id).graphql()?;
        let (values, participants) = input.split().graphql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        let outcome = project_service::edit_project(
            db,
            ctx.data::<Changes>()?,
            Editor { user, scope },
            project_id,
            expected_version,
            values,
            participants,
        )
        .await
        .graphql()?;
        Ok(into_result(outcome, expected_version))
    }

    /// Archives a record: it leaves lists, graphs, aggregates, indicators and exports, keeps
    /// its history, and editors still find it with `archived: true`.
    async fn archive_record(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<RecordSaveResult> {
        set_archived(ctx, &id, expected_version, true).await
    }

    /// Reverts a committed import (editors and administrators): records it created are
    /// deleted, records it updated get their earlier values back. `REVERT_BLOCKED` when a later
    /// change touched any of them or it was reverted already.
    async fn revert_import(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Import> {
        let (db, changes, actor) = context(ctx, Action::Import)?;
        let import_id = ids::decode_as(NodeKind::Import, &id).graphql()?;
        Ok(Import(crate::service::import::revert(db, changes, &actor, import_id).await.graphql()?))
    }

    /// Restores an archived record.
    async fn restore_record(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<RecordSaveResult> {
        set_archived(ctx, &id, expected_version, false).await
    }
}
