//! What follows a commit. The services that change records call [`Changes`] after their
//! transaction commits: it brings the graph index up to date and announces the change to live
//! subscribers, so no resolver or handler has post-commit work of its own.

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::{entity::project, graph::GraphIndex};

/// A project as stored after a change, sent to `projectUpdated` subscribers.
#[derive(Debug, Clone)]
pub struct ProjectEvent(pub project::Model);

/// The index the services keep current and the channel they announce changes on.
#[derive(Clone)]
pub struct Changes {
    graph: Arc<GraphIndex>,
    projects: broadcast::Sender<ProjectEvent>,
}

impl Changes {
    pub fn new(graph: Arc<GraphIndex>) -> Self {
        Self { graph, projects: broadcast::channel(256).0 }
    }

    /// A project was committed as `project`: the index follows and subscribers hear of it.
    pub fn project_changed(&self, project: &project::Model) {
        self.graph.update_project(project);
        // No subscriber is not an error.
        let _ = self.projects.send(ProjectEvent(project.clone()));
    }

    /// Committed project changes from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ProjectEvent> {
        self.projects.subscribe()
    }
}
