// The page in real headless Chromium, beyond check.e2e.test.mjs (issue 18 parts 3, 8; issue 16
// part 5):
// - offline: once loaded, the page reloads with the network off (its service worker) and still
//   quotes and checks a statement; the server sees no request and the page makes none while the
//   file is checked;
// - a statement dropped on the drop zone with a ledger in the ledger input: the per-class counts
//   (statement / ledger rows) and totals shown equal the core's reconciliation of the same two
//   files, run natively (wasm/examples/audit_expected.rs --simulate-pair);
// - the shipped bad.* samples: every line the core's reader cannot read is listed with its line
//   and field, a bad ledger is a typed error shown as text with its file, line and field, and the
//   page stays usable (a good file and a quote afterwards);
// - the calculator shows the core's limit warnings (limits option of quote) in the page's language.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startServer } from '../scripts/serve.mjs';
import { launch, watch } from './browser.mjs';
import { ROOT, SAMPLES, MERCHANT, expectedNumbers } from './samples.mjs';
import { TEXTS, money } from '../www/i18n.js';
import * as posfee from '../pkg/index.js';

const OUT = fileURLToPath(new URL('../test-output/', import.meta.url));
mkdirSync(OUT, { recursive: true });
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
/** The shipped samples of malformed rows (bad.*, beside some formats' sample.*). */
const BAD_SAMPLES = SAMPLES.map((file) => dirname(file)).flatMap((folder) => readdirSync(folder).filter((name) => name.startsWith('bad.')).map((name) => join(folder, name)));

let server;
let url;
let browser;
/** Requests that reached the server, by path. */
const served = [];

before(async () => {
  ({ server, url } = await startServer(undefined, 0));
  server.on('request', (request) => served.push(new URL(request.url, url).pathname));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** The core's numbers for `args` (files and options of audit_expected), run natively. */
function native(args) {
  const out = execFileSync('cargo', ['run', '-q', '-p', 'posfee-wasm', '--features', 'audit', '--example', 'audit_expected', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return JSON.parse(out);
}

/** A fresh context and page; console errors and the page's requests recorded. */
async function open(hash = '', options = PHONE) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const { errors, requests } = watch(page);
  await page.goto(`${url}${hash}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  return { context, page, errors, requests };
}

/** Opens the statement view and waits for its checker module. */
async function checkView(page) {
  await page.evaluate(() => { location.hash = '#check'; });
  await page.waitForSelector('body[data-checker="ready"]', { timeout: 30000 });
}

/** Runs `action` (which starts a check) and waits until the page shows its result or its error. */
async function checked(page, action) {
  const before = Number((await page.getAttribute('body', 'data-checked-count')) || 0);
  await page.evaluate(() => { if (document.body.dataset.checked === 'error') document.body.dataset.checked = ''; });
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.checkedCount || 0) > n || document.body.dataset.checked === 'error', before, { timeout: 60000 });
  return (await page.getAttribute('body', 'data-checked')) === 'error' ? page.locator('#check-error').innerText() : null;
}

/** Drops `file` on the statement drop zone, as a user dragging it from the desktop does. */
async function drop(page, file) {
  const dataTransfer = await page.evaluateHandle(({ name, base64 }) => {
    const transfer = new DataTransfer();
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type: 'text/csv' }));
    return transfer;
  }, { name: basename(file), base64: readFileSync(file).toString('base64') });
  await page.dispatchEvent('#check-drop', 'drop', { dataTransfer });
}

/** The shown per-class rows: class → [rows, amount, fee, net] as displayed. */
function shownClasses(page) {
  return page.$$eval('#check-classes tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.class, [...tr.cells].slice(1).map((cell) => cell.textContent)])));
}

/** The overview numbers the page shows for the last check. */
async function overview(page) {
  const node = page.locator('#check-overview');
  return { rows: await node.getAttribute('data-rows'), amount: await node.getAttribute('data-amount'), fee: await node.getAttribute('data-fee'), problems: await node.getAttribute('data-problems') };
}

test('offline: after one load the page reloads without the network, quotes and checks a statement; no request leaves it', async () => {
  const statement = SAMPLES.find((f) => f.includes('bank-pos-csv'));
  const want = expectedNumbers([statement])[statement];
  const { context, page, errors, requests } = await open();
  // The service worker has installed (every page file cached) and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  served.length = 0;
  await context.setOffline(true);
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  // The calculator: the default trade and a changed amount.
  assert.equal(await page.locator('#fee').innerText(), money(posfee.quote({ preset: 'sft-traditional', amount: '5000.00', channel: 'debit', at: '2026-09-30 22:30', settlement: 'T1' }).fee));
  await page.fill('#amount', '1000');
  await page.waitForFunction(() => document.getElementById('fee').textContent.includes('5.50'));
  // The statement checker, loaded from the cache, then a file checked with no request at all.
  await checkView(page);
  await page.selectOption('#check-preset', 'standard');
  requests.length = 0;
  const error = await checked(page, () => page.setInputFiles('#check-file', statement));
  assert.equal(error, null, error);
  assert.deepEqual(await overview(page), { rows: String(want.rows), amount: want.amount, fee: want.fee, problems: String(want.problems) });
  assert.deepEqual(requests, [], 'the page made no request while the file was checked');
  assert.deepEqual(served, [], 'no request reached the server while offline');
  await page.screenshot({ path: join(OUT, 'offline-check-phone-zh.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a statement dropped with a ledger: the per-class counts and totals are the core's reconciliation of the two files", async () => {
  const statementPath = join(OUT, 'pair-statement.csv');
  const ledgerPath = join(OUT, 'pair-ledger.csv');
  const want = native(['--simulate-pair', '1500', statementPath, ledgerPath])[statementPath];
  assert.equal(want.with_ledger, true);
  assert.ok(want.classes.never_settled?.ledger_rows > 0, 'the simulated pair has money that never arrived');
  const { context, page, errors, requests } = await open('#check');
  await checkView(page);
  await page.selectOption('#check-preset', want.preset);
  await page.fill('#check-merchant', want.merchant_no);
  await page.selectOption('#check-settlement', want.settlement);
  await page.setInputFiles('#check-ledger', ledgerPath);
  requests.length = 0;
  const error = await checked(page, () => drop(page, statementPath));
  assert.equal(error, null, error);
  assert.deepEqual(await overview(page), { rows: String(want.rows), amount: want.amount, fee: want.fee, problems: String(want.problems) });
  const zh = TEXTS['zh-CN'];
  const expected = Object.fromEntries(Object.entries(want.classes).map(([name, c]) => [name, [zh.rowsBoth(c.rows, c.ledger_rows), money(c.amount), money(c.fee), money(c.net)]]));
  assert.deepEqual(await shownClasses(page), expected);
  const findings = await page.$$eval('#check-findings li:not(.hint)', (items) => items.map((item) => item.textContent));
  assert.deepEqual(findings, want.findings.map((f) => f.zh));
  // Rows of the ledger side are among the problem rows (money that never arrived).
  await page.selectOption('#rows-class', 'never_settled');
  assert.equal(await page.locator('#check-rows tbody tr').count(), want.classes.never_settled.ledger_rows);
  assert.deepEqual(requests, [], 'no request while the files were checked');
  await page.screenshot({ path: join(OUT, 'ledger-check-phone-zh.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the shipped bad samples: each unreadable line is shown with its line and field, a bad ledger is a typed error; the page stays usable', async () => {
  assert.ok(BAD_SAMPLES.length >= 3, BAD_SAMPLES.join(', '));
  const want = native(['--preset', 'standard', '--merchant-no', MERCHANT, ...BAD_SAMPLES]);
  const { context, page, errors } = await open('#check');
  await checkView(page);
  await page.selectOption('#check-preset', 'standard');
  for (const file of BAD_SAMPLES) {
    const error = await checked(page, () => page.setInputFiles('#check-file', file));
    assert.equal(error, null, `${file}: ${error}`);
    assert.deepEqual(await overview(page), { rows: String(want[file].rows), amount: want[file].amount, fee: want[file].fee, problems: String(want[file].problems) }, file);
    await page.selectOption('#rows-class', 'unreadable');
    const rows = await page.$$eval('#check-rows tbody tr', (trs) => trs.map((tr) => ({ line: Number(tr.cells[0].textContent), reason: tr.cells[tr.cells.length - 1].textContent })));
    assert.deepEqual(rows.map((r) => r.line), want[file].unreadable_lines, file);
    for (const { line, reason } of rows) {
      assert.ok(reason.includes(`${basename(file)}, line ${line}`) && /field `\w+`/.test(reason), `${file}: ${reason}`);
    }
    await page.selectOption('#rows-class', '');
  }
  // A statement format the reader cannot place, and a ledger that is not one: typed errors, as text.
  const garbage = join(OUT, 'not-a-statement.csv');
  writeFileSync(garbage, 'hello\nworld\n');
  const unknown = await checked(page, () => page.setInputFiles('#check-file', garbage));
  assert.match(unknown ?? '', /no statement format fits this file.*not-a-statement\.csv.*format/s);
  const badLedger = BAD_SAMPLES.find((f) => f.includes('bank-pos-csv'));
  await page.setInputFiles('#check-ledger', badLedger);
  const ledgerError = await checked(page, () => page.setInputFiles('#check-file', SAMPLES.find((f) => f.includes('wechat-merchant-all'))));
  assert.match(ledgerError ?? '', /trade_id.*\(bad\.csv, line 1, trade_id\)/s);
  assert.equal(await page.locator('#check-error').evaluate((box) => box.children.length), 0, 'the error is text, no markup');
  // Still usable: without the ledger the good sample is checked, and the calculator quotes.
  await page.setInputFiles('#check-ledger', []);
  const good = SAMPLES.find((f) => f.includes('bank-pos-csv'));
  const goodWant = expectedNumbers([good])[good];
  assert.equal(await checked(page, () => page.setInputFiles('#check-file', good)), null);
  assert.equal(await page.getAttribute('#check-overview', 'data-fee'), goodWant.fee);
  await page.evaluate(() => { location.hash = '#calc'; });
  await page.fill('#amount', '100');
  await page.waitForFunction(() => document.getElementById('fee').textContent.includes('0.55'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the calculator shows the core limit warnings in the page language', async () => {
  const { context, page, errors } = await open();
  const request = { preset: 'sft-traditional', amount: '60000', channel: 'debit', at: '2026-09-30 22:30', settlement: 'T1', limits: { preset: 'personal-micro-merchant', business_hours: '08:00-22:00' } };
  const core = posfee.quote(request).limitWarnings;
  assert.equal(core.length, 2);
  assert.equal(await page.locator('#limit-warnings').isHidden(), true);
  await page.fill('#amount', '60000');
  await page.selectOption('#limits', 'personal-micro-merchant');
  await page.fill('#business-hours', '08:00-22:00');
  await page.waitForFunction(() => document.querySelectorAll('#limit-warnings li').length === 2);
  assert.deepEqual(await page.$$eval('#limit-warnings li', (items) => items.map((item) => item.textContent)), core.map((w) => w.zh));
  assert.equal(await page.locator('#fee').innerText(), money(posfee.quote(request).fee), 'the fee is the same with limits');
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(scroll <= inner, `${scroll} px wide in ${inner}`);
  await page.screenshot({ path: join(OUT, 'calc-limits-phone-zh.png'), fullPage: true });
  await page.click('#lang-en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(await page.$$eval('#limit-warnings li', (items) => items.map((item) => item.textContent)), core.map((w) => w.en));
  await page.screenshot({ path: join(OUT, 'calc-limits-phone-en.png'), fullPage: true });
  // A bad business-hours text is the core's error on the limits field; clearing it recovers.
  await page.fill('#business-hours', '8 to 10');
  await page.waitForFunction(() => document.getElementById('limits-error').textContent.length > 0);
  assert.match(await page.locator('#limits-error').innerText(), /business hours "8 to 10"/);
  await page.fill('#business-hours', '');
  await page.selectOption('#limits', '');
  await page.waitForFunction(() => document.getElementById('limit-warnings').hidden);
  assert.deepEqual(errors, []);
  await context.close();
});
