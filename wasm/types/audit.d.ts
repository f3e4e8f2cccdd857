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
/** What checkStatement returns: money as strings. */
export interface StatementCheckResult {
  format: string;
  withLedger: boolean;
  statementRows: number;
  totals: { statementRows: number; ledgerRows: number; unreadableRows: number; statementAmount: MoneyText; statementFee: MoneyText; statementNet: MoneyText; expectedFee: MoneyText; chargedFee: MoneyText; overcharge: MoneyText; undercharge: MoneyText };
  classes: { class: string; classZh: string; problem: boolean; rows: number; ledgerRows: number; ledgerAmount: MoneyText; amount: MoneyText; fee: MoneyText; net: MoneyText }[];
  findings: { kind: string; text: string; firstDay: string; trades: number; money: MoneyText }[];
  dailyRates: { date: string; channel: ChannelName; trades: number; amount: MoneyText; fee: MoneyText; rate: string }[];
  terminals: { terminal: string; merchant_numbers: string[]; merchant_names: string[] }[];
  problemRows: { side: 'ledger' | 'statement'; line: number; class: string; classZh: string; rrn: string; terminal: string; merchantNo: string; time: string; amount: MoneyText; fee: MoneyText | null; expectedFee: MoneyText | null; net: MoneyText | null; reason: string }[];
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
/** What checkDeposits returns: money as strings. */
export interface DepositsCheckResult {
  format: string;
  bankFormat: string;
  payouts: number;
  expected: MoneyText;
  bankRows: number;
  acquirerRows: number;
  notArrived: MoneyText;
  unreadableLines: number;
  statementDeductions: number;
  coveredFrom: string | null;
  asOf: string | null;
  classes: { class: string; classZh: string; problem: boolean; payouts: number; expected: MoneyText; difference: MoneyText; bankRows: number; bankAmount: MoneyText }[];
  findings: { class: string; text: string }[];
  warnings: string[];
}
