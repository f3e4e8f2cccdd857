// Measures the fee calculator page in headless Chromium: how long after navigation start the
// first quote is on screen (performance mark `posfee:first-quote`), cold (fresh profile, no
// cache) and warm (reload: HTTP cache and compiled-code cache), and the .wasm size.
// Usage: node wasm/scripts/bench-page.mjs [runs]   (prints a Markdown table)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { startServer } from './serve.mjs';
import { firstQuoteTiming, launch } from '../test/browser.mjs';

const runs = Number(process.argv[2] ?? 15);
const wasm = readFileSync(new URL('../www/pkg/posfee_wasm_bg.wasm', import.meta.url));
// Baseline: an empty page with one module script that only sets the same marks, to show what
// this machine's Chromium takes before any of the page's own work.
const blank = mkdtempSync(join(tmpdir(), 'posfee-blank-'));
writeFileSync(join(blank, 'index.html'), '<!doctype html><meta charset="utf-8"><h1>blank</h1><script type="module" src="a.js"></script>');
writeFileSync(join(blank, 'a.js'), "for (const m of ['posfee:script-start', 'posfee:wasm-ready', 'posfee:first-quote']) performance.mark(m); document.body.dataset.ready = 'true';");

const { server, url } = await startServer(undefined, 0);
const { server: blankServer, url: blankUrl } = await startServer(blank, 0);
const browser = await launch();
const cold = [];
const warm = [];
const baseline = [];
async function load(context, target, samples) {
  const page = context.pages()[0] ?? (await context.newPage());
  if (page.url() === target) await page.reload();
  else await page.goto(target);
  await page.waitForSelector('body[data-ready="true"]');
  samples.push(await firstQuoteTiming(page));
}
try {
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext();
    await load(context, url, cold);
    await load(context, url, warm);
    await context.close();
    const blankContext = await browser.newContext();
    await load(blankContext, blankUrl, baseline);
    await blankContext.close();
  }
} finally {
  await browser.close();
  server.close();
  blankServer.close();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const row = (name, samples) => {
  const first = samples.map((s) => s.firstQuote);
  const after = samples.map((s) => s.sinceResponseEnd);
  const script = samples.map((s) => s.firstQuote - s.scriptStart);
  const wasm = samples.map((s) => s.wasmReady - s.scriptStart);
  const quote = samples.map((s) => s.firstQuote - s.wasmReady);
  const load = samples.map((s) => s.firstQuote - s.loadEventEnd);
  const f = (values) => median(values).toFixed(1);
  return `| ${name} | ${runs} | ${f(first)} (${Math.min(...first).toFixed(0)}–${Math.max(...first).toFixed(0)}) | ${f(after)} | ${f(script)} | ${f(wasm)} | ${f(quote)} | ${f(load)} |`;
};
console.log(`posfee_wasm_bg.wasm: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped (level 9)`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');
console.log('Medians in ms. "script" is the page\'s own script start (before: HTML parse, module loading).');
console.log('');
console.log('| page load | runs | first quote after navigation start (min–max) | after the HTML arrived | after script start | script → wasm ready | wasm ready → first quote | after the load event |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(row('cold (fresh profile, empty cache)', cold));
console.log(row('warm (reload: HTTP and code cache)', warm));
console.log(row('baseline: empty page, one module script', baseline));
