// Getting work into the form: the on-call's notes pasted on the Timeline
// step go through the core's timeline parser (each unreadable line listed
// with its number, what it holds and what was expected; entries already
// there left out), and an exported JSON or Markdown file imports back
// into a fresh form, while a broken file is refused without touching the
// work on screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, ready, fill, press, inForm, download, tabTo } from '../lib/harness.mjs';

const value = (page, id) => inForm(page, (root, id) => root.querySelector(`[id$="-${id}"]`).value, id);
const text = (page, selector) => inForm(page, (root, s) => root.querySelector(s)?.textContent ?? null, selector);

const NOTES = [
  'T+0:00 queue.render p95 above 2s, paged',
  'T+0:05 rolled back deploy 4411',
  'T+0:7x checked the dashboards',
  '25:99 restarted workers',
  'T+0:12 p95 back under 400ms',
].join('\n');

test("pasted notes become entries; every line the parser cannot read is listed with its number and what was expected", async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-started_at', '2026-05-18 14:51 +00:00');
  await press(page, 'Next: Timeline');
  // Open the import with the keyboard and paste.
  await tabTo(page, "SUMMARY:Import the on-call's notes");
  await page.keyboard.press('Enter');
  await tabTo(page, 'paste');
  await page.keyboard.insertText(NOTES);
  await press(page, 'Import lines');

  const status = () => text(page, '.paste [role=status]');
  assert.equal(await status(), 'Imported 3 entries; 2 lines could not be read.');
  const errors = await inForm(page, (root) => [...root.querySelectorAll('.line-errors li')].map((li) => li.textContent));
  assert.equal(errors.length, 2);
  assert.match(errors[0], /^line 3: `T\+0:7x checked the dashboards` has `T\+0:7x`, whose minutes are not two digits: expected hours:minutes after the incident start/);
  assert.match(errors[1], /^line 4: `25:99 restarted workers` has `25:99`, whose hour is not 00 to 23: expected a 24-hour time/);
  // The textarea points at the errors, for screen readers.
  const describedBy = await inForm(page, (root) => root.querySelector('[id$="-paste"]').getAttribute('aria-describedby'));
  assert.match(describedBy, /-paste-errors$/);
  // T+ times count from the incident's start.
  assert.equal(await value(page, 'timeline-0-at'), '2026-05-18 14:51 +00:00');
  assert.equal(await value(page, 'timeline-1-text'), 'rolled back deploy 4411');
  assert.equal(await value(page, 'timeline-2-at'), '2026-05-18 15:03 +00:00');
  assert.equal(await text(page, '.entries-heading'), 'Entries (3)');

  // The same notes again: nothing is added twice.
  await press(page, 'Import lines');
  await page.waitForFunction(() => /already in the timeline/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.paste [role=status]').textContent));
  assert.equal(await status(), 'Imported 0 entries (3 already in the timeline, left out); 2 lines could not be read.');
  assert.equal(await text(page, '.entries-heading'), 'Entries (3)');
  assert.deepEqual(h.errors, []);
});

test('an exported JSON or Markdown file imports back into a fresh form; a broken file is refused and the work stays', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-title', 'queue.render p95 above 2s');
  await fill(page, 'incident-started_at', '2026-05-18 14:51 +00:00');
  const json = await download(page, 'Export JSON');
  const md = await download(page, 'Export Markdown');
  assert.equal(json.name, 'postmortem-INC-2026-0142.json');
  assert.equal(md.name, 'postmortem-INC-2026-0142.md');
  // Not in a frame: the export just says it is done.
  assert.match(await text(page, '.draft-bar [role=status]'), / Exported postmortem-INC-2026-0142\.md\.$/);

  const input = page.locator('postmortem-form input[type=file]');
  const notice = () => text(page, '.draft-bar [role=status]');
  const alert = () => text(page, '.draft-bar [role=alert]');
  for (const file of [json, md]) {
    await press(page, 'Discard draft…');
    await press(page, 'Yes, discard');
    assert.equal(await value(page, 'incident-title'), '');
    await input.setInputFiles({ name: file.name, mimeType: 'text/plain', buffer: Buffer.from(file.text) });
    await page.waitForFunction((n) => document.querySelector('postmortem-form').shadowRoot.querySelector('.draft-bar [role=status]').textContent.includes(`Imported ${n}.`), file.name);
    assert.equal(await value(page, 'incident-title'), 'queue.render p95 above 2s', file.name);
    assert.equal(await value(page, 'incident-started_at'), '2026-05-18 14:51 +00:00', file.name);
  }

  // A Markdown file whose front matter is cut short: refused, with where
  // and why; what is on screen stays.
  await fill(page, 'incident-title', 'typed after the import');
  const broken = md.text.replace(/\n---\n[\s\S]*$/, '\n');
  await input.setInputFiles({ name: 'broken.md', mimeType: 'text/markdown', buffer: Buffer.from(broken) });
  await page.waitForFunction(() => /broken\.md/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.draft-bar [role=alert]').textContent));
  const said = await alert();
  assert.match(said, /^broken\.md was not imported: line \d+: the front matter is never closed; expected a line `---` after its last key/);
  assert.equal(await value(page, 'incident-title'), 'typed after the import');
  assert.equal(await value(page, 'incident-started_at'), '2026-05-18 14:51 +00:00');
  assert.doesNotMatch(await notice(), /Imported broken\.md/);
  assert.deepEqual(h.errors, []);
});
