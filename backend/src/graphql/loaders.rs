//! DataLoaders: one loader for every "links" relation and one per entity by ID, created per
//! request, so that a page of N rows with nested relations costs a fixed number of SQL
//! statements, not N.

use std::{collections::HashMap, marker::PhantomData};

use async_graphql::{Context, dataloader::{DataLoader, Loader}};
use sea_orm::{DatabaseConnection, EntityTrait, Order};
use uuid::Uuid;

use crate::{
    entity::{chain_segment, employment_need, enterprise, industry_chain, institution, project, status_change, training_session},
    error::{AppError, IntoGraphqlResult},
    service::list::{self, Link},
};

/// The relations followed through link tables or references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    EnterpriseProjects,
    InstitutionProjects,
    ProjectEnterprises,
    ProjectInstitutions,
    ProjectHistory,
    EnterpriseSegments,
    SegmentEnterprises,
    ChainSegments,
    EnterpriseNeeds,
}

impl Relation {
    fn link(self) -> Link {
        const NEWEST_FIRST: &[(&str, Order)] = &[("start_date", Order::Desc)];
        const BY_NAME: &[(&str, Order)] = &[("name", Order::Asc)];
        match self {
            Self::EnterpriseProjects => Link { table: "project_enterprises", key: "enterprise_id", value: "project_id", target: "projects", order: NEWEST_FIRST },
            Self::InstitutionProjects => Link { table: "project_institutions", key: "institution_id", value: "project_id", target: "projects", order: NEWEST_FIRST },
            Self::ProjectEnterprises => Link { table: "project_enterprises", key: "project_id", value: "enterprise_id", target: "enterprises", order: BY_NAME },
            Self::ProjectInstitutions => Link { table: "project_institutions", key: "project_id", value: "institution_id", target: "institutions", order: BY_NAME },
            Self::ProjectHistory => Link { table: "project_status_history", key: "project_id", value: "id", target: "project_status_history", order: &[("changed_at", Order::Asc)] },
            Self::EnterpriseSegments => Link { table: "enterprise_segments", key: "enterprise_id", value: "segment_id", target: "chain_segments", order: &[("position", Order::Asc)] },
            Self::SegmentEnterprises => Link { table: "enterprise_segments", key: "segment_id", value: "enterprise_id", target: "enterprises", order: BY_NAME },
            Self::ChainSegments => Link { table: "chain_segments", key: "chain_id", value: "id", target: "chain_segments", order: &[("position", Order::Asc)] },
            Self::EnterpriseNeeds => Link { table: "employment_needs", key: "enterprise_id", value: "id", target: "employment_needs", order: &[("year", Order::Asc)] },
        }
    }
}

/// Loads the linked IDs of many keys of one relation in one statement.
pub struct RelationLoader {
    db: DatabaseConnection,
}

impl Loader<(Relation, Uuid)> for RelationLoader {
    type Value = Vec<Uuid>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[(Relation, Uuid)]) -> Result<HashMap<(Relation, Uuid), Vec<Uuid>>, Self::Error> {
        let mut by_relation: HashMap<Relation, Vec<Uuid>> = HashMap::new();
        for (relation, id) in keys {
            by_relation.entry(*relation).or_default().push(*id);
        }
        let mut result = HashMap::new();
        for (relation, ids) in by_relation {
            let linked = list::follow(&self.db, relation.link(), &ids).await.graphql()?;
            for id in ids {
                result.insert((relation, id), linked.get(&id).cloned().unwrap_or_default());
            }
        }
        Ok(result)
    }
}

/// An entity that can be loaded by its UUID primary key.
pub trait Keyed: EntityTrait {
    fn id_column() -> Self::Column;
    fn key(model: &Self::Model) -> Uuid;
}

macro_rules! keyed {
    ($($module:ident),+) => {$(
        impl Keyed for $module::Entity {
            fn id_column() -> Self::Column {
                $module::Column::Id
            }
            fn key(model: &Self::Model) -> Uuid {
                model.id
            }
        }
    )+};
}

keyed!(chain_segment, employment_need, enterprise, industry_chain, institution, project, status_change, training_session);

/// Loads models of one entity by ID.
pub struct ByIdLoader<E> {
    db: DatabaseConnection,
    entity: PhantomData<E>,
}

impl<E> Loader<Uuid> for ByIdLoader<E>
where
    E: Keyed + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, Self::Error> {
        list::by_ids::<E>(&self.db, E::id_column(), keys, E::key).await.graphql()
    }
}

/// The loaders of one request.
pub struct Loaders {
    relations: DataLoader<RelationLoader>,
    db: DatabaseConnection,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { relations: DataLoader::new(RelationLoader { db: db.clone() }, tokio::spawn), db }
    }

    fn by_id<E>(&self) -> DataLoader<ByIdLoader<E>>
    where
        E: Keyed + Send + Sync + 'static,
        E::Model: Clone + Send + Sync + 'static,
    {
        DataLoader::new(ByIdLoader { db: self.db.clone(), entity: PhantomData }, tokio::spawn)
    }
}

/// Per-request loaders, with one by-ID loader per entity type.
pub struct RequestLoaders {
    loaders: Loaders,
    chains: DataLoader<ByIdLoader<industry_chain::Entity>>,
    segments: DataLoader<ByIdLoader<chain_segment::Entity>>,
    enterprises: DataLoader<ByIdLoader<enterprise::Entity>>,
    institutions: DataLoader<ByIdLoader<institution::Entity>>,
    projects: DataLoader<ByIdLoader<project::Entity>>,
    history: DataLoader<ByIdLoader<status_change::Entity>>,
    needs: DataLoader<ByIdLoader<employment_need::Entity>>,
}

/// Gives access to the by-ID loader of an entity type.
pub trait LoaderFor<E: Keyed + Send + Sync + 'static>
where
    E::Model: Clone + Send + Sync + 'static,
{
    fn loader(&self) -> &DataLoader<ByIdLoader<E>>;
}

macro_rules! loader_for {
    ($($module:ident => $field:ident),+) => {$(
        impl LoaderFor<$module::Entity> for RequestLoaders {
            fn loader(&self) -> &DataLoader<ByIdLoader<$module::Entity>> {
                &self.$field
            }
        }
    )+};
}

loader_for!(industry_chain => chains, chain_segment => segments, enterprise => enterprises, institution => institutions, project => projects, status_change => history, employment_need => needs);

impl RequestLoaders {
    pub fn new(db: DatabaseConnection) -> Self {
        let loaders = Loaders::new(db);
        Self {
            chains: loaders.by_id(),
            segments: loaders.by_id(),
            enterprises: loaders.by_id(),
            institutions: loaders.by_id(),
            projects: loaders.by_id(),
            history: loaders.by_id(),
            needs: loaders.by_id(),
            loaders,
        }
    }

    /// The IDs linked to `id` through `relation`, in the relation's order.
    pub async fn linked(&self, relation: Relation, id: Uuid) -> async_graphql::Result<Vec<Uuid>> {
        Ok(self.loaders.relations.load_one((relation, id)).await?.unwrap_or_default())
    }

    /// Loads models by ID, keeping the order of `ids` and skipping IDs that no longer exist.
    pub async fn many<E>(&self, ids: &[Uuid]) -> async_graphql::Result<Vec<E::Model>>
    where
        E: Keyed + Send + Sync + 'static,
        E::Model: Clone + Send + Sync + 'static,
        Self: LoaderFor<E>,
    {
        let found = LoaderFor::<E>::loader(self).load_many(ids.iter().copied()).await?;
        Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
    }

    /// Loads one model by ID.
    pub async fn one<E>(&self, id: Uuid) -> async_graphql::Result<Option<E::Model>>
    where
        E: Keyed + Send + Sync + 'static,
        E::Model: Clone + Send + Sync + 'static,
        Self: LoaderFor<E>,
    {
        LoaderFor::<E>::loader(self).load_one(id).await
    }
}

/// The loaders of the current request.
pub fn loaders<'a>(ctx: &Context<'a>) -> &'a RequestLoaders {
    ctx.data_unchecked::<RequestLoaders>()
}

/// Turns a missing referenced record into an internal error (it means broken integrity).
pub fn required<T>(value: Option<T>, what: &'static str) -> async_graphql::Result<T> {
    value.ok_or_else(|| {
        AppError::Database(sea_orm::DbErr::RecordNotFound(format!("referenced {what} is missing"))).into()
    })
}
