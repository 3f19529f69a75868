// Writes ../fake-github/src/skeletons.json: for each answer the fake
// gives, the smallest instance of GitHub's response schema (every
// required field, nulls where allowed). The fake lays its real fields
// over it, so its answers have GitHub's full shape.
// Run: npm ci && node skeletons.mjs
import { writeFileSync } from "node:fs";
import { loadSpec, operation, deref } from "./spec.mjs";
import { ROUTES } from "./routes.mjs";

const spec = loadSpec();

function instance(schema, depth = 0) {
  schema = deref(spec, schema);
  if (!schema || depth > 12) return null;
  if (schema.allOf) {
    let acc = {};
    for (const s of schema.allOf) {
      const v = instance(s, depth + 1);
      if (v && typeof v === "object" && !Array.isArray(v)) acc = { ...acc, ...v };
      else return v;
    }
    return acc;
  }
  if (schema.anyOf || schema.oneOf) {
    const opts = schema.anyOf || schema.oneOf;
    if (opts.some((o) => deref(spec, o).type === "null")) return null;
    return instance(opts[0], depth + 1);
  }
  let type = schema.type;
  if (Array.isArray(type)) {
    if (type.includes("null")) return null;
    type = type[0];
  }
  if (schema.enum) return schema.enum[0];
  if (!type && schema.properties) type = "object";
  switch (type) {
    case "object": {
      const out = {};
      for (const k of schema.required || []) out[k] = instance((schema.properties || {})[k] || {}, depth + 1);
      return out;
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return false;
    case "string":
      if (schema.format === "date-time") return "2026-01-01T00:00:00Z";
      if (schema.format === "uri") return "https://example.invalid/";
      if (schema.format === "email") return "nobody@example.invalid";
      return "";
    default:
      return {};
  }
}

const out = {};
for (const [method, template, status] of ROUTES) {
  const op = operation(spec, method, template);
  const resp = deref(spec, op.responses[String(status)]);
  const schema = resp?.content?.["application/json"]?.schema;
  if (!schema) continue;
  let s = deref(spec, schema);
  if (s.type === "array") s = s.items;
  else if (s.type === "object" && s.properties) {
    // Lists wrapped in an object ({total_count, workflow_runs: [...]}):
    // the item's skeleton is what the fake needs.
    const arr = Object.entries(s.properties).find(([, v]) => deref(spec, v).type === "array" && (s.required || []).includes("total_count"));
    if (arr) s = deref(spec, arr[1]).items;
  }
  out[`${method} ${template} ${status}`] = instance(s);
}
writeFileSync(new URL("../fake-github/src/skeletons.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.log(`wrote ${Object.keys(out).length} skeletons`);
