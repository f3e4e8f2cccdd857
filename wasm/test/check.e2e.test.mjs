// "Check my statement" and "Compare offers" end to end in real headless Chromium, at 390×844
// (a phone) and 1280×900: every shipped sample statement goes through the file input and the
// counts and totals shown equal the core's (run natively, wasm/examples/audit_expected.rs); a
// hostile statement shows its markup as text and runs nothing; no request is made while files
// are checked; no console errors; nothing overflows; tap targets are ≥ 44 px; the offer
// comparison equals the core's `compare`; a bank statement dropped beside a statement shows
// the core's deposit check (到账核对); a 100,000-row statement is checked (timed);
// screenshots of every view in both languages go to wasm/test-output/ (not committed).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/serve.mjs';
import { launch, watch } from './browser.mjs';
import { SAMPLES, MERCHANT, expectedNumbers, expectedDeposits } from './samples.mjs';
import * as audit from '../pkg-audit/index.js';

const OUT = fileURLToPath(new URL('../test-output/', import.meta.url));
mkdirSync(OUT, { recursive: true });
const VIEWPORTS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
];
let server;
let url;
let browser;
let expected;

before(async () => {
  ({ server, url } = await startServer(undefined, 0));
  browser = await launch();
  expected = expectedNumbers();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** A page at `view` (#check or #offers) with the checker loaded; console errors and requests recorded. */
async function open(setup, view, locale = 'zh-CN') {
  const context = await browser.newContext({ viewport: setup.viewport, isMobile: setup.isMobile, hasTouch: setup.hasTouch, locale });
  const page = await context.newPage();
  const { errors, requests } = watch(page);
  await page.goto(`${url}#${view}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await page.waitForSelector('body[data-checker="ready"]', { timeout: 30000 });
  await page.evaluate(() => document.fonts?.ready);
  if (view === 'check') await page.selectOption('#check-preset', 'standard'); // the contract of the expected numbers
  return { context, page, errors, requests };
}

/** Puts a file through the file input and waits until it is checked (or refused). */
async function check(page, file) {
  const before = Number((await page.getAttribute('body', 'data-checked-count')) || 0);
  await page.setInputFiles('#check-file', file);
  await page.waitForFunction((n) => Number(document.body.dataset.checkedCount || 0) > n || document.body.dataset.checked === 'error', before, { timeout: 60000 });
}

async function noOverflow(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(scroll <= inner, `${what}: page is ${scroll} px wide in a ${inner} px window`);
}

async function smallTargets(page) {
  return page.$$eval('a, button, select, input, summary', (nodes) =>
    nodes
      .filter((node) => node.offsetParent !== null && !node.closest('[hidden]'))
      .map((node) => ({ node, box: node.getBoundingClientRect() }))
      .filter(({ node, box }) => box.height < 44 && !(node.type === 'radio' || node.type === 'checkbox') && !node.closest('#view-calc'))
      .map(({ node, box }) => `${node.tagName.toLowerCase()}#${node.id} ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
}

test('the calculator loads without the statement checker', async () => {
  const context = await browser.newContext({ viewport: VIEWPORTS[0].viewport, isMobile: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForTimeout(300);
  assert.deepEqual(requests.filter((path) => path.startsWith('/audit/') || path === '/check.js'), []);
  await context.close();
});

for (const setup of VIEWPORTS) {
  test(`${setup.name}: every sample statement shows the core's counts and totals, with no request made`, async () => {
    const { context, page, errors, requests } = await open(setup, 'check');
    await noOverflow(page, 'check view, empty');
    assert.match(await page.locator('#check-preset option[value="standard"]').innerText(), /标准商户费率/, 'preset titles in Chinese from the core');
    assert.deepEqual(await smallTargets(page), []);
    requests.length = 0;
    for (const file of SAMPLES) {
      const want = expected[file];
      await check(page, file);
      assert.equal(await page.getAttribute('body', 'data-checked') === 'error' ? await page.locator('#check-error').innerText() : '', '', file);
      const overview = page.locator('#check-overview');
      assert.equal(await overview.getAttribute('data-rows'), String(want.rows), file);
      assert.equal(await overview.getAttribute('data-amount'), want.amount, file);
      assert.equal(await overview.getAttribute('data-fee'), want.fee, file);
      assert.equal(await overview.getAttribute('data-problems'), String(want.problems), file);
      const shown = await page.$$eval('#check-classes tbody tr', (trs) =>
        Object.fromEntries(trs.map((tr) => [tr.dataset.class, [...tr.cells].slice(1).map((cell) => cell.textContent)])),
      );
      const money = (text) => (text.startsWith('-') ? `−¥${text.slice(1)}` : `¥${text}`);
      const wanted = Object.fromEntries(Object.entries(want.classes).map(([name, c]) => [name, [String(c.rows), money(c.amount), money(c.fee), money(c.net)]]));
      assert.deepEqual(shown, wanted, file);
      const findings = await page.$$eval('#check-findings li:not(.hint)', (items) => items.map((item) => item.textContent));
      assert.deepEqual(findings, want.findings.map((f) => f.zh), file);
      assert.equal(await page.locator('#check-rows tbody tr').count(), Math.min(want.problems, 2000), file);
      await noOverflow(page, `check view, ${file}`);
    }
    assert.deepEqual(requests, [], 'no request while files were checked');
    // Filter, search and sort the problem rows of the bank sample.
    await check(page, SAMPLES.find((f) => f.includes('bank-pos-csv')));
    const all = await page.locator('#check-rows tbody tr').count();
    assert.ok(all > 1, String(all));
    const firstRef = await page.locator('#check-rows tbody tr').first().getAttribute('data-rrn');
    await page.fill('#rows-search', firstRef);
    assert.equal(await page.locator('#check-rows tbody tr').count(), 1);
    await page.fill('#rows-search', '');
    await page.selectOption('#rows-sort', 'amount');
    const amounts = await page.$$eval('#check-rows tbody tr', (trs) => trs.map((tr) => tr.cells[4].textContent));
    const fen = (text) => BigInt(text.replace(/[¥−,]/g, '').replace('.', ''));
    assert.deepEqual([...amounts].sort((a, b) => (fen(b) > fen(a) ? 1 : fen(b) < fen(a) ? -1 : 0)), amounts);
    assert.ok(await page.locator('#check-chart svg path[data-channel]').count() >= 1);
    await noOverflow(page, 'check view with a result');
    assert.deepEqual(await smallTargets(page), []);
    // Downloads: the report CSV and the dispute list as files.
    const [report] = await Promise.all([page.waitForEvent('download'), page.click('#dl-report')]);
    assert.match(report.suggestedFilename(), /report\.csv$/);
    const [dispute] = await Promise.all([page.waitForEvent('download'), page.click('#dl-dispute-html')]);
    assert.match(readFileSync(await dispute.path(), 'utf8'), /<html/);
    await page.screenshot({ path: join(OUT, `check-${setup.name}-zh.png`), fullPage: true });
    await page.click('#lang-en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForFunction(() => /Checked/.test(document.getElementById('check-status').textContent));
    assert.match(await page.locator('#check-preset option[value="standard"]').innerText(), /Standard merchant rates/);
    await page.screenshot({ path: join(OUT, `check-${setup.name}-en.png`), fullPage: true });
    await page.goto(`${url}#calc`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the language is remembered');
    await page.screenshot({ path: join(OUT, `calc-${setup.name}-en.png`), fullPage: true });
    await page.click('#lang-zh');
    await page.screenshot({ path: join(OUT, `calc-${setup.name}-zh.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

for (const setup of VIEWPORTS) {
  test(`${setup.name}: a bank statement dropped beside the statement shows the core's deposit classes and findings`, async () => {
    const [statementPath, bankPath] = [join(OUT, 'deposits-settle.csv'), join(OUT, 'deposits-bank.csv')];
    const want = expectedDeposits(statementPath, bankPath);
    const { context, page, errors, requests } = await open(setup, 'check');
    requests.length = 0;
    // Dropped on the bank statement's field (a drop event with the file, as a person's drag).
    await page.evaluate(({ bytes, name }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
      document.getElementById('check-bank-drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, { bytes: [...readFileSync(bankPath)], name: 'bank.csv' });
    assert.equal(await page.evaluate(() => document.getElementById('check-bank').files[0]?.name), 'bank.csv');
    await check(page, statementPath);
    assert.notEqual(await page.getAttribute('body', 'data-checked'), 'error', await page.locator('#check-error').innerText());
    assert.equal(await page.locator('#check-deposits').isVisible(), true);
    assert.equal(await page.locator('#deposits-error').isVisible(), false, await page.locator('#deposits-error').innerText());
    const money = (text) => (text.startsWith('-') ? `−¥${text.slice(1)}` : `¥${text}`);
    const shown = await page.$$eval('#deposit-classes tbody tr', (trs) =>
      Object.fromEntries(trs.map((tr) => [tr.dataset.class, [...tr.cells].slice(1).map((cell) => cell.textContent)])),
    );
    const wanted = Object.fromEntries(
      Object.entries(want.classes).map(([name, c]) => [name, [String(c.payouts), money(c.expected), money(c.difference), String(c.bankRows), money(c.bankAmount)]]),
    );
    assert.deepEqual(shown, wanted);
    const findings = async () => page.$$eval('#deposit-findings li:not(.hint)', (items) => items.map((item) => item.textContent));
    assert.deepEqual(await findings(), want.findings.map((f) => f.zh));
    const overview = await page.locator('#deposits-overview').innerText();
    assert.ok(overview.includes(`未到账 ${money(want.notArrived)}`), overview);
    // Only the deposit check's module is fetched (from this origin), and nothing else.
    const paths = requests.map((r) => new URL(r)).filter((u) => !(u.origin === new URL(url).origin && u.pathname.startsWith('/deposits/')));
    assert.deepEqual(paths.map(String), [], 'no other request while the files were checked');
    await noOverflow(page, 'check view with deposits');
    assert.deepEqual(await smallTargets(page), []);
    await page.locator('#check-deposits').screenshot({ path: join(OUT, `deposits-${setup.name}-zh.png`) });
    // In English: checked again, the findings in English from the core.
    await page.click('#lang-en');
    await page.waitForFunction((first) => document.querySelector('#deposit-findings li')?.textContent === first, want.findings[0].en);
    assert.deepEqual(await findings(), want.findings.map((f) => f.en));
    await page.locator('#check-deposits').screenshot({ path: join(OUT, `deposits-${setup.name}-en.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a hostile statement shows its markup as text and runs nothing', async () => {
  const { context, page, errors } = await open(VIEWPORTS[0], 'check');
  const bank = readFileSync(SAMPLES.find((f) => f.includes('bank-pos-csv')), 'utf8').split('\n');
  const header = bank.findIndex((line) => line.startsWith('清算日期,'));
  const cells = bank[header + 1].split(',');
  const img = '<img src=x onerror=window.__pwned=1>';
  const script = '<script>window.__pwned=2</script>';
  cells[2] = script; // 终端号
  cells[8] = img; // 参考号
  const hostile = [...bank.slice(0, header + 1), cells.join(','), ...bank.slice(header + 2).filter((line) => /^\d{8},/.test(line))].join('\n');
  const path = join(OUT, 'hostile.csv');
  writeFileSync(path, hostile);
  await check(page, path);
  assert.notEqual(await page.getAttribute('body', 'data-checked'), 'error', await page.locator('#check-error').innerText());
  const texts = await page.$$eval('#check-rows tbody td, #check-terminals tbody th', (cells) => cells.map((cell) => cell.textContent));
  assert.ok(texts.includes(img), texts.join(' | '));
  assert.ok(texts.includes(script), texts.join(' | '));
  assert.equal(await page.locator('#view-check img, #view-check script').count(), 0);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 100,000-row statement is checked and its summary shown (timed)', async () => {
  const path = join(OUT, 'large-100k.csv');
  const want = expectedNumbers([path], [100_000, path])[path];
  assert.ok(want.rows >= 100_000, String(want.rows));
  const { context, page, errors, requests } = await open(VIEWPORTS[1], 'check');
  requests.length = 0;
  const started = Date.now();
  await check(page, path);
  const wall = Date.now() - started;
  assert.equal(await page.getAttribute('#check-overview', 'data-rows'), String(want.rows));
  assert.equal(await page.getAttribute('#check-overview', 'data-fee'), want.fee);
  const findings = await page.$$eval('#check-findings li:not(.hint)', (items) => items.map((item) => item.textContent));
  assert.deepEqual(findings, want.findings.map((f) => f.zh));
  const inPage = Number(await page.getAttribute('#check-status', 'data-ms'));
  writeFileSync(join(OUT, 'large-100k-timing.json'), JSON.stringify({ rows: want.rows, bytes: readFileSync(path).length, checkMs: inPage, wallMs: wall, date: new Date().toISOString() }, null, 2));
  console.log(`100k statement: ${want.rows} rows checked in ${inPage} ms in the page (${wall} ms from setInputFiles to the summary)`);
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const setup of VIEWPORTS) {
  test(`${setup.name}: the offer comparison on a trade list equals the core's compare`, async () => {
    const { context, page, errors, requests } = await open(setup, 'offers');
    const csv = 'amount,channel,time\n5000,debit,2026-05-06 10:00\n1000,debit,2026-05-07 10:00\n100,credit,2026-05-29 10:00\n8000,credit,2026-06-02 10:00\n20,wechat,2026-06-03 10:00\n';
    const path = join(OUT, 'trades.csv');
    writeFileSync(path, csv);
    requests.length = 0;
    await page.setInputFiles('#offers-file', path);
    await page.waitForSelector('body[data-compared="true"]');
    const shown = await page.$$eval('#offers-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.offer, tr.dataset.fee]));
    const rows = csv.trim().split('\n').slice(1).map((line) => {
      const [amount, channel, time] = line.split(',');
      return { amount, channel, time };
    });
    const core = audit.compare({ rows, offers: audit.presets().map((p) => ({ preset: p.name })), onInvalid: 'report' });
    assert.deepEqual(shown, core.offers.map((o) => [o.offer, o.total.fee]));
    assert.ok(await page.locator('#offers-chart svg rect').count() === core.offers.length);
    // A statement works too: its purchases are the trades.
    await page.setInputFiles('#offers-file', SAMPLES.find((f) => f.includes('bank-pos-csv')));
    await page.waitForFunction(() => /bank-pos/.test(document.getElementById('offers-status').textContent));
    assert.deepEqual(requests, []);
    await noOverflow(page, 'offers view');
    assert.deepEqual(await smallTargets(page), []);
    await page.screenshot({ path: join(OUT, `offers-${setup.name}-zh.png`), fullPage: true });
    await page.click('#lang-en');
    await page.screenshot({ path: join(OUT, `offers-${setup.name}-en.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the page forbids inline script, eval and connections to other origins (CSP)', async () => {
  const { context, page } = await open(VIEWPORTS[1], 'check');
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(csp, /connect-src 'self'(;|$)/);
  assert.match(csp, /default-src 'none'/);
  assert.equal(await page.locator('script:not([src])').count(), 0);
  // An inline script and a string timer (eval) added at run time do not run.
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.body.append(script);
    try {
      setTimeout('window.__evaled = 1', 0);
    } catch {
      // refused outright
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    return [window.__inline, window.__evaled];
  });
  assert.deepEqual(ran, [undefined, undefined]);
  const fetched = await page.evaluate(() => fetch('http://example.invalid/').then(() => 'fetched', (error) => String(error)));
  assert.notEqual(fetched, 'fetched');
  await context.close();
});
