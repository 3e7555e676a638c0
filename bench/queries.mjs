// The benchmark's queries, written once per peer, and how each answer is reduced to one
// canonical form (UUIDs, lower-case status codes, sorted) so that the peers' answers can be
// compared for equality before anything is timed.

/// Our global IDs are base64url("<Type>:<uuid>"); the peers use the UUIDs themselves.
export function uuidOf(id) {
  if (/^[0-9a-f-]{36}$/.test(id)) return id;
  return Buffer.from(id, "base64url").toString("utf8").split(":")[1];
}

/// `JINZHAI_COUNTY` → `jinzhai`: our enum names to the stored codes the peers show.
export const countyCode = (name) => name.split("_")[0].toLowerCase();

/// Newest first as PostgreSQL sorts `start_date DESC` (unset dates first), then by ID.
function newestFirst(projects) {
  return projects.sort((a, b) => {
    if (a.startDate !== b.startDate) {
      if (a.startDate === null) return -1;
      if (b.startDate === null) return 1;
      return a.startDate < b.startDate ? 1 : -1;
    }
    return a.id < b.id ? -1 : 1;
  });
}

/// Rows [id, name, count]: the first `n` by count (descending), then name, then ID.
function topByCount(rows, n) {
  return rows.sort((a, b) => b[2] - a[2] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[0] < b[0] ? -1 : 1)).slice(0, n);
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
  q5: {
    query: `query Q5 {
      projects(first: 20, filter: { kind: { eq: TECHNOLOGY_TRANSFER }, status: { in: [SUSPENDED, TERMINATED] },
                                    endDate: { lt: "2020-01-01" } },
               orderBy: [{ field: START_DATE, direction: DESC }]) {
        nodes { id title programme kind status startDate endDate patents papers products trainees
          enterprises(first: 10) { nodes { id name } } institutions(first: 10) { nodes { id name } } }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => data.projects.nodes.map((p) => [
      uuidOf(p.id), p.title, p.programme, p.kind.toLowerCase(), p.status.toLowerCase(), p.startDate, p.endDate,
      p.patents, p.papers, p.products, p.trainees,
      p.enterprises.nodes.map((e) => uuidOf(e.id)).sort(), p.institutions.nodes.map((i) => uuidOf(i.id)).sort(),
    ]),
  },
  q6: {
    query: `query Q6 {
      enterprises(first: 20, filter: { hasProject: { status: { eq: COMPLETED }, kind: { eq: JOINT_LAB } } }) {
        totalCount nodes { id name }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => [data.enterprises.totalCount, data.enterprises.nodes.map((e) => [uuidOf(e.id), e.name])],
  },
  q7: {
    query: `query Q7 {
      projects(first: 20, filter: { hasInstitution: { kind: { eq: RESEARCH_INSTITUTE } }, startDate: { gte: "2024-01-01" } },
               orderBy: [{ field: START_DATE, direction: DESC }]) {
        totalCount nodes { id title startDate }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => [data.projects.totalCount, data.projects.nodes.map((p) => [uuidOf(p.id), p.title, p.startDate])],
  },
  q8: {
    query: `query Q8($code: String!) {
      enterpriseByCreditCode(creditCode: $code) { id name county projects(first: 20) { nodes { id title status startDate } } }
    }`,
    variables: (p) => ({ code: p.creditCode }),
    canonical: (data) => {
      const e = data.enterpriseByCreditCode;
      return [uuidOf(e.id), e.name, countyCode(e.county),
        e.projects.nodes.map((p) => [uuidOf(p.id), p.title, p.status.toLowerCase(), p.startDate])];
    },
  },
  q9: {
    query: `query Q9 {
      enterprises(first: 20, filter: { county: { eq: JINZHAI_COUNTY }, aboveScale: { eq: true } },
                  orderBy: [{ field: EMPLOYEES, direction: DESC }]) {
        totalCount nodes { id name employees foundedYear }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => [data.enterprises.totalCount,
      data.enterprises.nodes.map((e) => [uuidOf(e.id), e.name, e.employees, e.foundedYear])],
  },
  q10: {
    query: `query Q10 {
      institutions(first: 10, orderBy: [{ field: PROJECT_COUNT, direction: DESC }]) { nodes { id name kind projectCount } }
    }`,
    variables: () => ({}),
    canonical: (data) => data.institutions.nodes.map((i) => [uuidOf(i.id), i.name, i.kind.toLowerCase(), i.projectCount]),
  },
  q11: {
    query: `query Q11 {
      projectAggregate(groupBy: [INSTITUTION], filter: { status: { eq: IN_PROGRESS } },
                       orderBy: [{ measure: COUNT, direction: DESC }, { dimension: INSTITUTION }], limit: 10) {
        institutionId institutionName count
      }
    }`,
    variables: () => ({}),
    canonical: (data) => data.projectAggregate.map((r) => [uuidOf(r.institutionId), r.institutionName, r.count]),
  },
  q12: {
    query: `query Q12 {
      projectAggregate(groupBy: [COUNTY, YEAR], filter: { kind: { eq: JOINT_RND }, startDate: { isNull: false }, hasEnterprise: {} },
                       having: { count: { gte: 1000 } }) {
        county year count distinctEnterprises
      }
    }`,
    variables: () => ({}),
    canonical: (data) => sorted(data.projectAggregate.map((r) => [countyCode(r.county), r.year, r.count, r.distinctEnterprises])),
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
  q5: {
    query: `query Q5 {
      allProjects(first: 20, orderBy: [START_DATE_DESC, ID_ASC],
                  filter: { kind: { equalTo: "technology_transfer" }, status: { in: ["suspended", "terminated"] },
                            endDate: { lessThan: "2020-01-01" }, archivedAt: { isNull: true } }) {
        nodes { id title programme kind status startDate endDate patents papers products trainees
          projectEnterprisesByProjectId { nodes { enterprisByEnterpriseId { id name archivedAt } } }
          projectInstitutionsByProjectId { nodes { institutionByInstitutionId { id name archivedAt } } } }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => data.allProjects.nodes.map((p) => [
      p.id, p.title, p.programme, p.kind, p.status, p.startDate, p.endDate, p.patents, p.papers, p.products, p.trainees,
      p.projectEnterprisesByProjectId.nodes.map((n) => n.enterprisByEnterpriseId).filter((e) => !e.archivedAt).map((e) => e.id).sort(),
      p.projectInstitutionsByProjectId.nodes.map((n) => n.institutionByInstitutionId).filter((i) => !i.archivedAt).map((i) => i.id).sort(),
    ]),
  },
  q6: {
    query: `query Q6 {
      allEnterprises(first: 20, orderBy: ID_ASC, filter: { archivedAt: { isNull: true }, projectEnterprisesByEnterpriseId: {
        some: { projectByProjectId: { status: { equalTo: "completed" }, kind: { equalTo: "joint_lab" }, archivedAt: { isNull: true } } } } }) {
        totalCount nodes { id name }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => [data.allEnterprises.totalCount, data.allEnterprises.nodes.map((e) => [e.id, e.name])],
  },
  q7: {
    query: `query Q7 {
      allProjects(first: 20, orderBy: [START_DATE_DESC, ID_ASC], filter: {
        startDate: { greaterThanOrEqualTo: "2024-01-01" }, archivedAt: { isNull: true },
        projectInstitutionsByProjectId: { some: { institutionByInstitutionId: { kind: { equalTo: "research_institute" }, archivedAt: { isNull: true } } } } }) {
        totalCount nodes { id title startDate }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => [data.allProjects.totalCount, data.allProjects.nodes.map((p) => [p.id, p.title, p.startDate])],
  },
  q8: {
    // PostGraphile 4 cannot order a list by a column of the related row: the client sorts.
    query: `query Q8($code: String!) {
      enterprisByCreditCode(creditCode: $code) { id name county
        projectEnterprisesByEnterpriseId { nodes { projectByProjectId { id title status startDate archivedAt } } } }
    }`,
    variables: (p) => ({ code: p.creditCode }),
    canonical: (data) => {
      const e = data.enterprisByCreditCode;
      const projects = e.projectEnterprisesByEnterpriseId.nodes.map((n) => n.projectByProjectId).filter((p) => !p.archivedAt);
      return [e.id, e.name, e.county, newestFirst(projects).slice(0, 20).map((p) => [p.id, p.title, p.status, p.startDate])];
    },
  },
  q9: {
    query: `query Q9 {
      allEnterprises(first: 20, orderBy: [EMPLOYEES_DESC, ID_ASC],
                     filter: { county: { equalTo: "jinzhai" }, aboveScale: { equalTo: true }, archivedAt: { isNull: true } }) {
        totalCount nodes { id name employees foundedYear }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => [data.allEnterprises.totalCount,
      data.allEnterprises.nodes.map((e) => [e.id, e.name, e.employees, e.foundedYear])],
  },
  q10: {
    query: `query Q10 {
      allInstitutions(first: 10, orderBy: [PROJECT_INSTITUTIONS_BY_INSTITUTION_ID_COUNT_DESC, ID_ASC], filter: { archivedAt: { isNull: true } }) {
        nodes { id name kind projectInstitutionsByInstitutionId { totalCount } }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => data.allInstitutions.nodes.map((i) => [i.id, i.name, i.kind, i.projectInstitutionsByInstitutionId.totalCount]),
  },
  q11: {
    // pg-aggregates groups but neither orders nor limits groups: the client does, by count,
    // then by name (fetched apart, since grouped keys are IDs).
    query: `query Q11 {
      allProjectInstitutions(filter: { projectByProjectId: { status: { equalTo: "in_progress" }, archivedAt: { isNull: true } },
                                       institutionByInstitutionId: { archivedAt: { isNull: true } } }) {
        groupedAggregates(groupBy: [INSTITUTION_ID]) { keys distinctCount { projectId } }
      }
      allInstitutions { nodes { id name } }
    }`,
    variables: () => ({}),
    canonical: (data) => {
      const names = new Map(data.allInstitutions.nodes.map((i) => [i.id, i.name]));
      return topByCount(data.allProjectInstitutions.groupedAggregates.map((g) => [g.keys[0], names.get(g.keys[0]), Number(g.distinctCount.projectId)]), 10);
    },
  },
  q12: {
    query: `query Q12 {
      allBenchProjectCounties(filter: { kind: { equalTo: "joint_rnd" } }) {
        groupedAggregates(groupBy: [COUNTY, START_YEAR]) { keys distinctCount { projectId enterpriseId } }
      }
    }`,
    variables: () => ({}),
    canonical: (data) => sorted(data.allBenchProjectCounties.groupedAggregates
      .map((g) => [g.keys[0], g.keys[1] === null ? null : Number(g.keys[1]), Number(g.distinctCount.projectId), Number(g.distinctCount.enterpriseId)])
      .filter((r) => r[2] >= 1000)),
  },
};

/// The views PostGraphile's Q3 and Q12 group (created in each benchmark database): pg-aggregates
/// groups one table by its own columns, so groupings through relations need a view, as a
/// PostGraphile user would write.
export const POSTGRAPHILE_VIEWS = [
  `CREATE OR REPLACE VIEW bench_project_chains AS
    SELECT DISTINCT pe.project_id, s.chain_id
    FROM project_enterprises pe
    JOIN enterprise_segments es ON es.enterprise_id = pe.enterprise_id
    JOIN chain_segments s ON s.id = es.segment_id`,
  `CREATE OR REPLACE VIEW bench_project_counties AS
    SELECT p.id AS project_id, p.kind, CAST(EXTRACT(YEAR FROM p.start_date) AS INTEGER) AS start_year,
           e.id AS enterprise_id, e.county
    FROM projects p
    JOIN project_enterprises pe ON pe.project_id = p.id
    JOIN enterprises e ON e.id = pe.enterprise_id AND e.archived_at IS NULL
    WHERE p.archived_at IS NULL AND p.start_date IS NOT NULL`,
];

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
  q5: {
    // The plain statement walks the start-date index through ~600,000 rows the filter rejects
    // (0.85 s); filtering first in a materialised CTE, then sorting, is the best we found.
    text: () => `WITH matching AS MATERIALIZED (SELECT * FROM projects p WHERE p.kind = 'technology_transfer'
        AND p.status IN ('suspended', 'terminated') AND p.end_date < '2020-01-01' AND p.archived_at IS NULL)
      SELECT p.id, p.title, p.programme, p.kind, p.status, to_char(p.start_date, 'YYYY-MM-DD'),
        to_char(p.end_date, 'YYYY-MM-DD'), p.patents, p.papers, p.products, p.trainees,
        (SELECT string_agg(pe.enterprise_id::text, ',' ORDER BY pe.enterprise_id) FROM project_enterprises pe
          JOIN enterprises e ON e.id = pe.enterprise_id AND e.archived_at IS NULL WHERE pe.project_id = p.id),
        (SELECT string_agg(pi.institution_id::text, ',' ORDER BY pi.institution_id) FROM project_institutions pi
          JOIN institutions i ON i.id = pi.institution_id AND i.archived_at IS NULL WHERE pi.project_id = p.id)
      FROM (SELECT * FROM matching ORDER BY start_date DESC, id LIMIT 20) p ORDER BY p.start_date DESC, p.id`,
    canonical: (rows) => rows.map((r) => [...r.slice(0, 7), ...r.slice(7, 11).map(Number),
      r[11] ? r[11].split(",") : [], r[12] ? r[12].split(",") : []]),
  },
  q6: {
    text: () => `WITH matching AS (SELECT e.id, e.name FROM enterprises e WHERE e.archived_at IS NULL AND EXISTS (
        SELECT 1 FROM project_enterprises pe JOIN projects p ON p.id = pe.project_id
        WHERE pe.enterprise_id = e.id AND p.status = 'completed' AND p.kind = 'joint_lab' AND p.archived_at IS NULL))
      SELECT (SELECT COUNT(*) FROM matching), id, name FROM (SELECT * FROM matching ORDER BY id LIMIT 20) page ORDER BY id`,
    canonical: (rows) => [Number(rows[0][0]), rows.map((r) => [r[1], r[2]])],
  },
  q7: {
    text: () => `WITH matching AS (SELECT p.id, p.title, p.start_date FROM projects p
        WHERE p.start_date >= '2024-01-01' AND p.archived_at IS NULL AND EXISTS (
          SELECT 1 FROM project_institutions pi JOIN institutions i ON i.id = pi.institution_id
          WHERE pi.project_id = p.id AND i.kind = 'research_institute' AND i.archived_at IS NULL))
      SELECT (SELECT COUNT(*) FROM matching), id, title, to_char(start_date, 'YYYY-MM-DD')
      FROM (SELECT * FROM matching ORDER BY start_date DESC, id LIMIT 20) page ORDER BY start_date DESC, id`,
    canonical: (rows) => [Number(rows[0][0]), rows.map((r) => [r[1], r[2], r[3]])],
  },
  q8: {
    text: (p) => `SELECT e.id, e.name, e.county, pr.id, pr.title, pr.status, to_char(pr.start_date, 'YYYY-MM-DD')
      FROM enterprises e LEFT JOIN LATERAL (SELECT p.* FROM project_enterprises pe JOIN projects p ON p.id = pe.project_id
        WHERE pe.enterprise_id = e.id AND p.archived_at IS NULL ORDER BY p.start_date DESC, p.id LIMIT 20) pr ON true
      WHERE e.credit_code = '${p.creditCode}' ORDER BY pr.start_date DESC, pr.id`,
    canonical: (rows) => [rows[0][0], rows[0][1], rows[0][2], rows.filter((r) => r[3]).map((r) => r.slice(3))],
  },
  q9: {
    text: () => `WITH matching AS (SELECT id, name, employees, founded_year FROM enterprises
        WHERE county = 'jinzhai' AND above_scale AND archived_at IS NULL)
      SELECT (SELECT COUNT(*) FROM matching), id, name, employees, founded_year
      FROM (SELECT * FROM matching ORDER BY employees DESC, id LIMIT 20) page ORDER BY employees DESC, id`,
    canonical: (rows) => [Number(rows[0][0]), rows.map((r) => [r[1], r[2], Number(r[3]), r[4] === null ? null : Number(r[4])])],
  },
  q10: {
    text: () => `SELECT i.id, i.name, i.kind, c.n FROM (SELECT institution_id, COUNT(*) AS n FROM project_institutions
        GROUP BY institution_id ORDER BY n DESC, institution_id LIMIT 10) c JOIN institutions i ON i.id = c.institution_id
      WHERE i.archived_at IS NULL ORDER BY c.n DESC, i.id`,
    canonical: (rows) => rows.map((r) => [r[0], r[1], r[2], Number(r[3])]),
  },
  q11: {
    text: () => `SELECT i.id, i.name, COUNT(*) AS n FROM project_institutions pi
        JOIN projects p ON p.id = pi.project_id AND p.status = 'in_progress' AND p.archived_at IS NULL
        JOIN institutions i ON i.id = pi.institution_id AND i.archived_at IS NULL
      GROUP BY i.id, i.name ORDER BY n DESC, i.name COLLATE "C", i.id LIMIT 10`,
    canonical: (rows) => rows.map((r) => [r[0], r[1], Number(r[2])]),
  },
  q12: {
    text: () => `SELECT e.county, CAST(EXTRACT(YEAR FROM p.start_date) AS INTEGER), COUNT(DISTINCT p.id), COUNT(DISTINCT e.id)
      FROM projects p
      JOIN project_enterprises pe ON pe.project_id = p.id
      JOIN enterprises e ON e.id = pe.enterprise_id AND e.archived_at IS NULL
      WHERE p.kind = 'joint_rnd' AND p.archived_at IS NULL AND p.start_date IS NOT NULL
      GROUP BY 1, 2 HAVING COUNT(DISTINCT p.id) >= 1000`,
    canonical: (rows) => sorted(rows.map((r) => [r[0], r[1] === null ? null : Number(r[1]), Number(r[2]), Number(r[3])])),
  },
};

export const FLOOR = { query: "{ __typename }", variables: () => ({}), canonical: (data) => typeof data.__typename };

export const peers = { ours, postgraphile };
