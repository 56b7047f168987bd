#!/usr/bin/env node
// Browser tests of the page `gazette serve` answers at `/`, in headless Chromium (Debian's
// `chromium` package, driven by playwright-core).
//
//   node tests/browser/page.test.mjs BASE_URL
//
// BASE_URL is a running `gazette serve` over an index of tests/data/browser (tests/browser.rs
// ingests it and starts the server). Every check runs in a fresh page; all of them run, the
// failures are listed at the end, and the exit code is 1 when any failed (2 when Chromium
// could not be started at all). GAZETTE_CHROMIUM names another Chromium than /usr/bin/chromium.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.GAZETTE_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 15000;

const base = process.argv[2];
if (!base || !/^https?:\/\//.test(base)) {
  console.error('usage: node tests/browser/page.test.mjs BASE_URL (e.g. http://127.0.0.1:7700/)');
  process.exit(2);
}
const url = (rest = '') => new URL(rest, base).href;

// ---------------------------------------------------------------- harness

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function equal(actual, expected, what) {
  check(
    JSON.stringify(actual) === JSON.stringify(expected),
    `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
  );
}

/** The number of completed draws; the page counts them on <html data-renders>. */
const renders = (page) => page.evaluate(() => Number(document.documentElement.dataset.renders || 0));

/** Waits until the page has drawn a state newer than `before` and fetches nothing more. */
async function settled(page, before) {
  try {
    await page.waitForFunction(
      (b) => {
        const root = document.documentElement;
        return root.dataset.idle === 'true' && Number(root.dataset.renders) > b;
      },
      before,
      { timeout: TIMEOUT },
    );
  } catch {
    throw new Failure(`the page did not finish drawing within ${TIMEOUT} ms (at ${page.url()})`);
  }
}

/** Does `action` and waits for the page to draw what it asked for. */
async function act(page, action) {
  const before = await renders(page);
  await action();
  await settled(page, before);
}

async function open(page, rest) {
  await page.goto(url(rest));
  await settled(page, 0);
}

async function search(page, query) {
  await page.fill('#q', query);
  await act(page, () => page.press('#q', 'Enter'));
}

const texts = (page, selector) => page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent));
const params = (page) => new URL(page.url()).searchParams;

// ---------------------------------------------------------------- the checks

const checks = [];
const test = (name, body, options = {}) => checks.push({ name, body, options });

test('typing a query and pressing Enter shows the expected hit first, highlighted', async (page) => {
  await open(page, '/');
  check(await page.isVisible('#welcome'), 'the start page shows the welcome text');
  await search(page, 'cocoa harvest');
  const titles = await texts(page, '[data-testid=hit-title]');
  check(titles.length > 0, 'no hits for "cocoa harvest"');
  equal(titles[0], 'Cocoa harvest falls short in Ghana', 'first hit title');
  equal(params(page).get('q'), 'cocoa harvest', 'q in the URL');
  const marks = await texts(page, '[data-testid=hit]:first-child [data-testid=hit-text] mark');
  check(marks.some((m) => /^harvest$/i.test(m)), `no <mark>harvest</mark> in the first hit (marks: ${marks})`);
  check(marks.every((m) => /^(cocoa|harvest)$/i.test(m)), `a mark is not a query word: ${marks}`);
  const summary = await page.textContent('[data-testid=hits-summary]');
  check(/passages? match/.test(summary), `summary says how many match: ${summary}`);
});

test('byte offsets after multi-byte characters mark the right words', async (page) => {
  // "ABIDJAN, Feb 3 - Cocoa farmers in Côte d’Ivoire are holding back beans from exporters"
  await open(page, '/?q=exporters');
  const hit = page.locator('[data-testid=hit][data-article-id=ct-2025-02-farmers]');
  check((await hit.count()) === 1, 'no hit of the Côte d’Ivoire story');
  equal(await hit.locator('[data-testid=hit-title]').textContent(), 'Côte d’Ivoire farmers hold back beans', 'hit title');
  equal(await hit.locator('mark').allTextContents(), ['exporters'], 'marks after ô and ’');
  const places = await hit.locator('.ent[data-type=LOC]').allTextContents();
  check(places.includes('ABIDJAN'), `ABIDJAN marked as a place: ${places}`);
  const dates = await hit.locator('.date').allTextContents();
  check(dates.includes('Feb 3'), `Feb 3 marked as a date: ${dates}`);
});

test('clicking a facet adds its filter, filters the hits and changes the URL', async (page) => {
  await open(page, '/?q=cocoa');
  const before = (await texts(page, '[data-testid=hit]')).length;
  const facet = page.locator('[data-testid=facet][data-facet=loc][data-name=Abidjan]');
  check((await facet.count()) === 1, 'no place facet "Abidjan" for cocoa');
  await act(page, () => facet.click());
  equal(params(page).getAll('loc'), ['Abidjan'], 'loc in the URL');
  equal(params(page).get('q'), 'cocoa', 'q kept in the URL');
  const hits = page.locator('[data-testid=hit]');
  const n = await hits.count();
  check(n > 0 && n < before, `filtered hits: ${n} of ${before}`);
  for (let i = 0; i < n; i++) {
    const names = await hits.nth(i).locator('.ent[data-type=LOC]').evaluateAll((ns) => ns.map((x) => x.dataset.canonical));
    check(names.includes('Abidjan'), `hit ${i + 1} does not mention Abidjan (places: ${names})`);
  }
  equal(await texts(page, '[data-testid=chip]'), ['loc: Abidjan ×'], 'active filter chip');
  check(
    (await page.getAttribute('[data-testid=facet][data-name=Abidjan]', 'aria-pressed')) === 'true',
    'the facet shows as on',
  );
  // Clicking the chip removes the filter again.
  await act(page, () => page.click('[data-testid=chip]'));
  equal(params(page).getAll('loc'), [], 'loc removed from the URL');
});

test('clicking a timeline bar narrows since/until to its bucket', async (page) => {
  await open(page, '/?q=cocoa');
  const bars = await page.$$eval('[data-testid=timeline-bar]', (ns) => ns.map((n) => n.dataset.bucket));
  equal(bars, ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'], 'monthly buckets');
  await act(page, () => page.click('[data-testid=timeline-bar][data-bucket="2025-03"]'));
  equal(params(page).get('since'), '2025-03-01', 'since in the URL');
  equal(params(page).get('until'), '2025-03-31', 'until in the URL');
  equal(await page.inputValue('#f-since'), '2025-03-01', 'since field');
  equal(await page.inputValue('#f-until'), '2025-03-31', 'until field');
  const dates = await texts(page, '[data-testid=hit-date]');
  check(dates.length > 0, 'no hits in March 2025');
  check(dates.every((d) => d.startsWith('2025-03')), `hits outside March 2025: ${dates}`);
  // The chart now shows the bucket by days.
  equal(params(page).get('unit'), 'day', 'finer unit after narrowing');
  const days = await page.$$eval('[data-testid=timeline-bar]', (ns) => ns.map((n) => n.dataset.bucket));
  check(days.length > 0 && days.every((d) => d.startsWith('2025-03-')), `daily buckets of March: ${days}`);
  // Shares instead of counts.
  await act(page, () => page.check('[data-testid=timeline-normalize]'));
  equal(params(page).get('normalize'), 'true', 'normalize in the URL');
  const axis = await texts(page, '[data-testid=timeline-svg] text.axis');
  check(axis.some((t) => t.endsWith('%')), `a share axis: ${axis}`);
});

test('Next shows the next page of hits', async (page) => {
  await open(page, '/?q=cocoa');
  await act(page, () => page.click('[data-testid=next]'));
  equal(params(page).get('offset'), '10', 'offset in the URL');
  equal(await page.locator('[data-testid=hit]').count(), 6, 'hits 11 to 16');
  equal(await page.getAttribute('[data-testid=hits]', 'start'), '11', 'numbered from 11');
  check(await page.isDisabled('[data-testid=next]'), 'no page after the last');
});

test('a hit opens the whole article with that passage in view and marked', async (page) => {
  await open(page, '/?q=winnowing');
  const hit = page.locator('[data-testid=hit]', { hasText: 'winnowing tower' });
  check((await hit.count()) === 1, 'no hit holding "winnowing tower"');
  const passage = await hit.getAttribute('data-passage');
  check(Number(passage) > 10, `the passage is deep in the article (#${passage})`);
  await act(page, () => hit.locator('[data-testid=open-article]').click());
  check(await page.isVisible('[data-testid=overlay]'), 'the article panel is open');
  equal(await page.textContent('[data-testid=overlay-title]'), 'The long road of a cocoa bean', 'article title');
  equal(params(page).get('article'), 'dl-2025-05-long-road', 'article in the URL');
  equal(params(page).get('passage'), passage, 'passage in the URL');
  const count = await page.locator('[data-testid=article-text] p').count();
  check(count === 30, `the whole article: 30 passages, got ${count}`);
  const target = page.locator('[data-testid=article-target]');
  equal(await target.getAttribute('data-passage'), passage, 'marked passage');
  check((await target.textContent()).includes('winnowing tower'), 'the marked passage is the hit');
  // In view: inside the panel's visible box and the window (scrolled on the next frame).
  const inView = await page
    .waitForFunction(
      () => {
        const t = document.querySelector('[data-testid=article-target]').getBoundingClientRect();
        const box = document.querySelector('#overlay-body').getBoundingClientRect();
        return t.top >= box.top - 1 && t.bottom <= box.bottom + 1 && t.bottom <= window.innerHeight && t.top >= 0;
      },
      null,
      { timeout: 5000 },
    )
    .then(() => true, () => false);
  check(inView, 'the marked passage is scrolled into view');
  const first = await page.evaluate(() => {
    const p = document.querySelector('[data-testid=article-text] p').getBoundingClientRect();
    return p.bottom < document.querySelector('#overlay-body').getBoundingClientRect().top;
  });
  check(first, 'the panel scrolled (the first passage is above it)');
  // Escape closes it, and Back opens it again.
  await act(page, () => page.keyboard.press('Escape'));
  check(!(await page.isVisible('[data-testid=overlay]')), 'Escape closes the article');
  check(!params(page).has('article'), 'article gone from the URL');
  await act(page, () => page.goBack());
  check(await page.isVisible('[data-testid=article-target]'), 'Back reopens the article');
});

test('a story with copies lists them', async (page) => {
  await open(page, '/?q=cedis');
  const button = page.locator('[data-testid=copies-button]').first();
  check((await button.count()) === 1, 'no "copies" button on a hit of the syndicated story');
  await act(page, () => button.click());
  const ids = await page.$$eval('[data-testid=copy]', (ns) => ns.map((n) => n.dataset.articleId));
  equal(ids, ['hw-2025-04-farmgate', 'ct-2025-04-farmgate'], 'the copies, first published first');
  await act(page, () => page.click('[data-testid=copy] a >> nth=1'));
  equal(await page.textContent('[data-testid=overlay-title]'), 'Ghana lifts price paid to cocoa farmers', 'a copy opens');
});

test('export downloads every matching passage as CSV and JSON lines', async (page) => {
  await open(page, '/?q=cocoa&loc=Abidjan');
  const ids = await page.$$eval('[data-testid=hit]', (ns) => ns.map((n) => n.dataset.articleId));
  const total = Number((await page.textContent('[data-testid=hits-summary]')).match(/^\d+/)[0]);
  equal(ids.length, total, 'all the hits fit the page');
  const download = async (selector) => {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click(selector)]);
    const saved = await file.path();
    check(saved, `${selector}: the download failed (${await file.failure()})`);
    return fs.readFileSync(saved, 'utf8');
  };
  const csv = await download('[data-testid=export-csv]');
  const lines = csv.trim().split('\n');
  check(lines[0].startsWith('rank,article_id,passage,'), `CSV header: ${lines[0]}`);
  equal(lines.length - 1, total, 'CSV rows');
  for (const id of ids) check(csv.includes(`,${id},`), `CSV has no row of ${id}`);
  const jsonl = await download('[data-testid=export-jsonl]');
  const records = jsonl.trim().split('\n').map((line) => JSON.parse(line));
  equal(records.map((r) => r.article_id).sort(), [...ids].sort(), 'JSON lines article ids');
  check(records.every((r) => typeof r.text === 'string' && /abidjan/i.test(r.text)), 'each record holds its passage');
});

test('the command line is the equivalent gazette query, quoted for a POSIX shell', async (page) => {
  await open(page, "/?q=cocoa+harvest&source=Coast+Times&source=it's&since=2025-02&dedup=true&sort=date");
  equal(
    await page.textContent('[data-testid=command-line]'),
    "gazette query 'cocoa harvest' --since 2025-02 --source 'Coast Times' --source 'it'\\''s' --dedup --sort date",
    'command line',
  );
  await act(page, () => page.click('[data-testid=tab-kwic]'));
  equal(
    await page.textContent('[data-testid=command-line]'),
    "gazette query 'cocoa harvest' --since 2025-02 --source 'Coast Times' --source 'it'\\''s' --dedup --kwic --limit 50",
    'command line of the concordance',
  );
});

test('opening a URL with state runs that search', async (page) => {
  await open(page, '/?q=cocoa&source=Coast+Times&since=2025-02');
  equal(await page.inputValue('#q'), 'cocoa', 'query box');
  equal(await page.inputValue('#f-since'), '2025-02', 'since field');
  const sources = await texts(page, '[data-testid=hit-source]');
  check(sources.length > 0, 'no hits for the URL state');
  check(sources.every((s) => s === 'Coast Times'), `hits of other sources: ${sources}`);
  const dates = await texts(page, '[data-testid=hit-date]');
  check(dates.every((d) => d >= '2025-02'), `hits before February: ${dates}`);
});

test('each search is a history entry: Back shows the previous search', async (page) => {
  await open(page, '/');
  await search(page, 'winnowing');
  await search(page, 'smuggled');
  equal(params(page).get('q'), 'smuggled', 'q after the second search');
  await act(page, () => page.goBack());
  equal(params(page).get('q'), 'winnowing', 'q after Back');
  equal(await page.inputValue('#q'), 'winnowing', 'query box after Back');
  const texts2 = await texts(page, '[data-testid=hit-text]');
  check(texts2.some((t) => t.includes('winnowing')), 'the hits of the previous search');
});

test('concordance, collocates and key words of the current query', async (page) => {
  await open(page, '/?q=cocoa');
  await act(page, () => page.click('[data-testid=tab-kwic]'));
  equal(params(page).get('view'), 'kwic', 'view in the URL');
  const matches = await texts(page, '[data-testid=kwic-line] .kwic-match');
  check(matches.length > 0 && matches.every((m) => m.toLowerCase() === 'cocoa'), `concordance matches: ${matches}`);
  await act(page, () => page.click('[data-testid=tab-collocates]'));
  const collocates = await page.locator('[data-testid=collocates-table] [data-testid=row]').count();
  check(collocates > 0, 'no collocates of cocoa');
  await act(page, () => page.click('[data-testid=tab-keyness]'));
  const words = await texts(page, '[data-testid=keyness-table] [data-testid=row] td:first-child');
  check(words.includes('cocoa'), `key words of cocoa: ${words}`);
});

test('an API error is shown in the page, with its message', async (page) => {
  await open(page, '/');
  await search(page, '"unclosed');
  check(await page.isVisible('[data-testid=error]'), 'no error shown for a broken query');
  const message = await page.textContent('[data-testid=error]');
  check(/column/.test(message), `the error names the column: ${message}`);
  equal(await page.locator('[data-testid=hit]').count(), 0, 'hits shown beside the error');
  await search(page, 'cocoa');
  check(!(await page.isVisible('[data-testid=error]')), 'the error stays after a good search');
});

test('corpus text is shown as text and runs nothing', async (page) => {
  const script = '<script>window.__pwned=1</script>';
  const img = '<img src=x onerror="window.__pwned=1">';
  await open(page, '/?q=injection');
  const title = page.locator('[data-testid=hit-title]', { hasText: script }).first();
  check(await title.isVisible(), 'the title with <script> is shown as text');
  check((await title.textContent()).includes(img), 'the title with <img onerror> is shown as text');
  const body = page.locator('[data-testid=hit-text]', { hasText: img }).first();
  check(await body.isVisible(), 'the passage with <img onerror> is shown as text');
  check(await page.locator('[data-testid=hit-source]', { hasText: 'Injection <i>Desk</i>' }).first().isVisible(), 'source as text');
  equal(await page.locator('#layout img, #layout script, #layout i, #layout b').count(), 0, 'elements made from corpus text');
  equal(await page.locator('a[href^="javascript:"]').count(), 0, 'javascript: links');
  await act(page, () => title.click());
  check((await page.textContent('[data-testid=overlay-title]')).includes(script), 'article title as text');
  check((await page.textContent('[data-testid=article-text]')).includes(img), 'article text as text');
  equal(await page.locator('#overlay img, #overlay script').count(), 0, 'elements in the article panel');
  // Filter values from a URL are text too.
  await open(page, `/?q=cocoa&person=${encodeURIComponent(img)}`);
  check((await page.textContent('[data-testid=chips]')).includes(img), 'a filter value from the URL as text');
  await page.waitForTimeout(300); // an onerror would have fired by now
  equal(await page.evaluate(() => window.__pwned), undefined, 'window.__pwned');
  // And the script never parses text as markup.
  const source = await (await page.request.get(url('/app.js'))).text();
  const markup = source.match(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\s*\(|document\.write|createContextualFragment|DOMParser/g);
  equal(markup, null, 'markup parsing in app.js');
});

test('at phone width nothing overflows sideways', async (page) => {
  const overflow = () =>
    page.evaluate(() => {
      const doc = document.documentElement;
      return { scroll: Math.max(doc.scrollWidth, document.body.scrollWidth), client: doc.clientWidth };
    });
  for (const state of ['/', '/?q=cocoa', '/?q=cocoa&view=kwic', '/?q=cocoa&view=collocates', '/?q=cocoa&view=keyness',
    '/?q=winnowing&article=dl-2025-05-long-road&passage=23', '/?q=injection', '/?q="unclosed']) {
    await open(page, state);
    const { scroll, client } = await overflow();
    check(client <= 400, `viewport width ${client}`);
    check(scroll <= client, `${state}: the page is ${scroll}px wide in a ${client}px window`);
  }
  await open(page, '/?q=cocoa');
  check(await page.isVisible('[data-testid=hit]'), 'hits visible at phone width');
  check(await page.isVisible('[data-testid=timeline-bar]'), 'timeline visible at phone width');
}, { viewport: { width: 390, height: 844 } });

test('at 1280x800 the hits, facets and timeline sit side by side without overflow', async (page) => {
  await open(page, '/?q=cocoa');
  const boxes = await page.evaluate(() => {
    const r = (s) => document.querySelector(s).getBoundingClientRect();
    return { main: r('#main'), facets: r('#facets'), scroll: document.documentElement.scrollWidth };
  });
  check(boxes.facets.left >= boxes.main.right, 'facets beside the hits');
  check(boxes.scroll <= 1280, `page width ${boxes.scroll}`);
  check(await page.isVisible('[data-testid=timeline-bar]'), 'timeline visible');
});

// ---------------------------------------------------------------- run

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} is missing: apt-get install chromium chromium-driver`);
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: launchArgs,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
    });
  } catch (err) {
    console.error(`could not start ${CHROMIUM}: ${err.message}`);
    fs.rmSync(profile, { recursive: true, force: true });
    process.exit(2);
  }
  const failures = [];
  for (const { name, body, options } of checks) {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    if (options.viewport) await page.setViewportSize(options.viewport);
    try {
      await body(page);
      check(errors.length === 0, `script errors in the page: ${errors.join('; ')}`);
      console.log(`ok   ${name}`);
    } catch (err) {
      const message = err instanceof Failure ? err.message : err.stack || String(err);
      failures.push({ name, message });
      console.log(`FAIL ${name}\n     ${message.replace(/\n/g, '\n     ')}\n     at ${page.url()}`);
    }
    await page.close();
  }
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(`\n${checks.length - failures.length} of ${checks.length} browser checks passed`);
  if (failures.length) {
    console.error(`browser checks failed: ${failures.map((f) => f.name).join('; ')}`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
