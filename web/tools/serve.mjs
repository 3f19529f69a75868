// A tiny static server for the demo and the browser tests: 127.0.0.1 only,
// the right MIME types (application/wasm for streaming compilation), no
// caching, and optional response headers per path (a CSP, framing rules).
//
//   node web/tools/serve.mjs [--port 8787] [--dir web/dist] [--stand-in http://127.0.0.1:8788]
//
// or, from a test:
//   const server = await serve({ mounts: { '/': dist, '/pages/': pages }, headers: (path) => ({}) });
//   server.url; await server.close();

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// The demo wiki page names where its form sends: a local GitHub stand-in
// (scripts/run starts one) or GitHub.com. Its HTML holds these
// placeholders, filled in as it is served.
function demoPlaceholders(standIn) {
  const gh = standIn
    ? { api: `${standIn}/api/v3`, web: standIn, connect: standIn }
    : { api: 'https://api.github.com', web: 'https://github.com', connect: 'https://api.github.com' };
  return {
    __API_BASE__: gh.api,
    __GITHUB_URL__: gh.web,
    __CONNECT_SRC__: gh.connect,
    __STAND_IN_LINK__: standIn ? `<li><a href="${standIn}/">What the Action made (local GitHub stand-in)</a></li>` : '',
    __STAND_IN_NOTE__: standIn
      ? `<p class="stand-in">This demo sends to a <strong>local stand-in for GitHub</strong> at <a href="${standIn}/">${standIn}</a>, started by <code>scripts/run</code>: nothing leaves this machine. Type any token to send with one; the stand-in runs the real postmortem Action on what arrives.</p>`
      : '',
  };
}

/** Starts the server; resolves to { url, port, close() }. `standIn` is the
 * URL of a local GitHub stand-in the demo page sends to (else GitHub.com). */
export async function serve({ mounts, headers = () => ({}), handle = null, port = 0, host = '127.0.0.1', standIn = null }) {
  const placeholders = demoPlaceholders(standIn);
  const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const server = http.createServer(async (req, res) => {
    try {
      // A test may answer some requests itself (a fake GitHub API).
      if (handle && (await handle(req, res))) return;
      const url = new URL(req.url, 'http://x');
      let pathname = decodeURIComponent(url.pathname);
      if (pathname === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      const mount = entries.find(([prefix]) => pathname.startsWith(prefix));
      if (!mount || pathname.includes('\0')) return send(res, 404, 'not found');
      const [prefix, dir] = mount;
      const root = path.resolve(dir);
      let file = path.resolve(root, '.' + path.sep + pathname.slice(prefix.length));
      if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, 'forbidden');
      let stat = await fs.stat(file).catch(() => null);
      if (stat && stat.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: pathname + '/' + url.search });
          return res.end();
        }
        file = path.join(file, 'index.html');
        stat = await fs.stat(file).catch(() => null);
      }
      if (!stat) return send(res, 404, 'not found');
      let body = await fs.readFile(file);
      if (file.endsWith('.html') && body.includes('__API_BASE__')) {
        let text = body.toString('utf8');
        for (const [k, v] of Object.entries(placeholders)) text = text.split(k).join(v);
        body = Buffer.from(text);
      }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...headers(pathname),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      send(res, 500, String(e));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  return {
    port: actual,
    url: `http://${host}:${actual}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

// Run directly: serve the built dist folder (the demo wiki page lives at
// /demo/).
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = opt('--dir', path.join(here, '..', 'dist'));
  const port = Number(opt('--port', process.env.PORT || 8787));
  const server = await serve({ mounts: { '/': dir }, port, standIn: opt('--stand-in', null) });
  console.log(`${server.url}/demo/`);
}
