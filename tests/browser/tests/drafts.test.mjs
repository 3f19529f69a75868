// Drafts are never lost: a reload restores every word typed (even text
// that does not parse yet), two forms keep separate drafts, storage
// failure shows a warning while export still works, and a single-page
// wiki's navigation saves and restores the draft.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, ready, fill, press, inForm, saved, download, tabTo } from '../lib/harness.mjs';

const value = (page, id, index = 0) =>
  inForm(page, (root, id) => root.querySelector(`[id$="-${id}"]`).value, id, index);

test('a reload mid-form restores everything typed', async (t) => {
  const h = await start();
  t.after(() => h.close());
  let page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-title', 'queue.render p95 above 2s');
  await fill(page, 'incident-started_at', '2026-05-18 14:51 +00:00');
  await fill(page, 'holder-login', '@senior-dev'); // not a login yet: kept as typed
  await press(page, 'Next: Timeline');
  await tabTo(page, 'live-text');
  await page.keyboard.type('alert: queue.render.p95 >2s');
  await page.keyboard.press('Enter');
  await press(page, 'Next: Walk the chain levels');
  await fill(page, 'walk-L3-reasoning', 'The warming story slipped.');
  // Reload at once: the draft is saved when the page hides, not only after
  // the autosave pause.
  await page.reload();
  await ready(page);
  assert.equal(await value(page, 'incident-title'), 'queue.render p95 above 2s');
  assert.equal(await value(page, 'incident-started_at'), '2026-05-18 14:51 +00:00');
  assert.equal(await value(page, 'holder-login'), '@senior-dev');
  const problem = await inForm(page, (root) => root.querySelector('[id$="-holder-login-error"]').textContent);
  assert.match(problem, /not a valid GitHub login/);
  await press(page, 'Next: Timeline');
  assert.equal(await value(page, 'timeline-0-text'), 'alert: queue.render.p95 >2s');
  assert.notEqual(await value(page, 'timeline-0-written_at'), '', 'the live entry keeps when it was written');
  await press(page, 'Next: Walk the chain levels');
  assert.equal(await value(page, 'walk-L3-reasoning'), 'The warming story slipped.');
  assert.deepEqual(h.errors, []);
});

test('two forms on one page keep separate drafts', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/two.html');
  await ready(page, 2);
  await fill(page, 'incident-title', 'first incident');
  // The second form's title: tab on until the focus is inside the second element.
  for (let n = 0; n < 400; n++) {
    await page.keyboard.press('Tab');
    const inSecond = await page.evaluate(() => document.activeElement === document.querySelectorAll('postmortem-form')[1]);
    const id = await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.id || '');
    if (inSecond && id.endsWith('-incident-title')) break;
  }
  await page.keyboard.type('second incident');
  await saved(page, 0);
  await saved(page, 1);
  await page.reload();
  await ready(page, 2);
  assert.equal(await value(page, 'incident-title', 0), 'first incident');
  assert.equal(await value(page, 'incident-title', 1), 'second incident');
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(keys, ['postmortem-form:v1:acme/ops:INC-1', 'postmortem-form:v1:acme/ops:INC-2']);
  assert.deepEqual(h.errors, []);
});

test('when storage fails the form warns, keeps the work and still exports', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/no-storage.html');
  await ready(page);
  await fill(page, 'incident-title', 'kept in memory');
  await page.waitForFunction(() =>
    /did not let the form save/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('[role=alert]').textContent),
  );
  const file = await download(page, 'Export JSON');
  assert.equal(JSON.parse(file.text).incident.title, 'kept in memory');
  assert.equal(await value(page, 'incident-title'), 'kept in memory');
});

test('single-page navigation unmounts and remounts the form without losing the draft', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/spa.html#postmortem');
  await ready(page);
  await fill(page, 'incident-title', 'typed before navigating');
  await page.evaluate(() => { location.hash = 'runbook'; });
  await page.waitForFunction(() => !document.querySelector('postmortem-form'));
  await page.evaluate(() => { location.hash = 'postmortem'; });
  await ready(page);
  assert.equal(await value(page, 'incident-title'), 'typed before navigating');
  // The duplicated script tag defined the element once and threw nothing.
  assert.deepEqual(h.errors, []);
});

test('discarding the draft empties the form and the storage', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-title', 'to be discarded');
  await saved(page);
  await press(page, 'Discard draft…');
  await press(page, 'Yes, discard');
  assert.equal(await value(page, 'incident-title'), '');
  await page.reload();
  await ready(page);
  assert.equal(await value(page, 'incident-title'), '');
  assert.equal(await page.evaluate(() => localStorage.length), 0);
});

test('two tabs on one draft: saving pauses and the person chooses the version to keep', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const a = await h.page('/pages/basic.html');
  await ready(a);
  const b = await h.context.newPage();
  await b.goto(h.url('/pages/basic.html'));
  await ready(b);
  await fill(a, 'incident-title', 'typed in tab A');
  await saved(a);
  // Tab B was open on the same draft: it must not overwrite A's work unseen.
  const warning = (page) =>
    page.waitForFunction(
      () => /saved in another tab/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.alerts').textContent),
      null,
      { timeout: 5000 },
    );
  await warning(b);
  await fill(b, 'incident-title', 'typed in tab B');
  await b.waitForTimeout(700); // longer than the autosave pause
  const stored = await b.evaluate(() => JSON.parse(localStorage.getItem('postmortem-form:v1:acme/ops:INC-2026-0142')).postmortem.incident.title);
  assert.equal(stored, 'typed in tab A', 'tab B saved over tab A while the conflict was open');
  assert.match(await inForm(b, (root) => root.querySelector('.draft-bar [role=status]').textContent), /Saving paused/);
  await press(b, 'Load the other version');
  assert.equal(await value(b, 'incident-title'), 'typed in tab A');
  // B now holds what A stored, so its autosave has nothing new to write
  // and A sees no conflict; B's next change is one.
  await fill(b, 'incident-title', 'typed in tab A, then B');
  await saved(b);
  await warning(a);
  await press(a, "Keep this tab's version");
  await a.waitForFunction(
    () => JSON.parse(localStorage.getItem('postmortem-form:v1:acme/ops:INC-2026-0142')).postmortem.incident.title === 'typed in tab A',
    null,
    { timeout: 5000 },
  );
  // A's choice reached B, which now pauses in turn.
  await warning(b);
  // B discards the draft; A, asked again, finds nothing to load and keeps
  // and saves its own version.
  await press(b, 'Discard draft…');
  await press(b, 'Yes, discard');
  await a.waitForFunction(() => localStorage.getItem('postmortem-form:v1:acme/ops:INC-2026-0142') === null);
  await warning(a);
  await press(a, 'Load the other version');
  await a.waitForFunction(
    () => JSON.parse(localStorage.getItem('postmortem-form:v1:acme/ops:INC-2026-0142') || 'null')?.postmortem.incident.title === 'typed in tab A',
    null,
    { timeout: 5000 },
  );
  assert.deepEqual(h.errors, []);
});
