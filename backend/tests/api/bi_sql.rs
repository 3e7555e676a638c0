//! The `bi_*` views and the read-only `lianqiao_bi` role (PostgreSQL only): a BI login reads
//! the same figures as GraphQL and can read or change nothing else.

mod postgres {
    use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
    use serde_json::json;

    use crate::helpers::{Backend, TestApp, int, spawn_app};

    async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
            .expect("one row");
        row.try_get_by_index(0).expect("an integer")
    }

    /// Creates a login that is a member of `lianqiao_bi` and connects with it.
    async fn bi_login(app: &TestApp, name: &str) -> DatabaseConnection {
        app.db.execute_unprepared(&format!("CREATE ROLE {name} LOGIN IN ROLE {}", migrations::BI_ROLE)).await.unwrap();
        let (scheme, rest) = app.database_url.split_once("://").unwrap();
        let (_, host) = rest.split_once('@').unwrap();
        Database::connect(format!("{scheme}://{name}@{host}")).await.expect("the BI login connects")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bi_login_reads_the_views_and_nothing_else() {
        let app = spawn_app(Backend::Postgres).await;
        let name = format!("bi_test_{}", uuid::Uuid::new_v4().simple());
        let bi = bi_login(&app, &name).await;

        assert_eq!(scalar(&bi, "SELECT COUNT(*) FROM bi_projects").await, 333);
        let above_scale = scalar(&bi, "SELECT COUNT(*) FROM bi_enterprises WHERE above_scale").await;
        assert_eq!(above_scale, 1402);

        let graph = app.data("{ cooperationGraph { edgeCount edges { weight } } }", json!({})).await;
        let edges = scalar(&bi, "SELECT COUNT(*) FROM bi_graph_edges").await;
        assert_eq!(edges, int(&graph["cooperationGraph"]["edgeCount"]));
        let weight: i64 =
            graph["cooperationGraph"]["edges"].as_array().unwrap().iter().map(|edge| int(&edge["weight"])).sum();
        assert_eq!(scalar(&bi, "SELECT CAST(SUM(weight) AS bigint) FROM bi_graph_edges").await, weight);

        // IDs are the API's global IDs: a view row joins with GraphQL.
        let row = bi
            .query_one_raw(Statement::from_string(
                bi.get_database_backend(),
                "SELECT id, title FROM bi_projects ORDER BY title LIMIT 1",
            ))
            .await
            .unwrap()
            .unwrap();
        let (id, title): (String, String) = (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap());
        let project =
            app.data("query ($id: ID!) { node(id: $id) { ... on Project { title } } }", json!({ "id": id })).await;
        assert_eq!(project["node"]["title"], title.as_str());

        let needs = app.data("{ employmentAggregate(groupBy: []) { count workersNeeded } }", json!({})).await;
        let row = &needs["employmentAggregate"][0];
        assert_eq!(scalar(&bi, "SELECT COUNT(*) FROM bi_employment_needs").await, int(&row["count"]));
        assert_eq!(
            scalar(&bi, "SELECT CAST(SUM(workers_needed) AS bigint) FROM bi_employment_needs").await,
            int(&row["workersNeeded"])
        );

        for forbidden in [
            "SELECT COUNT(*) FROM users",
            "SELECT COUNT(*) FROM projects",
            "SELECT COUNT(*) FROM sessions",
            "UPDATE bi_projects SET title = 'x'",
            "DELETE FROM bi_enterprises",
            "CREATE TABLE mine (id int)",
        ] {
            let error = bi.execute_unprepared(forbidden).await.expect_err(forbidden).to_string();
            assert!(error.contains("permission denied"), "{forbidden}: {error}");
        }
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM projects").await, 333, "nothing changed");

        // The guide's view list and its example query are what a BI user sees first.
        let guide = include_str!("../../../docs/bi.md");
        let views: Vec<(String, String)> = guide
            .lines()
            .filter_map(|line| line.strip_prefix("| bi_"))
            .map(|rest| {
                let (view, columns) = rest.trim_end_matches(" |").split_once(" | ").expect("a two-column row");
                (format!("bi_{view}"), columns.to_owned())
            })
            .collect();
        assert_eq!(views.len(), 12);
        for (view, columns) in views {
            let sql = format!(
                "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns \
                 WHERE table_name = '{view}'"
            );
            let row = bi.query_one_raw(Statement::from_string(bi.get_database_backend(), sql)).await.unwrap().unwrap();
            let actual: String = row.try_get_by_index(0).unwrap();
            assert_eq!(actual, columns, "docs/bi.md columns of {view}");
        }
        let example = guide.split("```sql\n").nth(2).and_then(|block| block.split("```").next()).expect("the example");
        let rows = bi.query_all_raw(Statement::from_string(bi.get_database_backend(), example)).await.unwrap();
        assert!(rows.len() >= 3, "the guide's example query answers");

        bi.close().await.ok();
        app.db.execute_unprepared(&format!("DROP ROLE {name}")).await.ok();
        app.teardown().await;
    }
}
