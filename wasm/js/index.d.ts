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
  resetHolidays,
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
  HolidayCnYear,
  PosfeeError,
} from './posfee_wasm.js';

import type { CalendarYears } from './posfee_wasm.js';
/**
 * Adds the years of a holiday-cn JSON text (one year file `{"year", "papers", "days": [...]}`
 * or an array of them; parsed with JSON.parse) to the calendar that quotes, isBusinessDay and
 * addBusinessDays use; returns the years now covered. A posfee calendar TOML text is read only
 * by a build with the `holidays` feature (otherwise an Error with code "invalid_request").
 */
export function loadHolidays(text: string): CalendarYears;
