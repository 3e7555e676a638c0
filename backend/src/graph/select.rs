//! Lists answered from the index: which projects, enterprises or institutions match a filter,
//! how many, and which of them fill a page, without a statement. The planner takes this path
//! only when the filter and the order use nothing but what the index holds (the columns the
//! record declarations mark `indexed`, the participants and the chain segments) and operators
//! whose meaning in memory is exactly SQL's; anything else (`not`, text search, a column the
//! index lacks, archived records) is answered by SQL. Rows are then read by primary key, so a
//! page costs one statement however selective or unselective the filter.
//!
//! Orders sort unset values the way the database does (PostgreSQL: after every value when
//! ascending; SQLite: before), then by ID, exactly as the SQL path's `ORDER BY ..., id`.

use std::cmp::Ordering;

use chrono::NaiveDate;
use shared::{County, InstitutionKind};
use uuid::Uuid;

use super::data::{GraphData, ProjectRecord, Side};
use crate::{
    error::AppResult,
    filter::{
        BoolFilter, ChainStageFilter, CountyFilter, DateFilter, EnterpriseFilter, EnterpriseOrder,
        EnterpriseOrderField, IdFilter, IdPredicate, InstitutionFilter, InstitutionKindFilter, InstitutionOrder,
        InstitutionOrderField, IntFilter, ProjectFilter, ProjectKindFilter, ProjectOrder, ProjectOrderField,
        ProjectStatusFilter, SortDirection, StringFilter,
    },
    ids::NodeKind,
};

/// Where the database sorts unset values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// PostgreSQL: unset is greater than every value.
    Greatest,
    /// SQLite: unset is smaller than every value.
    Smallest,
}

/// Which rows of the ordered result a page needs: `offset .. offset + count`.
#[derive(Debug, Clone, Copy)]
pub struct Slice {
    pub offset: u64,
    pub count: u64,
}

/// The IDs of one slice of the ordered matches, and how many match in all.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub ids: Vec<Uuid>,
    pub total: u64,
}

/// A text filter held in memory: only the operators whose SQL meaning does not depend on the
/// database's collation or case rules (`eq`, `ne`, `in`, `isNull`).
fn exact_text(filter: &StringFilter) -> bool {
    filter.contains.is_none() && filter.starts_with.is_none()
}

/// Live-only scope: `archived: true` (archived records) is for SQL.
fn live(archived: Option<bool>) -> bool {
    archived != Some(true)
}

/// A project filter compiled for the index.
#[derive(Debug, Clone)]
pub enum ProjectTest {
    Id(IdPredicate),
    Programme(StringFilter),
    Kind(ProjectKindFilter),
    Status(ProjectStatusFilter),
    Start(DateFilter),
    End(DateFilter),
    HasEnterprise(Box<NodeTest>),
    HasInstitution(Box<NodeTest>),
    /// A relation test resolved against the data ([`ProjectTest::resolve`]): a participant on
    /// this side is marked.
    Participant {
        enterprises: bool,
        marked: Vec<bool>,
    },
    All(Vec<ProjectTest>),
    Any(Vec<ProjectTest>),
}

/// An enterprise or institution filter compiled for the index.
#[derive(Debug, Clone)]
pub enum NodeTest {
    Id(IdPredicate),
    Name(StringFilter),
    County(CountyFilter),
    InstitutionKind(InstitutionKindFilter),
    IsKey(BoolFilter),
    AboveScale(BoolFilter),
    Employees(IntFilter),
    FoundedYear(IntFilter),
    /// At least one of the enterprise's segments passes every part.
    Segment(Box<SegmentTest>),
    HasProject(Box<ProjectTest>),
    /// A relation test resolved against the data ([`NodeTest::resolve`]): the node is marked.
    Marked(Vec<bool>),
    All(Vec<NodeTest>),
    Any(Vec<NodeTest>),
}

/// The parts of an enterprise filter on its chain segments, all held by one segment.
#[derive(Debug, Clone)]
pub struct SegmentTest {
    chain: Option<IdPredicate>,
    chain_code: Option<StringFilter>,
    segment: Option<IdPredicate>,
    segment_code: Option<StringFilter>,
    stage: Option<ChainStageFilter>,
}

impl SegmentTest {
    /// Whether one segment passes every part.
    fn holds(&self, data: &GraphData, held: &super::data::Segment) -> bool {
        let Self { chain, chain_code, segment, segment_code, stage } = self;
        let of_chain = &data.chains[held.chain as usize];
        chain.as_ref().is_none_or(|predicate| predicate.matches(Some(of_chain.id)))
            && chain_code.as_ref().is_none_or(|filter| filter.matches(Some(&of_chain.code)))
            && segment.as_ref().is_none_or(|predicate| predicate.matches(Some(held.id)))
            && segment_code.as_ref().is_none_or(|filter| filter.matches(Some(&held.code)))
            && stage.as_ref().is_none_or(|filter| filter.matches(Some(held.stage)))
    }
}

/// Compiles `and`/`or` lists; `None` when any member is not held.
fn connectives<F, T>(
    mut tests: Vec<T>,
    and: &Option<Vec<F>>,
    or: &Option<Vec<F>>,
    compile: impl Fn(&F) -> AppResult<Option<T>>,
    all: fn(Vec<T>) -> T,
    any: fn(Vec<T>) -> T,
) -> AppResult<Option<T>> {
    for filter in and.iter().flatten() {
        match compile(filter)? {
            Some(test) => tests.push(test),
            None => return Ok(None),
        }
    }
    if let Some(alternatives) = or {
        let mut options = Vec::new();
        for filter in alternatives {
            match compile(filter)? {
                Some(test) => options.push(test),
                None => return Ok(None),
            }
        }
        tests.push(any(options));
    }
    Ok(Some(all(tests)))
}

fn id(filter: &Option<IdFilter>, kind: NodeKind) -> AppResult<Option<IdPredicate>> {
    filter.as_ref().map(|filter| filter.predicate(kind)).transpose()
}

impl ProjectTest {
    /// The filter as a test over the index, or `None` when it uses anything the index does not
    /// hold exactly. Every field is named, so a new filter field must be decided on here.
    pub fn compile(filter: &ProjectFilter) -> AppResult<Option<Self>> {
        let ProjectFilter {
            id: by_id,
            title,
            programme,
            kind,
            status,
            start_date,
            end_date,
            funding_cny,
            patents,
            papers,
            products,
            trainees,
            version,
            is_demo,
            external_ref,
            archived,
            has_enterprise,
            has_institution,
            and,
            or,
            not,
        } = filter;
        let unheld = title.is_some()
            || funding_cny.is_some()
            || patents.is_some()
            || papers.is_some()
            || products.is_some()
            || trainees.is_some()
            || version.is_some()
            || is_demo.is_some()
            || external_ref.is_some()
            || not.is_some()
            || !live(*archived)
            || programme.as_ref().is_some_and(|filter| !exact_text(filter));
        if unheld {
            return Ok(None);
        }
        let mut tests = Vec::new();
        if let Some(predicate) = id(by_id, NodeKind::Project)? {
            tests.push(Self::Id(predicate));
        }
        tests.extend(programme.clone().map(Self::Programme));
        tests.extend(kind.clone().map(Self::Kind));
        tests.extend(status.clone().map(Self::Status));
        tests.extend(start_date.clone().map(Self::Start));
        tests.extend(end_date.clone().map(Self::End));
        if let Some(filter) = has_enterprise {
            let Some(test) = NodeTest::compile_enterprise(filter)? else { return Ok(None) };
            tests.push(Self::HasEnterprise(Box::new(test)));
        }
        if let Some(filter) = has_institution {
            let Some(test) = NodeTest::compile_institution(filter)? else { return Ok(None) };
            tests.push(Self::HasInstitution(Box::new(test)));
        }
        connectives(tests, and, or, Self::compile, Self::All, Self::Any)
    }

    /// Whether the test follows a relation (participants), which SQL answers as a semi-join
    /// over a link table.
    pub fn crosses_relations(&self) -> bool {
        match self {
            Self::HasEnterprise(_) | Self::HasInstitution(_) | Self::Participant { .. } => true,
            Self::All(tests) | Self::Any(tests) => tests.iter().any(Self::crosses_relations),
            _ => false,
        }
    }

    /// Whether the test passes every (live) project.
    pub fn is_everything(&self) -> bool {
        matches!(self, Self::All(tests) if tests.is_empty())
    }

    /// Evaluates each relation test once for the whole data (the nodes passing it, marked in
    /// one pass) instead of once per project and participant: sequential passes instead of
    /// random reads, which is what makes a relation filter over a million projects fast.
    pub fn resolve(self, data: &GraphData) -> Self {
        let mark = |test: NodeTest, side: Side| -> Vec<bool> {
            let test = test.resolve(data);
            (0..data.nodes.len() as u32)
                .map(|node| data.facts[node as usize].side == side && test.matches(data, node))
                .collect()
        };
        match self {
            Self::HasEnterprise(test) => Self::Participant { enterprises: true, marked: mark(*test, Side::Enterprise) },
            Self::HasInstitution(test) => {
                Self::Participant { enterprises: false, marked: mark(*test, Side::Institution) }
            }
            Self::All(tests) => Self::All(tests.into_iter().map(|test| test.resolve(data)).collect()),
            Self::Any(tests) => Self::Any(tests.into_iter().map(|test| test.resolve(data)).collect()),
            other => other,
        }
    }

    /// Whether the (live) project passes.
    pub fn matches(&self, data: &GraphData, project: &ProjectRecord) -> bool {
        match self {
            Self::Id(predicate) => predicate.matches(Some(project.id)),
            Self::Programme(filter) => {
                filter.matches(data.programmes.get(project.programme as usize).map(String::as_str))
            }
            Self::Kind(filter) => filter.matches(Some(project.kind)),
            Self::Status(filter) => filter.matches(Some(project.status)),
            Self::Start(filter) => filter.matches(project.start),
            Self::End(filter) => filter.matches(project.end),
            Self::HasEnterprise(test) => data.enterprises_of(project).iter().any(|&node| test.matches(data, node)),
            Self::HasInstitution(test) => data.institutions_of(project).iter().any(|&node| test.matches(data, node)),
            Self::Participant { enterprises, marked } => {
                let nodes = if *enterprises { data.enterprises_of(project) } else { data.institutions_of(project) };
                nodes.iter().any(|&node| marked[node as usize])
            }
            Self::All(tests) => tests.iter().all(|test| test.matches(data, project)),
            Self::Any(tests) => tests.iter().any(|test| test.matches(data, project)),
        }
    }
}

impl NodeTest {
    /// An enterprise filter as a test over the index (see [`ProjectTest::compile`]).
    pub fn compile_enterprise(filter: &EnterpriseFilter) -> AppResult<Option<Self>> {
        let EnterpriseFilter {
            id: by_id,
            name,
            credit_code,
            county,
            above_scale,
            is_key,
            employees,
            founded_year,
            is_demo,
            version,
            archived,
            chain,
            chain_code,
            segment,
            segment_code,
            stage,
            has_project,
            project_count,
            and,
            or,
            not,
        } = filter;
        // The index does not hold enterprises' credit codes or versions.
        let unheld = credit_code.is_some()
            || is_demo.is_some()
            || version.is_some()
            || project_count.is_some()
            || not.is_some()
            || !live(*archived)
            || name.as_ref().is_some_and(|filter| !exact_text(filter))
            || chain_code.as_ref().is_some_and(|filter| !exact_text(filter))
            || segment_code.as_ref().is_some_and(|filter| !exact_text(filter));
        if unheld {
            return Ok(None);
        }
        let mut tests = Vec::new();
        if let Some(predicate) = id(by_id, NodeKind::Enterprise)? {
            tests.push(Self::Id(predicate));
        }
        tests.extend(name.clone().map(Self::Name));
        tests.extend(county.clone().map(Self::County));
        tests.extend(above_scale.clone().map(Self::AboveScale));
        tests.extend(is_key.clone().map(Self::IsKey));
        tests.extend(employees.clone().map(Self::Employees));
        tests.extend(founded_year.clone().map(Self::FoundedYear));
        if chain.is_some() || chain_code.is_some() || segment.is_some() || segment_code.is_some() || stage.is_some() {
            tests.push(Self::Segment(Box::new(SegmentTest {
                chain: id(chain, NodeKind::IndustryChain)?,
                chain_code: chain_code.clone(),
                segment: id(segment, NodeKind::ChainSegment)?,
                segment_code: segment_code.clone(),
                stage: stage.clone(),
            })));
        }
        if let Some(filter) = has_project {
            let Some(test) = ProjectTest::compile(filter)? else { return Ok(None) };
            tests.push(Self::HasProject(Box::new(test)));
        }
        connectives(tests, and, or, Self::compile_enterprise, Self::All, Self::Any)
    }

    /// An institution filter as a test over the index (see [`ProjectTest::compile`]).
    pub fn compile_institution(filter: &InstitutionFilter) -> AppResult<Option<Self>> {
        let InstitutionFilter {
            id: by_id,
            name,
            name_en,
            kind,
            province,
            city,
            is_key,
            version,
            archived,
            has_project,
            project_count,
            and,
            or,
            not,
        } = filter;
        let unheld = name_en.is_some()
            || province.is_some()
            || city.is_some()
            || version.is_some()
            || project_count.is_some()
            || not.is_some()
            || !live(*archived)
            || name.as_ref().is_some_and(|filter| !exact_text(filter));
        if unheld {
            return Ok(None);
        }
        let mut tests = Vec::new();
        if let Some(predicate) = id(by_id, NodeKind::Institution)? {
            tests.push(Self::Id(predicate));
        }
        tests.extend(name.clone().map(Self::Name));
        tests.extend(kind.clone().map(Self::InstitutionKind));
        tests.extend(is_key.clone().map(Self::IsKey));
        if let Some(filter) = has_project {
            let Some(test) = ProjectTest::compile(filter)? else { return Ok(None) };
            tests.push(Self::HasProject(Box::new(test)));
        }
        connectives(tests, and, or, Self::compile_institution, Self::All, Self::Any)
    }

    /// Whether the test follows a relation (projects), which SQL answers as a semi-join over
    /// a link table.
    pub fn crosses_relations(&self) -> bool {
        match self {
            Self::HasProject(_) => true,
            Self::All(tests) | Self::Any(tests) => tests.iter().any(Self::crosses_relations),
            _ => false,
        }
    }

    /// Evaluates each relation test once for the whole data (see [`ProjectTest::resolve`]):
    /// the projects passing it are found in one pass and their participants marked.
    pub fn resolve(self, data: &GraphData) -> Self {
        match self {
            Self::Segment(parts) => {
                let mut marked = vec![false; data.nodes.len()];
                for segment in data.segments.iter().filter(|segment| parts.holds(data, segment)) {
                    for &node in &segment.members {
                        marked[node as usize] = true;
                    }
                }
                Self::Marked(marked)
            }
            Self::HasProject(test) => {
                let test = test.resolve(data);
                let mut marked = vec![false; data.nodes.len()];
                for project in data.projects.iter().filter(|project| project.alive && test.matches(data, project)) {
                    for &node in data.enterprises_of(project).iter().chain(data.institutions_of(project)) {
                        marked[node as usize] = true;
                    }
                }
                Self::Marked(marked)
            }
            Self::All(tests) => Self::All(tests.into_iter().map(|test| test.resolve(data)).collect()),
            Self::Any(tests) => Self::Any(tests.into_iter().map(|test| test.resolve(data)).collect()),
            other => other,
        }
    }

    /// Whether the node passes.
    pub fn matches(&self, data: &GraphData, node: u32) -> bool {
        let record = &data.nodes[node as usize];
        let facts = &data.facts[node as usize];
        match self {
            Self::Id(predicate) => predicate.matches(Some(record.id)),
            Self::Name(filter) => filter.matches(Some(&record.name)),
            Self::County(filter) => filter.matches(facts.county),
            Self::InstitutionKind(filter) => filter.matches(facts.institution_kind),
            Self::IsKey(filter) => filter.matches(facts.is_key),
            Self::AboveScale(filter) => filter.matches(facts.above_scale),
            Self::Employees(filter) => filter.matches(Some(facts.employees.into())),
            Self::FoundedYear(filter) => filter.matches(facts.founded_year.map(i64::from)),
            Self::Segment(parts) => {
                record.segments.iter().any(|&index| parts.holds(data, &data.segments[index as usize]))
            }
            Self::HasProject(test) => data.node_projects[node as usize].iter().any(|&index| {
                let project = &data.projects[index as usize];
                project.alive && test.matches(data, project)
            }),
            Self::Marked(marked) => marked[node as usize],
            Self::All(tests) => tests.iter().all(|test| test.matches(data, node)),
            Self::Any(tests) => tests.iter().any(|test| test.matches(data, node)),
        }
    }
}

/// A sort key the index can compute for a record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Date(Option<NaiveDate>),
    Int(Option<i64>),
    Text(&'static str),
    Count(usize),
}

/// Compares two optional sort values with the database's place for unset ones.
fn with_nulls<T: Ord>(left: Option<T>, right: Option<T>, nulls: Nulls) -> Ordering {
    match (left, right) {
        (Some(left), Some(right)) => left.cmp(&right),
        (None, None) => Ordering::Equal,
        (None, Some(_)) if nulls == Nulls::Greatest => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) if nulls == Nulls::Greatest => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
    }
}

fn compare(left: &Key, right: &Key, nulls: Nulls) -> Ordering {
    match (left, right) {
        (Key::Date(left), Key::Date(right)) => with_nulls(*left, *right, nulls),
        (Key::Int(left), Key::Int(right)) => with_nulls(*left, *right, nulls),
        _ => left.cmp(right),
    }
}

/// The live projects a node takes part in.
fn live_projects(data: &GraphData, node: u32) -> usize {
    data.node_projects[node as usize].iter().filter(|&&index| data.projects[index as usize].alive).count()
}

/// Sorts `matches` by `keys` (then by ID) far enough to cut the slice (given the total), and
/// returns its IDs.
fn cut<T: Copy>(
    mut matches: Vec<T>,
    slice: impl FnOnce(u64) -> Slice,
    key_of: impl Fn(T, usize) -> Key,
    directions: &[SortDirection],
    id_of: impl Fn(T) -> Uuid,
    nulls: Nulls,
) -> Listing {
    let total = matches.len() as u64;
    let slice = slice(total);
    let order = |a: &T, b: &T| -> Ordering {
        for (position, direction) in directions.iter().enumerate() {
            let ordering = compare(&key_of(*a, position), &key_of(*b, position), nulls);
            let ordering = if *direction == SortDirection::Desc { ordering.reverse() } else { ordering };
            if ordering.is_ne() {
                return ordering;
            }
        }
        id_of(*a).cmp(&id_of(*b))
    };
    let end = slice.offset.saturating_add(slice.count).min(total) as usize;
    let start = (slice.offset.min(total)) as usize;
    if end == 0 || start >= end {
        return Listing { ids: Vec::new(), total };
    }
    // Only the first `end` need sorting: select them, then sort those.
    if end < matches.len() {
        matches.select_nth_unstable_by(end - 1, order);
        matches.truncate(end);
    }
    matches.sort_unstable_by(order);
    Listing { ids: matches[start..end].iter().map(|item| id_of(*item)).collect(), total }
}

/// Sort keys of projects the index holds; `None` when a key is not held.
fn project_keys(order: &[ProjectOrder]) -> Option<Vec<(ProjectOrderField, SortDirection)>> {
    order
        .iter()
        .map(|key| match key.field {
            ProjectOrderField::StartDate
            | ProjectOrderField::EndDate
            | ProjectOrderField::Status
            | ProjectOrderField::EnterpriseCount
            | ProjectOrderField::InstitutionCount => Some((key.field, key.direction)),
            _ => None,
        })
        .collect()
}

/// Whether the index can order projects by `order`.
pub fn holds_project_order(order: &[ProjectOrder]) -> bool {
    project_keys(order).is_some()
}

/// Whether the index can order enterprises by `order` (county, size, founding year, live
/// projects; names sort by the database's collation, so they stay with SQL).
pub fn holds_enterprise_order(order: &[EnterpriseOrder]) -> bool {
    order.iter().all(|key| {
        matches!(
            key.field,
            EnterpriseOrderField::County
                | EnterpriseOrderField::Employees
                | EnterpriseOrderField::FoundedYear
                | EnterpriseOrderField::ProjectCount
        )
    })
}

/// Whether the index can order institutions by `order` (by kind or by live projects).
pub fn holds_institution_order(order: &[InstitutionOrder]) -> bool {
    order.iter().all(|key| matches!(key.field, InstitutionOrderField::Kind | InstitutionOrderField::ProjectCount))
}

/// The live projects passing `test`, ordered by `order` (held: see [`holds_project_order`]).
pub fn projects(
    data: &GraphData,
    test: &ProjectTest,
    order: &[ProjectOrder],
    nulls: Nulls,
    slice: impl FnOnce(u64) -> Slice,
) -> Listing {
    let keys = project_keys(order).unwrap_or_default();
    let test = test.clone().resolve(data);
    let matches: Vec<u32> = (0..data.projects.len() as u32)
        .filter(|&index| {
            let project = &data.projects[index as usize];
            project.alive && test.matches(data, project)
        })
        .collect();
    let directions: Vec<SortDirection> = keys.iter().map(|(_, direction)| *direction).collect();
    let key_of = |index: u32, position: usize| -> Key {
        let project = &data.projects[index as usize];
        match keys[position].0 {
            ProjectOrderField::StartDate => Key::Date(project.start),
            ProjectOrderField::EndDate => Key::Date(project.end),
            ProjectOrderField::Status => Key::Text(project.status.code()),
            ProjectOrderField::EnterpriseCount => Key::Count(project.enterprises.into()),
            _ => Key::Count(project.institutions.into()),
        }
    };
    cut(matches, slice, key_of, &directions, |index| data.projects[index as usize].id, nulls)
}

/// What an enterprise or institution is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKey {
    /// County (enterprises) or kind (institutions), by code.
    Code,
    Employees,
    FoundedYear,
    LiveProjects,
}

/// The enterprises or institutions passing `test`, sorted by `keys`.
fn nodes(
    data: &GraphData,
    side: Side,
    test: &NodeTest,
    keys: &[(NodeKey, SortDirection)],
    nulls: Nulls,
    slice: impl FnOnce(u64) -> Slice,
) -> Listing {
    let test = test.clone().resolve(data);
    let matches: Vec<u32> = (0..data.nodes.len() as u32)
        .filter(|&node| data.facts[node as usize].side == side && test.matches(data, node))
        .collect();
    let directions: Vec<SortDirection> = keys.iter().map(|(_, direction)| *direction).collect();
    // Counted once per matching node, not once per comparison.
    let mut counts: Vec<usize> = Vec::new();
    if keys.iter().any(|(key, _)| *key == NodeKey::LiveProjects) {
        counts.resize(data.nodes.len(), 0);
        for &node in &matches {
            counts[node as usize] = live_projects(data, node);
        }
    }
    let key_of = |node: u32, position: usize| -> Key {
        let facts = &data.facts[node as usize];
        match keys[position].0 {
            NodeKey::LiveProjects => Key::Count(counts[node as usize]),
            NodeKey::Employees => Key::Int(Some(facts.employees.into())),
            NodeKey::FoundedYear => Key::Int(facts.founded_year.map(i64::from)),
            NodeKey::Code => Key::Text(match side {
                Side::Enterprise => facts.county.map_or("", County::code),
                Side::Institution => facts.institution_kind.map_or("", InstitutionKind::code),
            }),
        }
    };
    cut(matches, slice, key_of, &directions, |node| data.nodes[node as usize].id, nulls)
}

/// The enterprises passing `test`, ordered by `order` (held: see [`holds_enterprise_order`]).
pub fn enterprises(
    data: &GraphData,
    test: &NodeTest,
    order: &[EnterpriseOrder],
    nulls: Nulls,
    slice: impl FnOnce(u64) -> Slice,
) -> Listing {
    let keys: Vec<(NodeKey, SortDirection)> = order
        .iter()
        .map(|key| {
            let by = match key.field {
                EnterpriseOrderField::ProjectCount => NodeKey::LiveProjects,
                EnterpriseOrderField::Employees => NodeKey::Employees,
                EnterpriseOrderField::FoundedYear => NodeKey::FoundedYear,
                _ => NodeKey::Code,
            };
            (by, key.direction)
        })
        .collect();
    nodes(data, Side::Enterprise, test, &keys, nulls, slice)
}

/// The institutions passing `test`, ordered by `order` (held: see [`holds_institution_order`]).
pub fn institutions(
    data: &GraphData,
    test: &NodeTest,
    order: &[InstitutionOrder],
    nulls: Nulls,
    slice: impl FnOnce(u64) -> Slice,
) -> Listing {
    let keys: Vec<(NodeKey, SortDirection)> = order
        .iter()
        .map(|key| {
            let by =
                if key.field == InstitutionOrderField::ProjectCount { NodeKey::LiveProjects } else { NodeKey::Code };
            (by, key.direction)
        })
        .collect();
    nodes(data, Side::Institution, test, &keys, nulls, slice)
}
