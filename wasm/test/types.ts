// Type-checked by the Node tests (tsc --noEmit --strict): the declarations describe the API,
// and a JS number is not an amount.
import { Schedule, quote, capThreshold, parseSchedule, presets, isBusinessDay, addBusinessDays, calendarYears, loadHolidays, resetHolidays } from '../pkg/index.js';
import type { Quote, QuoteRequest, PosfeeError, CapThreshold, CalendarYears, HolidayCnYear, LimitWarning, MerchantLimitsInput } from '../pkg/index.js';

const request: QuoteRequest = { preset: 'sft-traditional', amount: '5000', channel: 'debit', at: '2026-09-30 22:30', settlement: 'T1' };
const q: Quote = quote(request);
const fee: string = q.fee;
const settles: string = q.settlesOn;
const lines: string[] = q.explanation;
const capped: boolean = q.capApplied;
const limit: 'cap' | 'floor' | undefined = q.lines[0]?.limit?.kind;
const cap: CapThreshold | null = capThreshold({ preset: 'standard', channel: 'debit', at: '2026-05-06' });
const names: string[] = presets().map((p) => p.name);
const rules = parseSchedule('').versions[0]?.rules.map((r) => r.cap);
const open: boolean = isBusinessDay('2026-10-10');
const next: string = addBusinessDays('2026-09-30', 1);
const years: CalendarYears = calendarYears();
const lastYear: number = years.lastYear;
const load: (text: string) => CalendarYears = loadHolidays;
const reset: () => CalendarYears = resetHolidays;
const dataEnds: string | null = q.calendarDataEnds;
const year2027: HolidayCnYear = { year: 2027, papers: [], days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] };
const provisional: Quote = quote({ ...request, at: '2026-12-31 10:00', provisional: true });
const limits: MerchantLimitsInput = { preset: 'personal-micro-merchant', business_hours: '08:00-22:00', limits: [{ channels: ['credit'], per_transaction: '20000' }] };
const warnings: LimitWarning[] = quote({ ...request, limits }).limitWarnings.concat(quote({ ...request, limits: 'personal-static-code' }).limitWarnings);
const warningKind: 'per_transaction' | 'business_hours' | undefined = warnings[0]?.kind;

const schedule: Schedule = Schedule.preset('sft-traditional');
const sameQuote: Quote = schedule.quote({ amount: '5000', channel: 'debit', at: '2026-09-30 22:30' });
const scheduleCap: CapThreshold | null = Schedule.parse('name = "x"').capThreshold({ channel: 'debit', at: '2026-05-06' });
const ruleCount: number | undefined = schedule.info().versions[0]?.rules.length;

// @ts-expect-error: a Schedule's own requests do not name a schedule
schedule.quote({ preset: 'standard', amount: '1', channel: 'debit', at: '2026-05-06' });

// @ts-expect-error: limit amounts are strings too
quote({ ...request, limits: { limits: [{ per_transaction: 500 }] } });

// @ts-expect-error: amounts are strings, never JS numbers
quote({ preset: 'standard', amount: 1000, channel: 'debit', at: '2026-05-06' });

try {
  quote(request);
} catch (error) {
  const { code, line, column, field, file } = error as PosfeeError;
  console.log(code, line, column, field, file);
}
console.log(sameQuote, scheduleCap, ruleCount, fee, settles, lines, capped, limit, cap, names, rules, open, next, lastYear, load, reset, dataEnds, year2027, provisional, warningKind);
