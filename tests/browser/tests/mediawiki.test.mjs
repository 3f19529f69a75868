// The form inside a real MediaWiki: Debian 12's `mediawiki` package (1.39)
// on SQLite, served by PHP's built-in server, with `$wgRawHtml = true` and a
// page whose wikitext is the MediaWiki snippet of docs/embedding.md, word for
// word. The three files sit in a folder the web server serves statically
// next to the wiki (/assets/postmortem/ beside /mediawiki/, Debian's alias).
// The form mounts inside the wiki page, saves a draft as the person types,
// and a reload brings it back.
//
// The wiki is installed afresh for the test by MediaWiki's own
// maintenance/install.php (LocalSettings.php and the SQLite files in a
// temporary folder, found through MW_CONFIG_FILE), and the page is saved by
// maintenance/edit.php. The code is $MEDIAWIKI_DIR: tests/browser/run
// unpacks Debian's package into its cache (installing it would pull in
// Apache), else /usr/share/mediawiki. Skipped when php or MediaWiki is
// missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PHP, browser, copyForm, docSnippet, freePort, mountsAndKeepsADraft, phpServer } from '../lib/wiki.mjs';

const MEDIAWIKI =
  process.env.MEDIAWIKI_DIR ||
  [
    '/usr/share/mediawiki',
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'postmortem', 'mediawiki-deb', 'usr', 'share', 'mediawiki'),
  ].find((d) => fs.existsSync(path.join(d, 'index.php'))) ||
  '/usr/share/mediawiki';
const missing = [PHP, path.join(MEDIAWIKI, 'index.php')].filter((f) => !fs.existsSync(f));
const skip = missing.length > 0 && `no MediaWiki here (missing ${missing.join(', ')}): tests/browser/run unpacks Debian's mediawiki package`;

const PAGE = 'Queue performance runbook';

test('MediaWiki (Debian 12 package, $wgRawHtml): the documented snippet mounts the form; a draft survives a reload', { skip }, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-mediawiki-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));

  // The web root: the wiki where Debian's Apache configuration puts it, and
  // the form's folder beside it, served as static files.
  const web = path.join(work, 'web');
  fs.mkdirSync(web);
  fs.symlinkSync(MEDIAWIKI, path.join(web, 'mediawiki'));
  copyForm(path.join(web, 'assets', 'postmortem'));

  // A fresh wiki on SQLite for this address.
  const port = await freePort();
  const server = `http://127.0.0.1:${port}`;
  const settings = path.join(work, 'LocalSettings.php');
  const env = { ...process.env, MW_CONFIG_FILE: settings };
  const php = (args, input) => {
    try {
      return execFileSync(PHP, args, { env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`php ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
    }
  };
  php([
    path.join(MEDIAWIKI, 'maintenance', 'install.php'),
    '--dbtype=sqlite',
    `--dbpath=${path.join(work, 'db')}`,
    `--server=${server}`,
    '--scriptpath=/mediawiki',
    `--confpath=${work}`,
    '--lang=en',
    '--pass=throwaway-wiki-admin-password',
    'Throwaway wiki',
    'Admin',
  ]);
  fs.mkdirSync(path.join(work, 'images'));
  fs.appendFileSync(
    settings,
    [
      '',
      `$wgUploadDirectory = ${JSON.stringify(path.join(work, 'images'))};`,
      '# The default is /favicon.ico, which this web root does not have.',
      '$wgFavicon = "$wgResourceBasePath/resources/assets/change-your-logo-icon.svg";',
      '# What the documented snippet needs: <html> blocks in wikitext.',
      '$wgRawHtml = true;',
      '',
    ].join('\n'),
  );
  const wikitext = ['When the queue backs up, follow the steps, then write the postmortem below.', '', docSnippet('MediaWiki')].join('\n');
  php([path.join(MEDIAWIKI, 'maintenance', 'edit.php'), '--user', 'Admin', '--summary', 'The postmortem form', PAGE], wikitext);

  const wiki = await phpServer({ docroot: web, env: { MW_CONFIG_FILE: settings }, port, probe: '/mediawiki/index.php' });
  t.after(() => wiki.close());
  const b = await browser();
  t.after(() => b.close());
  const { page } = b;

  const res = await page.goto(`${server}/mediawiki/index.php?title=${encodeURIComponent(PAGE.replaceAll(' ', '_'))}`);
  assert.equal(res.status(), 200, wiki.log());
  // The wiki rendered the page: its heading, in MediaWiki's skin, with the
  // element in the page's content.
  assert.match(await page.title(), /^Queue performance runbook - Throwaway wiki$/);
  assert.equal((await page.textContent('#firstHeading')).trim(), PAGE);
  assert.equal(await page.locator('#mw-content-text .mw-parser-output postmortem-form').count(), 1, 'the <html> block passed through');
  await mountsAndKeepsADraft(page, b, 'MediaWiki');
  assert.deepEqual(b.errors, []);
});
