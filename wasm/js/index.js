// posfee for JavaScript: an ES module for browsers and Node that loads the WebAssembly core
// once (top-level await) and re-exports its functions. Money is always a string.
import init, { initSync } from './posfee_wasm.js';

const wasmUrl = new URL('./posfee_wasm_bg.wasm', import.meta.url);
const inNode = typeof process === 'object' && process?.versions?.node != null && typeof window === 'undefined';

if (inNode) {
  const { readFileSync } = await import('node:fs');
  initSync({ module: readFileSync(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export {
  presets,
  channels,
  quote,
  parseSchedule,
  presetToml,
  isBusinessDay,
  addBusinessDays,
  capThreshold,
  errorCodes,
} from './posfee_wasm.js';
