// The calculator page's first load: its WebAssembly module within 150 KB gzipped (issue 18
// part 5), measured as this budget has always been recorded (BENCHMARKS.md, `make wasm`):
// `gzip -9`. Node's zlib at level 9 gzips this module about 1% larger (both are printed on
// failure). The statement checker's own budget (600 KB, loaded on demand) is checked in
// audit.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';

/** The budget in bytes of gzipped wasm (150,000, as in BENCHMARKS.md). */
export const CALCULATOR_GZIP_BYTES_MAX = 150_000;

test('the calculator module the page loads first is within its 150 KB gzipped budget', () => {
  const glue = readFileSync(new URL('../www/pkg/posfee_wasm.js', import.meta.url), 'utf8');
  // The default build only: the optional features (tables, holiday-cn) are over the budget by design.
  for (const name of ['quoteMany', 'loadHolidayCn', 'checkStatement']) {
    assert.ok(!glue.includes(`export function ${name}(`), `wasm/www/pkg is not the default build (it has ${name}): run make wasm first`);
  }
  const wasm = readFileSync(new URL('../www/pkg/posfee_wasm_bg.wasm', import.meta.url));
  assert.deepEqual(wasm, readFileSync(new URL('../pkg/posfee_wasm_bg.wasm', import.meta.url)), 'the page serves the package module');
  const gzipped = execFileSync('gzip', ['-9', '-c'], { input: wasm, maxBuffer: 64 << 20 }).length;
  const zlib = gzipSync(wasm, { level: 9 }).length;
  assert.ok(gzipped <= CALCULATOR_GZIP_BYTES_MAX, `${gzipped} bytes with gzip -9 (${zlib} with zlib level 9, ${wasm.length} raw): over the ${CALCULATOR_GZIP_BYTES_MAX}-byte budget`);
});
