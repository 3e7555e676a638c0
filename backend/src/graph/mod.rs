//! The in-process cooperation graph index: built at start-up from the database, updated in
//! place when projects change, queried without going to the database. Heavy computations
//! (betweenness, communities) run on the blocking pool and are cached per data version and
//! filter.

pub mod aggregate;
pub mod algorithms;
pub mod chain;
mod data;
pub mod filter;
mod load;
pub mod select;

pub use load::participants as project_participants;
pub mod timeline;
pub mod view;

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, RwLock, RwLockReadGuard,
        atomic::{AtomicU64, Ordering},
    },
};

pub use data::{GraphData, Node, ProjectInput, ProjectRecord, Side};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    filter::{Dimension, Group},
};
use algorithms::Metrics;
use filter::CompiledFilter;
use view::Subgraph;

/// How many filtered whole-graph metric sets are kept.
const CACHED_METRICS: usize = 32;

/// A filtered whole graph with its metrics.
pub type WholeGraph = (Subgraph, Metrics);

/// How long a computation over the index may take before its request is answered without it.
pub const COMPUTE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

/// Results computed from the index, by key, with the data version they were computed for.
type Cache<T> = Mutex<HashMap<String, (u64, Arc<T>)>>;

/// The shared index.
#[derive(Default)]
pub struct GraphIndex {
    data: RwLock<GraphData>,
    version: AtomicU64,
    metrics: Cache<WholeGraph>,
    counts: Cache<Vec<Group>>,
    /// The city's coverage and the version it was counted at.
    city: Mutex<Option<(u64, f64)>>,
}

impl GraphIndex {
    /// Builds the index from the database.
    pub async fn load(db: &DatabaseConnection) -> AppResult<Arc<Self>> {
        let data = load::load(db).await?;
        Ok(Arc::new(Self { data: RwLock::new(data), ..Self::default() }))
    }

    /// An index over data built in memory (tests).
    pub fn from_data(data: GraphData) -> Arc<Self> {
        Arc::new(Self { data: RwLock::new(data), ..Self::default() })
    }

    /// Read access to the data.
    pub fn read(&self) -> RwLockReadGuard<'_, GraphData> {
        self.data.read().expect("graph lock")
    }

    /// The data version; it changes with every update.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    fn changed(&self) {
        self.version.fetch_add(1, Ordering::AcqRel);
        self.metrics.lock().expect("cache lock").clear();
        self.counts.lock().expect("cache lock").clear();
    }

    /// Applies a project's committed status and dates, unless the index holds a newer version.
    pub fn update_project(&self, project: &crate::entity::project::Model) {
        let status = shared::ProjectStatus::from_code(&project.status);
        if let Some(status) = status {
            let applied = self.data.write().expect("graph lock").apply_committed(
                project.id,
                project.version,
                status,
                project.start_date,
                project.end_date,
            );
            if applied {
                self.changed();
            }
        }
    }

    /// Adds or replaces a project with its participants.
    pub fn upsert_project(&self, project: ProjectInput) {
        self.data.write().expect("graph lock").upsert_project(project);
        self.changed();
    }

    /// Removes a project.
    pub fn remove_project(&self, id: Uuid) {
        if self.data.write().expect("graph lock").remove_project(id) {
            self.changed();
        }
    }

    /// Re-reads one project from the database (after it was added, changed, archived or
    /// restored there); returns it as stored when it is live.
    pub async fn reload_project(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
    ) -> AppResult<Option<crate::entity::project::Model>> {
        match load::project(db, id).await? {
            Some((model, project)) => {
                self.upsert_project(project);
                Ok(Some(model))
            }
            None => {
                self.remove_project(id);
                Ok(None)
            }
        }
    }

    /// Rebuilds the whole index from the database and swaps it in (after enterprises or
    /// institutions changed); readers keep the old data until the swap.
    pub async fn reload(&self, db: &DatabaseConnection) -> AppResult<()> {
        let data = load::load(db).await?;
        *self.data.write().expect("graph lock") = data;
        self.changed();
        Ok(())
    }

    /// Runs a computation over the data on the blocking pool, so that it never holds up an
    /// async worker, and answers within [`COMPUTE_DEADLINE`].
    pub async fn compute<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&GraphData) -> T + Send + 'static,
    ) -> AppResult<T> {
        self.compute_within(COMPUTE_DEADLINE, work).await
    }

    /// [`GraphIndex::compute`] with a deadline of its own: past it the caller gets
    /// `BAD_USER_INPUT` (narrow the request); the computation, bounded by the inputs' limits,
    /// finishes on its thread and is dropped.
    pub async fn compute_within<T: Send + 'static>(
        self: &Arc<Self>,
        deadline: std::time::Duration,
        work: impl FnOnce(&GraphData) -> T + Send + 'static,
    ) -> AppResult<T> {
        let index = self.clone();
        let task = tokio::task::spawn_blocking(move || work(&index.read()));
        match tokio::time::timeout(deadline, task).await {
            Ok(done) => done.map_err(|error| AppError::internal(format!("graph task failed: {error}"))),
            Err(_) => Err(AppError::bad_input(
                shared::ErrorCode::BadUserInput,
                format!("this computation takes longer than {} s; narrow the filter or the depth", deadline.as_secs()),
            )),
        }
    }

    /// Project counts grouped by `dimensions` of the projects passing `test` (all without
    /// one), with distinct participants when asked (see `aggregate`); the counts of all
    /// projects are cached per data version.
    pub async fn project_counts(
        self: &Arc<Self>,
        dimensions: Vec<Dimension>,
        test: Option<select::ProjectTest>,
        participants: bool,
    ) -> AppResult<Arc<Vec<Group>>> {
        let cached = test.is_none();
        let key = format!("{dimensions:?} {participants}");
        let version = self.version();
        if cached
            && let Some((cached_version, groups)) = self.counts.lock().expect("cache lock").get(&key)
            && *cached_version == version
        {
            return Ok(groups.clone());
        }
        let groups = Arc::new(
            self.compute(move |data| aggregate::project_counts(data, &dimensions, test.as_ref(), participants)).await?,
        );
        if cached {
            self.counts.lock().expect("cache lock").insert(key, (version, groups.clone()));
        }
        Ok(groups)
    }

    /// The city's coverage (`chain::city_coverage`), counted once per data version: every
    /// chain's analysis judges its gaps against it (the chain list asks for all of them).
    pub async fn city_coverage(self: &Arc<Self>) -> AppResult<f64> {
        let version = self.version();
        if let Some((counted, coverage)) = *self.city.lock().expect("cache lock")
            && counted == version
        {
            return Ok(coverage);
        }
        let coverage = self.compute(chain::city_coverage).await?;
        *self.city.lock().expect("cache lock") = Some((version, coverage));
        Ok(coverage)
    }

    /// The filtered whole graph with its metrics, cached per version and filter.
    pub async fn whole_with_metrics(
        self: &Arc<Self>,
        filter: CompiledFilter,
        heavy: bool,
    ) -> AppResult<Arc<WholeGraph>> {
        let key = format!("{heavy}:{}", filter.cache_key());
        let version = self.version();
        if let Some((cached_version, cached)) = self.metrics.lock().expect("cache lock").get(&key)
            && *cached_version == version
        {
            return Ok(cached.clone());
        }
        let result = Arc::new(
            self.compute(move |data| {
                let subgraph = view::whole(data, &filter);
                let metrics = algorithms::metrics(&subgraph, heavy);
                (subgraph, metrics)
            })
            .await?,
        );
        let mut cache = self.metrics.lock().expect("cache lock");
        if cache.len() >= CACHED_METRICS {
            cache.clear();
        }
        cache.insert(key, (version, result.clone()));
        Ok(result)
    }
}

#[cfg(test)]
mod tests;
