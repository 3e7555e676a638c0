// The benchmark's queries, written once per peer, and how each answer is reduced to one
// canonical form (UUIDs, lower-case status codes, sorted) so that the peers' answers can be
// compared for equality before anything is timed.

/// Our global IDs are base64url("<Type>:<uuid>"); the peers use the UUIDs themselves.
export function uuidOf(id) {
  if (/^[0-9a-f-]{36}$/.test(id)) return id;
  return Buffer.from(id, "base64url").toString("utf8").split(":")[1];
}

const sorted = (items) => items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

const ours = {
  q1: {
    query: `query Q1($chain: ID!, $first: Int!) {
      enterprises(first: $first, filter: { chain: { eq: $chain } }) {
        nodes { id name projects(first: 25) { nodes { id title status institutions(first: 5) { nodes { id name } } } } }
      }
    }`,
    variables: (p, first = 20) => ({ chain: p.chainGlobalId, first }),
    canonical: (data) =>
      sorted(data.enterprises.nodes.map((e) => [uuidOf(e.id), e.name, sorted(e.projects.nodes.map((pr) => [
        uuidOf(pr.id), pr.title, pr.status.toLowerCase(), sorted(pr.institutions.nodes.map((i) => uuidOf(i.id))),
      ]))])),
  },
  q2: {
    query: `query Q2($id: ID!) { egoNetwork(nodeId: $id, depth: 2) { nodes { id } } }`,
    variables: (p) => ({ id: p.enterpriseGlobalId }),
    canonical: (data) => data.egoNetwork.nodes.map((n) => uuidOf(n.id)).sort(),
  },
  q3: {
    query: `query Q3 {
      byChain: projectAggregate(groupBy: [CHAIN]) { chainId count }
      byInstitution: projectAggregate(groupBy: [INSTITUTION]) { institutionId count }
    }`,
    variables: () => ({}),
    canonical: (data) => ({
      byChain: sorted(data.byChain.filter((r) => r.chainId).map((r) => [uuidOf(r.chainId), r.count])),
      byInstitution: sorted(data.byInstitution.filter((r) => r.institutionId).map((r) => [uuidOf(r.institutionId), r.count])),
    }),
  },
  q4: {
    query: `query Q4($id: ID!) { node(id: $id) { ... on Project { id title status startDate trainees } } }`,
    variables: (p) => ({ id: p.projectGlobalId }),
    canonical: (data) => {
      const p = data.node;
      return [uuidOf(p.id), p.title, p.status.toLowerCase(), p.startDate, p.trainees];
    },
  },
};

const postgraphile = {
  q1: {
    query: `query Q1($chain: UUID!, $first: Int!) {
      allEnterprises(first: $first, orderBy: ID_ASC, filter: {
        enterpriseSegmentsByEnterpriseId: { some: { chainSegmentBySegmentId: { chainId: { equalTo: $chain } } } }
      }) {
        nodes { id name projectEnterprisesByEnterpriseId { nodes { projectByProjectId { id title status
          projectInstitutionsByProjectId { nodes { institutionByInstitutionId { id name } } } } } } }
      }
    }`,
    variables: (p, first = 20) => ({ chain: p.chainId, first }),
    canonical: (data) =>
      sorted(data.allEnterprises.nodes.map((e) => [e.id, e.name, sorted(e.projectEnterprisesByEnterpriseId.nodes.map(({ projectByProjectId: pr }) => [
        pr.id, pr.title, pr.status, sorted(pr.projectInstitutionsByProjectId.nodes.map((i) => i.institutionByInstitutionId.id)),
      ]))])),
  },
  q2: {
    query: `query Q2($id: UUID!) {
      enterprisById(id: $id) { id projectEnterprisesByEnterpriseId { nodes { projectByProjectId {
        projectInstitutionsByProjectId { nodes { institutionByInstitutionId { id
          projectInstitutionsByInstitutionId { nodes { projectByProjectId {
            projectEnterprisesByProjectId { nodes { enterpriseId } } } } } } } } } } }
      }
    }`,
    variables: (p) => ({ id: p.enterpriseId }),
    canonical: (data) => {
      const nodes = new Set();
      const start = data.enterprisById;
      for (const { projectByProjectId: p } of start.projectEnterprisesByEnterpriseId.nodes) {
        for (const { institutionByInstitutionId: i } of p.projectInstitutionsByProjectId.nodes) {
          nodes.add(start.id);
          nodes.add(i.id);
          for (const { projectByProjectId: q } of i.projectInstitutionsByInstitutionId.nodes) {
            for (const e of q.projectEnterprisesByProjectId.nodes) nodes.add(e.enterpriseId);
          }
        }
      }
      return [...nodes].sort();
    },
  },
  q3: {
    // PostGraphile has no grouping of its own: pg-aggregates groups a table by its columns, and
    // the project → chain relation (through enterprises and segments) needs a view, as a
    // PostGraphile user would write (bench_project_chains, created by the harness).
    query: `query Q3 {
      allBenchProjectChains { groupedAggregates(groupBy: [CHAIN_ID]) { keys distinctCount { projectId } } }
      allProjectInstitutions { groupedAggregates(groupBy: [INSTITUTION_ID]) { keys distinctCount { projectId } } }
    }`,
    variables: () => ({}),
    canonical: (data) => ({
      byChain: sorted(data.allBenchProjectChains.groupedAggregates.map((g) => [g.keys[0], Number(g.distinctCount.projectId)])),
      byInstitution: sorted(data.allProjectInstitutions.groupedAggregates.map((g) => [g.keys[0], Number(g.distinctCount.projectId)])),
    }),
  },
  q4: {
    query: `query Q4($id: UUID!) { projectById(id: $id) { id title status startDate trainees } }`,
    variables: (p) => ({ id: p.projectId }),
    canonical: (data) => {
      const p = data.projectById;
      return [p.id, p.title, p.status, p.startDate, p.trainees];
    },
  },
};

/// The view PostGraphile's Q3 groups (created in each benchmark database).
export const POSTGRAPHILE_VIEW = `CREATE OR REPLACE VIEW bench_project_chains AS
  SELECT DISTINCT pe.project_id, s.chain_id
  FROM project_enterprises pe
  JOIN enterprise_segments es ON es.enterprise_id = pe.enterprise_id
  JOIN chain_segments s ON s.id = es.segment_id`;

/// The best SQL we could write for each query (run by pgbench with the parameters inlined),
/// and the canonical form of its rows for the equality check.
export const sql = {
  q1: {
    text: (p, first = 20) => `WITH page AS (
        SELECT DISTINCT es.enterprise_id AS id FROM enterprise_segments es
        JOIN chain_segments s ON s.id = es.segment_id
        WHERE s.chain_id = '${p.chainId}' ORDER BY 1 LIMIT ${first})
      SELECT e.id, e.name, p.id, p.title, p.status, pi.institution_id, i.name
      FROM page JOIN enterprises e ON e.id = page.id
      LEFT JOIN project_enterprises pe ON pe.enterprise_id = e.id
      LEFT JOIN projects p ON p.id = pe.project_id
      LEFT JOIN project_institutions pi ON pi.project_id = p.id
      LEFT JOIN institutions i ON i.id = pi.institution_id`,
    canonical: (rows) => {
      const enterprises = new Map();
      for (const [eid, ename, pid, title, status, iid] of rows) {
        if (!enterprises.has(eid)) enterprises.set(eid, { name: ename, projects: new Map() });
        if (!pid) continue;
        const projects = enterprises.get(eid).projects;
        if (!projects.has(pid)) projects.set(pid, { title, status, institutions: [] });
        if (iid) projects.get(pid).institutions.push(iid);
      }
      return sorted([...enterprises].map(([eid, e]) => [eid, e.name, sorted([...e.projects].map(([pid, pr]) => [
        pid, pr.title, pr.status, pr.institutions.sort(),
      ]))]));
    },
  },
  q2: {
    text: (p) => `WITH institutions AS (
        SELECT DISTINCT pi.institution_id AS id FROM project_enterprises pe
        JOIN project_institutions pi ON pi.project_id = pe.project_id
        WHERE pe.enterprise_id = '${p.enterpriseId}')
      SELECT id FROM institutions
      UNION SELECT pe.enterprise_id FROM institutions
        JOIN project_institutions pi ON pi.institution_id = institutions.id
        JOIN project_enterprises pe ON pe.project_id = pi.project_id`,
    canonical: (rows) => rows.map((r) => r[0]).sort(),
  },
  q3: {
    text: () => `SELECT 'chain', s.chain_id, COUNT(DISTINCT pe.project_id) FROM project_enterprises pe
        JOIN enterprise_segments es ON es.enterprise_id = pe.enterprise_id
        JOIN chain_segments s ON s.id = es.segment_id GROUP BY s.chain_id
      UNION ALL
      SELECT 'institution', institution_id, COUNT(*) FROM project_institutions GROUP BY institution_id`,
    canonical: (rows) => ({
      byChain: sorted(rows.filter((r) => r[0] === "chain").map((r) => [r[1], Number(r[2])])),
      byInstitution: sorted(rows.filter((r) => r[0] === "institution").map((r) => [r[1], Number(r[2])])),
    }),
  },
  q4: {
    text: (p) => `SELECT id, title, status, to_char(start_date, 'YYYY-MM-DD'), trainees FROM projects WHERE id = '${p.projectId}'`,
    canonical: (rows) => rows[0],
  },
};

export const FLOOR = { query: "{ __typename }", variables: () => ({}), canonical: (data) => typeof data.__typename };

export const peers = { ours, postgraphile };
