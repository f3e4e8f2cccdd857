// The types are declared once, in wasm/src/lib.rs, and generated into posfee_wasm.d.ts; the
// functions of index.js (guard.js over the glue) have the glue's signatures.
export {
  presets,
  channels,
  presetToml,
  isBusinessDay,
  addBusinessDays,
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
  ScheduleQuoteRequest,
  ScheduleCapRequest,
  Quote,
  MerchantLimitsInput,
  LimitWarning,
  FeeLine,
  PresetInfo,
  ChannelInfo,
  RuleInfo,
  SurchargeInfo,
  ScheduleInfo,
  CapRequest,
  CapThreshold,
  TradeRow,
  QuoteManyRequest,
  QuotedRow,
  OfferRequest,
  CompareRequest,
  Subtotal,
  Comparison,
  CalendarYears,
  HolidayCnYear,
  PosfeeError,
} from './posfee_wasm.js';

import type {
  CalendarYears,
  QuoteManyRequest,
  QuotedRow,
  CompareRequest,
  Comparison,
  QuoteRequest,
  Quote,
  CapRequest,
  CapThreshold,
  ScheduleInfo,
  ScheduleQuoteRequest,
  ScheduleCapRequest,
} from './posfee_wasm.js';

/**
 * A fee schedule parsed once and quoted many times. If the module is restarted (after a trap),
 * the object parses its schedule again on its next use.
 */
export class Schedule {
  private constructor();
  /** A preset schedule by name (presets() lists them); unknown_preset otherwise (field `preset`). */
  static preset(name: string): Schedule;
  /** A schedule from TOML text; invalid_schedule with the line, column and field otherwise. */
  static parse(toml: string): Schedule;
  /** The schedule's rules, surcharges and versions. */
  info(): ScheduleInfo;
  /** Quotes a purchase: fee, net amount, settlement date and explanation. */
  quote(request: ScheduleQuoteRequest): Quote;
  /** Where the cap of the rule pricing a channel starts to apply, or null when uncapped. */
  capThreshold(request: ScheduleCapRequest): CapThreshold | null;
  /** Frees the module's copy now (otherwise it goes when this object is collected). */
  free(): void;
}

/** Quotes a purchase with the schedule the request names (parsed for this call: hold a Schedule to quote many). */
export function quote(request: QuoteRequest): Quote;

/** Where the cap of the rule pricing a channel starts to apply, or null when uncapped. */
export function capThreshold(request: CapRequest): CapThreshold | null;

/** Parses and validates a schedule from TOML text (Schedule.parse(text).info()). */
export function parseSchedule(toml: string): ScheduleInfo;

/**
 * Adds the years of a holiday-cn JSON text (one year file `{"year", "papers", "days": [...]}`
 * or an array of them; parsed with JSON.parse) to the calendar that quotes, isBusinessDay and
 * addBusinessDays use; returns the years now covered. A posfee calendar TOML text is read only
 * by a build with the `holidays` feature (otherwise an Error with code "invalid_request").
 */
export function loadHolidays(text: string): CalendarYears;

/**
 * Quotes the trades of a CSV text (header with the canonical names amount, channel, time and
 * optionally settlement, merchant_class, card_type; other columns are kept) as quoteMany does;
 * returns the header followed by the quoted columns, and each record's cells followed by its
 * quoted cells (strings).
 */
export function quoteCsv(request: {
  preset?: string;
  schedule?: string;
  csv: string;
  provisional?: boolean;
  onInvalid?: "raise" | "report";
}): { columns: string[]; rows: string[][] };

/**
 * Quotes rows of trades as one table (the core's Schedule::quote_table: each row as quote()
 * prices it): per row the quoted columns as text. Only in a build with the `tables` feature
 * (otherwise an Error with code "invalid_request" saying so).
 */
export function quoteMany(request: QuoteManyRequest): QuotedRow[];

/**
 * Compares offers on rows of trades: totals, effective rates, fees per channel and month, the
 * difference against the first offer, break-even amounts (the shape of `posfee compare --json`).
 * Only in a build with the `tables` feature.
 */
export function compare(request: CompareRequest): Comparison;

/**
 * Checks a statement file against the contract (with the ledger when given, otherwise alone).
 * Only in the statement checker's build (`pkg-audit`, the `audit` feature). The downloads are
 * valid until the next call.
 */
export function checkStatement(request: import('./posfee_wasm.js').StatementCheckRequest): import('./posfee_wasm.js').StatementCheckResult & {
  reportCsv(): string;
  disputeHtml(): string;
  disputeCsv(): string;
};

/**
 * Checks that a statement's payouts reached the bank account (到账核对): the statement and the
 * bank statement (any shipped bank format, sniffed) as bytes. Only in the deposit check's build
 * (`pkg-deposits`, the `deposits` feature: the statement checker's functions and this one).
 */
export function checkDeposits(request: import('./posfee_wasm.js').DepositsCheckRequest): import('./posfee_wasm.js').DepositsCheckResult;

/** The purchases of a statement file as trades, for `compare`. Only in the statement checker's build. */
export function statementTrades(request: { statement: Uint8Array; name: string; format?: string }): { format: string; trades: { amount: string; channel: string; time: string }[] };

/** The CSV reader of quoteCsv: text to rows of cells (RFC 4180 quoting). */
export function parseCsv(text: string): string[][];
