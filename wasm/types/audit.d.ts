// The TypeScript declarations of the statement checker (checkStatement, checkDeposits),
// declared in every build so that index.d.ts can name them (wasm/src/lib.rs).

/** The request of checkStatement (the files as bytes). */
export interface StatementCheckRequest {
  statement: Uint8Array;
  name: string;
  /** `auto` (sniffed, the default) or a format name (`posfee formats`). */
  format?: string;
  ledger?: Uint8Array;
  ledgerName?: string;
  preset?: string;
  schedule?: string;
  merchantNo: string;
  terminals?: string[];
  settlement?: string;
  /** `zh` (default) or `en`: the findings' and the dispute list's language. */
  lang?: string;
  /** Problem rows returned, at most 2000 (the default). */
  rowsMax?: number;
}
/** A class's name, Chinese label and whether a user must look at it (the core's `ClassLabel`). */
export interface ClassLabel { name: string; nameZh: string; problem: boolean }
/** The rows and money of one class (the core's `ClassTotals`, camelCase). */
export interface ClassTotals { class: string; ledgerRows: number; statementRows: number; unreadableRows: number; ledgerAmount: MoneyText; statementAmount: MoneyText; statementFee: MoneyText; statementNet: MoneyText; expectedFee: MoneyText }
/** What the acquirer did to many trades (the core's `Finding`), in both languages. */
export interface Finding {
  kind: string; merchant: string; agent: string; channel: ChannelName | null; terminal: string | null; merchantNo: string | null;
  pricing: { kind: string; rate?: string; contractRate?: string; fixed?: MoneyText; cap?: MoneyText; contractCap?: MoneyText; merchantClass?: string | null } | null;
  lateBusinessDays: number | null; firstDay: string; lastDay: string; trades: number; amount: MoneyText; money: MoneyText; zh: string; en: string;
}
/** A response code's meaning (the core's `ResponseMeaning`). */
export interface ResponseMeaning { code: string; zh: string; en: string; known: boolean; acquirerSpecific: boolean; approved: boolean; declinedBy: string | null; action: string }
/** The totals of a reconciliation (the core's `Summary`, camelCase). */
export interface Summary {
  ledgerRows: number; statementRows: number; unreadableRows: number;
  ledgerAmount: MoneyText; statementAmount: MoneyText; statementFee: MoneyText; statementNet: MoneyText;
  classes: ClassTotals[];
  expectedFee: MoneyText; chargedFee: MoneyText; overcharge: MoneyText; undercharge: MoneyText;
  declined: { meaning: ResponseMeaning; trades: number; amount: MoneyText }[];
  declinedByAction: { action: string; codes: string[]; trades: number; amount: MoneyText }[];
  nearLimits: { period: string; kind: string; channels: ChannelName[]; limitAmount: MoneyText | null; limitTrades: number | null; amount: MoneyText; trades: number; merchantNo: string }[];
  dailyRates: { date: string; channel: ChannelName; trades: number; amount: MoneyText; fee: MoneyText; rate: string }[];
  terminals: { terminal: string; merchantNumbers: string[]; merchantNames: string[] }[];
  warnings: string[];
  findings: Finding[];
  merchants: { merchantNo: string; name: string; agent: string; ledgerRows: number; statementRows: number; problemRows: number; overcharge: MoneyText; undercharge: MoneyText; neverSettledTrades: number; neverSettledAmount: MoneyText; settledLateTrades: number; settledLateNet: MoneyText; merchantDiffersTrades: number; merchantDiffersAmount: MoneyText }[];
}
/** One report row (the core's `RowResult`, camelCase). */
export interface ReportRow {
  side: 'ledger' | 'statement'; index: number | null; line: number; class: string; findings: string[]; partner: number | null;
  matchedBy: 'reference' | 'time_window' | null; amount: MoneyText; fee: MoneyText | null; net: MoneyText | null; expectedFee: MoneyText | null;
  reason: string; chargedAs: { pricing: object; rate: string; fixed: MoneyText; cap: MoneyText | null; alternative: object | null } | null;
  merchantNo: string; agent: string;
}
/** A report row with the keys that find its trade (the core's `KeyedRow`). */
export interface KeyedRow { row: ReportRow; keys: { tradeId: string; rrn: string; terminal: string; /** RFC 3339, China time. */ time: string | null } }
/** What checkStatement returns (the core's `AuditOverview`, camelCase): money as strings. */
export interface StatementCheckResult {
  format: string;
  withLedger: boolean;
  /** The language of the rows' reasons, and of the findings to show (`finding[lang]`). */
  lang: 'zh' | 'en';
  statementRows: number;
  summary: Summary;
  /** The classes with rows; without a ledger, the ledger side is zero. */
  classes: ClassTotals[];
  labels: ClassLabel[];
  problemRows: KeyedRow[];
  problemRowsTotal: number;
}
/** The request of checkDeposits (the files as bytes). */
export interface DepositsCheckRequest {
  statement: Uint8Array;
  name: string;
  /** `auto` (sniffed, the default) or a statement format name. */
  format?: string;
  bank: Uint8Array;
  bankName: string;
  /** `auto` (sniffed, the default) or a bank format name (`icbc-debit`, `cmb-business`, ...). */
  bankFormat?: string;
  /** The last day the bank statement covers, YYYY-MM-DD (default: its latest row). */
  asOf?: string;
  /** The first day it covers (default: its earliest row). */
  coveredFrom?: string;
  /** `zh` (default) or `en`: the findings' language. */
  lang?: string;
}
/** What checkDeposits returns (the core's `DepositOverview`, camelCase): money as strings. */
export interface DepositsCheckResult {
  format: string;
  bankFormat: string;
  /** The language to show the findings in (`finding[lang]`). */
  lang: 'zh' | 'en';
  summary: {
    payouts: number; expected: MoneyText; bankRows: number; acquirerRows: number; acquirerAmount: MoneyText; otherBankRows: number;
    skippedBankRows: number; statementDeductions: number; statementDeductionsExplaining: number; unreadableLines: number;
    coveredFrom: string | null; asOf: string | null; notArrived: MoneyText; classes: DepositClassTotals[]; warnings: string[];
  };
  /** The classes with payouts or bank rows. */
  classes: DepositClassTotals[];
  labels: ClassLabel[];
  findings: { class: string; en: string; zh: string; payouts: number[]; bankLines: number[]; statementLines: number[] }[];
}
/** Payouts and bank rows of one deposit class (the core's `DepositClassTotals`). */
export interface DepositClassTotals { class: string; payouts: number; expected: MoneyText; difference: MoneyText; bankRows: number; bankAmount: MoneyText }
