// The bad-input catalogue of the JavaScript API (issue 10): one row per input, with the
// expected error `code` and, where the error has one, the expected location (`field`,
// `line`, `column`). Every error must be an Error whose code is one of errorCodes() or
// "internal", and the module must answer a valid quote after each row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as posfee from '../pkg/index.js';
import { jsonBuilt, tablesBuilt, tomlBuilt } from './builds.mjs';

const base = { preset: 'sft-traditional', amount: '5000', channel: 'debit', at: '2026-09-30T22:30:00+08:00', settlement: 'T1' };
const standard = { preset: 'standard', amount: '1000', channel: 'debit', at: '2026-05-06 10:00' };
const capBase = { preset: 'sft-traditional', channel: 'debit', at: '2026-05-06' };
const { preset: _preset, ...noSchedule } = standard;
const toml = posfee.presetToml('standard');
const deep = (levels) => `a = ${'['.repeat(levels)}${']'.repeat(levels)}`;
const withoutPreset = (fields) => ({ ...noSchedule, ...fields });
/** A holiday-cn year file (the community format) with the given days, as JSON text. */
const holidayCn = (year, days, papers = ['https://www.gov.cn/example']) => JSON.stringify({ year, papers, days });
const newYear2027 = [{ name: '元旦', date: '2027-01-01', isOffDay: true }];
const trade = { amount: '100', channel: 'credit', time: '2026-05-06 10:00' };
const many = (rows, fields = {}) => posfee.quoteMany({ preset: 'sft-traditional', rows, ...fields });

/** [name, call, code, location] — location: { field, line, column } as far as expected. */
const CASES = [
  // amounts: strings only, exact decimals, in range
  ['amount as a JS number', () => posfee.quote({ ...base, amount: 1000 }), 'invalid_amount', { field: 'amount' }],
  ['amount as a float', () => posfee.quote({ ...base, amount: 0.1 }), 'invalid_amount', { field: 'amount' }],
  ['amount as a BigInt', () => posfee.quote({ ...base, amount: 1000n }), 'invalid_amount', { field: 'amount' }],
  ['amount as NaN', () => posfee.quote({ ...base, amount: NaN }), 'invalid_amount', { field: 'amount' }],
  ['amount as a boolean', () => posfee.quote({ ...base, amount: true }), 'invalid_amount', { field: 'amount' }],
  ['amount as an object', () => posfee.quote({ ...base, amount: {} }), 'invalid_amount', { field: 'amount' }],
  ['amount as a String object', () => posfee.quote({ ...base, amount: new String('5') }), 'invalid_amount', { field: 'amount' }],
  ['amount with too many decimals', () => posfee.quote({ ...base, amount: '12.345' }), 'invalid_amount', { field: 'amount' }],
  ['negative amount', () => posfee.quote({ ...base, amount: '-1' }), 'invalid_amount', { field: 'amount' }],
  ['empty amount', () => posfee.quote({ ...base, amount: '' }), 'invalid_amount', { field: 'amount' }],
  ['blank amount', () => posfee.quote({ ...base, amount: '   ' }), 'invalid_amount', { field: 'amount' }],
  ['amount in scientific notation', () => posfee.quote({ ...base, amount: '1e3' }), 'invalid_amount', { field: 'amount' }],
  ['amount "NaN"', () => posfee.quote({ ...base, amount: 'NaN' }), 'invalid_amount', { field: 'amount' }],
  ['amount "Infinity"', () => posfee.quote({ ...base, amount: 'Infinity' }), 'invalid_amount', { field: 'amount' }],
  ['amount of words', () => posfee.quote({ ...base, amount: 'five' }), 'invalid_amount', { field: 'amount' }],
  ['amount above the largest trade', () => posfee.quote({ ...base, amount: '1000000000.01' }), 'invalid_amount', { field: 'amount' }],
  ['amount of 400 digits', () => posfee.quote({ ...base, amount: '9'.repeat(400) }), 'invalid_amount', { field: 'amount' }],
  ['amount missing', () => posfee.quote({ ...base, amount: undefined }), 'invalid_request', { field: 'amount' }],
  ['amount null', () => posfee.quote({ ...base, amount: null }), 'invalid_request', { field: 'amount' }],
  // channels
  ['unknown channel', () => posfee.quote({ ...base, channel: 'visa' }), 'invalid_channel', { field: 'channel' }],
  ['empty channel', () => posfee.quote({ ...base, channel: '' }), 'invalid_channel', { field: 'channel' }],
  ['channel as a number', () => posfee.quote({ ...base, channel: 5 }), 'invalid_request', { field: 'channel' }],
  ['channel missing', () => posfee.quote({ ...base, channel: undefined }), 'invalid_request', { field: 'channel' }],
  // dates and times
  ['February 30th', () => posfee.quote({ ...base, at: '2026-02-30' }), 'invalid_date', { field: 'at' }],
  ['empty time', () => posfee.quote({ ...base, at: '' }), 'invalid_date', { field: 'at' }],
  ['time in words', () => posfee.quote({ ...base, at: 'yesterday' }), 'invalid_date', { field: 'at' }],
  ['hour 25', () => posfee.quote({ ...base, at: '2026-05-06 25:00' }), 'invalid_date', { field: 'at' }],
  ['time as a number', () => posfee.quote({ ...base, at: 20260506 }), 'invalid_request', { field: 'at' }],
  ['time as a Date object', () => posfee.quote({ ...base, at: new Date(0) }), 'invalid_request', { field: 'at' }],
  ['trade in a year without holiday data', () => posfee.quote({ ...base, at: '2030-05-06' }), 'calendar_out_of_range', {}],
  ['T+1 of 2026-12-31 settles in 2027 (no data)', () => posfee.quote({ ...base, at: '2026-12-31 10:00' }), 'calendar_out_of_range', {}],
  ['trade before the first schedule version', () => posfee.quote({ ...base, at: '1999-01-01' }), 'no_schedule_version', {}],
  // settlement modes: absent is T1, an empty string is not
  ['empty settlement', () => posfee.quote({ ...base, settlement: '' }), 'invalid_settlement', { field: 'settlement' }],
  ['blank settlement', () => posfee.quote({ ...base, settlement: ' ' }), 'invalid_settlement', { field: 'settlement' }],
  ['unknown settlement', () => posfee.quote({ ...base, settlement: 'X9' }), 'invalid_settlement', { field: 'settlement' }],
  ['settlement lag too long', () => posfee.quote({ ...base, settlement: 'T+99999' }), 'invalid_settlement', { field: 'settlement' }],
  ['settlement as a number', () => posfee.quote({ ...base, settlement: 1 }), 'invalid_request', { field: 'settlement' }],
  // schedules and presets
  ['unknown preset', () => posfee.quote({ ...base, preset: 'nope' }), 'unknown_preset', { field: 'preset' }],
  ['empty preset', () => posfee.quote({ ...base, preset: '' }), 'unknown_preset', { field: 'preset' }],
  ['preset as a number', () => posfee.quote({ ...base, preset: 5 }), 'invalid_request', { field: 'preset' }],
  ['both preset and schedule', () => posfee.quote({ ...base, schedule: toml }), 'invalid_request', { field: 'schedule' }],
  ['neither preset nor schedule', () => posfee.quote(noSchedule), 'invalid_request', { field: 'preset' }],
  ['empty schedule text', () => posfee.quote(withoutPreset({ schedule: '' })), 'invalid_schedule', { field: 'schedule' }],
  ['schedule with a TOML syntax error', () => posfee.quote(withoutPreset({ schedule: 'name = "x"\nrate = [\n' })), 'invalid_schedule', { field: 'schedule', line: 3, column: 1 }],
  ['schedule as an object', () => posfee.quote(withoutPreset({ schedule: {} })), 'invalid_request', { field: 'schedule' }],
  ['no rule prices the channel', () => posfee.quote({ ...base, preset: 'sft-esign', channel: 'wechat' }), 'no_matching_rule', {}],
  // merchant class and card type
  ['merchant class capitalised', () => posfee.quote({ ...standard, merchantClass: 'Discounted' }), 'invalid_request', { field: 'merchantClass' }],
  ['merchant class with a leading space', () => posfee.quote({ ...standard, merchantClass: ' discounted' }), 'invalid_request', { field: 'merchantClass' }],
  ['empty merchant class', () => posfee.quote({ ...standard, merchantClass: '' }), 'invalid_request', { field: 'merchantClass' }],
  ['merchant class as a number', () => posfee.quote({ ...standard, merchantClass: 1 }), 'invalid_request', { field: 'merchantClass' }],
  ['unknown card type', () => posfee.quote({ ...standard, channel: 'unionpay_qr', cardType: 'amex' }), 'invalid_channel', { field: 'cardType' }],
  ['empty card type', () => posfee.quote({ ...standard, channel: 'unionpay_qr', cardType: '' }), 'invalid_channel', { field: 'cardType' }],
  ['card type against the channel', () => posfee.quote({ ...base, channel: 'credit', cardType: 'debit' }), 'invalid_request', {}],
  ['card type as a boolean', () => posfee.quote({ ...standard, cardType: true }), 'invalid_request', { field: 'cardType' }],
  ['provisional as a string', () => posfee.quote({ ...base, provisional: 'yes' }), 'invalid_request', { field: 'provisional' }],
  // the request object itself
  ['request null', () => posfee.quote(null), 'invalid_request', {}],
  ['request undefined', () => posfee.quote(), 'invalid_request', {}],
  ['request a string', () => posfee.quote('amount=5'), 'invalid_request', {}],
  ['request an array', () => posfee.quote([base]), 'invalid_request', {}],
  ['request a number', () => posfee.quote(42), 'invalid_request', {}],
  ['misspelt field', () => posfee.quote({ ...base, settlment: 'D0' }), 'invalid_request', { field: 'settlment' }],
  ['field undefined but present and unknown', () => posfee.quote({ ...base, extra: undefined }), 'invalid_request', { field: 'extra' }],
  ['symbol key', () => posfee.quote({ ...base, [Symbol('x')]: 1 }), 'invalid_request', {}],
  ['every field inherited, none own', () => posfee.quote(Object.create(base)), 'invalid_request', { field: 'amount' }],
  ['a getter that throws', () => posfee.quote({ ...base, get amount() { throw new Error('boom'); } }), 'invalid_request', {}],
  ['a Proxy whose ownKeys trap throws', () => posfee.quote(new Proxy(base, { ownKeys() { throw new Error('trap'); } })), 'invalid_request', {}],
  // parseSchedule
  ['parseSchedule of a number', () => posfee.parseSchedule(5), 'invalid_request', { field: 'schedule' }],
  ['parseSchedule of nothing', () => posfee.parseSchedule(), 'invalid_request', { field: 'schedule' }],
  ['schedule TOML cut short', () => posfee.parseSchedule('name = "broken"\nrate = [\n'), 'invalid_schedule', { line: 3, column: 1 }],
  ['NUL bytes as a schedule', () => posfee.parseSchedule('\u0000'.repeat(1000)), 'invalid_schedule', { line: 1, column: 1 }],
  ['unknown top-level key', () => posfee.parseSchedule(`bogus = 1\n${toml}`), 'invalid_schedule', {}],
  ['cutoff written under [rounding]', () => posfee.parseSchedule(toml.replace('[rounding]', '[rounding]\ncutoff = "22:00"')), 'invalid_schedule', {}],
  ['negative cap', () => posfee.parseSchedule(toml.replace('cap = "20"', 'cap = "-1"')), 'invalid_schedule', { field: 'schedule.versions[0].rules[1].cap' }],
  ['schedule nested 7,000 levels (14 KB)', () => posfee.parseSchedule(deep(7000)), 'invalid_schedule', { line: 1 }],
  ['schedule nested 30,000 levels', () => posfee.parseSchedule(deep(30000)), 'invalid_schedule', { line: 1 }],
  // presetToml
  ['presetToml of a number', () => posfee.presetToml(5), 'invalid_request', { field: 'name' }],
  ['presetToml of nothing', () => posfee.presetToml(), 'invalid_request', { field: 'name' }],
  ['presetToml of an unknown name', () => posfee.presetToml('nope'), 'unknown_preset', {}],
  // the calendar
  ['isBusinessDay of a number', () => posfee.isBusinessDay(20260506), 'invalid_request', { field: 'date' }],
  ['isBusinessDay of nothing', () => posfee.isBusinessDay(), 'invalid_request', { field: 'date' }],
  ['isBusinessDay of a BigInt', () => posfee.isBusinessDay(20260506n), 'invalid_request', { field: 'date' }],
  ['isBusinessDay of a Date object', () => posfee.isBusinessDay(new Date(0)), 'invalid_request', { field: 'date' }],
  ['isBusinessDay of words', () => posfee.isBusinessDay('not a date'), 'invalid_date', { field: 'date' }],
  ['isBusinessDay of a huge number as text', () => posfee.isBusinessDay('99999999999999999999'), 'invalid_date', { field: 'date' }],
  ['isBusinessDay in 2099', () => posfee.isBusinessDay('2099-01-01'), 'calendar_out_of_range', {}],
  ['addBusinessDays of half a day', () => posfee.addBusinessDays('2026-09-30', 1.5), 'invalid_request', { field: 'n' }],
  ['addBusinessDays of 10^30 days', () => posfee.addBusinessDays('2026-09-30', 10 ** 30), 'invalid_request', { field: 'n' }],
  ['addBusinessDays past the year 9999', () => posfee.addBusinessDays('2026-09-30', 3_000_000), 'overflow', { field: 'n' }],
  ['addBusinessDays before the year 1', () => posfee.addBusinessDays('2026-09-30', -3_000_000), 'overflow', { field: 'n' }],
  ['addBusinessDays of 2^53 days (not a safe integer)', () => posfee.addBusinessDays('2026-09-30', 2 ** 53), 'invalid_request', { field: 'n' }],
  ['addBusinessDays of -Infinity days', () => posfee.addBusinessDays('2026-09-30', -Infinity), 'invalid_request', { field: 'n' }],
  ['addBusinessDays of NaN days', () => posfee.addBusinessDays('2026-09-30', NaN), 'invalid_request', { field: 'n' }],
  ['addBusinessDays of a string', () => posfee.addBusinessDays('2026-09-30', '1'), 'invalid_request', { field: 'n' }],
  ['addBusinessDays of a BigInt', () => posfee.addBusinessDays('2026-09-30', 1n), 'invalid_request', { field: 'n' }],
  ['addBusinessDays without n', () => posfee.addBusinessDays('2026-09-30'), 'invalid_request', { field: 'n' }],
  ['addBusinessDays from a number', () => posfee.addBusinessDays(20260930, 1), 'invalid_request', { field: 'date' }],
  ['addBusinessDays past the data', () => posfee.addBusinessDays('2026-12-31', 1), 'calendar_out_of_range', {}],
  // capThreshold
  ['capThreshold with an amount', () => posfee.capThreshold({ ...capBase, amount: '1' }), 'invalid_request', { field: 'amount' }],
  ['capThreshold of null', () => posfee.capThreshold(null), 'invalid_request', {}],
  ['capThreshold of an unknown channel', () => posfee.capThreshold({ ...capBase, channel: 'visa' }), 'invalid_channel', { field: 'channel' }],
  ['capThreshold with the card type against the channel', () => posfee.capThreshold({ ...capBase, cardType: 'credit' }), 'invalid_request', {}],
  ['capThreshold of an unknown merchant class', () => posfee.capThreshold({ ...capBase, preset: 'standard', merchantClass: 'bogus' }), 'invalid_request', { field: 'merchantClass' }],
  ['capThreshold before the first version', () => posfee.capThreshold({ ...capBase, at: '1999-01-01' }), 'no_schedule_version', {}],
  // holiday files (holiday-cn JSON with the `holiday-cn` feature, calendar TOML with `holidays`: README)
  ['loadHolidays of a number', () => posfee.loadHolidays(2027), 'invalid_request', { field: 'holidays' }],
  ['loadHolidays of nothing', () => posfee.loadHolidays(), 'invalid_request', { field: 'holidays' }],
  ['loadHolidays of a parsed object, not text', () => posfee.loadHolidays({ year: 2027, days: newYear2027 }), 'invalid_request', { field: 'holidays' }],
  ...(jsonBuilt ? [] : [['holiday-cn JSON without the holiday-cn feature', () => posfee.loadHolidays(holidayCn(2027, newYear2027)), 'invalid_request', { field: 'holidays' }]]),
].concat(!jsonBuilt ? [] : [
  ['holiday-cn JSON cut short', () => posfee.loadHolidays('{"year": 2027, "days": ['), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn JSON with a trailing comma', () => posfee.loadHolidays('{"year": 2027, "days": [],}'), 'invalid_calendar', { field: 'holidays' }],
  ["holiday-cn's empty placeholder for an unpublished year", () => posfee.loadHolidays('{"year":2027,"papers":[],"days":[]}'), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn year as a string', () => posfee.loadHolidays(holidayCn('2027', newYear2027)), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn year 2027.5', () => posfee.loadHolidays(holidayCn(2027.5, newYear2027)), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn file without days', () => posfee.loadHolidays('{"year": 2027, "papers": ["x"]}'), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn day on February 30th', () => posfee.loadHolidays(holidayCn(2027, [{ name: '春节', date: '2027-02-30', isOffDay: true }])), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn day without a name', () => posfee.loadHolidays(holidayCn(2027, [{ name: ' ', date: '2027-01-01', isOffDay: true }])), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn isOffDay as a string', () => posfee.loadHolidays(holidayCn(2027, [{ name: '元旦', date: '2027-01-01', isOffDay: 'true' }])), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn day with an unknown field', () => posfee.loadHolidays(holidayCn(2027, [{ ...newYear2027[0], isHoliday: true }])), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn date listed twice', () => posfee.loadHolidays(holidayCn(2027, [...newYear2027, ...newYear2027])), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn year 2029 after 2026 (a gap)', () => posfee.loadHolidays(holidayCn(2029, [{ name: '元旦', date: '2029-01-01', isOffDay: true }])), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn array of numbers', () => posfee.loadHolidays('[2027, 2028]'), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn days nested 100,000 levels', () => posfee.loadHolidays(`{"year": 2027, "papers": ["x"], "days": ${'['.repeat(100000)}${']'.repeat(100000)}}`), 'invalid_calendar', { field: 'holidays' }],
  ['holiday-cn text over 4 MiB', () => posfee.loadHolidays(`{"year": 2027, "papers": ["${'x'.repeat(4 << 20)}"], "days": []}`), 'invalid_calendar', { field: 'holidays' }],
]).concat([
  ...(tomlBuilt
    ? [['calendar TOML with a gap', () => posfee.loadHolidays('[[years]]\nyear = 2029\nnotice = "gap"\n'), 'invalid_calendar', { field: 'holidays' }]]
    : [['calendar TOML without the holidays feature', () => posfee.loadHolidays('[[years]]\nyear = 2027\n'), 'invalid_request', { field: 'holidays' }]]),
  // tables (the `tables` feature: without it each throws invalid_request saying so)
  ...(!tablesBuilt
    ? [
        ['quoteMany without the tables feature', () => many([trade]), 'invalid_request', {}],
        ['compare without the tables feature', () => posfee.compare({ rows: [trade], offers: [{ preset: 'sft-smart' }] }), 'invalid_request', {}],
      ]
    : [
        ['quoteMany of a number amount', () => many([trade, { ...trade, amount: 100 }]), 'invalid_amount', { field: 'amount' }],
        ['quoteMany rows not an array', () => many({ 0: trade }), 'invalid_request', { field: 'rows' }],
        ['quoteMany row with an unknown field', () => many([{ ...trade, merchantClass: 'discounted' }]), 'invalid_request', { field: 'merchantClass' }],
        ['quoteMany row without a time', () => many([{ amount: '1', channel: 'debit' }]), 'invalid_request', { field: 'time' }],
        ['quoteMany sub-fen amount', () => many([trade, { ...trade, amount: '1.001' }]), 'invalid_amount', { field: 'amount' }],
        ['quoteMany unknown channel', () => many([{ ...trade, channel: 'visa' }]), 'invalid_channel', { field: 'channel' }],
        ['quoteMany bad time', () => many([{ ...trade, time: 'yesterday' }]), 'invalid_date', { field: 'time' }],
        ['quoteMany bad settlement', () => many([{ ...trade, settlement: 'X9' }]), 'invalid_settlement', { field: 'settlement' }],
        ['quoteMany unknown merchant class', () => many([{ ...trade, merchant_class: 'hotel' }]), 'invalid_request', { field: 'merchantClass' }],
        ['quoteMany card type against the channel', () => many([{ ...trade, card_type: 'debit' }]), 'invalid_request', { field: 'cardType' }],
        ['quoteMany unpriced channel', () => posfee.quoteMany({ preset: 'sft-esign', rows: [{ ...trade, channel: 'wechat' }] }), 'no_matching_rule', { field: 'channel' }],
        ['quoteMany past the calendar data', () => many([{ ...trade, time: '2026-12-31 10:00' }]), 'calendar_out_of_range', { field: 'time' }],
        ['quoteMany bad onInvalid', () => many([trade], { onInvalid: 'skip' }), 'invalid_request', { field: 'onInvalid' }],
        ['quoteMany over the row limit', () => many({ length: 1_000_001 }), 'invalid_request', { field: 'rows' }],
        ['quoteCsv without a time column', () => posfee.quoteCsv({ preset: 'standard', csv: 'amount,channel\n1,debit\n' }), 'invalid_record', { field: 'time' }],
        ['quoteCsv with an open quote', () => posfee.quoteCsv({ preset: 'standard', csv: 'amount,channel,time\n"1,debit,2026-05-06\n' }), 'invalid_record', { field: 'csv' }],
        ['quoteCsv with a short record', () => posfee.quoteCsv({ preset: 'standard', csv: 'amount,channel,time\n1,debit\n' }), 'invalid_record', { field: 'csv' }],
        ['compare without offers', () => posfee.compare({ rows: [trade], offers: [] }), 'invalid_request', {}],
        ['compare with an unknown preset', () => posfee.compare({ rows: [trade], offers: [{ preset: 'nope' }] }), 'unknown_preset', {}],
        ['compare with a bad offer mode', () => posfee.compare({ rows: [trade], offers: [{ preset: 'sft-smart', settlement: 'X9' }] }), 'invalid_settlement', {}],
        ['compare with a row an offer cannot price', () => posfee.compare({ rows: [trade, { ...trade, channel: 'wechat' }], offers: [{ preset: 'sft-smart' }, { preset: 'sft-esign' }] }), 'no_matching_rule', {}],
      ]),
  // internal failures: a panic and a trap, each followed by a working module
  ['a forced panic', () => posfee.__forcePanicForTests(), 'internal', {}],
  ['a forced trap', () => posfee.__forceTrapForTests(), 'internal', {}],
]);

const codes = new Set([...posfee.errorCodes(), 'internal']);

test('the catalogue has at least 60 rows, each named once', () => {
  assert.ok(CASES.length >= 60, `${CASES.length} rows`);
  assert.equal(new Set(CASES.map(([name]) => name)).size, CASES.length);
});

for (const [name, call, code, location] of CASES) {
  test(`bad input: ${name} → ${code}`, () => {
    let caught;
    let returned;
    try {
      returned = call();
    } catch (error) {
      caught = error;
    }
    assert.ok(caught !== undefined, `returned ${JSON.stringify(returned)} instead of throwing`);
    assert.ok(caught instanceof Error, `threw ${caught}, not an Error`);
    assert.ok(codes.has(caught.code), `code ${caught.code} is not one of errorCodes(): ${caught.message}`);
    assert.equal(caught.code, code, caught.message);
    assert.equal(caught.name, 'PosfeeError');
    for (const [key, value] of Object.entries(location)) assert.equal(caught[key], value, `${key} of: ${caught.message}`);
    // The module still answers.
    assert.equal(posfee.quote(base).fee, '20.00');
  });
}

test('calendar_out_of_range says what to do in JavaScript: loadHolidays(text) or provisional: true', () => {
  for (const call of [() => posfee.quote({ ...base, at: '2026-12-31 10:00' }), () => posfee.isBusinessDay('2027-01-01'), () => posfee.addBusinessDays('2026-12-31', 1)]) {
    assert.throws(call, (error) => error.code === 'calendar_out_of_range' && /loadHolidays\(text\)/.test(error.message) && /provisional: true/.test(error.message));
  }
});

test('no holiday years stay loaded after the catalogue', () => {
  assert.deepEqual(posfee.calendarYears(), { firstYear: 2005, lastYear: 2026 });
});

test('an inherited Object.prototype.amount is not an amount', () => {
  Object.prototype.amount = '7'; // eslint-disable-line no-extend-native
  try {
    const { amount: _amount, ...withoutAmount } = base;
    assert.throws(() => posfee.quote(withoutAmount), (error) => error.code === 'invalid_request' && error.field === 'amount');
    assert.equal(posfee.quote(base).amount, '5000.00');
  } finally {
    delete Object.prototype.amount;
  }
});

test('absent optional fields (undefined or null) take their defaults; settlement defaults to T1', () => {
  const quote = posfee.quote({ ...base, settlement: undefined, merchantClass: null, cardType: undefined, provisional: undefined });
  assert.equal(quote.settlement, 'T1');
  assert.equal(quote.fee, '20.00');
});

test('provisional: true gives a weekends-only date past the data, marked provisional', () => {
  const quote = posfee.quote({ ...base, at: '2026-12-31 10:00', provisional: true });
  assert.equal(quote.settlesOn, '2027-01-01');
  assert.equal(quote.settlesOnProvisional, true);
});

test('capThreshold at 2026-12-31 returns the threshold (the fee needs no 2027 holidays), never null', () => {
  const cap = posfee.capThreshold({ ...capBase, at: '2026-12-31 10:00' });
  assert.deepEqual(cap, { rule: 'debit', rate: '0.55%', cap: '20.00', breakEven: '3636.3636', breakEvenExact: false, from: '3635.46' });
});

test('a panic surfaces as an internal Error with its message, and the module is restarted', () => {
  assert.throws(() => posfee.__forcePanicForTests(), (e) => e.code === 'internal' && /forced panic for tests/.test(e.message) && /restarted/.test(e.message));
  assert.equal(posfee.isBusinessDay('2026-10-10'), true);
  assert.equal(posfee.quote(base).settlesOn, '2026-10-08');
});

test('a trap (RuntimeError) becomes an internal Error keeping the original as its cause; the module keeps working', () => {
  let caught;
  try {
    posfee.__forceTrapForTests();
  } catch (error) {
    caught = error;
  }
  assert.equal(caught.code, 'internal');
  assert.ok(caught.cause instanceof WebAssembly.RuntimeError, String(caught.cause));
  for (let i = 0; i < 3; i += 1) assert.equal(posfee.quote({ ...base, amount: '3635.46', at: '2026-05-06' }).fee, '20.00');
  assert.deepEqual(posfee.calendarYears(), { firstYear: 2005, lastYear: 2026 });
});

test('isBusinessDay(20260506), which used to trap the module, leaves it usable', () => {
  assert.throws(() => posfee.isBusinessDay(20260506), (error) => error.code === 'invalid_request');
  assert.equal(posfee.isBusinessDay('2026-05-06'), true);
});

test('parse errors carry line and column as numbers', () => {
  for (const text of [deep(7000), 'name = "x"\nrate = [\n']) {
    assert.throws(() => posfee.parseSchedule(text), (error) => typeof error.line === 'number' && typeof error.column === 'number');
  }
});

const skipJson = !jsonBuilt && 'built without the holiday-cn feature';

test('holiday-cn data is read through its own properties (an inherited Object.prototype.papers is not a notice)', { skip: skipJson }, () => {
  Object.prototype.papers = ['https://example.invalid']; // eslint-disable-line no-extend-native
  try {
    assert.throws(() => posfee.loadHolidays('{"year":2027,"days":[]}'), (error) => error.code === 'invalid_calendar');
  } finally {
    delete Object.prototype.papers;
  }
  assert.deepEqual(posfee.calendarYears(), { firstYear: 2005, lastYear: 2026 });
});

test('a holiday-cn file with its $schema and $id keys loads', { skip: skipJson }, () => {
  try {
    const text = JSON.stringify({ $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json', $id: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json', year: 2027, papers: ['https://www.gov.cn/example'], days: newYear2027 });
    assert.deepEqual(posfee.loadHolidays(`\uFEFF${text}`), { firstYear: 2005, lastYear: 2027 });
  } finally {
    posfee.resetHolidays();
  }
});
