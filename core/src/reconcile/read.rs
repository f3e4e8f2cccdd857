//! Readers of ledger and statement files (with the `csv` and `encoding_rs` crates) and
//! writers of the canonical CSVs.
//!
//! Every reader decodes UTF-8 (with or without BOM) or, failing that, GBK; it never drops
//! a line silently: a line that cannot be read becomes a [`ReadIssue`] naming file, line,
//! column, field and reason. Blank lines, `#` comment lines and the summary rows of
//! WeChat bills and bank files (合计 / 总计) are not trades and are skipped.

use std::borrow::Cow;
use std::ops::Range;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use rayon::prelude::*;

use super::schema::{from_unix, Ledger, LedgerRow, Statement, StatementRow};
use super::spreadsheet::neutralize_cell;
use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::money::Money;
use crate::quote::TradeKind;
use crate::settlement::{china_offset, parse_china_time, parse_date};
use crate::text::trim;

/// The largest input accepted by a reader: 8 GiB.
const MAX_INPUT_BYTES: usize = 8 << 30;

/// Decodes UTF-8 (BOM stripped) or GBK.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::GBK.decode_without_bom_handling(bytes).0,
    }
}

fn too_large(file: &str, bytes: &[u8]) -> Result<()> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::new(ErrorKind::InvalidRecord, format!("input of {} bytes exceeds the limit of {MAX_INPUT_BYTES}", bytes.len()))
            .at(Location::default().file(file)));
    }
    Ok(())
}

/// One record of a CSV file: its fields as text, and its line for located errors.
struct Row<'r> {
    /// The text the field ranges point into.
    text: &'r str,
    fields: &'r [Range<usize>],
    line: u64,
    file: &'r str,
}

impl<'r> Row<'r> {
    fn error(&self, column: Option<usize>, field: &str, error: Error) -> Error {
        let mut at = Location::default().file(self.file).line(self.line).field(field);
        if let Some(column) = column {
            at = at.column(column as u64 + 1);
        }
        error.at(at)
    }

    /// Field `column` as read (`None` past the last field).
    fn field(&self, column: usize) -> Option<&'r str> {
        self.fields.get(column).and_then(|range| self.text.get(range.clone()))
    }

    /// The cleaned value of a column (backtick prefix, `=` quoting and spaces removed).
    fn get(&self, column: Option<usize>) -> &'r str {
        column.and_then(|c| self.field(c)).map(clean).unwrap_or("")
    }

    fn required(&self, column: Option<usize>, field: &str) -> Result<&'r str> {
        if let Some(c) = column.filter(|&c| c >= self.fields.len()) {
            let message = format!("the row has {} field(s) and ends before column {} ({field})", self.fields.len(), c + 1);
            return Err(self.error(column, field, Error::new(ErrorKind::InvalidRecord, message)));
        }
        let value = self.get(column);
        if value.is_empty() {
            return Err(self.error(column, field, Error::new(ErrorKind::InvalidRecord, format!("{field} is empty"))));
        }
        Ok(value)
    }

    fn raw(&self) -> String {
        (0..self.fields.len()).filter_map(|c| self.field(c)).collect::<Vec<_>>().join(",")
    }
}

#[inline]
fn clean(value: &str) -> &str {
    // Most fields need nothing: no surrounding space, backtick or `="..."` quoting.
    if let (Some(&first), Some(&last)) = (value.as_bytes().first(), value.as_bytes().last()) {
        if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() {
            return value;
        }
    }
    let value = value.trim();
    let value = value.strip_prefix('`').unwrap_or(value);
    let value = value.strip_prefix("=\"").and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    super::spreadsheet::restore_cell(value.trim().trim_start_matches('\t'))
}

fn parse_kind(text: &str) -> Result<TradeKind> {
    let text = trim(text);
    let lower;
    let key = if text.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = text.to_ascii_lowercase();
        lower.as_str()
    } else {
        text
    };
    match key {
        "" | "purchase" | "sale" | "消费" | "交易" | "success" | "支付成功" | "消费成功" => Ok(TradeKind::Purchase),
        "void" | "撤销" | "消费撤销" | "revoked" | "已撤销" => Ok(TradeKind::Void),
        "refund" | "退货" | "退款" | "退款成功" => Ok(TradeKind::Refund),
        _ => Err(Error::new(
            ErrorKind::InvalidRecord,
            format!("trade type {text:?} is not purchase (消费), void (撤销) or refund (退货/退款)"),
        )),
    }
}

fn parse_card_channel(text: &str) -> Result<Channel> {
    match trim(text) {
        "借记卡" | "借记" | "储蓄卡" | "准贷记卡" => Ok(Channel::Debit),
        "贷记卡" | "贷记" | "信用卡" => Ok(Channel::Credit),
        other => Channel::parse(other),
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    (!bytes.is_empty() && bytes.len() <= 9 && bytes.iter().all(u8::is_ascii_digit))
        .then(|| bytes.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0')))
}

fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let text = trim(text);
    let b = text.as_bytes();
    if b.len() == 6 {
        if let (Some(h), Some(m), Some(s)) = (digits(&b[0..2]), digits(&b[2..4]), digits(&b[4..6])) {
            return NaiveTime::from_hms_opt(h, m, s);
        }
    }
    ["%H:%M:%S", "%H%M%S", "%H:%M"].iter().find_map(|f| NaiveTime::parse_from_str(text, f).ok())
}

/// A date as `YYYYMMDD` without trying other formats first; anything else goes to
/// [`parse_date`].
fn fast_date(text: &str) -> Result<NaiveDate> {
    let b = trim(text).as_bytes();
    if b.len() == 8 {
        if let (Some(y), Some(m), Some(d)) = (digits(&b[0..4]), digits(&b[4..6]), digits(&b[6..8])) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(date);
            }
        }
    }
    parse_date(text)
}

fn china(date: NaiveDate, time: NaiveTime) -> Option<DateTime<FixedOffset>> {
    china_offset().from_local_datetime(&date.and_time(time)).single()
}

/// Parses a time from one column (date and time) or two (date, time of day).
fn parse_when(date: &str, time: &str) -> Result<DateTime<FixedOffset>> {
    if time.is_empty() {
        return parse_china_time(date);
    }
    if date.is_empty() {
        return parse_china_time(time);
    }
    let day = fast_date(date)?;
    let at = parse_time_of_day(time)
        .ok_or_else(|| Error::new(ErrorKind::InvalidDate, format!("time {time:?} is not a time of day (10:30:00 or 103000)")))?;
    china(day, at).ok_or_else(|| Error::new(ErrorKind::InvalidDate, format!("{date} {time} is not a valid China time")))
}

fn signed_money(text: &str) -> Result<Money> {
    Money::parse(text)
}

fn reader(text: &str, comment: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(if comment { Some(b'#') } else { None })
        .from_reader(text.as_bytes())
}

/// The number of line feeds in `bytes`.
fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// The true line of the record or error that the csv crate places at byte `at` of `text`
/// (whose first line is `first_line`). The crate's own line count is one short after a CRLF
/// (it counts the `\n` of a CRLF with the next record) and after a blank line, so the line is
/// counted here: the line ends before the record's first byte that is not a line end.
/// `cursor` carries (byte, line) from the previous call, so a pass costs O(n).
fn true_line(text: &[u8], at: usize, first_line: u64, cursor: &mut (usize, u64)) -> u64 {
    let at = at.min(text.len());
    let start = at + text[at..].iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
    if start < cursor.0 {
        *cursor = (0, first_line);
    }
    cursor.1 += newlines(&text[cursor.0..start]);
    cursor.0 = start;
    cursor.1
}

/// Where a quoted field opens that never closes (the csv crate then reads the rest of the
/// input as that one field): the start of its record, the opening quote, and where the line
/// of the quote ends (where reading resumes).
struct Unterminated {
    record_start: usize,
    quote_at: usize,
    resume: usize,
}

/// Finds the first quoted field of `bytes` that is never closed, following the csv crate's
/// rules: a quote opens a field only as its first byte, `""` inside is an escaped quote, and
/// (with `comment`) a record starting with `#` is a comment line.
fn unterminated_quote(bytes: &[u8], comment: bool) -> Option<Unterminated> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        RecordStart,
        FieldStart,
        Field,
        Quoted,
        QuoteInQuoted,
        Comment,
    }
    let mut state = State::RecordStart;
    let (mut record_start, mut quote_at) = (0, 0);
    for (k, &b) in bytes.iter().enumerate() {
        let line_end = b == b'\n' || b == b'\r';
        state = match state {
            State::RecordStart | State::FieldStart => {
                if state == State::RecordStart {
                    record_start = k;
                }
                match b {
                    b'#' if comment && state == State::RecordStart => State::Comment,
                    b'"' => {
                        quote_at = k;
                        State::Quoted
                    }
                    b',' => State::FieldStart,
                    _ if line_end => State::RecordStart,
                    _ => State::Field,
                }
            }
            State::Field | State::QuoteInQuoted => match b {
                b',' => State::FieldStart,
                b'"' if state == State::QuoteInQuoted => State::Quoted,
                _ if line_end => State::RecordStart,
                _ => State::Field,
            },
            State::Quoted => {
                if b == b'"' {
                    State::QuoteInQuoted
                } else {
                    State::Quoted
                }
            }
            State::Comment => {
                if b == b'\n' {
                    State::RecordStart
                } else {
                    State::Comment
                }
            }
        };
    }
    (state == State::Quoted).then(|| {
        let resume = memchr::memchr(b'\n', &bytes[quote_at..]).map_or(bytes.len(), |k| quote_at + k + 1);
        Unterminated { record_start, quote_at, resume }
    })
}

/// Streams the records of `text` (whose first line is line `first_line`), skipping blank
/// lines; lines the csv crate rejects are passed on as errors with their true line.
///
/// A quoted field that never closes would swallow every later line: its record is passed on
/// as an error naming the quote's line and column, and reading resumes on the next line, so
/// every line is either read or reported.
fn stream(text: &str, first_line: u64, comment: bool, mut each: impl FnMut(std::result::Result<&Row<'_>, (u64, Error)>), file: &str) {
    let (mut rest, mut line) = (text, first_line);
    while let Some(open) = memchr::memchr(b'"', rest.as_bytes()).and_then(|_| unterminated_quote(rest.as_bytes(), comment)) {
        stream_records(&rest[..open.record_start], line, comment, &mut each, file);
        let bytes = rest.as_bytes();
        let record_line = line + newlines(&bytes[..open.record_start]);
        let quote_line = line + newlines(&bytes[..open.quote_at]);
        let line_start = bytes[..open.quote_at].iter().rposition(|&b| b == b'\n').map_or(0, |k| k + 1);
        let column = rest[line_start..open.quote_at].chars().count() as u64 + 1;
        let lines =
            if quote_line == record_line { format!("line {record_line} is") } else { format!("lines {record_line} to {quote_line} are") };
        let message =
            format!("malformed CSV: the quote at line {quote_line}, column {column} opens a field that is never closed; {lines} not read");
        each(Err((record_line, Error::new(ErrorKind::InvalidRecord, message).at(Location::default().column(column)))));
        line += newlines(&bytes[..open.resume]);
        rest = &rest[open.resume..];
    }
    stream_records(rest, line, comment, &mut each, file);
}

/// [`stream`] on text without an unterminated quote.
///
/// A record without quotes is handed on as ranges of `text` itself (no copy and no second
/// UTF-8 check: `text` is valid UTF-8 and the delimiters are ASCII); a quoted one as the
/// csv crate's unescaped fields, checked.
fn stream_records(
    text: &str,
    first_line: u64,
    comment: bool,
    each: &mut impl FnMut(std::result::Result<&Row<'_>, (u64, Error)>),
    file: &str,
) {
    let mut reader = reader(text, comment);
    let mut record = csv::ByteRecord::new();
    let mut fields: Vec<Range<usize>> = Vec::new();
    let mut cursor = (0, first_line);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(0, |p| p.byte() as usize);
                let line = true_line(text.as_bytes(), start, first_line, &mut cursor);
                fields.clear();
                let source = if in_place(text, reader.position().byte() as usize, &record, &mut fields) {
                    text
                } else {
                    match std::str::from_utf8(record.as_slice()) {
                        Ok(unescaped) => {
                            fields.clear();
                            fields.extend((0..record.len()).filter_map(|k| record.range(k)));
                            unescaped
                        }
                        Err(error) => {
                            each(Err((line, Error::new(ErrorKind::InvalidRecord, format!("malformed CSV: invalid UTF-8: {error}")))));
                            continue;
                        }
                    }
                };
                let row = Row { text: source, fields: &fields, line, file };
                if (0..fields.len()).all(|c| row.field(c).map_or(true, |f| clean(f).is_empty())) {
                    continue;
                }
                each(Ok(&row));
            }
            Err(error) => {
                let start = error.position().map_or(0, |p| p.byte() as usize);
                let line = true_line(text.as_bytes(), start, first_line, &mut cursor);
                each(Err((line, Error::new(ErrorKind::InvalidRecord, format!("malformed CSV: {error}")))));
                if !matches!(error.kind(), csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
}

/// Finds the fields of `record` in `text` itself, whose record ends (with its line end) at
/// `end`: true, with `fields` filled, when every field is there byte for byte between single
/// commas (a record without quotes); false otherwise.
fn in_place(text: &str, end: usize, record: &csv::ByteRecord, fields: &mut Vec<Range<usize>>) -> bool {
    let bytes = text.as_bytes();
    let Some(before) = bytes.get(..end) else { return false };
    let raw_end = before.len() - before.iter().rev().take_while(|&&b| b == b'\n' || b == b'\r').count();
    let Some(mut at) = raw_end.checked_sub(record.as_slice().len() + record.len().saturating_sub(1)) else { return false };
    for (k, field) in record.iter().enumerate() {
        if k > 0 {
            if bytes.get(at) != Some(&b',') {
                return false;
            }
            at += 1;
        }
        if bytes.get(at..at + field.len()) != Some(field) {
            return false;
        }
        fields.push(at..at + field.len());
        at += field.len();
    }
    true
}

/// The first record accepted by `accept` among the first `limit` records: the record, the
/// byte offset and line number where the data after it starts, and the line of the first
/// record seen (for errors).
fn header(
    text: &str,
    comment: bool,
    limit: usize,
    mut accept: impl FnMut(&csv::StringRecord) -> bool,
) -> std::result::Result<(csv::StringRecord, usize, u64), u64> {
    let mut reader = reader(text, comment);
    let mut record = csv::StringRecord::new();
    let mut first_line = None;
    let mut cursor = (0, 1);
    for _ in 0..limit {
        match reader.read_record(&mut record) {
            Ok(true) => {
                if record.iter().all(|f| clean(f).is_empty()) {
                    continue;
                }
                let start = record.position().map_or(0, |p| p.byte() as usize);
                first_line.get_or_insert(true_line(text.as_bytes(), start, 1, &mut cursor));
                if accept(&record) {
                    let after = reader.position().byte() as usize;
                    return Ok((record, after, 1 + newlines(&text.as_bytes()[..after])));
                }
            }
            Ok(false) | Err(_) => break,
        }
    }
    Err(first_line.unwrap_or(1))
}

/// Splits `text` (whose first line is `first_line`) into chunks at line ends, unless a
/// quoted field spans a line, parses them in parallel one wave at a time (a chunk per
/// thread), and hands the parsed chunks in order to `take`: besides what `take` keeps, only
/// one wave of parsed chunks is held at a time.
fn par_chunks<T: Send>(
    text: &str,
    first_line: u64,
    parse: impl Fn(&str, u64) -> T + Sync,
    mut take: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    const MIN_CHUNK: usize = 1 << 20;
    const MAX_CHUNK: usize = 4 << 20;
    let bytes = text.as_bytes();
    let threads = rayon::current_num_threads();
    let splittable = bytes.len() >= 2 * MIN_CHUNK && (memchr::memchr(b'"', bytes).is_none() || no_quoted_line_end(bytes));
    if !splittable {
        return take(parse(text, first_line));
    }
    let target = (bytes.len() / (threads * 4)).clamp(MIN_CHUNK, MAX_CHUNK);
    let mut bounds = vec![0usize];
    let mut at = target;
    while at < bytes.len() {
        match memchr::memchr(b'\n', &bytes[at..]) {
            Some(k) => {
                bounds.push(at + k + 1);
                at += k + 1 + target;
            }
            None => break,
        }
    }
    if *bounds.last().unwrap_or(&0) != bytes.len() {
        bounds.push(bytes.len());
    }
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).filter(|(a, b)| a < b).collect();
    let newlines: Vec<u64> = ranges.par_iter().map(|&(a, b)| memchr::memchr_iter(b'\n', &bytes[a..b]).count() as u64).collect();
    let mut chunks = Vec::with_capacity(ranges.len());
    let mut line = first_line;
    for (&(a, b), count) in ranges.iter().zip(&newlines) {
        chunks.push((&text[a..b], line));
        line += count;
    }
    for wave in chunks.chunks(threads) {
        let parsed: Vec<T> = wave.par_iter().map(|&(chunk, line)| parse(chunk, line)).collect();
        for part in parsed {
            take(part)?;
        }
    }
    Ok(())
}

/// Whether no quoted field of `bytes` spans a line end.
fn no_quoted_line_end(bytes: &[u8]) -> bool {
    let mut in_quote = false;
    for &b in bytes {
        if b == b'"' {
            in_quote = !in_quote;
        } else if b == b'\n' && in_quote {
            return false;
        }
    }
    true
}

/// Checks that no column the reader uses is named twice in the header (a second `amount`
/// column would otherwise be ignored without a word).
fn unique_columns(header: &csv::StringRecord, columns: &[Option<usize>], file: &str, line: u64) -> Result<()> {
    for &c in columns.iter().flatten() {
        let name = clean(&header[c]);
        if let Some(again) = header.iter().enumerate().position(|(k, h)| k != c && clean(h).eq_ignore_ascii_case(name)) {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!(
                    "the header names the column {name:?} twice (columns {} and {}); rename or remove one",
                    c.min(again) + 1,
                    c.max(again) + 1
                ),
            )
            .at(Location::default().file(file).line(line).column(again.max(c) as u64 + 1).field(name)));
        }
    }
    Ok(())
}

fn find(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = clean(h);
        names.iter().any(|n| h.eq_ignore_ascii_case(n))
    })
}

// ---------------------------------------------------------------------------------------
// Ledger (canonical schema)

const LEDGER_COLUMNS: [&str; 12] = [
    "trade_id",
    "rrn",
    "trace",
    "terminal",
    "merchant_no",
    "time",
    "amount",
    "channel",
    "card_type",
    "kind",
    "response_code",
    "original_rrn",
];

/// Reads a ledger CSV in the canonical schema: a header with the column names of the
/// [`Ledger`] schema (`trade_id`, `time`, `amount` and `channel` required; `rrn`, `trace`,
/// `terminal`, `merchant_no`, `card_type`, `kind`, `response_code`, `original_rrn`
/// optional), amounts in yuan (`12.34`), times as `2026-05-06 10:00:00` (China time) or
/// RFC 3339.
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] when the file is empty, larger than 8 GiB, or lacks a
/// required column (naming it). Bad lines are not errors: they are kept in
/// [`Ledger::issues`].
///
/// # Example
/// ```
/// let csv = "trade_id,rrn,terminal,time,amount,channel\nA1,612610000001,T0000001,2026-05-06 10:00:00,100.00,credit\n";
/// let ledger = posfee::reconcile::read_ledger_csv(csv.as_bytes(), "ledger.csv")?;
/// assert_eq!(ledger.len(), 1);
/// assert_eq!(ledger.record(0).rrn, "612610000001");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_ledger_csv(bytes: &[u8], file: &str) -> Result<Ledger> {
    too_large(file, bytes)?;
    let text = decode(bytes);
    let Ok((header, data_start, data_line)) = header(&text, true, 1, |_| true) else {
        return Err(Error::new(ErrorKind::InvalidRecord, "the ledger file is empty (no header)").at(Location::default().file(file).line(1)));
    };
    let column: Vec<Option<usize>> = LEDGER_COLUMNS.iter().map(|name| find(&header, &[name])).collect();
    unique_columns(&header, &column, file, data_line - 1)?;
    for required in [0, 5, 6, 7] {
        if column[required].is_none() {
            return Err(Error::new(ErrorKind::InvalidRecord, format!("the ledger header lacks the column {:?}", LEDGER_COLUMNS[required]))
                .at(Location::default().file(file).line(1).field(LEDGER_COLUMNS[required])));
        }
    }
    let mut ledger = Ledger::new(file);
    let parse = |chunk: &str, first_line: u64| {
        let mut ledger = Ledger::new(file);
        ledger.reserve(chunk.len() / 100 + 16, chunk.len() / 2);
        stream(
            chunk,
            first_line,
            true,
            |row| match row {
                Err((line, error)) => ledger.push_issue(error.at(Location::default().line(line)), ""),
                Ok(row) => {
                    if let Err(error) = ledger_record(row, &column).and_then(|record| ledger.push_row(record)) {
                        ledger.push_issue(error, row.raw());
                    }
                }
            },
            file,
        );
        ledger
    };
    par_chunks(&text[data_start..], data_line, parse, |part| ledger.append(part))?;
    Ok(ledger)
}

fn ledger_record<'r>(row: &Row<'r>, column: &[Option<usize>]) -> Result<LedgerRow<'r>> {
    let c = |k: usize| column[k];
    let trade_id = row.required(c(0), "trade_id")?;
    let time = fast_time(row.required(c(5), "time")?).map_err(|e| row.error(c(5), "time", e))?;
    let amount = Money::parse_amount(row.required(c(6), "amount")?).map_err(|e| row.error(c(6), "amount", e))?;
    let channel = Channel::parse(row.required(c(7), "channel")?).map_err(|e| row.error(c(7), "channel", e))?;
    let card_type = match row.get(c(8)) {
        "" => None,
        text => Some(CardType::parse(text).map_err(|e| row.error(c(8), "card_type", e))?),
    };
    let kind = parse_kind(row.get(c(9))).map_err(|e| row.error(c(9), "kind", e))?;
    let code = row.get(c(10));
    Ok(LedgerRow {
        trade_id,
        rrn: row.get(c(1)),
        trace: row.get(c(2)),
        terminal: row.get(c(3)),
        merchant_no: row.get(c(4)),
        time,
        amount,
        channel,
        card_type,
        kind,
        response_code: if code.is_empty() { "00" } else { code },
        original_rrn: row.get(c(11)),
        line: row.line,
    })
}

/// A China-time `YYYY-MM-DD HH:MM:SS` (the canonical form) without trying other formats
/// first; anything else goes to [`parse_china_time`].
fn fast_time(text: &str) -> Result<DateTime<FixedOffset>> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range).filter(|d| d.iter().all(u8::is_ascii_digit)).map(|d| d.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0')))
    };
    if b.len() == 19 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' && b[16] == b':' {
        if let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)) =
            (digits(0..4), digits(5..7), digits(8..10), digits(11..13), digits(14..16), digits(17..19))
        {
            if let (Some(date), Some(time)) = (NaiveDate::from_ymd_opt(y as i32, mo, d), NaiveTime::from_hms_opt(h, mi, se)) {
                if let Some(at) = china(date, time) {
                    return Ok(at);
                }
            }
        }
    }
    parse_china_time(text)
}

/// Writes a ledger as canonical CSV (what [`read_ledger_csv`] reads). Cells a spreadsheet
/// would run as formulas are written with a leading `'` ([`neutralize_cell`]), which the
/// readers take off again.
///
/// # Example
/// ```
/// use posfee::reconcile::{read_ledger_csv, write_ledger_csv, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(1).trades(50))?;
/// let text = write_ledger_csv(&sample.ledger);
/// let back = read_ledger_csv(text.as_bytes(), "ledger.csv")?;
/// assert_eq!(back.len(), sample.ledger.len());
/// assert_eq!(back.amounts_fen(), sample.ledger.amounts_fen());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn write_ledger_csv(ledger: &Ledger) -> String {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(ledger.len() * 110 + 128));
    let _ = writer.write_record(LEDGER_COLUMNS);
    for i in 0..ledger.len() {
        let time = from_unix(ledger.time[i]).format("%Y-%m-%d %H:%M:%S").to_string();
        let amount = Money::from_fen(ledger.amount_fen[i]).to_string();
        let card_type = ledger.card_type[i].map(|c| c.name()).unwrap_or("");
        let _ = writer.write_record(
            [
                ledger.trade_id.get(i),
                ledger.rrn.get(i),
                ledger.trace.get(i),
                ledger.terminal.get(i),
                ledger.merchant_no.get(i),
                &time,
                &amount,
                ledger.channel[i].name(),
                card_type,
                ledger.kind[i].name(),
                ledger.response_code.get(i),
                ledger.original_rrn.get(i),
            ]
            .map(|cell| neutralize_cell(cell).into_owned()),
        );
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Bank / UnionPay settlement CSV

/// A field of a bank / UnionPay settlement file, for a [`ColumnMap`].
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::StatementField::Fee.name(), "fee");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementField {
    /// 清算日期 (required).
    SettlementDate,
    /// 商户号.
    MerchantNo,
    /// 商户名称.
    MerchantName,
    /// 终端号.
    Terminal,
    /// 参考号 / 检索参考号.
    Rrn,
    /// 交易日期 (or a date-time; required).
    TradeDate,
    /// 交易时间 (time of day; optional when the date column has the time).
    TradeTime,
    /// 交易金额 (required; negative means a refund when there is no type column).
    Amount,
    /// 手续费 (required).
    Fee,
    /// 结算金额 (when absent: amount − fee).
    Net,
    /// 卡类别 or channel (required).
    CardType,
    /// 交易类型 (消费 / 撤销 / 退货).
    Kind,
}

impl StatementField {
    /// Every field.
    pub const ALL: [StatementField; 12] = [
        StatementField::SettlementDate,
        StatementField::MerchantNo,
        StatementField::MerchantName,
        StatementField::Terminal,
        StatementField::Rrn,
        StatementField::TradeDate,
        StatementField::TradeTime,
        StatementField::Amount,
        StatementField::Fee,
        StatementField::Net,
        StatementField::CardType,
        StatementField::Kind,
    ];

    /// The snake_case name (used in error locations).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::StatementField::SettlementDate.name(), "settlement_date");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            StatementField::SettlementDate => "settlement_date",
            StatementField::MerchantNo => "merchant_no",
            StatementField::MerchantName => "merchant_name",
            StatementField::Terminal => "terminal",
            StatementField::Rrn => "rrn",
            StatementField::TradeDate => "trade_date",
            StatementField::TradeTime => "trade_time",
            StatementField::Amount => "amount",
            StatementField::Fee => "fee",
            StatementField::Net => "net",
            StatementField::CardType => "card_type",
            StatementField::Kind => "kind",
        }
    }

    const fn required(self) -> bool {
        matches!(
            self,
            StatementField::SettlementDate
                | StatementField::TradeDate
                | StatementField::Amount
                | StatementField::Fee
                | StatementField::CardType
        )
    }
}

/// Which header names a bank file uses for each [`StatementField`]. The default is the
/// Chinese headers of a UnionPay POS settlement file (清算日期, 商户号, 终端号, 交易日期,
/// 交易时间, 交易金额, 手续费, 结算金额, 参考号, 卡类别, 交易类型, ...); the canonical English
/// names (`settlement_date`, ...) are always accepted too.
///
/// # Example
/// ```
/// use posfee::reconcile::{ColumnMap, StatementField};
/// let map = ColumnMap::default().set(StatementField::Rrn, "系统参考号");
/// assert!(map.names(StatementField::Rrn).contains(&"系统参考号".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    names: Vec<(StatementField, Vec<String>)>,
}

impl Default for ColumnMap {
    fn default() -> ColumnMap {
        let chinese: [(StatementField, &[&str]); 12] = [
            (StatementField::SettlementDate, &["清算日期", "结算日期"]),
            (StatementField::MerchantNo, &["商户号", "商户编号"]),
            (StatementField::MerchantName, &["商户名称", "商户名"]),
            (StatementField::Terminal, &["终端号", "终端编号"]),
            (StatementField::Rrn, &["参考号", "检索参考号", "系统参考号"]),
            (StatementField::TradeDate, &["交易日期"]),
            (StatementField::TradeTime, &["交易时间"]),
            (StatementField::Amount, &["交易金额"]),
            (StatementField::Fee, &["手续费"]),
            (StatementField::Net, &["结算金额", "清算金额"]),
            (StatementField::CardType, &["卡类别", "卡类型", "支付方式"]),
            (StatementField::Kind, &["交易类型", "交易码"]),
        ];
        ColumnMap {
            names: chinese
                .iter()
                .map(|(field, names)| (*field, names.iter().map(|n| n.to_string()).chain([field.name().to_string()]).collect()))
                .collect(),
        }
    }
}

impl ColumnMap {
    /// Adds `header` as a name of `field` (tried before the defaults).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{ColumnMap, StatementField};
    /// let map = ColumnMap::default().set(StatementField::Fee, "扣率手续费");
    /// assert_eq!(map.names(StatementField::Fee)[0], "扣率手续费");
    /// ```
    pub fn set(mut self, field: StatementField, header: impl Into<String>) -> ColumnMap {
        if let Some((_, names)) = self.names.iter_mut().find(|(f, _)| *f == field) {
            names.insert(0, header.into());
        }
        self
    }

    /// The header names accepted for `field`.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{ColumnMap, StatementField};
    /// assert!(ColumnMap::default().names(StatementField::SettlementDate).contains(&"清算日期".to_string()));
    /// ```
    pub fn names(&self, field: StatementField) -> &[String] {
        self.names.iter().find(|(f, _)| *f == field).map(|(_, n)| n.as_slice()).unwrap_or(&[])
    }

    fn locate(&self, header: &csv::StringRecord) -> Vec<Option<usize>> {
        StatementField::ALL
            .iter()
            .map(|&field| {
                let names: Vec<&str> = self.names(field).iter().map(String::as_str).collect();
                names.iter().find_map(|name| find(header, &[name]))
            })
            .collect()
    }
}

fn is_summary_row(row: &Row<'_>) -> bool {
    let first = row.get(Some(0));
    ["合计", "总计", "小计", "汇总", "总交易单数", "total"].iter().any(|p| first.starts_with(p))
}

/// Reads a bank / UnionPay POS settlement CSV (UTF-8 or GBK) with the given column map.
/// Lines before the header row (titles) and summary rows (合计 / 总计) are skipped; the
/// header row is the first line naming the required columns.
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] when no line holds the required headers (naming the missing
/// ones) or the input exceeds 8 GiB. Bad lines are kept in [`Statement::issues`].
///
/// # Example
/// ```
/// use posfee::reconcile::{read_bank_csv, ColumnMap};
/// let csv = "清算日期,商户号,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别\n\
///            20260507,102310058120001,T0000001,20260506,103000,\"1,000.00\",6.00,994.00,612610000001,贷记卡\n\
///            20260507,102310058120001,T0000001,20260506,103000,x,6.00,994.00,612610000002,贷记卡\n\
///            合计,,,,,1000.00,6.00,994.00,,\n";
/// let statement = read_bank_csv(csv.as_bytes(), "settle.csv", &ColumnMap::default())?;
/// assert_eq!(statement.len(), 1);
/// assert_eq!(statement.record(0).amount.to_string(), "1000.00");
/// let issue = &statement.issues()[0];
/// assert_eq!((issue.error.location().line, issue.error.location().column), (Some(3), Some(6)));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_bank_csv(bytes: &[u8], file: &str, map: &ColumnMap) -> Result<Statement> {
    too_large(file, bytes)?;
    let text = decode(bytes);
    let complete = |found: &[Option<usize>]| StatementField::ALL.iter().zip(found).all(|(f, c)| !f.required() || c.is_some());
    let (header_record, data_start, data_line) = match header(&text, false, 64, |record| complete(&map.locate(record))) {
        Ok(found) => found,
        Err(first_line) => {
            let first = header(&text, false, 1, |_| true).map(|(r, _, _)| map.locate(&r)).unwrap_or_default();
            let missing: Vec<&str> = StatementField::ALL
                .iter()
                .enumerate()
                .filter(|(k, f)| f.required() && first.get(*k).copied().flatten().is_none())
                .map(|(_, f)| f.name())
                .collect();
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!("no header row with the required columns; missing {}", missing.join(", ")),
            )
            .at(Location::default().file(file).line(first_line)));
        }
    };
    let columns = map.locate(&header_record);
    unique_columns(&header_record, &columns, file, data_line - 1)?;
    read_statement_rows(&text[data_start..], data_line, file, false, &columns, bank_record)
}

/// Reads the detail rows of a statement in parallel chunks, skipping summary rows: each row is
/// converted by `convert` and pushed, or kept as an issue with its line (never dropped).
fn read_statement_rows(
    text: &str,
    first_line: u64,
    file: &str,
    comment: bool,
    columns: &[Option<usize>],
    convert: impl for<'r> Fn(&Row<'r>, &[Option<usize>]) -> Result<StatementRow<'r>> + Sync,
) -> Result<Statement> {
    let mut statement = Statement::new(file);
    let parse = |chunk: &str, first_line: u64| {
        let mut statement = Statement::new(file);
        statement.reserve(chunk.len() / 100 + 16, chunk.len() / 3);
        stream(
            chunk,
            first_line,
            comment,
            |row| match row {
                Err((line, error)) => statement.push_issue(error.at(Location::default().line(line)), ""),
                Ok(row) if is_summary_row(row) => {}
                Ok(row) => push_or_report(&mut statement, row, convert(row, columns)),
            },
            file,
        );
        statement
    };
    par_chunks(text, first_line, parse, |part| statement.append(part))?;
    Ok(statement)
}

/// Pushes a converted statement row, or records why its line could not be read.
fn push_or_report(statement: &mut Statement, row: &Row<'_>, converted: Result<StatementRow<'_>>) {
    if let Err(error) = converted.and_then(|record| statement.push_row(record)) {
        statement.push_issue(error, row.raw());
    }
}

fn bank_record<'r>(row: &Row<'r>, columns: &[Option<usize>]) -> Result<StatementRow<'r>> {
    let c = |field: StatementField| columns[field as usize];
    use StatementField as F;
    let settlement_date = fast_date(row.required(c(F::SettlementDate), "settlement_date")?)
        .map_err(|e| row.error(c(F::SettlementDate), "settlement_date", e))?;
    let time_of_day = row.get(c(F::TradeTime));
    if !time_of_day.is_empty() && parse_time_of_day(time_of_day).is_none() && parse_china_time(time_of_day).is_err() {
        let error = Error::new(ErrorKind::InvalidDate, format!("time {time_of_day:?} is not a time of day (10:30:00 or 103000)"));
        return Err(row.error(c(F::TradeTime), "trade_time", error));
    }
    let time =
        parse_when(row.required(c(F::TradeDate), "trade_date")?, time_of_day).map_err(|e| row.error(c(F::TradeDate), "trade_date", e))?;
    let signed_amount = signed_money(row.required(c(F::Amount), "amount")?).map_err(|e| row.error(c(F::Amount), "amount", e))?;
    let fee = signed_money(row.required(c(F::Fee), "fee")?).map_err(|e| row.error(c(F::Fee), "fee", e))?;
    let channel = parse_card_channel(row.required(c(F::CardType), "card_type")?).map_err(|e| row.error(c(F::CardType), "card_type", e))?;
    let kind = match row.get(c(F::Kind)) {
        "" if signed_amount.is_negative() => TradeKind::Refund,
        text => parse_kind(text).map_err(|e| row.error(c(F::Kind), "kind", e))?,
    };
    let amount = if signed_amount.is_negative() { -signed_amount } else { signed_amount };
    let net = match row.get(c(F::Net)) {
        "" => kind.net(amount, fee).ok_or_else(|| row.error(c(F::Fee), "fee", Error::new(ErrorKind::InvalidAmount, "fee out of range")))?,
        text => signed_money(text).map_err(|e| row.error(c(F::Net), "net", e))?,
    };
    Ok(StatementRow {
        settlement_date,
        merchant_no: row.get(c(F::MerchantNo)),
        merchant_name: row.get(c(F::MerchantName)),
        terminal: row.get(c(F::Terminal)),
        rrn: row.get(c(F::Rrn)),
        time,
        amount,
        fee,
        net,
        channel,
        kind,
        line: row.line,
    })
}

/// Writes a statement as a bank settlement CSV with the default Chinese headers (what
/// [`read_bank_csv`] reads with [`ColumnMap::default`]), formula cells neutralized as in
/// [`write_ledger_csv`].
///
/// # Example
/// ```
/// use posfee::reconcile::{read_bank_csv, write_bank_csv, ColumnMap, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(1).trades(50))?;
/// let text = write_bank_csv(&sample.statement);
/// assert!(text.starts_with("清算日期"));
/// let back = read_bank_csv(text.as_bytes(), "settle.csv", &ColumnMap::default())?;
/// assert_eq!(back.amounts_fen(), sample.statement.amounts_fen());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn write_bank_csv(statement: &Statement) -> String {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(statement.len() * 130 + 128));
    let _ = writer.write_record([
        "清算日期",
        "商户号",
        "商户名称",
        "终端号",
        "交易日期",
        "交易时间",
        "交易金额",
        "手续费",
        "结算金额",
        "参考号",
        "卡类别",
        "交易类型",
    ]);
    for j in 0..statement.len() {
        let at = from_unix(statement.time[j]);
        let kind = match statement.kind[j] {
            TradeKind::Purchase => "消费",
            TradeKind::Void => "撤销",
            TradeKind::Refund => "退货",
        };
        let _ = writer.write_record(
            [
                statement.settlement_date[j].format("%Y%m%d").to_string().as_str(),
                statement.merchant_no.get(j),
                statement.merchant_name.get(j),
                statement.terminal.get(j),
                at.format("%Y%m%d").to_string().as_str(),
                at.format("%H%M%S").to_string().as_str(),
                Money::from_fen(statement.amount_fen[j]).to_string().as_str(),
                statement.fee[j].to_string().as_str(),
                statement.net[j].to_string().as_str(),
                statement.rrn.get(j),
                statement.channel[j].name_zh(),
                kind,
            ]
            .map(|cell| neutralize_cell(cell).into_owned()),
        );
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// WeChat Pay bill

/// Reads a WeChat Pay merchant bill (微信支付对账单): comma separated, every value prefixed
/// by a backtick, detail rows then a summary header (总交易单数, ...) and a summary row,
/// fees to five decimals.
///
/// Mapping: 交易时间 → time (WeChat cuts the day at 00:00; the bill has no settlement date,
/// so the trade date is used and lateness is not checked); 设备号 → terminal; 商户订单号
/// (商户退款单号 for refunds) → reference; 应结订单金额 (退款金额 for refunds) → amount;
/// 手续费 → fee (negative on refunds: returned); 交易状态 SUCCESS / REFUND / REVOKED →
/// purchase / refund / void. The merchant number is left empty (WeChat ids are not
/// 15-digit UnionPay numbers).
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] when the header lacks a required column or the input
/// exceeds 8 GiB. Bad lines are kept in [`Statement::issues`].
///
/// # Example
/// ```
/// let bill = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n\
/// `2026-05-06 10:00:00,`wx01,`1900000001,`,`T0000001,`4200001,`Q0001,`oUser,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`100.00,`0.00,`0,`0,`0.00,`0.00,`,`,`coffee,`,`0.38000,`0.38%,`100.00,`0.00,`\n\
/// 总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n\
/// `1,`100.00,`0.00,`0.00,`0.38000,`100.00,`0.00\n";
/// let statement = posfee::reconcile::read_wechat_bill(bill.as_bytes(), "wechat.csv")?;
/// assert_eq!(statement.len(), 1);
/// let row = statement.record(0);
/// assert_eq!((row.rrn.as_str(), row.fee.to_string(), row.net.to_string()), ("Q0001", "0.38".to_string(), "99.62".to_string()));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_wechat_bill(bytes: &[u8], file: &str) -> Result<Statement> {
    too_large(file, bytes)?;
    let text = decode(bytes);
    let Ok((header, data_start, data_line)) = header(&text, false, 1, |_| true) else {
        return Err(Error::new(ErrorKind::InvalidRecord, "the WeChat bill is empty (no header)").at(Location::default().file(file).line(1)));
    };
    let names = ["交易时间", "设备号", "商户订单号", "交易状态", "应结订单金额", "商户退款单号", "退款金额", "手续费"];
    let columns: Vec<Option<usize>> = names.iter().map(|n| find(&header, &[n])).collect();
    unique_columns(&header, &columns, file, data_line - 1)?;
    for (k, name) in names.iter().enumerate() {
        if columns[k].is_none() && !matches!(*name, "设备号" | "商户退款单号" | "退款金额") {
            return Err(Error::new(ErrorKind::InvalidRecord, format!("the WeChat bill header lacks the column {name:?}"))
                .at(Location::default().file(file).line(1).field(*name)));
        }
    }
    let data = &text[data_start..];
    // The detail rows end at the summary header (总交易单数); the row after it holds the totals.
    let detail_end = data.find("\n总交易单数").map(|k| k + 1).unwrap_or(if data.starts_with("总交易单数") { 0 } else { data.len() });
    let parse = |chunk: &str, first_line: u64| {
        let mut statement = Statement::new(file);
        let mut in_summary = false;
        stream(
            chunk,
            first_line,
            false,
            |row| match row {
                Err((line, error)) => statement.push_issue(error.at(Location::default().line(line)), ""),
                Ok(row) if is_summary_row(row) => in_summary = true,
                Ok(_) if in_summary => in_summary = false,
                Ok(row) => push_or_report(&mut statement, row, wechat_record(row, &columns)),
            },
            file,
        );
        statement
    };
    let mut statement = Statement::new(file);
    par_chunks(&data[..detail_end], data_line, parse, |part| statement.append(part))?;
    let summary_line = data_line + memchr::memchr_iter(b'\n', &data.as_bytes()[..detail_end]).count() as u64;
    statement.append(parse(&data[detail_end..], summary_line))?;
    Ok(statement)
}

fn wechat_record<'r>(row: &Row<'r>, c: &[Option<usize>]) -> Result<StatementRow<'r>> {
    let time = fast_time(row.required(c[0], "交易时间")?).map_err(|e| row.error(c[0], "交易时间", e))?;
    let kind = match row.required(c[3], "交易状态")?.to_ascii_uppercase().as_str() {
        "SUCCESS" => TradeKind::Purchase,
        "REFUND" => TradeKind::Refund,
        "REVOKED" => TradeKind::Void,
        other => {
            return Err(row.error(
                c[3],
                "交易状态",
                Error::new(ErrorKind::InvalidRecord, format!("trade state {other:?} is not SUCCESS, REFUND or REVOKED")),
            ))
        }
    };
    let (amount_column, amount_name, rrn_column) =
        if kind == TradeKind::Refund && c[6].is_some() { (c[6], "退款金额", c[5]) } else { (c[4], "应结订单金额", c[2]) };
    let amount = signed_money(row.required(amount_column, amount_name)?).map_err(|e| row.error(amount_column, amount_name, e))?;
    let amount = if amount.is_negative() { -amount } else { amount };
    let fee = signed_money(row.required(c[7], "手续费")?).map_err(|e| row.error(c[7], "手续费", e))?;
    let net = kind.net(amount, fee).ok_or_else(|| row.error(c[7], "手续费", Error::new(ErrorKind::InvalidAmount, "fee out of range")))?;
    let rrn = match row.get(rrn_column) {
        "" | "0" => row.get(c[2]),
        value => value,
    };
    Ok(StatementRow {
        settlement_date: time.date_naive(),
        merchant_no: "",
        merchant_name: "",
        terminal: row.get(c[1]),
        rrn,
        time,
        amount,
        fee,
        net,
        channel: Channel::Wechat,
        kind,
        line: row.line,
    })
}

// ---------------------------------------------------------------------------------------
// Alipay business detail

/// Reads an Alipay business-detail CSV (支付宝业务明细): GBK encoded, header and footer
/// lines starting with `#`, 25 columns including 服务费（元）.
///
/// Mapping: 商户订单号 (退款批次号/请求号 for refunds) → reference; 创建时间 → time;
/// 完成时间 → settlement date; 终端号 → terminal; |订单金额（元）| → amount;
/// |服务费（元）| → fee (negated on refunds: returned); 业务类型 交易 / 退款 → purchase /
/// refund. The merchant number is left empty.
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] when the header lacks a required column or the input
/// exceeds 8 GiB. Bad lines are kept in [`Statement::issues`].
///
/// # Example
/// ```
/// let text = "#支付宝业务明细查询\n#账号：[20880000000000000156]\n\
/// 支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\n\
/// 2026050622001,Q0001,交易,咖啡,2026-05-06 10:00:00,2026-05-06 10:00:05,,,,T0000001,buyer,100.00,100.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.38,0.00,\n\
/// #-----------------------------------------业务明细列表结束------------------------------------\n";
/// let (gbk, _, _) = encoding_rs::GBK.encode(text);
/// let statement = posfee::reconcile::read_alipay_csv(&gbk, "alipay.csv")?;
/// assert_eq!(statement.record(0).fee.to_string(), "0.38");
/// assert_eq!(statement.record(0).terminal, "T0000001");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_alipay_csv(bytes: &[u8], file: &str) -> Result<Statement> {
    too_large(file, bytes)?;
    let text = decode(bytes);
    let Ok((header, data_start, data_line)) = header(&text, true, 1, |_| true) else {
        return Err(Error::new(ErrorKind::InvalidRecord, "the Alipay file has no header row").at(Location::default().file(file).line(1)));
    };
    let names = ["商户订单号", "业务类型", "创建时间", "完成时间", "终端号", "订单金额（元）", "服务费（元）", "退款批次号/请求号"];
    let columns: Vec<Option<usize>> = names.iter().map(|n| find(&header, &[n, &n.replace('（', "(").replace('）', ")")])).collect();
    unique_columns(&header, &columns, file, data_line - 1)?;
    for (k, name) in names.iter().enumerate() {
        if columns[k].is_none() && !matches!(*name, "终端号" | "完成时间" | "退款批次号/请求号") {
            return Err(Error::new(ErrorKind::InvalidRecord, format!("the Alipay header lacks the column {name:?}"))
                .at(Location::default().file(file).field(*name)));
        }
    }
    read_statement_rows(&text[data_start..], data_line, file, true, &columns, alipay_record)
}

fn alipay_record<'r>(row: &Row<'r>, c: &[Option<usize>]) -> Result<StatementRow<'r>> {
    let time = fast_time(row.required(c[2], "创建时间")?).map_err(|e| row.error(c[2], "创建时间", e))?;
    let settled = match row.get(c[3]) {
        "" => time,
        text => parse_china_time(text).map_err(|e| row.error(c[3], "完成时间", e))?,
    };
    let kind = parse_kind(row.required(c[1], "业务类型")?).map_err(|e| row.error(c[1], "业务类型", e))?;
    let amount = signed_money(row.required(c[5], "订单金额（元）")?).map_err(|e| row.error(c[5], "订单金额（元）", e))?;
    let amount = if amount.is_negative() { -amount } else { amount };
    let fee = signed_money(row.required(c[6], "服务费（元）")?).map_err(|e| row.error(c[6], "服务费（元）", e))?;
    let fee = if fee.is_negative() { -fee } else { fee };
    // Alipay shows the service fee as charged or returned; the sign follows the kind.
    let fee = if kind == TradeKind::Purchase { fee } else { -fee };
    let net =
        kind.net(amount, fee).ok_or_else(|| row.error(c[6], "服务费（元）", Error::new(ErrorKind::InvalidAmount, "fee out of range")))?;
    let rrn = match (kind, row.get(c[7])) {
        (TradeKind::Refund, refund) if !refund.is_empty() => refund,
        _ => row.get(c[0]),
    };
    Ok(StatementRow {
        settlement_date: settled.date_naive(),
        merchant_no: "",
        merchant_name: "",
        terminal: row.get(c[4]),
        rrn,
        time,
        amount,
        fee,
        net,
        channel: Channel::Alipay,
        kind,
        line: row.line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What `stream` hands on: (line, fields) per record, or the line of an error.
    fn streamed(text: &str, comment: bool) -> Vec<std::result::Result<(u64, Vec<String>), u64>> {
        let mut out = Vec::new();
        stream(
            text,
            1,
            comment,
            |row| match row {
                Ok(row) => out.push(Ok((row.line, (0..row.fields.len()).map(|c| row.field(c).unwrap_or("?").to_string()).collect()))),
                Err((line, _)) => out.push(Err(line)),
            },
            "t.csv",
        );
        out
    }

    /// The line (as an editor numbers them) of the first character at or after byte `at`
    /// that is not a line end: counted from the start every time.
    fn line_at(text: &str, at: usize) -> u64 {
        let bytes = text.as_bytes();
        let start = (at..bytes.len()).find(|&k| bytes[k] != b'\n' && bytes[k] != b'\r').unwrap_or(bytes.len());
        1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
    }

    /// The same through the csv crate's checked `StringRecord`s, with lines counted here.
    fn by_csv_crate(text: &str, comment: bool) -> Vec<std::result::Result<(u64, Vec<String>), u64>> {
        let mut out = Vec::new();
        let mut reader = reader(text, comment);
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    if record.iter().all(|f| clean(f).is_empty()) {
                        continue;
                    }
                    let line = line_at(text, record.position().map_or(0, |p| p.byte() as usize));
                    out.push(Ok((line, record.iter().map(str::to_string).collect())));
                }
                Err(error) => {
                    out.push(Err(line_at(text, error.position().map_or(0, |p| p.byte() as usize))));
                    if !matches!(error.kind(), csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }) {
                        break;
                    }
                }
            }
        }
        out
    }

    #[test]
    fn quoted_blank_and_commented_lines_read_as_the_csv_crate_reads_them() {
        let text = "a,b\n\n\"x,1\",\"say \"\"hi\"\"\"\r\n#c,d\n消费,  ,\n,\n\"multi\nline\",z\n";
        for comment in [false, true] {
            assert_eq!(streamed(text, comment), by_csv_crate(text, comment));
        }
    }

    proptest! {
        #[test]
        fn fields_are_what_the_csv_crate_reads(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["a", "12.5", ",", "\"", "\"\"", "\n", "\r\n", "\r", "#", " ", "`", "消费", ""]),
                0..80,
            ),
            comment in any::<bool>(),
        ) {
            let text: String = pieces.concat();
            prop_assume!(unterminated_quote(text.as_bytes(), comment).is_none());
            prop_assert_eq!(streamed(&text, comment), by_csv_crate(&text, comment));
        }

        /// Lines of one-line records (some with a stray quote that never closes), with LF,
        /// CRLF or mixed ends and blank lines: every line that holds a record is either
        /// handed on at its own line or reported at its own line, none twice, none lost.
        #[test]
        fn every_line_is_read_or_reported_at_its_true_line(
            lines in prop::collection::vec(
                (prop::sample::select(vec!["a,b", "1,\"2\"", "x,\"open", "", "\"q\"\"\",z", "c,d\""]), prop::sample::select(vec!["\n", "\r\n"])),
                1..40,
            ),
        ) {
            let text: String = lines.iter().map(|(line, end)| format!("{line}{end}")).collect();
            let expected: Vec<u64> = lines.iter().enumerate().filter(|(_, (line, _))| !line.is_empty()).map(|(k, _)| k as u64 + 1).collect();
            let out = streamed(&text, false);
            // Each record or error starts on a line that holds text, in order, once; a record
            // covers the lines its quoted fields span, an error the lines up to the next one.
            let starts: Vec<u64> = out.iter().map(|r| match r { Ok((line, _)) | Err(line) => *line }).collect();
            prop_assert!(starts.windows(2).all(|w| w[0] < w[1]), "{:?}", starts);
            prop_assert!(starts.iter().all(|line| expected.contains(line)), "{:?} {:?}", starts, expected);
            let mut covered = Vec::new();
            for (k, r) in out.iter().enumerate() {
                let last = match r {
                    Ok((line, fields)) => line + fields.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>(),
                    Err(_) => starts.get(k + 1).map_or(lines.len() as u64, |next| next - 1),
                };
                covered.extend(starts[k]..=last);
            }
            prop_assert!(expected.iter().all(|line| covered.contains(line)), "{:?} {:?}", covered, expected);
        }
    }

    #[test]
    fn an_unterminated_quote_is_reported_and_reading_resumes_on_the_next_line() {
        let text = "a,1\r\nb,\"2\r\nc,3\r\n\r\nd,4\r\n";
        let out = streamed(text, false);
        assert_eq!(
            out,
            vec![
                Ok((1, vec!["a".into(), "1".into()])),
                Err(2),
                Ok((3, vec!["c".into(), "3".into()])),
                Ok((5, vec!["d".into(), "4".into()]))
            ]
        );
        let mut message = String::new();
        stream(
            text,
            1,
            false,
            |row| {
                if let Err((_, e)) = row {
                    message = e.to_string()
                }
            },
            "t.csv",
        );
        assert!(message.contains("line 2, column 3 opens a field that is never closed"), "{message}");
    }
}
