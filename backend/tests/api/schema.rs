//! The committed `schema.graphql` is the public contract: it must equal the live schema.

#[test]
fn committed_schema_matches_the_live_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql is committed at the workspace root");
    let live = backend::graphql::schema::sdl();
    assert!(
        committed == live,
        "schema.graphql differs from the live schema; if the change is intended, run `cargo run -p backend -- export-schema` and commit it"
    );
}
