// Benchmarks of the built form (not timed tests): run with
//   node tests/browser/bench.mjs            (after scripts/build-web)
// and copy the output into BENCHMARKS.md with the command.
//  1. gzip -9 transfer of what a page downloads for the form (the loader,
//     the glue and the module; the CSS is inside the module);
//  2. time from the loader's request to an interactive form, median of 20
//     cold loads in headless Chromium (fresh cache, same profile);
//  3. time from a keystroke to updated findings with 500 timeline entries
//     (the debounce the form waits before linting is reported apart).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { start, DIST } from './lib/harness.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const LINT_DELAY_MS = 150; // web/src/app.rs

// 1. Transfer.
let total = 0;
for (const f of ['postmortem-form.js', 'postmortem_web.js', 'postmortem_web_bg.wasm']) {
  const raw = fs.readFileSync(path.join(DIST, f));
  const gz = zlib.gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`transfer  ${f.padEnd(24)} ${String(raw.length).padStart(9)} B  gzip ${String(gz).padStart(8)} B`);
}
console.log(`transfer  total gzip -9: ${total} B (${(total / 1024).toFixed(1)} KiB; goal 120 KiB, limit 250 KiB)`);

const h = await start();
try {
  const page = h.context.pages()[0] || (await h.context.newPage());
  await page.addInitScript(() => {
    document.addEventListener('postmortem-form:ready', () => { window.__readyAt = performance.now(); });
  });
  // 2. Script start to interactive.
  const times = [];
  const cdp = await h.context.newCDPSession(page);
  for (let i = 0; i < 20; i++) {
    await cdp.send('Network.clearBrowserCache');
    await page.goto(h.url('/pages/basic.html'));
    await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 20000 });
    times.push(
      await page.evaluate(() => {
        const loader = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/postmortem-form.js'));
        return window.__readyAt - loader.startTime;
      }),
    );
    await page.evaluate(() => localStorage.clear());
  }
  console.log(`startup   loader request → interactive form: median ${median(times).toFixed(1)} ms over 20 cold loads (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);

  // 3. Keystroke → findings with 500 entries.
  const entries = Array.from({ length: 500 }, (_, n) => {
    const at = new Date(Date.UTC(2026, 4, 18, 14, 51) + n * 60000).toISOString().replace('.000Z', '+00:00');
    return { at, written_at: at, text: `entry ${n}: queue.render p95 checked`, author: 'the senior dev' };
  });
  const draft = { version: 1, postmortem: { schema_version: 1, incident: { id: 'INC-2026-0142' }, timeline: entries }, pending: {} };
  await page.evaluate((d) => localStorage.setItem('postmortem-form:v1:acme/ops:INC-2026-0142', JSON.stringify(d)), draft);
  await page.goto(h.url('/pages/basic.html'));
  await page.waitForFunction(() => window.__readyAt !== undefined);
  const samples = [];
  for (let i = 0; i < 20; i++) {
    const empty = i % 2 === 1;
    samples.push(
      await page.evaluate(async (clear) => {
        const root = document.querySelector('postmortem-form').shadowRoot;
        const input = root.querySelector('[id$="-incident-title"]');
        const has = () => !!root.querySelector('[id$="-incident-title-findings"]');
        const want = clear; // an empty title has a finding
        const t0 = performance.now();
        input.value = clear ? '' : 'queue.render p95 above 2s';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        while (has() !== want) await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - t0;
      }, empty),
    );
  }
  const m = median(samples);
  console.log(`findings  keystroke → updated findings, 500 entries: median ${m.toFixed(1)} ms, of which ${LINT_DELAY_MS} ms is the typing debounce (lint + redraw ≈ ${(m - LINT_DELAY_MS).toFixed(1)} ms, frame-granular)`);
} finally {
  await h.close();
}
