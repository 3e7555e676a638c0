//! Every column a client may filter or order by has an index that leads with it, on both
//! databases: a filter or a sort on a million rows must never be the table walk it would be
//! without one. The declarations (`shared::records`) say which columns those are, so a new
//! filterable column without its migration's index fails here.

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use shared::records::{self, Record};

use crate::helpers::TestApp;

/// Where the count behind a computed (related-count) column is looked up: the link table and
/// the column the count is keyed by.
fn computed_key(record: &Record, column: &str) -> Option<(&'static str, &'static str)> {
    match (record.table, column) {
        ("enterprises", "project_count") => Some(("project_enterprises", "enterprise_id")),
        ("institutions", "project_count") => Some(("project_institutions", "institution_id")),
        ("projects", "enterprise_count") => Some(("project_enterprises", "project_id")),
        ("projects", "institution_count") => Some(("project_institutions", "project_id")),
        _ => None,
    }
}

/// (table, column) of every index's leading column.
async fn leading_columns(app: &TestApp) -> BTreeSet<(String, String)> {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT t.relname, a.attname FROM pg_index i \
             JOIN pg_class t ON t.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] \
             WHERE n.nspname = current_schema()"
        }
        _ => {
            "SELECT m.name, ii.name FROM sqlite_master m \
             JOIN pragma_index_list(m.name) il \
             JOIN pragma_index_info(il.name) ii \
             WHERE m.type = 'table' AND ii.seqno = 0"
        }
    };
    let rows = app.db.query_all_raw(Statement::from_string(backend, sql)).await.expect("index catalogue");
    rows.iter().map(|row| (row.try_get_by_index(0).expect("table"), row.try_get_by_index(1).expect("column"))).collect()
}

async fn every_filterable_or_orderable_column_has_an_index(app: &TestApp) {
    let indexed = leading_columns(app).await;
    assert!(indexed.contains(&("projects".to_owned(), "id".to_owned())), "the catalogue query reads primary keys");
    let mut missing = Vec::new();
    for record in records::RECORDS {
        for column in record.columns.iter().filter(|column| column.filter || column.order) {
            let (table, key) = if column.stored {
                (record.table, column.name)
            } else {
                computed_key(record, column.name).unwrap_or_else(|| {
                    panic!("{}.{} is computed: say which link column its count reads", record.table, column.name)
                })
            };
            if !indexed.contains(&(table.to_owned(), key.to_owned())) {
                missing.push(format!("{table}.{key} (for {}.{})", record.graphql_type, column.name));
            }
        }
    }
    assert!(missing.is_empty(), "filterable or orderable columns without an index leading with them: {missing:#?}");
}

crate::on_both_databases!(every_filterable_or_orderable_column_has_an_index);
