// The form inside a real Docusaurus 3 site (from npm, pinned by
// tests/browser/docusaurus/package-lock.json): the site's config loads the
// loader and an MDX page holds the element, both word for word as
// docs/embedding.md gives them, with the three files in `static/postmortem/`.
// Docusaurus renders every page on the server, hydrates it with React, then
// navigates on the client: the form mounts in the hydrated page, unmounts
// when React removes the page and comes back with its draft, and a cold
// load of the page brings the draft back too, with no React error.
// Needs the site's npm packages in $DOCUSAURUS_DEPS (tests/browser/run
// installs them into the cache); skipped when they are missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fill, ready, saved } from '../lib/harness.mjs';
import { browser, copyForm, docSnippet } from '../lib/wiki.mjs';
import { serve } from '../../../web/tools/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEPS =
  process.env.DOCUSAURUS_DEPS || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'postmortem', 'docusaurus');
const skip = !fs.existsSync(path.join(DEPS, 'node_modules', '.bin', 'docusaurus')) && `no Docusaurus in ${DEPS}: tests/browser/run installs it`;

/**
 * Writes the site with the documented lines into DEPS/site, so Node finds
 * the packages by walking up, and builds it into `out`. Always the same
 * folder: webpack's cache (in DEPS/node_modules/.cache) is keyed by the
 * paths it read, so a later build takes seconds instead of half a minute.
 * The folder is removed afterwards.
 */
function buildSite(out) {
  const src = path.join(DEPS, 'site');
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(src);
  try {
    for (const f of ['docusaurus.config.js', 'docs']) {
      fs.cpSync(path.join(here, '..', 'docusaurus', f), path.join(src, f), { recursive: true });
    }
    const edit = (file, marker, snippet) => {
      const f = path.join(src, file);
      const text = fs.readFileSync(f, 'utf8');
      const line = text.split('\n').find((l) => l.includes(marker));
      assert.ok(line, `${file} has no ${marker} line`);
      fs.writeFileSync(f, text.replace(line, () => snippet.trimEnd()));
    };
    edit('docusaurus.config.js', '// SCRIPTS', docSnippet('Docusaurus', 0));
    edit(path.join('docs', 'rb-021.mdx'), 'FORM:', docSnippet('Docusaurus', 1));
    copyForm(path.join(src, 'static', 'postmortem'));
    execFileSync(path.join(DEPS, 'node_modules', '.bin', 'docusaurus'), ['build', '--out-dir', out], {
      cwd: src,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
}

const titleIn = (page) =>
  page.evaluate(() => document.querySelector('postmortem-form').shadowRoot.querySelector('[id$="-incident-title"]').value);

test('Docusaurus 3 (npm): the documented config and MDX mount the form; client-side navigation away and back, and a cold load, keep the draft', { skip }, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-docusaurus-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const site = path.join(work, 'site');
  buildSite(site);
  const server = await serve({ mounts: { '/': site } });
  const b = await browser();
  t.after(async () => {
    await b.close();
    await server.close();
  });
  const { page } = b;

  await page.goto(server.url + '/');
  await page.evaluate(() => { window.__sameDocument = true; });
  // Client-side navigation to the runbook: React renders the element.
  await page.click('article a:text("queue performance runbook")');
  await ready(page);
  assert.equal(await page.evaluate(() => document.querySelector('postmortem-form').shadowRoot.mode), 'open');
  const wasm = b.responses.find((r) => r.url.endsWith('/postmortem_web_bg.wasm'));
  assert.ok(wasm, 'the module was fetched');
  assert.equal(new URL(wasm.url).pathname, '/postmortem/postmortem_web_bg.wasm');
  assert.match(wasm.type, /^application\/wasm/);

  await fill(page, 'incident-title', 'typed inside Docusaurus');
  await saved(page);
  // Away by a link (React removes the element), back by the history.
  await page.click('article a:text("home page")');
  await page.waitForFunction(() => !document.querySelector('postmortem-form'));
  await page.goBack();
  await ready(page);
  assert.equal(await titleIn(page), 'typed inside Docusaurus');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full page load: client-side navigation');
  assert.equal(await page.evaluate(() => document.querySelectorAll('postmortem-form').length), 1);

  // A cold load of the page: server-rendered HTML, then hydration.
  await page.goto(server.url + '/rb-021');
  await ready(page);
  assert.equal(await titleIn(page), 'typed inside Docusaurus');
  assert.deepEqual(b.errors, []);
});
