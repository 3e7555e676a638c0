// The peer benchmark: this API against PostGraphile 4, seaography and the raw-SQL limit
// (pgbench), side by side on the same PostgreSQL data. See bench/run.sh, which builds and
// installs everything first, and BENCHMARKS.md for a run's table.
//
// 1. On the small (demo) dataset, each peer runs behind a counting proxy: every query's
//    answer is checked against the SQL answer, and SQL statements per request are counted.
// 2. On the large dataset, all peers run at once; answers are checked again, then wrk drives
//    each query on each peer in turn (16 connections, warm-up then a measured run), and
//    pgbench runs the best SQL for the same query.
import { spawn, execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg, cpus } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import pg from "pg";
import { startProxy } from "./pgcount.mjs";
import { peers as queryText, sql, FLOOR, POSTGRAPHILE_VIEWS } from "./queries.mjs";
import { seaography } from "./seaography.mjs";

const env = process.env;
const PG = env.LIANQIAO_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432";
// Plain TCP for every peer: sqlx would otherwise negotiate TLS with the server's snakeoil
// certificate (costing seaography CPU and hiding its statements from the counting proxy).
const NO_TLS = "?sslmode=disable";
const SMALL = env.LIANQIAO_BENCH_SMALL_DB ?? "lianqiao_bench_demo";
const LARGE = env.LIANQIAO_BENCH_LARGE_DB ?? "lianqiao_bench";
const WARMUP = Number(env.LIANQIAO_BENCH_WARMUP ?? 3);
const SECONDS = Number(env.LIANQIAO_BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const OURS_BIN = env.LIANQIAO_BIN;
const SEAOGRAPHY_BIN = env.SEAOGRAPHY_BIN;
const work = mkdtempSync(join(tmpdir(), "lianqiao-bench-"));
const children = [];

const QUERIES = [
  ["q1", "Q1 a chain's page of 20 enterprises → projects → institutions"],
  ["q2", "Q2 2-hop neighbourhood of an enterprise"],
  ["q3", "Q3 project counts by chain and by institution"],
  ["q4", "Q4 one project by ID"],
  ["q5", "Q5 projects of a kind in two statuses ended before 2020, newest first, 11 columns and participants"],
  ["q6", "Q6 enterprises with a completed joint lab (relation filter): total and first page"],
  ["q7", "Q7 projects since 2024 with a research institute (relation filter): total and page by date"],
  ["q8", "Q8 an enterprise by credit code with its 20 newest projects"],
  ["q9", "Q9 above-scale enterprises of a county by employees: total and page"],
  ["q10", "Q10 the 10 institutions with most projects (order by a related count)"],
  ["q11", "Q11 top 10 institutions by projects in progress (grouped, ordered, limited)"],
  ["q12", "Q12 dated joint R&D projects with enterprises by county and year, with distinct enterprises, groups of 1,000 or more"],
  ["floor", "{ __typename } (floor)"],
];
/// Seconds of the single-client run (one connection) that gives each peer's own latency.
const SINGLE_SECONDS = Number(env.LIANQIAO_BENCH_SINGLE_SECONDS ?? 5);

const ALL_PEERS = {
  ours: {
    label: "Lianqiao",
    queries: queryText.ours,
    start: (db, port, stdio) =>
      spawn(OURS_BIN, ["serve", "--bind", `127.0.0.1:${port}`, "--database-url", db], {
        env: { ...env, RUST_LOG: "warn", LIANQIAO_LOG_FORMAT: "text" }, stdio,
      }),
    path: "/graphql",
  },
  postgraphile: {
    label: "PostGraphile 4",
    queries: queryText.postgraphile,
    start: (db, port, stdio) =>
      spawn("node", [new URL("./postgraphile.mjs", import.meta.url).pathname, db, String(port)], { env, stdio }),
    path: "/graphql",
  },
  seaography: {
    label: "seaography",
    queries: seaography,
    start: (db, port, stdio) =>
      spawn(SEAOGRAPHY_BIN, [], { env: { ...env, DATABASE_URL: db, URL: `127.0.0.1:${port}`, ENDPOINT: "/" }, stdio }),
    path: "/",
  },
};

// seaography runs when its server was built (bench/run.sh leaves it out on request).
const PEERS = Object.fromEntries(Object.entries(ALL_PEERS).filter(([name]) => name !== "seaography" || SEAOGRAPHY_BIN));

function fail(message) {
  throw new Error(`BENCHMARK FAILED: ${message}`);
}

async function post(url, query, variables) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    fail(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  if (body.errors) fail(`${url} answered errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

async function startPeer(name, db, port) {
  // Output goes to a file, not a pipe: wrk and pgbench run synchronously, and a peer that logs
  // every statement (seaography does) would block on a full pipe while they run.
  const logFile = join(work, `${name}-${port}.log`);
  const output = openSync(logFile, "w");
  const child = PEERS[name].start(db, port, ["ignore", output, output]);
  closeSync(output);
  children.push(child);
  const tail = () => readFileSync(logFile, "utf8").slice(-2000);
  const url = `http://127.0.0.1:${port}${PEERS[name].path}`;
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) fail(`${name} exited: ${tail()}`);
    try {
      await post(url, "{ __typename }", {});
      return { name, url, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  fail(`${name} did not start: ${tail()}`);
}

async function stop(peer) {
  peer.child.kill("SIGTERM");
  await new Promise((resolve) => (peer.child.exitCode !== null ? resolve() : peer.child.on("exit", resolve)));
}

async function parameters(db) {
  const client = new pg.Client({ connectionString: `${PG}/${db}` });
  await client.connect();
  const chain = (await client.query("SELECT id FROM industry_chains WHERE code = 'new_energy_vehicles'")).rows[0].id;
  const enterprise = (await client.query(
    `SELECT es.enterprise_id AS id FROM enterprise_segments es JOIN chain_segments s ON s.id = es.segment_id
     WHERE s.chain_id = $1 AND EXISTS (SELECT 1 FROM project_enterprises pe JOIN project_institutions pi
       ON pi.project_id = pe.project_id WHERE pe.enterprise_id = es.enterprise_id)
     ORDER BY 1 LIMIT 1`, [chain])).rows[0].id;
  const project = (await client.query("SELECT MIN(id::text) AS id FROM projects")).rows[0].id;
  // The enterprise with the most projects, for the natural-key lookup.
  const busy = (await client.query(
    `SELECT credit_code FROM enterprises WHERE id = (SELECT enterprise_id FROM project_enterprises
       GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1)`)).rows[0].credit_code;
  for (const view of POSTGRAPHILE_VIEWS) await client.query(view);
  await client.end();
  const global = (type, id) => Buffer.from(`${type}:${id}`).toString("base64url");
  return {
    chainId: chain, chainGlobalId: global("IndustryChain", chain),
    enterpriseId: enterprise, enterpriseGlobalId: global("Enterprise", enterprise),
    projectId: project, projectGlobalId: global("Project", project),
    creditCode: busy,
  };
}

async function sqlAnswers(db, p) {
  const client = new pg.Client({ connectionString: `${PG}/${db}` });
  await client.connect();
  const answers = {};
  for (const [key, query] of Object.entries(sql)) {
    const result = await client.query({ text: query.text(p), rowMode: "array" });
    answers[key] = query.canonical(result.rows.map((row) => row.map((v) => (v === null ? null : typeof v === "number" ? v : String(v)))));
  }
  await client.end();
  return answers;
}

/// Checks every peer's answer to every query against the SQL answer.
async function check(peersUp, p, expected, dataset) {
  for (const peer of peersUp) {
    for (const [key] of QUERIES) {
      if (key === "floor") continue;
      const query = PEERS[peer.name].queries[key];
      if (!query) continue;
      const answer = query.canonical(await post(peer.url, query.query, query.variables(p)));
      if (!isDeepStrictEqual(answer, expected[key])) {
        writeFileSync(join(work, `${peer.name}-${key}.json`), JSON.stringify({ answer, expected: expected[key] }, null, 1));
        fail(`${peer.name} answered ${key} differently from SQL on the ${dataset} dataset (see ${work})`);
      }
    }
  }
  console.log(`  ${dataset} dataset: every peer's answers equal the SQL answers`);
}

/// Cancels whatever a finished cell left running (servers keep executing requests whose
/// clients have gone, and queue more for their pools) until the database is idle and every
/// peer answers a one-row query quickly again, so that cells do not overlap.
let running = [];
let probeParameters;
async function settle(db) {
  const client = new pg.Client({ connectionString: `${PG}/${db}` });
  await client.connect();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await client.query(
      `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
       WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`, [db]);
    let responsive = true;
    for (const peer of running) {
      const query = PEERS[peer.name].queries.q4;
      const started = Date.now();
      try {
        await Promise.race([
          post(peer.url, query.query, query.variables(probeParameters)),
          new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), 1000)),
        ]);
      } catch {
        responsive = false;
      }
      if (Date.now() - started > 200) responsive = false;
    }
    if (responsive) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await client.end();
}

async function wrk(url, body, connections = CONNECTIONS, seconds = SECONDS) {
  const file = join(work, "body.json");
  writeFileSync(file, JSON.stringify(body));
  const script = new URL("./wrk.lua", import.meta.url).pathname;
  const threads = Math.min(2, connections);
  const run = (duration) =>
    execFileSync("wrk", [`-t${threads}`, `-c${connections}`, `-d${duration}s`, "--timeout", "30s", "-s", script, url], {
      env: { ...env, BODY_FILE: file }, encoding: "utf8",
    });
  if (connections === CONNECTIONS) {
    run(WARMUP);
    await settle(LARGE);
  }
  const output = run(seconds);
  const figures = JSON.parse(output.trim().split("\n").pop());
  if (figures.non_2xx > 0) fail(`wrk saw error statuses on ${url}: ${output}`);
  const duration = figures.duration_us / 1e6;
  if (figures.requests === 0) return { rps: 0, below: 1 / duration, p50: undefined, p99: undefined, timeouts: figures.socket_errors };
  return { rps: figures.requests / duration, p50: figures.p50_us / 1000, p99: figures.p99_us / 1000, timeouts: figures.socket_errors };
}

function pgbench(db, text) {
  const file = join(work, "query.sql");
  writeFileSync(file, `${text.replace(/\s+/g, " ").trim()};\n`);
  const url = new URL(`${PG}/${db}`);
  const args = ["-n", "-M", "prepared", "-c", String(CONNECTIONS), "-j", "2", "-f", file,
    "-h", url.hostname, "-p", url.port || "5432", "-U", url.username || "postgres", db];
  execFileSync("pgbench", [...args, "-T", String(WARMUP)], { stdio: "ignore" });
  const prefix = join(work, `pgbench-${Date.now()}`);
  const output = execFileSync("pgbench", [...args, "-T", String(SECONDS), "-l", "--log-prefix", prefix], { encoding: "utf8", cwd: work });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)[1]);
  const latencies = readdirSync(work)
    .filter((name) => join(work, name).startsWith(prefix))
    .flatMap((name) => readFileSync(join(work, name), "utf8").trim().split("\n").map((line) => Number(line.split(" ")[2])))
    .sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] / 1000;
  // pgbench reads the clock lazily, so sub-millisecond transactions can log a latency of 0;
  // below 1 ms the median is replaced by pgbench's own average latency.
  const average = Number(/latency average = ([\d.]+) ms/.exec(output)[1]);
  return { rps: tps, p50: at(0.5) < 1 ? average : at(0.5), p99: at(0.99) };
}

async function countStatements(p, expected) {
  const counts = {};
  let port = 25433;
  for (const name of Object.keys(PEERS)) {
    const proxy = await startProxy(port + 1);
    const peer = await startPeer(name, `postgres://postgres@127.0.0.1:${port + 1}/${SMALL}${NO_TLS}`, port);
    await check([peer], p, expected, "small");
    counts[name] = {};
    for (const [key] of QUERIES) {
      const query = key === "floor" ? FLOOR : PEERS[name].queries[key];
      if (!query) continue;
      const variants = key === "q1" ? [20, 100] : [undefined];
      for (const size of variants) {
        const variables = query.variables(p, size);
        await post(peer.url, query.query, variables);
        proxy.reset();
        const runs = 5;
        for (let i = 0; i < runs; i += 1) await post(peer.url, query.query, variables);
        const label = size === undefined ? key : `${key}@${size}`;
        counts[name][label] = {
          statements: proxy.counts.statements / runs,
          transactionControl: proxy.counts.transactionControl / runs,
        };
      }
    }
    await stop(peer);
    await proxy.close();
    port += 2;
  }
  return counts;
}

/// Runs each query once on a server that logs its statements, and saves every statement's
/// `EXPLAIN (ANALYZE, BUFFERS)` on the large dataset in bench/explain/<query>.txt.
async function explainOurs(p) {
  const logFile = join(work, "explain.log");
  const output = openSync(logFile, "w");
  const child = spawn(OURS_BIN, ["serve", "--bind", "127.0.0.1:25590", "--database-url", `${PG}/${LARGE}${NO_TLS}`], {
    env: { ...env, RUST_LOG: "warn,backend::db=trace", LIANQIAO_LOG_FORMAT: "text" }, stdio: ["ignore", output, output],
  });
  closeSync(output);
  children.push(child);
  const url = "http://127.0.0.1:25590/graphql";
  for (let attempt = 0; attempt < 600; attempt += 1) {
    try {
      await post(url, "{ __typename }", {});
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const client = new pg.Client({ connectionString: `${PG}/${LARGE}` });
  await client.connect();
  const directory = new URL("./explain/", import.meta.url).pathname;
  mkdirSync(directory, { recursive: true });
  for (const [key, title] of QUERIES) {
    const query = queryText.ours[key];
    if (!query) continue;
    await post(url, query.query, query.variables(p)); // warm
    const start = readFileSync(logFile, "utf8").length;
    await post(url, query.query, query.variables(p));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const statements = readFileSync(logFile, "utf8").slice(start).split("\n")
      .filter((line) => line.includes("backend::db: statement") && !line.includes("change_feed"))
      .map((line) => line.slice(line.indexOf(" sql=") + 5));
    const parts = [`${title}\n\nGraphQL:\n${query.query}\n\nVariables: ${JSON.stringify(query.variables(p))}\n`,
      `Statements: ${statements.length} (the graph index answered the rest)\n`];
    for (const statement of statements) {
      const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement}`);
      parts.push(`-- ${statement}\n${plan.rows.map((row) => row["QUERY PLAN"]).join("\n")}\n`);
    }
    writeFileSync(join(directory, `${key}.txt`), parts.join("\n"));
  }
  await client.end();
  child.kill("SIGTERM");
  console.log("  EXPLAIN (ANALYZE, BUFFERS) of our statements saved in bench/explain/");
}

function fmt(value, digits = 0) {
  return value === undefined ? "n/a" : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main() {
  const started = Date.now();
  const machine = `${cpus().length} cores (${cpus()[0].model.trim()}), ${Math.round((await import("node:os")).totalmem() / 2 ** 30)} GiB`;
  console.log(`== Peer benchmark: ${machine}`);

  console.log("== Small dataset: answers and SQL statements per request");
  const small = await parameters(SMALL);
  const smallAnswers = await sqlAnswers(SMALL, small);
  const statements = await countStatements(small, smallAnswers);

  console.log("== Large dataset: answers");
  const large = await parameters(LARGE);
  const largeAnswers = await sqlAnswers(LARGE, large);
  const up = [];
  let port = 25500;
  for (const name of Object.keys(PEERS)) up.push(await startPeer(name, `${PG}/${LARGE}${NO_TLS}`, port++));
  await check(up, large, largeAnswers, "large");
  running = up;
  probeParameters = large;

  console.log(`== Load: wrk, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${SECONDS} s measured per run`);
  const results = [];
  let rotation = 0;
  for (const [key, title] of QUERIES) {
    const order = up.slice(rotation).concat(up.slice(0, rotation)); // peers alternate who goes first
    rotation = (rotation + 1) % up.length;
    const load = loadavg().map((l) => l.toFixed(2)).join(" ");
    const row = { key, title, load, peers: {} };
    for (const peer of order) {
      const query = key === "floor" ? FLOOR : PEERS[peer.name].queries[key];
      if (!query) continue;
      const body = { query: query.query, variables: query.variables(large) };
      row.peers[peer.name] = await wrk(peer.url, body);
      await settle(LARGE);
      if (peer.name !== "seaography") {
        row.peers[peer.name].single = await wrk(peer.url, body, 1, SINGLE_SECONDS);
        await settle(LARGE);
      }
      console.log(`  ${key} ${peer.name}: ${fmt(row.peers[peer.name].rps)} req/s, one client p50 ${fmt(row.peers[peer.name].single?.p50, 1)} ms`);
    }
    if (sql[key]) {
      row.peers.sql = pgbench(LARGE, sql[key].text(large));
      await settle(LARGE);
      console.log(`  ${key} pgbench: ${fmt(row.peers.sql.rps)} tps`);
    }
    results.push(row);
  }
  for (const peer of up) await stop(peer);
  await explainOurs(large);

  const table = render(results, statements, machine, (Date.now() - started) / 1000);
  console.log("\n" + table);
  const file = new URL("../BENCHMARKS.md", import.meta.url).pathname;
  const begin = "<!-- peers:begin -->";
  const end = "<!-- peers:end -->";
  const current = readFileSync(file, "utf8");
  const section = `${begin}\n${table}\n${end}`;
  writeFileSync(file, current.includes(begin)
    ? current.slice(0, current.indexOf(begin)) + section + current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n## Against peers (\`bench/run.sh\`)\n\n${section}\n`);
  console.log(`BENCHMARKS.md updated`);
}

function render(results, statements, machine, seconds) {
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    `Run on ${date}: ${machine}; PostgreSQL ${execFileSync("psql", ["-tAc", "SHOW server_version", `${PG}/${LARGE}`], { encoding: "utf8" }).trim()}; `
      + `large dataset (100k enterprises, 2k institutions, 1M projects); wrk with ${CONNECTIONS} connections, `
      + `${WARMUP} s warm-up and ${SECONDS} s measured per cell, peers alternated; the harness took ${Math.round(seconds)} s.`,
    "",
    "| Query | Peer | req/s | p50 ms | p99 ms | one client: p50 ms | SQL statements / request | vs PostGraphile | vs raw SQL | load avg |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const row of results) {
    const pgRps = row.peers.postgraphile?.rps;
    const sqlRps = row.peers.sql?.rps;
    for (const name of ["ours", "postgraphile", "seaography", "sql"]) {
      const figures = row.peers[name];
      const label = name === "sql" ? "raw SQL (pgbench)" : ALL_PEERS[name].label;
      if (!figures) {
        if (name === "seaography" && PEERS.seaography && ["q1", "q2", "q3", "q4"].includes(row.key)) lines.push(`| ${row.key} | ${label} | n/a | | | | | | | |`);
        continue;
      }
      let count = "1";
      if (name !== "sql") {
        const counted = row.key === "q1"
          ? `${fmt(statements[name]["q1@20"].statements, 1)} (page 100: ${fmt(statements[name]["q1@100"].statements, 1)})`
          : fmt(statements[name][row.key].statements, 1);
        const tx = row.key === "q1" ? statements[name]["q1@20"].transactionControl : statements[name][row.key].transactionControl;
        count = tx > 0 ? `${counted} + ${fmt(tx, 0)} BEGIN/COMMIT` : counted;
      }
      const rps = figures.below ? `< ${fmt(figures.below, 2)}` : fmt(figures.rps, figures.rps < 10 ? 1 : 0);
      const p50 = figures.p50 === undefined ? `> ${fmt(SECONDS * 1000)}` : fmt(figures.p50, 1);
      const p99 = figures.p99 === undefined ? `> ${fmt(SECONDS * 1000)}` : fmt(figures.p99, 1);
      const single = figures.single ? (figures.single.p50 === undefined ? `> ${fmt(SINGLE_SECONDS * 1000)}` : fmt(figures.single.p50, 1)) : "";
      lines.push(`| ${row.key} | ${label} | ${rps} | ${p50} | ${p99} | ${single} | ${count} | `
        + `${pgRps && name !== "postgraphile" && !figures.below ? `${fmt(figures.rps / pgRps, 2)}×` : ""} | `
        + `${sqlRps && name !== "sql" && !figures.below ? `${fmt(figures.rps / sqlRps, 2)}×` : ""} | ${row.load} |`);
    }
  }
  lines.push("", QUERIES.map(([key, title]) => `${key}: ${title.replace(/^Q\d+ /, "")}`).join("; ") + ".");
  return lines.join("\n");
}

try {
  await main();
} catch (error) {
  console.error(error.message ?? error);
  process.exitCode = 1;
} finally {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}
