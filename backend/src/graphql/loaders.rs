//! Request-scoped loaders: one for every relation followed through link tables, one per
//! entity by ID. A page of N rows with nested relations costs a fixed number of SQL
//! statements, not N (see `batch` for how batches are cut).

use std::{collections::HashMap, sync::Arc};

use async_graphql::Context;
use futures_util::{FutureExt, future::BoxFuture};
use sea_orm::{DatabaseConnection, EntityTrait, Order};
use uuid::Uuid;

use super::batch::{Batcher, Flush, flush_all};
use crate::{
    entity::{
        chain_segment, employment_need, employment_placement, enterprise, industry_chain, institution, project,
        status_change, training_session,
    },
    error::{AppError, AppResult, IntoGraphqlResult},
    graph::{GraphIndex, Side},
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
    NeedPlacements,
}

impl Relation {
    /// Follows the relation for many keys at once, each key's linked IDs in the relation's
    /// order. Links between projects and their participants come from the graph index (which
    /// every change to a project updates); the others take one SQL statement.
    pub async fn follow(
        self,
        db: &DatabaseConnection,
        graph: &GraphIndex,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Vec<Uuid>>> {
        let sql = |table, key, value, target, order| Link { table, key, value, target, order };
        let link = match self {
            Self::EnterpriseProjects | Self::InstitutionProjects => return Ok(graph.read().projects_of_nodes(keys)),
            Self::ProjectEnterprises => return Ok(graph.read().participants_of_projects(keys, Side::Enterprise)),
            Self::ProjectInstitutions => return Ok(graph.read().participants_of_projects(keys, Side::Institution)),
            Self::ProjectHistory => sql(
                "project_status_history",
                "project_id",
                "id",
                "project_status_history",
                &[("changed_at", Order::Asc)],
            ),
            Self::EnterpriseSegments => {
                sql("enterprise_segments", "enterprise_id", "segment_id", "chain_segments", &[("position", Order::Asc)])
            }
            Self::SegmentEnterprises => {
                sql("enterprise_segments", "segment_id", "enterprise_id", "enterprises", &[("name", Order::Asc)])
            }
            Self::ChainSegments => {
                sql("chain_segments", "chain_id", "id", "chain_segments", &[("position", Order::Asc)])
            }
            Self::EnterpriseNeeds => {
                sql("employment_needs", "enterprise_id", "id", "employment_needs", &[("year", Order::Asc)])
            }
            Self::NeedPlacements => {
                sql("employment_placements", "need_id", "id", "employment_placements", &[("placed_on", Order::Asc)])
            }
        };
        list::follow(db, link, keys).await
    }
}

/// Follows many keys of possibly different relations: at most one statement per relation
/// (none for the links the graph index holds).
fn relation_batcher(db: DatabaseConnection, graph: Arc<GraphIndex>) -> Batcher<(Relation, Uuid), Vec<Uuid>> {
    Batcher::new(Arc::new(move |keys: Vec<(Relation, Uuid)>| {
        let db = db.clone();
        let graph = graph.clone();
        async move {
            let mut by_relation: HashMap<Relation, Vec<Uuid>> = HashMap::new();
            for (relation, id) in keys {
                by_relation.entry(relation).or_default().push(id);
            }
            let mut result = HashMap::new();
            for (relation, ids) in by_relation {
                let linked = relation.follow(&db, &graph, &ids).await.graphql()?;
                for id in ids {
                    result.insert((relation, id), linked.get(&id).cloned().unwrap_or_default());
                }
            }
            Ok(result)
        }
        .boxed()
    }))
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

keyed!(
    chain_segment,
    employment_need,
    employment_placement,
    enterprise,
    industry_chain,
    institution,
    project,
    status_change,
    training_session
);

fn by_id_batcher<E>(db: DatabaseConnection) -> Batcher<Uuid, E::Model>
where
    E: Keyed + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    Batcher::new(Arc::new(move |keys: Vec<Uuid>| {
        let db = db.clone();
        async move { list::by_ids::<E>(&db, E::id_column(), &keys, E::key).await.graphql() }.boxed()
    }))
}

/// The loaders of one request.
pub struct RequestLoaders {
    relations: Batcher<(Relation, Uuid), Vec<Uuid>>,
    chains: Batcher<Uuid, industry_chain::Model>,
    segments: Batcher<Uuid, chain_segment::Model>,
    enterprises: Batcher<Uuid, enterprise::Model>,
    institutions: Batcher<Uuid, institution::Model>,
    projects: Batcher<Uuid, project::Model>,
    history: Batcher<Uuid, status_change::Model>,
    needs: Batcher<Uuid, employment_need::Model>,
    placements: Batcher<Uuid, employment_placement::Model>,
    trainings: Batcher<Uuid, training_session::Model>,
}

/// Gives access to the by-ID loader of an entity type.
pub trait LoaderFor<E: Keyed> {
    fn loader(&self) -> &Batcher<Uuid, E::Model>;
}

macro_rules! loader_for {
    ($($module:ident => $field:ident),+) => {$(
        impl LoaderFor<$module::Entity> for RequestLoaders {
            fn loader(&self) -> &Batcher<Uuid, $module::Model> {
                &self.$field
            }
        }
    )+};
}

loader_for!(
    industry_chain => chains,
    chain_segment => segments,
    enterprise => enterprises,
    institution => institutions,
    project => projects,
    status_change => history,
    employment_need => needs,
    employment_placement => placements,
    training_session => trainings
);

impl Flush for RequestLoaders {
    fn flush(&self) -> Vec<BoxFuture<'static, ()>> {
        flush_all([
            self.relations.take_batch(),
            self.chains.take_batch(),
            self.segments.take_batch(),
            self.enterprises.take_batch(),
            self.institutions.take_batch(),
            self.projects.take_batch(),
            self.history.take_batch(),
            self.needs.take_batch(),
            self.placements.take_batch(),
            self.trainings.take_batch(),
        ])
    }

    fn forget(&self) {
        self.relations.forget();
        self.chains.forget();
        self.segments.forget();
        self.enterprises.forget();
        self.institutions.forget();
        self.projects.forget();
        self.history.forget();
        self.needs.forget();
        self.placements.forget();
        self.trainings.forget();
    }
}

impl RequestLoaders {
    pub fn new(db: DatabaseConnection, graph: Arc<GraphIndex>) -> Self {
        Self {
            relations: relation_batcher(db.clone(), graph),
            chains: by_id_batcher::<industry_chain::Entity>(db.clone()),
            segments: by_id_batcher::<chain_segment::Entity>(db.clone()),
            enterprises: by_id_batcher::<enterprise::Entity>(db.clone()),
            institutions: by_id_batcher::<institution::Entity>(db.clone()),
            projects: by_id_batcher::<project::Entity>(db.clone()),
            history: by_id_batcher::<status_change::Entity>(db.clone()),
            needs: by_id_batcher::<employment_need::Entity>(db.clone()),
            placements: by_id_batcher::<employment_placement::Entity>(db.clone()),
            trainings: by_id_batcher::<training_session::Entity>(db),
        }
    }

    /// The IDs linked to `id` through `relation`, in the relation's order.
    pub async fn linked(&self, relation: Relation, id: Uuid) -> async_graphql::Result<Vec<Uuid>> {
        Ok(self.relations.load((relation, id)).await?.unwrap_or_default())
    }

    /// Loads models by ID, keeping the order of `ids` and skipping IDs that no longer exist.
    pub async fn many<E>(&self, ids: &[Uuid]) -> async_graphql::Result<Vec<E::Model>>
    where
        E: Keyed,
        E::Model: Clone + Send + 'static,
        Self: LoaderFor<E>,
    {
        let loads = ids.iter().map(|id| LoaderFor::<E>::loader(self).load(*id));
        let found = futures_util::future::try_join_all(loads).await?;
        Ok(found.into_iter().flatten().collect())
    }

    /// Loads one model by ID.
    pub async fn one<E>(&self, id: Uuid) -> async_graphql::Result<Option<E::Model>>
    where
        E: Keyed,
        E::Model: Clone + Send + 'static,
        Self: LoaderFor<E>,
    {
        LoaderFor::<E>::loader(self).load(id).await
    }
}

/// The loaders of the current request. Subscription events have none: their relations
/// cannot be followed (they report an error instead).
pub fn loaders<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a RequestLoaders> {
    Ok(ctx.data::<Arc<RequestLoaders>>()?.as_ref())
}

/// Turns a missing referenced record into an internal error (it means broken integrity).
pub fn required<T>(value: Option<T>, what: &'static str) -> async_graphql::Result<T> {
    value.ok_or_else(|| {
        AppError::Database(sea_orm::DbErr::RecordNotFound(format!("referenced {what} is missing"))).into()
    })
}
