// Benchmarks of the built form (not timed tests): run with
//   scripts/bench-web
// (it builds the form and the minimal Leptos page first) and copy the
// output into BENCHMARKS.md with the command.
//  1. gzip -9 transfer of what a page downloads for the form (the loader,
//     the glue and the module; the CSS is inside the module);
//  2. time from the script's request to an interactive page, median of 20
//     cold loads in headless Chromium (fresh cache, same profile), for the
//     form and, interleaved in the same run, for the minimal Leptos page of
//     web/minimal built the same way;
//  3. time from a keystroke to updated findings with 500 timeline entries,
//     measured in the page: the input's own handling (until its effects
//     have run), then the rules and the redraw, from the form's
//     `postmortem:lint` performance mark to the mutation that shows the
//     new findings; then, apart, the browser's own work (style, layout,
//     paint) on the frame that shows them. The typing pause the form waits
//     before linting is deliberate and reported apart.

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
console.log(`transfer  total gzip -9 (node's zlib): ${total} B (goal 120 KB, limit 250 KB)`);
let minimal = 0;
for (const f of ['bench-minimal/minimal.js', 'bench-minimal/postmortem_web_minimal.js', 'bench-minimal/postmortem_web_minimal_bg.wasm']) {
  minimal += zlib.gzipSync(fs.readFileSync(path.join(DIST, f)), { level: 9 }).length;
}
console.log(`transfer  minimal Leptos page, total gzip -9 (node's zlib): ${minimal} B`);

const h = await start();
try {
  const page = h.context.pages()[0] || (await h.context.newPage());
  await page.addInitScript(() => {
    const ready = () => { window.__readyAt = performance.now(); };
    document.addEventListener('postmortem-form:ready', ready);
    document.addEventListener('minimal:ready', ready);
  });
  // 2. Script start to interactive, the form and the baseline alternating.
  const cdp = await h.context.newCDPSession(page);
  const coldLoad = async (url, script) => {
    await cdp.send('Network.clearBrowserCache');
    await page.goto(h.url(url));
    await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 20000 });
    const ms = await page.evaluate((name) => {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith(name));
      return window.__readyAt - entry.startTime;
    }, script);
    await page.evaluate(() => localStorage.clear());
    return ms;
  };
  const form = [];
  const minimal = [];
  for (let i = 0; i < 20; i++) {
    form.push(await coldLoad('/pages/basic.html', '/postmortem-form.js'));
    minimal.push(await coldLoad('/dist/bench-minimal/index.html', '/minimal.js'));
  }
  const line = (name, xs) =>
    `startup   ${name}: median ${median(xs).toFixed(1)} ms over 20 cold loads (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
  console.log(line('form, loader request → interactive form', form));
  console.log(line('minimal Leptos page, script request → interactive', minimal));

  // 3. Keystroke → findings with 500 entries.
  const entries = Array.from({ length: 500 }, (_, n) => {
    const at = new Date(Date.UTC(2026, 4, 18, 14, 51) + n * 60000).toISOString().replace('.000Z', '+00:00');
    return { at, written_at: at, text: `entry ${n}: queue.render p95 checked`, author: 'the senior dev' };
  });
  const draft = { version: 1, postmortem: { schema_version: 1, incident: { id: 'INC-2026-0142' }, timeline: entries }, pending: {} };
  await page.evaluate((d) => localStorage.setItem('postmortem-form:v1:acme/ops:INC-2026-0142', JSON.stringify(d)), draft);
  await page.goto(h.url('/pages/basic.html'));
  await page.waitForFunction(() => window.__readyAt !== undefined);
  // One keystroke, measured in the page: `field` is the input's id suffix,
  // `text` what it is set to; the field's findings list must appear
  // (`want`) or go.
  const keystroke = (field, text, want) =>
    page.evaluate(
      async ([field, text, want]) => {
        const root = document.querySelector('postmortem-form').shadowRoot;
        const input = root.querySelector(`[id$="-${field}"]`);
        // By id, and timed before the look: a selector scan of the whole
        // form would charge the form for the benchmark's own search.
        const findingsId = `${input.id}-findings`;
        const shown = () => root.getElementById(findingsId) !== null;
        let redrawnAt = null;
        // The frame that shows them: from its animation-frame callbacks
        // (requested as the findings appear) to a task after its style,
        // layout and paint.
        let frame = null;
        const watch = new MutationObserver(() => {
          const now = performance.now();
          if (redrawnAt === null && shown() === want) {
            redrawnAt = now;
            frame = new Promise((r) =>
              requestAnimationFrame(() => {
                const start = performance.now();
                const c = new MessageChannel();
                c.port1.onmessage = () => r(performance.now() - start);
                c.port2.postMessage(0);
              }),
            );
          }
        });
        watch.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
        performance.clearMarks('postmortem:lint');
        performance.clearMeasures('postmortem:rules');
        const t0 = performance.now();
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // A task after the input's microtasks: its effects have run.
        await new Promise((r) => {
          const c = new MessageChannel();
          c.port1.onmessage = r;
          c.port2.postMessage(0);
        });
        const handled = performance.now() - t0;
        const deadline = performance.now() + 5000;
        while (redrawnAt === null) {
          if (performance.now() > deadline) throw new Error(`the findings of ${field} never became ${want ? 'shown' : 'empty'}`);
          await new Promise((r) => setTimeout(r, 5));
        }
        watch.disconnect();
        const lint = performance.getEntriesByName('postmortem:lint').at(-1);
        const rules = performance.getEntriesByName('postmortem:rules').at(-1).duration;
        return { handled, rules, linted: redrawnAt - lint.startTime, frame: await frame, wall: redrawnAt - t0 };
      },
      [field, text, want],
    );
  // Alternates a value without findings and one with a finding.
  const report = async (where, field, good, bad) => {
    const runs = [];
    for (let i = 0; i < 20; i++) {
      const wrong = i % 2 === 1;
      runs.push(await keystroke(field, wrong ? bad : good, wrong));
    }
    const input = median(runs.map((r) => r.handled));
    const linted = median(runs.map((r) => r.linted));
    const rules = median(runs.map((r) => r.rules));
    const wall = median(runs.map((r) => r.wall));
    const frame = median(runs.map((r) => r.frame));
    console.log(
      `findings  ${where}, 500 entries: keystroke handled ${input.toFixed(2)} ms + rules and redraw ${linted.toFixed(2)} ms (the rules alone ${rules.toFixed(2)} ms) = ${(input + linted).toFixed(2)} ms; then the browser's style, layout and paint of the frame that shows them ${frame.toFixed(2)} ms (medians of 20; wall clock ${wall.toFixed(1)} ms including the ${LINT_DELAY_MS} ms typing pause)`,
    );
  };
  await report('incident title (Incident step)', 'incident-title', 'queue.render p95 above 2s', '');
  await page.evaluate(() => {
    const root = document.querySelector('postmortem-form').shadowRoot;
    [...root.querySelectorAll('nav button')].find((b) => b.textContent.includes('Timeline')).click();
  });
  await page.waitForFunction(() => !!document.querySelector('postmortem-form').shadowRoot.querySelector('[id$="-timeline-1-at"]'));
  // An entry dated before the one above it is out of order (PM104).
  await report('second timeline entry\'s time (Timeline step)', 'timeline-1-at', '2026-05-18 14:52 +00:00', '2026-05-18 14:00 +00:00');
} finally {
  await h.close();
}
