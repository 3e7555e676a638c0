//! What follows a commit. The services that change records call [`Changes`] after their
//! transaction commits: it brings the graph index up to date and announces the change to live
//! subscribers (`projectUpdated`, and `recordsChanged` for every record type), so no resolver or handler has post-commit work of its own.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::{entity::project, graph::GraphIndex, ids::NodeKind};

/// A project as stored after a change, sent to `projectUpdated` subscribers.
#[derive(Debug, Clone)]
pub struct ProjectEvent(pub project::Model);

/// Records of one type that were created, edited, archived or restored (committed), sent to
/// `recordsChanged` subscribers.
#[derive(Debug, Clone)]
pub struct RecordsEvent {
    pub kind: NodeKind,
    pub ids: Vec<Uuid>,
}

/// The index the services keep current and the channels they announce changes on.
#[derive(Clone)]
pub struct Changes {
    /// Unset for a process without an index (the command line).
    graph: Option<Arc<GraphIndex>>,
    projects: broadcast::Sender<ProjectEvent>,
    records: broadcast::Sender<RecordsEvent>,
}

impl Changes {
    pub fn new(graph: Arc<GraphIndex>) -> Self {
        Self { graph: Some(graph), projects: broadcast::channel(256).0, records: broadcast::channel(256).0 }
    }

    /// For a process that keeps no index and has no subscribers (the command line).
    pub fn detached() -> Self {
        Self { graph: None, projects: broadcast::channel(1).0, records: broadcast::channel(1).0 }
    }

    /// A project was committed as `project`: the index follows and subscribers hear of it.
    pub fn project_changed(&self, project: &project::Model) {
        if let Some(graph) = &self.graph {
            graph.update_project(project);
        }
        // No subscriber is not an error.
        let _ = self.projects.send(ProjectEvent(project.clone()));
    }

    /// Records of `kind` were created, edited, archived or restored (committed): the index
    /// follows — a project is re-read with its participants, a changed enterprise or
    /// institution rebuilds the index — and project subscribers hear of projects. A failure to
    /// re-read is logged: the write stands, and the next rebuild catches up.
    pub async fn records_changed(&self, db: &DatabaseConnection, kind: NodeKind, ids: &[Uuid]) {
        let Some(graph) = &self.graph else { return };
        // No subscriber is not an error.
        let _ = self.records.send(RecordsEvent { kind, ids: ids.to_vec() });
        let result = match kind {
            // Re-reading many projects one by one is slower than rebuilding.
            NodeKind::Project if ids.len() > 500 => graph.reload(db).await,
            NodeKind::Project => self.projects_reloaded(graph, db, ids).await,
            NodeKind::Enterprise | NodeKind::Institution => graph.reload(db).await,
            _ => Ok(()),
        };
        if let Err(error) = result {
            tracing::error!(?error, ?kind, "the graph index could not follow a change");
        }
    }

    async fn projects_reloaded(
        &self,
        graph: &GraphIndex,
        db: &DatabaseConnection,
        ids: &[Uuid],
    ) -> crate::error::AppResult<()> {
        for id in ids {
            if let Some(model) = graph.reload_project(db, *id).await? {
                let _ = self.projects.send(ProjectEvent(model));
            }
        }
        Ok(())
    }

    /// Committed changes of any record type from now on.
    pub fn subscribe_records(&self) -> broadcast::Receiver<RecordsEvent> {
        self.records.subscribe()
    }

    /// Committed project changes from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ProjectEvent> {
        self.projects.subscribe()
    }
}
