// The shipped sample statements (one per format folder of core/tests/formats) and the core's
// numbers for them, run natively (wasm/examples/audit_expected.rs), for the Node and Chromium
// tests of the statement checker.
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const formats = join(ROOT, 'core', 'tests', 'formats');

/** Every shipped sample statement, sorted. */
export const SAMPLES = readdirSync(formats, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => readdirSync(join(formats, entry.name)).filter((name) => name.startsWith('sample.')).map((name) => join(formats, entry.name, name)))
  .sort();

/** The registered merchant number the tests check against. */
export const MERCHANT = '102310058120001';

/** The core's numbers for `files` checked alone against `standard` (cargo; the build is cached). `simulate`: [rows, path] written first. */
export function expectedNumbers(files = SAMPLES, simulate = null) {
  const extra = simulate ? ['--simulate', String(simulate[0]), simulate[1]] : [];
  const out = execFileSync(
    'cargo',
    ['run', '-q', '-p', 'posfee-wasm', '--features', 'audit', '--example', 'audit_expected', '--', '--preset', 'standard', '--merchant-no', MERCHANT, ...extra, ...files],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  return JSON.parse(out);
}

/**
 * A seeded statement and the bank statement beside it (deposit faults injected), written to
 * `statement` and `bank`, and the core's deposit check of the two files run natively.
 */
export function expectedDeposits(statement, bank, seed = 4) {
  const out = execFileSync(
    'cargo',
    ['run', '-q', '-p', 'posfee-wasm', '--features', 'audit', '--example', 'audit_expected', '--', '--simulate-deposits', String(seed), statement, bank, '--deposits', statement, bank],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return JSON.parse(out).deposits;
}
