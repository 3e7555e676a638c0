// PostGraphile 4 in library mode, the GraphQL-to-SQL peer of bench/run.mjs: the public
// schema with the connection-filter plugin (relation filters on) and pg-aggregates.
//   node postgraphile.mjs <postgres-url> <port>
import http from "node:http";
import pg from "pg";
import { postgraphile } from "postgraphile";
import ConnectionFilterPlugin from "postgraphile-plugin-connection-filter";
import PgAggregatesPlugin from "@graphile/pg-aggregates";

const [url, port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 16 });
const middleware = postgraphile(pool, "public", {
  appendPlugins: [ConnectionFilterPlugin, PgAggregatesPlugin.default ?? PgAggregatesPlugin],
  graphileBuildOptions: { connectionFilterRelations: true },
  disableDefaultMutations: true,
  disableQueryLog: true,
  retryOnInitFail: false,
  graphiql: false,
  setofFunctionsContainNulls: false,
});
http.createServer(middleware).listen(Number(port), "127.0.0.1", () => console.log(`postgraphile listening on ${port}`));
