// Which optional features the package in wasm/pkg was built with (README, "Features"): the
// tests of a feature run in the builds that have it, and those builds only.
import assert from 'node:assert/strict';
import * as posfee from '../pkg/index.js';

/** Whether this build loads holiday-cn JSON (the `holiday-cn` feature). */
export const jsonBuilt = (() => {
  try {
    posfee.loadHolidays('{"year":2027,"papers":[],"days":[]}');
    throw new Error('the empty holiday-cn placeholder was accepted');
  } catch (error) {
    assert.ok(['invalid_calendar', 'invalid_request'].includes(error.code), error.message);
    return error.code === 'invalid_calendar';
  }
})();

/** Whether this build reads posfee calendar TOML (the `holidays` feature). */
export const tomlBuilt = (() => {
  try {
    posfee.loadHolidays('years = []');
    return true;
  } catch (error) {
    assert.equal(error.code, 'invalid_request', error.message);
    return false;
  } finally {
    posfee.resetHolidays();
  }
})();

/** Whether this build has quoteMany / quoteCsv / compare (the `tables` feature). */
export const tablesBuilt = (() => {
  try {
    posfee.quoteMany({ preset: 'standard', rows: [] });
    return true;
  } catch (error) {
    assert.equal(error.code, 'invalid_request', error.message);
    return false;
  }
})();
