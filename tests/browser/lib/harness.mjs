// Shared by the end-to-end tests: a static server on 127.0.0.1 for the
// built form (web/dist at /dist/) and the test pages (pages/ at /pages/),
// Debian's Chromium through playwright-core, and page helpers that read
// like a person's steps (keyboard only).

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../../web/tools/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..', '..');
export const DIST = process.env.WEB_DIST || path.join(ROOT, 'web', 'dist');
const PAGES = path.join(here, '..', 'pages');

/** The strict policy the CSP page is served with. */
export const STRICT_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts the server and a fresh browser profile; call `close()` after. */
export async function start({ viewport = { width: 1100, height: 900 }, handle = null, standIn = null } = {}) {
  if (!fs.existsSync(path.join(DIST, 'postmortem_web_bg.wasm'))) {
    throw new Error(`${DIST} has no build: run scripts/build-web first`);
  }
  // With a GitHub stand-in, the built dist at / as scripts/run serves it:
  // the demo wiki page at /demo/ sends to the stand-in.
  const server = await serve({
    mounts: { '/dist/': DIST, '/pages/': PAGES, ...(standIn ? { '/': DIST } : {}) },
    standIn,
    handle,
    headers: (p) => (p.startsWith('/pages/strict-csp') ? { 'Content-Security-Policy': STRICT_CSP } : {}),
  });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const errors = [];
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    server,
    context,
    errors,
    url: (p) => server.url + p,
    async page(p) {
      const page = context.pages()[0] || (await context.newPage());
      await page.goto(server.url + p);
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until every <postmortem-form> on the page is mounted. */
export async function ready(page, count = 1) {
  await page.waitForFunction(
    (n) => {
      const forms = [...document.querySelectorAll('postmortem-form')];
      return forms.length >= n && forms.every((f) => f.ready && f.shadowRoot.querySelector('.pm'));
    },
    count,
    { timeout: 20000 },
  );
}

/** The id (without the instance prefix) of the focused element, piercing shadow roots. */
export async function focusedId(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    return (el.id || '').replace(/^pmf\d+-/, '') || `${el.tagName}:${(el.textContent || '').trim().slice(0, 60)}`;
  });
}

/**
 * Presses Tab until the focused element's id (without the instance prefix)
 * or, for buttons, its text is `target`. Keyboard only: no clicks.
 */
export async function tabTo(page, target, { max = 400, backwards = false } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const id = await focusedId(page);
    if (id === target || id === `BUTTON:${target}` || (id && id.endsWith(':' + target))) return;
    seen.push(id);
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}; last: ${seen.slice(-8).join(' | ')}`);
}

/** Tabs to a text field, selects what it holds and types `text`. */
export async function fill(page, id, text) {
  await tabTo(page, id);
  await page.keyboard.press('Control+A');
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.type(text);
}

/**
 * Tabs to a button by its text and presses Enter. A button that opens a
 * step ("Next: …", "Back: …", "3. …", the navigation's "2. Timeline (1
 * error)") moves the focus to that step's heading on the next frame, and so
 * does discarding the draft (to the first step); like a person, the harness
 * waits to see it land there before it acts again, or its next key would go
 * to the heading instead.
 */
export async function press(page, buttonText) {
  await tabTo(page, buttonText);
  await page.keyboard.press('Enter');
  const step = /^(?:Next|Back): (.+)$|^\d+\. (.+?)(?: \(\d+ errors?\))?$/.exec(buttonText);
  if (step) await stepOpened(page, step[1] ?? step[2]);
  if (buttonText === 'Yes, discard') await stepOpened(page, 'Incident');
}

/** Waits until the heading of the step titled `title` has the focus. */
export async function stepOpened(page, title) {
  await page.waitForFunction(
    (t) => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el?.hasAttribute('data-step-heading') && el.textContent.endsWith(`: ${t}`);
    },
    title,
    { timeout: 5000 },
  );
}

/** Evaluates `fn` against the first form's shadow root. */
export function inForm(page, fn, arg, index = 0) {
  return page.evaluate(
    ([src, a, i]) => {
      const root = document.querySelectorAll('postmortem-form')[i].shadowRoot;
      // eslint-disable-next-line no-new-func
      return new Function('root', 'arg', `return (${src})(root, arg);`)(root, a);
    },
    [fn.toString(), arg, index],
  );
}

/** Waits for the debounced autosave to report. */
export async function saved(page, index = 0) {
  await page.waitForFunction(
    (i) => /Draft saved at/.test(document.querySelectorAll('postmortem-form')[i].shadowRoot.querySelector('.draft-bar [role=status]').textContent),
    index,
    { timeout: 5000 },
  );
}

/** Presses a button that downloads and returns the file's text. */
export async function download(page, buttonText) {
  const [dl] = await Promise.all([page.waitForEvent('download'), press(page, buttonText)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/**
 * Imports a file into the form through its Import button's file input, as
 * a person choosing it would, and waits for the form to say so.
 */
export async function importFile(page, name, text) {
  const input = page.locator('postmortem-form input[type=file]');
  await input.setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForFunction(
    (n) => document.querySelector('postmortem-form').shadowRoot.querySelector('.draft-bar [role=status]').textContent.includes(`Imported ${n}.`),
    name,
  );
}

/** The practice's example (examples/queue-render.json), imported. */
export async function importExample(page) {
  await importFile(page, 'queue-render.json', fs.readFileSync(path.join(ROOT, 'examples', 'queue-render.json'), 'utf8'));
}
