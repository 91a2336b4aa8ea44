#!/usr/bin/env node
// Accessibility gates for piao's generated site (issue 15).
//
//   node tests/a11y/audit.mjs DIR [DIR...]   audit each generated site folder
//   node tests/a11y/audit.mjs --self-test    prove every gate catches a known defect
//
// For every *.html page of every DIR, served from a loopback HTTP server so that fonts and
// CSS load as in production, one Chromium runs axe-core (WCAG 2.0/2.1 A and AA) at 1366 px and
// at 320 px, checks reflow at 320 px (WCAG 1.4.10) and collects ids and links; then every local
// link is checked (file exists, #anchor exists in the target page) and the Nu HTML checker
// validates all pages at once. Exit code 1 on any failure, 0 when every gate is clean.
//
// Environment: PIAO_CHROMIUM (default /usr/bin/chromium), PIAO_A11Y_TABS (pages audited at
// once, default 2: CI has two cores).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  runMain,
  launchChromium,
  AXE_TAGS, HERE, SETUP_HINT, SetupError, axeSource, chromiumPath, fileFor, isFile,
  loadPuppeteer, runAxe, serve,
} from './common.mjs';

const WIDTHS = [1366, 320];
const REFLOW_WIDTH = 320;
const HEIGHT = 800;
const VNU_JAR = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/** Every *.html file under `root`, as '/'-separated paths relative to it, sorted. */
function htmlFiles(root) {
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.html')) found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/** Labels that tell the DIRs apart in the report: their paths below the common parent. */
function labels(dirs) {
  if (dirs.length === 1) return [''];
  const parts = dirs.map((d) => path.resolve(d).split(path.sep));
  let common = 0;
  while (parts.every((p) => p.length > common + 1 && p[common] === parts[0][common])) common += 1;
  return parts.map((p) => `${p.slice(common).join('/')}/`);
}

// ---------------------------------------------------------------------------------------------
// In-page probes (run inside Chromium: no closures over Node values).

/**
 * Installed in every page before its scripts: a short CSS path naming an element in the
 * reports (`main > figure.tabella > table`), shared by the probes below.
 */
function installShortPath() {
  window.piaoShortPath = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 3; e = e.parentElement) {
      let part = e.localName;
      if (e.id) {
        parts.unshift(`${part}#${e.id}`);
        break;
      }
      const cls = [...e.classList].slice(0, 2);
      if (cls.length) part += `.${cls.join('.')}`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
}

/** Ids (and legacy `<a name>`) of the page, and every href/src it references. */
function collectInPage() {
  const shortPath = window.piaoShortPath;
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
  const links = [];
  for (const el of document.querySelectorAll('[href], [src]')) {
    for (const attr of ['href', 'src']) {
      const raw = el.getAttribute(attr);
      if (raw === null) continue;
      links.push({ attr, raw, element: shortPath(el) });
    }
  }
  for (const el of document.querySelectorAll('use')) {
    const raw = el.getAttribute('xlink:href');
    if (raw !== null) links.push({ attr: 'xlink:href', raw, element: shortPath(el) });
  }
  return { ids: [...ids, ...names], links };
}

/**
 * Page width against the viewport, and the widest elements that stick out of it. An element
 * clipped by a scrolling or clipping box on its containing-block chain does not widen the page
 * (a table in an `overflow: auto` wrapper), so only unclipped ones are named.
 */
function reflowInPage() {
  const viewport = window.innerWidth;
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth <= viewport) return { viewport, pageWidth, widest: [] };
  const shortPath = window.piaoShortPath;
  const containingBlock = (el) => {
    const pos = getComputedStyle(el).position;
    if (pos === 'fixed') return null;
    if (pos !== 'absolute') return el.parentElement;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.position !== 'static' || s.transform !== 'none' || s.filter !== 'none' || s.contain.includes('paint')) {
        return a;
      }
    }
    return null;
  };
  const clipped = (el) => {
    for (let a = containingBlock(el); a && a !== document.documentElement && a !== document.body; a = containingBlock(a)) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const over = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    const right = Math.round(rect.right + window.scrollX);
    if (right > viewport && rect.width > 0 && !clipped(el)) over.push({ el, right });
  }
  // Text that does not wrap (a long word, a nowrap cell) overflows its element's box without
  // widening the element: measure the text itself and name its element.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const parent = text.parentElement;
    if (!parent || !text.data.trim()) continue;
    range.selectNodeContents(text);
    const right = Math.round(range.getBoundingClientRect().right + window.scrollX);
    if (right > viewport && parent.getBoundingClientRect().right + window.scrollX < right && !clipped(parent)) {
      over.push({ el: parent, right, text: text.data.trim().slice(0, 40) });
    }
  }
  over.sort((a, b) => b.right - a.right);
  const widest = [];
  for (const o of over) {
    if (widest.some((w) => w.el.contains(o.el) && w.right === o.right)) continue;
    widest.push(o);
    if (widest.length === 3) break;
  }
  return {
    viewport,
    pageWidth,
    widest: widest.map((w) => ({ element: w.text ? `${shortPath(w.el)} (testo «${w.text}»)` : shortPath(w.el), right: w.right })),
  };
}

/**
 * Applies a new viewport width to layout and media queries. Reading geometry forces the
 * style and layout pass synchronously; waiting for an animation frame would hang in a tab
 * the browser does not paint.
 */
async function settle(page) {
  await page.evaluate(() => document.documentElement.getBoundingClientRect().width);
}

// ---------------------------------------------------------------------------------------------
// The audit.

/** Audits `dirs`; returns the findings of every gate. */
async function audit(dirs, { log = () => {} } = {}) {
  for (const dir of dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new SetupError(`cartella del sito inesistente: ${dir}`);
    }
  }
  const puppeteer = loadPuppeteer();
  const axe = axeSource();
  const chromium = chromiumPath();
  const tabs = Math.max(1, Math.min(2, Number.parseInt(process.env.PIAO_A11Y_TABS ?? '2', 10) || 2));
  const names = labels(dirs);
  const sites = [];
  for (const [i, dir] of dirs.entries()) {
    const root = path.resolve(dir);
    const { server, origin } = await serve(root);
    sites.push({ root, label: names[i], server, origin, pages: htmlFiles(root) });
  }
  const findings = { pages: 0, axe: [], reflow: [], links: [], external: new Set(), vnu: [], loads: [] };
  const visited = new Map(); // `${site}|${page}` -> { ids: Set, links }
  let chrome;
  let browser;
  try {
    chrome = await launchChromium(puppeteer, chromium, 'a11y');
    browser = chrome.browser;
    const queue = sites.flatMap((site) => site.pages.map((page) => ({ site, page })));
    findings.pages = queue.length;
    let next = 0;
    const worker = async () => {
      // One window per worker: a background tab of a shared window is throttled.
      const tab = await browser.newPage({ type: 'window' });
      await tab.evaluateOnNewDocument(installShortPath);
      tab.setDefaultNavigationTimeout(60_000);
      let current = null;
      tab.on('response', (res) => {
        if (current && res.status() >= 400 && new URL(res.url()).pathname !== '/favicon.ico') {
          findings.loads.push({ ...current, url: res.url(), why: `HTTP ${res.status()}` });
        }
      });
      tab.on('requestfailed', (req) => {
        if (current && new URL(req.url()).pathname !== '/favicon.ico') {
          findings.loads.push({ ...current, url: req.url(), why: req.failure()?.errorText ?? 'errore' });
        }
      });
      while (next < queue.length) {
        const { site, page } = queue[next];
        next += 1;
        current = { label: site.label, page };
        const where = `${site.label}${page}`;
        const began = Date.now();
        await tab.setViewport({ width: WIDTHS[0], height: HEIGHT });
        await tab.goto(`${site.origin}/${page.split('/').map(encodeURIComponent).join('/')}`, { waitUntil: 'load' });
        await tab.evaluate(() => document.fonts.ready.then(() => undefined));
        await tab.evaluate(axe);
        const collected = await tab.evaluate(collectInPage);
        visited.set(`${site.label}|${page}`, { ids: new Set(collected.ids), links: collected.links, site, page });
        for (const width of WIDTHS) {
          if (width !== WIDTHS[0]) {
            await tab.setViewport({ width, height: HEIGHT });
            await settle(tab);
          }
          for (const v of await runAxe(tab)) {
            for (const node of v.nodes) {
              findings.axe.push({ where, width, id: v.id, impact: v.impact, help: v.help, ...node });
            }
          }
          if (width === REFLOW_WIDTH) {
            const r = await tab.evaluate(reflowInPage);
            if (r.pageWidth > r.viewport) findings.reflow.push({ where, ...r });
          }
        }
        log(`  ${where}: ${((Date.now() - began) / 1000).toFixed(1)} s`);
      }
      current = null;
      await tab.close();
    };
    await Promise.all(Array.from({ length: tabs }, worker));
  } finally {
    if (chrome) await chrome.close();
    for (const site of sites) site.server.close();
  }
  checkLinks(visited, findings);
  findings.vnu = await runVnu(sites);
  return findings;
}

/** Every local href/src names an existing file, and every #anchor an id of its target page. */
function checkLinks(visited, findings) {
  for (const { links, site, page } of visited.values()) {
    const base = new URL(`${site.origin}/${page}`);
    for (const link of links) {
      let url;
      try {
        url = new URL(link.raw, base);
      } catch {
        findings.links.push({ where: `${site.label}${page}`, ...link, why: 'indirizzo non valido' });
        continue;
      }
      if (url.origin !== site.origin) {
        if (['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol)) findings.external.add(url.href);
        else if (url.protocol !== 'data:') {
          findings.links.push({ where: `${site.label}${page}`, ...link, why: `schema ${url.protocol} non ammesso` });
        }
        continue;
      }
      const file = fileFor(site.root, url.pathname);
      if (!file || !isFile(file)) {
        findings.links.push({ where: `${site.label}${page}`, ...link, why: 'file inesistente' });
        continue;
      }
      let fragment;
      try {
        fragment = decodeURIComponent(url.hash.slice(1));
      } catch {
        findings.links.push({ where: `${site.label}${page}`, ...link, why: 'ancora non decodificabile' });
        continue;
      }
      // The empty fragment and "top" scroll to the top of any HTML page (HTML standard).
      if (!fragment || fragment.toLowerCase() === 'top' || !file.endsWith('.html')) continue;
      const targetPage = path.relative(site.root, file).split(path.sep).join('/');
      const target = visited.get(`${site.label}|${targetPage}`);
      if (!target || !target.ids.has(fragment)) {
        findings.links.push({ where: `${site.label}${page}`, ...link, why: `ancora #${fragment} assente in ${targetPage}` });
      }
    }
  }
}

/** The Nu HTML checker over all sites at once: its errors, by page, line and column. */
function runVnu(sites) {
  if (!isFile(VNU_JAR)) throw new SetupError(`vnu.jar non trovato (${VNU_JAR}): ${SETUP_HINT}`);
  return new Promise((resolve, reject) => {
    const args = ['-jar', VNU_JAR, '--errors-only', '--skip-non-html', '--format', 'json', ...sites.map((s) => s.root)];
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => {
      reject(new SetupError(`java non eseguibile (${e.message}): installare il pacchetto Debian default-jre-headless`));
    });
    child.on('close', (code) => {
      let parsed;
      try {
        parsed = JSON.parse(out.slice(out.indexOf('{')));
      } catch {
        reject(new SetupError(`il Nu HTML checker non ha prodotto JSON (uscita ${code}): ${out.slice(0, 500)}`));
        return;
      }
      const errors = [];
      for (const m of parsed.messages ?? []) {
        if (m.type !== 'error' && m.type !== 'non-document-error') continue;
        let file = m.url ?? '';
        try {
          file = fileURLToPath(file);
        } catch {
          // Keep the URL as the checker gave it.
        }
        const site = sites.find((s) => file.startsWith(s.root + path.sep));
        const where = site ? `${site.label}${path.relative(site.root, file).split(path.sep).join('/')}` : file;
        errors.push({ where, line: m.lastLine ?? m.firstLine ?? 0, column: m.firstColumn ?? m.lastColumn ?? 0, message: m.message, extract: (m.extract ?? '').replace(/\s+/g, ' ').trim() });
      }
      errors.sort((a, b) => a.where.localeCompare(b.where) || a.line - b.line || a.column - b.column);
      resolve(errors);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The report.

function countBy(items, key) {
  const map = new Map();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(item);
  }
  return map;
}

/** The readable report; returns the total number of failures. */
function report(findings, seconds, print = console.log) {
  const pagesWith = (items) => new Set(items.map((i) => i.where)).size;
  print('');
  print(`== axe-core (${AXE_TAGS.join(', ')}) a ${WIDTHS.join(' e ')} px ==`);
  const byRule = countBy(findings.axe, (v) => v.id);
  for (const [id, items] of [...byRule].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
    const merged = countBy(items, (v) => `${v.where} | ${v.target}`);
    print(`[${id}] (${items[0].impact}) ${items[0].help}: ${merged.size} elementi su ${pagesWith(items)} pagine`);
    for (const [, same] of merged) {
      const v = same[0];
      const widths = same.map((s) => s.width).join(' e ');
      print(`  ${v.where} a ${widths} px: ${v.target} — ${v.summary}`);
    }
  }
  print('');
  print(`== reflow a ${REFLOW_WIDTH} px (WCAG 1.4.10) ==`);
  for (const r of findings.reflow) {
    const widest = r.widest.map((w) => `${w.element} (bordo destro a ${w.right} px)`).join('; ');
    print(`${r.where} a ${r.viewport} px: pagina larga ${r.pageWidth} px; elementi più larghi: ${widest || 'non individuati'}`);
  }
  print('');
  print('== collegamenti interni ==');
  for (const l of findings.links) {
    print(`${l.where}: ${l.element} ${l.attr}="${l.raw}": ${l.why}`);
  }
  const loads = countBy(findings.loads, (l) => `${l.label}${l.page} ${l.url}`);
  for (const [, same] of loads) {
    const l = same[0];
    print(`${l.label}${l.page}: risorsa non caricata ${l.url} (${l.why})`);
  }
  print(`(${findings.external.size} indirizzi esterni non verificati)`);
  print('');
  print('== Nu HTML checker ==');
  for (const e of findings.vnu) {
    print(`${e.where}:${e.line}:${e.column}: ${e.message}${e.extract ? ` «${e.extract}»` : ''}`);
  }
  // An element failing a rule at both widths is one violation.
  const axeDistinct = countBy(findings.axe, (v) => `${v.where} | ${v.id} | ${v.target}`).size;
  const counts = {
    axe: axeDistinct,
    reflow: findings.reflow.length,
    links: findings.links.length + loads.size,
    vnu: findings.vnu.length,
  };
  print('');
  print('== riepilogo ==');
  print(`pagine controllate: ${findings.pages} (ciascuna a ${WIDTHS.join(' e ')} px) in ${seconds.toFixed(1)} s`);
  print(`axe-core: ${counts.axe} violazioni (${byRule.size} regole) su ${pagesWith(findings.axe)} pagine`);
  print(`reflow a ${REFLOW_WIDTH} px: ${counts.reflow} pagine più larghe dello schermo`);
  print(`collegamenti interni: ${counts.links} rotti`);
  print(`Nu HTML checker: ${counts.vnu} errori su ${pagesWith(findings.vnu)} pagine`);
  const total = counts.axe + counts.reflow + counts.links + counts.vnu;
  print(total === 0 ? 'esito: nessun difetto' : `esito: ${total} difetti`);
  return { total, counts };
}

// ---------------------------------------------------------------------------------------------
// Self-test: a tiny site with one known defect per gate, and a clean one that must pass.

const CLEAN_PAGE = `<!DOCTYPE html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagina pulita</title></head>
<body><main><h1 id="inizio">Pagina pulita</h1>
<p>Un <a href="#inizio">collegamento interno</a> e uno <a href="https://example.org/">esterno</a>.</p>
<div role="region" aria-label="Tabella larga" tabindex="0" style="overflow-x: auto; position: relative"><table><caption>Tabella larga che scorre</caption>
<tr><th scope="col">Colonna</th></tr><tr><td><div style="width: 900px">contenuto largo</div></td></tr></table></div>
</main></body></html>
`;

const BAD_PAGE = `<!DOCTYPE html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagina difettosa</title></head>
<body><main><h1>Pagina difettosa</h1>
<p><a href="index.html">Titolo <a href="#nota-1">1</a></a></p>
<p><img src="grafico.svg"></p>
<div class="largo" style="width: 600px">troppo largo</div>
<p><a href="#manca">ancora rotta</a> e <a href="assente.html">file assente</a></p>
</main></body></html>
`;

async function selfTest() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'piao-a11y-self-'));
  try {
    const bad = path.join(tmp, 'difettoso');
    const clean = path.join(tmp, 'pulito');
    fs.mkdirSync(bad);
    fs.mkdirSync(clean);
    fs.writeFileSync(path.join(bad, 'index.html'), BAD_PAGE);
    fs.writeFileSync(path.join(bad, 'grafico.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
    fs.writeFileSync(path.join(clean, 'index.html'), CLEAN_PAGE);
    const start = Date.now();
    const findings = await audit([bad, clean]);
    const lines = [];
    report(findings, (Date.now() - start) / 1000, (l) => lines.push(l));
    const inBad = (items) => items.filter((i) => i.where.startsWith('difettoso/'));
    const inClean = (items) => items.filter((i) => i.where.startsWith('pulito/'));
    const expectations = [
      ['axe-core trova l\'immagine senza alt', inBad(findings.axe).some((v) => v.id === 'image-alt' && v.width === 1366) && inBad(findings.axe).some((v) => v.id === 'image-alt' && v.width === 320)],
      ['reflow trova il div largo 600 px', inBad(findings.reflow).some((r) => r.widest.some((w) => w.element.includes('div.largo') && w.right >= 600))],
      ['collegamenti: ancora #manca', inBad(findings.links).some((l) => l.raw === '#manca')],
      ['collegamenti: ancora #nota-1', inBad(findings.links).some((l) => l.raw === '#nota-1')],
      ['collegamenti: file assente.html', inBad(findings.links).some((l) => l.raw === 'assente.html' && l.why === 'file inesistente')],
      ['Nu HTML checker trova il collegamento annidato', inBad(findings.vnu).some((e) => /Start tag “a” seen but an element of the same type was already open/.test(e.message))],
      ['la pagina pulita non ha difetti', [findings.axe, findings.reflow, findings.links, findings.vnu].every((g) => inClean(g).length === 0)],
      ['l\'indirizzo esterno è solo elencato', findings.external.has('https://example.org/')],
    ];
    let failed = 0;
    for (const [what, ok] of expectations) {
      console.log(`${ok ? 'ok  ' : 'NO  '} ${what}`);
      if (!ok) failed += 1;
    }
    if (failed) {
      console.log('\nrapporto della prova:');
      for (const l of lines) console.log(l);
    }
    console.log(`autoverifica: ${expectations.length - failed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(argv) {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.error('uso: node tests/a11y/audit.mjs DIR [DIR...] | --self-test');
    return 2;
  }
  if (argv[0] === '--self-test') return selfTest();
  const start = Date.now();
  const findings = await audit(argv, {
    log: process.env.PIAO_A11Y_VERBOSE ? (l) => console.error(l) : () => {},
  });
  const { total } = report(findings, (Date.now() - start) / 1000);
  return total === 0 ? 0 : 1;
}

runMain(main);
