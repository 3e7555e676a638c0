//! The in-memory cooperation graph: a bipartite incidence structure. Every node (enterprise
//! or institution) lists the projects it takes part in; every project lists its participants
//! in one shared arena. Edges (enterprise–institution, weight = projects) are derived on
//! demand, so a status change or a new project is a small in-place update.

use std::collections::HashMap;

use chrono::NaiveDate;
use shared::{ChainStage, County, InstitutionKind, ProjectKind, ProjectStatus};
use uuid::Uuid;

/// Which side of the network a node is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Enterprise,
    Institution,
}

/// A node of the network.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: Uuid,
    pub side: Side,
    pub name: String,
    /// Institutions: their English name, when recorded.
    pub name_en: Option<String>,
    /// Institutions: what they are strong in.
    pub disciplines: shared::Disciplines,
    /// Enterprises: their county.
    pub county: Option<County>,
    /// Enterprises: indices into `GraphData::segments`.
    pub segments: Vec<u32>,
    /// Institutions: their kind.
    pub institution_kind: Option<InstitutionKind>,
    pub is_key: bool,
    /// Enterprises: above-scale flag, employees and founding year (for lists the index
    /// answers; 0 and unset for institutions).
    pub above_scale: bool,
    pub employees: i32,
    pub founded_year: Option<i32>,
}

/// What list filters and orders read of a node, packed (20 bytes) beside `GraphData::nodes`
/// so that a scan of every node for a list stays in cache; kept by [`GraphData::add_node`].
#[derive(Debug, Clone, Copy)]
pub struct NodeFacts {
    pub side: Side,
    pub county: Option<County>,
    pub institution_kind: Option<InstitutionKind>,
    pub is_key: bool,
    pub above_scale: bool,
    pub employees: i32,
    pub founded_year: Option<i32>,
}

/// A chain segment, for filters and chain views.
#[derive(Debug, Clone)]
pub struct Segment {
    pub id: Uuid,
    /// The segment's stable code (e.g. `new_energy_vehicles.2`).
    pub code: String,
    pub chain: u32,
    pub stage: ChainStage,
    pub position: i32,
    pub name: String,
    /// The disciplines its work needs.
    pub needs: shared::Disciplines,
    /// The enterprises in the segment (node indices), kept with their `Node::segments`.
    pub members: Vec<u32>,
}

/// An industry chain.
#[derive(Debug, Clone)]
pub struct Chain {
    pub id: Uuid,
    /// The chain's stable code (e.g. `new_energy_vehicles`).
    pub code: String,
    pub name: String,
    pub segments: Vec<u32>,
}

/// A project, compactly.
#[derive(Debug, Clone)]
pub struct ProjectRecord {
    pub id: Uuid,
    pub status: ProjectStatus,
    pub kind: ProjectKind,
    /// Index into `GraphData::programmes`.
    pub programme: u32,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Participants: `participants[first .. first + enterprises]` are enterprises, the next
    /// `institutions` entries institutions (node indices).
    pub first: u32,
    pub enterprises: u16,
    pub institutions: u16,
    /// Removed projects stay as tombstones so indices remain stable.
    pub alive: bool,
}

/// Everything the graph queries read.
#[derive(Debug, Default, Clone)]
pub struct GraphData {
    pub nodes: Vec<Node>,
    /// Per node, the facts lists filter and sort by (see [`NodeFacts`]).
    pub facts: Vec<NodeFacts>,
    pub node_index: HashMap<Uuid, u32>,
    /// Per node: the projects it takes part in (indices into `projects`).
    pub node_projects: Vec<Vec<u32>>,
    pub projects: Vec<ProjectRecord>,
    pub project_index: HashMap<Uuid, u32>,
    pub participants: Vec<u32>,
    pub programmes: Vec<String>,
    pub chains: Vec<Chain>,
    pub chain_index: HashMap<Uuid, u32>,
    pub segments: Vec<Segment>,
    pub segment_index: HashMap<Uuid, u32>,
    /// The committed version of each project changed since the index was built: a change
    /// applies only when it is newer, so two close writers can never leave the older state.
    pub versions: HashMap<Uuid, i32>,
}

/// A project as the index receives it.
#[derive(Debug, Clone)]
pub struct ProjectInput {
    pub id: Uuid,
    pub status: ProjectStatus,
    pub kind: ProjectKind,
    pub programme: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub enterprises: Vec<Uuid>,
    pub institutions: Vec<Uuid>,
}

impl GraphData {
    /// Adds a node and returns its index.
    pub fn add_node(&mut self, node: Node) -> u32 {
        let index = self.nodes.len() as u32;
        self.node_index.insert(node.id, index);
        self.facts.push(NodeFacts {
            side: node.side,
            county: node.county,
            institution_kind: node.institution_kind,
            is_key: node.is_key,
            above_scale: node.above_scale,
            employees: node.employees,
            founded_year: node.founded_year,
        });
        for &segment in &node.segments {
            self.segments[segment as usize].members.push(index);
        }
        self.nodes.push(node);
        self.node_projects.push(Vec::new());
        index
    }

    /// Puts an enterprise in a segment.
    pub fn add_to_segment(&mut self, node: u32, segment: u32) {
        self.nodes[node as usize].segments.push(segment);
        self.segments[segment as usize].members.push(node);
    }

    fn programme_index(&mut self, programme: &str) -> u32 {
        match self.programmes.iter().position(|known| known == programme) {
            Some(index) => index as u32,
            None => {
                self.programmes.push(programme.to_owned());
                (self.programmes.len() - 1) as u32
            }
        }
    }

    /// Adds or replaces a project. Participants unknown to the index are ignored.
    pub fn upsert_project(&mut self, input: ProjectInput) {
        self.remove_project(input.id);
        let enterprises: Vec<u32> =
            input.enterprises.iter().filter_map(|id| self.node_index.get(id).copied()).collect();
        let institutions: Vec<u32> =
            input.institutions.iter().filter_map(|id| self.node_index.get(id).copied()).collect();
        let index = self.projects.len() as u32;
        let programme = self.programme_index(&input.programme);
        let first = self.participants.len() as u32;
        self.participants.extend(enterprises.iter().chain(&institutions));
        for node in enterprises.iter().chain(&institutions) {
            self.node_projects[*node as usize].push(index);
        }
        self.projects.push(ProjectRecord {
            id: input.id,
            status: input.status,
            kind: input.kind,
            programme,
            start: input.start,
            end: input.end,
            first,
            enterprises: enterprises.len() as u16,
            institutions: institutions.len() as u16,
            alive: true,
        });
        self.project_index.insert(input.id, index);
    }

    /// Removes a project (a tombstone; its participants forget it).
    pub fn remove_project(&mut self, id: Uuid) -> bool {
        let Some(index) = self.project_index.remove(&id) else {
            return false;
        };
        let record = &mut self.projects[index as usize];
        record.alive = false;
        let range =
            record.first as usize..(record.first as usize + record.enterprises as usize + record.institutions as usize);
        for node in &self.participants[range] {
            self.node_projects[*node as usize].retain(|project| *project != index);
        }
        true
    }

    /// Applies a committed change of a project's status and dates, unless the index already
    /// holds a newer version of it. Returns whether it applied.
    pub fn apply_committed(
        &mut self,
        id: Uuid,
        version: i32,
        status: ProjectStatus,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> bool {
        if self.versions.get(&id).is_some_and(|known| *known >= version) {
            return false;
        }
        if !self.update_project_fields(id, status, start, end) {
            return false;
        }
        self.versions.insert(id, version);
        true
    }

    /// Updates the fields of a project that do not change its participants.
    pub fn update_project_fields(
        &mut self,
        id: Uuid,
        status: ProjectStatus,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> bool {
        match self.project_index.get(&id) {
            Some(index) => {
                let record = &mut self.projects[*index as usize];
                record.status = status;
                record.start = start;
                record.end = end;
                true
            }
            None => false,
        }
    }

    /// A project's enterprises.
    pub fn enterprises_of(&self, project: &ProjectRecord) -> &[u32] {
        &self.participants[project.first as usize..project.first as usize + project.enterprises as usize]
    }

    /// A project's institutions.
    pub fn institutions_of(&self, project: &ProjectRecord) -> &[u32] {
        let start = project.first as usize + project.enterprises as usize;
        &self.participants[start..start + project.institutions as usize]
    }

    /// The nodes on the other side of `node` in `project`.
    pub fn counterparts(&self, node: u32, project: &ProjectRecord) -> &[u32] {
        match self.nodes[node as usize].side {
            Side::Enterprise => self.institutions_of(project),
            Side::Institution => self.enterprises_of(project),
        }
    }

    /// For each of `ids` that is a node, the IDs of its projects, newest first: by start date
    /// descending with undated (not yet started) projects first, then by ID. This is the
    /// order of every `projects` connection of an enterprise or institution.
    pub fn projects_of_nodes(&self, ids: &[Uuid]) -> HashMap<Uuid, Vec<Uuid>> {
        let newest_first = |a: &&ProjectRecord, b: &&ProjectRecord| {
            match (a.start, b.start) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) => std::cmp::Ordering::Less,
                (Some(_), None) => std::cmp::Ordering::Greater,
                (Some(a), Some(b)) => b.cmp(&a),
            }
            .then(a.id.cmp(&b.id))
        };
        let mut linked = HashMap::with_capacity(ids.len());
        for id in ids {
            let Some(&node) = self.node_index.get(id) else { continue };
            let mut projects: Vec<&ProjectRecord> =
                self.node_projects[node as usize].iter().map(|&index| &self.projects[index as usize]).collect();
            projects.sort_unstable_by(newest_first);
            linked.insert(*id, projects.into_iter().map(|project| project.id).collect());
        }
        linked
    }

    /// For each of `ids` that is a project, the IDs of its participants on `side`, by name
    /// (code point order, the same on every database) then by ID.
    pub fn participants_of_projects(&self, ids: &[Uuid], side: Side) -> HashMap<Uuid, Vec<Uuid>> {
        let mut linked = HashMap::with_capacity(ids.len());
        for id in ids {
            let Some(&index) = self.project_index.get(id) else { continue };
            let project = &self.projects[index as usize];
            let participants = match side {
                Side::Enterprise => self.enterprises_of(project),
                Side::Institution => self.institutions_of(project),
            };
            let mut nodes: Vec<&Node> = participants.iter().map(|&node| &self.nodes[node as usize]).collect();
            nodes.sort_unstable_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            linked.insert(*id, nodes.into_iter().map(|node| node.id).collect());
        }
        linked
    }

    /// The number of live projects.
    pub fn live_projects(&self) -> usize {
        self.project_index.len()
    }

    /// Approximate heap bytes held by the index (for the benchmark's memory figure).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let nodes: usize =
            self.nodes.iter().map(|node| size_of::<Node>() + node.name.capacity() + node.segments.capacity() * 4).sum();
        let incidence: usize = self.node_projects.iter().map(|list| size_of::<Vec<u32>>() + list.capacity() * 4).sum();
        let maps = (self.node_index.capacity() + self.project_index.capacity()) * (size_of::<Uuid>() + 4 + 8);
        nodes
            + incidence
            + maps
            + self.projects.capacity() * size_of::<ProjectRecord>()
            + self.participants.capacity() * 4
    }
}
