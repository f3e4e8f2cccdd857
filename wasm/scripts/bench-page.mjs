// Measures the fee calculator page in headless Chromium: how long after navigation start the
// first quote is on screen (performance mark `posfee:first-quote`), cold (fresh profile, no
// cache) and warm (reload: HTTP cache and compiled-code cache), and the .wasm size.
// Usage: node wasm/scripts/bench-page.mjs [runs]   (prints a Markdown table)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { startServer } from './serve.mjs';
import { firstQuoteTiming, launch } from '../test/browser.mjs';

const runs = Number(process.argv[2] ?? 15);
const wasm = readFileSync(new URL('../www/pkg/posfee_wasm_bg.wasm', import.meta.url));
const { server, url } = await startServer(undefined, 0);
const browser = await launch();
const cold = [];
const warm = [];
try {
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    cold.push(await firstQuoteTiming(page));
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    warm.push(await firstQuoteTiming(page));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const row = (name, samples) => {
  const first = samples.map((s) => s.firstQuote);
  const after = samples.map((s) => s.sinceResponseEnd);
  return `| ${name} | ${runs} | ${median(first).toFixed(1)} | ${Math.min(...first).toFixed(1)} | ${Math.max(...first).toFixed(1)} | ${median(after).toFixed(1)} |`;
};
console.log(`posfee_wasm_bg.wasm: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped (level 9)`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');
console.log('| page load | runs | first quote, median ms | min | max | after the HTML arrived, median ms |');
console.log('|---|---|---|---|---|---|');
console.log(row('cold (fresh profile)', cold));
console.log(row('warm (reload)', warm));
