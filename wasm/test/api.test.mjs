// The JavaScript API under Node (node:test), against the built package in wasm/pkg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './throws.mjs';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as posfee from '../pkg/index.js';
import { jsonBuilt, tablesBuilt, tomlBuilt } from './builds.mjs';

const base = { preset: 'sft-traditional', amount: '5000', channel: 'debit', at: '2026-09-30T22:30:00+08:00', settlement: 'T1' };


test('presets lists every preset with its title', () => {
  const names = posfee.presets().map((p) => p.name);
  assert.deepEqual(names, ['sft-traditional', 'sft-esign', 'sft-smart', 'standard', 'standard-d0']);
  assert.ok(posfee.presets().every((p) => typeof p.title === 'string' && typeof p.titleZh === 'string'));
  // Both languages from the core's preset data (title, title_zh).
  const smart = posfee.presets().find((p) => p.name === 'sft-smart');
  assert.deepEqual([smart.title, smart.titleZh], ['Shengfutong smart POS (盛付通智能POS)', '盛付通智能POS']);
});

test('quote: debit capped at ¥20, settles after the National Day break', () => {
  const quote = posfee.quote(base);
  assert.equal(quote.fee, '20.00');
  assert.equal(quote.net, '4980.00');
  assert.equal(quote.settlesOn, '2026-10-08');
  assert.equal(quote.tradeDay, '2026-09-30');
  assert.equal(quote.capApplied, true);
  assert.equal(quote.rate, '0.55%');
  assert.deepEqual(quote.lines[0].limit, { kind: 'cap', value: '20.00' });
  assert.ok(quote.explanation.join('\n').includes('debit 0.55% of ¥5000.00 = ¥27.50, capped at ¥20.00'));
  for (const key of ['fee', 'net', 'amount', 'feeReturned']) assert.equal(typeof quote[key], 'string', key);
});

test('quote: ¥1 with a ¥3 D0 surcharge exceeds the amount', () => {
  const quote = posfee.quote({ ...base, preset: 'standard-d0', amount: '1', settlement: 'D0', at: '2026-05-06 10:00' });
  assert.equal(quote.fee, '3.01');
  assert.equal(quote.net, '-2.01');
  assert.equal(quote.feeExceedsAmount, true);
  assert.equal(quote.lines.at(-1).kind, 'surcharge');
});

test('quote: credit below the instant minimum falls back to T1', () => {
  const quote = posfee.quote({ ...base, preset: 'standard-d0', channel: 'credit', amount: '50', settlement: 'D0', at: '2026-05-06 10:00' });
  assert.equal(quote.settlement, 'T1');
  assert.equal(quote.instantMinimum, '100.00');
  assert.equal(quote.fee, '0.30');
});

test('quote: a custom schedule in TOML, merchant class and card type', () => {
  const schedule = posfee.presetToml('standard');
  const quote = posfee.quote({ schedule, amount: '1000.00', channel: 'debit', at: '2026-05-06', merchantClass: 'discounted' });
  assert.equal(quote.rule, 'discounted-debit');
  assert.equal(quote.fee, '4.00');
  const unionpay = posfee.quote({ preset: 'standard', amount: '2000', channel: 'unionpay_qr', at: '2026-05-06', cardType: 'credit' });
  assert.equal(unionpay.rule, 'unionpay-credit');
  assert.equal(unionpay.fee, '12.00');
});

test('amounts must be strings: a JS number is rejected with invalid_amount', () => {
  const error = throwsCode(() => posfee.quote({ ...base, amount: 1000 }), 'invalid_amount');
  assert.match(error.message, /string/);
  assert.equal(error.field, 'amount');
  throwsCode(() => posfee.quote({ ...base, amount: 0.1 }), 'invalid_amount');
  throwsCode(() => posfee.quote({ ...base, amount: '12.345' }), 'invalid_amount');
  throwsCode(() => posfee.quote({ ...base, amount: '-1' }), 'invalid_amount');
});

test('errors are Error objects with the core code and the field', () => {
  assert.equal(throwsCode(() => posfee.quote({ ...base, preset: 'nope' }), 'unknown_preset').field, 'preset');
  assert.equal(throwsCode(() => posfee.quote({ ...base, channel: 'visa' }), 'invalid_channel').field, 'channel');
  assert.equal(throwsCode(() => posfee.quote({ ...base, at: '2026-02-30' }), 'invalid_date').field, 'at');
  assert.equal(throwsCode(() => posfee.quote({ ...base, settlement: 'X9' }), 'invalid_settlement').field, 'settlement');
  throwsCode(() => posfee.quote({ ...base, schedule: 'name = "x"' }), 'invalid_request');
  throwsCode(() => posfee.quote({ amount: '1', channel: 'debit', at: '2026-05-06' }), 'invalid_request');
  throwsCode(() => posfee.quote({ ...base, unexpected: true }), 'invalid_request');
  throwsCode(() => posfee.quote(null), 'invalid_request');
  throwsCode(() => posfee.quote({ ...base, preset: 'sft-esign', channel: 'wechat' }), 'no_matching_rule');
  throwsCode(() => posfee.quote({ ...base, at: '2030-05-06' }), 'calendar_out_of_range');
  throwsCode(() => posfee.quote({ ...base, channel: 'credit', cardType: 'debit' }), 'invalid_request');
  assert.ok(posfee.errorCodes().includes('invalid_schedule'));
});

test('parseSchedule: a valid schedule as data, a bad one with line and column', () => {
  const info = posfee.parseSchedule(posfee.presetToml('standard-d0'));
  assert.equal(info.name, 'standard-d0');
  assert.deepEqual(info.rounding, { mode: 'half_up', scale: 2 });
  const debit = info.versions[0].rules.find((r) => r.id === 'debit');
  assert.equal(debit.cap, '20.00');
  assert.equal(info.versions[0].surcharges[0].fixed, '3.00');
  const error = throwsCode(() => posfee.parseSchedule('name = "broken"\nrate = [\n'), 'invalid_schedule');
  assert.deepEqual([error.line, error.column], [3, 1]);
  const unknown = throwsCode(() => posfee.parseSchedule(`bogus = 1\n${posfee.presetToml('standard')}`), 'invalid_schedule');
  assert.deepEqual([unknown.line, unknown.field], [1, 'schedule.bogus']);
  throwsCode(() => posfee.parseSchedule(posfee.presetToml('standard').replace('cap = "20"', 'cap = "-1"')), 'invalid_schedule');
  throwsCode(() => posfee.presetToml('nope'), 'unknown_preset');
});

test('Schedule: parsed once, quoted many times, the same answers as quote()', () => {
  const { preset, ...trade } = base;
  const traditional = posfee.Schedule.preset(preset);
  assert.deepEqual(traditional.quote(trade), posfee.quote(base));
  assert.deepEqual(traditional.capThreshold({ channel: 'debit', at: '2026-05-06' }), posfee.capThreshold({ preset, channel: 'debit', at: '2026-05-06' }));
  assert.deepEqual(traditional.info(), posfee.parseSchedule(posfee.presetToml(preset)));
  const custom = posfee.Schedule.parse(posfee.presetToml('standard'));
  assert.equal(custom.quote({ amount: '1000.00', channel: 'debit', at: '2026-05-06', merchantClass: 'discounted' }).fee, '4.00');
  // The object's requests do not name a schedule; errors name the field as quote()'s do.
  assert.equal(throwsCode(() => traditional.quote({ ...trade, preset: 'standard' }), 'invalid_request').field, 'preset');
  assert.equal(throwsCode(() => traditional.quote({ ...trade, amount: 5000 }), 'invalid_amount').field, 'amount');
  assert.equal(throwsCode(() => traditional.capThreshold({ channel: 'visa', at: '2026-05-06' }), 'invalid_channel').field, 'channel');
  assert.equal(throwsCode(() => posfee.Schedule.preset('nope'), 'unknown_preset').field, 'preset');
  const broken = throwsCode(() => posfee.Schedule.parse('name = "broken"\nrate = [\n'), 'invalid_schedule');
  assert.deepEqual([broken.line, broken.column, broken.field], [3, 1, 'schedule']);
  throwsCode(() => posfee.Schedule.preset(7), 'invalid_request');
  throwsCode(() => new posfee.Schedule(), 'invalid_request');
  // A restart of the module (after a trap) drops its memory: the object is parsed again.
  throwsCode(() => posfee.__forceTrapForTests(), 'internal');
  assert.deepEqual(traditional.quote(trade), posfee.quote(base));
  assert.equal(custom.quote({ amount: '1000.00', channel: 'debit', at: '2026-05-06' }).fee, '5.00');
  custom.free();
  assert.equal(custom.quote({ amount: '1000.00', channel: 'debit', at: '2026-05-06' }).fee, '5.00');
});

test('isBusinessDay and addBusinessDays follow the China calendar', () => {
  assert.equal(posfee.isBusinessDay('2026-10-01'), false); // National Day
  assert.equal(posfee.isBusinessDay('2026-10-10'), true); // make-up Saturday
  assert.equal(posfee.isBusinessDay('2026-10-11'), false); // Sunday
  assert.equal(posfee.addBusinessDays('2026-09-30', 1), '2026-10-08');
  assert.equal(posfee.addBusinessDays('2026-10-08', -1), '2026-09-30');
  throwsCode(() => posfee.addBusinessDays('2026-09-30', 1.5), 'invalid_request');
  throwsCode(() => posfee.isBusinessDay('not a date'), 'invalid_date');
  throwsCode(() => posfee.isBusinessDay('2099-01-01'), 'calendar_out_of_range');
});

test('capThreshold: where the debit cap starts, exact', () => {
  const traditional = posfee.capThreshold({ preset: 'sft-traditional', channel: 'debit', at: '2026-05-06' });
  assert.deepEqual(traditional, { rule: 'debit', rate: '0.55%', cap: '20.00', breakEven: '3636.3636', breakEvenExact: false, from: '3635.46' });
  assert.equal(posfee.quote({ ...base, amount: '3635.46', at: '2026-05-06' }).fee, '20.00');
  assert.equal(posfee.quote({ ...base, amount: '3635.45', at: '2026-05-06' }).fee, '19.99');
  const standard = posfee.capThreshold({ preset: 'standard', channel: 'debit', at: '2026-05-06' });
  assert.equal(standard.breakEven, '4000.0000');
  assert.equal(standard.breakEvenExact, true);
  assert.equal(posfee.capThreshold({ preset: 'standard', channel: 'credit', at: '2026-05-06' }), null);
});

test('without the holiday-cn feature, loadHolidays says so with a code; resetHolidays is a no-op', { skip: jsonBuilt && 'built with the holiday-cn feature' }, () => {
  const error = throwsCode(() => posfee.loadHolidays('{"year": 2027, "papers": ["x"], "days": []}'), 'invalid_request');
  assert.equal(error.field, 'holidays');
  assert.match(error.message, /holiday-cn/);
  assert.deepEqual(posfee.resetHolidays(), { firstYear: 2005, lastYear: 2026 });
});

test('calendarDataEnds: the last day of the holiday data in its last month (with a NOTE), null before', () => {
  const december = posfee.quote({ ...base, at: '2026-12-07 10:00' });
  assert.equal(december.calendarDataEnds, '2026-12-31');
  assert.ok(december.explanation.some((line) => line.startsWith('NOTE: the holiday data ends 2026-12-31')), december.explanation.join('\n'));
  const may = posfee.quote({ ...base, at: '2026-05-06 10:00' });
  assert.equal(may.calendarDataEnds, null);
  assert.ok(!may.explanation.some((line) => line.startsWith('NOTE:')));
});

test('a holiday-cn 2027 file loads: used by quotes and the calendar, kept across a restart, dropped by resetHolidays', { skip: !jsonBuilt && 'built without the holiday-cn feature' }, () => {
  // The shape of a holiday-cn year file (github.com/NateScarlet/holiday-cn); the days are an
  // illustration (New Year's Day 2027 is a Friday, off with the weekend), not the notice.
  const file = join(mkdtempSync(join(tmpdir(), 'posfee-holidays-')), '2027.json');
  writeFileSync(file, `${JSON.stringify({
    $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
    $id: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json',
    year: 2027,
    papers: ['https://www.gov.cn/example-2027-notice'],
    days: [
      { name: '元旦', date: '2027-01-01', isOffDay: true },
      { name: '元旦', date: '2027-01-02', isOffDay: true },
      { name: '元旦', date: '2027-01-03', isOffDay: true },
    ],
  }, null, 2)}\n`);
  const text = readFileSync(file, 'utf8');
  const yearEnd = { ...base, at: '2026-12-31 10:00' };
  throwsCode(() => posfee.quote(yearEnd), 'calendar_out_of_range');
  try {
    assert.deepEqual(posfee.loadHolidays(text), { firstYear: 2005, lastYear: 2027 });
    assert.deepEqual(posfee.calendarYears(), { firstYear: 2005, lastYear: 2027 });
    assert.equal(posfee.isBusinessDay('2027-01-01'), false);
    assert.equal(posfee.isBusinessDay('2027-01-04'), true);
    assert.equal(posfee.addBusinessDays('2026-12-31', 1), '2027-01-04');
    const quote = posfee.quote(yearEnd);
    assert.equal(quote.settlesOn, '2027-01-04');
    assert.equal(quote.settlesOnProvisional, false);
    assert.equal(quote.calendarDataEnds, null);
    // A bad file changes nothing.
    throwsCode(() => posfee.loadHolidays('{"year":2028,"papers":[],"days":[]}'), 'invalid_calendar');
    assert.equal(posfee.calendarYears().lastYear, 2027);
    // A trap restarts the module; the loaded year is loaded again.
    throwsCode(() => posfee.__forceTrapForTests(), 'internal');
    assert.equal(posfee.isBusinessDay('2027-01-01'), false, 'the loaded year survives a restart');
    assert.equal(posfee.quote(yearEnd).settlesOn, '2027-01-04');
  } finally {
    assert.deepEqual(posfee.resetHolidays(), { firstYear: 2005, lastYear: 2026 });
  }
  throwsCode(() => posfee.isBusinessDay('2027-01-01'), 'calendar_out_of_range');
  // An array of year files, as holiday-cn's combined data.
  try {
    assert.deepEqual(posfee.loadHolidays(`[${text}]`), { firstYear: 2005, lastYear: 2027 });
    throwsCode(() => posfee.__forcePanicForTests(), 'internal');
    assert.equal(posfee.addBusinessDays('2026-12-31', 1), '2027-01-04');
  } finally {
    posfee.resetHolidays();
  }
  assert.deepEqual(posfee.calendarYears(), { firstYear: 2005, lastYear: 2026 });
});

test('a posfee calendar TOML year loads (the holidays feature): used by the calendar until resetHolidays; a bad one names its line', { skip: !tomlBuilt && 'built without the holidays feature' }, () => {
  const year2027 = '[[years]]\nyear = 2027\nnotice = "test notice"\n[[years.holidays]]\nname_zh = "元旦"\nname_en = "New Year\'s Day"\nfirst = 2027-01-01\nlast = 2027-01-03\n';
  try {
    assert.deepEqual(posfee.loadHolidays(year2027), { firstYear: 2005, lastYear: 2027 });
    assert.equal(posfee.isBusinessDay('2027-01-01'), false);
    assert.equal(posfee.addBusinessDays('2026-12-31', 1), '2027-01-04');
    const gap = throwsCode(() => posfee.loadHolidays('[[years]]\nyear = 2029\nnotice = "gap"\n'), 'invalid_calendar');
    assert.equal(gap.field, 'holidays');
    const cut = throwsCode(() => posfee.loadHolidays('[[years]]\nyear = \n'), 'invalid_calendar');
    assert.equal(cut.line, 2);
    assert.equal(posfee.calendarYears().lastYear, 2027, 'a bad file changes nothing');
  } finally {
    assert.deepEqual(posfee.resetHolidays(), { firstYear: 2005, lastYear: 2026 });
  }
  throwsCode(() => posfee.isBusinessDay('2027-01-01'), 'calendar_out_of_range');
});

test('channels carry their Chinese names', () => {
  const debit = posfee.channels().find((c) => c.name === 'debit');
  assert.deepEqual(debit, { name: 'debit', nameZh: '借记卡', cardType: 'debit' });
  assert.equal(posfee.channels().length, 8);
});

test('no panic escapes on hostile input', () => {
  const inputs = [undefined, 42, 'text', [], { amount: {} }, { ...base, amount: '9'.repeat(400) }, { ...base, at: '' }, { ...base, settlement: 'T+99999' }];
  for (const input of inputs) {
    assert.throws(() => posfee.quote(input), (error) => error instanceof Error && typeof error.code === 'string');
  }
  assert.throws(() => posfee.parseSchedule('\u0000'.repeat(1000)), (error) => error.code === 'invalid_schedule');
  // Still alive after all of that.
  assert.equal(posfee.quote(base).fee, '20.00');
});

test("the README's JavaScript example runs and says what it claims", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README.md has a ```js block');
  const entry = new URL('../pkg/index.js', import.meta.url).href;
  const source = `${block.replace('./wasm/pkg/index.js', entry)}\nexport { q };\n`;
  const file = join(mkdtempSync(join(tmpdir(), 'posfee-readme-')), 'example.mjs');
  writeFileSync(file, source);
  const { q } = await import(pathToFileURL(file).href);
  for (const [, key, value] of block.matchAll(/q\.(\w+) === "([^"]*)"/g)) assert.equal(q[key], value, key);
});

test('the TypeScript declarations type-check a real use, and reject a number amount', () => {
  const tsc = fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url));
  const file = fileURLToPath(new URL('./types.ts', import.meta.url));
  // Throws (and shows the compiler's output) on any type error, including an unused @ts-expect-error.
  execFileSync(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,esnext.disposable,dom', '--module', 'nodenext', '--moduleResolution', 'nodenext', file], { stdio: 'pipe' });
});

test('seeded random requests: every call returns or throws an Error with a code (no panic)', () => {
  let seed = 20261122; // xorshift32: replay any failure from this seed
  const next = () => {
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed;
  };
  const pick = (values) => values[next() % values.length];
  const amounts = ['0', '0.01', '1', '99.99', '100', '1000', '1000.01', '3635.46', '999999999.99', '1000000000.01', '', ' ', '1e3', '¥1,000.50', '12.345', '-0', 'NaN', 1, 0.5, null];
  const channels = ['credit', 'debit', 'wechat', 'alipay', 'unionpay_qr', 'quickpass', 'huabei', 'jd_baitiao', '借记卡', 'visa', ''];
  const times = ['2026-09-30 22:30', '2026-02-14', '2026-12-31 23:59', '2016-09-05', '2005-01-01', '2027-01-04', '9999-12-31 23:59', 'yesterday', '2026-02-29'];
  const modes = ['T1', 'T0', 'D0', 'D1', 'S0', 'T+60', 'D61', 'X', '秒到', undefined];
  const presets = ['sft-traditional', 'sft-esign', 'sft-smart', 'standard', 'standard-d0', 'nope'];
  const classes = [undefined, 'discounted', 'waived', 'unknown'];
  const cards = [undefined, 'credit', 'debit', 'amex'];
  const seen = new Set();
  for (let i = 0; i < 3000; i += 1) {
    const request = { preset: pick(presets), amount: pick(amounts), channel: pick(channels), at: pick(times) };
    const settlement = pick(modes);
    if (settlement !== undefined) request.settlement = settlement;
    const merchantClass = pick(classes);
    if (merchantClass !== undefined) request.merchantClass = merchantClass;
    const cardType = pick(cards);
    if (cardType !== undefined) request.cardType = cardType;
    try {
      const quote = posfee.quote(request);
      assert.equal(typeof quote.fee, 'string');
      seen.add('ok');
    } catch (error) {
      assert.ok(error instanceof Error && typeof error.code === 'string', `request ${i} (seed 20261122): ${JSON.stringify(request)} threw ${error}`);
      seen.add(error.code);
    }
  }
  assert.ok(seen.has('ok') && seen.size > 5, [...seen].join(', '));
});

test('quoteMany: each row as quote() prices it, the canonical quoted columns', { skip: !tablesBuilt && 'built without the tables feature' }, () => {
  const rows = [
    { amount: '5000', channel: 'debit', time: '2026-09-30 22:30' },
    { amount: '1', channel: 'debit', time: '2026-05-06 10:00', settlement: 'D0' },
    { amount: '50', channel: 'credit', time: '2026-05-06 10:00', settlement: 'D0' },
    { amount: '2000', channel: 'unionpay_qr', time: '2026-05-06 10:00', card_type: 'debit' },
    { amount: '100', channel: 'debit', time: '2026-05-06 10:00', merchant_class: 'discounted' },
  ];
  const quoted = posfee.quoteMany({ preset: 'standard-d0', rows });
  assert.deepEqual(Object.keys(quoted[0]), ['fee', 'net', 'rule', 'limit', 'settlement_applied', 'trade_day', 'settles_on', 'warnings', 'error']);
  rows.forEach((row, k) => {
    const one = posfee.quote({ preset: 'standard-d0', amount: row.amount, channel: row.channel, at: row.time, settlement: row.settlement, cardType: row.card_type, merchantClass: row.merchant_class });
    assert.equal(quoted[k].fee, one.fee, `row ${k}`);
    assert.equal(quoted[k].net, one.net);
    assert.equal(quoted[k].rule, one.rule);
    assert.equal(quoted[k].settles_on, one.settlesOn);
    assert.equal(quoted[k].settlement_applied, one.settlement);
  });
  assert.equal(quoted[1].warnings, 'fee_exceeds_amount');
  assert.equal(quoted[2].warnings, 'settlement_fell_back');
  const reported = posfee.quoteMany({ preset: 'standard', rows: [rows[0], { ...rows[0], amount: '-1' }], onInvalid: 'report' });
  assert.equal(reported[1].fee, '');
  assert.match(reported[1].error, /^invalid_amount: row 1: /);
});

test('quoteCsv: the CSV text with the quoted columns added', { skip: !tablesBuilt && 'built without the tables feature' }, () => {
  const csv = 'id,amount,channel,time\r\nA1,5000,debit,2026-09-30 22:30\r\nA2,"1,000.50",credit,2026-05-06 10:00\r\n';
  const { columns, rows } = posfee.quoteCsv({ preset: 'sft-traditional', csv });
  assert.deepEqual(columns.slice(0, 6), ['id', 'amount', 'channel', 'time', 'fee', 'net']);
  assert.deepEqual(rows[0].slice(0, 6), ['A1', '5000', 'debit', '2026-09-30 22:30', '20.00', '4980.00']);
  assert.equal(rows[1][4], '6.00');
});

test('compare: totals, differences and break-evens as the command line prints them', { skip: !tablesBuilt && 'built without the tables feature' }, () => {
  const rows = [
    { amount: '5000', channel: 'debit', time: '2026-05-06 10:00' },
    { amount: '1000', channel: 'debit', time: '2026-05-07 10:00' },
    { amount: '100', channel: 'credit', time: '2026-05-29 10:00' },
    { amount: '8000', channel: 'credit', time: '2026-06-02 10:00' },
    { amount: '20', channel: 'wechat', time: '2026-06-03 10:00' },
  ];
  const result = posfee.compare({ rows, offers: [{ preset: 'sft-traditional' }, { preset: 'sft-smart' }, { preset: 'standard-d0', settlement: 'D0' }] });
  assert.deepEqual(result.offers.map((o) => o.total.fee), ['74.18', '73.68', '88.68']);
  assert.equal(result.offers[1].difference, '-0.50');
  assert.equal(result.offers[0].by_month[1].key, '2026-06');
  assert.deepEqual(result.break_evens, []);
  const plus3 = 'name = "plus3"\n[rounding]\nmode = "half_up"\nscale = 2\n[[versions]]\neffective_from = "2026-01-01"\n[[versions.rules]]\nid = "credit"\nchannels = ["credit"]\nrate = "0.6%"\n[[versions.surcharges]]\nid = "d0"\nmodes = ["D0"]\nfixed = "3"\n';
  const higher = 'name = "higher"\n[rounding]\nmode = "half_up"\nscale = 2\n[[versions]]\neffective_from = "2026-01-01"\n[[versions.rules]]\nid = "credit"\nchannels = ["credit"]\nrate = "0.68%"\n';
  const golden = posfee.compare({ rows: [rows[2]], offers: [{ schedule: plus3, settlement: 'D0' }, { schedule: higher }] });
  assert.deepEqual(golden.break_evens, [{ channel: 'credit', cheaper_below: 'higher', cheaper_above: 'plus3@D0', below: '3738.97', from: '3761.03', exact: true }]);
});
