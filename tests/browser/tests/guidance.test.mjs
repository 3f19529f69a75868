// The form as an engineer meets it the day after an incident: a pristine
// form shows no errors; a field shows its findings once it has been edited
// and left, a step once the person has moved on from it; a restored draft
// keeps what was shown; and every message the form shows speaks in the
// person's words, never in field paths or JSON names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, ready, fill, press, inForm, saved, importFile, ROOT } from '../lib/harness.mjs';
import { cliBinary } from '../lib/cli.mjs';

/** The messages shown at fields, and the navigation's badges. */
const shown = (page) =>
  inForm(page, (root) => ({
    findings: [...root.querySelectorAll('.findings li, .parse-error')].map((li) => li.textContent.trim()),
    invalid: root.querySelectorAll('[aria-invalid=true]').length,
    badges: [...root.querySelectorAll('nav .badge')].map((b) => b.closest('button').textContent.trim()),
  }));

/** The findings listed under the field whose id ends with `id`. */
const at = (page, id) =>
  inForm(page, (root, id) => [...root.querySelectorAll(`[id$="-${id}-findings"] li`)].map((li) => li.textContent.trim()), id);

test('a pristine form shows guidance, not errors', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  // Nothing is red, and no step counts errors, before the person has typed.
  assert.deepEqual(await shown(page), { findings: [], invalid: 0, badges: [] });
  const hints = await inForm(page, (root) => root.querySelectorAll('.hint').length);
  assert.ok(hints > 3, 'the fields show their guidance');
  const clock = await inForm(page, (root) => root.querySelector('.clock').textContent);
  assert.match(clock, /starts at the incident's start/);
  assert.deepEqual(h.errors, []);
});

test('a field shows its finding once it has been edited and left', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-title', 'x');
  await page.keyboard.press('Backspace');
  // Still in the field: no finding yet, while the other fields stay quiet.
  await page.waitForTimeout(400);
  assert.deepEqual(await at(page, 'incident-title'), []);
  await page.keyboard.press('Tab');
  await page.waitForFunction(() =>
    document.querySelector('postmortem-form').shadowRoot.querySelector('[id$="-incident-title-findings"]'),
  );
  assert.deepEqual(await at(page, 'incident-title'), ['Error PM001: Add a one-line title that names the symptom.']);
  const title = await inForm(page, (root) => root.querySelector('[id$="-incident-title"]').getAttribute('aria-invalid'));
  assert.equal(title, 'true');
  // Only that field speaks: the others still show their guidance.
  assert.deepEqual(await at(page, 'incident-severity'), []);
  assert.deepEqual(await at(page, 'incident-started_at'), []);
  // Live as they type from then on: fixing it clears it.
  await fill(page, 'incident-title', 'queue.render p95 above 2s');
  await page.waitForFunction(() =>
    !document.querySelector('postmortem-form').shadowRoot.querySelector('[id$="-incident-title-findings"]'),
  );
  assert.deepEqual(h.errors, []);
});

test('a step shows its findings when the person moves on, and a restored draft keeps them', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-user_impact', 'About 120 graders saw the queue above 2s.');
  await press(page, 'Next: Timeline');
  // The incident step was left: the navigation counts its errors, the
  // walk (not visited yet) counts none.
  const { badges } = await shown(page);
  assert.equal(badges.length, 1, badges.join(' | '));
  assert.match(badges[0], /^1\. Incident \(\d+ errors\)$/);
  await press(page, 'Back: Incident');
  const findings = await at(page, 'incident-title');
  assert.deepEqual(findings, ['Error PM001: Add a one-line title that names the symptom.']);
  await saved(page);
  await page.reload();
  await ready(page);
  assert.deepEqual(await at(page, 'incident-title'), findings, 'the restored draft shows what it showed');
  // The walk was never visited: its answers are not asked for yet.
  await press(page, '3. Walk the chain levels');
  assert.deepEqual(await at(page, 'walk-L1-verdict'), []);
  assert.deepEqual(h.errors, []);
});

// Field paths (`fix.level`, `timeline[2]`) and JSON names (`held_at`).
const INTERNALS =
  /\b(?:incident|holder|timeline|walk|fix|test|binding|runbook|adrs|readers|participants)(?:\.[a-z]|\[\d)|\b[a-z]+_[a-z_]+\b/;

test('every message the form shows, for every rule, is in the person\'s words', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'queue-render.json'), 'utf8'));
  const variant = (change) => {
    const pm = structuredClone(example);
    change(pm);
    return pm;
  };
  // Between them, these break every rule (as the lint crate's
  // `every_rule_speaks_to_the_form_in_its_words` does).
  const cases = {
    'fresh': null,
    'late.json': variant((pm) => {
      pm.held_at = '2026-05-23T10:00:00+00:00';
      pm.incident.detected_at = '2026-05-18T14:00:00+00:00';
      pm.holder.role = null;
      pm.fix.due = '2026-05-20';
    }),
    'blame.json': variant((pm) => {
      const first = Date.parse(pm.timeline[0].at);
      pm.timeline[0].written_at = new Date(first + 2 * 86400e3).toISOString();
      pm.timeline[1].written_at = null;
      pm.timeline[2].at = new Date(first - 3600e3).toISOString();
      pm.timeline[3].written_at = new Date(Date.parse(pm.timeline[3].at) - 3 * 3600e3).toISOString();
      pm.walk.L1.reasoning = '';
      pm.runbook.worked = '';
      pm.adrs[0].conversation_on = null;
      pm.adrs.push({ title: 'Untitled', why: 'Because.' }, { path: 'docs/adr/0013.txt', why: 'Because.' });
      pm.runbook.path = 'runbooks/RB-021.txt';
      pm.fix.level = 'L1';
      delete pm.fix.test.binding;
      pm.fix.statement = 'Maya will be more careful.';
      pm.fix.test.statement = 'Maya is more careful.';
      pm.participants.push('Maya');
    }),
    'all-no.json': variant((pm) => {
      for (const l of ['L1', 'L2', 'L3', 'L4', 'L5']) pm.walk[l].verdict = 'no';
    }),
    'monitoring.json': variant((pm) => {
      pm.fix.level = 'L5';
      pm.walk.L5.verdict = 'yes';
      pm.fix.statement = 'Add an alert on the cache hit ratio.';
    }),
    'below.json': variant((pm) => {
      pm.fix.level = 'L4';
      pm.walk.L4.verdict = 'yes';
      delete pm.runbook.path;
    }),
  };
  const codes = new Set();
  for (const [name, pm] of Object.entries(cases)) {
    // `fresh`: the new postmortem the page opens with, as it is.
    if (pm) await importFile(page, name, JSON.stringify(pm));
    // The findings follow the import once the lint's debounce has passed.
    await page.waitForTimeout(500);
    await press(page, '7. Review and submit');
    await page.waitForFunction(() =>
      document.querySelector('postmortem-form').shadowRoot.querySelector('.summary-list li'),
    );
    const items = await inForm(page, (root) =>
      [...root.querySelectorAll('.summary-list li li')].map((li) => ({
        group: li.closest('.summary-step').querySelector('h5').textContent,
        text: li.textContent.trim(),
      })),
    );
    for (const { group, text } of items) {
      assert.doesNotMatch(text, INTERNALS, `${name}, ${group}: ${text}`);
    }
    // Back at the fields (every step was left on the way to review), the
    // same words, each with its rule's code.
    for (const step of ['1. Incident', '2. Timeline', '3. Walk the chain levels', '4. One chain-level fix', '5. Runbook and ADRs', '6. Readers']) {
      const button = await inForm(page, (root, s) =>
        [...root.querySelectorAll('nav button')].find((b) => b.textContent.startsWith(s)).textContent, step);
      await press(page, button);
      const atFields = await inForm(page, (root) => [...root.querySelectorAll('.findings li')].map((li) => li.textContent));
      for (const text of atFields) {
        assert.doesNotMatch(text, INTERNALS, `${name}, ${step}: ${text}`);
        codes.add(/PM\d{3}/.exec(text)?.[0]);
      }
    }
  }
  // A postmortem with several fixes is not imported; the reason is in the
  // person's words too.
  const several = variant((pm) => {
    pm.fixes = [pm.fix, pm.fix, pm.fix];
    delete pm.fix;
  });
  const input = page.locator('postmortem-form input[type=file]');
  await input.setInputFiles({ name: 'three.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(several)) });
  await page.waitForFunction(() =>
    /three\.json was not imported/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.alerts').textContent),
  );
  const alert = await inForm(page, (root) => root.querySelector('.alerts').textContent);
  assert.match(alert, /lists 3 fixes: keep the one at the level that produced the incident/);
  assert.doesNotMatch(alert, INTERNALS);
  codes.add('PM303');
  // Every rule of the catalogue, as `postmortem rules` lists it.
  const rules = execFileSync(cliBinary(), ['rules']).toString('utf8').trim().split('\n').map((l) => l.split(' ')[0]);
  assert.deepEqual([...codes].filter(Boolean).sort(), rules.sort(), 'every rule was shown');
  assert.deepEqual(h.errors, []);
});
