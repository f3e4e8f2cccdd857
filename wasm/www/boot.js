// Fetch and compile the calculator's WebAssembly while the rest of the page loads (app.js
// instantiates it). A file of its own: the page's Content-Security-Policy forbids inline script.
window.posfeeWasm = typeof WebAssembly === 'object' && WebAssembly.compileStreaming
  ? WebAssembly.compileStreaming(fetch('pkg/posfee_wasm_bg.wasm')).catch(() => null) : null;
