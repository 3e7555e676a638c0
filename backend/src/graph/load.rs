//! Loading the index from the database (streamed, so the large dataset never sits in memory
//! twice).

use std::collections::HashMap;

use futures_util::TryStreamExt;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::{ChainStage, County, InstitutionKind, ProjectKind, ProjectStatus};
use uuid::Uuid;

use super::data::{Chain, GraphData, Node, ProjectInput, Segment, Side};
use crate::{
    entity::{
        chain_segment, enterprise, enterprise_segment, industry_chain, institution, project, project_enterprise,
        project_institution,
    },
    error::{AppError, AppResult},
};

fn corrupt(what: &str) -> AppError {
    AppError::internal(format!("unknown code in {what}"))
}

/// Builds the whole index.
pub async fn load(db: &DatabaseConnection) -> AppResult<GraphData> {
    let mut data = GraphData::default();
    for chain in industry_chain::Entity::find().order_by_asc(industry_chain::Column::Position).all(db).await? {
        data.chain_index.insert(chain.id, data.chains.len() as u32);
        data.chains.push(Chain { id: chain.id, code: chain.code, name: chain.name_zh, segments: Vec::new() });
    }
    for segment in chain_segment::Entity::find().order_by_asc(chain_segment::Column::Position).all(db).await? {
        let chain = *data.chain_index.get(&segment.chain_id).ok_or_else(|| corrupt("segments"))?;
        let index = data.segments.len() as u32;
        data.segment_index.insert(segment.id, index);
        data.chains[chain as usize].segments.push(index);
        data.segments.push(Segment {
            id: segment.id,
            code: segment.code,
            chain,
            stage: ChainStage::from_code(&segment.stage).ok_or_else(|| corrupt("segments"))?,
            position: segment.position,
            name: segment.name_zh,
            needs: shared::Disciplines::stored(segment.needs.as_deref().unwrap_or_default()),
            members: Vec::new(),
        });
    }

    let mut enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::ArchivedAt.is_null())
        .select_only()
        .columns([
            enterprise::Column::Id,
            enterprise::Column::Name,
            enterprise::Column::County,
            enterprise::Column::IsKey,
            enterprise::Column::AboveScale,
            enterprise::Column::Employees,
            enterprise::Column::FoundedYear,
        ])
        .into_tuple::<(Uuid, String, String, bool, bool, i32, Option<i32>)>()
        .stream(db)
        .await?;
    while let Some((id, name, county, is_key, above_scale, employees, founded_year)) = enterprises.try_next().await? {
        data.add_node(Node {
            id,
            side: Side::Enterprise,
            name,
            name_en: None,
            disciplines: shared::Disciplines::default(),
            county: Some(County::from_code(&county).ok_or_else(|| corrupt("enterprises"))?),
            segments: Vec::new(),
            institution_kind: None,
            is_key,
            above_scale,
            employees,
            founded_year,
        });
    }
    drop(enterprises);
    let mut links = enterprise_segment::Entity::find().into_tuple::<(Uuid, Uuid)>().stream(db).await?;
    while let Some((enterprise, segment)) = links.try_next().await? {
        if let (Some(node), Some(segment)) =
            (data.node_index.get(&enterprise).copied(), data.segment_index.get(&segment).copied())
        {
            data.add_to_segment(node, segment);
        }
    }
    drop(links);
    for institution in institution::Entity::find().filter(institution::Column::ArchivedAt.is_null()).all(db).await? {
        data.add_node(Node {
            id: institution.id,
            side: Side::Institution,
            name: institution.name,
            name_en: Some(institution.name_en).filter(|name| !name.is_empty()),
            disciplines: shared::Disciplines::stored(institution.disciplines.as_deref().unwrap_or_default()),
            county: None,
            segments: Vec::new(),
            institution_kind: Some(
                InstitutionKind::from_code(&institution.kind).ok_or_else(|| corrupt("institutions"))?,
            ),
            is_key: institution.is_key,
            above_scale: false,
            employees: 0,
            founded_year: None,
        });
    }

    // Participants first, keyed by project, then each project once.
    let mut participants: HashMap<Uuid, (Vec<Uuid>, Vec<Uuid>)> = HashMap::new();
    let mut links = project_enterprise::Entity::find().into_tuple::<(Uuid, Uuid)>().stream(db).await?;
    while let Some((project, enterprise)) = links.try_next().await? {
        participants.entry(project).or_default().0.push(enterprise);
    }
    drop(links);
    let mut links = project_institution::Entity::find().into_tuple::<(Uuid, Uuid)>().stream(db).await?;
    while let Some((project, institution)) = links.try_next().await? {
        participants.entry(project).or_default().1.push(institution);
    }
    drop(links);
    let mut projects = project::Entity::find().filter(project::Column::ArchivedAt.is_null()).stream(db).await?;
    while let Some(model) = projects.try_next().await? {
        let (enterprises, institutions) = participants.remove(&model.id).unwrap_or_default();
        data.upsert_project(input(model, enterprises, institutions)?);
    }
    Ok(data)
}

fn input(model: project::Model, enterprises: Vec<Uuid>, institutions: Vec<Uuid>) -> AppResult<ProjectInput> {
    Ok(ProjectInput {
        id: model.id,
        status: ProjectStatus::from_code(&model.status).ok_or_else(|| corrupt("projects"))?,
        kind: ProjectKind::from_code(&model.kind).ok_or_else(|| corrupt("projects"))?,
        programme: model.programme,
        start: model.start_date,
        end: model.end_date,
        enterprises,
        institutions,
    })
}

/// A project's enterprises and institutions, as stored.
pub async fn participants(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<(Vec<Uuid>, Vec<Uuid>)> {
    let enterprises = project_enterprise::Entity::find()
        .filter(project_enterprise::Column::ProjectId.eq(id))
        .all(conn)
        .await?
        .into_iter()
        .map(|link| link.enterprise_id)
        .collect();
    let institutions = project_institution::Entity::find()
        .filter(project_institution::Column::ProjectId.eq(id))
        .all(conn)
        .await?
        .into_iter()
        .map(|link| link.institution_id)
        .collect();
    Ok((enterprises, institutions))
}

/// One live project with its participants, or `None` if it does not exist or is archived.
pub async fn project(db: &DatabaseConnection, id: Uuid) -> AppResult<Option<(project::Model, ProjectInput)>> {
    let Some(model) = project::Entity::find_by_id(id).filter(project::Column::ArchivedAt.is_null()).one(db).await?
    else {
        return Ok(None);
    };
    let (enterprises, institutions) = participants(db, id).await?;
    Ok(Some((model.clone(), input(model, enterprises, institutions)?)))
}
