// Helpers shared by the browser checks of piao's generated site: audit.mjs (accessibility
// gates) and ricerca.mjs (the search page). One loopback server and one way to find and launch
// Debian's Chromium, so both scripts load the site as in production.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SETUP_HINT = 'eseguire `npm ci --ignore-scripts --prefix tests/a11y` dalla radice del repository';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
};

/**
 * Launches Chromium (`executablePath`) with a fresh profile named after `tag`; `close()` ends
 * it and removes the profile, which is also removed when the launch fails.
 */
export async function launchChromium(puppeteer, executablePath, tag) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `piao-${tag}-`));
  const remove = () => fs.rmSync(userDataDir, { recursive: true, force: true });
  try {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
      timeout: 60_000,
    });
    return {
      browser,
      close: async () => {
        await browser.close();
        remove();
      },
    };
  } catch (e) {
    remove();
    throw e;
  }
}

/**
 * Runs a script's `main(argv)`: its result is the exit code; a setup problem is reported as
 * such, and any failure exits with 2.
 */
export function runMain(main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err instanceof SetupError ? `errore di configurazione: ${err.message}` : err);
      process.exitCode = 2;
    },
  );
}

/** A fatal setup problem (missing tool or dependency): reported as such, exit code 2. */
export class SetupError extends Error {}

export function loadPuppeteer() {
  try {
    return require('puppeteer-core');
  } catch {
    throw new SetupError(`puppeteer-core non installato in tests/a11y/node_modules: ${SETUP_HINT}`);
  }
}

export function axeSource() {
  try {
    return fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    throw new SetupError(`axe-core non installato in tests/a11y/node_modules: ${SETUP_HINT}`);
  }
}

/** The Chromium to drive: PIAO_CHROMIUM, or Debian's. */
export function chromiumPath() {
  const chromium = process.env.PIAO_CHROMIUM || '/usr/bin/chromium';
  if (!isFile(chromium)) {
    throw new SetupError(`Chromium non trovato in ${chromium}: installare il pacchetto Debian chromium o indicare PIAO_CHROMIUM`);
  }
  return chromium;
}

/**
 * The file a local URL path names inside `root`, or null when it escapes `root` or cannot be
 * decoded. A path ending in '/' names that folder's index.html, as a web server would serve it.
 */
export function fileFor(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = path.posix.normalize(decoded).replace(/^\/+/, '');
  if (rel.startsWith('..')) return null;
  const file = path.join(root, rel);
  if (decoded.endsWith('/') || rel === '' || rel === '.') return path.join(file, 'index.html');
  return file;
}

export function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves `root` on a random loopback port, under `prefix` (a sub-folder such as '/ente/piao',
 * as on the ente's CMS; '' for the server's root); resolves to the server and its origin.
 */
export function serve(root, prefix = '') {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const inside = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : null;
    const file = inside === null ? null : fileFor(root, inside);
    if (!file || !isFile(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('non trovato');
      return;
    }
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

/** axe-core's WCAG 2.0/2.1 A and AA violations of the page (axe already injected). */
export async function runAxe(page) {
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      // A header cell with no text heads nothing (a merged label left blank): the issue's
      // table semantics ask for none, though axe files the rule under best practices.
      rules: { 'empty-table-header': { enabled: true } },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' '),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    }));
  }, AXE_TAGS);
}
