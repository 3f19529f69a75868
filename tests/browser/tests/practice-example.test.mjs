// A person completes the practice's example with the keyboard alone, and
// the Markdown the form exports is byte for byte what the CLI renders for
// examples/queue-render.json.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, ready, download, inForm } from '../lib/harness.mjs';
import { EXAMPLE, fillExample } from '../lib/example.mjs';
import { cliRender } from '../lib/cli.mjs';

test('the practice example, completed with the keyboard, exports what the CLI renders', async (t) => {
  const expected = cliRender(EXAMPLE);
  const h = await start();
  t.after(() => h.close());
  const page = await h.page('/pages/basic.html');
  await ready(page);

  await fillExample(page);

  // Step 7: review. The rules find nothing, and the export is the CLI's.
  await page.waitForFunction(() =>
    /find nothing/.test(document.querySelector('postmortem-form').shadowRoot.querySelector('.summary h4').textContent),
  { timeout: 5000 }).catch(async () => {
    const summary = await inForm(page, (root) => root.querySelector('.summary').innerText);
    assert.fail(`the review still has findings:\n${summary}`);
  });
  const preview = await inForm(page, (root) => root.querySelector('.preview').textContent);
  assert.equal(preview, expected, 'the review shows the CLI render');
  const exported = await download(page, 'Export Markdown');
  assert.equal(exported.name, 'postmortem-INC-2026-0142.md');
  assert.equal(exported.text, expected);
  // The JSON export is the same postmortem: the CLI renders it to the same
  // document (timestamps may be written Z instead of +00:00).
  const json = await download(page, 'Export JSON');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-export-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tmp = path.join(dir, json.name);
  fs.writeFileSync(tmp, json.text);
  assert.equal(cliRender(tmp), expected);
  assert.deepEqual(h.errors, []);
});
