//! The fuzz pass: requests generated from the live schema (introspection) with a fixed seed —
//! every root field of the query and mutation types, arguments of every type at their edges
//! (extreme integers, empty, long and odd strings, IDs of the wrong type, cursors, nested
//! filters), selections down to nested connections — sent to the real server. No answer may be
//! a 5xx, a dropped connection or an error coded `INTERNAL`; every error must carry a code.

use std::collections::HashMap;

use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// How many requests one pass sends.
const CASES: usize = 600;
const SEED: u64 = 20_261_129;

const INTROSPECTION: &str = "{ __schema { queryType { name } mutationType { name } types { name kind \
    fields { name args { name type { ...T } } type { ...T } } inputFields { name type { ...T } } enumValues { name } } } } \
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

struct Schema {
    types: HashMap<String, Value>,
    ids: Vec<String>,
}

/// A type reference: (wrappers from the outside in, named type). `N` non-null, `L` list.
fn unwrap(mut ty: &Value) -> (Vec<char>, String) {
    let mut wrappers = Vec::new();
    while ty["name"].is_null() {
        wrappers.push(if ty["kind"] == "NON_NULL" { 'N' } else { 'L' });
        ty = &ty["ofType"];
    }
    (wrappers, ty["name"].as_str().unwrap_or_default().to_owned())
}

impl Schema {
    fn kind(&self, name: &str) -> &str {
        self.types.get(name).and_then(|ty| ty["kind"].as_str()).unwrap_or("SCALAR")
    }

    /// A value for an argument or input field of type `ty`, as GraphQL source text.
    fn value(&self, rng: &mut ChaCha8Rng, ty: &Value, depth: usize) -> String {
        let (wrappers, name) = unwrap(ty);
        if wrappers.first() != Some(&'N') && rng.random_bool(0.1) {
            return "null".to_owned();
        }
        if wrappers.contains(&'L') {
            let items: Vec<String> = (0..rng.random_range(0..4)).map(|_| self.named_value(rng, &name, depth)).collect();
            return format!("[{}]", items.join(", "));
        }
        self.named_value(rng, &name, depth)
    }

    fn named_value(&self, rng: &mut ChaCha8Rng, name: &str, depth: usize) -> String {
        let string = |text: &str| serde_json::to_string(text).unwrap();
        match (self.kind(name), name) {
            (_, "Int") => {
                let edges = [0_i64, 1, -1, 5, 20, 100, 101, 2024, i32::MAX as i64, i32::MIN as i64];
                if rng.random_bool(0.7) {
                    edges.choose(rng).unwrap().to_string()
                } else {
                    rng.random::<i32>().to_string()
                }
            }
            (_, "Float") => ["0.0", "-1.5", "1e300", "0.2"].choose(rng).unwrap().to_string(),
            (_, "Boolean") => rng.random_bool(0.5).to_string(),
            (_, "ID") => {
                let garbage = ["", "x", "UHJvamVjdDpub3QtYS11dWlk", "bHExOjE4NDQ2NzQ0MDczNzA5NTUxNjE0", "%%%"];
                match self.ids.choose(rng) {
                    Some(id) if rng.random_bool(0.6) => string(id),
                    _ => string(garbage.choose(rng).unwrap()),
                }
            }
            (_, "String") => {
                let long = "长".repeat(300);
                let cursor = base64_cursor(rng.random_range(0..50));
                let texts =
                    ["", "皖西学院", "a%_\\\\", "lq1:9", long.as_str(), cursor.as_str(), "2024-01-01", "IN_PROGRESS"];
                string(texts.choose(rng).unwrap())
            }
            (_, "NaiveDate" | "Date") => {
                string(["2024-02-29", "1900-01-01", "9999-12-31", "not a date"].choose(rng).unwrap())
            }
            (_, "DateTime") => string(["2024-01-01T00:00:00Z", "yesterday"].choose(rng).unwrap()),
            ("ENUM", _) => {
                let values: Vec<&str> = self.types[name]["enumValues"]
                    .as_array()
                    .map(|values| values.iter().filter_map(|value| value["name"].as_str()).collect())
                    .unwrap_or_default();
                values.choose(rng).map_or_else(|| "null".to_owned(), |value| (*value).to_owned())
            }
            ("INPUT_OBJECT", _) => {
                if depth > 3 {
                    return "{}".to_owned();
                }
                let fields = self.types[name]["inputFields"].as_array().cloned().unwrap_or_default();
                let mut parts = Vec::new();
                for field in &fields {
                    let required = unwrap(&field["type"]).0.first() == Some(&'N');
                    if required || rng.random_bool(0.25) {
                        let value = self.value(rng, &field["type"], depth + 1);
                        parts.push(format!("{}: {value}", field["name"].as_str().unwrap()));
                    }
                }
                format!("{{ {} }}", parts.join(", "))
            }
            _ => string("x"),
        }
    }

    /// Arguments for a field: every required one, some optional ones.
    fn arguments(&self, rng: &mut ChaCha8Rng, field: &Value) -> String {
        let mut parts = Vec::new();
        for argument in field["args"].as_array().into_iter().flatten() {
            let required = unwrap(&argument["type"]).0.first() == Some(&'N');
            if required || rng.random_bool(0.5) {
                parts.push(format!(
                    "{}: {}",
                    argument["name"].as_str().unwrap(),
                    self.value(rng, &argument["type"], 0)
                ));
            }
        }
        if parts.is_empty() { String::new() } else { format!("({})", parts.join(", ")) }
    }

    /// A selection set for an output type.
    fn selection(&self, rng: &mut ChaCha8Rng, name: &str, depth: usize) -> String {
        match self.kind(name) {
            "OBJECT" => {}
            "INTERFACE" | "UNION" => return "{ __typename }".to_owned(),
            _ => return String::new(),
        }
        let fields = self.types[name]["fields"].as_array().cloned().unwrap_or_default();
        let mut parts = vec!["__typename".to_owned()];
        for field in &fields {
            let (_, type_name) = unwrap(&field["type"]);
            let field_name = field["name"].as_str().unwrap();
            let scalar = matches!(self.kind(&type_name), "SCALAR" | "ENUM");
            if scalar && rng.random_bool(0.6) {
                parts.push(format!("{field_name}{}", self.arguments(rng, field)));
            } else if !scalar && depth < 3 && rng.random_bool(0.3) {
                let inner = self.selection(rng, &type_name, depth + 1);
                parts.push(format!("{field_name}{} {inner}", self.arguments(rng, field)));
            }
        }
        format!("{{ {} }}", parts.join(" "))
    }
}

fn base64_cursor(offset: u64) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(format!("lq1:{offset}"))
}

async fn generated_requests_never_fail_the_server(app: &TestApp) {
    let data = app.data(INTROSPECTION, json!({})).await;
    let schema = &data["__schema"];
    let types: HashMap<String, Value> = schema["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ty| (ty["name"].as_str().unwrap().to_owned(), ty.clone()))
        .collect();
    // Real IDs of several types, so that lookups and filters also hit records.
    let sample = app
        .data(
            "{ projects(first: 3) { nodes { id } } enterprises(first: 3) { nodes { id } } institutions(first: 2) { nodes { id } } industryChains(first: 2) { nodes { id } } }",
            json!({}),
        )
        .await;
    let mut ids = Vec::new();
    for list in ["projects", "enterprises", "institutions", "industryChains"] {
        for node in sample[list]["nodes"].as_array().unwrap() {
            ids.push(node["id"].as_str().unwrap().to_owned());
        }
    }
    let schema_model = Schema { types, ids };
    let roots: Vec<(&str, Value)> = ["queryType", "mutationType"]
        .iter()
        .filter_map(|root| schema[root]["name"].as_str())
        .flat_map(|root| {
            let keyword = if root == "Mutation" { "mutation" } else { "query" };
            schema_model.types[root]["fields"].as_array().unwrap().iter().map(move |field| (keyword, field.clone()))
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut errors_by_code: HashMap<String, usize> = HashMap::new();
    for case in 0..CASES {
        let (keyword, field) = roots.choose(&mut rng).unwrap();
        let (_, type_name) = unwrap(&field["type"]);
        let document = format!(
            "{keyword} {{ {}{} {} }}",
            field["name"].as_str().unwrap(),
            schema_model.arguments(&mut rng, field),
            schema_model.selection(&mut rng, &type_name, 0)
        );
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": document }))
            .send()
            .await
            .unwrap_or_else(|error| panic!("case {case}: no answer ({error}) to {document}"));
        let status = response.status();
        assert!(status.as_u16() < 500, "case {case}: HTTP {status} for {document}");
        let body: Value =
            response.json().await.unwrap_or_else(|error| panic!("case {case}: not JSON ({error}) for {document}"));
        for error in body["errors"].as_array().into_iter().flatten() {
            let code = error["extensions"]["code"]
                .as_str()
                .unwrap_or_else(|| panic!("case {case}: an error without a code: {error} for {document}"));
            assert_ne!(code, "INTERNAL", "case {case}: {error} for {document}");
            *errors_by_code.entry(code.to_owned()).or_default() += 1;
        }
    }
    // The pass reached both answers and refusals.
    assert!(errors_by_code.len() >= 3, "{errors_by_code:?}");
    println!("fuzz: {CASES} cases, seed {SEED}, errors by code {errors_by_code:?}");
}

crate::on_both_databases!(generated_requests_never_fail_the_server);
