//! A small typed client of the GraphQL API.

use serde::{Deserialize, de::DeserializeOwned};

/// Why a call to the API failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The request did not reach the server or the answer could not be read.
    Network(String),
    /// The server answered with GraphQL errors; the code is `extensions.code`.
    Api { code: String, message: String },
}

impl std::fmt::Display for Error {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Network(message) => write!(formatter, "network error: {message}"),
            Self::Api { code, message } => write!(formatter, "{message} ({code})"),
        }
    }
}

#[derive(Deserialize)]
struct GraphqlError {
    message: String,
    #[serde(default)]
    extensions: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct GraphqlResponse<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

/// Runs a query and decodes its `data`.
pub async fn query<T: DeserializeOwned>(query: &str, variables: serde_json::Value) -> Result<T, Error> {
    let body = serde_json::json!({ "query": query, "variables": variables });
    let response = gloo_net::http::Request::post("/graphql")
        .header("accept", "application/graphql-response+json, application/json")
        .json(&body)
        .map_err(|error| Error::Network(error.to_string()))?
        .send()
        .await
        .map_err(|error| Error::Network(error.to_string()))?;
    let decoded: GraphqlResponse<T> = response.json().await.map_err(|error| Error::Network(error.to_string()))?;
    if let Some(error) = decoded.errors.into_iter().next() {
        let code = error
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get("code"))
            .and_then(|code| code.as_str())
            .unwrap_or("UNKNOWN")
            .to_owned();
        return Err(Error::Api { code, message: error.message });
    }
    decoded.data.ok_or_else(|| Error::Network("the answer has no data".to_owned()))
}

/// One published figure with the value counted from the records.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Indicator {
    pub key: String,
    pub label: String,
    pub label_en: String,
    pub published_value: i64,
    pub computed_value: i64,
    pub source: String,
    pub as_of: String,
}

#[derive(Deserialize)]
struct IndicatorsData {
    indicators: Vec<Indicator>,
}

/// The seed indicators of the dashboard.
pub async fn indicators() -> Result<Vec<Indicator>, Error> {
    let data: IndicatorsData =
        query("{ indicators { key label labelEn publishedValue computedValue source asOf } }", serde_json::json!({}))
            .await?;
    Ok(data.indicators)
}
