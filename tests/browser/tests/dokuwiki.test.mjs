// The form inside a real DokuWiki: Debian 12's `dokuwiki` package (2022-07-31
// "Igor") served by PHP's built-in server, with `$conf['htmlok'] = 1` and a
// page whose wikitext is the DokuWiki snippet of docs/embedding.md, word for
// word. The three files sit in a folder the web server serves statically
// next to the wiki (/assets/postmortem/ beside /dokuwiki/, Debian's alias).
// The form mounts inside the wiki page, saves a draft as the person types,
// and a reload brings it back.
//
// Nothing under /etc or /var is touched: the wiki runs from the package's
// files (/usr/share/dokuwiki) with a throwaway copy of its configuration and
// an empty data folder. Debian's preload.php fixes the configuration folder
// to /etc/dokuwiki unless DOKU_CONF is already defined, so PHP prepends a
// two-line file that defines it. Needs php-cli and dokuwiki (tests/browser/run
// installs them); skipped when either is missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PHP, browser, copyForm, docSnippet, mountsAndKeepsADraft, phpServer } from '../lib/wiki.mjs';

const DOKUWIKI = process.env.DOKUWIKI_DIR || '/usr/share/dokuwiki';
const DOKUWIKI_CONF = process.env.DOKUWIKI_CONF || '/etc/dokuwiki';
const missing = [PHP, path.join(DOKUWIKI, 'doku.php'), path.join(DOKUWIKI_CONF, 'dokuwiki.php')].filter((f) => !fs.existsSync(f));
const skip = missing.length > 0 && `no DokuWiki here (missing ${missing.join(', ')}): apt-get install php-cli php-cgi dokuwiki`;

/** A throwaway wiki: its web root, configuration and data under `work`. */
function makeWiki(work, wikitext) {
  // The web root: the wiki where Debian's web server configurations put it,
  // and the form's folder beside it, served as static files.
  const web = path.join(work, 'web');
  fs.mkdirSync(web);
  fs.symlinkSync(DOKUWIKI, path.join(web, 'dokuwiki'));
  copyForm(path.join(web, 'assets', 'postmortem'));

  // The configuration: the package's defaults (regular files only; the
  // ACL and user lists are links into /var/lib), and a local.php of ours.
  const conf = path.join(work, 'conf');
  fs.mkdirSync(conf);
  for (const f of fs.readdirSync(DOKUWIKI_CONF)) {
    const from = path.join(DOKUWIKI_CONF, f);
    if (f === 'local.php' || !fs.lstatSync(from).isFile()) continue;
    fs.copyFileSync(from, path.join(conf, f));
  }
  const data = path.join(work, 'data');
  fs.writeFileSync(
    path.join(conf, 'local.php'),
    [
      '<?php',
      "$conf['title'] = 'Throwaway wiki';",
      `$conf['savedir'] = ${JSON.stringify(data)};`,
      "$conf['useacl'] = 0;",
      '// What the documented snippet needs: <html> blocks in wikitext.',
      "$conf['htmlok'] = 1;",
      '',
    ].join('\n'),
  );
  const prepend = path.join(work, 'prepend.php');
  fs.writeFileSync(prepend, `<?php\ndefine('DOKU_MAIN_CONF', ${JSON.stringify(conf + '/')});\ndefine('DOKU_CONF', ${JSON.stringify(conf + '/')});\n`);

  // Flat files, no database: the page is a text file.
  for (const d of ['pages/ops', 'meta', 'cache', 'index', 'locks', 'tmp', 'media', 'attic', 'media_attic', 'media_meta', 'log']) {
    fs.mkdirSync(path.join(data, d), { recursive: true });
  }
  fs.writeFileSync(path.join(data, 'pages', 'ops', 'queue_runbook.txt'), wikitext);
  return { web, prepend };
}

test('DokuWiki (Debian 12 package, htmlok): the documented snippet mounts the form; a draft survives a reload', { skip }, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-dokuwiki-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const snippet = docSnippet('DokuWiki');
  const wikitext = [
    '====== Queue performance runbook ======',
    '',
    'When the queue backs up, follow the steps, then write the postmortem below.',
    '',
    snippet,
  ].join('\n');
  const { web, prepend } = makeWiki(work, wikitext);

  const pagePath = '/dokuwiki/doku.php?id=ops:queue_runbook';
  const wiki = await phpServer({ docroot: web, ini: { auto_prepend_file: prepend }, probe: '/dokuwiki/doku.php' });
  t.after(() => wiki.close());
  const b = await browser();
  t.after(() => b.close());
  const { page } = b;

  const res = await page.goto(wiki.url + pagePath);
  assert.equal(res.status(), 200, wiki.log());
  // The wiki rendered the page: its heading, in DokuWiki's template, with
  // the element in the page's content.
  assert.match(await page.title(), /Throwaway wiki/);
  assert.equal(await page.textContent('#dokuwiki__content h1'), 'Queue performance runbook');
  assert.equal(await page.locator('#dokuwiki__content .page postmortem-form').count(), 1, 'the <html> block passed through');
  await mountsAndKeepsADraft(page, b, 'DokuWiki');
  assert.deepEqual(b.errors, []);
});
