// The types are declared once, in wasm/src/lib.rs, and generated into posfee_wasm.d.ts; the
// functions of index.js (guard.js over the glue) have the glue's signatures.
export {
  presets,
  channels,
  quote,
  parseSchedule,
  presetToml,
  isBusinessDay,
  addBusinessDays,
  capThreshold,
  calendarYears,
  errorCodes,
  __forcePanicForTests,
  __forceTrapForTests,
} from './posfee_wasm.js';
export type {
  MoneyText,
  ChannelName,
  QuoteRequest,
  Quote,
  FeeLine,
  PresetInfo,
  ChannelInfo,
  RuleInfo,
  SurchargeInfo,
  ScheduleInfo,
  CapRequest,
  CapThreshold,
  CalendarYears,
  PosfeeError,
} from './posfee_wasm.js';

import type { CalendarYears } from './posfee_wasm.js';
/**
 * Adds the years of a holiday file (holiday-cn JSON, or posfee's calendar TOML) to the calendar
 * that quotes, isBusinessDay and addBusinessDays use; returns the years now covered. Only in a
 * build with the `holidays` feature: otherwise it throws an Error with code "invalid_request".
 */
export function loadHolidays(text: string): CalendarYears;
/** Drops the years added by loadHolidays (same build condition). */
export function resetHolidays(): CalendarYears;
