//! The graph algorithms and the index on small hand-built graphs with known answers.

use chrono::NaiveDate;
use shared::{ChainStage, County, InstitutionKind, ProjectKind, ProjectStatus};
use uuid::Uuid;

use super::{
    GraphIndex, algorithms,
    data::{Chain, GraphData, Node, ProjectInput, Segment, Side},
    filter::GraphFilter,
    timeline, view,
};
use crate::filter::{ProjectStatusFilter, StringFilter};

fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// Enterprises 1..=enterprises (ids 1..), institutions (ids 1001..); one chain with two
/// segments: enterprises with an odd id upstream, even downstream.
fn network(enterprises: u128, institutions: u128, projects: &[(u128, &[u128], &[u128], ProjectStatus)]) -> GraphData {
    let mut data = GraphData::default();
    data.chains.push(Chain { id: uuid(900), code: "chain".into(), name: "chain".into(), segments: vec![0, 1] });
    data.chain_index.insert(uuid(900), 0);
    for (index, stage) in [ChainStage::Upstream, ChainStage::Downstream].into_iter().enumerate() {
        data.segments.push(Segment {
            id: uuid(910 + index as u128),
            code: format!("chain.{}", index + 1),
            chain: 0,
            stage,
            position: index as i32,
            name: format!("{stage}"),
            needs: shared::Disciplines::default(),
            members: Vec::new(),
        });
        data.segment_index.insert(uuid(910 + index as u128), index as u32);
    }
    for e in 1..=enterprises {
        data.add_node(Node {
            name_en: None,
            disciplines: shared::Disciplines::default(),
            id: uuid(e),
            side: Side::Enterprise,
            name: format!("E{e}"),
            county: Some(County::JinanDistrict),
            segments: vec![if e % 2 == 1 { 0 } else { 1 }],
            institution_kind: None,
            is_key: false,
            above_scale: true,
            employees: e as i32 * 10,
            founded_year: None,
        });
    }
    for i in 1..=institutions {
        data.add_node(Node {
            name_en: None,
            disciplines: shared::Disciplines::default(),
            id: uuid(1000 + i),
            side: Side::Institution,
            name: format!("I{i}"),
            county: None,
            segments: Vec::new(),
            institution_kind: Some(InstitutionKind::University),
            is_key: i == 1,
            above_scale: false,
            employees: 0,
            founded_year: None,
        });
    }
    for (id, firms, schools, status) in projects {
        data.upsert_project(ProjectInput {
            id: uuid(5000 + id),
            status: *status,
            kind: ProjectKind::JointRnd,
            programme: "p".into(),
            start: NaiveDate::from_ymd_opt(2022, 3, 1),
            end: None,
            enterprises: firms.iter().map(|e| uuid(*e)).collect(),
            institutions: schools.iter().map(|i| uuid(1000 + i)).collect(),
        });
    }
    data
}

use ProjectStatus::{Completed, InProgress};

fn everything() -> super::filter::CompiledFilter {
    GraphFilter::default().compile().unwrap()
}

#[test]
fn betweenness_of_a_path_and_a_star() {
    // Path E1 – I1 – E2 – I2: inner nodes carry the shortest paths between the outer ones.
    let data = network(2, 2, &[(1, &[1], &[1], InProgress), (2, &[2], &[1], InProgress), (3, &[2], &[2], InProgress)]);
    let graph = view::whole(&data, &everything());
    let metrics = algorithms::metrics(&graph, true);
    let by_name: Vec<(String, f64)> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (data.nodes[*n as usize].name.clone(), metrics.betweenness[i]))
        .collect();
    let get = |name: &str| by_name.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!((get("E1"), get("I1"), get("E2"), get("I2")), (0.0, 2.0, 2.0, 0.0));

    // Star: I1 with four enterprises; the centre lies on all 6 pairs of leaves.
    let star = network(
        4,
        1,
        &[
            (1, &[1], &[1], InProgress),
            (2, &[2], &[1], InProgress),
            (3, &[3], &[1], InProgress),
            (4, &[4], &[1], InProgress),
        ],
    );
    let graph = view::whole(&star, &everything());
    let metrics = algorithms::metrics(&graph, true);
    let centre = graph.nodes.iter().position(|n| star.nodes[*n as usize].name == "I1").unwrap();
    assert_eq!(metrics.betweenness[centre], 6.0);
    assert_eq!(metrics.degree[centre], 4);
    assert!(metrics.betweenness_exact);
}

#[test]
fn two_dense_clusters_form_two_communities() {
    // E1,E2,E3 with I1,I2 (all pairs), E4,E5,E6 with I3,I4, one weak bridge E3–I3.
    let mut projects = Vec::new();
    let mut id = 0;
    for (firms, schools) in [([1, 2, 3], [1, 2]), ([4, 5, 6], [3, 4])] {
        for f in firms {
            for s in schools {
                id += 1;
                projects.push((id, vec![f], vec![s]));
            }
        }
    }
    projects.push((100, vec![3], vec![3]));
    let owned: Vec<(u128, Vec<u128>, Vec<u128>, ProjectStatus)> =
        projects.into_iter().map(|(i, f, s)| (i, f, s, InProgress)).collect();
    let borrowed: Vec<(u128, &[u128], &[u128], ProjectStatus)> =
        owned.iter().map(|(i, f, s, st)| (*i, f.as_slice(), s.as_slice(), *st)).collect();
    let data = network(6, 4, &borrowed);
    let graph = view::whole(&data, &everything());
    let metrics = algorithms::metrics(&graph, true);
    let community =
        |name: &str| metrics.community[graph.nodes.iter().position(|n| data.nodes[*n as usize].name == name).unwrap()];
    assert_eq!(community("E1"), community("I2"));
    assert_eq!(community("E5"), community("I4"));
    assert_ne!(community("E1"), community("E5"));
    assert!(metrics.modularity > 0.3, "modularity {}", metrics.modularity);
}

#[test]
fn shortest_paths_and_ego_networks() {
    let data =
        network(3, 2, &[(1, &[1], &[1], InProgress), (2, &[2], &[1, 2], InProgress), (3, &[3], &[2], InProgress)]);
    let filter = everything();
    let node = |name: &str| data.nodes.iter().position(|n| n.name == name).unwrap() as u32;
    let path = view::shortest_path(&data, &filter, node("E1"), node("E3")).unwrap();
    let names: Vec<&str> = path.iter().map(|n| data.nodes[*n as usize].name.as_str()).collect();
    assert_eq!(names, ["E1", "I1", "E2", "I2", "E3"]);
    assert_eq!(view::ego(&data, &filter, node("E1"), 1).nodes.len(), 2);
    assert_eq!(view::ego(&data, &filter, node("E1"), 2).nodes.len(), 3);
    assert_eq!(view::ego(&data, &filter, node("E1"), 3).nodes.len(), 4);
    let isolated = network(2, 1, &[(1, &[1], &[1], InProgress)]);
    assert!(view::shortest_path(&isolated, &everything(), 0, 1).is_none());
}

#[test]
fn the_index_follows_added_changed_and_removed_projects() {
    let mut data = network(2, 1, &[(1, &[1], &[1], InProgress)]);
    let running = GraphFilter {
        status: Some(ProjectStatusFilter { eq: Some(InProgress), ..Default::default() }),
        ..Default::default()
    }
    .compile()
    .unwrap();
    let weight = |data: &GraphData, filter: &super::filter::CompiledFilter| {
        view::whole(data, filter).edges.iter().map(|e| e.weight()).sum::<u32>()
    };
    assert_eq!(weight(&data, &running), 1);

    data.upsert_project(ProjectInput {
        id: uuid(7000),
        status: InProgress,
        kind: ProjectKind::JointLab,
        programme: "q".into(),
        start: None,
        end: None,
        enterprises: vec![uuid(1), uuid(2)],
        institutions: vec![uuid(1001)],
    });
    assert_eq!(weight(&data, &running), 3, "one new project, two edges");
    data.update_project_fields(uuid(7000), Completed, None, None);
    assert_eq!(weight(&data, &running), 1, "a completed project no longer counts as running");
    assert_eq!(weight(&data, &everything()), 3);
    assert!(data.remove_project(uuid(7000)));
    assert_eq!(weight(&data, &everything()), 1);
    assert!(!data.remove_project(uuid(7000)));
}

#[test]
fn filters_select_nodes_and_projects() {
    let data = network(2, 2, &[(1, &[1], &[1], InProgress), (2, &[2], &[2], Completed)]);
    let upstream = GraphFilter {
        stage: Some(crate::filter::ChainStageFilter { eq: Some(ChainStage::Upstream), ..Default::default() }),
        ..Default::default()
    };
    let graph = view::whole(&data, &upstream.compile().unwrap());
    assert_eq!(graph.edges.len(), 1);
    assert_eq!(data.nodes[graph.edges[0].enterprise as usize].name, "E1");
    let programme = GraphFilter {
        programme: Some(StringFilter { eq: Some("other".into()), ..Default::default() }),
        ..Default::default()
    };
    assert!(view::whole(&data, &programme.compile().unwrap()).edges.is_empty());
}

#[test]
fn timelines_count_started_active_and_ended() {
    let mut data = network(1, 1, &[]);
    data.upsert_project(ProjectInput {
        id: uuid(1),
        status: Completed,
        kind: ProjectKind::JointRnd,
        programme: "p".into(),
        start: NaiveDate::from_ymd_opt(2021, 5, 1),
        end: NaiveDate::from_ymd_opt(2023, 2, 1),
        enterprises: vec![uuid(1)],
        institutions: vec![uuid(1001)],
    });
    let years = timeline::timeline(&data, &everything(), 2020, 2024, false);
    let counts: Vec<(u32, u32, u32)> = years.iter().map(|p| (p.started, p.active, p.ended)).collect();
    assert_eq!(counts, [(0, 0, 0), (1, 1, 0), (0, 1, 0), (0, 1, 1), (0, 0, 0)]);
    let comparison = timeline::compare(&data, &everything(), 2022, 2024);
    assert_eq!((comparison.new.len(), comparison.continued.len(), comparison.ended.len()), (0, 0, 1));
    let comparison = timeline::compare(&data, &everything(), 2020, 2022);
    assert_eq!((comparison.new.len(), comparison.continued.len(), comparison.ended.len()), (1, 0, 0));
}

#[test]
fn chain_gaps_suggest_institutions_that_know_the_chain() {
    // Upstream firms (odd) work with I1 twice and I2 once; downstream firms have no active project.
    let data = network(
        4,
        3,
        &[
            (1, &[1], &[1], InProgress),
            (2, &[3], &[1], InProgress),
            (3, &[1], &[2], InProgress),
            (4, &[2], &[3], Completed),
        ],
    );
    let view = super::chain::analyse(&data, 0, 0.5, 5);
    assert_eq!(view.segments[0].coverage, 1.0);
    assert_eq!(view.segments[1].coverage, 0.0);
    assert_eq!(view.gaps.len(), 1);
    let suggested: Vec<&str> =
        view.gaps[0].suggestions.iter().map(|p| data.nodes[p.institution as usize].name.as_str()).collect();
    assert_eq!(suggested, ["I1", "I2"], "ranked by projects with the other segments");
}

#[test]
fn links_come_newest_first_and_participants_by_name() {
    // E1 in four projects: two dated, one undated, one dated like another (ties go by ID).
    let mut data = network(2, 3, &[(4, &[1], &[3, 1], InProgress), (2, &[1], &[2], Completed)]);
    let date = |year, month| NaiveDate::from_ymd_opt(year, month, 1);
    data.update_project_fields(uuid(5004), InProgress, date(2023, 6), None);
    data.update_project_fields(uuid(5002), Completed, date(2021, 1), date(2022, 1));
    for (id, start) in [(3, None), (1, date(2023, 6))] {
        data.upsert_project(ProjectInput {
            id: uuid(5000 + id),
            status: ProjectStatus::Proposed,
            kind: ProjectKind::JointRnd,
            programme: "p".into(),
            start,
            end: None,
            enterprises: vec![uuid(1), uuid(2)],
            institutions: vec![uuid(1002)],
        });
    }
    // Institution names: I3 sorts after I1; rename I1 so that names, not IDs, decide.
    data.nodes[data.node_index[&uuid(1001)] as usize].name = "Z".into();
    let projects = data.projects_of_nodes(&[uuid(1), uuid(9)]);
    assert_eq!(projects[&uuid(1)], vec![uuid(5003), uuid(5001), uuid(5004), uuid(5002)]);
    assert!(!projects.contains_key(&uuid(9)), "unknown nodes are left out");
    let participants = data.participants_of_projects(&[uuid(5004), uuid(5003)], Side::Institution);
    assert_eq!(participants[&uuid(5004)], vec![uuid(1003), uuid(1001)]);
    assert_eq!(data.participants_of_projects(&[uuid(5003)], Side::Enterprise)[&uuid(5003)], vec![uuid(1), uuid(2)]);
}

#[test]
fn an_older_committed_version_never_overwrites_a_newer_one() {
    let mut data = network(1, 1, &[(0, &[0], &[0], ProjectStatus::InProgress)]);
    let id = uuid(5000);
    assert!(data.apply_committed(id, 3, ProjectStatus::Suspended, None, None));
    assert!(!data.apply_committed(id, 2, ProjectStatus::Completed, None, None), "a late, older write");
    assert_eq!(data.projects[data.project_index[&id] as usize].status, ProjectStatus::Suspended);
    assert!(data.apply_committed(id, 4, ProjectStatus::InProgress, None, None));
    assert_eq!(data.projects[data.project_index[&id] as usize].status, ProjectStatus::InProgress);
}

#[tokio::test]
async fn computations_past_their_deadline_answer_with_a_code() {
    let index = GraphIndex::from_data(network(1, 1, &[]));
    let late = index
        .compute_within(std::time::Duration::from_millis(20), |_| {
            std::thread::sleep(std::time::Duration::from_millis(300))
        })
        .await;
    assert_eq!(late.unwrap_err().code(), shared::ErrorCode::BadUserInput);
    assert_eq!(index.compute(|data| data.nodes.len()).await.unwrap(), 2);
}

#[test]
fn selections_sort_unset_dates_where_each_database_does_and_slice_exactly() {
    use super::select::{self, Nulls, ProjectTest, Slice};
    use crate::filter::{InstitutionFilter, ProjectFilter, ProjectOrder, ProjectOrderField, SortDirection};

    let mut data = network(
        3,
        2,
        &[
            (1, &[1], &[1], InProgress),
            (2, &[2], &[2], InProgress),
            (3, &[3], &[1], Completed),
            (4, &[1], &[], InProgress),
        ],
    );
    // Project 2 has no start date; 3 started earlier than the others.
    let index = data.project_index[&uuid(5002)] as usize;
    data.projects[index].start = None;
    let index = data.project_index[&uuid(5003)] as usize;
    data.projects[index].start = NaiveDate::from_ymd_opt(2020, 1, 1);

    let everything = ProjectTest::compile(&ProjectFilter::default()).unwrap().expect("held");
    let newest_first = [ProjectOrder { field: ProjectOrderField::StartDate, direction: SortDirection::Desc }];
    let all = |_| Slice { offset: 0, count: 10 };
    let ids = |listing: select::Listing| listing.ids.iter().map(|id| id.as_u128() - 5000).collect::<Vec<_>>();
    // PostgreSQL: unset is the greatest value, first when descending; ties by ID.
    assert_eq!(ids(select::projects(&data, &everything, &newest_first, Nulls::Greatest, all)), vec![2, 1, 4, 3]);
    // SQLite: unset is the smallest, last when descending.
    assert_eq!(ids(select::projects(&data, &everything, &newest_first, Nulls::Smallest, all)), vec![1, 4, 3, 2]);
    // A slice in the middle, with the total of all matches.
    let listing = select::projects(&data, &everything, &newest_first, Nulls::Greatest, |total| {
        assert_eq!(total, 4);
        Slice { offset: 1, count: 2 }
    });
    assert_eq!((listing.total, ids(listing)), (4, vec![1, 4]));

    // Relation filters: projects with the key institution (I1).
    let with_key = ProjectFilter {
        has_institution: Some(Box::new(InstitutionFilter {
            is_key: Some(crate::filter::BoolFilter { eq: Some(true), ne: None }),
            ..Default::default()
        })),
        ..Default::default()
    };
    let test = ProjectTest::compile(&with_key).unwrap().expect("held");
    assert_eq!(ids(select::projects(&data, &test, &[], Nulls::Greatest, all)), vec![1, 3]);

    // What the index does not hold exactly goes to SQL.
    let searched = ProjectFilter { title: Some(StringFilter::default()), ..Default::default() };
    assert!(ProjectTest::compile(&searched).unwrap().is_none());
    let negated = ProjectFilter { not: Some(Box::new(ProjectFilter::default())), ..Default::default() };
    assert!(ProjectTest::compile(&negated).unwrap().is_none());
    let contains = ProjectFilter {
        programme: Some(StringFilter { contains: Some("p".into()), ..Default::default() }),
        ..Default::default()
    };
    assert!(ProjectTest::compile(&contains).unwrap().is_none());
}
