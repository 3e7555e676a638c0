//! The change feed: how every process sharing a database learns of every committed write.
//!
//! A writer appends its change to `change_feed` in the SAME transaction as the write
//! ([`record`]); on PostgreSQL it first takes a transaction-scoped advisory lock, so feed rows
//! get their sequence numbers in commit order, and `NOTIFY`s the channel (delivered at commit).
//! After the commit it waits until its own process has applied the change
//! ([`Changes::committed`]), so a client reads its own write from any list or graph query.
//!
//! Each server process runs ONE feed task ([`Changes::spawn`]) that reads the feed past the
//! last sequence number it applied, in order, applies each change to its graph index (a
//! project re-read with its participants, or the committed project of a status change; a
//! changed enterprise or institution rebuilds the index) and then tells its subscribers
//! (`projectUpdated`, `recordsChanged`). It reads when notified, when its own writers poke
//! it, and every few seconds regardless; after a dropped listener connection it reconnects
//! and catches up from the table. Nothing is missed (the table is the truth, the notification
//! only a hint) and nothing is applied twice (the applied sequence number only grows). A gap
//! in the sequence the process cannot account for (rows pruned while it was away) rebuilds
//! its index. Rows older than [`RETENTION`] are pruned (the newest row always stays).
//!
//! SQLite is the single-process embedded default: the same table and task, poked in process.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use tokio::sync::{Notify, broadcast, watch};
use uuid::Uuid;

use crate::{
    entity::{change_feed, project},
    error::{AppError, AppResult},
    graph::GraphIndex,
    ids::NodeKind,
};

/// The PostgreSQL notification channel of the feed.
pub const CHANNEL: &str = "lianqiao_changes";
/// How long feed rows are kept.
pub const RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// How often the feed is read without a notification (a safety net, and SQLite's way to see
/// another process's writes).
const POLL: Duration = Duration::from_secs(2);
/// How long a writer waits for its own process to apply its change before answering anyway.
const APPLY_WAIT: Duration = Duration::from_secs(5);
/// A change listing more records is stored without the list (subscribers hear `truncated`).
const MAX_LISTED: usize = 1_000;
/// Re-reading more projects than this one by one is slower than rebuilding the index.
const MAX_REREAD: usize = 500;
/// Feed rows applied per read.
const PAGE: u64 = 500;
/// The advisory lock that orders feed rows on PostgreSQL (any constant; "LQ feed").
const ORDER_LOCK: i64 = 0x4c51_4645_4544;

/// A project as stored after a change, sent to `projectUpdated` subscribers.
#[derive(Debug, Clone)]
pub struct ProjectEvent(pub project::Model);

/// Records of one type that were created, edited, archived or restored (committed), sent to
/// `recordsChanged` subscribers. `ids` is empty when `truncated`.
#[derive(Debug, Clone)]
pub struct RecordsEvent {
    pub seq: i64,
    pub kind: NodeKind,
    pub ids: Vec<Uuid>,
    pub truncated: bool,
}

/// A committed write, as a writer records it.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// Records of one type were created, edited, archived, restored, imported or reverted.
    Records(NodeKind, &'a [Uuid]),
    /// A project's status or progress changed; this is the row as committed.
    Project(&'a project::Model),
}

/// A change appended to the feed in a transaction; pass it to [`Changes::committed`] after the
/// commit.
#[derive(Debug, Clone, Copy)]
#[must_use = "wait for the change after the commit"]
pub struct Recorded(i64);

/// Appends `change` to the feed inside the writer's transaction `conn`.
/// A change of no records is not recorded.
pub async fn record(conn: &impl ConnectionTrait, change: Change<'_>) -> AppResult<Recorded> {
    if matches!(change, Change::Records(_, [])) {
        return Ok(Recorded(0));
    }
    let backend = conn.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        conn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT pg_advisory_xact_lock($1)",
            [ORDER_LOCK.into()],
        ))
        .await?;
    }
    let (kind, ids, project) = match change {
        Change::Records(kind, ids) => (kind, ids.to_vec(), None),
        Change::Project(model) => (
            NodeKind::Project,
            vec![model.id],
            Some(serde_json::to_string(model).map_err(|error| AppError::internal(error.to_string()))?),
        ),
    };
    let record_ids = (ids.len() <= MAX_LISTED)
        .then(|| serde_json::to_string(&ids).map_err(|error| AppError::internal(error.to_string())))
        .transpose()?;
    let row = change_feed::ActiveModel {
        record_type: Set(kind.type_name().to_owned()),
        record_ids: Set(record_ids),
        project: Set(project),
        committed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if backend == DatabaseBackend::Postgres {
        conn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), row.seq.to_string().into()],
        ))
        .await?;
    }
    Ok(Recorded(row.seq))
}

/// The newest feed row's sequence number (0 when the feed is empty): where a process that
/// builds its index now starts applying.
pub async fn latest(db: &DatabaseConnection) -> AppResult<i64> {
    let newest = change_feed::Entity::find()
        .select_only()
        .column(change_feed::Column::Seq)
        .order_by_desc(change_feed::Column::Seq)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(newest.unwrap_or(0))
}

struct Inner {
    /// Unset for a process without an index (the command line).
    graph: Option<Arc<GraphIndex>>,
    projects: broadcast::Sender<ProjectEvent>,
    records: broadcast::Sender<RecordsEvent>,
    /// The last sequence number applied.
    applied: watch::Sender<i64>,
    /// Wakes the feed task (a writer of this process committed).
    poke: Notify,
    /// Whether the feed is being followed: the listener is connected (PostgreSQL) and the
    /// last read succeeded.
    following: AtomicBool,
}

/// The feed as one process follows it, and the channels its subscribers listen on.
#[derive(Clone)]
pub struct Changes(Arc<Inner>);

impl Changes {
    /// For a process whose index holds every change up to `applied`.
    pub fn new(graph: Arc<GraphIndex>, applied: i64) -> Self {
        Self::with_graph(Some(graph), applied)
    }

    /// For a process that keeps no index and has no subscribers (the command line): it
    /// records changes for the servers and waits for nothing.
    pub fn detached() -> Self {
        Self::with_graph(None, 0)
    }

    fn with_graph(graph: Option<Arc<GraphIndex>>, applied: i64) -> Self {
        Self(Arc::new(Inner {
            graph,
            projects: broadcast::channel(1_024).0,
            records: broadcast::channel(1_024).0,
            applied: watch::channel(applied).0,
            poke: Notify::new(),
            following: AtomicBool::new(false),
        }))
    }

    /// After the commit of a transaction that recorded a change: waits (a few seconds at
    /// most) until this process applied it, so the writer's answer and its next reads agree.
    pub async fn committed(&self, recorded: Recorded) {
        if self.0.graph.is_none() {
            return;
        }
        self.0.poke.notify_one();
        let mut applied = self.0.applied.subscribe();
        if tokio::time::timeout(APPLY_WAIT, applied.wait_for(|seq| *seq >= recorded.0)).await.is_err() {
            tracing::warn!(seq = recorded.0, "a committed change was not applied in time; it will be");
        }
    }

    /// The last sequence number this process applied.
    pub fn applied(&self) -> i64 {
        *self.0.applied.borrow()
    }

    /// Whether the feed is being followed (for `/readyz`).
    pub fn is_following(&self) -> bool {
        self.0.graph.is_none() || self.0.following.load(Ordering::Acquire)
    }

    /// Committed changes of any record type from now on, in commit order.
    pub fn subscribe_records(&self) -> broadcast::Receiver<RecordsEvent> {
        self.0.records.subscribe()
    }

    /// Committed project changes from now on, in commit order.
    pub fn subscribe(&self) -> broadcast::Receiver<ProjectEvent> {
        self.0.projects.subscribe()
    }

    /// Starts the feed task of this process.
    pub fn spawn(&self, db: DatabaseConnection) -> tokio::task::JoinHandle<()> {
        let changes = self.clone();
        tokio::spawn(async move { changes.follow(db).await })
    }

    async fn follow(&self, db: DatabaseConnection) {
        let mut pruned_at = tokio::time::Instant::now();
        loop {
            let mut listener = match db.get_database_backend() {
                DatabaseBackend::Postgres => match listen(&db).await {
                    Ok(listener) => Some(listener),
                    Err(error) => {
                        self.0.following.store(false, Ordering::Release);
                        tracing::warn!(%error, "cannot listen to the change feed; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                },
                _ => None,
            };
            // Connected (again): catch up on what was committed meanwhile, then follow.
            loop {
                let read = self.catch_up(&db).await;
                self.0.following.store(read.is_ok(), Ordering::Release);
                if let Err(error) = read {
                    tracing::warn!(?error, "cannot read the change feed; retrying");
                }
                if pruned_at.elapsed() > Duration::from_secs(3600) {
                    pruned_at = tokio::time::Instant::now();
                    if let Err(error) = prune(&db, RETENTION).await {
                        tracing::warn!(?error, "cannot prune the change feed");
                    }
                }
                let wait = if self.0.following.load(Ordering::Acquire) { POLL } else { Duration::from_secs(1) };
                let lost = match &mut listener {
                    Some(listener) => tokio::select! {
                        notified = listener.try_recv() => !matches!(notified, Ok(Some(_))),
                        () = self.0.poke.notified() => false,
                        () = tokio::time::sleep(wait) => false,
                    },
                    None => {
                        tokio::select! {
                            () = self.0.poke.notified() => {},
                            () = tokio::time::sleep(wait) => {},
                        }
                        false
                    }
                };
                if lost {
                    // Notifications may have been missed: reconnect, then read the table.
                    self.0.following.store(false, Ordering::Release);
                    tracing::warn!("the change feed's listener connection was lost; reconnecting");
                    break;
                }
            }
        }
    }

    /// Applies every feed row past the last applied one, in order.
    async fn catch_up(&self, db: &DatabaseConnection) -> AppResult<()> {
        let Some(graph) = &self.0.graph else { return Ok(()) };
        loop {
            let last = self.applied();
            let rows = change_feed::Entity::find()
                .filter(change_feed::Column::Seq.gt(last))
                .order_by_asc(change_feed::Column::Seq)
                .limit(PAGE)
                .all(db)
                .await?;
            let Some(newest) = rows.last().map(|row| row.seq) else { return Ok(()) };
            // A gap before the first row: rows this process never saw were pruned (or a
            // transaction rolled back after taking a number). Rebuilding covers both.
            let mut rebuild = rows[0].seq > last + 1;
            let mut events = Vec::with_capacity(rows.len());
            for row in rows {
                let Some(kind) = NodeKind::from_type_name(&row.record_type) else { continue };
                let ids: Option<Vec<Uuid>> = row.record_ids.as_deref().and_then(|ids| serde_json::from_str(ids).ok());
                let mut projects = Vec::new();
                match (kind, &row.project, &ids) {
                    (NodeKind::Project, Some(json), _) => {
                        let model: project::Model =
                            serde_json::from_str(json).map_err(|error| AppError::internal(error.to_string()))?;
                        graph.update_project(&model);
                        projects.push(model);
                    }
                    (NodeKind::Project, None, Some(ids)) if ids.len() <= MAX_REREAD => {
                        for id in ids {
                            projects.extend(graph.reload_project(db, *id).await?);
                        }
                    }
                    (NodeKind::Project | NodeKind::Enterprise | NodeKind::Institution, ..) => rebuild = true,
                    _ => {}
                }
                let truncated = ids.is_none();
                events.push((projects, RecordsEvent { seq: row.seq, kind, ids: ids.unwrap_or_default(), truncated }));
            }
            if rebuild {
                graph.reload(db).await?;
            }
            // No subscriber is not an error.
            for (projects, records) in events {
                for model in projects {
                    let _ = self.0.projects.send(ProjectEvent(model));
                }
                let _ = self.0.records.send(records);
            }
            self.0.applied.send_replace(newest);
        }
    }
}

/// A connection listening on the feed's channel.
async fn listen(db: &DatabaseConnection) -> Result<sea_orm::sqlx::postgres::PgListener, sea_orm::sqlx::Error> {
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(db.get_postgres_connection_pool()).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Deletes feed rows older than `retention`, except the newest row (which tells a process
/// that starts where the feed stands).
pub async fn prune(db: &DatabaseConnection, retention: Duration) -> AppResult<u64> {
    let newest = latest(db).await?;
    let cutoff = Utc::now() - chrono::Duration::from_std(retention).unwrap_or(chrono::Duration::MAX);
    let deleted = change_feed::Entity::delete_many()
        .filter(change_feed::Column::CommittedAt.lt(cutoff))
        .filter(change_feed::Column::Seq.lt(newest))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}
