//! The schema is built in ONE place: roots, data and limits. It has no async-graphql
//! extensions (they wrap every field resolution); what the server does around an operation
//! (metrics, root field order, audit log) happens in `execute`, see `operation`.

use std::{sync::Arc, time::Instant};

use async_graphql::{BatchRequest, BatchResponse, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use super::{
    audit,
    batch::Batched,
    loaders::RequestLoaders,
    mutation::{CookiePolicy, Mutation},
    operation::OperationSummary,
    query::Query,
    subscription::Subscription,
};
use crate::{
    auth::{Principal, RequestMeta, rate_limit::LoginLimiter},
    graph::GraphIndex,
    metrics::Metrics,
    service::changes::Changes,
};

/// The schema type of the API.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Deepest selection accepted. The standard introspection query needs 15.
pub const MAX_DEPTH: usize = 16;
/// Highest complexity accepted. A field costs 1; a connection field costs its page size
/// (`first`/`last`, default 20) times its selection. The introspection query needs about 220.
pub const MAX_COMPLEXITY: usize = 50_000;
/// Most aliases one document may use (checked by the HTTP handler).
pub const MAX_ALIASES: usize = 50;

/// Options of the schema that come from the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct SchemaOptions {
    /// Answer introspection queries. When off, field suggestions are off too, so that
    /// "Did you mean ...?" cannot leak the schema.
    pub introspection: bool,
    /// Mark session cookies `Secure`.
    pub secure_cookies: bool,
}

impl Default for SchemaOptions {
    fn default() -> Self {
        Self { introspection: true, secure_cookies: false }
    }
}

fn builder(options: SchemaOptions) -> SchemaBuilder<Query, Mutation, Subscription> {
    let builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(64)
        .limit_directives(16);
    if options.introspection { builder } else { builder.disable_introspection().disable_suggestions() }
}

/// Builds the schema with the database connection, the graph index and the shared state
/// of mutations.
pub fn build_schema(
    db: DatabaseConnection,
    graph: Arc<GraphIndex>,
    changes: Changes,
    options: SchemaOptions,
) -> AppSchema {
    let limiter = LoginLimiter::for_database(&db);
    builder(options)
        .data(db)
        .data(changes)
        .data(graph)
        .data(limiter)
        .data(CookiePolicy { secure: options.secure_cookies })
        .finish()
}

/// Who runs a request and what it needs around the schema.
pub struct Execution<'a> {
    pub schema: &'a AppSchema,
    pub db: &'a DatabaseConnection,
    pub graph: &'a Arc<GraphIndex>,
    pub metrics: &'a Metrics,
    pub principal: &'a Principal,
    pub meta: &'a RequestMeta,
}

/// Executes a request (or batch), each operation with fresh request-scoped loaders and a
/// batching driver (see `batch`).
pub async fn execute(execution: &Execution<'_>, batch: BatchRequest) -> BatchResponse {
    match batch {
        BatchRequest::Single(request) => BatchResponse::Single(execute_one(execution, request).await),
        BatchRequest::Batch(requests) => {
            let mut responses = Vec::with_capacity(requests.len());
            for request in requests {
                responses.push(execute_one(execution, request).await);
            }
            BatchResponse::Batch(responses)
        }
    }
}

/// Reads the operation a request runs (parsed once: async-graphql keeps the document in the
/// request) and checks the document's aliases.
fn summarise(request: &mut async_graphql::Request) -> Result<Option<OperationSummary>, Box<async_graphql::Response>> {
    let operation_name = request.operation_name.clone();
    let summary = match request.parsed_query() {
        Ok(document) => OperationSummary::of(document, operation_name.as_deref()),
        Err(_) => None,
    };
    if summary.as_ref().is_some_and(|summary| summary.aliases > MAX_ALIASES) {
        let error = async_graphql::ServerError::new(format!("a document may use at most {MAX_ALIASES} aliases"), None);
        return Err(Box::new(async_graphql::Response::from_errors(vec![crate::error::ensure_code(
            error,
            shared::ErrorCode::BadRequest,
        )])));
    }
    Ok(summary)
}

/// Executes one operation: loaders, metrics, root field order, audit log.
pub async fn execute_one(execution: &Execution<'_>, mut request: async_graphql::Request) -> async_graphql::Response {
    let summary = match summarise(&mut request) {
        Ok(summary) => summary,
        Err(response) => return *response,
    };
    let variables = summary.as_ref().filter(|summary| summary.is_mutation).map(|_| request.variables.clone());
    let (request, loaders) = with_request_data(execution, request);
    let started = Instant::now();
    // Tokio's cooperative budget would make resolvers yield with a deferred wake, which looks
    // like quiescence to the batching driver and would cut a level's batch in two.
    let mut response = tokio::task::unconstrained(Batched::new(execution.schema.execute(request), loaders)).await;
    response.errors = one_per_cause(std::mem::take(&mut response.errors));
    let Some(summary) = summary else { return response };
    execution.metrics.observe_operation(summary.name.as_deref(), started.elapsed(), response.errors.is_empty());
    response.data = summary.reorder(std::mem::take(&mut response.data));
    if let Some(variables) = variables {
        audit::record_mutation(execution.db, execution.principal, execution.meta, &summary, variables, &response).await;
    }
    response
}

/// One error per cause: a column the caller may not read, asked for on every row of a page,
/// is reported once (at its first row, with `extensions.rows`: how many rows it hid), not once
/// per row — a BI connector reading `errors` sees one.
fn one_per_cause(errors: Vec<async_graphql::ServerError>) -> Vec<async_graphql::ServerError> {
    if errors.len() < 2 {
        return errors;
    }
    let code_of = |error: &async_graphql::ServerError| {
        error.extensions.as_ref().and_then(|extensions| extensions.get("code")).cloned()
    };
    let rights = [shared::ErrorCode::Unauthenticated.as_str(), shared::ErrorCode::Forbidden.as_str()]
        .map(async_graphql::Value::from);
    let mut kept: Vec<(async_graphql::ServerError, usize)> = Vec::with_capacity(errors.len());
    for error in errors {
        let is_right = code_of(&error).is_some_and(|code| rights.contains(&code));
        let same = kept.iter_mut().find(|(seen, _)| {
            is_right
                && seen.message == error.message
                && seen.locations == error.locations
                && code_of(seen) == code_of(&error)
        });
        match same {
            Some((_, count)) => *count += 1,
            None => kept.push((error, 1)),
        }
    }
    kept.into_iter()
        .map(|(mut error, count)| {
            if count > 1 {
                error.extensions.get_or_insert_with(Default::default).set("rows", count as i64);
            }
            error
        })
        .collect()
}

/// The request with what its resolvers read: fresh loaders (returned too, for the batching
/// driver), the caller, the request's metadata, the planner's counters.
fn with_request_data(
    execution: &Execution<'_>,
    request: async_graphql::Request,
) -> (async_graphql::Request, Arc<RequestLoaders>) {
    let loaders = Arc::new(RequestLoaders::new(execution.db.clone(), execution.graph.clone()));
    let request = request
        .data(loaders.clone())
        .data(execution.principal.clone())
        .data(execution.meta.clone())
        .data(execution.metrics.plans());
    (request, loaders)
}

/// A subscription, for a caller on a long-lived connection: the same checks as
/// [`execute_one`], and loaders driven for each event (each event reads afresh).
pub fn subscribe(
    session: &Session,
    mut request: async_graphql::Request,
) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
    use futures_util::StreamExt;
    let summary = match summarise(&mut request) {
        Ok(summary) => summary,
        Err(response) => return futures_util::stream::once(async move { *response }).boxed(),
    };
    if let Some(summary) = &summary {
        session.metrics.count_operation(summary.name.as_deref(), true);
    }
    let (request, loaders) = with_request_data(&session.execution(), request);
    super::batch::BatchedStream::new(session.schema.execute_stream(request), loaders).boxed()
}

/// What a long-lived connection (WebSocket) runs its operations with: the owned parts of an
/// [`Execution`].
#[derive(Clone)]
pub struct Session {
    pub schema: AppSchema,
    pub db: DatabaseConnection,
    pub graph: Arc<GraphIndex>,
    pub metrics: Arc<Metrics>,
    pub principal: Principal,
    pub meta: RequestMeta,
}

impl Session {
    /// The borrowed form, for [`execute`].
    pub fn execution(&self) -> Execution<'_> {
        Execution {
            schema: &self.schema,
            db: &self.db,
            graph: &self.graph,
            metrics: &self.metrics,
            principal: &self.principal,
            meta: &self.meta,
        }
    }
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder(SchemaOptions::default()).finish().sdl()
}
