// Shared by the tests that embed the form in a real wiki (dokuwiki,
// mediawiki and docusaurus .test.mjs): the per-wiki snippet as
// docs/embedding.md gives it (so the documentation is exactly what the
// tests prove), PHP's built-in web server on 127.0.0.1 for the PHP wikis,
// and a fresh Chromium profile that records page errors and the form's own
// requests.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, DIST, fill, ready, saved } from './harness.mjs';

export const PHP = process.env.PHP || '/usr/bin/php';

/** The three files a page needs, as docs/embedding.md lists them. */
export const FORM_FILES = ['postmortem-form.js', 'postmortem_web.js', 'postmortem_web_bg.wasm'];

/** Copies the built form's three files into `dir` (created). */
export function copyForm(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of FORM_FILES) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
}

/**
 * The code block that follows the paragraph starting with `**<wiki>.**` in
 * docs/embedding.md's "Per wiki" section, or its `n`th (from 0) when the
 * wiki needs several.
 */
export function docSnippet(wiki, n = 0) {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'embedding.md'), 'utf8');
  const at = doc.indexOf(`\n**${wiki}.**`);
  if (at < 0) throw new Error(`docs/embedding.md has no **${wiki}.** paragraph`);
  // Up to the next wiki's paragraph or section, never into another's.
  const rest = doc.slice(at + 1);
  const end = rest.search(/\n\*\*[^*\n]+\.\*\*|\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const block = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)][n];
  if (!block) throw new Error(`docs/embedding.md has no code block ${n} after **${wiki}.**`);
  return block[1];
}

/** A port on 127.0.0.1 that nothing listens on now. */
export async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/**
 * Starts `php -S 127.0.0.1:<port> -t docroot` with extra `-d` ini settings
 * and environment, and waits until `probe` (a path) answers. Resolves to
 * { url, log(), close() }.
 */
export async function phpServer({ docroot, ini = {}, probe = '/', env = {}, port = 0 }) {
  port = port || (await freePort());
  const args = [];
  for (const [k, v] of Object.entries(ini)) args.push('-d', `${k}=${v}`);
  args.push('-S', `127.0.0.1:${port}`, '-t', docroot);
  const child = spawn(PHP, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`php -S exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(url + probe);
      await r.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`php -S never answered ${probe}:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    log: () => log,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * A fresh Chromium profile. `errors` collects page errors and console
 * errors; `responses` every response (url, status, content type).
 */
export async function browser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  const responses = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] || '' }));
  return {
    page,
    errors,
    responses,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * What both wiki tests prove once the wiki page is open: the form mounts
 * in an open shadow root, its glue and module come from beside the loader
 * (not beside the page) as `application/wasm`, typing a title saves the
 * draft, and a reload brings the title back. `b` is from `browser()`.
 */
export async function mountsAndKeepsADraft(page, b, wiki) {
  await ready(page);
  assert.equal(await page.evaluate(() => document.querySelector('postmortem-form').shadowRoot.mode), 'open');

  const wasm = b.responses.find((r) => r.url.endsWith('/postmortem_web_bg.wasm'));
  assert.ok(wasm, 'the module was fetched');
  assert.equal(new URL(wasm.url).pathname, '/assets/postmortem/postmortem_web_bg.wasm');
  assert.equal(wasm.status, 200);
  assert.match(wasm.type, /^application\/wasm/);

  const typed = `Queue stalled, typed inside ${wiki}`;
  await fill(page, 'incident-title', typed);
  await saved(page);
  const stored = await page.evaluate(() => localStorage.getItem('postmortem-form:v1:acme/ops:INC-2026-0142'));
  assert.match(stored || '', new RegExp(`typed inside ${wiki}`));

  await page.reload();
  await ready(page);
  const title = await page.evaluate(() => document.querySelector('postmortem-form').shadowRoot.querySelector('[id$="-incident-title"]').value);
  assert.equal(title, typed);
}
