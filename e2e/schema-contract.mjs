// Compares two GraphQL schemas with GraphQL Inspector and prints every change with its
// criticality. Exits with 1 when a change is breaking, unless --allow-breaking is given.
//   node e2e/schema-contract.mjs <old.graphql> <new.graphql> [--allow-breaking]
import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { diff, CriticalityLevel } from "@graphql-inspector/core";

export async function compare(oldSdl, newSdl) {
  return diff(buildSchema(oldSdl), buildSchema(newSdl));
}

export function report(changes) {
  const order = [CriticalityLevel.Breaking, CriticalityLevel.Dangerous, CriticalityLevel.NonBreaking];
  return order
    .flatMap((level) => changes.filter((change) => change.criticality.level === level))
    .map((change) => `${change.criticality.level.padEnd(12)} ${change.path ?? ""}  ${change.message}`)
    .join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [oldFile, newFile, flag] = process.argv.slice(2);
  const changes = await compare(readFileSync(oldFile, "utf8"), readFileSync(newFile, "utf8"));
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  console.log(changes.length === 0 ? "schema contract: no changes" : `schema contract: ${changes.length} change(s)\n${report(changes)}`);
  if (breaking.length > 0) {
    if (flag === "--allow-breaking") {
      console.log(`schema contract: ${breaking.length} breaking change(s) allowed by a [breaking-schema] commit`);
    } else {
      console.error(`schema contract: ${breaking.length} BREAKING change(s); mark the commit with [breaking-schema] if intended`);
      process.exit(1);
    }
  }
}
