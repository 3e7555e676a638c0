//! The typed client of the GraphQL API: operations live in `frontend/graphql/*.graphql` and
//! their Rust types are generated at build time from the committed `schema.graphql`.

use graphql_client::GraphQLQuery;

/// Why a call to the API failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The request did not reach the server or the answer could not be read.
    Network(String),
    /// The server answered with GraphQL errors; the code is `extensions.code`.
    Api { code: String, message: String },
}

impl Error {
    /// The API's error code (`extensions.code`), when it is one the app knows.
    pub fn code(&self) -> Option<shared::error_code::ErrorCode> {
        match self {
            Self::Network(_) => None,
            Self::Api { code, .. } => {
                serde::Deserialize::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(code))
                    .ok()
            }
        }
    }

    /// The API's error code as sent, if the server answered with one.
    pub fn code_text(&self) -> Option<&str> {
        match self {
            Self::Network(_) => None,
            Self::Api { code, .. } => Some(code),
        }
    }

    /// An error as the API would send it, for answers that lack the record asked for.
    pub fn not_found() -> Self {
        Self::Api { code: shared::error_code::ErrorCode::NotFound.as_str().to_owned(), message: String::new() }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Network(message) => write!(formatter, "network error: {message}"),
            Self::Api { code, message } => write!(formatter, "{message} ({code})"),
        }
    }
}

/// Posts a GraphQL request body and returns the answer's text. Not generic, so that the
/// HTTP code exists once in the bundle whatever the number of operations.
async fn post(body: String) -> Result<String, Error> {
    let response = gloo_net::http::Request::post("/graphql")
        .header("accept", "application/graphql-response+json, application/json")
        .header("content-type", "application/json")
        .body(body)
        .map_err(|error| Error::Network(error.to_string()))?
        .send()
        .await
        .map_err(|error| Error::Network(error.to_string()))?;
    response.text().await.map_err(|error| Error::Network(error.to_string()))
}

/// Reads an answer (the browser parses it, `serde-wasm-bindgen` reads the result: smaller
/// than serde_json's parser per response type): its first error as an `Error` with
/// `extensions.code`, or its `data`.
/// An answer with errors has `data: null` (or partial data): the error wins, whatever the
/// data, so that a refusal is never mistaken for an unreadable answer.
fn answer_data(text: &str) -> Result<wasm_bindgen::JsValue, Error> {
    let answer = js_sys::JSON::parse(text).map_err(|_| Error::Network("the answer is not JSON".to_owned()))?;
    if let Some(error) = js::items(&js::get(&answer, "errors")).into_iter().next() {
        let code = js::get(&js::get(&error, "extensions"), "code").as_string().unwrap_or_else(|| "UNKNOWN".to_owned());
        return Err(Error::Api { code, message: js::get(&error, "message").as_string().unwrap_or_default() });
    }
    let data = js::get(&answer, "data");
    if data.is_object() { Ok(data) } else { Err(Error::Network("the answer has no data".to_owned())) }
}

/// An operation's request as JSON text: serialised into a browser value and written by
/// `JSON.stringify` (serde_json's writer, instantiated per variables type, cost more bundle).
pub fn request_body<Q: GraphQLQuery>(variables: Q::Variables) -> Result<String, Error> {
    use serde::Serialize;
    let value = Q::build_query(variables)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| Error::Network(error.to_string()))?;
    Ok(js::stringify(&value))
}

/// Runs an operation generated from `frontend/graphql/*.graphql` against the committed
/// `schema.graphql` (graphql_client), so a schema change that breaks the app breaks its build.
pub async fn run<Q: GraphQLQuery>(variables: Q::Variables) -> Result<Q::ResponseData, Error> {
    let body = request_body::<Q>(variables)?;
    let data = answer_data(&post(body).await?)?;
    serde_wasm_bindgen::from_value(data).map_err(|error| Error::Network(error.to_string()))
}

/// JSON read and written by the browser, for the shapes the data desk composes from the record
/// declarations: no serde types, so that the bundle does not grow by a JSON value type.
pub mod js {
    use wasm_bindgen::JsValue;

    /// `value[key]`, undefined when absent.
    pub fn get(value: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// The items of an array (none for anything else).
    pub fn items(value: &JsValue) -> Vec<JsValue> {
        if js_sys::Array::is_array(value) { js_sys::Array::from(value).iter().collect() } else { Vec::new() }
    }

    /// A number as an integer.
    pub fn int(value: &JsValue) -> Option<i64> {
        value.as_f64().map(|number| number as i64)
    }

    /// An object of these fields.
    pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
        let object = js_sys::Object::new();
        for (key, value) in fields {
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
        }
        object.into()
    }

    /// JSON text of a value.
    pub fn stringify(value: &JsValue) -> String {
        js_sys::JSON::stringify(value).map(String::from).unwrap_or_default()
    }
}

/// Runs an operation the app composes from the record declarations (the data desk's forms and
/// tables; the declaration tests hold the schema to them) and returns its `data`.
pub async fn raw(query: &str, variables: wasm_bindgen::JsValue) -> Result<wasm_bindgen::JsValue, Error> {
    let body = js::stringify(&js::object(&[("query", query.into()), ("variables", variables)]));
    answer_data(&post(body).await?)
}

/// Sends a file to `POST /import/<table>`: `mode` is `dry` (a dry run), `all` or `valid`.
/// Returns the status and the answer's text (a report, or a refusal with its code).
pub async fn import_file(
    table: &str,
    name: &str,
    mode: &str,
    file: wasm_bindgen::JsValue,
) -> Result<(u16, String), Error> {
    let mut url = format!("/import/{table}?fileName={}", String::from(js_sys::encode_uri_component(name)));
    match mode {
        "dry" => url.push_str("&dryRun=true"),
        "valid" => url.push_str("&mode=valid"),
        _ => {}
    }
    let response = gloo_net::http::Request::post(&url)
        .header("content-type", "application/octet-stream")
        .body(file)
        .map_err(|error| Error::Network(error.to_string()))?
        .send()
        .await
        .map_err(|error| Error::Network(error.to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|error| Error::Network(error.to_string()))?;
    Ok((status, text))
}

/// Custom scalars of the schema, as the app reads them (RFC 3339 and ISO 8601 text).
pub type DateTime = String;
pub type NaiveDate = String;

/// The home page's figures.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/indicators.graphql",
    response_derives = "Debug, Clone, PartialEq, Eq"
)]
pub struct Indicators;

/// One published figure with the value counted from the records.
pub type Indicator = indicators::IndicatorsIndicators;

/// The seed indicators of the dashboard.
pub async fn indicators() -> Result<Vec<Indicator>, Error> {
    Ok(run::<Indicators>(indicators::Variables).await?.indicators)
}

/// A node of a graph to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub id: String,
    pub name: String,
    /// Institutions: the English name, when recorded.
    pub name_en: Option<String>,
    pub institution: bool,
    /// Partners and projects in the whole (filtered) graph.
    pub degree: i64,
    pub projects: i64,
    /// Betweenness and community among the nodes shown.
    pub betweenness: f64,
    pub community: i64,
}

impl GraphNode {
    /// The name to show in a language: the English name in English where there is one.
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        crate::i18n::pick_name(lang, &self.name, self.name_en.as_deref())
    }

    /// The node's page in the app.
    pub fn href(&self) -> String {
        format!("/{}/{}", if self.institution { "institutions" } else { "enterprises" }, self.id)
    }
}

/// A graph to draw: nodes, edges as (source ID, target ID, weight), and how much of the whole
/// graph they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<(String, String, f32)>,
    /// Nodes and edges of the whole graph, and the nodes not returned.
    pub node_count: i64,
    pub edge_count: i64,
    pub hidden: i64,
}

/// Converts a generated graph type (each operation has its own) into a `Graph`.
macro_rules! graph_from {
    ($graph:expr, $module:ident) => {{
        let graph = $graph;
        Graph {
            nodes: graph
                .nodes
                .into_iter()
                .map(|node| GraphNode {
                    institution: matches!(node.kind, $module::GraphNodeKind::INSTITUTION),
                    id: node.id,
                    name: node.name,
                    name_en: node.name_en.filter(|name| !name.is_empty()),
                    degree: node.degree,
                    projects: node.weighted_degree,
                    betweenness: node.betweenness,
                    community: node.community,
                })
                .collect(),
            edges: graph.edges.into_iter().map(|edge| (edge.source, edge.target, edge.weight as f32)).collect(),
            node_count: graph.node_count,
            edge_count: graph.edge_count,
            hidden: graph.hidden_node_count,
        }
    }};
}

/// What the network's filters offer: chains (ID, Chinese, English) and programmes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choices {
    pub chains: Vec<(String, String, String)>,
    pub programmes: Vec<String>,
}

/// The cooperation network under `filter` (its `limit` busiest nodes), with the filters'
/// choices.
pub async fn network(filter: network::GraphFilter, limit: i64) -> Result<(Graph, Choices), Error> {
    let data = run::<Network>(network::Variables { filter: Some(filter), limit }).await?;
    let choices = Choices {
        chains: data.industry_chains.nodes.into_iter().map(|chain| (chain.id, chain.name_zh, chain.name_en)).collect(),
        programmes: data.programmes.into_iter().filter_map(|row| row.programme).collect(),
    };
    Ok((graph_from!(data.cooperation_graph, network), choices))
}

/// The nodes within `depth` hops of `id` (at most `limit`, the centre always).
pub async fn ego(id: String, depth: i64, filter: ego::GraphFilter, limit: i64) -> Result<Graph, Error> {
    Ok(graph_from!(run::<Ego>(ego::Variables { id, depth, filter: Some(filter), limit }).await?.ego_network, ego))
}

/// Declares an operation of `graphql/<file>.graphql` with the derives the pages need.
macro_rules! operation {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = $file,
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone, PartialEq, Default",
            skip_serializing_none
        )]
        pub struct $name;
    };
}

operation!(
    /// The dashboard's charts.
    Dashboard,
    "graphql/dashboard.graphql"
);
operation!(
    /// A page of the projects table.
    Projects,
    "graphql/projects.graphql"
);
operation!(
    /// One project with participants, outcomes and history.
    ProjectPage,
    "graphql/project.graphql"
);

// The table's variables derive `Default` (for the filters); its two enums need one.
impl Default for projects::ProjectOrderField {
    fn default() -> Self {
        Self::START_DATE
    }
}

impl Default for projects::SortDirection {
    fn default() -> Self {
        Self::DESC
    }
}

operation!(
    /// Who is signed in.
    Me,
    "graphql/session.graphql"
);
operation!(
    /// Signs in.
    Login,
    "graphql/session.graphql"
);
operation!(
    /// Signs out.
    Logout,
    "graphql/session.graphql"
);
operation!(
    /// The liaison desk's project list.
    DeskProjects,
    "graphql/desk.graphql"
);
operation!(
    /// A status change.
    ChangeStatus,
    "graphql/desk.graphql"
);
operation!(
    /// Live project changes.
    ProjectChanges,
    "graphql/desk.graphql"
);
operation!(
    /// Changes one's own password.
    ChangePassword,
    "graphql/desk.graphql"
);
operation!(
    /// One's API tokens.
    MyTokens,
    "graphql/desk.graphql"
);
operation!(
    /// Creates an API token.
    CreateToken,
    "graphql/desk.graphql"
);
operation!(
    /// Revokes an API token.
    RevokeToken,
    "graphql/desk.graphql"
);

impl Default for change_status::ProjectStatus {
    fn default() -> Self {
        Self::PROPOSED
    }
}

operation!(
    /// The chain list.
    Chains,
    "graphql/chain.graphql"
);
operation!(
    /// One chain's lanes.
    ChainView,
    "graphql/chain.graphql"
);

operation!(
    /// An enterprise's page.
    EnterprisePage,
    "graphql/entity.graphql"
);
operation!(
    /// An institution's page.
    InstitutionPage,
    "graphql/entity.graphql"
);

operation!(
    /// The cooperation network for the explorer, filtered.
    Network,
    "graphql/network.graphql"
);
operation!(
    /// A shortest path between two nodes.
    Path,
    "graphql/network.graphql"
);
operation!(
    /// One node's ego network.
    Ego,
    "graphql/ego.graphql"
);
operation!(
    /// A node's partners and projects for the network panel.
    NodePanel,
    "graphql/network.graphql"
);
operation!(
    /// The titles of a path's projects.
    PathProjects,
    "graphql/network.graphql"
);
operation!(
    /// Enterprises and institutions by name.
    SearchNodes,
    "graphql/network.graphql"
);
operation!(
    /// Edges new, continued and ended between two years.
    CompareYears,
    "graphql/network.graphql"
);
