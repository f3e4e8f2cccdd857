// The TypeScript declarations of the posfee-wasm exports, appended to the generated
// posfee_wasm.d.ts by wasm-bindgen (`typescript_custom_section` in wasm/src/lib.rs).

/** Money is always a decimal string such as "1000.00" (never a JS number). */
export type MoneyText = string;

/** A channel name: credit, debit, wechat, alipay, unionpay_qr, quickpass, huabei, jd_baitiao. */
export type ChannelName = string;

/** The trade to quote: exactly one of `preset` (a name from presets()) or `schedule` (TOML text). */
export interface QuoteRequest {
  preset?: string;
  schedule?: string;
  /** The trade amount as a string: "1000", "1000.50", "¥1,000.50". Never a number. */
  amount: MoneyText;
  channel: ChannelName;
  /** RFC 3339 ("2026-09-30T22:30:00+08:00") or China time ("2026-09-30 22:30", "2026-09-30"). */
  at: string;
  /** T1 (default), T0, D0, D1, S0, T+2, 秒到 ... */
  settlement?: string;
  /** For schedules with class-specific rules: "discounted", "waived". */
  merchantClass?: string;
  /** "credit" or "debit", for UnionPay QR and QuickPass above ¥1000. */
  cardType?: string;
  /**
   * When the settlement date falls in a year without holiday data: true gives a provisional
   * date (weekends only, `settlesOnProvisional`); false or absent throws calendar_out_of_range.
   */
  provisional?: boolean;
  /**
   * The merchant's registered limits and business hours, to warn about (limitWarnings): a
   * preset name ("personal-micro-merchant", "personal-static-code") or the fields of a limits
   * file. They never change the fee.
   */
  limits?: string | MerchantLimitsInput;
}

/** The trade to quote with a `Schedule` object: a QuoteRequest without `preset` or `schedule`. */
export type ScheduleQuoteRequest = Omit<QuoteRequest, 'preset' | 'schedule'>;

/** The fields of a limits TOML file (MerchantLimits in the core), amounts as strings. */
export interface MerchantLimitsInput {
  /** The preset to start from. */
  preset?: string;
  /** "HH:MM-HH:MM" in China time; a closing time at or before the opening runs past midnight. */
  business_hours?: string;
  /** Groups of channels (none: every channel) with their limits. */
  limits?: { channels?: ChannelName[]; per_transaction?: MoneyText; per_day?: MoneyText; per_month?: MoneyText; per_day_count?: number }[];
}

/** A limit the trade reaches (the core's LimitWarning): in English and in Chinese. */
export interface LimitWarning {
  kind: "per_transaction" | "business_hours";
  en: string;
  zh: string;
}

export interface FeeLine {
  kind: "rate" | "fixed" | "surcharge" | "returned";
  source: string;
  rate: string | null;
  fixed: MoneyText;
  beforeLimit: MoneyText;
  limit: { kind: "cap" | "floor"; value: MoneyText } | null;
  amount: MoneyText;
}

/** The core's quote (`QuoteJson`, as the CLI's `--json` prints it) with its keys in camelCase. */
export interface Quote {
  kind: "purchase" | "void" | "refund";
  amount: MoneyText;
  channel: ChannelName;
  channelZh: string;
  fee: MoneyText;
  feeReturned: MoneyText;
  net: MoneyText;
  feeExceedsAmount: boolean;
  schedule: string;
  versionEffectiveFrom: string;
  rule: string;
  rate: string;
  lines: FeeLine[];
  requestedSettlement: string;
  settlement: string;
  instantMinimum: MoneyText | null;
  tradeDay: string;
  settlesOn: string;
  settlesOnProvisional: boolean;
  capApplied: boolean;
  floorApplied: boolean;
  /**
   * The last day of the holiday data ("2026-12-31") when the trade day is in its last month
   * (time to load the next year's holiday-cn file with loadHolidays); null otherwise. The
   * explanation then has a NOTE line.
   */
  calendarDataEnds: string | null;
  /** The limits of the request's `limits` that the trade reaches (empty without `limits`). */
  limitWarnings: LimitWarning[];
  /** One English sentence per line, from the core's message catalogue. */
  explanation: string[];
  /** The same explanation in Chinese, from the core's message catalogue. */
  explanationZh: string[];
}

export interface PresetInfo { name: string; title: string | null; titleZh: string | null; source: string | null; }

export interface ChannelInfo { name: ChannelName; nameZh: string; cardType: "credit" | "debit" | null; }

export interface RuleInfo {
  id: string;
  channels: ChannelName[];
  rate: string;
  cap: MoneyText | null;
  floor: MoneyText | null;
  fixed: MoneyText;
  amountOver: MoneyText | null;
  amountUpTo: MoneyText | null;
  /** The rule's window (a promotion), RFC 3339; null when open. */
  validFrom: string | null;
  validUntil: string | null;
  merchantClass: string | null;
  cardType: string | null;
  /** Higher wins among the rules that match (0 unless set). */
  priority: number;
  note: string | null;
}

export interface SurchargeInfo {
  id: string;
  modes: string[];
  channels: ChannelName[];
  rate: string;
  fixed: MoneyText;
  minAmount: MoneyText | null;
  fallback: string;
  note: string | null;
}

/** The core's parsed schedule as it serializes (defaults filled in), keys in camelCase. */
export interface ScheduleInfo {
  name: string;
  title: string | null;
  titleZh: string | null;
  source: string | null;
  rounding: { mode: string; scale: number };
  cutoff: string;
  refundPolicy: string;
  versions: { effectiveFrom: string; note: string | null; rules: RuleInfo[]; surcharges: SurchargeInfo[] }[];
}

/** Which schedule and trade a cap threshold is asked for (the amount is not needed). */
export interface CapRequest {
  preset?: string;
  schedule?: string;
  channel: ChannelName;
  at: string;
  merchantClass?: string;
  cardType?: string;
}

/** A cap threshold asked of a `Schedule` object: a CapRequest without `preset` or `schedule`. */
export type ScheduleCapRequest = Omit<CapRequest, 'preset' | 'schedule'>;

export interface CapThreshold {
  rule: string;
  rate: string;
  cap: MoneyText;
  /** cap ÷ rate, exact to 4 decimals (see breakEvenExact). */
  breakEven: string;
  /** Whether cap ÷ rate is exactly breakEven (no further decimals). */
  breakEvenExact: boolean;
  /** The smallest amount (whole fen) whose fee, rounded by the schedule, reaches the cap. */
  from: MoneyText;
}

/** One trade of a table: the canonical column names (as in Rust, Python and the CLI). */
export interface TradeRow {
  amount: MoneyText;
  channel: ChannelName;
  /** RFC 3339 or China time, as `at` of quote(). */
  time: string;
  settlement?: string;
  merchant_class?: string;
  card_type?: string;
}

export interface QuoteManyRequest {
  preset?: string;
  schedule?: string;
  rows: TradeRow[];
  provisional?: boolean;
  /** "raise" (default): the first bad row throws (its message starts with `row N:`); "report": it fills `error`. */
  onInvalid?: "raise" | "report";
}

/** A quoted row: the canonical quoted columns, as text ("" when not applicable). */
export interface QuotedRow {
  fee: MoneyText;
  net: MoneyText;
  rule: string;
  limit: "" | "cap" | "floor";
  settlement_applied: string;
  trade_day: string;
  settles_on: string;
  /** fee_exceeds_amount, settlement_fell_back, calendar_data_ends, provisional, joined by ";". */
  warnings: string;
  /** "code: message" for a row that cannot be quoted (onInvalid: "report"), else "". */
  error: string;
}

export interface OfferRequest { preset?: string; schedule?: string; settlement?: string; }

export interface CompareRequest { rows: TradeRow[]; offers: OfferRequest[]; onInvalid?: "raise" | "report"; }

export interface Subtotal { key: string; trades: number; amount: MoneyText; fee: MoneyText; effective_rate: string | null; }

/** The comparison (the shape of `posfee compare --json` and posfee.compare in Python). */
export interface Comparison {
  offers: { offer: string; total: Subtotal; difference: MoneyText; by_channel: Subtotal[]; by_month: Subtotal[] }[];
  break_evens: { channel: ChannelName; cheaper_below: string; cheaper_above: string; below: MoneyText; from: MoneyText; exact: boolean }[];
  excluded: { row: number; code: string; message: string }[];
  sentences: string[];
}

/** The years the calendar in use covers (the embedded data plus any loaded with loadHolidays). */
export interface CalendarYears { firstYear: number; lastYear: number; }

/** One year of the community holiday-cn data (the parsed JSON file: loadHolidays parses it). */
export interface HolidayCnYear {
  year: number;
  papers?: string[];
  days: { name: string; date: string; isOffDay: boolean }[];
}

/**
 * Every error thrown is an Error with a stable `code`: one of errorCodes() (the core's
 * ErrorKind codes), or "internal" for a bug (a panic or trap; the module is restarted).
 * The location is set when known: `field` (the request field or a dotted path in a
 * schedule), `line` and `column` (1-based, in the TOML or JSON text), `file`.
 */
export interface PosfeeError extends Error {
  code: string;
  field?: string;
  line?: number;
  column?: number;
  file?: string;
}
