// Shared by the end-to-end test and the load-time benchmark: Debian's Chromium through
// playwright-core (no browser download), with the flags that keep it off the network.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path)) || '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A fresh headless Chromium (playwright gives each launch a fresh profile directory). */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** Records the page's console errors, uncaught errors and requests (URLs) as they happen. */
export function watch(page) {
  const errors = [];
  const requests = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => requests.push(request.url()));
  return { errors, requests };
}

/** The first-quote timing of a loaded page, in ms since navigation start. */
export function firstQuoteTiming(page) {
  return page.evaluate(() => {
    const mark = performance.getEntriesByName('posfee:first-quote')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return {
      firstQuote: mark.startTime,
      responseEnd: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      loadEventEnd: nav.loadEventEnd,
      sinceResponseEnd: mark.startTime - nav.responseEnd,
      scriptStart: at('posfee:script-start'),
      wasmReady: at('posfee:wasm-ready'),
    };
  });
}
