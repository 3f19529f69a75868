// The embedding contract: hostile strings stay inert, the host's CSS cannot
// break the form, a strict CSP is enough, the iframe page reports its
// height, the form reflows at 320 px, and axe-core finds no WCAG 2.2 AA
// violation on any step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { start, ready, fill, press, inForm, download, tabTo } from '../lib/harness.mjs';

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
