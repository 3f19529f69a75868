// Submitting with no server of ours: a prefilled new-issue page, the
// clipboard for a document too long for a URL, and a repository_dispatch
// event sent with a pasted token to a configurable API base.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, ready, fill, press, inForm, tabTo } from '../lib/harness.mjs';

/** Answers GitHub's pages locally and returns the popup once it has loaded. */
async function issuePage(h, page) {
  await h.context.route('https://github.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>new issue</title>' }));
  const [popup] = await Promise.all([h.context.waitForEvent('page'), press(page, 'Open a GitHub issue')]);
  await popup.waitForURL(/github\.com/);
  return popup;
}

const preview = (page) => inForm(page, (root) => root.querySelector('.preview').textContent);

test('without a token the new-issue page opens with title, label and body filled in', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await fill(page, 'incident-title', 'queue slow');
  await press(page, '7. Review and submit');
  const popup = await issuePage(h, page);
  const url = new URL(popup.url());
  assert.equal(url.origin + url.pathname, 'https://github.com/acme/ops/issues/new');
  assert.equal(url.searchParams.get('title'), 'Postmortem INC-2026-0142: queue slow');
  assert.equal(url.searchParams.get('labels'), 'postmortem');
  assert.equal(url.searchParams.get('body'), await preview(page));
});

test('a document too long for a URL goes through the clipboard with a one-line instruction', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await tabTo(page, 'incident-user_impact');
  await page.keyboard.insertText('Graders saw slow queues. '.repeat(400));
  await press(page, '7. Review and submit');
  const popup = await issuePage(h, page);
  const body = new URL(popup.url()).searchParams.get('body');
  assert.match(body, /clipboard/);
  assert.ok(!body.includes('\n'), 'one line');
  await page.bringToFront();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, await preview(page));
});

test('with a token the document is sent as a repository_dispatch event', async (t) => {
  const received = [];
  const h = await start({
    handle: async (req, res) => {
      if (!req.url.startsWith('/api/')) return false;
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({ method: req.method, url: req.url, auth: req.headers.authorization, accept: req.headers.accept, body });
      res.writeHead(204);
      res.end();
      return true;
    },
  });
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await page.evaluate((api) => document.querySelector('postmortem-form').setAttribute('data-api-base', api), h.url('/api'));
  await ready(page);
  await fill(page, 'incident-title', 'sent with a token');
  await press(page, '7. Review and submit');
  await fill(page, 'token', 'github_pat_test');
  await press(page, 'Send to the repository');
  await page.waitForFunction(() =>
    /Sent:/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.submit [role=status]').textContent),
  );
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
    [503, null, /^Not sent: GitHub answered 503: it may be unavailable for a moment; send again later, or open an issue instead\.$/],
  ];
  let next = 0;
  const h = await start({
    handle: async (req, res) => {
      if (!req.url.startsWith('/api/')) return false;
      for await (const _ of req);
      const [status, body] = answers[next++];
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(body ? JSON.stringify(body) : '');
      return true;
    },
  });
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  await page.evaluate((api) => document.querySelector('postmortem-form').setAttribute('data-api-base', api), h.url('/api'));
  await ready(page);
  await fill(page, 'incident-title', 'refused by GitHub');
  await press(page, '7. Review and submit');
  await fill(page, 'token', 'github_pat_test');
  const status = () => inForm(page, (root) => root.querySelector('.submit [role=status]').textContent);
  const answered = (before) =>
    page.waitForFunction(
      (b) => {
        const now = document.querySelector('postmortem-form').shadowRoot.querySelector('.submit [role=status]').textContent;
        return now !== b && /^Not sent/.test(now);
      },
      before,
    );
  for (const [code, , want] of answers) {
    const before = await status();
    await press(page, 'Send to the repository');
    await answered(before);
    assert.match(await status(), want, `answer ${code}`);
    // Ready to send again, with nothing lost.
    assert.equal(await inForm(page, (root) => root.querySelector('.submit button:not(.primary)').disabled), false);
    assert.match(await preview(page), /refused by GitHub/);
  }
  // No server at the API base at all.
  await page.evaluate(() => document.querySelector('postmortem-form').setAttribute('data-api-base', 'http://127.0.0.1:9'));
  await ready(page);
  await press(page, '7. Review and submit');
  await fill(page, 'token', 'github_pat_test');
  await press(page, 'Send to the repository');
  await answered('');
  assert.match(await status(), /^Not sent: the request did not reach http:\/\/127\.0\.0\.1:9 \(.+\): check the network, the form's data-api-base, and that the page's Content-Security-Policy allows it in connect-src\.$/);
  assert.match(await preview(page), /refused by GitHub/);
});
