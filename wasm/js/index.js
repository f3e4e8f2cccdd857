// posfee for JavaScript: an ES module for browsers and Node that loads the WebAssembly core
// once (top-level await) and exports the guarded API of guard.js (argument checks, own
// properties only, every error an Error with `code`, recovery if the module ever traps).
// Money is always a string.
import init, { initSync } from './posfee_wasm.js';
import * as bindings from './posfee_wasm.js';
import { guard } from './guard.js';

/** The CSV reader of quoteCsv: text → rows of cells (RFC 4180 quoting). */
export { parseCsv } from './guard.js';

const wasmUrl = new URL('./posfee_wasm_bg.wasm', import.meta.url);
const inNode = typeof process === 'object' && process?.versions?.node != null && typeof window === 'undefined';

if (inNode) {
  const { readFileSync } = await import('node:fs');
  initSync({ module: readFileSync(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export const {
  Schedule,
  presets,
  channels,
  quote,
  quoteMany,
  quoteCsv,
  compare,
  checkStatement,
  checkDeposits,
  statementTrades,
  parseSchedule,
  presetToml,
  isBusinessDay,
  addBusinessDays,
  capThreshold,
  loadHolidays,
  resetHolidays,
  calendarYears,
  errorCodes,
  __forcePanicForTests,
  __forceTrapForTests,
} = guard(bindings);
