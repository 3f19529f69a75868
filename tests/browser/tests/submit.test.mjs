// Submitting with no server of ours: a prefilled new-issue page (the
// core's intake body, marked so the Action finds it without a label), the
// clipboard for a document too long for a URL, and a repository_dispatch
// event sent with a pasted token to the API base the page names. Neither
// route sends a postmortem the practice's rules find errors in, or one
// GitHub would refuse for its size.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, ready, fill, press, inForm, tabTo, importExample } from '../lib/harness.mjs';
import { freePort } from '../lib/wiki.mjs';

/** Answers GitHub's pages locally and returns the popup once it has loaded. */
async function issuePage(h, page) {
  await h.context.route('https://github.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>new issue</title>' }));
  const [popup] = await Promise.all([h.context.waitForEvent('page'), press(page, 'Open a GitHub issue')]);
  await popup.waitForURL(/github\.com/);
  return popup;
}

const preview = (page) => inForm(page, (root) => root.querySelector('.preview').textContent);
const status = (page) => inForm(page, (root) => root.querySelector('.submit [role=status]').textContent);

/** The document inside an intake body: after the marker, in the fence. */
function intakeDocument(body) {
  const lines = body.split('\n');
  assert.equal(lines[0], '<!-- postmortem-intake:v1 -->');
  const open = lines.findIndex((l) => /^`{4,}markdown$/.test(l));
  const fence = lines[open].replace('markdown', '');
  const close = lines.findIndex((l, i) => i > open && l === fence);
  return lines.slice(open + 1, close).join('\n') + '\n';
}

/** A form holding the practice's example, `title` typed, on Review. */
async function exampleOnReview(h, title) {
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await importExample(page);
  if (title) await fill(page, 'incident-title', title);
  await press(page, '7. Review and submit');
  return page;
}

test('without a token the new-issue page opens with title, label and the intake body filled in', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await exampleOnReview(h, 'queue slow');
  const popup = await issuePage(h, page);
  const url = new URL(popup.url());
  assert.equal(url.origin + url.pathname, 'https://github.com/acme/ops/issues/new');
  assert.equal(url.searchParams.get('title'), 'Postmortem INC-2026-0142: queue slow');
  assert.equal(url.searchParams.get('labels'), 'postmortem');
  assert.equal(intakeDocument(url.searchParams.get('body')), await preview(page));
});

test('a document too long for a URL goes through the clipboard with a one-line instruction', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await importExample(page);
  await tabTo(page, 'incident-user_impact');
  await page.keyboard.press('End');
  await page.keyboard.insertText(' Graders saw slow queues.'.repeat(400));
  await press(page, '7. Review and submit');
  const popup = await issuePage(h, page);
  const body = new URL(popup.url()).searchParams.get('body');
  assert.match(body, /clipboard/);
  assert.ok(!body.includes('\n'), 'one line');
  await page.bringToFront();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(intakeDocument(clip), await preview(page));
});

test('a postmortem with errors is not sent either way, says why, and stays', async (t) => {
  const h = await start();
  t.after(() => h.close());
  let popups = 0;
  h.context.on('page', () => popups++);
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-title', 'not finished');
  await press(page, '7. Review and submit');
  await press(page, 'Open a GitHub issue');
  await page.waitForFunction(() => /^Not sent/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.submit [role=status]').textContent));
  assert.match(await status(page), /^Not sent: the practice's rules still find \d+ problems to resolve \(listed above\), and the repository's Action would refuse the postmortem\. Your draft stays here\.$/);
  await fill(page, 'token', 'github_pat_test');
  await press(page, 'Send to the repository');
  assert.match(await status(page), /^Not sent: the practice's rules still find/);
  assert.equal(popups, 0, 'no new-issue page opened');
  assert.match(await preview(page), /not finished/);
});

test('a postmortem over GitHub\'s size limits is not sent, and the form says which limit', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await importExample(page);
  await tabTo(page, 'incident-user_impact');
  await page.keyboard.press('End');
  // Over 64,000 bytes of dispatch payload and 65,536 characters of issue.
  await page.keyboard.insertText(' Graders saw slow queues while the cache stayed cold.'.repeat(1300));
  await press(page, '7. Review and submit');
  await fill(page, 'token', 'github_pat_test');
  await press(page, 'Send to the repository');
  assert.match(await status(page), /^Not sent: the repository_dispatch payload would be \d+ bytes, over GitHub's limit of 64000 bytes: shorten the longest texts, or export the document/);
  await press(page, 'Open a GitHub issue');
  await page.waitForFunction(() => /issue body/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.submit [role=status]').textContent));
  assert.match(await status(page), /^Not sent: the issue body would be \d+ characters, over GitHub's limit of 65536 characters/);
});

/**
 * A form whose API base is this test server's /api, where `answer(req, res)`
 * plays GitHub; `title` typed, the Review step open and a token pasted.
 */
async function readyToSend(t, title, answer) {
  const h = await start({
    handle: async (req, res) => {
      if (!req.url.startsWith('/api/')) return false;
      await answer(req, res);
      return true;
    },
  });
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await useApi(page, h.url('/api'));
  await importExample(page);
  await fill(page, 'incident-title', title);
  await press(page, '7. Review and submit');
  // The review step says where the token goes.
  const hint = await inForm(page, (root) => root.querySelector('[id$="-token-hint"]').textContent);
  assert.ok(hint.includes(`It is sent only to ${h.url('/api')}/repos/acme/ops/dispatches,`), hint);
  await fill(page, 'token', 'github_pat_test');
  return page;
}

/** Points the form at another API base (the form remounts). */
async function useApi(page, base) {
  await page.evaluate((api) => document.querySelector('postmortem-form').setAttribute('data-api-base', api), base);
  await ready(page);
}

/** Waits until the submit status changes from `before` and matches `done`. */
const answered = (page, before, done) =>
  page.waitForFunction(
    ([b, d]) => {
      const now = document.querySelector('postmortem-form').shadowRoot.querySelector('.submit [role=status]').textContent;
      return now !== b && new RegExp(d).test(now);
    },
    [before, done.source],
  );

test('with a token the document is sent as a repository_dispatch event', async (t) => {
  const received = [];
  const page = await readyToSend(t, 'sent with a token', async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ method: req.method, url: req.url, auth: req.headers.authorization, accept: req.headers.accept, body });
    res.writeHead(204);
    res.end();
  });
  await press(page, 'Send to the repository');
  await answered(page, '', /^Sent to acme\/ops\./);
  assert.match(await status(page), /opens the pull request next to the runbook, or, if it finds something to change, an issue listing it: look for either at https:\/\/github\.com\/acme\/ops\/pulls and https:\/\/github\.com\/acme\/ops\/issues/);
  assert.equal(received.length, 1);
  const [r] = received;
  assert.equal(r.method, 'POST');
  assert.equal(r.url, '/api/repos/acme/ops/dispatches');
  assert.equal(r.auth, 'Bearer github_pat_test');
  assert.equal(r.accept, 'application/vnd.github+json');
  const payload = JSON.parse(r.body);
  assert.equal(payload.event_type, 'postmortem');
  assert.equal(payload.client_payload.document, await preview(page));
  // The token is never stored.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes('github_pat_test'));
});

test('when GitHub refuses the event, or cannot be reached, the form says why and what to do, and keeps the postmortem', async (t) => {
  // GitHub's answers, with its JSON error bodies.
  const answers = [
    [401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }, /^Not sent: GitHub refused the token \(401 "Bad credentials"\): check that it is valid and not expired\.$/],
    [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, /^Not sent: GitHub answered 404 "Not Found": the token needs write access \(contents: write\) to acme\/ops, and the repository must exist\.$/],
    [422, { message: 'Validation Failed' }, /^Not sent: GitHub refused the event \(422 "Validation Failed"\): the document may be too large/],
    [403, { message: 'API rate limit exceeded for user ID 1.' }, /^Not sent: GitHub answered 403 "API rate limit exceeded for user ID 1\.": too many requests for now; send again in a few minutes/],
    [503, null, /^Not sent: GitHub answered 503: it may be unavailable for a moment; send again later, or open an issue instead\.$/],
  ];
  let next = 0;
  const page = await readyToSend(t, 'refused by GitHub', async (req, res) => {
    for await (const _ of req);
    const [code, body] = answers[next++];
    res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(body ? JSON.stringify(body) : '');
  });
  for (const [code, , want] of answers) {
    const before = await status(page);
    await press(page, 'Send to the repository');
    await answered(page, before, /^Not sent/);
    assert.match(await status(page), want, `answer ${code}`);
    // Ready to send again, with nothing lost.
    assert.equal(await inForm(page, (root) => root.querySelector('.submit button:not(.primary)').disabled), false);
    assert.match(await preview(page), /refused by GitHub/);
  }
  // Nothing listens at the API base.
  const closed = `http://127.0.0.1:${await freePort()}`;
  await useApi(page, closed);
  await importExample(page);
  await fill(page, 'incident-title', 'refused by GitHub');
  await press(page, '7. Review and submit');
  await fill(page, 'token', 'github_pat_test');
  await press(page, 'Send to the repository');
  await answered(page, '', /^Not sent/);
  const said = await status(page);
  assert.ok(said.startsWith(`Not sent: no answer could be read from ${closed} (`), said);
  assert.match(said, /must allow that address in connect-src, and a server other than GitHub's must allow this page's origin \(CORS\)\. The event may have arrived all the same: look for its pull request before sending again\.$/);
  assert.match(await preview(page), /refused by GitHub/);
});
