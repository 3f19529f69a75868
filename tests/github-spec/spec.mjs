// GitHub's REST description (npm @octokit/openapi, pinned in package.json),
// made usable by a JSON Schema validator: OpenAPI 3.0's `nullable: true`
// becomes a type union (or an anyOf with null), and its keywords a
// validator does not know are left for ajv's non-strict mode to ignore.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const SPEC_PATH = require.resolve("@octokit/openapi/generated/api.github.com.json");

function denull(node) {
  if (Array.isArray(node)) return node.map(denull);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = denull(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string") {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      const inner = { ...out };
      for (const k of Object.keys(out)) delete out[k];
      out.anyOf = [inner, { type: "null" }];
    }
  }
  return out;
}

export function loadSpec() {
  const raw = JSON.parse(readFileSync(SPEC_PATH, "utf8"));
  return denull(raw);
}

export function operation(spec, method, template) {
  const item = spec.paths[template];
  if (!item) throw new Error(`the REST description has no path ${template}`);
  const op = item[method.toLowerCase()];
  if (!op) throw new Error(`the REST description has no ${method} ${template}`);
  return op;
}

export function deref(spec, s) {
  let seen = 0;
  while (s && s.$ref && seen++ < 20) {
    const parts = s.$ref.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    s = parts.reduce((o, p) => o[p], spec);
  }
  return s;
}

// The JSON schema of a request body or a response, as a $ref into the
// spec (so ajv compiles only what is reached).
export function pointer(...parts) {
  return "spec#/" + parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).map(encodeURIComponent).join("/");
}
