// A person completes the practice's example with the keyboard alone, and
// the Markdown the form exports is byte for byte what the CLI renders for
// examples/queue-render.json.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, ready, fill, press, tabTo, download, inForm, ROOT } from '../lib/harness.mjs';
import { cliRender } from '../lib/cli.mjs';

const EXAMPLE = path.join(ROOT, 'examples', 'queue-render.json');

// The example's timestamps as the form shows them.
const when = (iso) => {
  const m = iso.match(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?([+-]\d\d:\d\d|Z)$/);
  const seconds = m[3] && m[3] !== ':00' ? m[3] : '';
  return `${m[1]} ${m[2]}${seconds} ${m[4] === 'Z' ? '+00:00' : m[4]}`;
};

/** Chooses a <select> option by typing its first letters. */
async function choose(page, id, letters) {
  await tabTo(page, id);
  await page.keyboard.type(letters);
}

/** Answers one level: Space checks the first radio (No); arrows move on. */
async function verdict(page, level, answer) {
  await tabTo(page, `walk-${level}-verdict-no`);
  const steps = { no: 0, possibly: 1, yes: 2 }[answer];
  if (steps === 0) await page.keyboard.press('Space');
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
}

test('the practice example, completed with the keyboard, exports what the CLI renders', async (t) => {
  const pm = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const expected = cliRender(EXAMPLE);
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);

  // Step 1: the incident.
  const i = pm.incident;
  await fill(page, 'incident-id', i.id);
  await fill(page, 'incident-title', i.title);
  await choose(page, 'incident-severity', i.severity);
  await fill(page, 'incident-services', i.services.join(', '));
  await fill(page, 'incident-started_at', when(i.started_at));
  await fill(page, 'incident-detected_at', when(i.detected_at));
  await fill(page, 'incident-mitigated_at', when(i.mitigated_at));
  await fill(page, 'incident-resolved_at', when(i.resolved_at));
  await fill(page, 'incident-user_impact', i.user_impact);
  await fill(page, 'holder-login', pm.holder.login);
  await choose(page, 'holder-role', 'The on');
  await fill(page, 'held_at', when(pm.held_at));
  await fill(page, 'participants', pm.participants.join('\n'));
  await press(page, 'Next: Timeline');

  // Step 2: the timeline, entered by hand.
  for (let n = 0; n < pm.timeline.length; n++) await press(page, 'Add an entry by hand');
  await tabTo(page, 'timeline-0-at', { backwards: true });
  for (const [n, e] of pm.timeline.entries()) {
    await fill(page, `timeline-${n}-at`, when(e.at));
    await fill(page, `timeline-${n}-written_at`, when(e.written_at));
    await fill(page, `timeline-${n}-author`, e.author);
    await fill(page, `timeline-${n}-text`, e.text);
  }
  await press(page, 'Next: Walk the chain levels');

  // Step 3: the walk.
  for (const level of ['L1', 'L2', 'L3', 'L4', 'L5']) {
    await verdict(page, level, pm.walk[level].verdict);
    await fill(page, `walk-${level}-reasoning`, pm.walk[level].reasoning);
  }
  await press(page, 'Next: One chain-level fix');

  // Step 4: the one fix.
  const f = pm.fix;
  await choose(page, 'fix-level', f.level);
  await fill(page, 'fix-statement', f.statement);
  await fill(page, 'fix-owner', f.owner);
  await fill(page, 'fix-due', f.due);
  await fill(page, 'fix-test-statement', f.test.statement);
  await choose(page, 'fix-test-binding-kind', 'A w');
  await fill(page, 'fix-test-binding-target', f.test.binding.workflow);
  await fill(page, 'fix-test-binding-branch', f.test.binding.branch);
  await press(page, 'Next: Runbook and ADRs');

  // Step 5: the runbook and the ADR.
  const r = pm.runbook;
  await fill(page, 'runbook-path', r.path);
  await fill(page, 'runbook-worked', r.worked);
  await fill(page, 'runbook-did_not_work', r.did_not_work);
  await fill(page, 'runbook-faster_next_time', r.faster_next_time);
  await press(page, 'Add an ADR');
  await tabTo(page, 'adrs-0-path', { backwards: true });
  const a = pm.adrs[0];
  await fill(page, 'adrs-0-path', a.path);
  await fill(page, 'adrs-0-title', a.title);
  await fill(page, 'adrs-0-why', a.why);
  await fill(page, 'adrs-0-conversation_on', a.conversation_on);
  await press(page, 'Next: Readers');

  // Step 6: the readers.
  await fill(page, 'readers', pm.readers.join('\n'));
  await press(page, 'Next: Review and submit');

  // Step 7: review. The rules find nothing, and the export is the CLI's.
  await page.waitForFunction(() =>
    /find nothing/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.summary h4').textContent),
  { timeout: 5000 }).catch(async () => {
    const summary = await inForm(page, (root) => root.querySelector('.summary').innerText);
    assert.fail(`the review still has findings:\n${summary}`);
  });
  const preview = await inForm(page, (root) => root.querySelector('.preview').textContent);
  assert.equal(preview, expected, 'the review shows the CLI render');
  const exported = await download(page, 'Export Markdown');
  assert.equal(exported.name, 'postmortem-INC-2026-0142.md');
  assert.equal(exported.text, expected);
  // The JSON export is the same postmortem: the CLI renders it to the same
  // document (timestamps may be written Z instead of +00:00).
  const json = await download(page, 'Export JSON');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-export-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tmp = path.join(dir, json.name);
  fs.writeFileSync(tmp, json.text);
  assert.equal(cliRender(tmp), expected);
  assert.deepEqual(h.errors, []);
});
