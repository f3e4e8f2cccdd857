//! Cuts delimited text into records and fields, with the `csv` crate's rules for the readers'
//! settings (any number of fields per record, `"` quoting with `""` as an escaped quote, LF,
//! CRLF or a lone CR ending a record, blank lines skipped, optionally `#` comment lines),
//! and counts true lines as it goes.
//!
//! The common record has no quote: its fields are found 64 bytes at a time ([`Marks`]:
//! the delimiters, line feeds and quotes of four 16-byte vectors as one bit mask, by SIMD
//! comparisons, with a second mask of the line feeds and quotes alone, so that the
//! delimiters before a record's end are taken without a look at their bytes) and handed on
//! as ranges of the text itself, without a copy. A record with a quote anywhere is cut byte
//! by byte into an unescaped copy. Text with a lone CR (old Mac line ends) is cut byte by
//! byte throughout.
//!
//! The readers' tests check this module against the `csv` crate itself on random text, and
//! [`Marks`] against a plain search.

use std::ops::Range;

/// How a delimited text is cut: the delimiter, and whether lines starting with `#` are
/// comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dialect {
    pub(crate) delimiter: u8,
    pub(crate) comment: bool,
}

impl Dialect {
    /// Comma separated, with or without `#` comment lines.
    pub(crate) const fn csv(comment: bool) -> Dialect {
        Dialect { delimiter: b',', comment }
    }
}

/// Where the csv crate's reading stands between two bytes (its rules for the readers'
/// settings): a quote opens a field only as its first byte, `""` inside a quoted field is a
/// quote, and (with `comment`) a record starting with `#` is a comment line up to the next
/// line feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CsvState {
    /// Before a record (also after a line end).
    RecordStart,
    /// After a delimiter.
    FieldStart,
    /// Inside a field that is not quoted.
    Field,
    /// Inside a quoted field.
    Quoted,
    /// After a quote inside a quoted field (the field's end, or the first of `""`).
    QuoteInQuoted,
    /// Inside a comment line.
    Comment,
}

impl CsvState {
    /// The state after byte `b`.
    #[inline]
    pub(crate) fn after(self, b: u8, dialect: Dialect) -> CsvState {
        let line_end = b == b'\n' || b == b'\r';
        match self {
            CsvState::RecordStart | CsvState::FieldStart => match b {
                b'#' if dialect.comment && self == CsvState::RecordStart => CsvState::Comment,
                b'"' => CsvState::Quoted,
                _ if b == dialect.delimiter => CsvState::FieldStart,
                _ if line_end => CsvState::RecordStart,
                _ => CsvState::Field,
            },
            CsvState::Field | CsvState::QuoteInQuoted => match b {
                _ if b == dialect.delimiter => CsvState::FieldStart,
                b'"' if self == CsvState::QuoteInQuoted => CsvState::Quoted,
                _ if line_end => CsvState::RecordStart,
                _ => CsvState::Field,
            },
            CsvState::Quoted if b == b'"' => CsvState::QuoteInQuoted,
            CsvState::Quoted => CsvState::Quoted,
            CsvState::Comment if b == b'\n' => CsvState::RecordStart,
            CsvState::Comment => CsvState::Comment,
        }
    }
}

/// The quoted fields of a text that starts at a record's start, found by jumping from quote
/// to quote (SIMD searches) instead of following [`CsvState`] byte by byte: a quote opens a
/// field where a field starts (at the text's start, after a delimiter or a line end), `""`
/// inside is a quote, any other quote is text. `None` for text whose `#` comment lines might
/// hide quotes (the caller follows [`CsvState`] then).
pub(crate) struct QuotedFields {
    /// Each quoted field that closes: its opening and closing quote.
    pub(crate) spans: Vec<(usize, usize)>,
    /// The opening quote of a field that never closes (the spans stop before it).
    pub(crate) open_at: Option<usize>,
    /// The opening quote of the first field that closes and holds a line end.
    first_spanning_lines: Option<usize>,
}

impl QuotedFields {
    pub(crate) fn of(bytes: &[u8], dialect: Dialect) -> Option<QuotedFields> {
        if dialect.comment && memchr::memchr(b'#', bytes).is_some() {
            return None;
        }
        let mut fields = QuotedFields { spans: Vec::new(), open_at: None, first_spanning_lines: None };
        let mut at = 0;
        while let Some(k) = memchr::memchr(b'"', &bytes[at..]).map(|k| at + k) {
            let field_start = k == 0 || matches!(bytes[k - 1], b'\n' | b'\r') || bytes[k - 1] == dialect.delimiter;
            if !field_start {
                at = k + 1;
                continue;
            }
            // The closing quote, and the line ends on the way (noted in the same search).
            let (mut from, mut spans_lines) = (k + 1, false);
            loop {
                match memchr::memchr3(b'"', b'\n', b'\r', &bytes[from..]).map(|q| from + q) {
                    None => {
                        fields.open_at = Some(k);
                        return Some(fields);
                    }
                    Some(q) if bytes[q] != b'"' => (from, spans_lines) = (q + 1, true),
                    Some(q) if bytes.get(q + 1) == Some(&b'"') => from = q + 2,
                    Some(q) => {
                        if spans_lines {
                            fields.first_spanning_lines.get_or_insert(k);
                        }
                        fields.spans.push((k, q));
                        at = q + 1;
                        break;
                    }
                }
            }
        }
        Some(fields)
    }

    /// The quoted field that holds byte `at`, if any.
    fn holding(&self, at: usize) -> Option<(usize, usize)> {
        let after = self.spans.partition_point(|&(open, _)| open < at);
        after.checked_sub(1).map(|k| self.spans[k]).filter(|&(_, close)| close > at)
    }

    /// Whether a quoted field holds a line end.
    pub(crate) fn span_lines(&self) -> bool {
        self.open_at.is_some() || self.first_spanning_lines.is_some()
    }

    /// Whether a quoted field that closes and opens before `before` holds a line end.
    fn closed_span_lines(&self, before: usize) -> bool {
        self.first_spanning_lines.is_some_and(|open| open < before)
    }
}

/// What is known of a text before it is cut, from a look at its bytes made for another
/// reason, so that the cutting need not look again; `false` where nothing is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Known {
    /// The text holds no quote.
    pub(crate) no_quote: bool,
    /// The text holds no lone CR (a CR not followed by a line feed).
    pub(crate) no_lone_return: bool,
    /// Every quoted field of the text (read from its start as a record's start, by the
    /// dialect's rules) closes before the end of the line it opens on, and no comment line
    /// could hide a quote: the text may be cut at any line feed, and holds no quote that
    /// never closes. True of a text without quotes.
    pub(crate) quotes_close: bool,
}

impl Known {
    /// What a look at `bytes` finds: whether they hold a quote (unless `known` already says
    /// they do not), whether their quoted fields close on their lines (only looked for when
    /// they hold a quote), a lone CR, and how many line ends they hold (as [`newlines`]).
    pub(crate) fn of(bytes: &[u8], known: Known, dialect: Dialect) -> (u64, Known) {
        let (feeds, lone) = feeds_and_lone_returns(bytes);
        let no_quote = known.no_quote || memchr::memchr(b'"', bytes).is_none();
        // A chunk (cut at a line feed) of a text that closes its quoted fields closes its own.
        let quotes_close = no_quote || known.quotes_close || QuotedFields::of(bytes, dialect).is_some_and(|fields| !fields.span_lines());
        (feeds + lone, Known { no_quote, no_lone_return: lone == 0, quotes_close })
    }
}

/// Where the last whole record of `bytes` (which start at a record's start) ends: just
/// after the last line feed that ends a record (not one inside a quoted field); `None`
/// when no line feed does. With it, whether the bytes before it close every quoted field on
/// its line (see [`Known::quotes_close`]; `false` where that is not known). `no_quote`: the
/// bytes are known to hold no quote.
pub(crate) fn last_record_end(bytes: &[u8], dialect: Dialect, no_quote: bool) -> Option<(usize, bool)> {
    if no_quote || memchr::memchr(b'"', bytes).is_none() {
        return memchr::memrchr(b'\n', bytes).map(|k| (k + 1, true));
    }
    if let Some(fields) = QuotedFields::of(bytes, dialect) {
        // The last feed before any field that never closes, and outside every quoted field.
        let mut end = fields.open_at.unwrap_or(bytes.len());
        while let Some(k) = memchr::memrchr(b'\n', &bytes[..end]) {
            match fields.holding(k) {
                Some((open, _)) => end = open,
                // The fields before the end (none holds it) close on their lines when none of
                // them holds a line end.
                None => return Some((k + 1, !fields.closed_span_lines(k))),
            }
        }
        return None;
    }
    last_record_end_by_state(bytes, dialect).map(|end| (end, false))
}

/// [`last_record_end`] by following [`CsvState`] byte by byte.
fn last_record_end_by_state(bytes: &[u8], dialect: Dialect) -> Option<usize> {
    let mut state = CsvState::RecordStart;
    let mut end = None;
    for (k, &b) in bytes.iter().enumerate() {
        state = state.after(b, dialect);
        if b == b'\n' && state == CsvState::RecordStart {
            end = Some(k + 1);
        }
    }
    end
}

/// The line ends in `bytes`: every `\n`, and every `\r` not followed by `\n` (a lone CR, as
/// old Mac files end lines; the csv crate ends records there too).
pub(crate) fn newlines(bytes: &[u8]) -> u64 {
    let (feeds, lone) = feeds_and_lone_returns(bytes);
    feeds + lone
}

/// The line feeds and the lone CRs of `bytes`.
fn feeds_and_lone_returns(bytes: &[u8]) -> (u64, u64) {
    let feeds = memchr::memchr_iter(b'\n', bytes).count() as u64;
    if memchr::memchr(b'\r', bytes).is_none() {
        return (feeds, 0);
    }
    (feeds, lone_returns(bytes))
}

/// The CRs of `bytes` not followed by a line feed.
pub(crate) fn lone_returns(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\r', bytes).filter(|&k| bytes.get(k + 1) != Some(&b'\n')).count() as u64
}

/// Hands every record of `text` (whose first line is `first_line`) to `each`: the text the
/// field ranges point into (`text` itself, or an unescaped copy for a record with quotes),
/// the ranges, and the record's first line. Blank lines and comment lines are skipped;
/// records of empty fields only (`,,`) are handed on.
///
/// A quoted field that never closes takes the rest of the text, as in the csv crate; the
/// readers find such a quote first and cut the text before it. `known`: what is known of the
/// text already (whether it has lone CRs is then not looked for again). Returns the line
/// after the text (`first_line` and its line ends, as [`newlines`] counts them).
pub(crate) fn records(
    text: &str,
    first_line: u64,
    dialect: Dialect,
    known: Known,
    mut each: impl FnMut(&str, &[Range<usize>], u64),
) -> u64 {
    let bytes = text.as_bytes();
    let fast = known.no_lone_return || lone_returns(bytes) == 0;
    let mut fields: Vec<Range<usize>> = Vec::with_capacity(32);
    let mut unescaped = String::new();
    let mut line = first_line;
    let mut at = 0;
    // Delimiters, line feeds and quotes (restarted after a record cut byte by byte).
    let mut marks = Marks::new(bytes, 0, dialect.delimiter);
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                line += 1;
                at += 1;
                continue;
            }
            b'\r' => {
                line += 1;
                at += if bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                continue;
            }
            b'#' if dialect.comment => {
                let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k + 1);
                line += newlines(&bytes[at..end]);
                at = end;
                continue;
            }
            _ => {}
        }
        fields.clear();
        // Where the record's fields are cut one by one (a field with a quote the search does
        // not take, or the whole record when the text has lone CRs).
        let mut from = at;
        if fast {
            match plain_record(bytes, at, &mut marks, &mut fields) {
                Ok(end) => {
                    each(text, &fields, line);
                    at = end;
                    continue;
                }
                Err(field_start) => from = field_start,
            }
        }
        let record_line = line;
        at = quoted_record(text, at..from, dialect.delimiter, &mut unescaped, &mut fields, &mut line);
        each(&unescaped, &fields, record_line);
        if fast {
            marks = Marks::new(bytes, at, dialect.delimiter);
        }
    }
    line
}

/// The fields of a record starting at `at`, from the running search: where the record ends
/// (its line end, or the end of the text), or the start of the first field with a quote
/// other than a whole quoted field (the caller cuts the record on from there, with the
/// fields found before it, and restarts the search after it).
fn plain_record(bytes: &[u8], at: usize, marks: &mut Marks<'_>, fields: &mut Vec<Range<usize>>) -> Result<usize, usize> {
    // The ranges go to a local vector and the search runs on a local copy, whose lengths and
    // masks stay in registers (through `fields` and `marks` they were stored to memory and
    // loaded again at every field).
    let (mut found, mut search) = (std::mem::take(fields), *marks);
    let end = plain_fields(bytes, at, &mut search, &mut found);
    (*fields, *marks) = (found, search);
    end
}

#[inline(always)]
fn plain_fields(bytes: &[u8], at: usize, search: &mut Marks<'_>, fields: &mut Vec<Range<usize>>) -> Result<usize, usize> {
    search.skip_to(at);
    let mut start = at;
    loop {
        // The block's delimiters before its first line feed or quote (all of its marks when it
        // has neither) end fields without a look at their bytes.
        let stops = search.mask & search.stops;
        let first_stop = stops & stops.wrapping_neg();
        let mut delimiters = if stops == 0 { search.mask } else { search.mask & (first_stop - 1) };
        while delimiters != 0 {
            let k = search.block_at + delimiters.trailing_zeros() as usize;
            fields.push(start..k);
            start = k + 1;
            delimiters &= delimiters - 1;
        }
        if stops == 0 {
            if search.next_block() {
                continue;
            }
            break;
        }
        // (The marks up to the stop stay: the next record's `skip_to` drops them.)
        let k = search.block_at + first_stop.trailing_zeros() as usize;
        if bytes[k] == b'"' {
            // A field that is all one quoted text on its line, without `""` (an amount with
            // commas, "24,120.00"), is that text as it stands; at any other quote the record is
            // cut byte by byte from this field on.
            let whole = if k == start { whole_quoted_field(bytes, k, search.delimiter) } else { None };
            let Some((inside, after)) = whole else {
                return Err(start);
            };
            fields.push(inside);
            if bytes.get(after) == Some(&search.delimiter) {
                start = after + 1;
                search.skip_to(start);
                continue;
            }
            return Ok(after);
        }
        // Without lone CRs, a CR before the feed is the CR of a CRLF.
        let end = if k > start && bytes[k - 1] == b'\r' { k - 1 } else { k };
        fields.push(start..end);
        return Ok(end);
    }
    fields.push(start..bytes.len());
    Ok(bytes.len())
}

/// The text inside the quoted field opening at `open` and where it ends after its closing
/// quote, when the field is the quoted text alone: no `""`, no line end inside, and a
/// delimiter, a line end or the end of the text after it (`None` otherwise).
#[inline]
fn whole_quoted_field(bytes: &[u8], open: usize, delimiter: u8) -> Option<(Range<usize>, usize)> {
    let inside = open + 1..open + 1 + memchr::memchr2(b'"', b'\n', bytes.get(open + 1..)?)?;
    let after = inside.end + 1;
    match bytes.get(inside.end..)? {
        [b'"'] => Some((inside, after)),
        [b'"', b, ..] if *b == delimiter || *b == b'\n' => Some((inside, after)),
        [b'"', b'\r', b'\n', ..] => Some((inside, after)),
        _ => None,
    }
}

/// The offsets of every delimiter, line feed and quote of a text from a start on, in order,
/// found 64 bytes at a time: four 16-byte vectors compared with the three bytes at once
/// (`wide`'s SIMD: SSE2 on x86-64, NEON on ARM), each comparison's top bits gathered into
/// one bit per byte (`move_mask`), and the marks are the set bits of the result.
#[derive(Clone, Copy)]
pub(crate) struct Marks<'b> {
    bytes: &'b [u8],
    /// The offset of the block whose marks are in `mask`.
    block_at: usize,
    /// One bit per mark not yet handed out.
    mask: u64,
    /// One bit per line feed and quote of the block (handed out or not).
    stops: u64,
    delimiter: u8,
}

const BLOCK: usize = 64;

impl<'b> Marks<'b> {
    pub(crate) fn new(bytes: &'b [u8], from: usize, delimiter: u8) -> Marks<'b> {
        let mut marks = Marks { bytes, block_at: from, mask: 0, stops: 0, delimiter };
        (marks.mask, marks.stops) = marks.block_marks();
        marks
    }

    /// Moves on to the next block; `false` past the end of the bytes.
    #[inline]
    fn next_block(&mut self) -> bool {
        self.block_at += BLOCK;
        if self.block_at >= self.bytes.len() {
            self.mask = 0;
            return false;
        }
        (self.mask, self.stops) = self.block_marks();
        true
    }

    /// Drops the marks before `at` (those of the record before, and of lines skipped as blank
    /// or comments).
    #[inline]
    fn skip_to(&mut self, at: usize) {
        if at >= self.block_at + BLOCK {
            *self = Marks::new(self.bytes, at, self.delimiter);
        } else if at > self.block_at {
            self.mask &= u64::MAX << (at - self.block_at);
        }
    }

    /// The marks of the block at `block_at`, and its line feeds and quotes (past the end,
    /// bytes that are none of the three).
    #[inline]
    fn block_marks(&self) -> (u64, u64) {
        match self.bytes.get(self.block_at..self.block_at + BLOCK) {
            Some(block) => self.marks_of(block),
            None => {
                let mut block = [0x80; BLOCK];
                let rest = self.bytes.get(self.block_at..).unwrap_or(&[]);
                block[..rest.len()].copy_from_slice(rest);
                self.marks_of(&block)
            }
        }
    }

    #[inline]
    fn marks_of(&self, block: &[u8]) -> (u64, u64) {
        use wide::u8x16;
        let (delimiter, feed, quote) = (u8x16::splat(self.delimiter), u8x16::splat(b'\n'), u8x16::splat(b'"'));
        let (mut mask, mut stops) = (0u64, 0u64);
        for (k, sixteen) in block.chunks_exact(16).enumerate() {
            let v = u8x16::new(sixteen.try_into().unwrap_or([0x80; 16]));
            let stop = v.cmp_eq(feed) | v.cmp_eq(quote);
            mask |= u64::from((stop | v.cmp_eq(delimiter)).move_mask() as u16) << (16 * k);
            stops |= u64::from(stop.move_mask() as u16) << (16 * k);
        }
        (mask, stops)
    }
}

/// Cuts the record starting at `record.start` byte by byte, as the csv crate does: a field
/// that starts with `"` is quoted (delimiters and line ends inside are text, `""` is a quote,
/// text after the closing quote is kept), a quote elsewhere is text. `fields` holds the
/// ranges of the fields before `record.end` (a field's start), already cut. The unescaped
/// fields go to `unescaped`, their ranges to `fields`; `line` counts the line ends inside
/// quoted fields. Returns where the record ends (at its line end, or the end of the text).
fn quoted_record(
    text: &str,
    record: Range<usize>,
    delimiter: u8,
    unescaped: &mut String,
    fields: &mut Vec<Range<usize>>,
    line: &mut u64,
) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Field,
        Quoted,
        QuoteInQuoted,
    }
    let bytes = text.as_bytes();
    // The fields already cut are copied as they stand.
    unescaped.clear();
    unescaped.push_str(&text[record.clone()]);
    for field in fields.iter_mut() {
        *field = field.start - record.start..field.end - record.start;
    }
    let mut state = State::FieldStart;
    let mut field_start = unescaped.len();
    // Unescaped text is copied in runs: `run` is where the current run of kept bytes began.
    let mut run = record.end;
    let mut k = record.end;
    while k < bytes.len() {
        let b = bytes[k];
        let line_end = b == b'\n' || b == b'\r';
        match state {
            State::FieldStart | State::Field | State::QuoteInQuoted if b == delimiter || line_end => {
                unescaped.push_str(&text[run..k]);
                fields.push(field_start..unescaped.len());
                if line_end {
                    return k;
                }
                field_start = unescaped.len();
                run = k + 1;
                state = State::FieldStart;
            }
            State::FieldStart if b == b'"' => {
                run = k + 1;
                state = State::Quoted;
            }
            State::FieldStart => state = State::Field,
            State::Field => {}
            State::Quoted if b == b'"' => {
                unescaped.push_str(&text[run..k]);
                run = k + 1;
                state = State::QuoteInQuoted;
            }
            State::Quoted => {
                if b == b'\n' || (b == b'\r' && bytes.get(k + 1) != Some(&b'\n')) {
                    *line += 1;
                }
            }
            // `""`: the second quote is text; anything else after a closing quote is text.
            State::QuoteInQuoted => {
                run = k;
                state = if b == b'"' { State::Quoted } else { State::Field };
            }
        }
        k += 1;
    }
    if state != State::QuoteInQuoted {
        unescaped.push_str(&text[run..]);
    }
    fields.push(field_start..unescaped.len());
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every delimiter, line feed and quote from the start on, in order, and nothing else,
        /// at every start and for every length (the last block is partial).
        #[test]
        fn marks_are_every_delimiter_feed_and_quote(
            bytes in prop::collection::vec(prop::sample::select(vec![b'a', b',', b'|', b'\n', b'\r', b'"', 0x80, 0xE4, 0, 0xFF, 0x2C ^ 0x80]), 0..200),
            from in 0usize..202,
            pipe in any::<bool>(),
        ) {
            let delimiter = if pipe { b'|' } else { b',' };
            let expected: Vec<usize> = (from..bytes.len()).filter(|&k| matches!(bytes[k], b'\n' | b'"') || bytes[k] == delimiter).collect();
            let expected_stops: Vec<usize> = expected.iter().copied().filter(|&k| bytes[k] != delimiter).collect();
            // Every block's marks and stops, in order, from `from` to the end.
            let (mut marks, mut stops) = (Vec::new(), Vec::new());
            let mut search = Marks::new(&bytes, from, delimiter);
            loop {
                let bits = |mask: u64| (0..64).filter(move |b| mask >> b & 1 == 1).map(|b| search.block_at + b);
                marks.extend(bits(search.mask));
                stops.extend(bits(search.stops));
                if !search.next_block() {
                    break;
                }
            }
            prop_assert_eq!(marks, expected);
            prop_assert_eq!(stops, expected_stops);
        }
    }

    /// Short texts of the bytes that matter to cutting CSV (delimiters of two dialects,
    /// quotes, escaped quotes, every line end, `#`), and others.
    fn csv_text() -> impl Strategy<Value = String> {
        let pieces = vec!["a", ",", "|", "\"", "\"\"", "\n", "\r\n", "\r", "#", "消费", " "];
        prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|pieces| pieces.concat())
    }

    /// A dialect: comma or pipe, with or without comment lines.
    fn any_dialect() -> impl Strategy<Value = Dialect> {
        (any::<bool>(), any::<bool>()).prop_map(|(pipe, comment)| Dialect { delimiter: if pipe { b'|' } else { b',' }, comment })
    }

    /// The csv crate's state after `bytes` (from a record's start), followed byte by byte,
    /// and whether it was inside a quoted field at a line end.
    fn state_after(bytes: &[u8], dialect: Dialect) -> (CsvState, bool) {
        let mut state = CsvState::RecordStart;
        let mut line_end_quoted = false;
        for &b in bytes {
            state = state.after(b, dialect);
            line_end_quoted |= state == CsvState::Quoted && matches!(b, b'\n' | b'\r');
        }
        (state, line_end_quoted)
    }

    proptest! {
        /// Jumping from quote to quote finds what following the csv crate's state byte by
        /// byte finds: the last record end, whether a field never closes, and whether a
        /// quoted field holds a line end.
        #[test]
        fn quoted_fields_agree_with_the_byte_by_byte_state(
            text in csv_text(),
            dialect in any_dialect(),
        ) {
            let bytes = text.as_bytes();
            let found = last_record_end(bytes, dialect, false);
            prop_assert_eq!(found.map(|(end, _)| end), last_record_end_by_state(bytes, dialect));
            if let Some((end, true)) = found {
                // Said to close its quoted fields on their lines: followed byte by byte, the
                // text before the end is never inside one at a line end, nor at the end.
                prop_assert_eq!(state_after(&bytes[..end], dialect), (CsvState::RecordStart, false), "{:?}", text);
            }
            if let Some(fields) = QuotedFields::of(bytes, dialect) {
                // Jumping from quote to quote, the flag is exact: no quoted field before the
                // end holds a line end.
                if let Some((end, closes)) = found {
                    prop_assert_eq!(closes, !state_after(&bytes[..end], dialect).1, "{:?}", text);
                }
                let (state, line_end_quoted) = state_after(bytes, dialect);
                prop_assert_eq!(fields.open_at.is_some(), state == CsvState::Quoted);
                prop_assert_eq!(fields.span_lines(), line_end_quoted || state == CsvState::Quoted);
            }
        }
    }

    proptest! {
        /// A text cut into chunks at line feeds: every chunk closing its quoted fields on
        /// their lines, each read from its own start (what `par_chunks` asks of each chunk on
        /// all cores), is the whole text, followed byte by byte, never being inside a quoted
        /// field at a line end nor at its end — so the chunks are cut where the whole text's
        /// records are. (A chunk with both a quote and a `#` that may start a comment line is
        /// not taken to close its quotes: jumping from quote to quote cannot tell.)
        #[test]
        fn chunks_close_their_quotes_exactly_when_the_whole_text_does(
            text in csv_text(),
            dialect in any_dialect(),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            let bytes = text.as_bytes();
            let after_feeds: Vec<usize> = (0..bytes.len()).filter(|&k| bytes[k] == b'\n').map(|k| k + 1).collect();
            let mut at: Vec<usize> = if after_feeds.is_empty() { Vec::new() } else { cuts.iter().map(|i| after_feeds[i.index(after_feeds.len())]).collect() };
            at.sort_unstable();
            at.dedup();
            let bounds: Vec<usize> = std::iter::once(0).chain(at).chain(std::iter::once(bytes.len())).collect();
            let chunks: Vec<&[u8]> = bounds.windows(2).map(|w| &bytes[w[0]..w[1]]).collect();
            let each = chunks.iter().all(|chunk| Known::of(chunk, Known::default(), dialect).1.quotes_close);
            let (state, line_end_quoted) = state_after(bytes, dialect);
            let closes = !line_end_quoted && state != CsvState::Quoted;
            let hidden = chunks.iter().any(|chunk| dialect.comment && chunk.contains(&b'#') && chunk.contains(&b'"'));
            prop_assert_eq!(each, closes && !hidden, "{:?} cut at {:?}", text, bounds);
            if !bytes.contains(&b'"') {
                prop_assert!(Known::of(bytes, Known::default(), dialect).1.quotes_close);
            }
        }
    }

    #[test]
    fn records_carry_their_first_lines() {
        let text = "a,b\r\n\r\n\"x\ny\",z\n#c\nq";
        let mut out = Vec::new();
        records(text, 10, Dialect::csv(true), Known::default(), |source, fields, line| {
            out.push((line, fields.iter().map(|r| source[r.clone()].to_string()).collect::<Vec<_>>()))
        });
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(out, vec![(10, strings(&["a", "b"])), (12, strings(&["x\ny", "z"])), (15, strings(&["q"]))]);
    }
}
