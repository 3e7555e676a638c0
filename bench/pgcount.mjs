// A counting proxy for the PostgreSQL wire protocol: forwards every byte between clients and
// the server and counts the statements clients send (simple-protocol Query messages and
// extended-protocol Execute messages), so that "SQL statements per request" is measured the
// same way for every peer. Transaction control (BEGIN, COMMIT, ROLLBACK) is counted apart.
import net from "node:net";

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

export function startProxy(listenPort, target = { host: "127.0.0.1", port: 5432 }) {
  const counts = { statements: 0, transactionControl: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    let buffer = Buffer.alloc(0);
    let typed = false;
    client.on("data", (chunk) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!typed) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code !== SSL_REQUEST && code !== GSS_REQUEST && code !== CANCEL_REQUEST) typed = true;
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) break;
        const type = String.fromCharCode(buffer[0]);
        if (type === "Q") {
          const text = buffer.subarray(5, 1 + length - 1).toString("utf8").trim().toLowerCase();
          if (/^(begin|commit|rollback|start transaction)\b/.test(text)) counts.transactionControl += 1;
          else counts.statements += 1;
        } else if (type === "E") {
          counts.statements += 1;
        }
        buffer = buffer.subarray(1 + length);
      }
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  });
  return new Promise((resolve) => {
    server.listen(listenPort, "127.0.0.1", () =>
      resolve({
        counts,
        reset() { counts.statements = 0; counts.transactionControl = 0; },
        close() { return new Promise((done) => { server.close(done); }); },
      }),
    );
  });
}
