// The fee calculator page: reads the form, asks the WebAssembly core, shows the answer.
// No fee rule lives here. Amounts stay strings from the input box to the core and back;
// the only arithmetic in JS is BigInt comparison of fees to mark the cheapest preset.
import { LANGS, TEXTS, money } from './i18n.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_PRESET = 'sft-traditional';
const FIELDS = ['preset', 'schedule', 'channel', 'amount', 'at', 'settlement', 'merchantClass', 'cardType', 'limits'];

let api = null;
let lang = pickLanguage();
let firstQuoteShown = false;
let scheduleTimer = 0;

function pickLanguage() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (LANGS.includes(asked)) return asked;
  try {
    const saved = localStorage.getItem('posfee.lang');
    if (LANGS.includes(saved)) return saved;
  } catch { /* storage may be disabled */ }
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const t = () => TEXTS[lang];

function showFatal(error) {
  const box = $('fatal');
  box.textContent = t().fatal + (error && error.message ? error.message : String(error));
  box.hidden = false;
  $('loading').hidden = true;
}

window.addEventListener('error', (event) => showFatal(event.error || event.message));
window.addEventListener('unhandledrejection', (event) => showFatal(event.reason));

// ---- language -------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const text = t()[node.dataset.i18n];
    if (typeof text === 'string') node.textContent = text;
  }
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    const text = t()[node.dataset.i18nPlaceholder];
    if (typeof text === 'string') node.placeholder = text;
  }
  for (const button of document.querySelectorAll('.lang button')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  if (views) views.relabel();
  document.title = `posfee · ${t().title}`;
  if (api) {
    fillChannels();
    if (presetList) fillPresets();
    update();
  }
  const mark = performance.getEntriesByName('posfee:first-quote')[0];
  if (mark) $('timing').textContent = t().firstQuote(Math.round(mark.startTime));
}

function setLanguage(next) {
  lang = next;
  try { localStorage.setItem('posfee.lang', next); } catch { /* ignore */ }
  applyLanguage();
}

// ---- form -----------------------------------------------------------------------------

function channelLabel(name) {
  const info = api.channels().find((c) => c.name === name);
  if (!info) return name;
  return lang === 'zh-CN' ? info.nameZh : name.replace('_', ' ');
}

function fillChannels() {
  const select = $('channel');
  const current = select.value || 'debit';
  select.replaceChildren(...api.channels().map((c) => new Option(lang === 'zh-CN' ? `${c.nameZh} (${c.name})` : `${c.name.replace('_', ' ')} (${c.nameZh})`, c.name)));
  select.value = current;
}

let presetList = null;

/** The presets with their titles (parsing every preset: done after the first quote). */
function presets() {
  presetList ??= api.presets();
  return presetList;
}

/** A preset's title in the page's language (from the core: the schedule's `title_zh` or `title`). */
const presetTitle = (p) => (lang === 'zh-CN' ? p.titleZh : p.title);

function fillPresets() {
  const select = $('preset');
  const current = select.value || DEFAULT_PRESET;
  select.replaceChildren(...presets().map((p) => new Option(presetTitle(p) ? `${p.name} — ${presetTitle(p)}` : p.name, p.name)));
  select.value = current;
}

function source() {
  return document.querySelector('input[name="source"]:checked').value;
}

function readForm() {
  const request = {
    amount: $('amount').value,
    channel: $('channel').value,
    at: `${$('date').value} ${$('time').value || '00:00'}`,
    settlement: $('settlement').value,
  };
  if (!$('date').value) request.at = '';
  if ($('merchant-class').value) request.merchantClass = $('merchant-class').value;
  if ($('card-type').value) request.cardType = $('card-type').value;
  // The merchant's registered limits and hours (the core's presets and checks): warnings only.
  const hours = $('business-hours').value.trim();
  if (hours) request.limits = { preset: $('limits').value || undefined, business_hours: hours };
  else if ($('limits').value) request.limits = $('limits').value;
  return request;
}

/** Schedules parsed once: every preset by name, and the custom TOML text last parsed. */
const presetSchedules = new Map();
let customSchedule = { text: null, schedule: null };

function presetSchedule(name) {
  if (!presetSchedules.has(name)) presetSchedules.set(name, api.Schedule.preset(name));
  return presetSchedules.get(name);
}

/** The schedule the form names (throws the core's error, with its field, when it cannot be parsed). */
function scheduleChoice() {
  if (source() === 'preset') return presetSchedule($('preset').value);
  const text = $('schedule').value;
  if (customSchedule.text !== text) customSchedule = { text, schedule: api.Schedule.parse(text) };
  return customSchedule.schedule;
}

// ---- errors ---------------------------------------------------------------------------

function clearErrors() {
  for (const field of FIELDS) {
    const span = $(`${field}-error`);
    if (span) span.textContent = '';
  }
  for (const node of document.querySelectorAll('.invalid')) node.classList.remove('invalid');
  $('general-error').hidden = true;
}

const INPUT_OF = { at: 'date', merchantClass: 'merchant-class', cardType: 'card-type', limits: 'business-hours' };

function showError(error) {
  const code = error && error.code;
  const text = `${(code && t().codes[code]) || ''}${code ? ': ' : ''}${error && error.message ? error.message : String(error)}`;
  const field = typeof error.field === 'string' ? error.field.split(/[.[]/)[0] : '';
  const span = FIELDS.includes(field) ? $(`${field}-error`) : null;
  if (span) {
    span.textContent = text;
    const input = $(INPUT_OF[field] || field);
    if (input) input.classList.add('invalid');
  } else {
    $('general-error').textContent = text;
    $('general-error').hidden = false;
  }
  for (const id of ['fee', 'net', 'settles-on', 'trade-day']) $(id).textContent = '—';
  $('summary').textContent = '';
  $('cap-info').textContent = '';
  $('explanation').replaceChildren();
  $('warning').hidden = true;
  $('limit-warnings').hidden = true;
  $('notice').hidden = true;
}

// ---- result ---------------------------------------------------------------------------

function weekday(date) {
  const [y, m, d] = date.split('-').map(Number);
  return t().weekdays[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

function summary(quote) {
  let text = '';
  for (const line of quote.lines) {
    if (line.kind === 'rate') {
      text += `${channelLabel(quote.channel)} ${line.rate}`;
      if (line.limit) text += line.limit.kind === 'cap' ? t().capped(line.limit.value) : t().floored(line.limit.value);
    } else if (line.kind === 'fixed') {
      text += t().fixedFee(line.amount);
    } else if (line.kind === 'surcharge') {
      text += t().surcharge(quote.settlement, line.amount);
    }
  }
  return text;
}

function showQuote(quote) {
  $('fee').textContent = money(quote.fee);
  $('net').textContent = money(quote.net);
  $('settles-on').textContent = `${quote.settlesOn} (${weekday(quote.settlesOn)})${quote.settlesOnProvisional ? t().provisional : ''}`;
  $('trade-day').textContent = `${quote.tradeDay} (${weekday(quote.tradeDay)})`;
  $('net').classList.toggle('negative', quote.net.startsWith('-'));
  $('summary').textContent = summary(quote);
  $('explanation').replaceChildren(...(lang === 'zh-CN' ? quote.explanationZh : quote.explanation).map((line) => {
    const item = document.createElement('li');
    item.textContent = line;
    return item;
  }));
  $('warning').hidden = !quote.feeExceedsAmount;
  if (quote.feeExceedsAmount) $('warning').textContent = t().exceeds(quote);
  $('notice').hidden = !quote.instantMinimum;
  if (quote.instantMinimum) $('notice').textContent = t().fallback(quote);
  // The core's warnings, in the page's language (each comes in Chinese and English).
  $('limit-warnings').replaceChildren(...quote.limitWarnings.map((warning) => {
    const item = document.createElement('li');
    item.textContent = lang === 'zh-CN' ? warning.zh : warning.en;
    return item;
  }));
  $('limit-warnings').hidden = quote.limitWarnings.length === 0;
}

function showCap(request) {
  const { amount, settlement, limits, ...rest } = request;
  try {
    const cap = scheduleChoice().capThreshold(rest);
    const channel = channelLabel(request.channel);
    $('cap-info').textContent = cap ? t().capInfo(cap, channel) : t().noCap(channel);
  } catch {
    $('cap-info').textContent = '';
  }
}

/** Fee text as an integer count of 10⁻⁵ yuan (exact, BigInt), for comparison only. */
function feeUnits(text) {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(5, '0'));
}

function showComparison(request) {
  const rows = [];
  const quotes = [];
  for (const preset of presets()) {
    const row = document.createElement('tr');
    row.dataset.preset = preset.name;
    const cells = [preset.name];
    try {
      const quote = presetSchedule(preset.name).quote(request);
      quotes.push([quote, row]);
      cells.push(quote.rule, quote.rate, money(quote.fee), money(quote.net), quote.settlesOn);
    } catch (error) {
      cells.push(`${t().notPriced}: ${t().codes[error.code] || error.code || error.message}`, '', '', '', '');
      row.classList.add('unpriced');
    }
    cells.forEach((text, index) => {
      const cell = document.createElement(index === 0 ? 'th' : 'td');
      cell.textContent = text;
      if (index === 0) cell.scope = 'row';
      row.append(cell);
    });
    if (source() === 'preset' && preset.name === $('preset').value) {
      row.classList.add('current');
      row.cells[0].append(` (${t().current})`);
    }
    rows.push(row);
  }
  const distinct = new Set(quotes.map(([quote]) => quote.fee));
  if (distinct.size > 1) {
    const lowest = quotes.reduce((low, entry) => (feeUnits(entry[0].fee) < low ? feeUnits(entry[0].fee) : low), feeUnits(quotes[0][0].fee));
    for (const [quote, row] of quotes) {
      if (feeUnits(quote.fee) === lowest) {
        row.classList.add('cheapest');
        row.cells[3].append(` ✓ ${t().cheapest}`);
      }
    }
  }
  $('compare-body').replaceChildren(...rows);
}

function update() {
  if (!api) return;
  clearErrors();
  const request = readForm();
  let quote = null;
  try {
    quote = scheduleChoice().quote(request);
    showQuote(quote);
  } catch (error) {
    showError(error);
  }
  if (!firstQuoteShown) {
    // The first quote is on screen: mark it, then fill in the rest in a later task so that
    // the comparison (which parses every preset) never delays it.
    firstQuoteShown = true;
    performance.mark('posfee:first-quote');
    setTimeout(() => {
      fillPresets();
      if (quote) showCap(request);
      showComparison(request);
      $('timing').textContent = t().firstQuote(Math.round(performance.getEntriesByName('posfee:first-quote')[0].startTime));
      document.body.dataset.ready = 'true';
      registerServiceWorker();
    }, 0);
    return;
  }
  if (quote) showCap(request);
  showComparison(request);
}

/** Shows the preset list or the TOML box, whichever the radio (possibly restored by the browser) says. */
function showSourceFields() {
  const custom = source() === 'custom';
  $('schedule-field').hidden = !custom;
  $('preset-field').hidden = custom;
  return custom;
}

function onSourceChange() {
  const custom = showSourceFields();
  if (custom && !$('schedule').value.trim()) $('schedule').value = api.presetToml($('preset').value);
  update();
}

function registerServiceWorker() {
  if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
    navigator.serviceWorker.register('sw.js').catch(() => { /* offline support is optional */ });
  }
}

// ---- views: the calculator, "Check my statement", "Compare offers" ----------------------

let views = null;
let viewsLoading = null;

/** The statement views' script and checker module, loaded the first time one is opened. */
function loadViews() {
  viewsLoading ??= import('./check.js').then(async (module) => {
    views = module.setUp({ api: () => api, texts: t, lang: () => lang, channelName: channelLabel });
    views.fillPresets();
    await module.loadChecker();
    return views;
  });
  return viewsLoading;
}

function showView() {
  const name = ['check', 'offers'].includes(location.hash.slice(1)) ? location.hash.slice(1) : 'calc';
  for (const view of ['calc', 'check', 'offers']) {
    $(`view-${view}`).hidden = view !== name;
    $(`tab-${view}`).setAttribute('aria-current', view === name ? 'page' : 'false');
  }
  if (name !== 'calc' && api) {
    $(`${name}-status`).textContent = views ? '' : t().loadingChecker;
    loadViews().then(() => { $(`${name}-status`).textContent = ''; }).catch(showFatal);
  }
}
window.addEventListener('hashchange', showView);

// ---- start ----------------------------------------------------------------------------

for (const button of document.querySelectorAll('.lang button')) {
  button.addEventListener('click', () => setLanguage(button.dataset.lang));
}
applyLanguage();
performance.mark('posfee:script-start');

try {
  // The page instantiates the module that index.html started compiling; other users of the
  // package import pkg/index.js, which does the same on its own.
  // guard.js: the package's checked API, which also restarts the module if it ever traps.
  const [bindings, { guard }] = await Promise.all([import('./pkg/posfee_wasm.js'), import('./pkg/guard.js')]);
  const compiled = await window.posfeeWasm;
  await bindings.default({ module_or_path: compiled ?? new URL('pkg/posfee_wasm_bg.wasm', location.href) });
  api = guard(bindings);
  performance.mark('posfee:wasm-ready');
} catch (error) {
  showFatal(error);
}

if (api) {
  $('loading').hidden = true;
  $('preset').replaceChildren(new Option(DEFAULT_PRESET, DEFAULT_PRESET));
  showSourceFields();
  fillChannels();
  $('channel').value = 'debit';
  const form = $('form');
  form.addEventListener('input', (event) => {
    if (event.target.id === 'schedule') {
      clearTimeout(scheduleTimer);
      scheduleTimer = setTimeout(update, 120);
    } else if (event.target.name !== 'source') {
      update();
    }
  });
  form.addEventListener('change', (event) => {
    if (event.target.name === 'source') onSourceChange();
    else if (event.target.id !== 'schedule') update();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  $('load-preset').addEventListener('click', () => {
    $('schedule').value = api.presetToml($('preset').value);
    update();
  });
  update();
  showView();
}
