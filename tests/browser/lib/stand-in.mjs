// The local GitHub stand-in (tests/fake-github's github-stand-in binary),
// started for a test: the fake GitHub's API under /api/v3, the new-issue
// page, and the repository's postmortem workflows running the real
// postmortem-action binary. tests/browser/run builds both and names them in
// GITHUB_STAND_IN and POSTMORTEM_ACTION.

import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from './harness.mjs';

function binary(env, name) {
  if (process.env[env]) return process.env[env];
  const target =
    process.env.CARGO_TARGET_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'postmortem', 'target');
  return path.join(target, 'debug', name);
}

/** Starts a stand-in whose clock reads `now`; resolves to its handle. */
export async function startStandIn(t, now) {
  const bin = binary('GITHUB_STAND_IN', 'github-stand-in');
  const action = binary('POSTMORTEM_ACTION', 'postmortem-action');
  for (const b of [bin, action]) {
    if (!fs.existsSync(b)) throw new Error(`${b} is missing: cargo build -p postmortem-action -p fake-github --bins`);
  }
  const child = spawn(bin, ['--port', '0', '--action', action, '--now', now], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill());
  const url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`github-stand-in exited with ${code}`)));
  });
  const api = (p, init = {}) =>
    fetch(`${url}/api/v3/repos/acme/ops${p}`, {
      ...init,
      headers: { Authorization: 'Bearer a-person-s-token', 'Content-Type': 'application/json', ...(init.headers || {}) },
    });
  return {
    url,
    api,
    /** Posts one of the page's buttons (/merge, /pass, /check). */
    async press(p, form = {}) {
      await fetch(url + p, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
    },
    /** The state once every workflow started so far has run. */
    async idle() {
      for (let i = 0; i < 600; i++) {
        const s = await (await fetch(`${url}/state.json`)).json();
        if (s.idle) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the stand-in never became idle');
    },
    /** Checks every request and answer so far against GitHub's REST description. */
    validate(state) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-log-'));
      const log = path.join(dir, 'log.jsonl');
      fs.writeFileSync(log, state.log);
      try {
        execFileSync('node', [path.join(ROOT, 'tests', 'github-spec', 'validate.mjs'), log], {
          cwd: path.join(ROOT, 'tests', 'github-spec'),
          stdio: 'pipe',
        });
      } catch (e) {
        throw new Error(`the stand-in's log does not match GitHub's REST description:\n${e.stdout}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
