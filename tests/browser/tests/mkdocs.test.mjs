// The form inside a real MkDocs Material site (from PyPI) with instant
// navigation: it mounts when the page is swapped in, saves and unmounts when
// it is swapped out, and comes back with the draft, without a page reload.
// Needs `mkdocs` with mkdocs-material: $MKDOCS, else the cache venv that
// scripts/test creates; skipped when neither exists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DIST, fill, ready } from '../lib/harness.mjs';
import { serve } from '../../../web/tools/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const MKDOCS =
  process.env.MKDOCS ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'postmortem', 'mkdocs-venv', 'bin', 'mkdocs');

test('MkDocs Material with instant navigation: away and back keeps the draft', { skip: !fs.existsSync(MKDOCS) && `no mkdocs at ${MKDOCS}` }, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-mkdocs-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  fs.cpSync(path.join(here, '..', 'mkdocs'), path.join(work, 'site-src'), { recursive: true });
  const assets = path.join(work, 'site-src', 'docs', 'assets', 'postmortem');
  fs.mkdirSync(assets, { recursive: true });
  for (const f of ['postmortem-form.js', 'postmortem_web.js', 'postmortem_web_bg.wasm']) {
    fs.copyFileSync(path.join(DIST, f), path.join(assets, f));
  }
  // Instant navigation needs site_url, so the site is built for the
  // server's address.
  const server = await serve({ mounts: { '/': path.join(work, 'site') } });
  fs.appendFileSync(path.join(work, 'site-src', 'mkdocs.yml'), `site_url: ${server.url}/\n`);
  execFileSync(MKDOCS, ['build', '--quiet', '--site-dir', path.join(work, 'site')], {
    cwd: path.join(work, 'site-src'),
    env: { ...process.env, NO_MKDOCS_2_WARNING: '1' },
  });

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(async () => {
    await context.close();
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });
  const errors = [];
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(server.url + '/');
  await page.evaluate(() => { window.__sameDocument = true; });
  // Instant navigation to the runbook page: the element is swapped in.
  await page.click('article a:text("queue performance runbook")');
  await ready(page);
  await fill(page, 'incident-title', 'typed inside MkDocs');
  // Away and back through instant navigation.
  await page.click('article a:text("home page")');
  await page.waitForFunction(() => !document.querySelector('postmortem-form'));
  await page.click('article a:text("queue performance runbook")');
  await ready(page);
  const title = await page.evaluate(() => document.querySelector('postmortem-form').shadowRoot.querySelector('[id$="-incident-title"]').value);
  assert.equal(title, 'typed inside MkDocs');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full page load: instant navigation');
  assert.deepEqual(errors, []);
});
