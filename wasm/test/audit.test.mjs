// The statement checker module (feature `audit`, wasm/pkg-audit) and the deposit check's
// (feature `deposits`, wasm/pkg-deposits) under Node: every shipped
// sample statement format checked alone gives the numbers of the core run natively
// (examples/audit_expected.rs), money as strings; bad input is a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './throws.mjs';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as posfee from '../pkg-audit/index.js';
import * as withDeposits from '../pkg-deposits/index.js';

import { SAMPLES, MERCHANT, expectedNumbers, expectedDeposits } from './samples.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';


test('there is a sample of each shipped format', () => {
  assert.ok(SAMPLES.length >= 13, SAMPLES.join('\n'));
});

test('each sample statement checked alone equals the core run natively', () => {
  const expected = expectedNumbers();
  for (const file of SAMPLES) {
    const want = expected[file];
    const name = file.split('/').pop();
    for (const lang of ['zh', 'en']) {
      const got = posfee.checkStatement({ statement: new Uint8Array(readFileSync(file)), name, format: 'auto', preset: 'standard', merchantNo: MERCHANT, lang });
      assert.equal(got.format, want.format, file);
      assert.equal(got.statementRows, want.rows, file);
      const s = got.summary;
      assert.equal(got.lang, lang);
      assert.deepEqual([s.statementAmount, s.statementFee, s.statementNet, s.overcharge, s.unreadableRows], [want.amount, want.fee, want.net, want.overcharge, want.unreadable], file);
      assert.equal(typeof s.statementFee, 'string');
      const classes = Object.fromEntries(got.classes.map((c) => [c.class, { rows: c.statementRows + c.unreadableRows, amount: c.statementAmount, fee: c.statementFee, net: c.statementNet }]));
      assert.ok(got.classes.every((c) => c.ledgerRows === 0 && c.ledgerAmount === '0.00'), 'no ledger: the implied one is not counted');
      assert.deepEqual(classes, want.classes, file);
      assert.equal(got.problemRowsTotal, want.problems, file);
      assert.equal(got.problemRows.length, Math.min(want.problems, 2000), file);
      assert.deepEqual(s.findings.map((f) => f[got.lang]), want.findings.map((f) => f[lang]), file);
      assert.ok(got.problemRows.every(({ row }) => typeof row.amount === 'string' && typeof row.reason === 'string' && row.side === 'statement'));
      assert.ok(got.problemRows.every(({ row }) => got.labels.find((label) => label.name === row.class).problem));
      // One language all the way down: the reasons come from the core's message catalogue.
      const cjk = /[\u4e00-\u9fff]/;
      for (const { row } of got.problemRows) {
        if (lang === 'zh') assert.ok(cjk.test(row.reason), row.reason);
        else assert.ok(!cjk.test(row.reason.replaceAll('跳码', '').replaceAll('服务时间不符', '')), row.reason);
      }
      const csv = got.reportCsv();
      assert.ok(csv.startsWith('side,') || csv.split('\n')[0].includes('class'), csv.slice(0, 200));
      assert.ok(got.disputeHtml().includes('<html') && typeof got.disputeCsv() === 'string');
    }
  }
});

test('the problem rows are capped by rowsMax, the total counts them all', () => {
  const file = SAMPLES.find((f) => f.includes('bank-pos-csv'));
  const got = posfee.checkStatement({ statement: new Uint8Array(readFileSync(file)), name: 'sample.csv', preset: 'standard', merchantNo: '102310058120002', rowsMax: 1 });
  assert.ok(got.problemRowsTotal > 1, String(got.problemRowsTotal));
  assert.equal(got.problemRows.length, 1);
});

test('a later check replaces the earlier result and its downloads say so', () => {
  const file = SAMPLES.find((f) => f.includes('bank-pos-csv'));
  const request = { statement: new Uint8Array(readFileSync(file)), name: 'sample.csv', preset: 'standard', merchantNo: MERCHANT };
  const first = posfee.checkStatement(request);
  posfee.checkStatement(request);
  throwsCode(() => first.reportCsv(), 'invalid_request');
});

test('bad input is a typed error naming the field, file and line', () => {
  const statement = new Uint8Array(readFileSync(SAMPLES.find((f) => f.includes('bank-pos-csv'))));
  const base = { statement, name: 'settle.csv', preset: 'standard', merchantNo: MERCHANT };
  assert.equal(throwsCode(() => posfee.checkStatement({ ...base, statement: 'text' }), 'invalid_request').field, 'statement');
  assert.equal(throwsCode(() => posfee.checkStatement({ ...base, merchantNo: '12' }), 'invalid_record').field, 'merchantNo');
  assert.equal(throwsCode(() => posfee.checkStatement({ ...base, preset: 'nope' }), 'unknown_preset').field, 'preset');
  assert.equal(throwsCode(() => posfee.checkStatement({ ...base, lang: 'fr' }), 'invalid_request').field, 'lang');
  assert.equal(throwsCode(() => posfee.checkStatement({ ...base, statment: statement }), 'invalid_request').field, 'statment');
  assert.equal(throwsCode(() => posfee.checkStatement({ ...base, rowsMax: 1e9 }), 'invalid_request').field, 'rowsMax');
  let unreadable;
  try {
    posfee.checkStatement({ ...base, statement: new TextEncoder().encode('a,b\n1,2\n') });
  } catch (error) {
    unreadable = error;
  }
  assert.ok(unreadable instanceof Error && typeof unreadable.code === 'string' && unreadable.code !== 'internal', String(unreadable));
  assert.equal(unreadable.file, 'settle.csv', unreadable.message);
  const big = throwsCode(() => posfee.checkStatement({ ...base, statement: new Uint8Array((64 << 20) + 1) }), 'invalid_request');
  assert.match(big.message, /settle\.csv/);
  // The module still works after every error.
  assert.ok(posfee.checkStatement(base).statementRows > 0);
});

test('the statement checker module is within its 600 KB gzipped budget', () => {
  const gzipped = gzipSync(readFileSync(new URL('../pkg-audit/posfee_wasm_bg.wasm', import.meta.url)), { level: 9 }).length;
  assert.ok(gzipped <= 600_000, `${gzipped} bytes gzipped`);
});

test('the statement checker leaves the single-trade and table-quote functions to the calculator, with a typed error', () => {
  for (const call of [() => posfee.quote({}), () => posfee.quoteMany({}), () => posfee.capThreshold({})]) throwsCode(call, 'invalid_request');
});

test('checkDeposits on a statement and its bank statement equals the core run natively', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posfee-deposits-'));
  const [statementPath, bankPath] = [join(dir, 'settle.csv'), join(dir, 'bank.csv')];
  const want = expectedDeposits(statementPath, bankPath);
  const request = { statement: new Uint8Array(readFileSync(statementPath)), name: 'settle.csv', bank: new Uint8Array(readFileSync(bankPath)), bankName: 'bank.csv' };
  for (const lang of ['zh', 'en']) {
    const got = withDeposits.checkDeposits({ ...request, lang });
    assert.equal(got.bankFormat, want.bankFormat);
    assert.deepEqual([got.summary.payouts, got.summary.expected, got.summary.notArrived], [want.payouts, want.expected, want.notArrived]);
    const classes = Object.fromEntries(got.classes.map((c) => [c.class, { payouts: c.payouts, expected: c.expected, difference: c.difference, bankRows: c.bankRows, bankAmount: c.bankAmount }]));
    assert.deepEqual(classes, want.classes);
    assert.equal(got.lang, lang);
    assert.deepEqual(got.findings.map((f) => f[got.lang]), want.findings.map((f) => f[lang]));
    assert.ok(got.classes.some((c) => c.class === 'deposit_missing'));
    assert.ok(got.labels.some((label) => label.name === 'deposit_missing' && label.nameZh === '未到账' && label.problem));
  }
  for (const [change, code, field] of [[{ bankFormat: 'hsbc' }, 'invalid_request', 'bankFormat'], [{ bank: 'not bytes' }, 'invalid_request', 'bank'], [{ asOf: '2026-02-30' }, 'invalid_date', 'asOf']]) {
    assert.equal(throwsCode(() => withDeposits.checkDeposits({ ...request, ...change }), code).field, field);
  }
  // The statement checker's module leaves it out (its 600 KB budget): a typed error says where it is.
  assert.match(throwsCode(() => posfee.checkDeposits(request), 'invalid_request').message, /deposits/);
  const gzipped = gzipSync(readFileSync(new URL('../pkg-deposits/posfee_wasm_bg.wasm', import.meta.url)), { level: 9 }).length;
  console.log(`deposit check module: ${gzipped} bytes gzipped (Node zlib level 9)`);
});
