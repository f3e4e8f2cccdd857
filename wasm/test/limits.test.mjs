// quote({ ..., limits }): the merchant's registered limits and business hours (issue 16 part 5)
// warn in `limitWarnings`, the core's Quote.limit_warnings as it is ({kind, en, zh}); the fee
// never changes. The expected texts are those of the core's own examples (merchant_limits.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './throws.mjs';
import * as posfee from '../pkg/index.js';

const trade = { preset: 'standard', amount: '60000', channel: 'credit', at: '2026-03-02 23:30' };

test('limits: a preset name warns above its per-transaction limit, in English and Chinese', () => {
  const quote = posfee.quote({ ...trade, limits: 'personal-micro-merchant' });
  assert.equal(quote.fee, posfee.quote(trade).fee); // priced all the same
  assert.deepEqual(quote.limitWarnings, [
    {
      kind: 'per_transaction',
      en: '¥60,000.00 is above the ¥50,000.00 per-transaction limit (every channel)',
      zh: '¥60,000.00 超过单笔限额 ¥50,000.00（全部渠道）',
    },
  ]);
  // The explanation says it in each language.
  assert.ok(quote.explanation.includes(`WARNING: ${quote.limitWarnings[0].en}`), quote.explanation.join('\n'));
  assert.ok(quote.explanationZh.includes(`警告：${quote.limitWarnings[0].zh}`), quote.explanationZh.join('\n'));
  assert.deepEqual(posfee.quote({ ...trade, amount: '50000', limits: 'personal-micro-merchant' }).limitWarnings, []);
  assert.deepEqual(posfee.quote(trade).limitWarnings, []);
});

test('limits: the static-code preset covers the QR channels only', () => {
  const wechat = posfee.quote({ ...trade, amount: '800', channel: 'wechat', at: '2026-03-02 12:00', limits: 'personal-static-code' });
  assert.deepEqual(wechat.limitWarnings.map((w) => [w.kind, w.zh]), [['per_transaction', '¥800.00 超过单笔限额 ¥500.00（微信/支付宝/银联二维码/花呗/京东白条）']]);
  assert.deepEqual(posfee.quote({ ...trade, amount: '800', at: '2026-03-02 12:00', limits: 'personal-static-code' }).limitWarnings, []);
});

test('limits: an object with the fields of a limits file (preset, business_hours, limits groups)', () => {
  const limits = { preset: 'personal-micro-merchant', business_hours: '08:00-22:00', limits: [{ channels: ['credit'], per_transaction: '20000', per_day_count: 30 }] };
  const quote = posfee.quote({ ...trade, limits });
  assert.deepEqual(quote.limitWarnings.map((w) => w.kind), ['per_transaction', 'per_transaction', 'business_hours']);
  assert.equal(quote.limitWarnings[1].en, '¥60,000.00 is above the ¥20,000.00 per-transaction limit (credit)');
  assert.equal(quote.limitWarnings[2].en, '23:30 is outside the registered business hours 08:00–22:00');
  assert.equal(quote.limitWarnings[2].zh, '23:30 不在登记的营业时间 08:00–22:00 内（服务时间不符）');
  // Hours past midnight; only the debit group's channel.
  const night = { business_hours: '18:00-02:00', limits: [{ channels: ['debit'], per_transaction: '1000' }] };
  assert.deepEqual(posfee.quote({ ...trade, at: '2026-03-03 01:59', limits: night }).limitWarnings, []);
  assert.deepEqual(posfee.quote({ ...trade, at: '2026-03-03 02:00', limits: night }).limitWarnings.map((w) => w.kind), ['business_hours']);
});

test('limits: bad input is a typed error naming its field under limits; the next quote works', () => {
  const rows = [
    ['vip', 'unknown_preset', 'limits.preset'],
    [{ preset: 'vip' }, 'unknown_preset', 'limits.preset'],
    [{ business_hours: 'all day' }, 'invalid_request', 'limits.business_hours'],
    [{ business_hours: '09:00-09:00' }, 'invalid_request', 'limits.business_hours'],
    [{ business_hours: 800 }, 'invalid_request', 'limits.business_hours'],
    [{ limits: [{ per_day: '0' }] }, 'invalid_request', 'limits.limits[0].per_day'],
    [{ limits: [{ per_day_count: 0 }] }, 'invalid_request', 'limits.limits[0].per_day_count'],
    [{ limits: [{ per_day_count: 1.5 }] }, 'invalid_request', 'limits.limits[0].per_day_count'],
    [{ limits: [{ per_transaction: 500 }] }, 'invalid_amount', 'limits.limits[0].per_transaction'],
    [{ limits: [{ per_transaction: 'lots' }] }, 'invalid_amount', 'limits.limits[0].per_transaction'],
    [{ limits: [{ channels: ['cash'] }] }, 'invalid_channel', 'limits.limits[0].channels'],
    [{ limits: [{ channels: 'credit' }] }, 'invalid_request', 'limits.limits[0].channels'],
    [{ limits: {} }, 'invalid_request', 'limits.limits'],
    [{ per_day: '5' }, 'invalid_request', 'per_day'],
    [{ limits: [{ per_week: '5' }] }, 'invalid_request', 'per_week'],
    [42, 'invalid_request', undefined],
  ];
  for (const [limits, code, field] of rows) {
    const error = throwsCode(() => posfee.quote({ ...trade, limits }), code);
    assert.equal(error.field, field, `${JSON.stringify(limits)}: ${error.message}`);
    assert.equal(posfee.quote(trade).fee, '360.00');
  }
});

test('limits: an inherited or prototype-polluted field is not read', () => {
  const inherited = Object.create({ business_hours: '08:00-09:00' });
  assert.deepEqual(posfee.quote({ ...trade, limits: inherited }).limitWarnings, []);
});
