// The practice's example (examples/queue-render.json), entered into the
// form as a person would: with the keyboard alone, step by step. Shared by
// the test that compares the export with the CLI and the end-to-end loop.

import fs from 'node:fs';
import path from 'node:path';
import { fill, press, tabTo, ROOT } from './harness.mjs';

export const EXAMPLE = path.join(ROOT, 'examples', 'queue-render.json');

// The example's timestamps as the form shows them.
export const when = (iso) => {
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

/** Fills steps 1 to 6 with the example and opens the Review step. */
export async function fillExample(page) {
  const pm = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
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

}
