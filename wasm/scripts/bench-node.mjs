// The JS API under Node: module load (compile + instantiate), the first quote (parses the
// calendar and the preset), then steady-state quotes per second.
// Usage: node wasm/scripts/bench-node.mjs
const t0 = performance.now();
const posfee = await import('../pkg/index.js');
const t1 = performance.now();
const request = { preset: 'sft-traditional', amount: '5000', channel: 'debit', at: '2026-09-30T22:30:00+08:00', settlement: 'T1' };
posfee.quote(request);
const t2 = performance.now();
const n = 20000;
for (let i = 0; i < 1000; i += 1) posfee.quote(request);
const t3 = performance.now();
for (let i = 0; i < n; i += 1) posfee.quote(request);
const t4 = performance.now();
const perQuote = ((t4 - t3) * 1000) / n;
console.log('| measure | value |');
console.log('|---|---|');
console.log(`| module load (read, compile, instantiate) | ${(t1 - t0).toFixed(1)} ms |`);
console.log(`| first quote (parses the calendar and the preset) | ${(t2 - t1).toFixed(1)} ms |`);
console.log(`| steady-state quote, preset cached, incl. JS conversion | ${perQuote.toFixed(1)} µs (${Math.round(1e6 / perQuote)} quotes/s) |`);
