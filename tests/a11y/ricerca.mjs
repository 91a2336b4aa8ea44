#!/usr/bin/env node
// The search page of piao's generated site, in headless Chromium (issue 16).
//
//   node tests/a11y/ricerca.mjs SITE_DIR CASES_JSON
//
// CASES_JSON: {"found": [{"q": "assunzione", "url": "organizzazione/x.html"}, ...],
//              "none": ["parolainesistente"]}
//
// The site is served from a sub-folder of a loopback server (as on the ente's CMS), and every
// request that leaves it is reported as a failure: the search must need nothing from the
// network. For each case of `found`, cerca.html?q=... must list the page `url` (relative to the
// site) among its results, each with a title link and an excerpt; for each of `none`, the
// page must say "Nessun risultato". The page with results passes axe-core (WCAG 2.0/2.1 A and
// AA) at 1366 and 320 px and does not overflow 320 px. Exit code 1 on any failure.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  runMain,
  launchChromium,
  SetupError, axeSource, chromiumPath, loadPuppeteer, runAxe, serve,
} from './common.mjs';

const PREFIX = '/ente/trasparenza/piao';
const WIDTHS = [1366, 320];
const HEIGHT = 800;

/** What the page shows once the search is over: status text and results. */
function resultsInPage() {
  const status = document.getElementById('ricerca-esito')?.textContent ?? '';
  const items = [...document.querySelectorAll('#ricerca-risultati > li')].map((li) => {
    const a = li.querySelector('a');
    return {
      href: a ? a.href : '',
      title: a ? a.textContent : '',
      excerpt: li.querySelector('.ricerca-estratto')?.textContent ?? '',
      marks: li.querySelectorAll('.ricerca-estratto mark').length,
    };
  });
  return {
    status,
    items,
    input: document.getElementById('ricerca-testo')?.value ?? null,
    formShown: !(document.getElementById('ricerca')?.hidden ?? true),
    live: document.getElementById('ricerca-esito')?.getAttribute('aria-live') ?? null,
  };
}

async function main(argv) {
  if (argv.length !== 2) {
    console.error('uso: node tests/a11y/ricerca.mjs SITE_DIR CASES_JSON');
    return 2;
  }
  const root = path.resolve(argv[0]);
  const cases = JSON.parse(argv[1]);
  if (!fs.existsSync(path.join(root, 'cerca.html'))) {
    throw new SetupError(`cerca.html assente in ${root}`);
  }
  const puppeteer = loadPuppeteer();
  const axe = axeSource();
  const chromium = chromiumPath();
  const { server, origin } = await serve(root, PREFIX);
  const base = `${origin}${PREFIX}/`;
  const failures = [];
  const fail = (what) => {
    failures.push(what);
    console.log(`NO   ${what}`);
  };
  let chrome;
  let browser;
  try {
    chrome = await launchChromium(puppeteer, chromium, 'ricerca');
    browser = chrome.browser;
    const tab = await browser.newPage();
    tab.setDefaultNavigationTimeout(60_000);
    // Every request the page makes is recorded (intercepting them would stall Pagefind's
    // worker): one outside the site's folder fails the check.
    const outside = new Set();
    const broken = new Set();
    tab.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.add(url);
    });
    tab.on('response', (res) => {
      if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) broken.add(`${res.url()} (HTTP ${res.status()})`);
    });
    const search = async (q) => {
      await tab.setViewport({ width: WIDTHS[0], height: HEIGHT });
      await tab.goto(`${base}cerca.html?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
      await tab.waitForFunction(
        () => {
          const s = document.getElementById('ricerca-esito')?.textContent ?? '';
          return s !== '' && !s.includes('in corso');
        },
        { timeout: 30_000 },
      );
      return tab.evaluate(resultsInPage);
    };
    let audited = false;
    for (const { q, url } of cases.found ?? []) {
      const r = await search(q);
      const paths = r.items.map((i) => (i.href.startsWith(base) ? i.href.slice(base.length) : i.href));
      const hit = r.items[paths.indexOf(url)];
      if (!hit) {
        fail(`«${q}»: ${url} non è tra i risultati (${r.status} ${paths.join(', ')})`);
        continue;
      }
      if (!hit.title.trim() || !hit.excerpt.trim() || hit.marks === 0) {
        fail(`«${q}»: il risultato ${url} non ha titolo, estratto o parola evidenziata: ${JSON.stringify(hit)}`);
        continue;
      }
      if (r.input !== q || !r.formShown || r.live !== 'polite' || !r.status.includes(`${r.items.length} risultat`)) {
        fail(`«${q}»: modulo, campo o annuncio del numero di risultati errati: ${JSON.stringify({ ...r, items: r.items.length })}`);
        continue;
      }
      console.log(`ok   «${q}» trova ${url} (${r.items.length} risultati; titolo «${hit.title}»)`);
      if (!audited) {
        audited = true;
        await tab.evaluate(axe);
        for (const width of WIDTHS) {
          await tab.setViewport({ width, height: HEIGHT });
          await tab.evaluate(() => document.documentElement.getBoundingClientRect().width);
          const violations = await runAxe(tab);
          for (const v of violations) {
            for (const n of v.nodes) fail(`axe a ${width} px, risultati di «${q}»: [${v.id}] ${v.help}: ${n.target} — ${n.summary}`);
          }
          const wide = await tab.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          if (wide[0] > wide[1]) fail(`risultati di «${q}» a ${width} px: pagina larga ${wide[0]} px`);
          if (violations.length === 0 && wide[0] <= wide[1]) console.log(`ok   risultati di «${q}» senza violazioni axe a ${width} px`);
        }
      }
    }
    if ((cases.found ?? []).length > 0 && !audited) fail('nessuna pagina di risultati da verificare con axe');
    for (const q of cases.none ?? []) {
      const r = await search(q);
      if (r.items.length !== 0 || !r.status.startsWith('Nessun risultato')) {
        fail(`«${q}»: atteso «Nessun risultato», trovato «${r.status}» con ${r.items.length} risultati`);
      } else {
        console.log(`ok   «${q}»: ${r.status}`);
      }
    }
    for (const url of outside) fail(`richiesta fuori dal sito: ${url}`);
    for (const url of broken) fail(`risorsa non caricata: ${url}`);
  } finally {
    if (chrome) await chrome.close();
    server.close();
  }
  console.log(failures.length === 0 ? 'esito: ricerca corretta' : `esito: ${failures.length} difetti`);
  return failures.length === 0 ? 0 : 1;
}

runMain(main);
