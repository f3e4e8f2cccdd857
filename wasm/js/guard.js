// The public JavaScript API over the wasm-bindgen glue (posfee_wasm.js). It only converts
// and guards; every rule lives in the Rust core.
//
// - Arguments are type-checked here, before they reach the module: a wrong type is an Error
//   with `code` ("invalid_request", or "invalid_amount" for an amount that is not a string),
//   never a plain TypeError or a trap. Money is a string, never a JS number or BigInt.
// - Request objects are read through their own properties only (an inherited
//   `Object.prototype.amount` is not an amount) and copied into a null-prototype object.
// - If the module ever fails in a way that is not a posfee error (a trap such as
//   "RuntimeError: unreachable" or "memory access out of bounds", a Rust panic, a stack
//   overflow), its memory can no longer be trusted: the module is re-instantiated (the
//   holiday years loaded with loadHolidays are loaded again) and the call throws an Error
//   with code "internal". Later calls work.
// - Errors from the module carry the core's location (`field`, `line`, `column`, `file`) as
//   set by the binding (to_js_error in src/lib.rs); nothing is read back out of messages.
// - loadHolidays parses holiday-cn JSON here, with JSON.parse (the module links no JSON
//   parser), and hands the data to the module (`holiday-cn` feature); calendar TOML needs the
//   `holidays` feature.

/** An Error as the core's errors look in JavaScript: a stable `code`, and the `field`. */
function posfeeError(code, message, field) {
  const error = new Error(message);
  error.name = 'PosfeeError';
  error.code = code;
  if (field !== undefined) error.field = field;
  return error;
}

function describe(value) {
  if (value === undefined || value === null) return String(value);
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the BigInt ${value}n`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}

const absent = (value) => value === undefined || value === null;

/**
 * The one mapping from the core's shapes to JavaScript's: every key in snake_case becomes
 * camelCase (`fee_returned` → `feeReturned`, `explanation_zh` → `explanationZh`), values are
 * kept. A quote, a schedule and a cap threshold come out of the module as the core serializes
 * them (the shapes the CLI's `--json` and Python's `to_json` print) and pass through here.
 */
function camelCase(value) {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) out[key.replace(/_([a-z0-9])/g, (_, letter) => letter.toUpperCase())] = camelCase(inner);
  return out;
}

/** A string argument or field; `undefined` / `null` only when optional. */
function text(value, field, example, optional = false) {
  if (absent(value)) {
    if (optional) return undefined;
    throw posfeeError('invalid_request', `${field} is missing: give a string such as ${example}`, field);
  }
  if (typeof value !== 'string') {
    throw posfeeError('invalid_request', `${field} must be a string such as ${example}, not ${describe(value)}`, field);
  }
  return value;
}

/** An amount: a decimal string only (the core parses it); money never crosses as a number. */
function amountText(value, field) {
  if (typeof value === 'string') return value;
  if (absent(value)) throw posfeeError('invalid_request', `${field} is missing: give a string such as "1000.00"`, field);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const shown = typeof value === 'bigint' || Number.isFinite(value) ? String(value) : '1000.00';
    throw posfeeError(
      'invalid_amount',
      `${field} must be a string such as "${shown}", not ${describe(value)}: money never crosses as a JS number ` +
        '(binary floating point cannot hold most decimal amounts exactly)',
      field,
    );
  }
  throw posfeeError('invalid_amount', `${field} must be a string such as "1000.00", not ${describe(value)}`, field);
}

function flag(value, field) {
  if (absent(value)) return undefined;
  if (typeof value !== 'boolean') throw posfeeError('invalid_request', `${field} must be true or false, not ${describe(value)}`, field);
  return value;
}

/** The own properties of a request object, each one a known field (a typo is an error). */
function ownFields(request, what, fields, example) {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw posfeeError('invalid_request', `${what} must be an object such as ${example}, not ${describe(request)}`);
  }
  const found = Object.create(null);
  try {
    for (const key of Reflect.ownKeys(request)) {
      if (typeof key !== 'string' || !fields.includes(key)) {
        const name = typeof key === 'string' ? JSON.stringify(key) : String(key);
        throw posfeeError('invalid_request', `${what} has an unknown field ${name}; the fields are ${fields.join(', ')}`, typeof key === 'string' ? key : undefined);
      }
      found[key] = request[key];
    }
  } catch (error) {
    if (typeof error?.code === 'string') throw error;
    throw posfeeError('invalid_request', `${what} could not be read: ${error}`);
  }
  return found;
}

const QUOTE_FIELDS = ['preset', 'schedule', 'amount', 'channel', 'at', 'settlement', 'merchantClass', 'cardType', 'provisional', 'limits'];
const CAP_FIELDS = ['preset', 'schedule', 'channel', 'at', 'merchantClass', 'cardType'];
const QUOTE_EXAMPLE = "{ preset: 'standard', amount: '1000.00', channel: 'debit', at: '2026-05-06 10:00' }";
/** The requests of a Schedule object's methods: the schedule is the object's own. */
const SCHEDULE_QUOTE_FIELDS = QUOTE_FIELDS.slice(2);
const SCHEDULE_CAP_FIELDS = CAP_FIELDS.slice(2);
const SCHEDULE_QUOTE_EXAMPLE = "{ amount: '1000.00', channel: 'debit', at: '2026-05-06 10:00' }";
const SCHEDULE_CAP_EXAMPLE = "{ channel: 'debit', at: '2026-05-06' }";
const CAP_EXAMPLE = "{ preset: 'standard', channel: 'debit', at: '2026-05-06' }";

/** The fields every request has in common, checked and copied into a null-prototype object. */
function commonFields(fields) {
  const plain = Object.create(null);
  const put = (key, value) => {
    if (value !== undefined) plain[key] = value;
  };
  put('preset', text(fields.preset, 'preset', '"standard"', true));
  put('schedule', text(fields.schedule, 'schedule', 'TOML text', true));
  put('channel', text(fields.channel, 'channel', '"debit"'));
  put('at', text(fields.at, 'at', '"2026-05-06 10:00"'));
  put('merchantClass', text(fields.merchantClass, 'merchantClass', '"discounted"', true));
  put('cardType', text(fields.cardType, 'cardType', '"credit"', true));
  return { plain, put };
}

const LIMITS_EXAMPLE = "'personal-micro-merchant' or { preset: 'personal-micro-merchant', business_hours: '08:00-22:00' }";
const LIMIT_GROUP_FIELDS = ['channels', 'per_transaction', 'per_day', 'per_month', 'per_day_count'];
const LIMIT_GROUP_EXAMPLE = "{ channels: ['credit'], per_transaction: '20000' }";

/**
 * A quote's `limits`: a preset name, or an object with the fields of a limits file (snake_case,
 * as in the file; amounts as strings), checked and copied. The core reads and judges them.
 */
function limitsValue(value) {
  if (absent(value) || typeof value === 'string') return value ?? undefined;
  const fields = ownFields(value, 'limits', ['preset', 'business_hours', 'limits'], LIMITS_EXAMPLE);
  const plain = Object.create(null);
  const put = (key, checked) => {
    if (checked !== undefined) plain[key] = checked;
  };
  put('preset', text(fields.preset, 'limits.preset', '"personal-micro-merchant"', true));
  put('business_hours', text(fields.business_hours, 'limits.business_hours', '"08:00-22:00"', true));
  if (!absent(fields.limits)) {
    if (!Array.isArray(fields.limits)) {
      throw posfeeError('invalid_request', `limits.limits must be an array such as [${LIMIT_GROUP_EXAMPLE}], not ${describe(fields.limits)}`, 'limits.limits');
    }
    plain.limits = fields.limits.map((group, k) => {
      const at = `limits.limits[${k}]`;
      const own = ownFields(group, at, LIMIT_GROUP_FIELDS, LIMIT_GROUP_EXAMPLE);
      const copy = Object.create(null);
      if (!absent(own.channels)) {
        if (!Array.isArray(own.channels)) throw posfeeError('invalid_request', `${at}.channels must be an array of channel names, not ${describe(own.channels)}`, `${at}.channels`);
        copy.channels = own.channels.map((name) => text(name, `${at}.channels`, '"credit"'));
      }
      for (const key of ['per_transaction', 'per_day', 'per_month']) {
        if (!absent(own[key])) copy[key] = amountText(own[key], `${at}.${key}`);
      }
      if (!absent(own.per_day_count)) {
        if (!Number.isInteger(own.per_day_count)) throw posfeeError('invalid_request', `${at}.per_day_count must be a whole number, not ${describe(own.per_day_count)}`, `${at}.per_day_count`);
        copy.per_day_count = own.per_day_count;
      }
      return copy;
    });
  }
  return plain;
}

function quoteRequest(request, allowed = QUOTE_FIELDS) {
  const fields = ownFields(request, 'the quote request', allowed, allowed === QUOTE_FIELDS ? QUOTE_EXAMPLE : SCHEDULE_QUOTE_EXAMPLE);
  const amount = amountText(fields.amount, 'amount');
  const { plain, put } = commonFields(fields);
  put('amount', amount);
  put('settlement', text(fields.settlement, 'settlement', '"T1"', true));
  put('provisional', flag(fields.provisional, 'provisional'));
  put('limits', limitsValue(fields.limits));
  return plain;
}

function capRequest(request, allowed = CAP_FIELDS) {
  return commonFields(ownFields(request, 'the cap request', allowed, allowed === CAP_FIELDS ? CAP_EXAMPLE : SCHEDULE_CAP_EXAMPLE)).plain;
}

const TABLE_ROWS_MAX = 1_000_000;
const TRADE_FIELDS = ['amount', 'channel', 'time', 'settlement', 'merchant_class', 'card_type'];
const TRADE_EXAMPLE = "{ amount: '1000.00', channel: 'debit', time: '2026-05-06 10:00' }";
const ROW_REQUEST_EXAMPLE = "{ preset: 'standard', rows: [{ amount: '1000.00', channel: 'debit', time: '2026-05-06 10:00' }] }";

/** One trade row (canonical column names), checked and copied; errors name the row. */
function tradeRow(row, k) {
  try {
    const fields = ownFields(row, `row ${k}`, TRADE_FIELDS, TRADE_EXAMPLE);
    const plain = Object.create(null);
    plain.amount = amountText(fields.amount, 'amount');
    plain.channel = text(fields.channel, 'channel', '"debit"');
    plain.time = text(fields.time, 'time', '"2026-05-06 10:00"');
    for (const [key, example] of [['settlement', '"T1"'], ['merchant_class', '"discounted"'], ['card_type', '"credit"']]) {
      const value = text(fields[key], key, example, true);
      if (value !== undefined && value !== '') plain[key] = value;
    }
    return plain;
  } catch (error) {
    if (typeof error?.code === 'string' && !error.message.startsWith(`row ${k}`)) error.message = `row ${k}: ${error.message}`;
    throw error;
  }
}

function tradeRows(rows) {
  if (!Array.isArray(rows)) throw posfeeError('invalid_request', `rows must be an array of trades such as [${TRADE_EXAMPLE}], not ${describe(rows)}`, 'rows');
  if (rows.length > TABLE_ROWS_MAX) throw posfeeError('invalid_request', `${rows.length} rows is more than the limit of ${TABLE_ROWS_MAX}`, 'rows');
  return rows.map(tradeRow);
}

function onInvalidText(value) {
  const checked = text(value, 'onInvalid', '"report"', true);
  if (checked !== undefined && checked !== 'raise' && checked !== 'report') {
    throw posfeeError('invalid_request', `onInvalid ${JSON.stringify(checked)} is not 'raise' or 'report'`, 'onInvalid');
  }
  return checked;
}

function quoteManyRequest(request) {
  const fields = ownFields(request, 'the quoteMany request', ['preset', 'schedule', 'rows', 'provisional', 'onInvalid'], ROW_REQUEST_EXAMPLE);
  const plain = Object.create(null);
  const put = (key, value) => {
    if (value !== undefined) plain[key] = value;
  };
  put('preset', text(fields.preset, 'preset', '"standard"', true));
  put('schedule', text(fields.schedule, 'schedule', 'TOML text', true));
  put('provisional', flag(fields.provisional, 'provisional'));
  put('onInvalid', onInvalidText(fields.onInvalid));
  plain.rows = tradeRows(fields.rows);
  return plain;
}

function compareRequest(request) {
  const example = "{ rows: [...], offers: [{ preset: 'sft-smart' }, { preset: 'standard-d0', settlement: 'D0' }] }";
  const fields = ownFields(request, 'the compare request', ['rows', 'offers', 'onInvalid'], example);
  if (!Array.isArray(fields.offers)) throw posfeeError('invalid_request', `offers must be an array such as [{ preset: 'sft-smart' }], not ${describe(fields.offers)}`, 'offers');
  const offers = fields.offers.map((offer, k) => {
    const own = ownFields(offer, `offers[${k}]`, ['preset', 'schedule', 'settlement'], "{ preset: 'sft-smart' }");
    const plain = Object.create(null);
    for (const [key, example] of [['preset', '"sft-smart"'], ['schedule', 'TOML text'], ['settlement', '"D0"']]) {
      const value = text(own[key], key, example, true);
      if (value !== undefined) plain[key] = value;
    }
    return plain;
  });
  const plain = Object.create(null);
  plain.rows = tradeRows(fields.rows);
  plain.offers = offers;
  const mode = onInvalidText(fields.onInvalid);
  if (mode !== undefined) plain.onInvalid = mode;
  return plain;
}

/** CSV text (RFC 4180: quoted fields, "" inside quotes, CRLF or LF) as an array of records. */
export function parseCsv(csvText) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  let k = csvText.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; k < csvText.length; k++) {
    const c = csvText[k];
    if (quoted) {
      if (c === '"' && csvText[k + 1] === '"') {
        field += '"';
        k++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csvText[k + 1] === '\n') k++;
      record.push(field);
      field = '';
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
    } else field += c;
  }
  if (quoted) throw posfeeError('invalid_record', `the CSV text ends inside a quoted field (record ${records.length + 1})`, 'csv');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * Whether a holiday text is holiday-cn JSON (the core's rule in Calendar::with_years_from_text):
 * it starts with `{` or `[`, but not with a TOML table header (`[[years]]`, `[years...]`).
 */
function isHolidayJson(holidayText) {
  const start = holidayText.replace(/^\uFEFF/, '').trimStart();
  return (start.startsWith('{') || start.startsWith('[')) && !start.startsWith('[[') && !start.startsWith('[years');
}

/** JSON.parse reviver: every object becomes a null-prototype copy (own properties only). */
function ownOnly(_key, value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value;
}

/**
 * Parses holiday-cn JSON with the JS engine (no JSON parser in the WebAssembly), within the
 * core's size limit for configuration text (`maxBytes`, UTF-8).
 */
function parseHolidayJson(holidayText, maxBytes) {
  const bytes = holidayText.length * 3 <= maxBytes ? holidayText.length : new TextEncoder().encode(holidayText).length;
  if (bytes > maxBytes) {
    throw posfeeError('invalid_calendar', `the holiday-cn JSON of ${bytes} bytes is larger than the limit of ${maxBytes} bytes`, 'holidays');
  }
  try {
    return JSON.parse(holidayText.replace(/^\uFEFF/, ''), ownOnly);
  } catch (error) {
    // The engine's message says where (V8: "at position 25"; Firefox: "at line 1 column 26").
    const invalid = posfeeError('invalid_calendar', `holiday-cn JSON is not valid: ${error?.message ?? error}`, 'holidays');
    invalid.cause = error;
    throw invalid;
  }
}

function whole(value, field) {
  if (typeof value !== 'number') {
    throw posfeeError('invalid_request', `${field} must be a whole number of business days (a JS number), not ${describe(value)}`, field);
  }
  return value; // the core's binding checks that it is whole and in range
}

/**
 * The guarded API over the glue module `bindings` (already instantiated).
 * @param {typeof import('./posfee_wasm.js')} bindings
 */
export function guard(bindings) {
  /** The holiday years loaded so far (parsed holiday-cn data or TOML text), loaded again after a restart. */
  const holidays = [];

  /** Hands one loaded entry to the module. */
  function loadInto({ years, toml }) {
    return years !== undefined ? bindings.loadHolidayCn(years) : bindings.loadHolidaysToml(toml);
  }

  /** How many times the module was restarted: a Schedule's handle from before is gone. */
  let restarts = 0;

  function restart() {
    restarts += 1;
    bindings.__wbg_reset_state();
    for (const entry of holidays) loadInto(entry);
  }

  /** Holiday-cn JSON, parsed here: only in a build with the `holiday-cn` feature (README). */
  function jsonEntry(holidayText) {
    if (typeof bindings.loadHolidayCn !== 'function') {
      throw posfeeError(
        'invalid_request',
        'this build of posfee cannot load holiday files: its WebAssembly was built without the `holiday-cn` feature ' +
          '(POSFEE_WASM_FEATURES=holiday-cn make wasm), which the size budget leaves out; the embedded calendar covers ' +
          `${bindings.calendarYears().firstYear}–${bindings.calendarYears().lastYear} (pass provisional: true to quote() past it)`,
        'holidays',
      );
    }
    return { years: parseHolidayJson(holidayText, call(() => bindings.holidayTextMax())) };
  }

  /** A posfee calendar TOML text: only in a build with the `holidays` feature (README). */
  function tomlEntry(holidayText) {
    if (typeof bindings.loadHolidaysToml !== 'function') {
      throw posfeeError(
        'invalid_request',
        'this build of posfee reads holiday-cn JSON files only ({"year", "papers", "days": [...]}): posfee calendar TOML ' +
          'needs a build with the `holidays` feature (POSFEE_WASM_FEATURES=holidays make wasm), which the size budget leaves out',
        'holidays',
      );
    }
    return { toml: holidayText };
  }

  /** Runs one call into the module; anything but a posfee error restarts the module. */
  function call(run) {
    try {
      return run();
    } catch (error) {
      if (error instanceof Error && typeof error.code === 'string' && error.code !== 'internal') throw error;
      let restarted = 'the module was restarted';
      try {
        restart();
      } catch (failure) {
        restarted = `restarting the module failed too (${failure})`;
      }
      const what = error?.code === 'internal' ? error.message : `internal error in posfee (a bug: please report it with the input that caused it): ${error}`;
      const internal = posfeeError('internal', `${what}; ${restarted}`);
      internal.cause = error;
      throw internal;
    }
  }

  /** The table functions exist only in a build with the `tables` feature (README, "Tables"). */
  function tables(name) {
    if (typeof bindings[name === 'quoteCsv' ? 'quoteMany' : name] !== 'function') {
      throw posfeeError(
        'invalid_request',
        `${name} needs a build of posfee with the \`tables\` feature (POSFEE_WASM_FEATURES=tables make wasm), which the ` +
          '150 KB size budget leaves out of the default build; quote() prices one trade at a time',
      );
    }
  }

  let lastCheck;

  /** The single-trade functions are left out of the statement checker's build (its size budget). */
  function calculator(name) {
    if (typeof bindings[name] !== 'function') {
      throw posfeeError('invalid_request', `${name} is in the calculator's module (pkg/), not in the statement checker's (the \`audit\` build)`);
    }
  }

  /** The statement checker exists only in the `audit` build (wasm/www/audit/, loaded on demand). */
  function audit(name) {
    if (typeof bindings.checkStatement !== 'function') {
      throw posfeeError(
        'invalid_request',
        `${name} needs the statement checker build of posfee (the \`audit\` feature: POSFEE_WASM_FEATURES=audit make wasm, or the page's audit/ module), which the 150 KB size budget leaves out of the calculator`,
      );
    }
  }

  /** A file's bytes: a Uint8Array only. */
  function bytes(value, field, optional) {
    if (absent(value) && optional) return undefined;
    if (!(value instanceof Uint8Array)) {
      throw posfeeError('invalid_request', `${field} must be the bytes of the file as a Uint8Array, not ${describe(value)}`, field);
    }
    return value;
  }

  /** Only guard() makes Schedule objects (through Schedule.preset and Schedule.parse). */
  const making = Symbol('making a Schedule');
  /** Set by Schedule's static block: a request quoted with the schedule it names, parsed for
   * the call and freed after it; a checked request quoted or capped with a Schedule. */
  let priced, quoteChecked, capChecked;

  /**
   * A fee schedule parsed once in the module: Schedule.preset(name) or Schedule.parse(toml),
   * then quote({amount, channel, at, ...}) and capThreshold({channel, at, ...}) as often as
   * needed. It keeps how it was made, so that after a restart of the module it is parsed again
   * instead of pointing into the old module's memory.
   */
  class Schedule {
    #make;
    #handle;
    #restarts;

    constructor(token, make) {
      if (token !== making) throw posfeeError('invalid_request', 'make a Schedule with Schedule.preset(name) or Schedule.parse(tomlText)');
      this.#make = make;
      this.#handle = call(make);
      this.#restarts = restarts;
    }

    static preset(name) {
      return Schedule.#named(text(name, 'preset', '"standard"'), undefined);
    }

    static parse(toml) {
      return Schedule.#named(undefined, text(toml, 'schedule', 'TOML text'));
    }

    /** The schedule of exactly one of a preset name and TOML text (checked strings). */
    static #named(preset, schedule) {
      calculator('Schedule');
      return new Schedule(making, () => bindings.Schedule.named(preset, schedule));
    }

    // For quote() and capThreshold() below, which check a whole request (with `preset` or
    // `schedule`) once and hand the rest over as it is.
    static {
      priced = (request, checked) => {
        const { preset, schedule, ...trade } = request;
        const named = Schedule.#named(preset, schedule);
        try {
          return checked(named, trade);
        } finally {
          named.free();
        }
      };
      quoteChecked = (named, plain) => camelCase(call(() => named.#live().quote(plain)));
      capChecked = (named, plain) => camelCase(call(() => named.#live().capThreshold(plain)));
    }

    /** The handle in the module as it is now (made again after a restart). */
    #live() {
      if (this.#restarts !== restarts) {
        this.#handle = this.#make();
        this.#restarts = restarts;
      }
      return this.#handle;
    }

    info() {
      return camelCase(call(() => this.#live().info()));
    }

    quote(request) {
      return quoteChecked(this, quoteRequest(request, SCHEDULE_QUOTE_FIELDS));
    }

    capThreshold(request) {
      return capChecked(this, capRequest(request, SCHEDULE_CAP_FIELDS));
    }

    /** Frees the module's copy now (otherwise it goes when this object is collected). */
    free() {
      if (this.#restarts === restarts) this.#handle.free();
      this.#restarts = undefined;
    }
  }

  return {
    Schedule,
    checkStatement: (request) => {
      audit('checkStatement');
      const example = "{ statement: bytes, name: 'settle.csv', preset: 'standard', merchantNo: '102310058120001' }";
      const fields = ownFields(
        request,
        'the checkStatement request',
        ['statement', 'name', 'format', 'ledger', 'ledgerName', 'preset', 'schedule', 'merchantNo', 'terminals', 'settlement', 'lang', 'rowsMax'],
        example,
      );
      const statement = bytes(fields.statement, 'statement', false);
      const ledger = bytes(fields.ledger, 'ledger', true);
      const plain = {};
      for (const key of ['name', 'format', 'ledgerName', 'preset', 'schedule', 'merchantNo', 'settlement', 'lang']) {
        const value = text(fields[key], key, key === 'name' ? "'settle.csv'" : key === 'merchantNo' ? "'102310058120001'" : 'a string', !['name', 'merchantNo'].includes(key));
        if (value !== undefined) plain[key] = value;
      }
      if (!absent(fields.terminals)) {
        if (!Array.isArray(fields.terminals) || !fields.terminals.every((t) => typeof t === 'string')) {
          throw posfeeError('invalid_request', `terminals must be an array of strings, not ${describe(fields.terminals)}`, 'terminals');
        }
        plain.terminals = [...fields.terminals];
      }
      if (!absent(fields.rowsMax)) {
        if (!Number.isInteger(fields.rowsMax) || fields.rowsMax < 0) {
          throw posfeeError('invalid_request', `rowsMax must be a whole number, not ${describe(fields.rowsMax)}`, 'rowsMax');
        }
        plain.rowsMax = fields.rowsMax;
      }
      // One checked statement is kept in the module for its downloads: the previous one is freed.
      if (lastCheck !== undefined) {
        try {
          lastCheck.free();
        } catch {
          // the module was restarted: the handle went with it
        }
        lastCheck = undefined;
      }
      const handle = call(() => bindings.checkStatement(plain, statement, ledger));
      lastCheck = handle;
      const download = (name) => () => {
        if (lastCheck !== handle) throw posfeeError('invalid_request', `${name}: a later checkStatement replaced this result; check the statement again`);
        return call(() => handle[name]());
      };
      const result = camelCase(call(() => handle.result()));
      return { ...result, reportCsv: download('reportCsv'), disputeHtml: download('disputeHtml'), disputeCsv: download('disputeCsv') };
    },
    checkDeposits: (request) => {
      if (typeof bindings.checkDeposits !== 'function') {
        throw posfeeError(
          'invalid_request',
          "checkDeposits needs the deposit check's build of posfee (the `deposits` feature: wasm/pkg-deposits, or the page's deposits/ module), which the statement checker's 600 KB size budget leaves out",
        );
      }
      const example = "{ statement: bytes, name: 'settle.csv', bank: bytes, bankName: 'bank.csv' }";
      const fields = ownFields(
        request,
        'the checkDeposits request',
        ['statement', 'name', 'format', 'bank', 'bankName', 'bankFormat', 'asOf', 'coveredFrom', 'lang'],
        example,
      );
      const statement = bytes(fields.statement, 'statement', false);
      const bank = bytes(fields.bank, 'bank', false);
      const plain = {};
      for (const key of ['name', 'format', 'bankName', 'bankFormat', 'asOf', 'coveredFrom', 'lang']) {
        const value = text(fields[key], key, key === 'name' ? "'settle.csv'" : key === 'bankName' ? "'bank.csv'" : 'a string', !['name', 'bankName'].includes(key));
        if (value !== undefined) plain[key] = value;
      }
      return camelCase(call(() => bindings.checkDeposits(plain, statement, bank)));
    },
    statementTrades: (request) => {
      audit('statementTrades');
      const fields = ownFields(request, 'the statementTrades request', ['statement', 'name', 'format'], "{ statement: bytes, name: 'settle.csv' }");
      const statement = bytes(fields.statement, 'statement', false);
      const name = text(fields.name, 'name', "'settle.csv'");
      const format = text(fields.format, 'format', "'auto'", true);
      return call(() => bindings.statementTrades(name, format, statement));
    },
    presets: () => camelCase(call(() => bindings.presets())),
    channels: () => camelCase(call(() => bindings.channels())),
    errorCodes: () => call(() => bindings.errorCodes()),
    quote: (request) => priced(quoteRequest(request), quoteChecked),
    quoteMany: (request) => {
      tables('quoteMany');
      const plain = quoteManyRequest(request);
      return call(() => bindings.quoteMany(plain));
    },
    quoteCsv: (request) => {
      tables('quoteCsv');
      const example = "{ preset: 'standard', csv: 'amount,channel,time\\n100,debit,2026-05-06 10:00\\n' }";
      const fields = ownFields(request, 'the quoteCsv request', ['preset', 'schedule', 'csv', 'provisional', 'onInvalid'], example);
      const records = parseCsv(text(fields.csv, 'csv', 'the text of a CSV file'));
      if (records.length === 0) throw posfeeError('invalid_record', 'the CSV text has no header line', 'csv');
      const [header, ...body] = records;
      const names = header.map((name) => name.trim());
      for (const required of ['amount', 'channel', 'time']) {
        if (!names.includes(required)) throw posfeeError('invalid_record', `the CSV text has no \`${required}\` column (header: ${names.join(',')})`, required);
      }
      const rows = body.map((cells, k) => {
        if (cells.length !== names.length) {
          throw posfeeError('invalid_record', `row ${k}: the record has ${cells.length} fields, the header ${names.length}`, 'csv');
        }
        const row = {};
        names.forEach((name, i) => {
          if (TRADE_FIELDS.includes(name) && (cells[i] !== '' || ['amount', 'channel', 'time'].includes(name))) row[name] = cells[i];
        });
        return row;
      });
      const quoted = call(() =>
        bindings.quoteMany(quoteManyRequest({ preset: fields.preset, schedule: fields.schedule, rows, provisional: fields.provisional, onInvalid: fields.onInvalid })),
      );
      const added = call(() => bindings.quotedColumns());
      return { columns: [...header, ...added], rows: body.map((cells, k) => [...cells, ...added.map((name) => quoted[k][name])]) };
    },
    compare: (request) => {
      tables('compare');
      const plain = compareRequest(request);
      return call(() => bindings.compare(plain));
    },
    capThreshold: (request) => priced(capRequest(request), capChecked),
    parseSchedule: (toml) => {
      const schedule = Schedule.parse(toml);
      try {
        return schedule.info();
      } finally {
        schedule.free();
      }
    },
    presetToml: (name) => {
      const checked = text(name, 'name', '"standard"');
      return call(() => bindings.presetToml(checked));
    },
    isBusinessDay: (date) => {
      calculator('isBusinessDay');
      const checked = text(date, 'date', '"2026-10-08"');
      return call(() => bindings.isBusinessDay(checked));
    },
    addBusinessDays: (date, n) => {
      calculator('addBusinessDays');
      const checkedDate = text(date, 'date', '"2026-09-30"');
      const checkedN = whole(n, 'n');
      return call(() => bindings.addBusinessDays(checkedDate, checkedN));
    },
    loadHolidays: (holidayText) => {
      const checked = text(holidayText, 'holidays', 'the text of a holiday-cn JSON file');
      const entry = isHolidayJson(checked) ? jsonEntry(checked) : tomlEntry(checked);
      const years = call(() => loadInto(entry));
      holidays.push(entry);
      return years;
    },
    resetHolidays: () => {
      const years = call(() => bindings.resetHolidays());
      holidays.length = 0;
      return years;
    },
    calendarYears: () => call(() => bindings.calendarYears()),
    __forcePanicForTests: () => call(() => bindings.__forcePanicForTests()),
    __forceTrapForTests: () => call(() => bindings.__forceTrapForTests()),
  };
}
