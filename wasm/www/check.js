// The "Check my statement" (对账) and "Compare offers" views. The statement checker is a second
// WebAssembly module (audit/, the `audit` build) loaded when one of these views is first opened;
// nothing is sent anywhere. Text from a file is only ever put in the page as text nodes
// (textContent, createTextNode, SVG <title> text): never as HTML. Amounts stay the core's strings.
import { money } from './i18n.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

let checker = null;
let loading = null;

/** Loads the statement checker once (audit/index.js instantiates its own module). */
export function loadChecker() {
  loading ??= import('./audit/index.js').then((module) => {
    checker = module;
    document.body.dataset.checker = 'ready';
    return module;
  });
  return loading;
}

let depositsLoading = null;

/** Loads the deposit check once (deposits/index.js: the statement checker's functions and
 * checkDeposits, a third module fetched only when a bank statement is given). */
export function loadDeposits() {
  depositsLoading ??= import('./deposits/index.js');
  return depositsLoading;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells, header = false) {
  const tr = document.createElement('tr');
  cells.forEach((text, index) => {
    const cell = element(header || index > 0 ? (header ? 'th' : 'td') : 'th', text);
    if (!header && index === 0) cell.scope = 'row';
    tr.append(cell);
  });
  return tr;
}

/** The core's label of a class (`{ name, nameZh, problem }`) by its name. */
function labelOf(labels, name) {
  return labels.find((label) => label.name === name);
}

/** A class for a table: its Chinese label and its name, the page's language first. */
function labelText(label, zh) {
  return zh ? `${label.nameZh} (${label.name})` : `${label.name.replaceAll('_', ' ')} (${label.nameZh})`;
}

function showError(box, error, texts) {
  const code = error && error.code;
  const where = [error && error.file, error && error.line && `line ${error.line}`, error && error.field].filter(Boolean).join(', ');
  box.textContent = `${(code && texts.codes[code]) || ''}${code ? ': ' : ''}${error && error.message ? error.message : String(error)}${where ? ` (${where})` : ''}`;
  box.hidden = false;
}

async function fileBytes(input) {
  const file = input.files && input.files[0];
  if (!file) return null;
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** A drop zone: a dropped file goes into the file input (and its change event). */
function dropZone(zone, input) {
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- the chart: daily effective rate per channel, plain SVG --------------------------------

const COLORS = ['#0b6bcb', '#b42318', '#067647', '#9e4a00', '#6941c6', '#0e7490', '#475467', '#c11574'];

/** A step line per channel: x = day, y = the core's rate text (a percentage; a position only). */
export function rateChart(container, dailyRates, texts, channelName) {
  container.replaceChildren();
  const points = dailyRates.filter((d) => /^-?\d+(\.\d+)?%$/.test(d.rate));
  if (points.length === 0) {
    container.append(element('p', texts.chartEmpty, 'hint'));
    return;
  }
  const days = [...new Set(points.map((d) => d.date))].sort();
  const channels = [...new Set(points.map((d) => d.channel))].sort();
  const rate = (d) => Number.parseFloat(d.rate);
  const top = Math.max(...points.map(rate)) * 1.15 || 1;
  const [width, height, left, bottom, pad] = [640, 260, 52, 28, 12];
  const x = (day) => left + (days.length === 1 ? (width - left - pad) / 2 : ((width - left - pad) * days.indexOf(day)) / (days.length - 1));
  const y = (value) => pad + (height - bottom - pad) * (1 - value / top);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', texts.chartTitle);
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  for (let k = 0; k <= 4; k += 1) {
    const value = (top * k) / 4;
    add('line', { x1: left, x2: width - pad, y1: y(value), y2: y(value), class: 'grid' });
    add('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'axis' }, `${value.toFixed(2)}%`);
  }
  for (const day of [days[0], days[days.length - 1]]) {
    add('text', { x: x(day), y: height - 8, 'text-anchor': day === days[0] ? 'start' : 'end', class: 'axis' }, day);
  }
  channels.forEach((channel, index) => {
    const series = points.filter((d) => d.channel === channel);
    let path = '';
    series.forEach((d, k) => {
      path += k === 0 ? `M${x(d.date)},${y(rate(d))}` : `H${x(d.date)}V${y(rate(d))}`;
    });
    const color = COLORS[index % COLORS.length];
    add('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 2, 'data-channel': channel });
    for (const d of series) {
      const dot = add('circle', { cx: x(d.date), cy: y(rate(d)), r: 3, fill: color });
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${channelName(channel)} ${d.date}: ${d.rate} (${d.trades}, ${money(d.fee)} / ${money(d.amount)})`;
      dot.append(title);
    }
    add('text', { x: left + 8 + (index % 4) * 140, y: pad + 12 + Math.floor(index / 4) * 14, fill: color, class: 'legend' }, channelName(channel));
  });
  container.append(svg);
}

/** Horizontal bars of the offers' total fees (the core's strings; lengths are positions only). */
function barChart(container, offers) {
  container.replaceChildren();
  const values = offers.map((o) => Number.parseFloat(o.total.fee));
  const top = Math.max(...values, 0) || 1;
  const [width, bar] = [640, 26];
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${offers.length * (bar + 8) + 8}`);
  svg.setAttribute('role', 'img');
  offers.forEach((offer, index) => {
    const yPos = 8 + index * (bar + 8);
    const rect = document.createElementNS(SVG, 'rect');
    for (const [k, v] of Object.entries({ x: 200, y: yPos, height: bar, width: Math.max(1, ((width - 320) * values[index]) / top), fill: COLORS[index % COLORS.length] })) rect.setAttribute(k, String(v));
    const label = document.createElementNS(SVG, 'text');
    for (const [k, v] of Object.entries({ x: 194, y: yPos + 18, 'text-anchor': 'end', class: 'axis' })) label.setAttribute(k, String(v));
    label.textContent = offer.offer;
    const value = document.createElementNS(SVG, 'text');
    for (const [k, v] of Object.entries({ x: 206 + ((width - 320) * values[index]) / top, y: yPos + 18, class: 'axis' })) value.setAttribute(k, String(v));
    value.textContent = money(offer.total.fee);
    svg.append(rect, label, value);
  });
  container.append(svg);
}

// ---- the check view --------------------------------------------------------------------

/** Sets up both views; `context` gives the calculator's API, texts, language and channel names. */
export function setUp(context) {
  let result = null;
  let deposits = null;
  let depositsError = null;
  let fileName = '';

  const presetSelect = $('check-preset');
  /** A preset's title in the page's language (from the core). */
  const presetTitle = (p) => (context.lang() === 'zh-CN' ? p.titleZh : p.title);
  const fillPresets = () => {
    const current = presetSelect.value || 'sft-traditional';
    const t = context.texts();
    presetSelect.replaceChildren(
      ...context.api().presets().map((p) => new Option(presetTitle(p) ? `${p.name} — ${presetTitle(p)}` : p.name, p.name)),
      new Option(t.customSchedule, '__custom'),
    );
    presetSelect.value = current;
  };
  presetSelect.addEventListener('change', () => {
    const custom = presetSelect.value === '__custom';
    $('check-schedule-field').hidden = !custom;
    if (custom && !$('check-schedule').value.trim()) $('check-schedule').value = context.api().presetToml('sft-traditional');
  });
  dropZone($('check-drop'), $('check-file'));
  dropZone($('offers-drop'), $('offers-file'));
  dropZone($('check-bank-drop'), $('check-bank'));
  $('check-file').addEventListener('change', () => run());
  // A bank statement given (or changed) after the statement: check again, with the deposits.
  $('check-bank').addEventListener('change', () => {
    loadDeposits();
    if ($('check-file').files && $('check-file').files[0]) run();
  });
  $('check-form').addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });

  async function run() {
    const t = context.texts();
    $('check-error').hidden = true;
    const statement = await fileBytes($('check-file'));
    if (!statement) {
      showError($('check-error'), new Error(t.noFile), t);
      return;
    }
    const ledger = await fileBytes($('check-ledger'));
    const bank = await fileBytes($('check-bank'));
    $('check-status').textContent = t.checking;
    // With a bank statement, the deposit check's module (it checks the statement too).
    const module = bank ? await loadDeposits() : await loadChecker();
    const started = performance.now();
    const request = {
      statement: statement.bytes,
      name: statement.name,
      format: 'auto',
      merchantNo: $('check-merchant').value.trim(),
      settlement: $('check-settlement').value,
      lang: context.lang() === 'zh-CN' ? 'zh' : 'en',
    };
    if (presetSelect.value === '__custom') request.schedule = $('check-schedule').value;
    else request.preset = presetSelect.value;
    if (ledger) {
      request.ledger = ledger.bytes;
      request.ledgerName = ledger.name;
    }
    try {
      result = module.checkStatement(request);
    } catch (error) {
      result = null;
      $('check-result').hidden = true;
      $('check-status').textContent = '';
      showError($('check-error'), error, t);
      document.body.dataset.checked = 'error';
      return;
    }
    fileName = statement.name.replace(/\.[^.]*$/, '');
    deposits = null;
    depositsError = null;
    if (bank) {
      try {
        deposits = module.checkDeposits({ statement: statement.bytes, name: statement.name, format: 'auto', bank: bank.bytes, bankName: bank.name, lang: request.lang });
      } catch (error) {
        depositsError = error;
      }
    }
    render();
    const ms = Math.round(performance.now() - started);
    performance.mark('posfee:checked', { detail: { ms } });
    $('check-status').textContent = t.checkedIn(result.statementRows, ms, result.format);
    $('check-status').dataset.ms = String(ms);
    document.body.dataset.checked = String(Number(document.body.dataset.checkedCount || 0) + 1);
    document.body.dataset.checkedCount = document.body.dataset.checked;
  }

  /** The deposit check (到账核对) when a bank statement was given: counts per class, findings. */
  function renderDeposits() {
    const t = context.texts();
    const zh = context.lang() === 'zh-CN';
    const panel = $('check-deposits');
    panel.hidden = !deposits && !depositsError;
    $('deposits-error').hidden = true;
    if (depositsError) showError($('deposits-error'), depositsError, t);
    $('deposits-overview').textContent = deposits ? t.depositsOverview({ ...deposits.summary, bankFormat: deposits.bankFormat }) : '';
    $('deposit-classes').tBodies[0].replaceChildren(
      ...(deposits ? deposits.classes : []).map((c) => {
        const label = labelOf(deposits.labels, c.class);
        const tr = row([labelText(label, zh), c.payouts, money(c.expected), money(c.difference), c.bankRows, money(c.bankAmount)]);
        tr.dataset.class = c.class;
        if (label.problem) tr.classList.add('problem');
        return tr;
      }),
    );
    const findings = deposits ? deposits.findings : [];
    $('deposit-findings').replaceChildren(
      ...(findings.length ? findings.map((f) => element('li', f[deposits.lang])) : deposits ? [element('li', t.noDepositFindings, 'hint')] : []),
    );
    $('deposit-warnings').replaceChildren(...(deposits ? deposits.summary.warnings : []).map((w) => element('li', w)));
  }

  function render() {
    if (!result) return;
    renderDeposits();
    const t = context.texts();
    const zh = context.lang() === 'zh-CN';
    const s = result.summary;
    $('check-overview').textContent = t.overview({
      rows: result.statementRows,
      amount: s.statementAmount,
      fee: s.statementFee,
      overcharge: s.overcharge,
      problems: result.problemRowsTotal,
      withLedger: result.withLedger,
    });
    $('check-overview').dataset.rows = String(result.statementRows);
    $('check-overview').dataset.fee = s.statementFee;
    $('check-overview').dataset.amount = s.statementAmount;
    $('check-overview').dataset.problems = String(result.problemRowsTotal);
    const className = (name) => labelText(labelOf(result.labels, name), zh);
    $('check-classes').tBodies[0].replaceChildren(
      ...result.classes.map((c) => {
        const rows = c.statementRows + c.unreadableRows;
        const tr = row([className(c.class), result.withLedger ? t.rowsBoth(rows, c.ledgerRows) : rows, money(c.statementAmount), money(c.statementFee), money(c.statementNet)]);
        tr.dataset.class = c.class;
        if (labelOf(result.labels, c.class).problem) tr.classList.add('problem');
        return tr;
      }),
    );
    const findings = s.findings;
    $('check-findings').replaceChildren(...(findings.length ? findings.map((f) => element('li', f[result.lang])) : [element('li', t.noFindings, 'hint')]));
    rateChart($('check-chart'), s.dailyRates, t, context.channelName);
    const classSelect = $('rows-class');
    const chosen = classSelect.value;
    classSelect.replaceChildren(
      new Option(t.allClasses, ''),
      ...result.classes.filter((c) => labelOf(result.labels, c.class).problem).map((c) => new Option(className(c.class), c.class)),
    );
    classSelect.value = [...classSelect.options].some((o) => o.value === chosen) ? chosen : '';
    renderRows();
    $('check-terminals').tBodies[0].replaceChildren(
      ...s.terminals.map((terminal) => {
        const tr = row([terminal.terminal, terminal.merchantNumbers.join(' / '), terminal.merchantNames.join(' / ')]);
        if (terminal.merchantNumbers.length > 1) tr.classList.add('problem');
        return tr;
      }),
    );
    $('check-result').hidden = false;
  }

  function renderRows() {
    if (!result) return;
    const t = context.texts();
    const zh = context.lang() === 'zh-CN';
    const wanted = $('rows-class').value;
    const search = $('rows-search').value.trim();
    let rows = result.problemRows.filter((r) => (!wanted || r.row.class === wanted) && (!search || r.keys.rrn.includes(search)));
    if ($('rows-sort').value === 'amount') {
      const fen = (text) => {
        const [whole, fraction = ''] = text.replace('-', '').split('.');
        const value = BigInt(whole + fraction.padEnd(5, '0').slice(0, 5));
        return text.startsWith('-') ? -value : value;
      };
      rows = [...rows].sort((a, b) => (fen(b.row.amount) > fen(a.row.amount) ? 1 : fen(b.row.amount) < fen(a.row.amount) ? -1 : a.row.line - b.row.line));
    }
    $('check-rows').tBodies[0].replaceChildren(
      ...rows.map(({ row: r, keys }) => {
        const label = labelOf(result.labels, r.class);
        // RFC 3339 in China time: the date and time as written on a statement.
        const time = keys.time === null ? '' : keys.time.slice(0, 19).replace('T', ' ');
        const tr = row([r.line, zh ? label.nameZh : r.class.replaceAll('_', ' '), keys.rrn, time, money(r.amount), r.fee === null ? '' : money(r.fee), r.expectedFee === null ? '' : money(r.expectedFee), r.reason]);
        tr.dataset.rrn = keys.rrn;
        return tr;
      }),
    );
    $('rows-count').textContent = t.rowsShown(rows.length, result.problemRowsTotal, result.problemRows.length);
  }
  for (const id of ['rows-class', 'rows-sort']) $(id).addEventListener('change', renderRows);
  $('rows-search').addEventListener('input', renderRows);

  $('dl-report').addEventListener('click', () => result && download(`${fileName}-report.csv`, result.reportCsv(), 'text/csv;charset=utf-8'));
  $('dl-dispute-html').addEventListener('click', () => result && download(`${fileName}-dispute.html`, result.disputeHtml(), 'text/html;charset=utf-8'));
  $('dl-dispute-csv').addEventListener('click', () => result && download(`${fileName}-dispute.csv`, result.disputeCsv(), 'text/csv;charset=utf-8'));

  // ---- the offers view -----------------------------------------------------------------

  let comparison = null;
  $('offers-file').addEventListener('change', () => compareOffers());
  $('offers-form').addEventListener('submit', (event) => {
    event.preventDefault();
    compareOffers();
  });

  async function compareOffers() {
    const t = context.texts();
    $('offers-error').hidden = true;
    const file = await fileBytes($('offers-file'));
    if (!file) {
      showError($('offers-error'), new Error(t.noFile), t);
      return;
    }
    const module = await loadChecker();
    try {
      let rows;
      let format = 'CSV';
      const head = new TextDecoder().decode(file.bytes.subarray(0, 4096)).split(/\r?\n/)[0].split(',').map((c) => c.trim());
      if (['amount', 'channel', 'time'].every((c) => head.includes(c))) {
        const [header, ...body] = module.parseCsv(new TextDecoder().decode(file.bytes)).filter((cells) => cells.some((cell) => cell.trim() !== ''));
        const at = (name) => header.findIndex((cell) => cell.trim() === name);
        rows = body.map((cells) => ({ amount: cells[at('amount')], channel: cells[at('channel')], time: cells[at('time')] }));
      } else {
        const read = module.statementTrades({ statement: file.bytes, name: file.name });
        rows = read.trades;
        format = read.format;
      }
      const offers = context.api().presets().map((p) => ({ preset: p.name }));
      if ($('offers-custom').value.trim()) offers.push({ schedule: $('offers-custom').value });
      comparison = module.compare({ rows, offers, onInvalid: 'report' });
      $('offers-status').textContent = t.tradesRead(rows.length, format);
      renderOffers();
      document.body.dataset.compared = 'true';
    } catch (error) {
      comparison = null;
      $('offers-result').hidden = true;
      showError($('offers-error'), error, t);
    }
  }

  function renderOffers() {
    if (!comparison) return;
    const t = context.texts();
    $('offers-table').tBodies[0].replaceChildren(
      ...comparison.offers.map((o) => {
        const tr = row([o.offer, o.total.trades, money(o.total.fee), o.total.effective_rate ?? '', money(o.difference)]);
        tr.dataset.offer = o.offer;
        tr.dataset.fee = o.total.fee;
        return tr;
      }),
    );
    barChart($('offers-chart'), comparison.offers);
    const months = [...new Set(comparison.offers.flatMap((o) => o.by_month.map((m) => m.key)))].sort();
    $('offers-months').tHead.replaceChildren(row([t.colPreset, ...months], true));
    $('offers-months').tBodies[0].replaceChildren(
      ...comparison.offers.map((o) => row([o.offer, ...months.map((key) => {
        const month = o.by_month.find((m) => m.key === key);
        return month ? money(month.fee) : '';
      })])),
    );
    $('offers-break-evens').replaceChildren(
      ...(comparison.break_evens.length ? comparison.break_evens.map((b) => element('li', t.breakEven({ ...b, channel: context.channelName(b.channel) }))) : [element('li', t.noBreakEven, 'hint')]),
    );
    $('offers-result').hidden = false;
  }

  return {
    fillPresets,
    /** Re-renders in the current language (the findings' language is chosen when checking: check again). */
    relabel() {
      fillPresets();
      if (result) {
        render();
        if ($('check-file').files && $('check-file').files[0]) run();
      }
      renderOffers();
    },
  };
}
