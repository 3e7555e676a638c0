// Change propagation between two lianqiao processes on one PostgreSQL database: an
// administrator changes a project's progress through A (N times); a subscriber on B waits for
// each change. Prints p50/p99 of (event on B − answer from A; A answers after applying the
// change itself, so B's event often comes first) and of (event on B − request sent to A).
// Usage: node --experimental-websocket bench/processes.mjs A_URL B_URL [N]
const [a, b, n = '200'] = process.argv.slice(2);
const rounds = Number(n);

async function graphql(url, query, variables, cookie) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { body, response };
}

const login = await graphql(a, 'mutation { login(username: "admin", password: "lianqiao-admin-demo") { username } }');
const cookie = login.response.headers.get('set-cookie').split(';')[0];
const page = await graphql(a, '{ projects(first: 1, filter: {status: {eq: IN_PROGRESS}}) { nodes { id version } } }', {}, cookie);
let { id, version } = page.body.data.projects.nodes[0];

const socket = new WebSocket(`${b.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws');
const waiting = new Map();
await new Promise((resolve) => {
  socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'connection_ack') {
      socket.send(JSON.stringify({
        id: '1', type: 'subscribe',
        payload: { query: 'subscription ($p: ID) { projectUpdated(projectId: $p) { version } }', variables: { p: id } },
      }));
      setTimeout(resolve, 300);
    } else if (message.type === 'next') {
      const seen = message.payload.data.projectUpdated.version;
      waiting.get(seen)?.(performance.now());
      waiting.delete(seen);
    }
  };
});

const afterAnswer = [];
const endToEnd = [];
const mutation = 'mutation ($id: ID!, $v: Int!, $p: Int!) { updateProjectProgress(input: {projectId: $id, patents: $p, expectedVersion: $v}) { __typename } }';
for (let round = 0; round < rounds; round++) {
  const heard = new Promise((resolve) => waiting.set(version + 1, resolve));
  const sent = performance.now();
  await graphql(a, mutation, { id, v: version, p: round % 1000 }, cookie);
  const answered = performance.now();
  const at = await heard;
  version += 1;
  afterAnswer.push(at - answered);
  endToEnd.push(at - sent);
}
socket.close();
const percentile = (values, p) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value) => `${value.toFixed(1)} ms`;
console.log(`propagation A → B over ${rounds} changes:`);
console.log(`  B's event after A's answer (negative: before it): p50 ${ms(percentile(afterAnswer, 50))}, p99 ${ms(percentile(afterAnswer, 99))}`);
console.log(`  B's event after A's request: p50 ${ms(percentile(endToEnd, 50))}, p99 ${ms(percentile(endToEnd, 99))}`);
