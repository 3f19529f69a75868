// The whole loop, end to end: a person fills the form on the demo wiki page
// with the practice's example and sends it; the local GitHub stand-in (the
// fake GitHub, checked against GitHub's REST description) records the
// repository_dispatch and runs the real postmortem-action on it, as the
// repository's workflow would; the pull request holds the document byte for
// byte as the form exports it, beside the runbook, with the runbook and ADR
// updates and the index; the fix issue is assigned and dated. A person
// merges; the scheduled check closes nothing until the bound test passes on
// a commit that contains the merge, then closes the fix with the evidence.
// The route without a token goes through the new-issue page as a person who
// may not label.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, ready, fill, press, download, inForm, importExample } from '../lib/harness.mjs';
import { fillExample } from '../lib/example.mjs';
import { startStandIn } from '../lib/stand-in.mjs';

const DOC = 'runbooks/postmortems/2026-05-18-queue-render-p95-above-2s-for-graders.md';
const NOW = '2026-05-21T10:00:00Z';

const status = (page) => inForm(page, (root) => root.querySelector('.submit [role=status]').textContent);

/** The pull request and the fix issue in a stand-in state. */
function made(s) {
  const pr = s.issues.find((i) => i.pull);
  const fix = s.issues.find((i) => !i.pull && i.labels.includes('postmortem-fix'));
  return { pr, fix };
}

test('the form on the demo page sends the example; the Action opens the PR and the dated fix; the check verifies it only after the merge', async (t) => {
  const gh = await startStandIn(t, NOW);
  const h = await start({ standIn: gh.url });
  t.after(() => h.close());
  const page = await h.page('/demo/');
  await ready(page);
  // The page says plainly where the form sends.
  assert.match(await page.locator('.stand-in').textContent(), /local stand-in for GitHub/);

  await fillExample(page);
  await page.waitForFunction(() =>
    /find nothing/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.summary h4').textContent),
  );
  const exported = await download(page, 'Export Markdown');
  await fill(page, 'token', 'a-person-s-token');
  await press(page, 'Send to the repository');
  await page.waitForFunction(() => /^Sent to acme\/ops\./.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.submit [role=status]').textContent));
  assert.ok((await status(page)).includes(`${gh.url}/acme/ops/pulls`), 'says where the answer appears');

  let s = await gh.idle();
  assert.equal(s.runs.length, 1);
  assert.equal(s.runs[0].code, 0, s.runs[0].log);
  const { pr, fix } = made(s);
  assert.ok(pr && fix, JSON.stringify(s.issues.map((i) => i.title)));
  // The PR: the document beside the runbook, byte for byte the export.
  assert.equal(pr.pull.head, 'postmortem/INC-2026-0142');
  assert.equal(pr.files[DOC], exported.text);
  assert.match(pr.files['runbooks/RB-021.md'], /## 2026-05-19 — Postmortem INC-2026-0142/);
  assert.match(pr.files['docs/adr/0012-cache-warming-in-deploy.md'], /^Amended by \[Postmortem INC-2026-0142/m);
  assert.match(pr.files['runbooks/postmortems/index.json'], /INC-2026-0142/);
  assert.deepEqual(pr.pull.teams, ['leadership']);
  // The fix issue: assigned, dated, labelled, linked.
  assert.deepEqual(fix.assignees, ['senior-dev']);
  assert.match(fix.title, /^Postmortem INC-2026-0142: L3 Scope fix, due 2026-05-30$/);
  assert.deepEqual(fix.labels, ['postmortem-fix', 'chain-L3']);
  assert.ok(pr.body.includes(`#${fix.number}`));

  // A person merges the pull request.
  const merged = await gh.api(`/pulls/${pr.number}/merge`, { method: 'PUT', body: '{}' });
  assert.equal(merged.status, 200);
  s = await gh.idle();
  assert.equal(s.runs.at(-1).code, 0, s.runs.at(-1).log);

  // The scheduled check: no passing run yet, nothing is closed.
  await gh.press('/check');
  s = await gh.idle();
  assert.equal(s.runs.at(-1).code, 0, s.runs.at(-1).log);
  assert.equal(made(s).fix.state, 'open');

  // The bound test passes on main's head, which contains the merge.
  await gh.press('/pass', { workflow: 'cold-start-p95.yml' });
  await gh.press('/check');
  s = await gh.idle();
  const done = made(s).fix;
  assert.equal(done.state, 'closed');
  assert.equal(done.state_reason, 'completed');
  assert.ok(done.labels.includes('fix-verified'));
  const evidence = done.comments.find((c) => c.body.includes('verified on time'));
  assert.ok(evidence, JSON.stringify(done.comments));
  assert.match(evidence.body, /\/acme\/ops\/actions\/runs\/\d+/);
  gh.validate(s);
  assert.deepEqual(h.errors, []);
});

test('without a token, the new-issue page a person without triage rights submits reaches the Action', async (t) => {
  const gh = await startStandIn(t, NOW);
  const h = await start({ standIn: gh.url });
  t.after(() => h.close());
  const page = await h.page('/demo/');
  await ready(page);
  await importExample(page);
  await press(page, '7. Review and submit');
  const preview = await inForm(page, (root) => root.querySelector('.preview').textContent);
  const [popup] = await Promise.all([h.context.waitForEvent('page'), press(page, 'Open a GitHub issue')]);
  await popup.waitForURL(`${gh.url}/acme/ops/issues/new?**`);
  assert.match(await popup.locator('body').textContent(), /GitHub drops the link's labels/);
  await Promise.all([popup.waitForURL(`${gh.url}/`), popup.getByRole('button', { name: 'Submit new issue' }).click()]);

  const s = await gh.idle();
  assert.equal(s.runs.length, 1);
  assert.equal(s.runs[0].code, 0, s.runs[0].log);
  const intake = s.issues.find((i) => i.number === 1);
  assert.equal(intake.user, 'senior-dev');
  assert.ok(intake.labels.includes('postmortem'), 'labelled by the Action, GitHub having dropped the link\'s label');
  assert.equal(intake.state, 'closed');
  const { pr, fix } = made(s);
  assert.equal(pr.files[DOC], preview);
  assert.deepEqual(fix.assignees, ['senior-dev']);
  gh.validate(s);
});
