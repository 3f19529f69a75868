// Checks a fake GitHub request log against GitHub's REST description:
// every request body the Action sent and every JSON answer the fake gave
// must match the operation's schemas.
// Usage: node validate.mjs LOG.jsonl [LOG2.jsonl ...]
// Each line: {"method","route","status","request","response"} where route
// is the OpenAPI path template the fake matched.
// Prints one line per problem and "N passed, M failed"; exits 1 on any.
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { loadSpec, operation, deref, pointer } from "./spec.mjs";

const spec = loadSpec();
const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, logger: false });
addFormats(ajv);
ajv.addSchema(spec, "spec");
const cache = new Map();
function validator(ptr) {
  if (!cache.has(ptr)) cache.set(ptr, ajv.compile({ $ref: ptr }));
  return cache.get(ptr);
}

let passed = 0;
let failed = 0;
const problems = new Set();
for (const file of process.argv.slice(2)) {
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  for (const line of lines) {
    const e = JSON.parse(line);
    const where = `${e.method} ${e.route} → ${e.status}`;
    let op;
    try {
      op = operation(spec, e.method, e.route);
    } catch (err) {
      problems.add(`${where}: ${err.message}`);
      failed++;
      continue;
    }
    let ok = true;
    if (e.request !== null && e.request !== undefined) {
      const rb = deref(spec, op.requestBody);
      if (!rb?.content?.["application/json"]) {
        ok = false;
        problems.add(`${where}: the operation takes no JSON body, yet one was sent`);
      } else {
        const v = validator(pointer("paths", e.route, e.method.toLowerCase(), "requestBody", "content", "application/json", "schema"));
        if (!v(e.request)) {
          ok = false;
          problems.add(`${where}: request body: ${ajv.errorsText(v.errors)} in ${JSON.stringify(e.request).slice(0, 300)}`);
        }
      }
    }
    const resp = op.responses[String(e.status)];
    if (!resp) {
      if (e.status < 500 && e.status !== 403 && e.status !== 429) {
        ok = false;
        problems.add(`${where}: the REST description lists no ${e.status} answer for this operation`);
      }
    } else if (e.response !== null && e.response !== undefined) {
      const r = deref(spec, resp);
      if (r?.content?.["application/json"]) {
        const base = resp.$ref
          ? resp.$ref.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/"))
          : ["paths", e.route, e.method.toLowerCase(), "responses", String(e.status)];
        const v = validator(pointer(...base, "content", "application/json", "schema"));
        if (!v(e.response)) {
          ok = false;
          problems.add(`${where}: response: ${ajv.errorsText(v.errors)}`);
        }
      }
    }
    if (ok) passed++;
    else failed++;
  }
}
for (const p of problems) console.log(p);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
