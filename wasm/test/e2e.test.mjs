// End to end in real headless Chromium: serve the page on 127.0.0.1, enter trades, read the
// displayed numbers, switch language, paste a bad schedule, go offline, save a screenshot.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/serve.mjs';
import { firstQuoteTiming, launch } from './browser.mjs';

const OUT = fileURLToPath(new URL('../test-output/', import.meta.url));
let server;
let url;
let browser;
let context;
let page;
const consoleErrors = [];

before(async () => {
  ({ server, url } = await startServer(undefined, 0));
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1200, height: 1000 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const text = (selector) => page.locator(selector).innerText();

async function ready() {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
}

test('the page loads in Chinese and shows the first quote', async () => {
  await page.goto(url);
  await ready();
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await text('h1'), 'POS 手续费计算器');
  // Defaults: sft-traditional, debit ¥5000.00 on 2026-09-30 22:30, T1.
  assert.equal(await text('#fee'), '¥20.00');
  assert.equal(await text('#net'), '¥4980.00');
  assert.match(await text('#settles-on'), /^2026-10-08 \(周四\)/);
  assert.match(await text('#summary'), /借记卡 0\.55%，封顶 ¥20\.00/);
  assert.match(await text('#cap-info'), /¥20\.00 ÷ 0\.55% = ¥3636\.3636…/);
  assert.match(await text('#cap-info'), /¥3635\.46/);
  assert.match(await text('#explanation'), /借记卡 0\.55% × ¥5000\.00 = ¥27\.50，封顶 ¥20\.00/);
  assert.doesNotMatch(await text('#explanation'), /capped|settles/);
  // The page marks its first quote (what `make bench-wasm` times); tests do not time it.
  const timing = await firstQuoteTiming(page);
  assert.ok(Number.isFinite(timing.firstQuote), 'the posfee:first-quote mark is set');
});

test('the comparison table prices the trade under every preset', async () => {
  const rows = page.locator('#compare-body tr');
  assert.equal(await rows.count(), 5);
  const fees = await page.$$eval('#compare-body tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.preset, tr.cells[3].textContent])));
  assert.match(fees['sft-traditional'], /^¥20\.00/);
  assert.match(fees.standard, /^¥20\.00/);
  assert.match(await page.locator('#compare-body tr.current th').innerText(), /sft-traditional/);
});

test('entering a ¥1 D0 trade warns that the surcharge exceeds the amount', async () => {
  await page.selectOption('#preset', 'standard-d0');
  await page.fill('#amount', '1');
  await page.fill('#date', '2026-05-06');
  await page.fill('#time', '10:00');
  await page.selectOption('#settlement', 'D0');
  assert.equal(await text('#fee'), '¥3.01');
  assert.equal(await text('#net'), '−¥2.01');
  assert.ok(await page.locator('#warning').isVisible());
  assert.match(await text('#warning'), /手续费 ¥3\.01 超过交易金额 ¥1\.00/);
  assert.match(await text('#settles-on'), /^2026-05-06/);
  // Presets without a D0 surcharge charge ¥0.01: they are the cheapest rows.
  assert.equal(await page.locator('#compare-body tr.cheapest').count(), 4);
  assert.match(await page.locator('#compare-body tr[data-preset="sft-smart"]').innerText(), /¥0\.01/);
});

test('an instant payout below the minimum falls back to T1 with a notice', async () => {
  await page.selectOption('#channel', 'credit');
  await page.fill('#amount', '50');
  assert.equal(await text('#fee'), '¥0.30');
  assert.ok(await page.locator('#notice').isVisible());
  assert.match(await text('#notice'), /¥100\.00/);
  assert.ok(!(await page.locator('#warning').isVisible()));
});

test('an invalid amount is shown next to the field, never a blank page', async () => {
  await page.fill('#amount', '12.345');
  assert.match(await text('#amount-error'), /金额无效/);
  assert.match(await text('#amount-error'), /12\.345/);
  assert.equal(await text('#fee'), '—');
  assert.ok(await page.locator('h1').isVisible());
  await page.fill('#amount', 'abc');
  assert.match(await text('#amount-error'), /abc/);
  await page.fill('#amount', '1000');
  assert.equal(await text('#amount-error'), '');
  assert.equal(await text('#fee'), '¥9.00'); // credit 0.60% + ¥3 D0
});

test('switching to English translates the page and keeps the numbers', async () => {
  await page.click('#lang-en');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await text('h1'), 'POS fee calculator');
  assert.equal(await text('#fee'), '¥9.00');
  assert.match(await text('#summary'), /^credit 0\.6% \+ D0 surcharge ¥3\.00$/);
  assert.match(await text('#cap-info'), /No cap for credit/);
  await page.selectOption('#channel', 'debit');
  await page.selectOption('#settlement', 'T1');
  await page.fill('#amount', '5000');
  assert.match(await text('#summary'), /^debit 0\.5%, capped at ¥20\.00$/);
  assert.match(await text('#cap-info'), /¥20\.00 ÷ 0\.5% = ¥4000\.0000;.*from ¥3999\.00/);
  // The explanation follows the page's language (the core's message catalogue).
  assert.match(await text('#explanation'), /debit 0\.50?% of ¥5000\.00 = ¥25\.00, capped at ¥20\.00/);
  assert.doesNotMatch(await text('#explanation'), /[\u4e00-\u9fff]/);
});

test('a pasted bad schedule shows its error next to the field; a good one quotes', async () => {
  await page.check('input[name="source"][value="custom"]');
  assert.ok(await page.locator('#schedule').isVisible());
  await page.fill('#schedule', 'name = "mine"\n[rounding]\nmode = "half_up"\nscale = 2\n[[versions]]\neffective_from = "2026-01-01"\n[[versions.rules]]\nid = "card"\nchannels = ["debit"]\nrate = "0.6"\n');
  await page.waitForFunction(() => document.getElementById('schedule-error').textContent !== '');
  assert.match(await text('#schedule-error'), /Invalid schedule/);
  assert.match(await text('#schedule-error'), /rate/);
  assert.equal(await text('#fee'), '—');
  await page.fill('#schedule', 'name = "mine"\nrate = [\n');
  await page.waitForFunction(() => /line/.test(document.getElementById('schedule-error').textContent));
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}calculator-bad-schedule.png`, fullPage: true });
  await page.fill('#schedule', 'name = "mine"\ncutoff = "22:00"\n[rounding]\nmode = "half_up"\nscale = 2\n[[versions]]\neffective_from = "2026-01-01"\n[[versions.rules]]\nid = "card"\nchannels = ["credit", "debit"]\nrate = "0.68%"\nfixed = "3"\n');
  await page.waitForFunction(() => document.getElementById('schedule-error').textContent === '' && document.getElementById('fee').textContent !== '—');
  assert.equal(await text('#fee'), '¥37.00'); // 0.68% of ¥5000 + ¥3
  assert.match(await text('#summary'), /^debit 0\.68% \+ ¥3\.00 per transaction$/);
});

test('works offline once loaded', async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.evaluate(async () => {
    // Wait until the worker has cached every asset.
    for (let i = 0; i < 50; i += 1) {
      const cache = await caches.open('posfee-calculator-v1');
      if ((await cache.keys()).length >= 8) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  await context.setOffline(true);
  server.closeAllConnections?.();
  await page.reload();
  await ready();
  assert.equal(await text('#fee'), '¥20.00');
  await context.setOffline(false);
});

test('the page looks right (screenshot) and logged no errors', async () => {
  await page.goto(`${url}?lang=zh-CN`);
  await ready();
  await page.selectOption('#preset', 'standard-d0');
  await page.fill('#amount', '1');
  await page.fill('#date', '2026-05-06');
  await page.fill('#time', '10:00');
  await page.selectOption('#settlement', 'D0');
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}calculator-zh.png`, fullPage: true });
  await page.click('#lang-en');
  await page.selectOption('#preset', 'sft-traditional');
  await page.fill('#amount', '5000');
  await page.fill('#date', '2026-09-30');
  await page.fill('#time', '22:30');
  await page.selectOption('#settlement', 'T1');
  await page.screenshot({ path: `${OUT}calculator-en.png`, fullPage: true });
  assert.deepEqual(consoleErrors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e)), []);
});
