//! Readers of ledger and statement files (with the `csv` and `encoding_rs` crates) and
//! writers of the canonical CSVs.
//!
//! Every reader decodes UTF-8 (with or without BOM) or, failing that, GBK; it never drops
//! a line silently: a line that cannot be read becomes a [`ReadIssue`] naming file, line,
//! column, field and reason. Blank lines, `#` comment lines and the summary rows of
//! WeChat bills and bank files (合计 / 总计) are not trades and are skipped.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use rayon::prelude::*;

use super::blocks::{decode_gb18030, read_more, start_block, BlockError, Blocks, BLOCK_BYTES, FIRST_BLOCK_BYTES, PAGE_BYTES};
use super::civil;
use super::ledger_block;
use super::profile::{kind_named, meaning_named, Cutting, Encoding, FeeSign, FieldSpec, MoneyUnit, Profile, RowMeaning};
use super::schema::{from_unix, Ledger, LedgerRow, Statement, StatementDeduction, StatementRow, UnixSeconds};
use super::spreadsheet::neutralize_cell;
use super::tokenize::{lone_returns, newlines, records, CsvState, Dialect, Known, QuotedFields};
use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::money::Money;
use crate::quote::TradeKind;
use crate::settlement::{china_offset, parse_china_time, parse_date};
use crate::text::{surely_ends_unspaced, trim};

/// The largest input accepted by a reader: 8 GiB on 64-bit targets; on 32-bit ones (wasm32)
/// `8 << 30` would wrap to 0 and refuse every file, so there it is the address space itself.
pub(crate) const MAX_INPUT_BYTES: usize = if usize::BITS >= 64 { 8 << 30 } else { usize::MAX };

/// Decodes UTF-8 (BOM stripped) or GBK.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => decode_gb18030(bytes),
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
pub(super) struct Row<'r> {
    /// The text the field ranges point into.
    pub(super) text: &'r str,
    pub(super) fields: &'r [Range<usize>],
    pub(super) line: u64,
    pub(super) file: &'r str,
}

impl<'r> Row<'r> {
    pub(super) fn error(&self, column: Option<usize>, field: &str, error: Error) -> Error {
        let mut at = Location::default().file(self.file).line(self.line).field(field);
        if let Some(column) = column {
            at = at.column(column as u64 + 1);
        }
        error.at(at)
    }

    /// Field `column` as read (`None` past the last field).
    ///
    /// Inlined everywhere (but in WebAssembly, built for size): `Layout::take`, 18 KB of code,
    /// called it for every field of a statement row (the row's and the call's samples 3,455 →
    /// 3,097 inlined, reading the 1M bank-pos statement on one thread).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    fn field(&self, column: usize) -> Option<&'r str> {
        // As `text.get(range)`, in two splits that inline (`get` was a call on every field).
        let range = self.fields.get(column)?;
        let (head, _) = self.text.split_at_checked(range.end)?;
        head.split_at_checked(range.start).map(|(_, field)| field)
    }

    /// The cleaned value of a column (backtick prefix, `=` quoting and spaces removed).
    #[inline(always)]
    pub(super) fn get(&self, column: Option<usize>) -> &'r str {
        column.and_then(|c| self.field(c)).map(clean).unwrap_or("")
    }

    #[inline(always)]
    fn required(&self, column: Option<usize>, field: &str) -> Result<&'r str> {
        let value = self.get(column);
        if value.is_empty() {
            return Err(self.missing(column, field));
        }
        Ok(value)
    }

    /// Why a required value is empty: the row ends before its column, or the cell is empty.
    #[cold]
    #[inline(never)]
    fn missing(&self, column: Option<usize>, field: &str) -> Error {
        if let Some(c) = column.filter(|&c| c >= self.fields.len()) {
            let message = format!("the row has {} field(s) and ends before column {} ({field})", self.fields.len(), c + 1);
            return self.error(column, field, Error::new(ErrorKind::InvalidRecord, message));
        }
        self.error(column, field, Error::new(ErrorKind::InvalidRecord, format!("{field} is empty")))
    }

    pub(super) fn raw(&self) -> String {
        (0..self.fields.len()).filter_map(|c| self.field(c)).collect::<Vec<_>>().join(",")
    }
}

#[inline(always)]
pub(super) fn clean(value: &str) -> &str {
    if needs_no_cleaning(value) {
        return value;
    }
    clean_slowly(value)
}

/// Whether [`clean`] leaves a value as it is, seen at its ends: most fields need nothing (no
/// surrounding space, backtick, `="..."` quoting or `'` before a formula; CJK text such as
/// 贷记卡 included).
#[inline(always)]
fn needs_no_cleaning(value: &str) -> bool {
    let (Some(&first), Some(&last)) = (value.as_bytes().first(), value.as_bytes().last()) else { return true };
    (first.is_ascii_alphanumeric() || first >= 0xE4)
        && (last.is_ascii_alphanumeric() || last >= 0x80 && surely_ends_unspaced(value.as_bytes()))
}

/// [`clean`] of a value that may need it (kept out of line: the readers call `clean` on
/// every field).
#[cold]
#[inline(never)]
fn clean_slowly(value: &str) -> &str {
    // The ASCII whitespace around a value (Alipay's bills pad every value to the column's
    // width, and end many with a tab) taken off byte by byte first (`trim_ascii`): `str::trim`
    // reads it as characters. `trim` then looks at the characters only when an end is not
    // plainly visible (a vertical tab, a full-width space). Most padded values need nothing
    // more.
    let value = value.trim_ascii();
    if needs_no_cleaning(value) {
        return value;
    }
    let value = trim(value);
    let value = value.strip_prefix('`').unwrap_or(value);
    let value = value.strip_prefix("=\"").and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    super::spreadsheet::restore_cell(trim(value))
}

/// A trade kind as every reader takes it (the canonical names, and 消费 / 撤销 / 退货 and the
/// other words of acquirers' files; empty is a purchase).
pub(super) fn parse_kind(text: &str) -> Result<TradeKind> {
    // Nearly every row of a file says the same word: the canonical ones first.
    match text {
        "purchase" | "" => return Ok(TradeKind::Purchase),
        "refund" => return Ok(TradeKind::Refund),
        "void" => return Ok(TradeKind::Void),
        _ => {}
    }
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

/// A channel as every statement reader takes it: a card type in words (借记卡, 贷记卡, ...)
/// or a channel name.
pub(super) fn parse_card_channel(text: &str) -> Result<Channel> {
    match trim(text) {
        "借记卡" | "借记" | "储蓄卡" | "准贷记卡" => Ok(Channel::Debit),
        "贷记卡" | "贷记" | "信用卡" => Ok(Channel::Credit),
        other => Channel::parse(other),
    }
}

pub(super) fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let text = trim(text);
    if let Some(seconds) = civil::time_of_day_seconds(text) {
        return NaiveTime::from_num_seconds_from_midnight_opt(seconds as u32, 0);
    }
    ["%H:%M:%S", "%H%M%S", "%H:%M"].iter().find_map(|f| NaiveTime::parse_from_str(text, f).ok())
}

/// A date as `YYYYMMDD` without trying other formats first; anything else goes to
/// [`parse_date`].
pub(super) fn fast_date(text: &str) -> Result<NaiveDate> {
    digits_date(trim(text)).map_or_else(|| parse_date(text), Ok)
}

/// A date written `YYYYMMDD`, if `text` is one (a day of the calendar).
fn digits_date(text: &str) -> Option<NaiveDate> {
    civil::date_digits(text).and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d))
}

fn china(date: NaiveDate, time: NaiveTime) -> Option<DateTime<FixedOffset>> {
    china_offset().from_local_datetime(&date.and_time(time)).single()
}

/// Parses a time from one column (date and time) or two (date, time of day).
fn parse_when(date: &str, time: &str) -> Result<UnixSeconds> {
    if let Some(seconds) = civil::china_date_and_time(date, time) {
        return Ok(UnixSeconds(seconds));
    }
    parse_when_slowly(date, time).map(UnixSeconds::from)
}

/// [`parse_when`] of the layouts other than `YYYYMMDD` and `HHMMSS`.
#[cold]
fn parse_when_slowly(date: &str, time: &str) -> Result<DateTime<FixedOffset>> {
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

fn reader(text: &str, dialect: Dialect) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(dialect.delimiter)
        .comment(if dialect.comment { Some(b'#') } else { None })
        .from_reader(text.as_bytes())
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
fn unterminated_quote(bytes: &[u8], dialect: Dialect) -> Option<Unterminated> {
    // Most texts close every quote: known by jumping from quote to quote.
    if QuotedFields::of(bytes, dialect).is_some_and(|fields| fields.open_at.is_none()) {
        return None;
    }
    let mut state = CsvState::RecordStart;
    let (mut record_start, mut quote_at) = (0, 0);
    for (k, &b) in bytes.iter().enumerate() {
        if state == CsvState::RecordStart {
            record_start = k;
        }
        let next = state.after(b, dialect);
        if next == CsvState::Quoted && matches!(state, CsvState::RecordStart | CsvState::FieldStart) {
            quote_at = k;
        }
        state = next;
    }
    (state == CsvState::Quoted).then(|| {
        // Reading resumes after the quote's line end (LF, CRLF or a lone CR).
        let resume = match memchr::memchr2(b'\n', b'\r', &bytes[quote_at..]).map(|k| quote_at + k) {
            Some(k) if bytes[k] == b'\r' && bytes.get(k + 1) == Some(&b'\n') => k + 2,
            Some(k) => k + 1,
            None => bytes.len(),
        };
        Unterminated { record_start, quote_at, resume }
    })
}

/// Streams the records of `text` (whose first line is line `first_line`), skipping blank
/// lines; lines the csv crate rejects are passed on as errors with their true line.
///
/// A quoted field that never closes would swallow every later line: its record is passed on
/// as an error naming the quote's line and column, and reading resumes on the next line, so
/// every line is either read or reported.
///
/// `known`: what is known of the text already (it is not looked for again). Returns the
/// line after the text.
pub(super) fn stream(
    text: &str,
    first_line: u64,
    dialect: Dialect,
    known: Known,
    each: impl FnMut(std::result::Result<&Row<'_>, (u64, Error)>),
    file: &str,
) -> u64 {
    // WebAssembly, built for size, cuts every reader's rows with one copy of the cutting (a
    // call through a pointer a record) instead of a copy a reader.
    #[cfg(target_arch = "wasm32")]
    let each: &mut dyn FnMut(std::result::Result<&Row<'_>, (u64, Error)>) = &mut { each };
    stream_rows(text, first_line, dialect, known, each, file)
}

/// [`stream`], for one kind of `each`.
fn stream_rows(
    text: &str,
    first_line: u64,
    dialect: Dialect,
    known: Known,
    mut each: impl FnMut(std::result::Result<&Row<'_>, (u64, Error)>),
    file: &str,
) -> u64 {
    let (mut rest, mut line) = (text, first_line);
    loop {
        let quoted = !known.quotes_close && memchr::memchr(b'"', rest.as_bytes()).is_some();
        let Some(open) = quoted.then(|| unterminated_quote(rest.as_bytes(), dialect)).flatten() else { break };
        stream_records(&rest[..open.record_start], line, dialect, known, &mut each, file);
        let bytes = rest.as_bytes();
        let record_line = line + newlines(&bytes[..open.record_start]);
        let quote_line = line + newlines(&bytes[..open.quote_at]);
        let line_start = bytes[..open.quote_at].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |k| k + 1);
        let column = rest[line_start..open.quote_at].chars().count() as u64 + 1;
        let lines =
            if quote_line == record_line { format!("line {record_line} is") } else { format!("lines {record_line} to {quote_line} are") };
        let message =
            format!("malformed CSV: the quote at line {quote_line}, column {column} opens a field that is never closed; {lines} not read");
        each(Err((record_line, Error::new(ErrorKind::InvalidRecord, message).at(Location::default().column(column)))));
        line += newlines(&bytes[..open.resume]);
        rest = &rest[open.resume..];
    }
    stream_records(rest, line, dialect, known, &mut each, file)
}

/// [`stream`] on text without an unterminated quote: the records of
/// [`tokenize::records`](super::tokenize::records), records of empty fields skipped; the
/// line after the text.
fn stream_records(
    text: &str,
    first_line: u64,
    dialect: Dialect,
    known: Known,
    each: &mut impl FnMut(std::result::Result<&Row<'_>, (u64, Error)>),
    file: &str,
) -> u64 {
    records(text, first_line, dialect, known, |source, fields, line| {
        let row = Row { text: source, fields, line, file };
        if (0..fields.len()).all(|c| row.field(c).map_or(true, |f| clean(f).is_empty())) {
            return;
        }
        each(Ok(&row));
    })
}

/// The first record accepted by `accept` among the first `limit` records: the record, the
/// byte offset and line number where the data after it starts, and the line of the first
/// record seen (for errors).
pub(super) fn header(
    text: &str,
    dialect: Dialect,
    limit: usize,
    mut accept: impl FnMut(&csv::StringRecord) -> bool,
) -> std::result::Result<(csv::StringRecord, usize, u64), u64> {
    let mut reader = reader(text, dialect);
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
                    let mut after = reader.position().byte() as usize;
                    // Never split a CRLF: the data starts after the whole line end.
                    if text.as_bytes().get(after.wrapping_sub(1)) == Some(&b'\r') && text.as_bytes().get(after) == Some(&b'\n') {
                        after += 1;
                    }
                    return Ok((record, after, 1 + newlines(&text.as_bytes()[..after])));
                }
            }
            Ok(false) | Err(_) => break,
        }
    }
    Err(first_line.unwrap_or(1))
}

/// Splits `text` (whose first line is `first_line`) into chunks at line ends, unless a
/// quoted field (by `dialect`'s rules) spans a line, parses them in parallel one wave at a
/// time (four chunks a thread: chunks of a few per thread leave a core idle at the end of
/// each wave), and hands the parsed chunks in order to `take` while the next wave is parsed:
/// besides what `take` keeps, at most two waves of parsed chunks are held at a time. Returns
/// the line after the text.
///
/// The last wave is not handed to `take` here: it waits in `parts` and is handed over while
/// the first wave of the next text (a file's next block) is parsed, or by [`Parts::flush`]
/// after the last text. So no core waits at the end of each block for the appending of its
/// last wave (which touches the columns' fresh memory): the reader must flush its parts
/// before it looks at what `take` made.
///
/// `parse(chunk, line, known, spare)` parses a chunk whose first line is `line`, and returns
/// it with the line after it. A parsed chunk that `take` has emptied goes to the spares of
/// `parts`, and is given back to `parse` for a later chunk of this text or the next (as
/// `Some(spare)`), which fills it again: its memory, already the process's, is not handed
/// back to the system and asked for (and faulted in) afresh.
///
/// `known`: what is known of the text already. Each chunk's line ends are counted on all
/// cores before the chunks are parsed, and what that look finds (whether the chunk holds a
/// quote, a lone CR) is handed to `parse` with the chunk, so that no byte is looked at for
/// these again. A text known to hold no quote (a file's block: see [`Blocks`]) is not looked
/// at before it is parsed: each chunk is parsed with its lines numbered from 1 (its line ends
/// counted as it is cut into records), and `take(part, by)` is told to move the part's lines
/// `by` lines down to their lines in the file (0 for a chunk parsed at its true lines). Unless
/// the text is known to hold no CR, each chunk is then looked at for a lone CR, and cut again
/// if it has one.
fn par_chunks<T: Send>(
    text: &str,
    first_line: u64,
    dialect: Dialect,
    known: Known,
    parts: &mut Parts<T>,
    parse: impl Fn(&str, u64, Known, Option<T>) -> (T, u64) + Sync,
    mut take: impl FnMut(&mut T, u64) -> Result<()> + Send,
) -> Result<u64> {
    const MIN_CHUNK: usize = 1 << 19;
    const MAX_CHUNK: usize = 4 << 20;
    let bytes = text.as_bytes();
    let threads = rayon::current_num_threads();
    // The text parsed as one chunk, whose line ends are `lines` (counted here when `None`),
    // after the parts waiting from the text before are taken.
    let mut whole = |parts: &mut Parts<T>, lines: Option<u64>| -> Result<u64> {
        parts.flush(&mut take)?;
        let (mut part, _) = parse(text, first_line, known, parts.spares.pop());
        take(&mut part, 0)?;
        parts.spares.push(part);
        Ok(first_line + lines.unwrap_or_else(|| newlines(bytes)))
    };
    // (WebAssembly runs on one thread: its text is parsed as one chunk, without the code of
    // the waves.)
    if bytes.len() < 2 * MIN_CHUNK || cfg!(target_arch = "wasm32") {
        return whole(parts, None);
    }
    let target = (bytes.len() / (threads * 16)).clamp(MIN_CHUNK, MAX_CHUNK);
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
    let counted_after = known.no_quote;
    let chunks: Vec<Chunk<'_>> = if counted_after {
        ranges.iter().map(|&(a, b)| (&text[a..b], None, known)).collect()
    } else {
        let scans: Vec<(u64, Known)> = ranges.par_iter().map(|&(a, b)| Known::of(&bytes[a..b], known, dialect)).collect();
        // The text is cut at line feeds: unless a quoted field holds one. Each chunk's quoted
        // fields are found from its start as a record's start, which it is when every chunk
        // before it closes its quoted fields on their lines (the first starts the text): so the
        // chunks are cut as the whole text is exactly when each of them closes its quoted fields.
        if !scans.iter().all(|(_, known)| known.quotes_close) {
            return whole(parts, Some(scans.iter().map(|&(count, _)| count).sum()));
        }
        let mut line = first_line;
        let mut chunks = Vec::with_capacity(ranges.len());
        for (&(a, b), &(count, known)) in ranges.iter().zip(&scans) {
            chunks.push((&text[a..b], Some((line, count)), known));
            line += count;
        }
        chunks
    };
    // Each wave is parsed while the one before it is handed to `take`, so that no core waits
    // for the appending (which touches the columns' fresh memory) to end.
    let pool = std::sync::Mutex::new(std::mem::take(&mut parts.spares));
    let spare = || pool.lock().ok().and_then(|mut pool| pool.pop());
    let parse_chunk = |&(chunk, start, known): &Chunk<'_>| match start {
        Some((line, count)) => (parse(chunk, line, known, spare()).0, count, false),
        None => {
            // Cut as if no CR stood alone, then looked at (while the chunk is in the core's
            // cache): a chunk with a lone CR (an old Mac line end) is cut again the slow way.
            let (mut part, mut after) = parse(chunk, 1, Known { no_lone_return: true, ..known }, spare());
            if !known.no_lone_return && lone_returns(chunk.as_bytes()) > 0 {
                (part, after) = parse(chunk, 1, known, spare());
            }
            debug_assert_eq!(after, 1 + newlines(chunk.as_bytes()), "the line ends counted while cutting");
            (part, after - 1, true)
        }
    };
    // Each parsed chunk with the lines to move it by, its lines counted as the waves are parsed.
    let mut line = first_line;
    let mut placed = |parsed: Vec<(T, u64, bool)>| -> Vec<(T, u64)> {
        let place = |(part, count, from_one): (T, u64, bool)| {
            let by = if from_one { line - 1 } else { 0 };
            line += count;
            (part, by)
        };
        parsed.into_iter().map(place).collect()
    };
    let mut take_all = |parsed: Vec<(T, u64)>| -> Result<()> {
        for (mut part, by) in parsed {
            take(&mut part, by)?;
            if let Ok(mut pool) = pool.lock() {
                pool.push(part);
            }
        }
        Ok(())
    };
    // The first wave is parsed while the last of the text before is taken.
    let mut parsed = std::mem::take(&mut parts.waiting);
    for wave in chunks.chunks(4 * threads) {
        let (next, taken) = rayon::join(|| wave.par_iter().map(parse_chunk).collect::<Vec<_>>(), || take_all(std::mem::take(&mut parsed)));
        taken?;
        parsed = placed(next);
    }
    parts.waiting = parsed;
    parts.spares = pool.into_inner().unwrap_or_default();
    Ok(line)
}

/// The parsed chunks a reader keeps between the texts it hands to [`par_chunks`] (a file's
/// blocks): the emptied ones, to be filled again (`spares`), and the last wave of the last
/// text, parsed and not yet taken (`waiting`, each with the lines to move it down by).
struct Parts<T> {
    spares: Vec<T>,
    waiting: Vec<(T, u64)>,
}

impl<T> Parts<T> {
    fn new() -> Parts<T> {
        Parts { spares: Vec::new(), waiting: Vec::new() }
    }

    /// Hands the waiting parts to `take` in order (as [`par_chunks`] would have).
    fn flush(&mut self, mut take: impl FnMut(&mut T, u64) -> Result<()>) -> Result<()> {
        for (mut part, by) in std::mem::take(&mut self.waiting) {
            take(&mut part, by)?;
            self.spares.push(part);
        }
        Ok(())
    }
}

/// A chunk of [`par_chunks`]: its text; the line it starts on and its line ends, when they
/// are counted before it is parsed (`None`: its lines are numbered from 1 while it is parsed,
/// and moved after); what is known of it.
type Chunk<'t> = (&'t str, Option<(u64, u64)>, Known);

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

/// The response code of an approved trade: a ledger row's code when it states none.
pub(super) const APPROVED: &str = "00";

/// The canonical ledger columns' names, in order ([`LEDGER_COLUMNS`](super::LEDGER_COLUMNS)).
const LEDGER_NAMES: [&str; 12] = {
    let mut names = [""; 12];
    let mut k = 0;
    while k < 12 {
        names[k] = super::LEDGER_COLUMNS[k].name;
        k += 1;
    }
    names
};

/// Whether each canonical ledger column is required (from [`LEDGER_COLUMNS`](super::LEDGER_COLUMNS)
/// at compile time: the reader needs no more of the description, and the WebAssembly checker
/// carries none of its texts).
const LEDGER_REQUIRED: [bool; 12] = {
    let mut required = [false; 12];
    let mut k = 0;
    while k < 12 {
        required[k] = super::LEDGER_COLUMNS[k].required;
        k += 1;
    }
    required
};

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
    read_ledger_text(bytes, file, true)
}

/// [`read_ledger_csv`] through the row path alone (the tests compare the fast path with it).
#[cfg(test)]
pub(super) fn read_ledger_by_rows(bytes: &[u8], file: &str) -> Result<Ledger> {
    read_ledger_text(bytes, file, false)
}

/// [`read_ledger_csv`], a chunk read a column at a time where it can be if `by_columns`.
fn read_ledger_text(bytes: &[u8], file: &str, by_columns: bool) -> Result<Ledger> {
    too_large(file, bytes)?;
    let text = decode(bytes);
    let (mut reader, data_start, data_line) = LedgerReader::start(&text, file)?;
    reader.by_columns = by_columns;
    reader.read(&text[data_start..], data_line, Known::default())?;
    reader.finish()
}

/// Reads a ledger CSV file as [`read_ledger_csv`] reads its bytes, in blocks of up to 8 MiB
/// (the first of 1 MiB): the file is never held whole in memory, and every block is parsed on
/// all cores.
///
/// # Errors
/// As [`read_ledger_csv`]; [`ErrorKind::Io`] when the file cannot be read.
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join("posfee-doc-ledger.csv");
/// std::fs::write(&path, "trade_id,rrn,terminal,time,amount,channel\r\nA1,612610000001,T0000001,2026-05-06 10:00:00,100.00,credit\r\n")?;
/// let ledger = posfee::reconcile::read_ledger_file(&path)?;
/// assert_eq!(ledger.record(0).line, 2);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_ledger_file(path: impl AsRef<Path>) -> Result<Ledger> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let (source, file_bytes) = open(path, &file)?;
    let blocks = Blocks::new(source, &file, Dialect::csv(true), Encoding::Auto, MAX_INPUT_BYTES as u64);
    match read_ledger_blocks(blocks, &file, file_bytes) {
        Ok(ledger) => Ok(ledger),
        // (A ledger's header is its first record, which the first block always holds whole.)
        Err(BlockError::Failed(error) | BlockError::HeaderPastFirstBlock(error)) => Err(error),
        Err(BlockError::NotUtf8) => read_ledger_csv(&read_whole(path, &file)?, &file),
    }
}

/// [`read_ledger_file`] block by block (of `file_bytes` bytes in all): the header is found in
/// the first block, and each block's rows are read on all cores.
fn read_ledger_blocks<R: std::io::Read + Send>(
    blocks: Blocks<R>,
    file: &str,
    file_bytes: usize,
) -> std::result::Result<Ledger, BlockError> {
    // The reader and the line of the next block's first record, from the first block on.
    let mut reading: Option<(LedgerReader<'_>, u64)> = None;
    blocks.each(|block, known| {
        match &mut reading {
            Some((reader, line)) => *line = reader.read(block, *line, known)?,
            None => {
                let (mut reader, data_start, data_line) = LedgerReader::start(block, file)?;
                let line = reader.read(&block[data_start..], data_line, known)?;
                // Room for the rest of the file at the first block's sizes (untouched room
                // costs no memory), so that the columns do not grow by copying: once all of
                // the first block's rows are taken.
                reader.flush()?;
                reader.ledger.reserve_rest(block.len(), file_bytes.saturating_sub(block.len()));
                reading = Some((reader, line));
            }
        }
        Ok(())
    })?;
    Ok(match reading {
        Some((reader, _)) => reader.finish()?,
        // An empty file.
        None => LedgerReader::start("", file).and_then(|(reader, ..)| reader.finish())?,
    })
}

/// Opens a file for reading, with its length; the error names it.
fn open(path: &Path, file: &str) -> Result<(std::fs::File, usize)> {
    let source = std::fs::File::open(path).map_err(|e| cannot_read(file, &e))?;
    let length = source.metadata().map_err(|e| cannot_read(file, &e))?.len();
    Ok((source, usize::try_from(length).unwrap_or(usize::MAX).min(MAX_INPUT_BYTES)))
}

/// The error of a file that cannot be opened or read.
fn cannot_read(file: &str, error: &std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot read {file}: {error}")).at(Location::default().file(file))
}

/// A whole file's bytes, as [`read_whole`] reads them: the buffer's bytes from `start`.
struct WholeFile {
    buffer: Vec<u8>,
    start: usize,
}

impl std::ops::Deref for WholeFile {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.buffer[self.start..]
    }
}

/// A whole file's bytes, the error naming it. They are read to an address at the start of a
/// page, where the kernel copies a file's bytes fastest (`std::fs::read` reads them to the
/// allocator's address, 16 bytes past a page: the slowest place; see [`PAGE_BYTES`]), and no
/// more than one byte over [`MAX_INPUT_BYTES`], so that a longer file is refused without being
/// held whole.
fn read_whole(path: &Path, file: &str) -> Result<WholeFile> {
    use std::io::Read as _;
    let (source, length) = open(path, file)?;
    let mut buffer = Vec::with_capacity(PAGE_BYTES + length + 1);
    let start = (buffer.as_ptr() as usize).wrapping_neg() % PAGE_BYTES;
    buffer.resize(start, 0);
    source.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut buffer).map_err(|e| cannot_read(file, &e))?;
    Ok(WholeFile { buffer, start })
}

/// The ledger's columns, found in its header, and the rows read so far.
struct LedgerReader<'f> {
    file: &'f str,
    column: Vec<Option<usize>>,
    ledger: Ledger,
    /// Parts appended and emptied, and parts waiting to be (see [`par_chunks`]).
    parts: Parts<Ledger>,
    /// Whether a chunk is read a column at a time where it can be ([`ledger_block`]).
    by_columns: bool,
}

impl<'f> LedgerReader<'f> {
    /// The reader for the header at the start of `text`, with the offset and line where the
    /// rows start.
    fn start(text: &str, file: &'f str) -> Result<(LedgerReader<'f>, usize, u64)> {
        let Ok((header, data_start, data_line)) = header(text, Dialect::csv(true), 1, |_| true) else {
            return Err(
                Error::new(ErrorKind::InvalidRecord, "the ledger file is empty (no header)").at(Location::default().file(file).line(1))
            );
        };
        let column: Vec<Option<usize>> = LEDGER_NAMES.iter().map(|name| find(&header, &[name])).collect();
        unique_columns(&header, &column, file, data_line - 1)?;
        for ((name, required), found) in LEDGER_NAMES.iter().zip(LEDGER_REQUIRED).zip(&column) {
            if required && found.is_none() {
                return Err(Error::new(ErrorKind::InvalidRecord, format!("the ledger header lacks the column {name:?}"))
                    .at(Location::default().file(file).line(1).field(*name)));
            }
        }
        Ok((LedgerReader { file, column, ledger: Ledger::new(file), parts: Parts::new(), by_columns: true }, data_start, data_line))
    }

    /// Reads the rows of `text` (whole records, the first on line `first_line`); returns the
    /// line after it. The last of them may wait in the reader's parts (see [`par_chunks`]).
    fn read(&mut self, text: &str, first_line: u64, known: Known) -> Result<u64> {
        let (file, column, by_columns) = (self.file, &self.column, self.by_columns);
        let parse = |chunk: &str, first_line: u64, known: Known, spare: Option<Ledger>| {
            let mut ledger = spare.unwrap_or_else(|| Ledger::new(file));
            ledger.reserve(chunk.len() / 100 + 16, chunk.len() / 2);
            let mut channels = ChannelMemo::default();
            // A column at a time where every row converts; else (the ledger emptied again)
            // row by row, which gives each bad row its error. (Not in WebAssembly, built for
            // size: its statement checker has a budget of bytes.)
            if by_columns && !cfg!(target_arch = "wasm32") {
                if let Some(after) = ledger_block::read_by_columns(chunk, first_line, known, column, &mut channels, &mut ledger) {
                    return (ledger, after);
                }
            }
            let after = stream(
                chunk,
                first_line,
                Dialect::csv(true),
                known,
                |row| match row {
                    Err((line, error)) => ledger.push_issue(error.at(Location::default().line(line)), ""),
                    Ok(row) => {
                        if let Err(error) = ledger_record(row, column, &mut channels).and_then(|record| ledger.push_row(record)) {
                            ledger.push_issue(error, row.raw());
                        }
                    }
                },
                file,
            );
            (ledger, after)
        };
        let ledger = &mut self.ledger;
        par_chunks(text, first_line, Dialect::csv(true), known, &mut self.parts, parse, |part, by| append_ledger_part(ledger, part, by))
    }

    /// Appends the rows that wait in the reader's parts.
    fn flush(&mut self) -> Result<()> {
        let ledger = &mut self.ledger;
        self.parts.flush(|part, by| append_ledger_part(ledger, part, by))
    }

    /// The ledger, with every row read.
    fn finish(mut self) -> Result<Ledger> {
        self.flush()?;
        Ok(self.ledger)
    }
}

/// Appends a part of a ledger whose lines are `by` lines short of the file's.
fn append_ledger_part(ledger: &mut Ledger, part: &mut Ledger, by: u64) -> Result<()> {
    if by > 0 {
        part.shift_lines(by);
    }
    ledger.append(part)
}

fn ledger_record<'r>(row: &Row<'r>, column: &[Option<usize>], channels: &mut ChannelMemo) -> Result<LedgerRow<'r, UnixSeconds>> {
    let c = |k: usize| column[k];
    let trade_id = row.required(c(0), "trade_id")?;
    let time = fast_time(row.required(c(5), "time")?).map_err(|e| row.error(c(5), "time", e))?;
    let amount = Money::parse_amount(row.required(c(6), "amount")?).map_err(|e| row.error(c(6), "amount", e))?;
    let channel = channels.channel(row.required(c(7), "channel")?, Channel::parse).map_err(|e| row.error(c(7), "channel", e))?;
    let card_type = ledger_card_type(row.get(c(8))).map_err(|e| row.error(c(8), "card_type", e))?;
    let kind = parse_kind(row.get(c(9))).map_err(|e| row.error(c(9), "kind", e))?;
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
        response_code: ledger_response_code(row.get(c(10))),
        original_rrn: row.get(c(11)),
        line: row.line,
    })
}

/// A ledger's card type: none where the field is empty (both ledger paths, by rows and
/// [by columns](ledger_block)).
pub(super) fn ledger_card_type(text: &str) -> Result<Option<CardType>> {
    match text {
        "" => Ok(None),
        text => CardType::parse(text).map(Some),
    }
}

/// A ledger's response code: [`APPROVED`] where the field is empty.
pub(super) fn ledger_response_code(text: &str) -> &str {
    if text.is_empty() {
        APPROVED
    } else {
        text
    }
}

/// `text` read by a format's items, read once from the format (what chrono's `parse_from_str`
/// does with the format's text each time).
pub(super) fn parsed_by(items: &[chrono::format::Item<'static>], text: &str) -> Option<chrono::format::Parsed> {
    let mut parsed = chrono::format::Parsed::new();
    chrono::format::parse(&mut parsed, text, items.iter()).ok().map(|()| parsed)
}

/// A China-time `YYYY-MM-DD HH:MM:SS` (the canonical form) counted straight to seconds;
/// anything else goes to [`parse_china_time`].
pub(super) fn fast_time(text: &str) -> Result<UnixSeconds> {
    match civil::china_date_time(text) {
        Some(seconds) => Ok(UnixSeconds(seconds)),
        None => parse_china_time(text).map(UnixSeconds::from),
    }
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
    let _ = writer.write_record(LEDGER_NAMES);
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
// Statements, through format profiles

/// A canonical field of a statement file, as a [`Profile`] places it.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::StatementField::Fee.name(), "fee");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementField {
    /// 清算日期 (when absent: the trade's own date).
    SettlementDate,
    /// 商户号.
    MerchantNo,
    /// 商户名称.
    MerchantName,
    /// 终端号.
    Terminal,
    /// 批次号 (a terminal's settlement batch; payouts are grouped by it where it is shown).
    Batch,
    /// 参考号 / 检索参考号 / 商户订单号 (the reference the merchant's ledger holds).
    Rrn,
    /// The reference of a refund row when the file has its own column for it (商户退款单号).
    RefundRrn,
    /// 交易日期, or a date-time (required).
    TradeDate,
    /// 交易时间 as a time of day (when the date column has no time).
    TradeTime,
    /// 交易金额 (required; negative means a refund when there is no kind column).
    Amount,
    /// The amount of a refund row when the file has its own column for it (退款金额).
    RefundAmount,
    /// 手续费 (required).
    Fee,
    /// 结算金额 (when absent: the signed amount minus the fee).
    Net,
    /// 卡类别 / payment method → channel (required unless the profile names one channel).
    CardType,
    /// 交易类型 → purchase, void or refund.
    Kind,
    /// 应答码 / 交易状态 → approved or declined.
    Status,
    /// 收/支 → income (read) or expense (not the merchant's trade: skipped).
    Direction,
}

impl StatementField {
    /// Every field.
    pub const ALL: [StatementField; 17] = [
        StatementField::SettlementDate,
        StatementField::MerchantNo,
        StatementField::MerchantName,
        StatementField::Terminal,
        StatementField::Batch,
        StatementField::Rrn,
        StatementField::RefundRrn,
        StatementField::TradeDate,
        StatementField::TradeTime,
        StatementField::Amount,
        StatementField::RefundAmount,
        StatementField::Fee,
        StatementField::Net,
        StatementField::CardType,
        StatementField::Kind,
        StatementField::Status,
        StatementField::Direction,
    ];

    /// The snake_case name (used in profiles and error locations).
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
            StatementField::Batch => "batch",
            StatementField::Rrn => "rrn",
            StatementField::RefundRrn => "refund_rrn",
            StatementField::TradeDate => "trade_date",
            StatementField::TradeTime => "trade_time",
            StatementField::Amount => "amount",
            StatementField::RefundAmount => "refund_amount",
            StatementField::Fee => "fee",
            StatementField::Net => "net",
            StatementField::CardType => "card_type",
            StatementField::Kind => "kind",
            StatementField::Status => "status",
            StatementField::Direction => "direction",
        }
    }
}

/// Header names for each [`StatementField`] of a bank file: the shipped `bank-pos` profile's
/// names by default ([`Profile::with_name`] is the same for any profile).
///
/// # Example
/// ```
/// use posfee::reconcile::{ColumnMap, StatementField};
/// let map = ColumnMap::default().set(StatementField::Rrn, "系统参考号");
/// assert!(map.names(StatementField::Rrn).contains(&"系统参考号".to_string()));
/// ```
#[derive(Debug, Clone)]
pub struct ColumnMap {
    profile: Profile,
}

impl Default for ColumnMap {
    fn default() -> ColumnMap {
        ColumnMap { profile: Profile::builtin("bank-pos").expect("the shipped bank-pos profile loads (a unit test checks it)") }
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
    pub fn set(self, field: StatementField, header: impl Into<String>) -> ColumnMap {
        ColumnMap { profile: self.profile.with_name(field, header) }
    }

    /// The header names accepted for `field`.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{ColumnMap, StatementField};
    /// assert!(ColumnMap::default().names(StatementField::SettlementDate).contains(&"清算日期".to_string()));
    /// ```
    pub fn names(&self, field: StatementField) -> &[String] {
        self.profile.names(field)
    }

    /// The bank profile with these names.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ColumnMap::default().profile().name(), "bank-pos");
    /// ```
    pub fn profile(&self) -> &Profile {
        &self.profile
    }
}

/// Options of [`read_statement_with`].
///
/// # Example
/// ```
/// let options = posfee::reconcile::ReadOptions::default();
/// assert!(!options.strict);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// A file whose own totals disagree with the rows read is an error (by default it is an
    /// unreadable line naming both, so the report shows it).
    pub strict: bool,
    /// The settlement date of rows that have none (a file whose date is only in its name or
    /// in the request that fetched it, such as UnionPay's ZM file); taken before the
    /// profile's `file_name_date`.
    pub settlement_date: Option<NaiveDate>,
}

/// Reads a statement file with a format profile ([`Profile::builtin`], [`Profile::from_toml`]
/// or [`Profile::sniff`]).
///
/// Lines are cut by the profile (delimiter or fixed widths), decoded (UTF-8 with or without
/// BOM, GB18030), and every detail line becomes a row or a [`ReadIssue`](super::ReadIssue)
/// with file, true line, column, field and reason; preambles, comment lines, summary rows
/// and (personal bills) the merchant's own spending are not trades. Where the file states its
/// own totals, the rows read must add up to them: a mismatch is an unreadable line naming
/// both (a truncated download, a lost row).
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] when no line holds the profile's required headers (naming
/// the missing ones) or the input exceeds 8 GiB.
///
/// # Example
/// ```
/// use posfee::reconcile::{read_statement, Profile};
/// let text = "清算日期,交易日期,交易时间,交易金额,手续费,参考号,卡类别,交易类型\r\n\
///             20260507,20260506,103000,100.00,0.60,612610000001,贷记卡,消费\r\n\
///             20260507,20260506,113000,40.00,0.00,612610000002,贷记卡,退货\r\n\
///             合计,,,140.00,0.60,,,\r\n";
/// let statement = read_statement(text.as_bytes(), "bank.csv", &Profile::builtin("bank-pos")?)?;
/// assert_eq!(statement.len(), 2);
/// assert_eq!(statement.record(1).net.to_string(), "-40.00");
/// assert_eq!(statement.record(1).line, 3);
/// assert!(statement.issues().is_empty()); // the 合计 row adds up
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_statement(bytes: &[u8], file: &str, profile: &Profile) -> Result<Statement> {
    read_statement_with(bytes, file, profile, ReadOptions::default())
}

/// [`read_statement`] with options.
///
/// # Errors
/// As [`read_statement`]; with `strict`, [`ErrorKind::InvalidRecord`] when the file's own
/// totals disagree with the rows read.
///
/// # Example
/// ```
/// use posfee::reconcile::{read_statement_with, Profile, ReadOptions};
/// let text = "清算日期,交易日期,交易时间,交易金额,手续费,参考号,卡类别\n\
///             20260507,20260506,103000,100.00,0.60,612610000001,贷记卡\n\
///             合计,,,250.00,1.50,,\n";
/// let profile = Profile::builtin("bank-pos")?;
/// let err = read_statement_with(text.as_bytes(), "bank.csv", &profile, ReadOptions { strict: true, ..ReadOptions::default() }).unwrap_err();
/// assert!(err.to_string().contains("250.00"));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_statement_with(bytes: &[u8], file: &str, profile: &Profile, options: ReadOptions) -> Result<Statement> {
    too_large(file, bytes)?;
    if super::workbook::is_workbook(bytes) {
        // An Excel export: its first sheet as CSV text, row k on line k, read by the profile.
        let text = super::workbook::sheet_as_csv(bytes, file)?;
        return read_statement_with(text.as_bytes(), file, &profile.for_sheet_text()?, options);
    }
    if let Cutting::Fixed { widths, gap } = &profile.cutting {
        return read_fixed_width(bytes, file, profile, (widths, *gap), options, FIXED_WIDTH_PIECE_BYTES);
    }
    let text = decode_as(bytes, profile.encoding);
    let dialect = profile.dialect();
    let mut layout = Layout::locate(&text, file, profile, dialect)?;
    layout.default_settlement = default_settlement(profile, file, options);
    let data = &text[layout.data_start..];
    // The detail rows end where a summary block starts (WeChat: 总交易单数).
    let detail_end = details_end(data, profile);
    let data_line = layout.data_line;
    let mut reader = StatementReader::new(layout, dialect, file);
    let summary_line = reader.read(&data[..detail_end], data_line, Known::default())?;
    reader.flush()?;
    let found = pattern_lines(&text, profile.totals_in_words());
    let stated = reader.layout.stated_totals(found, &data[detail_end..], summary_line, &reader.summary_rows);
    reader.finish(stated, options)
}

/// Reads a statement file as [`read_statement_with`] reads its bytes. A delimited file is
/// read in blocks of up to 8 MiB, the first of 1 MiB (decoded from GBK, if it is, on all
/// cores): the file is never held whole in memory, every block is parsed on all cores, and the
/// details' end, a summary block and lines of totals in words are found as the blocks go. A
/// fixed-width file is read in blocks of whole lines too (whole when its profile's encoding is
/// `auto`, which the whole file decides); an Excel workbook is read whole.
///
/// # Errors
/// As [`read_statement_with`]; [`ErrorKind::Io`] when the file cannot be read.
///
/// # Example
/// ```
/// use posfee::reconcile::{read_statement_file, Profile, ReadOptions};
/// let path = std::env::temp_dir().join("posfee-doc-statement.csv");
/// std::fs::write(&path, "清算日期,交易日期,交易时间,交易金额,手续费,参考号,卡类别\n20260507,20260506,103000,100.00,0.60,612610000001,贷记卡\n")?;
/// let statement = read_statement_file(&path, &Profile::builtin("bank-pos")?, ReadOptions::default())?;
/// assert_eq!(statement.record(0).fee.to_string(), "0.60");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_statement_file(path: impl AsRef<Path>, profile: &Profile, options: ReadOptions) -> Result<Statement> {
    let path = path.as_ref();
    let file = path.display().to_string();
    if starts_as_workbook(path, &file)? {
        return read_statement_with(&read_whole(path, &file)?, &file, profile, options);
    }
    if let Cutting::Fixed { widths, gap } = &profile.cutting {
        if profile.encoding == Encoding::Auto {
            return read_statement_with(&read_whole(path, &file)?, &file, profile, options);
        }
        let (source, _) = open(path, &file)?;
        return read_fixed_width_file(source, &file, profile, (widths, *gap), options, BLOCK_BYTES);
    }
    if !profile.reads_in_blocks() {
        return read_statement_with(&read_whole(path, &file)?, &file, profile, options);
    }
    let in_blocks = |first_block_bytes: usize| -> Result<(std::result::Result<Statement, BlockError>, usize)> {
        let (source, file_bytes) = open(path, &file)?;
        let blocks = Blocks::new(source, &file, profile.dialect(), profile.encoding, MAX_INPUT_BYTES as u64).first_block(first_block_bytes);
        Ok((read_statement_blocks(blocks, &file, file_bytes, profile, options), file_bytes))
    };
    let read = match in_blocks(FIRST_BLOCK_BYTES)? {
        // A first block that ends before the lines the header is looked for in (they are
        // long): read again from a longer one.
        (Err(BlockError::HeaderPastFirstBlock(_)), file_bytes) if file_bytes > FIRST_BLOCK_BYTES => in_blocks(BLOCK_BYTES)?.0,
        (read, _) => read,
    };
    match read {
        Ok(statement) => Ok(statement),
        Err(BlockError::Failed(error) | BlockError::HeaderPastFirstBlock(error)) => Err(error),
        Err(BlockError::NotUtf8) => read_statement_with(&read_whole(path, &file)?, &file, profile, options),
    }
}

/// [`read_statement_file`] of a delimited profile, block by block: the header is found in the
/// first block; each block's rows are read on all cores until the line that ends the details
/// (the profile's `details_end`), whose text and all after it are kept as the summary; the
/// lines of totals in words are looked for in every block. The same statement as
/// [`read_statement_with`] on the whole text (tests compare the two with small blocks).
fn read_statement_blocks<R: std::io::Read + Send>(
    blocks: Blocks<R>,
    file: &str,
    file_bytes: usize,
    profile: &Profile,
    options: ReadOptions,
) -> std::result::Result<Statement, BlockError> {
    let dialect = profile.dialect();
    let patterns = profile.totals_in_words();
    // Lines of totals in words (their 0-based line counted by line feeds, as in the whole
    // text), and the text from the end of the details on.
    let (mut found, mut feeds_before): (Vec<(usize, String, &str)>, usize) = (Vec::new(), 0);
    // (The line count stops where the details end: the summary starts on that line.)
    let mut summary: Option<String> = None;
    // The reader and the line of the next block's first record, from the first block on.
    let mut reading: Option<(StatementReader<'_>, u64)> = None;
    // Whether the header was not found in a first block that holds fewer lines than it is
    // looked for in.
    let mut header_past_first_block = false;
    // The reader for the header in the first block, and where the data starts.
    let start = |first: &str| -> Result<(StatementReader<'_>, u64, usize)> {
        let mut layout = Layout::locate(first, file, profile, dialect)?;
        layout.default_settlement = default_settlement(profile, file, options);
        let (data_start, data_line) = (layout.data_start, layout.data_line);
        Ok((StatementReader::new(layout, dialect, file), data_line, data_start))
    };
    let read = blocks.each(|block, known| {
        let first = reading.is_none();
        let data = match &reading {
            Some(_) => block,
            None => {
                let (reader, data_line, data_start) = start(block).inspect_err(|_| {
                    // (Fewer lines than the header is looked for in: the block, or the file,
                    // ends before them; the caller knows which.)
                    header_past_first_block = memchr::memchr_iter(b'\n', block.as_bytes()).count() < profile.header_search_lines;
                })?;
                reading = Some((reader, data_line));
                &block[data_start..]
            }
        };
        let Some((reader, line)) = &mut reading else { unreachable!("set above") };
        if !patterns.is_empty() {
            found.extend(pattern_lines(block, patterns).into_iter().map(|(k, text, p)| (feeds_before + k, text.to_string(), p)));
            feeds_before += memchr::memchr_iter(b'\n', block.as_bytes()).count();
        }
        match &mut summary {
            Some(summary) => summary.push_str(data),
            None => {
                let end = details_end(data, profile);
                *line = reader.read(&data[..end], *line, known)?;
                if end < data.len() {
                    summary = Some(data[end..].to_string());
                }
            }
        }
        if first {
            // Room for the rest of the file at the first block's sizes (untouched room costs no
            // memory), so that the columns do not grow by copying: reserved once the first
            // block's rows are read and taken, which the sizes are counted from.
            reader.flush()?;
            reader.statement.reserve_rest(block.len(), file_bytes.saturating_sub(block.len()));
        }
        Ok(())
    });
    match read {
        Err(BlockError::Failed(error)) if header_past_first_block => return Err(BlockError::HeaderPastFirstBlock(error)),
        read => read?,
    }
    let (mut reader, line) = match reading {
        Some(reading) => reading,
        // An empty file.
        None => start("").map(|(reader, line, _)| (reader, line))?,
    };
    reader.flush()?;
    let found = found.iter().map(|(k, text, pattern)| (*k, text.as_str(), *pattern));
    let stated = reader.layout.stated_totals(found, summary.as_deref().unwrap_or(""), line, &reader.summary_rows);
    Ok(reader.finish(stated, options)?)
}

/// Where the detail rows of `data` end: the first line that starts with one of the profile's
/// `details_end` words (WeChat: 总交易单数), else the end.
fn details_end(data: &str, profile: &Profile) -> usize {
    profile.details_end.iter().filter_map(|word| line_starting_with(data, word, &profile.strip_prefixes)).min().unwrap_or(data.len())
}

/// Whether the file at `path` starts like an Excel workbook (read whole, not in blocks).
fn starts_as_workbook(path: &Path, file: &str) -> Result<bool> {
    use std::io::Read as _;
    let (source, _) = open(path, file)?;
    let mut head = Vec::with_capacity(8);
    source
        .take(8)
        .read_to_end(&mut head)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {file}: {e}")).at(Location::default().file(file)))?;
    Ok(super::workbook::is_workbook(&head))
}

/// What a detail row reads as.
enum Taken<'r> {
    /// A trade.
    Trade(StatementRow<'r, UnixSeconds>),
    /// A deduction line (流量费, 服务费).
    Deduction(StatementDeduction),
    /// Not the merchant's trade, skipped by rule.
    Skipped,
}

/// A statement's layout, and the rows, sums and summary rows read so far.
struct StatementReader<'p> {
    layout: Layout<'p>,
    dialect: Dialect,
    statement: Statement,
    sums: Sums,
    /// Summary rows among the details (a bank's 合计): line and fields.
    summary_rows: Vec<(u64, Vec<String>)>,
    /// Parts appended and emptied, and parts waiting to be (see [`par_chunks`]).
    parts: Parts<Part>,
}

impl<'p> StatementReader<'p> {
    fn new(layout: Layout<'p>, dialect: Dialect, file: &str) -> StatementReader<'p> {
        StatementReader {
            layout,
            dialect,
            statement: Statement::new(file),
            sums: Sums::default(),
            summary_rows: Vec::new(),
            parts: Parts::new(),
        }
    }

    /// Reads the detail rows of `text` (whole records, the first on line `first_line`);
    /// returns the line after it. The last of them may wait in the reader's parts until
    /// [`StatementReader::flush`] (see [`par_chunks`]).
    fn read(&mut self, text: &str, first_line: u64, known: Known) -> Result<u64> {
        let (layout, dialect) = (&self.layout, self.dialect);
        let file = self.statement.name().to_string();
        let parse = |chunk: &str, first_line: u64, known: Known, spare: Option<Part>| {
            let mut part = spare.unwrap_or_else(|| Part::new(&file));
            part.statement.reserve(chunk.len() / 100 + 16, chunk.len() / 3);
            part.text_room = part.statement.text_room();
            let after = stream(
                chunk,
                first_line,
                dialect,
                known,
                |row| match row {
                    Err((line, error)) => {
                        part.sums.detail_lines += 1;
                        part.statement.push_issue(error.at(Location::default().line(line).field("record")), "")
                    }
                    Ok(row) => layout.take(row, &mut part),
                },
                &file,
            );
            (part, after)
        };
        let (statement, sums, summary_rows) = (&mut self.statement, &mut self.sums, &mut self.summary_rows);
        par_chunks(text, first_line, dialect, known, &mut self.parts, parse, |part, by| part.append_into(by, statement, sums, summary_rows))
    }

    /// Appends the rows, sums and summary rows that wait in the reader's parts.
    fn flush(&mut self) -> Result<()> {
        let (statement, sums, summary_rows) = (&mut self.statement, &mut self.sums, &mut self.summary_rows);
        self.parts.flush(|part, by| part.append_into(by, statement, sums, summary_rows))
    }

    /// The statement, its rows checked against the totals the file states.
    fn finish(mut self, stated: Option<Stated>, options: ReadOptions) -> Result<Statement> {
        self.flush()?;
        let file = self.statement.name().to_string();
        check_totals(&mut self.statement, &self.sums, stated, &file, options)?;
        Ok(self.statement)
    }
}

/// How well a profile fits the start of a file, for [`Profile::sniff`].
pub(crate) struct Fit {
    /// Whether the profile reads the file's header (or first data line).
    pub complete: bool,
    /// How many of the profile's fields were found (more is a closer fit).
    pub found: usize,
    /// What the profile missed, in words.
    pub missing: String,
}

/// How `profile` fits the first bytes of a file.
pub(crate) fn fit(head: &[u8], profile: &Profile) -> Fit {
    let miss = |missing: String| Fit { complete: false, found: 0, missing };
    match &profile.cutting {
        Cutting::Fixed { widths, gap } => {
            let width: usize = widths.iter().sum::<usize>() + gap * widths.len().saturating_sub(1);
            let line = head.split(|&b| b == b'\n').find(|l| !l.iter().all(u8::is_ascii_whitespace)).unwrap_or(&[]);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() == width {
                Fit { complete: true, found: widths.len(), missing: String::new() }
            } else {
                miss(format!("lines of {width} bytes (the first is {})", line.len()))
            }
        }
        Cutting::Delimited(_) => {
            let text = decode_as(head, profile.encoding);
            let dialect = profile.dialect();
            if profile.header {
                return match Layout::locate(&text, "", profile, dialect) {
                    Ok(layout) => Fit { complete: true, found: layout.columns.iter().flatten().count(), missing: String::new() },
                    Err(error) => miss(error.message().rsplit("missing ").next().unwrap_or("").to_string()),
                };
            }
            // Without a header: the first data line must read as a row.
            let Ok(layout) = Layout::locate(&text, "", profile, dialect) else { return miss("its fields".into()) };
            let mut outcome = None;
            stream(
                &text,
                1,
                dialect,
                Known::default(),
                |row| {
                    if outcome.is_none() {
                        outcome = Some(match row {
                            Ok(row) => layout
                                .statement_row(row, &mut Sums::default(), &mut Memo::default())
                                .map(|_| row.fields.len())
                                .map_err(|e| e.to_string()),
                            Err((_, error)) => Err(error.to_string()),
                        });
                    }
                },
                "",
            );
            match outcome {
                Some(Ok(fields)) => Fit { complete: true, found: fields, missing: String::new() },
                Some(Err(reason)) => miss(format!("a first line it reads ({reason})")),
                None => miss("any line".into()),
            }
        }
    }
}

/// Decodes with a profile's encoding.
pub(super) fn decode_as(bytes: &[u8], encoding: Encoding) -> Cow<'_, str> {
    match encoding {
        Encoding::Auto => decode(bytes),
        Encoding::Utf8 => String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)),
        Encoding::Gb18030 => decode_gb18030(bytes),
    }
}

/// The offset of the first line of `text` whose first field (after the prefixes to strip)
/// starts with `word`.
fn line_starting_with(text: &str, word: &str, strip: &[String]) -> Option<usize> {
    if word.is_empty() || word.contains('\n') {
        return line_starting_with_slowly(text, word, strip);
    }
    // A line that starts with the word (once the characters and prefixes are taken off) holds
    // it: only the lines where the word occurs are looked at.
    lines_holding(text.as_bytes(), word.as_bytes())
        .find(|&(start, end)| starts_with_word(&text[start..end], word, strip))
        .map(|(start, _)| start)
}

/// The lines of `bytes` that hold `needle` (which has no line feed), each once and in order,
/// as the ranges of their bytes with their line feeds: found by a SIMD search for the needle,
/// and each line's ends looked for once however often the needle repeats on it (time linear
/// in the text, a hostile file of one long line of the needle included).
fn lines_holding<'b>(bytes: &'b [u8], needle: &'b [u8]) -> impl Iterator<Item = (usize, usize)> + 'b {
    let mut line_end = 0;
    memchr::memmem::find_iter(bytes, needle).filter_map(move |at| {
        if at < line_end {
            return None;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |k| k + 1);
        line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k + 1);
        Some((start, line_end))
    })
}

/// Whether the first field of `line` (after the prefixes to strip) starts with `word`.
fn starts_with_word(line: &str, word: &str, strip: &[String]) -> bool {
    strip_prefixes(line.trim_start_matches(['\u{feff}', ' ', '\t', '"']), strip).starts_with(word)
}

/// [`line_starting_with`] trying every line.
fn line_starting_with_slowly(text: &str, word: &str, strip: &[String]) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if starts_with_word(line, word, strip) {
            return Some(at);
        }
        at += line.len();
    }
    None
}

fn strip_prefixes<'v>(value: &'v str, strip: &[String]) -> &'v str {
    strip.iter().fold(value, |v, prefix| v.strip_prefix(prefix.as_str()).unwrap_or(v))
}

/// A parsed part of the detail rows (one chunk).
struct Part {
    statement: Statement,
    /// The bytes of text every text column of `statement` still has room for, counted down
    /// as rows are pushed (see [`Statement::push_row_within`]).
    text_room: usize,
    sums: Sums,
    memo: Memo,
    /// Summary rows inside the details (a bank's 合计): line and fields.
    summary_rows: Vec<(u64, Vec<String>)>,
}

impl Part {
    /// An empty part of the statement of `file`.
    fn new(file: &str) -> Part {
        let mut statement = Statement::new(file);
        Part { text_room: statement.text_room(), statement, sums: Sums::default(), memo: Memo::default(), summary_rows: Vec::new() }
    }

    /// Moves the part's rows, sums and summary rows, whose lines are `by` lines short of the
    /// file's, to the end of a reader's (the part is left empty, its memo kept).
    fn append_into(
        &mut self,
        by: u64,
        statement: &mut Statement,
        sums: &mut Sums,
        summary_rows: &mut Vec<(u64, Vec<String>)>,
    ) -> Result<()> {
        if by > 0 {
            self.statement.shift_lines(by);
            self.summary_rows.iter_mut().for_each(|(line, _)| *line += by);
        }
        sums.add(&std::mem::take(&mut self.sums));
        summary_rows.append(&mut self.summary_rows);
        statement.append(&mut self.statement)
    }
}

/// What the words of a file's kind, direction and status columns mean, each text looked up
/// once (a file has a handful of each).
#[derive(Debug, Default)]
struct Memo {
    kinds: KindMemo,
    meanings: MeaningMemo,
    settlement: DateMemo,
    channels: ChannelMemo,
}

/// The date of the last settlement-date text read: a file's rows come in runs of one
/// settlement date, whose text is then read once a run, not once a row.
#[derive(Debug, Default)]
struct DateMemo {
    /// The text and its date.
    last: Option<(String, NaiveDate)>,
}

impl DateMemo {
    /// The date of `text` by `read`, which is called only when `text` is not the last
    /// text read (a text that does not read is not kept).
    #[inline]
    fn date(&mut self, text: &str, read: impl FnOnce(&str) -> Result<NaiveDate>) -> Result<NaiveDate> {
        match &mut self.last {
            Some((last, date)) if last == text => Ok(*date),
            last => {
                let date = read(text)?;
                *last = Some((text.to_string(), date));
                Ok(date)
            }
        }
    }
}

/// What the direction texts (收入, 支出) and the status texts (支付成功, 已退款) seen so far
/// mean: each is looked up in the profile's map and its patterns once. A text that means
/// nothing is not kept (each of its rows gets its error).
#[derive(Debug, Default)]
struct MeaningMemo {
    /// The direction's texts, then the status's.
    seen: [Vec<(String, RowMeaning)>; 2],
}

/// What the kind texts seen so far mean (a file has a handful: 消费, 撤销, 退货, a fee's
/// name): each is looked up in the profile's map, its patterns and the kind words once, not
/// on every row. A text that is no kind is not kept (each of its rows gets its error).
#[derive(Debug, Default)]
struct KindMemo {
    seen: Vec<(String, KindWord)>,
}

/// What a kind text means.
#[derive(Debug, Clone, Copy)]
enum KindWord {
    /// Not the merchant's trade.
    Skip,
    /// A deduction from the payout (a SIM data fee, an annual fee).
    Deduction,
    Kind(TradeKind),
}

impl KindMemo {
    /// The most texts kept (past it, a text is looked up on every row, as before).
    const TEXTS_MAX: usize = 16;

    fn get(&self, text: &str) -> Option<KindWord> {
        self.seen.iter().find(|(seen, _)| seen == text).map(|(_, word)| *word)
    }

    fn remember(&mut self, text: &str, word: KindWord) {
        if self.seen.len() < KindMemo::TEXTS_MAX {
            self.seen.push((text.to_string(), word));
        }
    }
}

/// The channels of the short texts met lately in a channel or card-type column (a file has
/// a handful: debit, credit, wechat, alipay; 借记卡, 贷记卡, 微信, 支付宝), each in one of
/// [`ChannelMemo::SLOTS`] slots chosen by a hash of its length and its first, middle and last
/// bytes. A text met before is compared with its slot's once. (The parsers' `match` over every
/// spelling compares a text with several, in turn; where the rows' channels alternate, as they
/// do, the processor mispredicts those branches: 12 ns a value against 6 this way.)
#[derive(Debug)]
pub(super) struct ChannelMemo {
    /// A text's bytes (the first `length` of them), its length (0: an empty slot) and its
    /// channel.
    slots: [([u8; ChannelMemo::TEXT_BYTES], u8, Channel); ChannelMemo::SLOTS],
}

impl Default for ChannelMemo {
    fn default() -> ChannelMemo {
        ChannelMemo { slots: [([0; ChannelMemo::TEXT_BYTES], 0, Channel::Debit); ChannelMemo::SLOTS] }
    }
}

impl ChannelMemo {
    /// The slots: a power of two.
    const SLOTS: usize = 64;
    /// The longest text kept (a longer one is parsed every time).
    const TEXT_BYTES: usize = 16;

    /// The channel of `text`, by `parse` when `text` is not in its slot (a text that does not
    /// parse is not kept: each of its rows gets its error).
    #[inline(always)]
    pub(super) fn channel(&mut self, text: &str, parse: impl FnOnce(&str) -> Result<Channel>) -> Result<Channel> {
        let bytes = text.as_bytes();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return parse(text) };
        if bytes.len() > ChannelMemo::TEXT_BYTES {
            return parse(text);
        }
        let mixed = bytes.len() as u64 ^ u64::from(first) << 8 ^ u64::from(bytes[bytes.len() / 2]) << 16 ^ u64::from(last) << 24;
        let slot = (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - ChannelMemo::SLOTS.trailing_zeros())) as usize;
        let (kept, length, channel) = &mut self.slots[slot];
        if usize::from(*length) == bytes.len() && &kept[..bytes.len()] == bytes {
            return Ok(*channel);
        }
        let parsed = parse(text)?;
        kept[..bytes.len()].copy_from_slice(bytes);
        (*length, *channel) = (bytes.len() as u8, parsed);
        Ok(parsed)
    }
}

/// What the rows read add up to, to compare with the file's own totals.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    /// Detail lines (read, unreadable or declined; not skipped ones).
    detail_lines: u64,
    purchases: u64,
    refunds: u64,
    /// The amount column as written (signed as in the file), over every row read.
    amount_written: i128,
    /// The refund-amount column as written.
    refund_written: i128,
    /// The fee column as written.
    fee_written: i128,
    purchase_amount: i128,
    refund_amount: i128,
}

impl Sums {
    fn add(&mut self, other: &Sums) {
        self.detail_lines += other.detail_lines;
        self.purchases += other.purchases;
        self.refunds += other.refunds;
        self.amount_written += other.amount_written;
        self.refund_written += other.refund_written;
        self.fee_written += other.fee_written;
        self.purchase_amount += other.purchase_amount;
        self.refund_amount += other.refund_amount;
    }
}

/// The totals a file states, where it states them (line), in thousandths of a fen.
#[derive(Debug, Clone, Default)]
struct Stated {
    line: u64,
    count: Option<i128>,
    amount_written: Option<i128>,
    refund_written: Option<i128>,
    fee_written: Option<i128>,
    purchases: Option<i128>,
    purchase_amount: Option<i128>,
    refunds: Option<i128>,
    refund_amount: Option<i128>,
}

/// Where a profile's fields sit in this file.
struct Layout<'p> {
    profile: &'p Profile,
    /// [`Profile::plain_fields`]: the fields whose value is the cleaned cell itself, a bit
    /// each.
    plain: u32,
    /// Per [`StatementField`]: the 0-based column.
    columns: Vec<Option<usize>>,
    /// Per [`StatementField`]: the 0-based columns of its `instead` entries (empty for most).
    instead: Vec<Vec<Option<usize>>>,
    /// The settlement date of rows without one (from the options or the file name).
    default_settlement: Option<NaiveDate>,
    data_start: usize,
    data_line: u64,
    file: String,
    /// The first bytes of the prefixes that mark a summary row, a totals row or a comment.
    marks: MarkFirstBytes,
}

/// The first bytes of the prefixes that mark a row as a summary, a totals row or a comment:
/// [`Layout::take`] compares a row's first value with those prefixes only when the value
/// starts with one of these bytes (which most detail rows do not). An empty prefix marks
/// every row, so it puts every byte, and an empty value, in the set.
struct MarkFirstBytes {
    bytes: [bool; 256],
    empty: bool,
}

impl MarkFirstBytes {
    fn of(profile: &Profile) -> MarkFirstBytes {
        let mut marks = MarkFirstBytes { bytes: [false; 256], empty: false };
        let prefixes = profile.summary_prefixes.iter().map(String::as_str);
        let totals = profile.totals.as_ref().and_then(|t| t.row_prefix.as_deref());
        let comment = profile.comment_prefix.as_deref().filter(|p| *p != "#");
        for prefix in prefixes.chain(totals).chain(comment) {
            match prefix.as_bytes().first() {
                Some(&byte) => marks.bytes[usize::from(byte)] = true,
                None => marks = MarkFirstBytes { bytes: [true; 256], empty: true },
            }
        }
        marks
    }

    /// Whether a row whose first value is `first` may be marked.
    #[inline(always)]
    fn may_mark(&self, first: &str) -> bool {
        first.as_bytes().first().map_or(self.empty, |&byte| self.bytes[usize::from(byte)])
    }
}

impl<'p> Layout<'p> {
    fn locate(text: &str, file: &str, profile: &'p Profile, dialect: Dialect) -> Result<Layout<'p>> {
        let by_position = |field: StatementField| profile.field(field).and_then(|spec| spec.position.map(|p| p - 1));
        if !profile.header {
            let columns = StatementField::ALL.iter().map(|&f| by_position(f)).collect();
            let instead = Layout::instead_columns(profile, None);
            let plain = profile.plain_fields();
            return Ok(Layout {
                profile,
                plain,
                columns,
                instead,
                default_settlement: None,
                data_start: 0,
                data_line: 1,
                file: file.to_string(),
                marks: MarkFirstBytes::of(profile),
            });
        }
        let locate = |record: &csv::StringRecord| -> Vec<Option<usize>> {
            StatementField::ALL
                .iter()
                .map(|&field| {
                    let spec = profile.field(field)?;
                    spec.names.iter().find_map(|name| find_cleaned(record, name, &profile.strip_prefixes)).or(spec.position.map(|p| p - 1))
                })
                .collect()
        };
        let complete = |found: &[Option<usize>]| profile.required_fields().all(|f| found[f as usize].is_some() || profile.is_constant(f));
        match header(text, dialect, profile.header_search_lines, |record| complete(&locate(record))) {
            Ok((record, data_start, data_line)) => {
                let columns = locate(&record);
                unique_columns(&record, &columns, file, data_line - 1)?;
                let instead = Layout::instead_columns(profile, Some(&record));
                let plain = profile.plain_fields();
                Ok(Layout {
                    profile,
                    plain,
                    columns,
                    instead,
                    default_settlement: None,
                    data_start,
                    data_line,
                    file: file.to_string(),
                    marks: MarkFirstBytes::of(profile),
                })
            }
            Err(first_line) => {
                // The closest line: the one with the most required headers.
                let mut best: Option<(usize, Vec<Option<usize>>)> = None;
                let _ = header(text, dialect, profile.header_search_lines, |record| {
                    let found = locate(record);
                    let score = profile.required_fields().filter(|f| found[*f as usize].is_some() || profile.is_constant(*f)).count();
                    if best.as_ref().map_or(true, |(s, _)| score > *s) {
                        best = Some((score, found));
                    }
                    false
                });
                let found = best.map(|(_, found)| found).unwrap_or_else(|| vec![None; StatementField::ALL.len()]);
                let missing: Vec<String> = profile
                    .required_fields()
                    .filter(|f| found[*f as usize].is_none() && !profile.is_constant(*f))
                    .map(|f| format!("{} ({})", f.name(), profile.names(f).first().map(String::as_str).unwrap_or("?")))
                    .collect();
                Err(Error::new(
                    ErrorKind::InvalidRecord,
                    format!(
                        "no header row of the {} format in the first {} lines; missing {}",
                        profile.name,
                        profile.header_search_lines,
                        missing.join(", ")
                    ),
                )
                .at(Location::default().file(file).line(first_line)))
            }
        }
    }

    /// The columns of every field's `instead` entries, by header name or position.
    fn instead_columns(profile: &Profile, header: Option<&csv::StringRecord>) -> Vec<Vec<Option<usize>>> {
        StatementField::ALL
            .iter()
            .map(|&field| {
                let Some(spec) = profile.field(field) else { return Vec::new() };
                spec.instead
                    .iter()
                    .map(|other| {
                        header
                            .and_then(|record| other.names.iter().find_map(|name| find_cleaned(record, name, &profile.strip_prefixes)))
                            .or(other.position.map(|p| p - 1))
                    })
                    .collect()
            })
            .collect()
    }

    #[inline]
    fn column(&self, field: StatementField) -> Option<usize> {
        self.columns[field as usize]
    }

    /// Whether the value of `field` is the cleaned cell itself (see [`Profile::plain_fields`]).
    #[inline(always)]
    fn is_plain(&self, field: StatementField) -> bool {
        self.plain & 1 << field as u32 != 0
    }

    /// The value of `field` for a row of `kind` and `channel`: from the first of its
    /// `instead` columns that applies and is not empty, else from its own column; with the
    /// column it came from.
    #[inline(always)]
    fn pick<'r>(&self, row: &Row<'r>, field: StatementField, kind: Option<TradeKind>, channel: Option<Channel>) -> (&'r str, Option<usize>)
    where
        'p: 'r,
    {
        if self.is_plain(field) {
            return (row.get(self.column(field)), self.column(field));
        }
        self.pick_by_profile(row, field, kind, channel)
    }

    /// [`Layout::pick`] for a field that is not plain (kept out of line: the plain case is
    /// inlined into every caller).
    #[inline(never)]
    fn pick_by_profile<'r>(
        &self,
        row: &Row<'r>,
        field: StatementField,
        kind: Option<TradeKind>,
        channel: Option<Channel>,
    ) -> (&'r str, Option<usize>)
    where
        'p: 'r,
    {
        if let Some(spec) = self.profile.field(field) {
            for (other, &column) in spec.instead.iter().zip(&self.instead[field as usize]) {
                if column.is_some() && other.applies(kind, channel) {
                    let value = self.cell(row, column);
                    if !value.is_empty() {
                        return (value, column);
                    }
                }
            }
        }
        (self.value(row, field), self.column(field))
    }

    /// An error about `field` of `row`, located at its column under the canonical field
    /// name (the same in every format; the column number points into the file).
    fn error_at(&self, row: &Row<'_>, field: StatementField, error: Error) -> Error {
        row.error(self.column(field), field.name(), error)
    }

    /// A detail row: a summary row (kept for the totals), a row to skip, a trade, or an issue.
    fn take(&self, row: &Row<'_>, part: &mut Part) {
        let profile = self.profile;
        let first = strip_prefixes(row.get(Some(0)), &profile.strip_prefixes);
        let starts = |prefix: &str| first.starts_with(prefix);
        if self.marks.may_mark(first)
            && (profile.summary_prefixes.iter().any(|p| starts(p))
                || profile.totals.as_ref().and_then(|t| t.row_prefix.as_deref()).is_some_and(starts)
                || profile.comment_prefix.as_deref().is_some_and(|p| p != "#" && starts(p)))
        {
            part.summary_rows.push((row.line, (0..row.fields.len()).map(|c| row.get(Some(c)).to_string()).collect()));
            return;
        }
        match self.statement_row(row, &mut part.sums, &mut part.memo) {
            Ok(Taken::Skipped) => part.statement.skipped_rows += 1,
            Ok(Taken::Trade(record)) => {
                part.sums.detail_lines += 1;
                if let Err(error) = part.statement.push_row_within(record, &mut part.text_room) {
                    part.statement.push_issue(error, row.raw());
                }
            }
            Ok(Taken::Deduction(deduction)) => {
                if let Err(error) = part.statement.push_deduction(deduction) {
                    part.statement.push_issue(error, row.raw());
                }
            }
            Err(error) => {
                part.sums.detail_lines += 1;
                part.statement.push_issue(error, row.raw());
            }
        }
    }

    /// The cleaned value of `field` (empty when the profile or the row has none; the
    /// profile's constant when it gives one).
    #[inline(always)]
    fn value<'r>(&self, row: &Row<'r>, field: StatementField) -> &'r str
    where
        'p: 'r,
    {
        if self.is_plain(field) {
            return row.get(self.column(field));
        }
        self.value_by_profile(row, field)
    }

    /// [`Layout::value`] for a field that is not plain (kept out of line, as
    /// [`Layout::pick_by_profile`]).
    #[inline(never)]
    fn value_by_profile<'r>(&self, row: &Row<'r>, field: StatementField) -> &'r str
    where
        'p: 'r,
    {
        if let Some(constant) = self.profile.field(field).and_then(|spec| spec.value.as_deref()) {
            return constant;
        }
        self.cell(row, self.column(field))
    }

    /// The cleaned value of a column: prefixes taken off, a null value (`*`) read as empty.
    #[inline]
    fn cell<'r>(&self, row: &Row<'r>, column: Option<usize>) -> &'r str {
        let value = row.get(column);
        let value = if self.profile.strip_prefixes.is_empty() { value } else { trim(strip_prefixes(value, &self.profile.strip_prefixes)) };
        if !self.profile.null_values.is_empty() && self.profile.null_values.iter().any(|null| null == value) {
            return "";
        }
        value
    }

    /// The value of `field`, which must not be empty (unless the profile gives it).
    ///
    /// Inlined (but in WebAssembly, built for size), as [`Layout::money`] and the head of
    /// [`Layout::meaning`]: [`Layout::take`] asks these of every row, and their calls (a
    /// `Result` written to memory and read back each) were an eighth of a bank-pos
    /// statement's instructions (cachegrind, 200k rows: 654M -> 621M with the three inlined).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn required<'r>(&self, row: &Row<'r>, field: StatementField) -> Result<&'r str>
    where
        'p: 'r,
    {
        let value = self.value(row, field);
        if value.is_empty() && !self.profile.is_constant(field) {
            return Err(self.missing(row, field));
        }
        Ok(value)
    }

    /// Why the value of `field` is missing: the row ends before its column, or it is empty.
    #[cold]
    #[inline(never)]
    fn missing(&self, row: &Row<'_>, field: StatementField) -> Error {
        // Row::required names the field count when the row is short, else says empty.
        if let Err(error) = row.required(self.column(field), field.name()) {
            return error;
        }
        let message = format!("{} is empty", field.name());
        self.error_at(row, field, Error::new(ErrorKind::InvalidRecord, message))
    }

    /// The money `text` of `field` says: in the field's unit, after its sign prefixes
    /// (inlined: see [`Layout::required`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn money(&self, row: &Row<'_>, field: StatementField, text: &str) -> Result<Money> {
        let Some(spec) = self.profile.field(field) else { return parse_money_text(text, MoneyUnit::Yuan) };
        let (text, negative) = match spec.sign_prefixes.iter().find(|(prefix, _)| text.starts_with(prefix.as_str())) {
            Some((prefix, negative)) => (&text[prefix.len()..], *negative),
            None => (text, false),
        };
        let money = parse_money_text(text, spec.unit).map_err(|e| self.error_at(row, field, e))?;
        Ok(if negative { -money } else { money })
    }

    /// The meaning of a status or direction value (`None` when the field is absent).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn meaning(&self, row: &Row<'_>, field: StatementField, memo: &mut MeaningMemo) -> Result<Option<RowMeaning>> {
        match self.profile.field(field) {
            None => Ok(None),
            Some(spec) => self.meaning_of(row, field, spec, memo),
        }
    }

    /// [`Layout::meaning`] of a field the profile has (`spec`).
    fn meaning_of(&self, row: &Row<'_>, field: StatementField, spec: &FieldSpec, memo: &mut MeaningMemo) -> Result<Option<RowMeaning>> {
        let value = self.value(row, field);
        let seen = &mut memo.seen[usize::from(field == StatementField::Status)];
        if let Some(&(_, meaning)) = seen.iter().find(|(text, _)| text == value) {
            return Ok(Some(meaning));
        }
        match spec.mapped(value).and_then(meaning_named) {
            Some(meaning) => {
                if seen.len() < KindMemo::TEXTS_MAX {
                    seen.push((value.to_string(), meaning));
                }
                Ok(Some(meaning))
            }
            None => {
                let known: Vec<&str> = spec.map.iter().map(|(from, _)| from.as_str()).collect();
                let message = format!("{} {value:?} is not one of {}", field.name(), known.join(", "));
                Err(self.error_at(row, field, Error::new(ErrorKind::InvalidRecord, message)))
            }
        }
    }

    /// Converts a detail row: `Ok(None)` for a row that is not the merchant's trade.
    ///
    /// Order: the row's shape (`field_count`), its direction and kind (a row that is not the
    /// merchant's trade is skipped before anything else is asked of it), its status, then
    /// the values.
    ///
    /// Inlined into [`Layout::take`] (but in WebAssembly, built for size): called apart, its
    /// `Result` of a whole row (about 150 bytes) was written to memory and copied from there a
    /// row; `take` and this took 17% fewer samples inlined.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn statement_row<'r>(&self, row: &Row<'r>, sums: &mut Sums, memo: &mut Memo) -> Result<Taken<'r>>
    where
        'p: 'r,
    {
        use StatementField as F;
        let profile = self.profile;
        if let Some(count) = profile.field_count {
            if row.fields.len() != count {
                let message = format!("the row has {} field(s), the format has {count}", row.fields.len());
                return Err(row.error(Some(row.fields.len().min(count)), "fields", Error::new(ErrorKind::InvalidRecord, message)));
            }
        }
        let direction = self.meaning(row, F::Direction, &mut memo.meanings)?;
        if direction == Some(RowMeaning::Skip) {
            return Ok(Taken::Skipped);
        }
        let kind = match profile.field(F::Kind) {
            None => None,
            Some(spec) => match self.pick(row, F::Kind, None, None).0 {
                "" => None,
                text => {
                    let word = match memo.kinds.get(text) {
                        Some(word) => word,
                        None => {
                            let word = match spec.mapped(text) {
                                Some("skip") => KindWord::Skip,
                                Some("deduction") => KindWord::Deduction,
                                Some(name) => KindWord::Kind(kind_named(name).unwrap_or(TradeKind::Purchase)),
                                None => KindWord::Kind(parse_kind(text).map_err(|e| self.error_at(row, F::Kind, e))?),
                            };
                            memo.kinds.remember(text, word);
                            word
                        }
                    };
                    match word {
                        KindWord::Skip => return Ok(Taken::Skipped),
                        KindWord::Deduction => return self.deduction(row, text).map(Taken::Deduction),
                        KindWord::Kind(kind) => Some(kind),
                    }
                }
            },
        };
        let outside = |kind: TradeKind| match direction {
            Some(RowMeaning::Income) => kind != TradeKind::Purchase,
            Some(RowMeaning::Expense) => kind == TradeKind::Purchase,
            _ => false,
        };
        if kind.is_some_and(outside) {
            return Ok(Taken::Skipped);
        }
        match self.meaning(row, F::Status, &mut memo.meanings)? {
            Some(RowMeaning::Skip) => return Ok(Taken::Skipped),
            Some(RowMeaning::Declined) => {
                let message = format!("status {:?}: a declined or failed payment, not a settled trade", self.value(row, F::Status));
                return Err(self.error_at(row, F::Status, Error::new(ErrorKind::InvalidRecord, message)));
            }
            _ => {}
        }
        let amount_written = self.money(row, F::Amount, self.required(row, F::Amount)?)?;
        let kind = match kind {
            Some(kind) => kind,
            None => {
                let kind = if amount_written.is_negative() { TradeKind::Refund } else { TradeKind::Purchase };
                if outside(kind) {
                    return Ok(Taken::Skipped);
                }
                kind
            }
        };
        let settlement_text = self.value(row, F::SettlementDate);
        let settlement_date = match settlement_text {
            "" => self.default_settlement,
            text => Some(
                memo.settlement
                    .date(text, |text| self.date(text, F::SettlementDate))
                    .map_err(|e| self.error_at(row, F::SettlementDate, e))?,
            ),
        };
        let time_of_day = self.value(row, F::TradeTime);
        // A time of day that is none is the row's error before any about the trade date. It is
        // looked for only when the trade time cannot be made (which it always then is), so
        // that the time of day of a good row is parsed once.
        let bad_time_of_day = |other: Error| {
            if !time_of_day.is_empty() && parse_time_of_day(time_of_day).is_none() && parse_china_time(time_of_day).is_err() {
                let error = Error::new(ErrorKind::InvalidDate, format!("time {time_of_day:?} is not a time of day (10:30:00 or 103000)"));
                return self.error_at(row, F::TradeTime, error);
            }
            other
        };
        let (date_text, date_column) = match self.pick(row, F::TradeDate, Some(kind), None) {
            ("", _) => (self.required(row, F::TradeDate).map_err(bad_time_of_day)?, self.column(F::TradeDate)),
            picked => picked,
        };
        let time = self
            .trade_time(date_text, time_of_day, settlement_date)
            .map_err(|e| bad_time_of_day(row.error(date_column, F::TradeDate.name(), e)))?;
        let mut amount = amount_written.abs();
        let mut refund_written = Money::ZERO;
        if kind != TradeKind::Purchase {
            let refund_text = self.value(row, F::RefundAmount);
            if !refund_text.is_empty() {
                refund_written = self.money(row, F::RefundAmount, refund_text)?;
                if !refund_written.is_zero() {
                    amount = refund_written.abs();
                }
            }
        }
        let fee_written = self.money(row, F::Fee, self.required(row, F::Fee)?)?;
        let fee = match profile.field(F::Fee).map(|f| f.sign).unwrap_or_default() {
            FeeSign::AsWritten => fee_written,
            FeeSign::ByKind if kind == TradeKind::Purchase => fee_written.abs(),
            FeeSign::ByKind => -fee_written.abs(),
        };
        let net = match self.value(row, F::Net) {
            "" => {
                kind.net(amount, fee).ok_or_else(|| self.error_at(row, F::Fee, Error::new(ErrorKind::InvalidAmount, "fee out of range")))?
            }
            text => self.money(row, F::Net, text)?,
        };
        let channel = match profile.channel {
            Some(channel) => channel,
            None => {
                let (text, column) = self.pick(row, F::CardType, Some(kind), None);
                if text.is_empty() {
                    self.required(row, F::CardType)?;
                }
                memo.channels
                    .channel(text, |text| match profile.field(F::CardType).and_then(|spec| spec.mapped(text)) {
                        Some(name) => Channel::parse(name),
                        None => parse_card_channel(text),
                    })
                    .map_err(|e| row.error(column, F::CardType.name(), e))?
            }
        };
        let mut rrn = self.pick(row, F::Rrn, Some(kind), Some(channel)).0;
        if kind != TradeKind::Purchase {
            match self.value(row, F::RefundRrn) {
                "" | "0" => {}
                refund_rrn => rrn = refund_rrn,
            }
        }
        sums.amount_written += i128::from(amount_written.millifen());
        sums.refund_written += i128::from(refund_written.millifen());
        sums.fee_written += i128::from(fee_written.millifen());
        match kind {
            TradeKind::Purchase => {
                sums.purchases += 1;
                sums.purchase_amount += i128::from(amount.millifen());
            }
            TradeKind::Refund | TradeKind::Void => {
                sums.refunds += 1;
                sums.refund_amount += i128::from(amount.millifen());
            }
        }
        Ok(Taken::Trade(StatementRow {
            settlement_date: settlement_date.unwrap_or_else(|| from_unix(time.0).date_naive()),
            merchant_no: self.value(row, F::MerchantNo),
            merchant_name: self.value(row, F::MerchantName),
            terminal: self.value(row, F::Terminal),
            batch: self.value(row, F::Batch),
            rrn,
            time,
            amount,
            fee,
            net,
            channel,
            kind,
            line: row.line,
        }))
    }

    /// A deduction line (a row whose kind maps to `deduction`): its amount (the size of the
    /// amount column, else of the net column), settlement date (else the trade date),
    /// merchant and batch numbers, and the kind's text.
    fn deduction(&self, row: &Row<'_>, text: &str) -> Result<StatementDeduction> {
        use StatementField as F;
        let amount = match self.value(row, F::Amount) {
            "" => self.money(row, F::Net, self.required(row, F::Net)?)?,
            written => self.money(row, F::Amount, written)?,
        }
        .abs();
        let settlement_date = match self.value(row, F::SettlementDate) {
            "" => match self.default_settlement {
                Some(date) => date,
                None => {
                    let date_text = self.required(row, F::TradeDate)?;
                    let time = self.trade_time(date_text, self.value(row, F::TradeTime), None);
                    from_unix(time.map_err(|e| self.error_at(row, F::TradeDate, e))?.0).date_naive()
                }
            },
            written => self.date(written, F::SettlementDate).map_err(|e| self.error_at(row, F::SettlementDate, e))?,
        };
        Ok(StatementDeduction {
            settlement_date,
            merchant_no: self.value(row, F::MerchantNo).to_string(),
            batch: self.value(row, F::Batch).to_string(),
            amount,
            text: text.to_string(),
            line: row.line,
        })
    }

    /// A date by the field's format, or by the usual forms.
    fn date(&self, text: &str, field: StatementField) -> Result<NaiveDate> {
        let Some((spec, format)) = self.profile.field(field).and_then(|spec| Some((spec, spec.format.as_deref()?))) else {
            // `YYYYMMDD` (most settlement columns) and a date-time (a completion time in a
            // settlement column) in its usual layout are counted straight to their China date;
            // any other text tries the date layouts, then the date-time ones.
            let trimmed = trim(text);
            if let Some(date) = digits_date(trimmed) {
                return Ok(date);
            }
            return match civil::china_date_time(trimmed).map(|seconds| from_unix(seconds).date_naive()) {
                Some(date) if crate::ANSWER_YEARS.contains(&date.year()) => Ok(date),
                _ => fast_date(text).or_else(|_| parse_china_time(text).map(|t| t.date_naive())),
            };
        };
        let bad = || Error::new(ErrorKind::InvalidDate, format!("date {text:?} does not have the form {format:?}"));
        if spec.format_len.is_some_and(|len| len != text.len()) {
            return Err(bad());
        }
        let parsed = parsed_by(&spec.format_items, text).ok_or_else(bad)?;
        parsed.to_naive_date().or_else(|_| parsed.to_naive_datetime_with_offset(0).map(|t| t.date())).map_err(|_| bad())
    }

    /// The trade time from the date column (a date-time, or a date with the time-of-day
    /// column), by the field's format; a format without a year takes it from the settlement
    /// date (the latest such date not after the settlement date).
    fn trade_time(&self, text: &str, time_of_day: &str, settlement: Option<NaiveDate>) -> Result<UnixSeconds> {
        let Some((spec, format)) = self.profile.field(StatementField::TradeDate).and_then(|spec| Some((spec, spec.format.as_deref()?)))
        else {
            return if time_of_day.is_empty() { fast_time(text) } else { parse_when(text, time_of_day) };
        };
        let bad = || Error::new(ErrorKind::InvalidDate, format!("trade date {text:?} does not have the form {format:?}"));
        if spec.format_len.is_some_and(|len| len != text.len()) {
            return Err(bad());
        }
        if spec.format_digits {
            // `%Y%m%d%H%M%S` (or `%Y%m%d` with a time of day) counted straight to seconds.
            let date_and_time = match (text.len(), time_of_day.is_empty()) {
                (14, true) => text.get(..8).zip(text.get(8..)),
                (8, false) => Some((text, time_of_day)),
                _ => None,
            };
            if let Some(seconds) = date_and_time.and_then(|(date, time)| civil::china_date_and_time(date, time)) {
                return Ok(UnixSeconds(seconds));
            }
        }
        let parsed = parsed_by(&spec.format_items, text).ok_or_else(bad)?;
        let naive = if spec.format_has_year {
            match parsed.to_naive_datetime_with_offset(0) {
                Ok(at) => at,
                Err(_) => parsed.to_naive_date().map_err(|_| bad())?.and_time(NaiveTime::MIN),
            }
        } else {
            let anchor = settlement.ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidDate,
                    format!("trade date {text:?} has no year and the row has no settlement date to take it from"),
                )
            })?;
            let at = |year: i32| {
                let mut dated = parsed.clone();
                dated.set_year(i64::from(year)).ok()?;
                dated.to_naive_datetime_with_offset(0).ok()
            };
            match at(anchor.year()) {
                Some(at) if at.date() <= anchor => at,
                _ => at(anchor.year() - 1).ok_or_else(bad)?,
            }
        };
        let naive = if time_of_day.is_empty() { naive } else { naive.date().and_time(parse_time_of_day(time_of_day).ok_or_else(bad)?) };
        china_offset().from_local_datetime(&naive).single().map(UnixSeconds::from).ok_or_else(bad)
    }

    /// The totals the file states: a summary row among the details, a summary block after
    /// them (`summary`, from line `summary_line`), or lines in words anywhere (`found`: the
    /// lines [`pattern_lines`] finds in the whole text, needed only when
    /// [`Layout::totals_in_words`]).
    fn stated_totals<'l>(
        &self,
        found: impl IntoIterator<Item = (usize, &'l str, &'l str)>,
        summary: &str,
        summary_line: u64,
        summary_rows: &[(u64, Vec<String>)],
    ) -> Option<Stated> {
        let totals = self.profile.totals.as_ref()?;
        let unit = |field: StatementField| self.profile.field(field).map(|f| f.unit).unwrap_or_default();
        let value = |text: &str, field: StatementField| parse_money_text(text, unit(field)).ok().map(|m| i128::from(m.millifen()));
        if let Some(prefix) = &totals.row_prefix {
            let (line, fields) = summary_rows.iter().find(|(_, fields)| fields.first().is_some_and(|f| f.starts_with(prefix.as_str())))?;
            let cell = |field: StatementField| self.column(field).and_then(|c| fields.get(c)).filter(|v| !v.is_empty());
            return Some(Stated {
                line: *line,
                amount_written: cell(StatementField::Amount).and_then(|v| value(v, StatementField::Amount)),
                fee_written: cell(StatementField::Fee).and_then(|v| value(v, StatementField::Fee)),
                ..Stated::default()
            });
        }
        if let Some(block) = &totals.block_header {
            let dialect = Dialect {
                delimiter: match self.profile.cutting {
                    Cutting::Delimited(d) => d,
                    Cutting::Fixed { .. } => b',',
                },
                comment: false,
            };
            let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
            stream(
                summary,
                summary_line,
                dialect,
                Known::default(),
                |row| {
                    if let Ok(row) = row {
                        rows.push((
                            row.line,
                            (0..row.fields.len())
                                .map(|c| strip_prefixes(row.get(Some(c)), &self.profile.strip_prefixes).to_string())
                                .collect(),
                        ))
                    }
                },
                &self.file,
            );
            let at = rows.iter().position(|(_, fields)| fields.first().is_some_and(|f| f.starts_with(block.as_str())))?;
            let (names, (line, values)) = (&rows[at].1, rows.get(at + 1)?);
            let named = |name: &Option<String>| {
                let name = name.as_deref()?;
                let k = names.iter().position(|n| n == name)?;
                values.get(k).map(String::as_str)
            };
            return Some(Stated {
                line: *line,
                count: named(&totals.count).and_then(|v| v.trim().parse::<i128>().ok()),
                amount_written: named(&totals.amount).and_then(|v| value(v, StatementField::Amount)),
                refund_written: named(&totals.refund).and_then(|v| value(v, StatementField::RefundAmount)),
                fee_written: named(&totals.fee).and_then(|v| value(v, StatementField::Fee)),
                ..Stated::default()
            });
        }
        let mut stated = Stated::default();
        for (k, line, pattern) in found {
            {
                if let Some(found) = match_pattern(line.trim(), pattern) {
                    stated.line = k as u64 + 1;
                    for (name, number) in found {
                        let money = || parse_money_text(&number, MoneyUnit::Yuan).ok().map(|m| i128::from(m.millifen()));
                        match name {
                            "count" => stated.purchases = number.parse().ok(),
                            "amount" => stated.purchase_amount = money(),
                            "refund_count" => stated.refunds = number.parse().ok(),
                            "refund" => stated.refund_amount = money().map(i128::abs),
                            "fee" => stated.fee_written = money(),
                            _ => {}
                        }
                    }
                }
            }
        }
        (stated.line > 0).then_some(stated)
    }
}

/// Matches `line` against a pattern with `{name}` placeholders for numbers: the numbers by
/// name, or `None`.
/// The lines of `text` that may match one of `patterns` — (0-based line, line, pattern), in
/// the order of the lines and then of the patterns — found by searching each pattern's text
/// before its first `{` rather than trying every line (a statement of millions of lines has
/// a few totals lines). A pattern that starts with `{` is tried on every line.
fn pattern_lines<'t, 'p>(text: &'t str, patterns: &'p [String]) -> Vec<(usize, &'t str, &'p str)> {
    let bytes = text.as_bytes();
    // (line start, pattern order, pattern)
    let mut found: Vec<(usize, usize, &'p str)> = Vec::new();
    // The starts of the lines holding each literal, searched for once however many patterns
    // start with it (Alipay's five patterns start with two). WebAssembly, whose statements are
    // a browser's files, searches once a pattern, without the code of this list.
    let mut searched: Vec<(&str, Vec<usize>)> = Vec::new();
    for (order, pattern) in patterns.iter().enumerate() {
        let literal = pattern[..pattern.find('{').unwrap_or(pattern.len())].trim_start();
        if literal.is_empty() || literal.contains('\n') {
            let mut start = 0;
            for line in text.split_inclusive('\n') {
                found.push((start, order, pattern));
                start += line.len();
            }
            continue;
        }
        if cfg!(target_arch = "wasm32") {
            found.extend(lines_holding(bytes, literal.as_bytes()).map(|(start, _)| (start, order, pattern.as_str())));
            continue;
        }
        let k = match searched.iter().position(|(searched, _)| *searched == literal) {
            Some(k) => k,
            None => {
                searched.push((literal, lines_holding(bytes, literal.as_bytes()).map(|(start, _)| start).collect()));
                searched.len() - 1
            }
        };
        found.extend(searched[k].1.iter().map(|&start| (start, order, pattern.as_str())));
    }
    found.sort_unstable_by_key(|&(start, order, _)| (start, order));
    let (mut line, mut counted) = (0, 0);
    found
        .into_iter()
        .map(|(start, _, pattern)| {
            line += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
            counted = start;
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |k| start + k);
            let text_line = &text[start..end];
            (line, text_line.strip_suffix('\r').unwrap_or(text_line), pattern)
        })
        .collect()
}

fn match_pattern<'p>(line: &str, pattern: &'p str) -> Option<Vec<(&'p str, String)>> {
    let mut found = Vec::new();
    let (mut rest, mut pattern_rest) = (line, pattern);
    loop {
        let Some(open) = pattern_rest.find('{') else {
            return (rest.trim() == pattern_rest.trim() || pattern_rest.is_empty()).then_some(found);
        };
        let literal = &pattern_rest[..open];
        rest = rest.strip_prefix(literal)?;
        let close = open + pattern_rest[open..].find('}')?;
        let name = &pattern_rest[open + 1..close];
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))).unwrap_or(rest.len());
        if number_len == 0 {
            return None;
        }
        found.push((name, rest[..number_len].replace(',', "")));
        rest = &rest[number_len..];
        pattern_rest = &pattern_rest[close + 1..];
    }
}

/// Compares the file's own totals with the rows read: a mismatch is an issue at the line of
/// the totals (an error with `strict`). When some lines could not be read, the message says
/// so (their money is unknown, but the disagreement is still shown).
fn check_totals(statement: &mut Statement, sums: &Sums, stated: Option<Stated>, file: &str, options: ReadOptions) -> Result<()> {
    let Some(stated) = stated else { return Ok(()) };
    let unread = statement.issues().len();
    let yuan = |millifen: i128| {
        i64::try_from(millifen).ok().and_then(|m| Money::from_millifen(m).ok()).map_or_else(|| millifen.to_string(), |m| m.to_string())
    };
    let mut wrong = Vec::new();
    let mut compare = |what: &str, stated: Option<i128>, read: i128, money: bool, _needs_all: bool| {
        if let Some(stated) = stated {
            if stated != read {
                if money {
                    wrong.push(format!("{what} ¥{} stated, ¥{} read", yuan(stated), yuan(read)));
                } else {
                    wrong.push(format!("{what} {stated} stated, {read} read"));
                }
            }
        }
    };
    compare("rows", stated.count, i128::from(sums.detail_lines), false, false);
    compare("amounts", stated.amount_written, sums.amount_written, true, true);
    compare("refund amounts", stated.refund_written, sums.refund_written, true, true);
    compare("fees", stated.fee_written, sums.fee_written, true, true);
    compare("trades", stated.purchases, i128::from(sums.purchases), false, true);
    compare("trade amounts", stated.purchase_amount, sums.purchase_amount, true, true);
    compare("refunds", stated.refunds, i128::from(sums.refunds), false, true);
    compare("refunded amounts", stated.refund_amount, sums.refund_amount, true, true);
    if wrong.is_empty() {
        return Ok(());
    }
    let why = match unread {
        0 => "a truncated file or a lost row".to_string(),
        n => format!("{n} line(s) of the file could not be read and are reported on their own"),
    };
    let error =
        Error::new(ErrorKind::InvalidRecord, format!("the file's own totals disagree with the rows read ({}): {why}", wrong.join("; ")))
            .at(Location::default().file(file).line(stated.line).field("totals"));
    if options.strict {
        return Err(error);
    }
    statement.push_issue(error, "");
    Ok(())
}

/// A money value as files write it: `¥`/`￥`, thousands separators and full-width digits
/// taken off; in fen when the unit says so.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
pub(super) fn parse_money_text(text: &str, unit: MoneyUnit) -> Result<Money> {
    // The common form (`1234.56`) without a call: a row has two to four amounts. (Not in
    // WebAssembly, where the statement checker's size counts more.)
    if !cfg!(target_arch = "wasm32") && unit == MoneyUnit::Yuan {
        if let Some(money) = crate::money::plain_money(text.as_bytes()) {
            return Ok(money);
        }
    }
    parse_money_text_in_general(text, unit)
}

/// [`parse_money_text`] of any form.
#[cfg_attr(not(target_arch = "wasm32"), inline(never))]
fn parse_money_text_in_general(text: &str, unit: MoneyUnit) -> Result<Money> {
    if unit == MoneyUnit::Yuan {
        if let Some(money) = crate::money::plain_money(text.as_bytes()) {
            return Ok(money);
        }
        // A plain amount with commas between its groups of digits (`24,120.00`, as bank files
        // write large amounts), the commas taken out on the stack: what the general path
        // makes of the text, without its three allocations.
        if let Some(money) = without_commas(text.as_bytes()).and_then(|(digits, len)| crate::money::plain_money(&digits[..len])) {
            return Ok(money);
        }
        // A yuan sign before a plain amount, as personal bills write it (¥112.50, -¥45.00).
        let (negative, signed) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if let Some(digits) = signed.strip_prefix(['¥', '￥']).filter(|digits| digits.starts_with(|c: char| c.is_ascii_digit())) {
            if let Some(money) = crate::money::plain_money(digits.as_bytes()) {
                return Ok(if negative { -money } else { money });
            }
        }
    }
    parse_money_slowly(text, unit)
}

/// The bytes of a text of digits, points, minus signs and commas, less its commas (`None` for
/// any other text, or one longer than an amount can be).
#[inline]
fn without_commas(text: &[u8]) -> Option<([u8; 24], usize)> {
    if text.len() > 24 || !text.contains(&b',') {
        return None;
    }
    let (mut kept, mut len) = ([0u8; 24], 0);
    for &byte in text {
        match byte {
            b',' => {}
            b'0'..=b'9' | b'.' | b'-' => {
                kept[len] = byte;
                len += 1;
            }
            _ => return None,
        }
    }
    Some((kept, len))
}

/// [`parse_money_text`] of a value that is not a plain amount in yuan, with or without a
/// yuan sign.
fn parse_money_slowly(text: &str, unit: MoneyUnit) -> Result<Money> {
    // Most values are plain (`12.34`, `600`): borrowed as they are, no allocation.
    let needs_cleaning = text.bytes().any(|b| !(b.is_ascii_digit() || b == b'.' || b == b'-'));
    let text: Cow<'_, str> = if needs_cleaning {
        let owned = text
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' '))
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                '－' => '-',
                _ => c,
            })
            .collect::<String>();
        Cow::Owned(owned.replacen("-¥", "-", 1).replacen("-￥", "-", 1))
    } else {
        Cow::Borrowed(text)
    };
    match unit {
        MoneyUnit::Yuan => Money::parse(&text),
        MoneyUnit::Fen => {
            let fen: i64 =
                text.parse().map_err(|_| Error::new(ErrorKind::InvalidAmount, format!("{text:?} is not a whole number of fen")))?;
            Money::try_from_fen(fen)
        }
    }
}

/// The settlement date of rows without one: the caller's, or the date in the file name
/// where the profile says it is (`file_name_date`).
fn default_settlement(profile: &Profile, file: &str, options: ReadOptions) -> Option<NaiveDate> {
    if options.settlement_date.is_some() {
        return options.settlement_date;
    }
    let (after, format) = profile.file_name_date.as_ref()?;
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let at = name.find(after.as_str())? + after.len();
    NaiveDate::parse_and_remainder(&name[at..], format).ok().map(|(date, _)| date)
}

/// The bytes of a fixed-width file read on one core at a time.
const FIXED_WIDTH_PIECE_BYTES: usize = 4 << 20;

/// Reads a fixed-width file: each line cut at byte widths of the raw file (widths count
/// bytes of the file's own encoding, `gap` bytes between fields), each field decoded on its
/// own. The lines are read in pieces of about `piece_bytes` on all cores, the pieces' rows
/// appended in order.
fn read_fixed_width(
    bytes: &[u8],
    file: &str,
    profile: &Profile,
    widths: (&[usize], usize),
    options: ReadOptions,
    piece_bytes: usize,
) -> Result<Statement> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let encoding = match profile.encoding {
        Encoding::Auto if simdutf8::basic::from_utf8(bytes).is_ok() => Encoding::Utf8,
        Encoding::Auto => Encoding::Gb18030,
        other => other,
    };
    let mut reader = FixedWidthReader::new(file, profile, widths, encoding, options);
    reader.read(bytes, 1, piece_bytes)?;
    reader.finish(options)
}

/// Reads a fixed-width file of a profile that names its encoding in blocks of whole lines
/// (as [`read_fixed_width`] reads its bytes): the file is never held whole in memory, and the
/// blocks' buffer keeps its pages from block to block. (A profile whose encoding is `auto`
/// reads the whole file, which decides it.)
fn read_fixed_width_file(
    mut source: impl std::io::Read,
    file: &str,
    profile: &Profile,
    widths: (&[usize], usize),
    options: ReadOptions,
    block_bytes: usize,
) -> Result<Statement> {
    let mut reader = FixedWidthReader::new(file, profile, widths, profile.encoding, options);
    let (mut buffer, mut carried): (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
    let (mut read_bytes, mut line, mut first) = (0u64, 1, true);
    loop {
        let pad = start_block(&mut buffer, &carried, read_bytes, block_bytes);
        let got = read_more(&mut source, &mut buffer, block_bytes, file, &mut read_bytes, MAX_INPUT_BYTES as u64)?;
        let ended = got < block_bytes;
        let mut block = &buffer[pad..];
        if first {
            if block.len() < 3 && !ended {
                // Not yet the bytes of a byte-order mark.
                carried.clear();
                carried.extend_from_slice(block);
                continue;
            }
            block = block.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(block);
            first = false;
        }
        // Whole lines (all that is left at the end), the rest carried to the next block.
        let end = if ended { block.len() } else { memchr::memrchr(b'\n', block).map_or(0, |k| k + 1) };
        line = reader.read(&block[..end], line, FIXED_WIDTH_PIECE_BYTES)?;
        if ended {
            return reader.finish(options);
        }
        carried.clear();
        carried.extend_from_slice(&block[end..]);
    }
}

/// A fixed-width file's layout, and the rows, sums and summary rows read so far.
struct FixedWidthReader<'p> {
    layout: Layout<'p>,
    widths: (&'p [usize], usize),
    encoding: Encoding,
    statement: Statement,
    sums: Sums,
    summary_rows: Vec<(u64, Vec<String>)>,
}

impl<'p> FixedWidthReader<'p> {
    fn new(
        file: &str,
        profile: &'p Profile,
        widths: (&'p [usize], usize),
        encoding: Encoding,
        options: ReadOptions,
    ) -> FixedWidthReader<'p> {
        let layout = Layout {
            profile,
            plain: profile.plain_fields(),
            columns: StatementField::ALL.iter().map(|&f| profile.field(f).and_then(|s| s.position.map(|p| p - 1))).collect(),
            instead: Layout::instead_columns(profile, None),
            default_settlement: default_settlement(profile, file, options),
            data_start: 0,
            data_line: 1,
            file: file.to_string(),
            marks: MarkFirstBytes::of(profile),
        };
        FixedWidthReader { layout, widths, encoding, statement: Statement::new(file), sums: Sums::default(), summary_rows: Vec::new() }
    }

    /// Reads the lines of `bytes` (whole lines, the first on line `first_line`) in pieces of
    /// about `piece_bytes` on all cores; returns the line after them.
    fn read(&mut self, bytes: &[u8], first_line: u64, piece_bytes: usize) -> Result<u64> {
        let (layout, (widths, gap), encoding) = (&self.layout, self.widths, self.encoding);
        let file = layout.file.as_str();
        // Pieces that start a line (just after a line feed), each with the line it starts on.
        let mut pieces: Vec<(&[u8], u64)> = Vec::new();
        let (mut start, mut line) = (0, first_line);
        while start < bytes.len() {
            let end = match memchr::memchr(b'\n', bytes.get(start.saturating_add(piece_bytes)..).unwrap_or(&[])) {
                Some(k) => start + piece_bytes + k + 1,
                None => bytes.len(),
            };
            pieces.push((&bytes[start..end], line));
            line += memchr::memchr_iter(b'\n', &bytes[start..end]).count() as u64;
            start = end;
        }
        let parts: Vec<Part> = pieces
            .par_iter()
            .map(|&(piece, first_line)| {
                let mut part = Part::new(file);
                let mut text = String::new();
                let mut fields: Vec<Range<usize>> = Vec::with_capacity(widths.len());
                // The lines, found by a SIMD search for their feeds (a split by a closure looks
                // at every byte alone), and the text after the last feed.
                let ends = memchr::memchr_iter(b'\n', piece).chain(std::iter::once(piece.len()));
                let mut line_start = 0;
                for (k, end) in ends.enumerate() {
                    let raw = &piece[line_start..end];
                    line_start = end + 1;
                    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                    if raw.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    cut_fixed_line(raw, (widths, gap), encoding, &mut text, &mut fields);
                    let row = Row { text: &text, fields: &fields, line: first_line + k as u64, file };
                    layout.take(&row, &mut part);
                }
                part
            })
            .collect();
        for mut part in parts {
            self.statement.append(&mut part.statement)?;
            self.sums.add(&part.sums);
            self.summary_rows.append(&mut part.summary_rows);
        }
        Ok(line)
    }

    /// The statement, its rows checked against the totals its summary rows state.
    fn finish(mut self, options: ReadOptions) -> Result<Statement> {
        let stated = self.layout.stated_totals(std::iter::empty(), "", 0, &self.summary_rows);
        check_totals(&mut self.statement, &self.sums, stated, &self.layout.file, options)?;
        Ok(self.statement)
    }
}

/// Cuts a fixed-width line at byte widths (`gap` bytes between fields) into `text` and the
/// ranges of its fields there, each field decoded on its own (a line that ends early has
/// fewer fields).
fn cut_fixed_line(line: &[u8], (widths, gap): (&[usize], usize), encoding: Encoding, text: &mut String, fields: &mut Vec<Range<usize>>) {
    // The line's ASCII head (most of a line: digits, codes, spaces) reads the same in every
    // encoding: it starts the text as it is, and its fields are the same ranges of the text as
    // of the line (no decoder's call and no copy for each of them).
    let head = ascii_head(line);
    text.clear();
    text.push_str(head);
    fields.clear();
    let mut at = 0;
    for &width in widths {
        if at >= line.len() {
            break;
        }
        let end = at.saturating_add(width).min(line.len());
        if end <= head.len() {
            fields.push(at..end);
        } else {
            let field = &line[at..end];
            let start = text.len();
            // A field of ASCII after the head reads the same too.
            match std::str::from_utf8(field) {
                Ok(ascii) if field.is_ascii() => text.push_str(ascii),
                _ => text.push_str(&decode_as(field, encoding)),
            }
            fields.push(start..text.len());
        }
        at = end.saturating_add(gap);
    }
}

/// The bytes of `line` before its first byte that is not ASCII, as text.
fn ascii_head(line: &[u8]) -> &str {
    // Whole chunks first (`is_ascii` reads a word at a time), then the bytes of the chunk
    // where the ASCII ends.
    let chunks = line.chunks_exact(32).take_while(|chunk| chunk.is_ascii()).count() * 32;
    let rest = &line[chunks..];
    let len = chunks + rest.iter().position(|b| !b.is_ascii()).unwrap_or(rest.len());
    std::str::from_utf8(&line[..len]).unwrap_or_default()
}

pub(super) fn find_cleaned(header: &csv::StringRecord, name: &str, strip: &[String]) -> Option<usize> {
    header.iter().position(|h| strip_prefixes(clean(h), strip).trim().eq_ignore_ascii_case(name))
}

/// Reads a bank / UnionPay POS settlement CSV (UTF-8 or GBK): the shipped `bank-pos`
/// profile with the names of `map`. Lines before the header row (titles) and summary rows
/// (合计 / 总计) are skipped; the header row is the first line naming the required columns;
/// a 合计 row must add up to the rows read.
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
    read_statement(bytes, file, map.profile())
}

/// Writes a statement as a bank settlement CSV with the default Chinese headers (what
/// [`read_bank_csv`] reads with [`ColumnMap::default`]), formula cells neutralized as in
/// [`write_ledger_csv`]. A 批次号 column follows 终端号 when a row has a batch number (the
/// columns are otherwise the same for every statement).
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
    let batches = statement.batch.text_len() > 0;
    let header = [
        "清算日期",
        "商户号",
        "商户名称",
        "终端号",
        "批次号",
        "交易日期",
        "交易时间",
        "交易金额",
        "手续费",
        "结算金额",
        "参考号",
        "卡类别",
        "交易类型",
    ];
    let keep = |column: usize| batches || column != 4;
    let _ = writer.write_record(header.iter().enumerate().filter(|(c, _)| keep(*c)).map(|(_, name)| name));
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
                statement.batch.get(j),
                at.format("%Y%m%d").to_string().as_str(),
                at.format("%H%M%S").to_string().as_str(),
                Money::from_fen(statement.amount_fen[j]).to_string().as_str(),
                statement.fee[j].to_string().as_str(),
                statement.net[j].to_string().as_str(),
                statement.rrn.get(j),
                statement.channel[j].name_zh(),
                kind,
            ]
            .iter()
            .enumerate()
            .filter(|(c, _)| keep(*c))
            .map(|(_, cell)| neutralize_cell(cell).into_owned()),
        );
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// WeChat Pay bill and Alipay business detail: shipped profiles

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
/// exceeds 8 GiB. Bad lines are kept in [`Statement::issues`]; the summary block must add
/// up to the rows read.
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
    read_statement(bytes, file, &Profile::builtin("wechat-merchant")?)
}

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
    read_statement(bytes, file, &Profile::builtin("alipay-business")?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::blocks::read_or_panic;
    use proptest::prelude::*;

    /// Every text read through the memo gets what its parser gives, in any order: texts that
    /// share a slot, texts longer than a slot holds, a text that does not parse (its error
    /// every time, never kept), and the empty text.
    #[test]
    fn channel_memo_gives_what_the_parser_gives() {
        let texts = [
            "debit",
            "credit",
            "wechat",
            "alipay",
            "借记卡",
            "贷记卡",
            "微信",
            "支付宝",
            "Debit",
            " credit ",
            "unionpay_qr",
            "wechat_pay",
            "银联二维码",
            "京东白条",
            "visa",
            "",
            "credit_card_of_a_long_name",
            "准贷记卡",
            "储蓄卡",
            "nfc",
        ];
        let parsers: [fn(&str) -> Result<Channel>; 2] = [Channel::parse, parse_card_channel];
        for parse in parsers {
            let mut memo = ChannelMemo::default();
            // Three rounds in a shuffled order, so that texts meet in each other's slots.
            for round in 0..3 {
                for k in 0..texts.len() {
                    let text = texts[(k * 7 + round * 3) % texts.len()];
                    let (got, expected) = (memo.channel(text, parse), parse(text));
                    assert_eq!(got.map_err(|e| e.to_string()), expected.map_err(|e| e.to_string()), "{text:?}");
                }
            }
        }
        // Texts of one length and one slot take turns in it: a known channel, and a text that
        // is none (found among five-letter words; its error each time, never debit's channel).
        let slot_of = |text: &str| {
            let mut memo = ChannelMemo::default();
            let _ = memo.channel(text, |_| Ok(Channel::Debit));
            memo.slots.iter().position(|(_, length, _)| *length > 0)
        };
        let other = (0..10_000).map(|n| format!("v{n:04}")).find(|text| slot_of(text) == slot_of("debit")).expect("a text in debit's slot");
        let mut memo = ChannelMemo::default();
        for text in ["debit", other.as_str(), "debit", other.as_str()] {
            let (got, expected) = (memo.channel(text, Channel::parse), Channel::parse(text));
            assert_eq!(got.map_err(|e| e.to_string()), expected.map_err(|e| e.to_string()), "{text:?}");
        }
        let mut memo = ChannelMemo::default();
        memo.channel(&other, |_| Ok(Channel::Wechat)).expect("taken as wechat");
        assert_eq!(memo.channel("debit", Channel::parse).expect("debit"), Channel::Debit);
    }

    /// The first bytes of the marking prefixes: a row is compared with the prefixes only when
    /// its first byte is one of theirs (the summary, the totals row and a comment other than
    /// `#`); an empty prefix would mark every row, the empty one too.
    #[test]
    fn a_row_is_compared_with_the_marking_prefixes_only_when_it_starts_with_one_of_their_bytes() {
        let marks = MarkFirstBytes::of(&Profile::builtin("bank-pos").expect("built in"));
        for first in ["合计", "总计:", "Total", "total", "TOTAL rows"] {
            assert!(marks.may_mark(first), "{first}");
        }
        // (Only the first byte is looked at: 商 shares its first byte with 合 and 小.)
        for first in ["20260226", "", "#", "商户", "x"] {
            assert_eq!(marks.may_mark(first), first == "商户", "{first}");
        }
        let mut profile = Profile::builtin("bank-pos").expect("built in");
        profile.summary_prefixes = vec![String::new()];
        let marks = MarkFirstBytes::of(&profile);
        assert!(["", "20260226", "x"].iter().all(|first| marks.may_mark(first)));
    }

    /// A ledger of several chunks, where some chunks hold quoted fields (with commas, not
    /// line ends) and one holds lone CRs (old Mac line ends) and the others neither: each
    /// chunk is cut with what was found of its own bytes, so every record reads with its
    /// fields and its true line, from the bytes (each chunk looked at on all cores) and from
    /// a file in blocks (whose quotes are found with their ends).
    #[test]
    fn chunks_with_and_without_quotes_and_lone_returns_read_every_record_at_its_line() {
        let rows = 90_000u64;
        let (mut text, mut expected) = (String::from("trade_id,rrn,terminal,time,amount,channel\n"), Vec::new());
        // (Row k on line k + 2, after the header.)
        for k in 0..rows {
            let quoted = (20_000..30_000).contains(&k) && k % 7 == 0;
            let trade_id = if quoted { format!("A,{k}") } else { format!("A{k}") };
            let field = if quoted { format!("\"{trade_id}\"") } else { trade_id.clone() };
            let end = if (60_000..61_000).contains(&k) { "\r" } else { "\n" };
            text.push_str(&format!("{field},{:012},T0000001,2026-05-06 10:00:00,{}.00,credit{end}", 600_000_000_000 + k, 1 + k % 900));
            expected.push((trade_id, k + 2));
        }
        assert!(text.len() > 5 << 20, "several chunks of at most 4 MiB: {} bytes", text.len());
        let path = std::env::temp_dir().join(format!("posfee-chunks-{}.csv", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        let from_file = read_ledger_file(&path);
        std::fs::remove_file(&path).unwrap();
        for ledger in [read_ledger_csv(text.as_bytes(), "ledger.csv").unwrap(), from_file.unwrap()] {
            assert!(ledger.issues().is_empty(), "{:?}", ledger.issues().first());
            let read: Vec<(String, u64)> = (0..ledger.len()).map(|k| (ledger.record(k).trade_id, ledger.record(k).line)).collect();
            assert_eq!(read.len(), expected.len());
            assert!(read == expected, "first difference: {:?}", read.iter().zip(&expected).find(|(a, b)| a != b));
        }
    }

    /// A whole file is read to the start of a page (where the kernel copies it fastest), its
    /// bytes all there; a file that cannot be opened is named in the error.
    #[test]
    fn a_whole_file_is_read_to_the_start_of_a_page() {
        let text: Vec<u8> = (0..100_000u32).map(|k| (k % 251) as u8).collect();
        let path = std::env::temp_dir().join(format!("posfee-whole-{}.bin", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        let whole = read_whole(&path, "whole.bin");
        std::fs::remove_file(&path).unwrap();
        let whole = whole.unwrap();
        assert_eq!(&whole[..], &text[..]);
        assert_eq!(whole.as_ptr() as usize % PAGE_BYTES, 0);
        let missing = read_whole(&path, "whole.bin").err().unwrap();
        assert_eq!(missing.kind(), ErrorKind::Io);
        assert!(missing.to_string().contains("cannot read whole.bin"), "{missing}");
    }

    /// Files of several chunks without a quote, read from disk in blocks (each chunk parsed
    /// with its lines numbered from 1, then moved to its lines in the file) and from their
    /// bytes (each chunk's line ends counted before it is parsed): the same rows, issues,
    /// deductions and totals, every one at its true line (blank and comment lines between, and
    /// lines that end in CRLF or a lone CR).
    #[test]
    fn chunks_numbered_from_one_are_moved_to_their_lines_in_the_file() {
        let (mut text, mut line) = (String::from("trade_id,rrn,terminal,time,amount,channel\n"), 1u64);
        let (mut rows, mut bad) = (Vec::new(), Vec::new());
        for k in 0..40_000u64 {
            match k % 1000 {
                17 => (text.push('\n'), line += 1).1,
                29 => (text.push_str("# a comment\n"), line += 1).1,
                _ => {}
            }
            line += 1;
            let amount = if k % 1499 == 3 { "12x.00".to_string() } else { format!("{}.00", 1 + k % 900) };
            // Line feeds, then CRLF, then a run of lone CRs (a chunk cut again the slow way).
            let end = match k {
                10_000..=19_999 => "\r\n",
                30_100..=30_499 => "\r",
                _ => "\n",
            };
            text.push_str(&format!("A{k},{:012},T0000001,2026-05-06 10:00:00,{amount},credit{end}", 600_000_000_000 + k));
            if amount.contains('x') {
                bad.push(line)
            } else {
                rows.push((format!("A{k}"), line))
            }
        }
        assert!(text.len() > 2 << 20, "several chunks: {} bytes", text.len());
        let path = std::env::temp_dir().join(format!("posfee-chunk-lines-{}.csv", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        let from_file = read_ledger_file(&path);
        std::fs::remove_file(&path).unwrap();
        let (from_file, from_bytes) = (from_file.unwrap(), read_ledger_csv(text.as_bytes(), "ledger.csv").unwrap());
        let read: Vec<(String, u64)> = (0..from_file.len()).map(|k| (from_file.record(k).trade_id, from_file.record(k).line)).collect();
        assert!(read == rows, "first difference: {:?}", read.iter().zip(&rows).find(|(a, b)| a != b));
        let issue_lines: Vec<Option<u64>> = from_file.issues().iter().map(|issue| issue.error.location().line).collect();
        assert_eq!(issue_lines, bad.iter().map(|&line| Some(line)).collect::<Vec<_>>());
        assert_eq!(from_file.lines(), from_bytes.lines());
        assert_eq!(from_file.issues().len(), from_bytes.issues().len());

        // A bank statement with deductions, bad rows and a totals row that disagrees, read in
        // blocks of 1.5 MiB (several chunks each: a block under 1 MiB is parsed whole).
        let header = "清算日期,商户号,商户名称,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n";
        let (mut text, mut line) = (String::from(header), 1u64);
        let (mut deductions, mut bad) = (Vec::new(), Vec::new());
        let mut totals_line = 0;
        for k in 0..45_000u64 {
            if k % 1000 == 17 {
                text.push('\n');
                line += 1;
            }
            if k == 30_000 {
                // Totals that disagree, among the details (a bank's 合计 row; rows may follow).
                text.push_str("合计,,,,,,1.00,0.50,,,,\n");
                line += 1;
                totals_line = line;
            }
            line += 1;
            let (amount, kind) = match k % 997 {
                5 => ("36.00".to_string(), "SIM流量费"),
                9 => ("4x.10".to_string(), "消费"),
                _ => (format!("{}.00", 100 + k % 900), "消费"),
            };
            text.push_str(&format!(
                "20260506,102310058120001,沪上小馆,T0000001,20260506,101500,{amount},0.50,{amount},{:012},借记卡,{kind}\n",
                600_000_000_000 + k
            ));
            match kind {
                "SIM流量费" => deductions.push(line),
                _ if amount.contains('x') => bad.push(line),
                _ => {}
            }
        }
        let profile = Profile::builtin("bank-pos").unwrap();
        let options = ReadOptions::default();
        let whole = read_statement_with(text.as_bytes(), "s.csv", &profile, options).unwrap();
        let blocks = Blocks::new(text.as_bytes(), "s.csv", profile.dialect(), profile.encoding, u64::MAX).of_bytes(3 << 19);
        let in_blocks = read_or_panic(read_statement_blocks(blocks, "s.csv", text.len(), &profile, options), "s.csv");
        assert_eq!(in_blocks, whole);
        assert_eq!(in_blocks.deductions().iter().map(|d| d.line).collect::<Vec<_>>(), deductions);
        let issue_lines: Vec<Option<u64>> = in_blocks.issues().iter().map(|issue| issue.error.location().line).collect();
        let expected: Vec<Option<u64>> = bad.iter().chain([&totals_line]).map(|&line| Some(line)).collect();
        assert_eq!(issue_lines, expected, "the bad rows, then the totals row");
        assert_eq!(in_blocks.lines().get(0), 2);
        assert!(text.len() > 3 * (3 << 19), "blocks of several chunks: {} bytes", text.len());
    }

    /// A statement whose first lines are longer than the first block (1 MiB) holds: its header
    /// is found (the file is read again from a longer first block), and a file without one
    /// gives the error the whole text gives.
    #[test]
    fn a_header_after_lines_longer_than_the_first_block_is_found() {
        let header = "清算日期,商户号,商户名称,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n";
        let preamble: String = (0..6).map(|k| format!("note {k}: {}\n", "x".repeat(300_000))).collect();
        let rows: String = (0..3)
            .map(|k| format!("20260506,102310058120001,沪上小馆,T0000001,20260506,10150{k},100.00,0.50,99.50,60000000000{k},借记卡,消费\n"))
            .collect();
        let profile = Profile::builtin("bank-pos").unwrap();
        let dir = std::env::temp_dir().join(format!("posfee-long-preamble-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in [("with-header.csv", format!("{preamble}{header}{rows}")), ("without-header.csv", format!("{preamble}{rows}"))]
        {
            assert!(preamble.len() > FIRST_BLOCK_BYTES && text.len() < BLOCK_BYTES);
            let path = dir.join(name);
            std::fs::write(&path, &text).unwrap();
            let file = path.display().to_string();
            let from_file = read_statement_file(&path, &profile, ReadOptions::default());
            let whole = read_statement(text.as_bytes(), &file, &profile);
            match (from_file, whole) {
                (Ok(from_file), Ok(whole)) => {
                    assert_eq!(from_file.len(), 3, "{name}");
                    assert_eq!(from_file, whole, "{name}");
                }
                (Err(from_file), Err(whole)) => {
                    assert!(from_file.to_string().contains("no header row"), "{name}: {from_file}");
                    assert_eq!(from_file.to_string(), whole.to_string(), "{name}");
                }
                (from_file, whole) => panic!("{name}: from the file {from_file:?}, whole {whole:?}"),
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A statement read in blocks reserves its columns for the rest of the file once the
    /// first block's rows are read (at their rows a byte): the columns end at about an eighth
    /// over their rows, not grown by doubling as parts are appended (each growth a copy, on the
    /// one core that appends).
    #[test]
    fn a_statement_read_in_blocks_reserves_its_columns_from_its_first_block() {
        let header = "清算日期,商户号,商户名称,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n";
        let mut text = String::from(header);
        for k in 0..70_000u64 {
            text.push_str(&format!(
                "20260506,102310058120001,沪上小馆,T0000001,20260506,101500,{}.00,0.50,{}.50,{:012},借记卡,消费\n",
                100 + k % 900,
                99 + k % 900,
                600_000_000_000 + k
            ));
        }
        let profile = Profile::builtin("bank-pos").unwrap();
        let block_bytes = 3 << 19;
        assert!(text.len() > 4 * block_bytes, "several blocks: {} bytes", text.len());
        let blocks = Blocks::new(text.as_bytes(), "s.csv", profile.dialect(), profile.encoding, u64::MAX).of_bytes(block_bytes);
        let statement = read_or_panic(read_statement_blocks(blocks, "s.csv", text.len(), &profile, ReadOptions::default()), "s.csv");
        assert_eq!(statement.len(), 70_000);
        // References of one width held without offsets.
        assert!(statement.rrn.is_fixed_width());
        assert_eq!((statement.record(69_999).rrn, statement.record(69_999).batch), ("600000069999".into(), String::new()));
        for (name, capacity) in
            [("time", statement.time.capacity()), ("fee", statement.fee.capacity()), ("kind", statement.kind.capacity())]
        {
            // (An eighth over the first block's rows a byte, less the header's bytes: 77,004.
            // Grown by doubling from the first part's room instead: 84,144; reserved before the
            // first block's last rows are taken: 74,912.)
            assert!((76_000..=78_000).contains(&capacity), "{name}: room for {capacity} rows");
        }
    }

    /// As the statement's test above, for a ledger read in blocks: its columns end with the
    /// room the first block's rows call for, which the reader reserves once they are all taken.
    #[test]
    fn a_ledger_read_in_blocks_reserves_its_columns_from_its_first_block() {
        let mut text = String::from("trade_id,rrn,terminal,time,amount,channel\n");
        for k in 0..110_000u64 {
            // Trade ids of one width, then (in a later block) of another.
            let id = if k < 80_000 { format!("A{k:07}") } else { format!("B{k}") };
            text.push_str(&format!("{id},{:012},T0000001,2026-05-06 10:15:00,{}.00,debit\n", 600_000_000_000 + k, 100 + k % 900));
        }
        let block_bytes = 3 << 19;
        assert!(text.len() > 3 * block_bytes, "several blocks: {} bytes", text.len());
        let blocks = Blocks::new(text.as_bytes(), "l.csv", Dialect::csv(true), Encoding::Auto, u64::MAX).of_bytes(block_bytes);
        let ledger = read_or_panic(read_ledger_blocks(blocks, "l.csv", text.len()), "l.csv");
        assert_eq!(ledger.len(), 110_000);
        assert_eq!((ledger.record(0).line, ledger.record(109_999).line), (2, 110_001));
        assert_eq!(
            (ledger.record(79_999).trade_id, ledger.record(80_000).trade_id, ledger.record(109_999).trade_id),
            ("A0079999".into(), "B80000".into(), "B109999".into())
        );
        // References of one width and a column without values are held without offsets; the
        // trade ids, whose width changes, with them.
        assert!(ledger.rrn.is_fixed_width() && ledger.original_rrn.is_fixed_width() && !ledger.trade_id.is_fixed_width());
        assert_eq!((ledger.record(109_999).rrn, ledger.record(109_999).original_rrn), ("600000109999".into(), String::new()));
        for (name, capacity) in
            [("time", ledger.time.capacity()), ("amount", ledger.amount_fen.capacity()), ("kind", ledger.kind.capacity())]
        {
            // (120,690 with the reservation; grown by doubling when it is made before the first
            // block's last rows are taken: 131,088.)
            assert!((115_000..=125_000).contains(&capacity), "{name}: room for {capacity} rows");
        }
    }

    #[test]
    fn a_kind_text_means_the_same_on_every_row_and_an_unknown_one_is_an_error_each_time() {
        let header = "清算日期,商户号,终端号,批次号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n";
        let row = |n: u32, kind: &str| {
            format!("20261102,898440358120017,80010001,000031,20261101,0930{n:02},100.00,0.60,99.40,1260930120{n:02},贷记卡,{kind}\n")
        };
        let kinds = ["消费", "流量费", "礼品", "消费", "礼品", "SIM卡年费", "消费"];
        let text: String =
            std::iter::once(header.to_string()).chain(kinds.iter().enumerate().map(|(k, kind)| row(k as u32, kind))).collect();
        let profile = crate::reconcile::Profile::builtin("bank-pos").unwrap();
        let statement = read_statement(text.as_bytes(), "s.csv", &profile).unwrap();
        assert_eq!(statement.len(), 3);
        let deductions: Vec<(u64, &str)> = statement.deductions().iter().map(|d| (d.line, d.text.as_str())).collect();
        assert_eq!(deductions, [(3, "流量费"), (7, "SIM卡年费")]);
        let issues: Vec<(Option<u64>, &str)> =
            statement.issues().iter().map(|i| (i.error.location().line, i.error.location().field.as_deref().unwrap_or(""))).collect();
        assert_eq!(issues, [(Some(4), "kind"), (Some(6), "kind")]);
    }

    /// Settlement dates read once a run of rows: each row still gets its own text's date
    /// (a run ends at a new date, a date that is no day is each time its row's error and does
    /// not end the run of the rows around it).
    #[test]
    fn each_row_gets_its_own_settlement_date_and_an_impossible_one_is_an_error_each_time() {
        let header = "清算日期,商户号,终端号,批次号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n";
        let row = |n: u32, settlement: &str| {
            format!("{settlement},898440358120017,80010001,000031,20261101,0930{n:02},100.00,0.60,99.40,1260930120{n:02},贷记卡,消费\n")
        };
        let dates = ["20261102", "20261102", "20261131", "20261102", "20261103", "20261131", "20261103", "2026-11-04", "20261102"];
        let text: String =
            std::iter::once(header.to_string()).chain(dates.iter().enumerate().map(|(k, date)| row(k as u32, date))).collect();
        let profile = crate::reconcile::Profile::builtin("bank-pos").unwrap();
        let statement = read_statement(text.as_bytes(), "s.csv", &profile).unwrap();
        let read: Vec<(u64, String)> =
            (0..statement.len()).map(|k| (statement.record(k).line, statement.record(k).settlement_date.to_string())).collect();
        let day = |d: &str| format!("2026-11-{d}");
        let expected = [(2, day("02")), (3, day("02")), (5, day("02")), (6, day("03")), (8, day("03")), (9, day("04")), (10, day("02"))];
        assert_eq!(read, expected);
        let issues: Vec<(Option<u64>, &str)> =
            statement.issues().iter().map(|i| (i.error.location().line, i.error.location().field.as_deref().unwrap_or(""))).collect();
        assert_eq!(issues, [(Some(4), "settlement_date"), (Some(7), "settlement_date")]);
    }

    /// Direction and status texts looked up once mean on every row what they mean on the
    /// first (a failed payment is declined, money out is not the merchant's purchase), and a
    /// direction that is no word of the profile is its row's error every time.
    #[test]
    fn a_direction_or_status_text_means_the_same_on_every_row_and_an_unknown_one_is_an_error_each_time() {
        let header = "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n";
        let row = |n: u32, direction: &str, status: &str| {
            format!("2026-05-07 08:{n:02}:40,二维码收款,顾客,/,{direction},¥1{n:02}.50,/,{status},10000501012026050000000000{n:02},/,/\n")
        };
        let rows = [
            ("收入", "已存入零钱"),
            ("收入", "支付失败"),
            ("其它", "已存入零钱"),
            ("支出", "已存入零钱"),
            ("收入", "已存入零钱"),
            ("其它", "已存入零钱"),
            ("收入", "支付失败"),
            ("收入", "已存入零钱"),
        ];
        let text: String = std::iter::once(header.to_string())
            .chain(rows.iter().enumerate().map(|(k, (direction, status))| row(k as u32, direction, status)))
            .collect();
        let profile = crate::reconcile::Profile::builtin("wechat-personal").unwrap();
        let statement = read_statement(text.as_bytes(), "bill.csv", &profile).unwrap();
        let lines: Vec<u64> = (0..statement.len()).map(|k| statement.record(k).line).collect();
        assert_eq!(lines, [2, 6, 9]);
        assert_eq!(statement.record(1).amount, Money::parse("104.50").unwrap());
        assert_eq!(statement.skipped_rows(), 1, "money out: not the merchant's purchase");
        let issues: Vec<(Option<u64>, &str)> =
            statement.issues().iter().map(|i| (i.error.location().line, i.error.location().field.as_deref().unwrap_or(""))).collect();
        assert_eq!(issues, [(Some(3), "status"), (Some(4), "direction"), (Some(7), "direction"), (Some(8), "status")]);
    }

    /// What [`clean`] gives, step by step on the whole value: trimmed, a backtick or `="…"`
    /// taken off, trimmed again (and leading tabs), a spreadsheet's guard quote taken off.
    fn clean_by_steps(value: &str) -> &str {
        let value = value.trim();
        let value = value.strip_prefix('`').unwrap_or(value);
        let value = value.strip_prefix("=\"").and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        crate::reconcile::spreadsheet::restore_cell(value.trim().trim_start_matches('\t'))
    }

    proptest! {
        /// Values padded with spaces (as Alipay pads every column), tabs and the other ASCII
        /// whitespace, full-width and no-break spaces, backticks, `="…"` and guard quotes are
        /// cleaned as by the steps one after another, whichever way `clean` takes.
        #[test]
        fn a_value_is_cleaned_as_by_the_steps(
            pieces in prop::collection::vec(prop::sample::select(vec![" ", "   ", "\t", "\u{b}", "\r\n", "`", "=", "\"", "a", "1", "消", "\u{3000}", "\u{a0}", "'", "+", "-"]), 0..14),
        ) {
            let value: String = pieces.concat();
            prop_assert_eq!(clean(&value), clean_by_steps(&value), "{:?}", value);
        }
    }

    proptest! {
        /// An amount with a yuan sign (¥112.50, -¥45.00, ￥0.5) or commas between its groups of
        /// digits (24,120.00) reads as the general money reader reads it, and so does any other
        /// text of signs, digits and separators.
        #[test]
        fn an_amount_after_a_yuan_sign_reads_as_the_general_reader_reads_it(
            pieces in prop::collection::vec(prop::sample::select(vec!["-", "¥", "￥", "1", "0", "9", "12", ".", ".5", ",", " ", "x", "+"]), 0..8),
        ) {
            let read = |text: &str| parse_money_text(text, MoneyUnit::Yuan).map_err(|e| e.to_string());
            let slowly = |text: &str| parse_money_slowly(text, MoneyUnit::Yuan).map_err(|e| e.to_string());
            let text: String = pieces.concat();
            prop_assert_eq!(read(&text), slowly(&text), "{:?}", text);
            // Signs the random texts seldom put together.
            for text in ["-¥-1", "¥-1.50", "-￥+1", "¥¥1", "--¥1", "-¥1.5", "¥1,000.00", "¥ 1", "¥.5", "¥", "-¥",
                         "24,120.00", "-1,234,567.89", "1,2,3", ",1", "1,", ",", "1,,2.5", "1,2.3,4", "-,1", "123,456,789,012.34",
                         "1,234,567,890,123.00", "1，000.00", "1, 000"] {
                prop_assert_eq!(read(text), slowly(text), "{:?}", text);
            }
        }

        /// A settlement column of date-times (as Alipay's 完成时间) in the usual layout is
        /// counted straight to its date: the same date as the general parser's, or the same
        /// issue (impossible days and hours, year 0).
        #[test]
        fn a_settlement_date_time_reads_as_the_general_parser_reads_it(
            year in prop_oneof![0u32..3, 1969u32..1972, 2024u32..2028, 9998u32..10_000],
            month in 0u32..14, day in 0u32..33, hour in 0u32..25, slash in any::<bool>(),
        ) {
            let date_time = format!("{year:04}{sep}{month:02}{sep}{day:02} {hour:02}:59:30", sep = if slash { '/' } else { '-' });
            let profile = crate::reconcile::Profile::from_toml(
                "name = \"t\"\ntitle = \"t\"\nsource = \"s\"\nchannel = \"alipay\"\n[fields]\n\
                 settlement_date = { names = [\"完成时间\"] }\ntrade_date = { names = [\"创建时间\"] }\n\
                 amount = { names = [\"金额\"] }\nfee = { names = [\"服务费\"] }\n",
            ).unwrap();
            let text = format!("创建时间,完成时间,金额,服务费\n2026-05-06 10:00:00,{date_time},100.00,0.60\n");
            let statement = read_statement(text.as_bytes(), "s.csv", &profile).unwrap();
            match parse_china_time(&date_time) {
                Ok(at) => prop_assert_eq!(statement.record(0).settlement_date, at.date_naive()),
                Err(_) => {
                    prop_assert_eq!(statement.len(), 0);
                    prop_assert_eq!(statement.issues()[0].error.location().field.as_deref(), Some("settlement_date"));
                }
            }
        }
    }

    /// The reference for a formatted trade date: chrono reading the format's text each time,
    /// a year-less format tried with the settlement date's year, then the year before.
    fn trade_time_by_text(text: &str, format: &str, settlement: NaiveDate) -> Option<UnixSeconds> {
        use chrono::NaiveDateTime;
        let naive = if format.contains("%Y") || format.contains("%y") {
            NaiveDateTime::parse_from_str(text, format)
                .or_else(|_| NaiveDate::parse_from_str(text, format).map(|d| d.and_time(NaiveTime::MIN)))
                .ok()?
        } else {
            let at = |year: i32| NaiveDateTime::parse_from_str(&format!("{year}{text}"), &format!("%Y{format}")).ok();
            match at(settlement.year()) {
                Some(at) if at.date() <= settlement => at,
                _ => at(settlement.year() - 1)?,
            }
        };
        china_offset().from_local_datetime(&naive).single().map(UnixSeconds::from)
    }

    proptest! {
        /// Dates and trade times by a field's format (chrono's items read once per profile)
        /// are what chrono's `parse_from_str` makes of them, or an issue where it fails:
        /// impossible days, hours and seconds, year-less formats across the new year.
        #[test]
        fn formatted_dates_read_as_chrono_reads_their_text(
            format in prop_oneof![
                Just("%Y%m%d%H%M%S"), Just("%m%d%H%M%S"), Just("%Y-%m-%d %H:%M:%S"), Just("%y%m%d%H%M"),
                Just("%Y%m%d"), Just("%d/%m/%Y %H:%M"),
            ],
            year in prop_oneof![0i32..3, 1999i32..2001, 2024i32..2028],
            month in 0u32..14, day in 0u32..33, hour in 0u32..25, minute in 0u32..61, second in 0u32..62,
            settlement_month in 1u32..13, settlement_day in 1u32..29,
        ) {
            let text = format
                .replace("%Y", &format!("{year:04}"))
                .replace("%y", &format!("{:02}", year % 100))
                .replace("%m", &format!("{month:02}"))
                .replace("%d", &format!("{day:02}"))
                .replace("%H", &format!("{hour:02}"))
                .replace("%M", &format!("{minute:02}"))
                .replace("%S", &format!("{second:02}"));
            let settlement = NaiveDate::from_ymd_opt(2026, settlement_month, settlement_day).unwrap();
            let profile = crate::reconcile::Profile::from_toml(&format!(
                "name = \"t\"\ntitle = \"t\"\nsource = \"s\"\nchannel = \"debit\"\n[fields]\n\
                 settlement_date = {{ names = [\"清算日期\"], format = \"%Y%m%d\" }}\n\
                 trade_date = {{ names = [\"交易时间\"], format = \"{format}\" }}\n\
                 amount = {{ names = [\"金额\"] }}\nfee = {{ names = [\"手续费\"] }}\n",
            )).unwrap();
            let file = format!("交易时间,清算日期,金额,手续费\n{text},{},100.00,0.60\n", settlement.format("%Y%m%d"));
            let statement = read_statement(file.as_bytes(), "s.csv", &profile).unwrap();
            match trade_time_by_text(&text, format, settlement) {
                Some(time) if crate::reconcile::schema::TIME_RANGE.contains(&time.0) => {
                    prop_assert_eq!(statement.len(), 1, "{:?}", statement.issues());
                    prop_assert_eq!(UnixSeconds::from(statement.record(0).time), time);
                    prop_assert_eq!(statement.record(0).settlement_date, settlement);
                }
                Some(_) => {
                    prop_assert_eq!(statement.len(), 0);
                    prop_assert_eq!(statement.issues()[0].error.location().field.as_deref(), Some("time"));
                }
                None => {
                    prop_assert_eq!(statement.len(), 0);
                    prop_assert_eq!(statement.issues()[0].error.location().field.as_deref(), Some("trade_date"));
                }
            }
        }
    }

    proptest! {
        /// A `%Y%m%d` trade date with a time-of-day column reads as chrono reads the two
        /// (the date by the format, the time of day in the layouts the readers take).
        #[test]
        fn a_formatted_date_with_a_time_of_day_reads_as_chrono_reads_them(
            year in prop_oneof![0i32..3, 2024i32..2028], month in 0u32..14, day in 0u32..33,
            hour in 0u32..25, minute in 0u32..61, second in 0u32..62,
            layout in prop_oneof![Just("%H%M%S"), Just("%H:%M:%S"), Just("%H:%M"), Just("%H-%M-%S")],
        ) {
            let date = format!("{year:04}{month:02}{day:02}");
            let time = layout.replace("%H", &format!("{hour:02}")).replace("%M", &format!("{minute:02}")).replace("%S", &format!("{second:02}"));
            let profile = crate::reconcile::Profile::from_toml(
                "name = \"t\"\ntitle = \"t\"\nsource = \"s\"\nchannel = \"debit\"\n[fields]\n\
                 settlement_date = { names = [\"清算日期\"] }\ntrade_date = { names = [\"交易日期\"], format = \"%Y%m%d\" }\n\
                 trade_time = { names = [\"交易时间\"] }\namount = { names = [\"金额\"] }\nfee = { names = [\"手续费\"] }\n",
            ).unwrap();
            let file = format!("交易日期,交易时间,清算日期,金额,手续费\n{date},{time},20260507,100.00,0.60\n");
            let statement = read_statement(file.as_bytes(), "s.csv", &profile).unwrap();
            let time_of_day = ["%H:%M:%S", "%H%M%S", "%H:%M"].iter().find_map(|f| NaiveTime::parse_from_str(&time, f).ok());
            let expected = NaiveDate::parse_from_str(&date, "%Y%m%d")
                .ok()
                .zip(time_of_day)
                .and_then(|(day, at)| china_offset().from_local_datetime(&day.and_time(at)).single())
                .map(UnixSeconds::from);
            match expected {
                Some(time) if crate::reconcile::schema::TIME_RANGE.contains(&time.0) => {
                    prop_assert_eq!(statement.len(), 1, "{:?}", statement.issues());
                    prop_assert_eq!(UnixSeconds::from(statement.record(0).time), time);
                }
                _ => {
                    prop_assert_eq!(statement.len(), 0);
                    prop_assert_eq!(statement.issues().len(), 1);
                }
            }
        }
    }

    /// What `stream` hands on: (line, fields) per record, or the line of an error.
    fn streamed(text: &str, comment: bool) -> Vec<std::result::Result<(u64, Vec<String>), u64>> {
        let mut out = Vec::new();
        stream(
            text,
            1,
            Dialect::csv(comment),
            Known::default(),
            |row| match row {
                Ok(row) => out.push(Ok((row.line, (0..row.fields.len()).map(|c| row.field(c).unwrap_or("?").to_string()).collect()))),
                Err((line, _)) => out.push(Err(line)),
            },
            "t.csv",
        );
        out
    }

    /// The line (as an editor numbers them: LF, CRLF and a lone CR end a line) of the first
    /// character at or after byte `at` that is not a line end: counted from the start every
    /// time.
    /// With `comment`, `#` comment lines there are skipped too (the csv crate places a record
    /// after a comment line at the comment).
    fn line_at(text: &str, at: usize, comment: bool) -> u64 {
        let bytes = text.as_bytes();
        let mut start = at;
        loop {
            start = (start..bytes.len()).find(|&k| bytes[k] != b'\n' && bytes[k] != b'\r').unwrap_or(bytes.len());
            if !(comment && bytes.get(start) == Some(&b'#')) {
                break;
            }
            start = (start..bytes.len()).find(|&k| bytes[k] == b'\n').unwrap_or(bytes.len());
        }
        let ends = (0..start).filter(|&k| bytes[k] == b'\n' || (bytes[k] == b'\r' && bytes.get(k + 1) != Some(&b'\n'))).count();
        1 + ends as u64
    }

    /// The same through the csv crate's checked `StringRecord`s, with lines counted here.
    fn by_csv_crate(text: &str, comment: bool) -> Vec<std::result::Result<(u64, Vec<String>), u64>> {
        let mut out = Vec::new();
        let mut reader = reader(text, Dialect::csv(comment));
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    if record.iter().all(|f| clean(f).is_empty()) {
                        continue;
                    }
                    let line = line_at(text, record.position().map_or(0, |p| p.byte() as usize), comment);
                    out.push(Ok((line, record.iter().map(str::to_string).collect())));
                }
                Err(error) => {
                    out.push(Err(line_at(text, error.position().map_or(0, |p| p.byte() as usize), comment)));
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
        // Texts with a quote that never closes are left out (`stream` cuts them first).
        #![proptest_config(ProptestConfig { max_global_rejects: 1_000_000, ..ProptestConfig::default() })]

        #[test]
        fn fields_are_what_the_csv_crate_reads(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["a", "12.5", ",", "\"", "\"\"", "\n", "\r\n", "\r", "#", " ", "`", "消费", ""]),
                0..80,
            ),
            comment in any::<bool>(),
        ) {
            let text: String = pieces.concat();
            prop_assume!(unterminated_quote(text.as_bytes(), Dialect::csv(comment)).is_none());
            prop_assert_eq!(streamed(&text, comment), by_csv_crate(&text, comment));
        }

        /// The same without lone CRs (the SIMD path), with long plain stretches between quotes
        /// and fields that are one quoted text (taken as they stand).
        #[test]
        fn fields_without_lone_returns_are_what_the_csv_crate_reads(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["a", "12.5", ",", "\"", "\"\"", "\n", "\r\n", "#", " ", "消费", "", "x,y,z\n", "1,2\r\n", "\"1,2\"", ",\"\","]),
                0..120,
            ),
            comment in any::<bool>(),
        ) {
            let text: String = pieces.concat();
            prop_assume!(unterminated_quote(text.as_bytes(), Dialect::csv(comment)).is_none());
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
    fn totals_lines_are_found_as_trying_every_line_finds_them() {
        let text = "#账号:[1]\r\n#交易合计：2笔，共300.00元\r\na,b\n  #退款合计：1笔，共40.00元 #交易合计：9笔\n#交易合计：3笔，共5.00元\n#交易合计：4笔，商家实收共6.00元";
        // (The first and the last pattern start with the same literal, as Alipay's do.)
        let patterns: Vec<String> = [
            "#交易合计：{count}笔，共{amount}元",
            "#退款合计：{refund_count}笔，共{refund}元",
            "{count}笔",
            "#交易合计：{count}笔，商家实收共{amount}元",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        let every_line: Vec<(usize, &str, &str)> = text
            .lines()
            .enumerate()
            .flat_map(|(k, line)| patterns.iter().map(move |p| (k, line, p.as_str())))
            .filter(|(_, line, p)| match_pattern(line.trim(), p).is_some())
            .collect();
        let found: Vec<(usize, &str, &str)> =
            pattern_lines(text, &patterns).into_iter().filter(|(_, line, p)| match_pattern(line.trim(), p).is_some()).collect();
        assert_eq!(found, every_line);
        assert_eq!(
            found.iter().map(|(k, _, p)| (*k, *p)).collect::<Vec<_>>(),
            vec![(1, patterns[0].as_str()), (4, &patterns[0]), (5, &patterns[3])]
        );
    }

    /// Every shipped delimited sample (and bad file) read in blocks of many sizes, from one
    /// just past its header on, gives what reading its bytes whole gives: the details end,
    /// the summary block and the totals in words found across blocks.
    #[test]
    fn a_statement_read_in_small_blocks_is_the_statement_read_whole() {
        let formats = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats");
        let profiles = [
            ("alipay-merchant-detail", "alipay-business"),
            ("alipay-personal-2021", "alipay-personal"),
            ("alipay-personal-2023", "alipay-personal"),
            ("allinpay-vsp", "allinpay-vsp"),
            ("bank-pos-csv", "bank-pos"),
            ("jlpay-detail", "jlpay-detail"),
            ("leshua-trade", "leshua-trade"),
            ("wechat-merchant-all", "wechat-merchant"),
            ("wechat-merchant-all-v1", "wechat-merchant"),
            ("wechat-merchant-refund", "wechat-merchant"),
            ("wechat-merchant-success", "wechat-merchant"),
            ("wechat-personal", "wechat-personal"),
        ];
        let mut read_files = 0;
        for (folder, name) in profiles {
            let profile = Profile::builtin(name).unwrap();
            let options = ReadOptions { settlement_date: NaiveDate::from_ymd_opt(2026, 5, 8), ..ReadOptions::default() };
            for entry in std::fs::read_dir(formats.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                if !matches!(stem, "sample" | "bad") {
                    continue;
                }
                let read = std::fs::read(&path).unwrap();
                let file = path.display().to_string();
                let first_row = Layout::locate(&decode_as(&read, profile.encoding), &file, &profile, profile.dialect()).unwrap().data_line;
                // The file, and the file without its first row (its stated totals then disagree:
                // an issue at the line of the totals).
                let without_first_row: Vec<u8> = read
                    .split_inclusive(|&b| b == b'\n')
                    .enumerate()
                    .filter(|&(k, _)| k as u64 + 1 != first_row)
                    .flat_map(|(_, l)| l.to_vec())
                    .collect();
                for bytes in [read, without_first_row] {
                    let whole = read_statement_with(&bytes, &file, &profile, options).unwrap();
                    let text = decode_as(&bytes, profile.encoding);
                    let header_end = Layout::locate(&text, &file, &profile, profile.dialect()).unwrap().data_start;
                    // (A byte-order mark, taken off the text, is three bytes more.)
                    // Blocks of one size, and blocks that grow from the first (as a file's do).
                    let sizes = [header_end + 4, header_end + 7, header_end + 64, header_end + 301, 1 << 20].map(|size| (size, size));
                    for (first_bytes, block_bytes) in sizes.into_iter().chain([(header_end + 4, 4 * header_end + 64)]) {
                        let blocks =
                            Blocks::new(&bytes[..], &file, profile.dialect(), profile.encoding, u64::MAX).growing(first_bytes, block_bytes);
                        let in_blocks = read_or_panic(
                            read_statement_blocks(blocks, &file, bytes.len(), &profile, options),
                            &format!("{file}: blocks of {block_bytes} bytes"),
                        );
                        assert_eq!(in_blocks, whole, "{file}: blocks of {block_bytes} bytes");
                    }
                }
                read_files += 1;
            }
        }
        assert!(read_files >= 14, "{read_files} files");
    }

    /// The shipped fixed-width sample, and a longer one with a bad line, read in pieces of
    /// any size, and from a file in blocks of any size, give what they give read as one piece
    /// (with a byte-order mark, and without the last line's feed, too).
    #[test]
    fn a_fixed_width_file_read_in_pieces_is_the_file_read_as_one() {
        let formats = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/unionpay-acp-zm");
        let profile = Profile::builtin("unionpay-acp-zm").unwrap();
        let Cutting::Fixed { widths, gap } = &profile.cutting else { panic!("fixed widths") };
        let options = ReadOptions { settlement_date: NaiveDate::from_ymd_opt(2026, 5, 6), ..ReadOptions::default() };
        let sample = std::fs::read(formats.join("sample.txt")).unwrap();
        // The sample, three times over with a CRLF line, and with a damaged line (every byte
        // of its second line from the 40th on a letter) and a blank one.
        let mut repeated = [&sample[..], b"\r\n", &sample[..], &sample[..]].concat();
        let second = memchr::memchr(b'\n', &repeated).unwrap() + 1;
        repeated[second + 40..second + 60].fill(b'x');
        repeated.splice(second..second, b"   \n".iter().copied());
        let with_bom = [&b"\xEF\xBB\xBF"[..], &sample[..]].concat();
        let unended = sample.strip_suffix(b"\r\n").or(sample.strip_suffix(b"\n")).unwrap().to_vec();
        for (name, bytes) in [("sample.txt", sample), ("altered.txt", repeated), ("bom.txt", with_bom), ("unended.txt", unended)] {
            let read = |piece_bytes| read_fixed_width(&bytes, name, &profile, (widths, *gap), options, piece_bytes).unwrap();
            let whole = read(usize::MAX);
            assert!(!whole.is_empty());
            assert_eq!(whole.issues().len(), usize::from(name == "altered.txt"), "{name}");
            for piece_bytes in [0, 1, 50, 199, 400, 1000] {
                assert_eq!(read(piece_bytes), whole, "{name}: pieces of {piece_bytes} bytes");
            }
            for block_bytes in [1, 2, 3, 50, 199, 400, 1000, 1 << 20] {
                let blocks = read_fixed_width_file(&bytes[..], name, &profile, (widths, *gap), options, block_bytes).unwrap();
                assert_eq!(blocks, whole, "{name}: blocks of {block_bytes} bytes");
            }
        }
    }

    proptest! {
        /// A fixed-width file of the sample's lines, lines with bytes changed (bad rows), blank
        /// lines, LF and CRLF ends, a byte-order mark or none and a last line feed or none, read
        /// from a source in blocks of any size, is what its bytes give read whole: the same rows,
        /// issues and lines.
        #[test]
        fn a_fixed_width_file_read_in_blocks_of_any_size_is_the_file_read_whole(
            lines in prop::collection::vec((0usize..3, prop::option::of((0usize..300, any::<u8>())), any::<bool>()), 0..12),
            bom in any::<bool>(),
            last_feed in any::<bool>(),
            block_bytes in 1usize..700,
        ) {
            let formats = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/unionpay-acp-zm");
            let profile = Profile::builtin("unionpay-acp-zm").unwrap();
            let Cutting::Fixed { widths, gap } = &profile.cutting else { panic!("fixed widths") };
            let options = ReadOptions { settlement_date: NaiveDate::from_ymd_opt(2026, 5, 6), ..ReadOptions::default() };
            let sample = std::fs::read(formats.join("sample.txt")).unwrap();
            let sample_lines: Vec<&[u8]> = sample.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).filter(|l| !l.is_empty()).collect();
            let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            for (k, (which, change, crlf)) in lines.iter().enumerate() {
                let mut line = if *which == 2 { b"   ".to_vec() } else { sample_lines[(k + which) % sample_lines.len()].to_vec() };
                if let Some((at, byte)) = change {
                    if let Some(b) = line.get_mut(*at) {
                        *b = *byte;
                    }
                }
                bytes.extend_from_slice(&line);
                bytes.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
            }
            if !last_feed && bytes.ends_with(b"\n") {
                bytes.pop();
            }
            let whole = read_fixed_width(&bytes, "zm.txt", &profile, (widths, *gap), options, usize::MAX);
            let blocks = read_fixed_width_file(&bytes[..], "zm.txt", &profile, (widths, *gap), options, block_bytes);
            prop_assert_eq!(format!("{blocks:?}"), format!("{whole:?}"));
        }

        /// A fixed-width line's fields are each its bytes at the widths decoded on their own
        /// (GBK characters anywhere, cut or whole, lines shorter than the widths), the ASCII
        /// head taken as it is.
        #[test]
        fn a_fixed_width_lines_fields_are_its_cuts_each_decoded_alone(
            pieces in prop::collection::vec(prop::sample::select(vec![&b"0"[..], b" ", b"AB", b"\xC1\xD6", b"\xBC\xC7", b"\x81\x30\x81\x30", b"\xFF", b"x"]), 0..40),
            widths in prop::collection::vec(1usize..9, 1..12),
            gap in 0usize..2,
            gbk in any::<bool>(),
        ) {
            let line: Vec<u8> = pieces.concat();
            let encoding = if gbk { Encoding::Gb18030 } else { Encoding::Utf8 };
            let (mut text, mut fields) = (String::from("left over"), vec![0..1, 2..3]);
            cut_fixed_line(&line, (&widths, gap), encoding, &mut text, &mut fields);
            let mut expected = Vec::new();
            let mut at = 0;
            for &width in &widths {
                if at >= line.len() {
                    break;
                }
                let end = (at + width).min(line.len());
                expected.push(decode_as(&line[at..end], encoding).into_owned());
                at = end + gap;
            }
            let got: Vec<String> = fields.iter().map(|range| text[range.clone()].to_string()).collect();
            prop_assert_eq!(got, expected);
        }
    }

    proptest! {
        /// The lines found by searching for the patterns' words are every line a pattern
        /// matches, in order, the word repeated on a line or not.
        #[test]
        fn totals_lines_of_random_text_are_found_as_trying_every_line_finds_them(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["#交易合计：", "#交易合计：", "3笔，共", "5.00元", "#退款合计：", "1笔，共", "3笔，商家实收共", "\n", "\r\n", " ", "x"]),
                0..30,
            ),
        ) {
            let text: String = pieces.concat();
            // (Two patterns start with the same literal, as Alipay's do: it is searched for once.)
            let patterns: Vec<String> = ["#交易合计：{count}笔，共{amount}元", "#退款合计：{refund_count}笔，共{refund}元", "#交易合计：{count}笔，商家实收共{amount}元"]
                .iter()
                .map(|p| p.to_string())
                .collect();
            let every_line: Vec<(usize, &str, &str)> = text
                .split('\n')
                .enumerate()
                .flat_map(|(k, line)| patterns.iter().map(move |p| (k, line.strip_suffix('\r').unwrap_or(line), p.as_str())))
                .filter(|(_, line, p)| match_pattern(line.trim(), p).is_some())
                .collect();
            let found: Vec<(usize, &str, &str)> =
                pattern_lines(&text, &patterns).into_iter().filter(|(_, line, p)| match_pattern(line.trim(), p).is_some()).collect();
            prop_assert_eq!(found, every_line);
        }

        /// The line found by searching for the word is the first line that starts with it.
        #[test]
        fn the_line_starting_with_a_word_is_found_as_trying_every_line_finds_it(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["总交易单数", "总", "-----", "--", "\n", "\r\n", " ", "\t", "\"", "\u{feff}", "`", "x,", "a"]),
                0..40,
            ),
            word in prop::sample::select(vec!["总交易单数", "-----", "x", "\"a", "a\nx"]),
            strip in prop::sample::select(vec![vec![], vec!["`".to_string()]]),
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(line_starting_with(&text, word, &strip), line_starting_with_slowly(&text, word, &strip));
        }
    }

    #[test]
    fn lone_cr_files_count_their_lines() {
        let text = "a,1\rb,2\r\rc,3\rd,\"4\re,5\r";
        let out = streamed(text, false);
        assert_eq!(
            out,
            vec![
                Ok((1, vec!["a".into(), "1".into()])),
                Ok((2, vec!["b".into(), "2".into()])),
                Ok((4, vec!["c".into(), "3".into()])),
                Err(5),
                Ok((6, vec!["e".into(), "5".into()]))
            ]
        );
        assert_eq!(newlines(b"a\r\nb\rc\nd"), 3);
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
            Dialect::csv(false),
            Known::default(),
            |row| {
                if let Err((_, e)) = row {
                    message = e.to_string()
                }
            },
            "t.csv",
        );
        assert!(message.contains("line 2, column 3 opens a field that is never closed"), "{message}");
    }

    #[test]
    fn a_time_of_day_that_is_none_is_the_rows_error_before_its_trade_date() {
        let profile = Profile::builtin("bank-pos").unwrap();
        let header = "清算日期,商户号,商户名称,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n";
        let row = |date: &str, time: &str| {
            format!("20260302,102310058120001,沪上小馆,T0000001,{date},{time},31.23,0.17,31.06,602600002692,借记卡,消费\n")
        };
        let text = [
            header.to_string(),
            row("20260301", "082202"),
            row("20260301", "256100"),
            row("", "08:61"),
            row("20261301", "082202"),
            row("", "082202"),
        ]
        .concat();
        let statement = read_statement(text.as_bytes(), "t.csv", &profile).unwrap();
        assert_eq!(statement.len(), 1);
        let errors: Vec<(Option<u64>, Option<String>, String)> = statement
            .issues()
            .iter()
            .map(|issue| (issue.error.location().line, issue.error.location().field.clone(), issue.error.to_string()))
            .collect();
        let expected = [
            (3, "trade_time", "time \"256100\" is not a time of day"),
            (4, "trade_time", "time \"08:61\" is not a time of day"),
            (5, "trade_date", "20261301"),
            (6, "trade_date", "trade_date is empty"),
        ];
        assert_eq!(errors.len(), expected.len(), "{errors:?}");
        for ((line, field, message), (want_line, want_field, want_text)) in errors.iter().zip(expected) {
            assert_eq!((*line, field.as_deref()), (Some(want_line), Some(want_field)), "{message}");
            assert!(message.contains(want_text), "line {want_line}: {message}");
        }
    }
}
