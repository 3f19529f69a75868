// A tiny static server for the demo and the browser tests: 127.0.0.1 only,
// the right MIME types (application/wasm for streaming compilation), no
// caching, and optional response headers per path (a CSP, framing rules).
//
//   node web/tools/serve.mjs [--port 8787] [--dir web/dist]
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

/** Starts the server; resolves to { url, port, close() }. */
export async function serve({ mounts, headers = () => ({}), handle = null, port = 0, host = '127.0.0.1' }) {
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
      const body = await fs.readFile(file);
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
  const server = await serve({ mounts: { '/': dir }, port });
  console.log(`${server.url}/demo/`);
}
