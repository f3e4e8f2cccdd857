// The types are declared once, in wasm/src/lib.rs, and generated into posfee_wasm.d.ts.
export {
  presets,
  channels,
  quote,
  parseSchedule,
  presetToml,
  isBusinessDay,
  addBusinessDays,
  capThreshold,
  errorCodes,
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
  PosfeeError,
} from './posfee_wasm.js';
