// The embedding contract: hostile strings stay inert, the host's CSS cannot
// break the form, a strict CSP is enough, the files load from another
// origin (a CDN) and a misconfigured page is told what to change, the
// iframe page reports its height, the form reflows at 320 px, and axe-core
// finds no WCAG 2.2 AA violation on any step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { start, ready, fill, press, inForm, download, tabTo, DIST } from '../lib/harness.mjs';
import { serve } from '../../../web/tools/serve.mjs';

const HOSTILE = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '"><svg onload="window.__pwned=\'svg\'">',
  '@octocat ## Heading --- <!-- hidden -->',
  'javascript:window.__pwned=1',
];

test('hostile strings in every text field stay inert in the form, the preview and the export', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  const text = HOSTILE.join(' ');
  for (const id of ['incident-title', 'incident-user_impact', 'participants']) await fill(page, id, text);
  await press(page, 'Next: Timeline');
  await tabTo(page, 'live-text');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await press(page, 'Next: Walk the chain levels');
  await fill(page, 'walk-L1-reasoning', text);
  await press(page, 'Next: One chain-level fix');
  await fill(page, 'fix-statement', text);
  await fill(page, 'fix-test-statement', text);
  await press(page, 'Next: Runbook and ADRs');
  for (const id of ['runbook-worked', 'runbook-did_not_work', 'runbook-faster_next_time']) await fill(page, id, text);
  await press(page, 'Next: Readers');
  await press(page, 'Next: Review and submit');
  const md = await download(page, 'Export Markdown');
  const found = await inForm(page, (root) => ({
    scripts: root.querySelectorAll('script, img, svg, iframe').length,
    preview: root.querySelector('.preview').textContent,
  }));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(found.scripts, 0, 'no markup appeared in the form');
  assert.ok(found.preview.includes('window.__pwned'), 'the preview shows the text as text');
  for (const raw of ['<script>', '<img ', '<svg ', '<!--']) {
    assert.ok(!md.text.includes(raw), `the exported Markdown has no raw ${raw}`);
  }
  assert.ok(!/(^|\s)@octocat/.test(md.text), 'no @mention survives in the export');
  assert.deepEqual(h.errors, []);
});

test("a host page's hostile global CSS does not break the form", async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/hostile-css.html');
  await ready(page);
  const look = await inForm(page, (root) => {
    const title = root.querySelector('[id$="-incident-title"]');
    const heading = root.querySelector('h2');
    const s = getComputedStyle(title);
    const r = title.getBoundingClientRect();
    return {
      headingSize: parseFloat(getComputedStyle(heading).fontSize),
      color: getComputedStyle(heading).color,
      display: s.display,
      width: r.width,
      height: r.height,
      host: getComputedStyle(root.host).display,
    };
  });
  assert.equal(look.host, 'block');
  assert.ok(look.headingSize >= 16, `heading font size ${look.headingSize}`);
  assert.notEqual(look.color, 'rgb(255, 0, 0)');
  assert.notEqual(look.display, 'none');
  assert.ok(look.width > 100 && look.height >= 24, `input ${look.width}x${look.height}`);
  await fill(page, 'incident-title', 'still usable');
  assert.equal(await inForm(page, (root) => root.querySelector('[id$="-incident-title"]').value), 'still usable');
});

test("the form runs under a CSP of 'self' plus 'wasm-unsafe-eval'", async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/strict-csp.html');
  await ready(page);
  await fill(page, 'incident-title', 'under a strict policy');
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(h.errors, []);
});

/**
 * A page on one origin whose three files come from another, a CDN that
 * allows CORS; the page's CSP names the CDN in script-src, and in
 * connect-src unless `connect` is false, and allows WebAssembly unless
 * `wasm` is false; `module`, when given, is served in place of the form's
 * WebAssembly. Resolves to { h, page, cdn, modules }.
 */
async function fromCdn(t, { connect = true, wasm = true, module = null } = {}) {
  const cors = { 'Access-Control-Allow-Origin': '*' };
  const { h, tab: page, other: cdn } = await acrossOrigins(
    t,
    {
      mounts: { '/assets/postmortem/': DIST },
      headers: () => cors,
      handle: (req, res) => {
        if (!module || !req.url.endsWith('/postmortem_web_bg.wasm')) return false;
        res.writeHead(200, { 'Content-Type': 'application/wasm', ...cors });
        res.end(module);
        return true;
      },
    },
    (cdnUrl) => ({
      headers: {
        'Content-Security-Policy': `default-src 'none'; script-src 'self' ${cdnUrl}${wasm ? " 'wasm-unsafe-eval'" : ''}; style-src 'self'; connect-src 'self'${connect ? ' ' + cdnUrl : ''}; base-uri 'none'`,
      },
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>From a CDN</title>
<script type="module" src="/pages/csp-watch.js"></script>
<script type="module" src="${cdnUrl}/assets/postmortem/postmortem-form.js"></script></head>
<body><main><postmortem-form data-repo="acme/ops" data-incident="INC-CDN"></postmortem-form></main></body></html>`,
    }),
  );
  const modules = [];
  page.on('response', (r) => r.url().endsWith('.wasm') && modules.push({ url: r.url(), status: r.status() }));
  await page.goto(h.url('/across.html'));
  return { h, page, cdn, modules };
}

/**
 * A page on the harness's origin, /across.html, that takes the form from a
 * second origin: a server started with the `serve` options `other`, and
 * the page's `{ html, headers }` made from that server's URL by `page`.
 * Resolves to { h, other, tab }: a new tab, not yet on the page, so the
 * caller can listen to it first.
 */
async function acrossOrigins(t, other, page) {
  const second = await serve(other);
  const { html, headers = {} } = page(second.url);
  const h = await start({
    handle: (req, res) => {
      if (!req.url.startsWith('/across.html')) return false;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(html);
      return true;
    },
  });
  t.after(async () => {
    await h.close();
    await second.close();
  });
  return { h, other: second, tab: await h.context.newPage() };
}

test('from another origin (a CDN with CORS): the loader fetches its files beside itself, under a CSP naming that origin', async (t) => {
  const { h, page, cdn, modules } = await fromCdn(t);
  await ready(page);
  assert.deepEqual(modules, [{ url: `${cdn.url}/assets/postmortem/postmortem_web_bg.wasm`, status: 200 }]);
  await fill(page, 'incident-title', 'loaded from a CDN');
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(h.errors, []);
});

/** The alert the element shows when the form cannot start. */
async function startFailure(page) {
  await page.waitForFunction(() => document.querySelector('postmortem-form').shadowRoot.querySelector('[role=alert]'));
  return page.evaluate(() => document.querySelector('postmortem-form').shadowRoot.querySelector('[role=alert]').textContent);
}

test("when the page's CSP does not let the module be fetched, the form says which file, why, and what to change", async (t) => {
  const { page, cdn } = await fromCdn(t, { connect: false });
  const said = await startFailure(page);
  assert.match(said, /^The postmortem form could not start: /);
  assert.ok(said.includes(`${cdn.url}/assets/postmortem/postmortem_web_bg.wasm did not load`), said);
  assert.match(said, /Tell this page's owner: serve postmortem_web_bg\.wasm beside postmortem-form\.js\. The page's Content-Security-Policy, if any, must allow its origin in connect-src \('self' when it is this site's\), and another origin must send Access-Control-Allow-Origin\.$/);
  assert.ok((await page.evaluate(() => window.cspViolations)).some((v) => v.startsWith('connect-src')));
});

test("when the page's CSP does not allow WebAssembly, the form says to add 'wasm-unsafe-eval'", async (t) => {
  const { page, cdn } = await fromCdn(t, { wasm: false });
  const said = await startFailure(page);
  assert.ok(said.includes(`${cdn.url}/assets/postmortem/postmortem_web_bg.wasm did not load`), said);
  assert.match(said, /Tell this page's owner: the page's Content-Security-Policy must allow WebAssembly: add 'wasm-unsafe-eval' to its script-src\.$/);
});

/** A WebAssembly module that imports one function the glue does not have. */
function moduleImporting(field) {
  const name = (text) => [text.length, ...Buffer.from(text)];
  const imports = [1, ...name('./postmortem_web_bg.js'), ...name(field), 0x00, 0x00];
  return Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, imports.length, ...imports]);
}

test('when the WebAssembly comes from another build than its glue, the form says to replace the three files together', async (t) => {
  const { page, cdn } = await fromCdn(t, { module: moduleImporting('__wbg_from_another_build') });
  const said = await startFailure(page);
  assert.ok(said.includes(`${cdn.url}/assets/postmortem/postmortem_web_bg.wasm did not load (`), said);
  assert.match(said, /__wbg_from_another_build/, 'the browser says which import is missing');
  assert.match(said, /Tell this page's owner: postmortem_web_bg\.wasm does not fit the other files: postmortem-form\.js, postmortem_web\.js and postmortem_web_bg\.wasm must come from one build, unchanged\. Replace all three together/);
});

test('the standalone page works in a sandboxed iframe and reports its height', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/iframe-sandbox.html');
  await page.waitForFunction(() => window.heights.length > 0 && Math.max(...window.heights) > 400, null, { timeout: 20000 });
  const frame = page.frame({ url: /standalone\.html/ });
  await frame.waitForFunction(() => document.querySelector('postmortem-form')?.ready);
  assert.match(await frame.title(), /Postmortem INC-FRAME/);
  assert.deepEqual(h.errors, []);
});

test('Confluence Cloud-like: in a cross-origin sandboxed iframe without allow-downloads, export says what to do and copying falls back to a selected text area', async (t) => {
  // The standalone page from a second origin, framed the way Confluence
  // Cloud's HTML apps frame it: scripts, same-origin storage and popups, but
  // no downloads and no clipboard permission.
  const { h, tab: page } = await acrossOrigins(t, { mounts: { '/': DIST } }, (otherUrl) => ({
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A wiki page</title></head>
<body><main><iframe title="Postmortem form" style="width:100%;height:900px;border:0"
  sandbox="allow-scripts allow-same-origin allow-popups"
  src="${otherUrl}/standalone.html?repo=acme/ops&amp;incident=INC-FRAMED"></iframe></main></body></html>`,
  }));
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.goto(h.url('/across.html'));
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => document.querySelector('postmortem-form')?.ready, null, { timeout: 20000 });
  await frame.locator('[id$="-incident-title"]').fill('typed in a framed wiki page');

  await frame.locator('button', { hasText: 'Export Markdown' }).click();
  const notice = frame.locator('.draft-bar [role=status]');
  await notice.filter({ hasText: 'If no file arrived' }).waitFor();
  assert.match(await notice.textContent(), /Exported postmortem-INC-FRAMED\.md\. If no file arrived, this page blocks downloads from the form: use Copy Markdown instead \(the Markdown imports back into the form too\)\.$/);
  await page.waitForTimeout(500);
  assert.deepEqual(downloads, [], 'the sandbox blocked the download, as Confluence Cloud does');

  await frame.locator('button', { hasText: 'Copy Markdown' }).click();
  const area = frame.locator('textarea.manual-copy');
  await area.waitFor();
  await frame.waitForFunction(() => document.querySelector('postmortem-form').shadowRoot.activeElement?.classList.contains('manual-copy'));
  const shown = await area.evaluate((el) => ({ value: el.value, start: el.selectionStart, end: el.selectionEnd }));
  assert.match(shown.value, /typed in a framed wiki page/);
  assert.match(shown.value, /^---\n/, 'the whole document, front matter first');
  assert.deepEqual([shown.start, shown.end], [0, shown.value.length], 'selected, ready for Ctrl+C');
  assert.match(await notice.textContent(), /may not use the clipboard/);
  // The browser's own report of the refusal the form recovered from.
  assert.deepEqual(h.errors.filter((e) => !/^Permissions policy violation: The Clipboard API has been blocked/.test(e)), []);
});

test('the form reflows at 320 px without horizontal scrolling', async (t) => {
  const h = await start({ viewport: { width: 320, height: 640 } });
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);
  for (const step of ['Incident', 'Timeline', 'Walk the chain levels', 'One chain-level fix', 'Runbook and ADRs', 'Readers', 'Review and submit']) {
    await inForm(page, (root, s) => [...root.querySelectorAll('nav button')].find((b) => b.textContent.includes(s)).click(), step);
    await page.waitForTimeout(50);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${step}: ${overflow}px of horizontal scroll`);
  }
});

test('axe-core finds no WCAG 2.2 AA violation on any step, light or dark', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/two.html');
  await ready(page, 2);
  const steps = ['Incident', 'Timeline', 'Walk the chain levels', 'One chain-level fix', 'Runbook and ADRs', 'Readers', 'Review and submit'];
  for (const step of steps) {
    for (const i of [0, 1]) {
      await inForm(page, (root, s) => [...root.querySelectorAll('nav button')].find((b) => b.textContent.includes(s)).click(), step, i);
    }
    await page.waitForTimeout(250); // the findings' debounce
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const summary = result.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0].target.join(' ')})`);
    assert.deepEqual(summary, [], `step ${step}`);
  }
});

test('the palette follows prefers-color-scheme, and data-theme overrides it', async (t) => {
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/two.html');
  await ready(page, 2);
  const backgrounds = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('postmortem-form')].map((el) => getComputedStyle(el.shadowRoot.querySelector('.pm')).backgroundColor),
    );
  const light = 'rgb(255, 255, 255)';
  const dark = 'rgb(13, 17, 23)';
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(await backgrounds(), [light, dark]);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await backgrounds(), [dark, dark]);
  await page.evaluate(() => document.querySelectorAll('postmortem-form')[1].setAttribute('data-theme', 'light'));
  assert.deepEqual(await backgrounds(), [dark, light]);
});

test("the standalone page takes an API base from its link only when the page's owner allows that host", async (t) => {
  const h = await start();
  t.after(() => h.close());
  const hint = (page) => inForm(page, (root) => root.querySelector('[id$="-token-hint"]').textContent);
  // A crafted link naming another API: ignored, said, and the token would
  // go to GitHub.com.
  const page = await h.page('/dist/standalone.html?repo=acme/ops&incident=INC-LINK&api-base=https://evil.example/api&github-url=https://evil.example');
  await ready(page);
  const note = await page.locator('p[role=alert].ignored').textContent();
  assert.match(note, /^This page ignored api-base=https:\/\/evil\.example\/api and github-url=https:\/\/evil\.example: its owner lets the form send only to https:\/\/api\.github\.com, https:\/\/github\.com\./);
  assert.equal(await page.evaluate(() => document.querySelector('postmortem-form').hasAttribute('data-api-base')), false);
  await press(page, '7. Review and submit');
  assert.match(await hint(page), /It is sent only to https:\/\/api\.github\.com\/repos\/acme\/ops\/dispatches,/);
  // A host the page lists is taken.
  const allowed = await h.page('/dist/standalone.html?repo=acme/ops&incident=INC-LINK2&api-base=https://api.github.com');
  await ready(allowed);
  assert.equal(await allowed.locator('p[role=alert].ignored').count(), 0);
  assert.equal(await allowed.evaluate(() => document.querySelector('postmortem-form').dataset.apiBase), 'https://api.github.com');
});
