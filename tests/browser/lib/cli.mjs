// The CLI's render of a postmortem, the reference the form's export must
// equal byte for byte. Uses $POSTMORTEM_CLI when set, else builds the CLI
// into the scripts' cargo target directory.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';

export function cliBinary() {
  if (process.env.POSTMORTEM_CLI) return process.env.POSTMORTEM_CLI;
  const target =
    process.env.CARGO_TARGET_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'postmortem', 'target');
  const bin = path.join(target, 'release', 'postmortem');
  if (!fs.existsSync(bin)) {
    execFileSync('cargo', ['build', '--locked', '--release', '-p', 'postmortem-cli'], {
      cwd: ROOT,
      env: { ...process.env, CARGO_TARGET_DIR: target },
      stdio: 'inherit',
    });
  }
  return bin;
}

/** `postmortem render <file>` (Markdown on standard output). */
export function cliRender(file) {
  return execFileSync(cliBinary(), ['render', file], { cwd: ROOT }).toString('utf8');
}
