//! Arrow record batches → [`Ledger`] / [`Statement`], a column at a time (the fast path).
//!
//! Each Arrow column becomes a core column in one pass over its chunks (the batches): text is
//! shared with Arrow's buffers (no copy, see [`SharedText`]; a column's chunks are shared
//! each, see [`TextColumn::chunked`]), or, in a column of few distinct values (terminals,
//! merchant numbers and names), each distinct value held once and checked once (see
//! `interned`); numbers are converted in tight loops
//! into one vector, and the core's `from_columns` checks every row as `push_row` would. Input
//! this path cannot take whole (a null where a value is required, a value that does not
//! convert, a row the core rejects) goes through the row path instead
//! (`rows::push_*_batch`, batch by batch), which gives each bad row its error or its issue:
//! the outcome is the same either way, only slower.

use std::sync::Arc;

use arrow_array::{Array, RecordBatch, StringArray};
use arrow_buffer::{Buffer, ScalarBuffer};
use chrono::NaiveDate;
use yoke::Yoke;

use super::key_slots::KeySlots;
use super::rows::{push_ledger_batch, push_statement_batch};
use super::values::{self, BatchColumns, MoneyColumn, Side, Strings, Text, TimeColumn, TimeValues, LEDGER, STATEMENT};
use super::words::{fill_runs, DictionaryWords, OffsetRows, ViewRows, WordRows, Words};
use super::{ArrowReadError, ArrowReadOptions};
use crate::money::Money;
use crate::quote::TradeKind;
use crate::quote_table::OnInvalid;
use crate::reconcile::hash::bytes_hash;
use crate::reconcile::interned_text::{InternedText, Key};
use crate::reconcile::read::{parse_card_channel, parse_kind, APPROVED};
use crate::reconcile::{Ledger, LedgerColumns, SharedText, Statement, StatementColumns, TextColumn};
use crate::{CardType, Channel};

/// The text of an Arrow string array, shared with a `TextColumn`.
struct ArrowText {
    /// The text as one `&str`, borrowed from the Arrow buffer that holds it (checked as UTF-8
    /// once, when built).
    whole: Yoke<&'static str, Arc<Buffer>>,
    /// The array's offsets (never negative in an Arrow array, so read as `u32`).
    offsets: ScalarBuffer<u32>,
}

impl SharedText for ArrowText {
    fn parts(&self) -> (&str, &[u32]) {
        (self.whole.get(), &self.offsets)
    }
}

/// A string array's text, to share with a core column: its buffers as they are (the text
/// checked once, by [`Strings::new`]), but for the offsets of a slice of a larger array
/// (which do not start at 0), which are copied.
fn arrow_text(strings: &Strings) -> (Arc<dyn SharedText>, bool) {
    let offsets = strings.offsets();
    let first = offsets.first().copied().unwrap_or_default();
    // Arrow's offsets are never negative: read as `u32`.
    let offsets = match first {
        0 => ScalarBuffer::<u32>::new(offsets.inner().inner().clone(), 0, offsets.len()),
        _ => offsets.iter().map(|offset| offset.wrapping_sub(first) as u32).collect::<Vec<u32>>().into(),
    };
    (Arc::new(ArrowText { whole: strings.whole.clone(), offsets }), strings.plain)
}

/// A text column of `rows` rows (in chunks) in which a null (or an absent column) reads as
/// `null`; `None` when `required` and there is a null.
fn text_column(chunks: &[Text], rows: usize, null: &str, required: bool) -> Option<TextColumn> {
    let Some(arrays) = chunks.iter().map(|chunk| chunk.0.as_ref()).collect::<Option<Vec<&Strings>>>() else {
        return if required { None } else { TextColumn::filled(null, rows).ok() };
    };
    if required && arrays.iter().any(|array| array.null_count() > 0) {
        return None;
    }
    if arrays.iter().all(|array| nulls_read_as(array, null)) {
        // The chunks' text shared, not copied (or copied into one buffer: see `chunked`).
        let pieces = arrays.iter().map(|strings| arrow_text(strings)).collect();
        if let Ok(column) = TextColumn::of_checked_pieces(pieces) {
            return Some(column);
        }
    }
    let mut column = TextColumn::default();
    for array in arrays {
        (0..array.len()).try_for_each(|row| column.push(if array.is_null(row) { null } else { array.value(row) })).ok()?;
    }
    Some(column)
}

/// A column of few distinct texts (terminals, merchant numbers and names, batches, response
/// codes): interned ([`interned`]), or else checked and shared as [`text_column`] has it.
/// `None` when a chunk's text does not check (the row path then names the error).
fn few_valued(side: Side, column: &str, chunks: &[Option<Words>], rows: usize, null: &str, required: bool) -> Option<TextColumn> {
    if let Some(interned) = interned(chunks) {
        return Some(interned);
    }
    let checked = chunks.iter().map(|chunk| match chunk {
        Some(words) => Strings::new(side, column, words.to_offsets()?).ok().map(|strings| Text(Some(strings))),
        None => Some(Text(None)),
    });
    text_column(&checked.collect::<Option<Vec<Text>>>()?, rows, null, required)
}

/// The rows of a column of few distinct texts as an interned column: each row's text read by
/// its key ([`text_key`](super::words::text_key), one load; a text of more than 15 bytes by a
/// hash of its bytes, and compared), each distinct text checked as UTF-8 and numbered once
/// (a dictionary's rows by their keys: [`intern_keys`]). As the texts are checked one by one,
/// the column's text needs no check of its own. `None` for an absent column, a null, offsets
/// that do not cut the text, a view or a key outside its buffers or values, a text that is not
/// UTF-8, or more distinct texts than an interned column keeps.
fn interned(chunks: &[Option<Words>]) -> Option<TextColumn> {
    // No text's key is `u128::MAX`: a key's top byte is its length, at most 15.
    let mut recent = RecentKeys([(u128::MAX, 0); RecentKeys::SLOTS]);
    let mut recent_long = RecentLong { slots: [None; RecentKeys::SLOTS], last: None };
    let mut list = InternedText::default();
    let mut numbers: Vec<Key> = vec![0; chunks.iter().map(|chunk| chunk.as_ref().map_or(0, Words::len)).sum()];
    let (mut rest, mut bytes) = (numbers.as_mut_slice(), 0usize);
    for chunk in chunks {
        let words = chunk.as_ref().filter(|words| words.null_count() == 0)?;
        let (out, after) = std::mem::take(&mut rest).split_at_mut_checked(words.len())?;
        rest = after;
        bytes += match words {
            Words::Offsets(array) => intern_rows(OffsetRows::of(array), out, &mut recent, &mut recent_long, &mut list)?,
            Words::Views(array) => intern_rows(ViewRows::of(array), out, &mut recent, &mut recent_long, &mut list)?,
            Words::Dictionary(dictionary) => intern_keys(dictionary, out, &mut list)?,
        };
    }
    list.extend_numbered(numbers, bytes);
    Some(TextColumn::of_interned(list))
}

/// Writes to `out` the numbers of the texts of `words` (as many rows) in `list`; returns their
/// bytes together. `None` as [`interned`] has it.
fn intern_rows<'a>(
    words: impl WordRows<'a>,
    out: &mut [Key],
    recent: &mut RecentKeys,
    recent_long: &mut RecentLong<'a>,
    list: &mut InternedText,
) -> Option<usize> {
    let mut row = 0;
    while row < out.len() {
        row += recent.fill(words.skip(row), &mut out[row..]);
        if row < out.len() {
            // A text not among the recent keys: checked and numbered (a new one added), or a
            // longer text. `None` for a text outside the buffers.
            let bytes = words.bytes(row)?;
            let number = match words.key(row) {
                Some(key) => {
                    let number = number_of(list, bytes)?;
                    recent.0[RecentKeys::slot(key)] = (key, number);
                    number
                }
                // More than 15 bytes.
                None => recent_long.number(list, bytes)?,
            };
            out[row] = number;
            row += 1;
        }
    }
    Some(words.text_bytes())
}

/// Writes to `out` the numbers in `list` of the rows of a dictionary without nulls (as many
/// rows), each of its values checked and numbered when a row first uses it (so that the list
/// holds the texts the rows have, in the order they first come, as for any other array);
/// returns their bytes together. `None` for a key outside the values, or as [`interned`] has it.
fn intern_keys(dictionary: &DictionaryWords, out: &mut [Key], list: &mut InternedText) -> Option<usize> {
    // Each value's number and length once a row has used it.
    let mut numbers: Vec<Option<(Key, usize)>> = vec![None; dictionary.values_len];
    let mut bytes = 0;
    // (No row is null: see `interned`.)
    for (number, &key) in out.iter_mut().zip(dictionary.keys.values()) {
        let index = dictionary.index_of(key)?;
        let (value_number, length) = match numbers[index] {
            Some(known) => known,
            None => {
                let text = dictionary.values.bytes(index)?;
                *numbers.get_mut(index)? = Some((number_of(list, text)?, text.len()));
                numbers[index]?
            }
        };
        *number = value_number;
        bytes += length;
    }
    Some(bytes)
}

/// The number of a text not checked yet in an interned list: `None` when it is not UTF-8, or
/// cannot be kept interned.
fn number_of(list: &mut InternedText, bytes: &[u8]) -> Option<Key> {
    list.number(std::str::from_utf8(bytes).ok()?)
}

/// The texts of more than 15 bytes met lately in an interned column (too long for a key): by
/// the Fx hash of their bytes, the text compared; and the last one (a statement's merchant
/// name comes in long runs).
struct RecentLong<'t> {
    /// The hash of a text's bytes and its number, by the hash's top bits.
    slots: [Option<(u64, Key)>; RecentKeys::SLOTS],
    last: Option<(&'t [u8], Key)>,
}

impl<'t> RecentLong<'t> {
    /// The number of `bytes`: the last text's, a slot's, or checked and numbered
    /// ([`number_of`]).
    fn number(&mut self, list: &mut InternedText, bytes: &'t [u8]) -> Option<Key> {
        if let Some((_, number)) = self.last.filter(|(last, _)| *last == bytes) {
            return Some(number);
        }
        let hash = bytes_hash(bytes);
        let slot = &mut self.slots[(hash >> 58) as usize];
        let number = match *slot {
            Some((seen, number)) if seen == hash && list.text_of(number).as_bytes() == bytes => number,
            _ => {
                let number = number_of(list, bytes)?;
                *slot = Some((hash, number));
                number
            }
        };
        self.last = Some((bytes, number));
        Some(number)
    }
}

/// The keys ([`text_key`](super::words::text_key)) of texts met lately and their numbers in an
/// interned column, each in a slot found by a hash of the key (a later key may take an earlier
/// one's slot).
struct RecentKeys([(u128, Key); RecentKeys::SLOTS]);

impl RecentKeys {
    const SLOTS: usize = 64;

    #[inline(always)]
    fn slot(key: u128) -> usize {
        (((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize
    }

    /// Writes to `out` the number of each row's text (`offsets` from the first row's start
    /// on) while its key is in a slot; returns the rows written. Not inlined, so that its loop
    /// has the registers to itself.
    ///
    /// After a few rows of the same text, the rows that follow are compared with it a block
    /// at a time ([`fill_runs`]).
    #[inline(never)]
    fn fill<'a>(&self, words: impl WordRows<'a>, out: &mut [Key]) -> usize {
        let rows = out.len().min(words.rows());
        fill_runs(words, rows, out, u128::MAX, |row| match words.key(row) {
            Some(key) if self.0[Self::slot(key)].0 == key => Some((key, self.0[Self::slot(key)].1)),
            _ => None,
        })
    }
}

/// Whether the nulls of `array` read as `null` as they are: there are none, or they read as
/// "" and hold no text (as a null slot of an Arrow array usually does).
fn nulls_read_as(array: &StringArray, null: &str) -> bool {
    array.null_count() == 0 || (null.is_empty() && (0..array.len()).all(|row| array.is_valid(row) || array.value_length(row) == 0))
}

/// A trimmed column without an empty value (`None` when one is empty: the row path names it,
/// or gives it its default).
fn no_blank(column: TextColumn) -> Option<TextColumn> {
    (!column.has_empty()).then_some(column)
}

/// The values of a column of few distinct values (channels, kinds), in chunks of `sizes`
/// rows, each distinct text parsed once (a null's value too); `None` when one does not parse.
/// The column's text is not checked as a whole ([`Strings::new`]): each distinct text is
/// checked as UTF-8 when it is parsed, and `None` when one is not, or the offsets do not cut
/// the text, or a view or a key points outside its buffers or values (the row path then names
/// the error). Each chunk a string array, string views or a dictionary ([`Words`]).
fn parsed<T: Copy>(chunks: &[Option<Words>], sizes: &[usize], absent: T, parse: impl Fn(Option<&str>) -> Option<T>) -> Option<Vec<T>> {
    let mut slots = KeySlots::new(absent);
    let mut null_value = None;
    // Written in place (see `trades::parsed`); an absent column's rows keep `absent`.
    let mut values = vec![absent; sizes.iter().sum()];
    let mut rest = values.as_mut_slice();
    for (chunk, &rows) in chunks.iter().zip(sizes) {
        let (out, after) = std::mem::take(&mut rest).split_at_mut_checked(rows)?;
        rest = after;
        let Some(words) = chunk else { continue };
        match words {
            Words::Offsets(array) => parse_rows(OffsetRows::of(array), words, out, &mut slots, &mut null_value, &parse)?,
            Words::Views(array) => parse_rows(ViewRows::of(array), words, out, &mut slots, &mut null_value, &parse)?,
            Words::Dictionary(dictionary) => parse_keys(dictionary, out, &mut null_value, &parse)?,
        }
    }
    Some(values)
}

/// Writes to `out` the values of the rows of a chunk (`rows`, of `chunk`) as [`parsed`] has
/// them, a null's value parsed once (`null_value`).
fn parse_rows<'a, T: Copy>(
    rows: impl WordRows<'a>,
    chunk: &Words,
    out: &mut [T],
    slots: &mut KeySlots<T>,
    null_value: &mut Option<T>,
    parse: &impl Fn(Option<&str>) -> Option<T>,
) -> Option<()> {
    // A text not in the slots is checked as UTF-8 and parsed, and its key put in.
    let other = |slots: &mut KeySlots<T>, row: usize, key: Option<u128>| {
        let value = parse(Some(std::str::from_utf8(rows.bytes(row)?).ok()?))?;
        if let Some(key) = key {
            slots.insert(key, value);
        }
        Some(value)
    };
    if chunk.null_count() == 0 {
        return slots.fill(rows, out, other);
    }
    for (row, value) in out.iter_mut().enumerate() {
        if chunk.is_null(row) {
            *value = *null_value.get_or_insert(parse(None)?);
            continue;
        }
        let key = rows.key(row);
        *value = match key.and_then(|key| slots.get(key)) {
            Some(found) => found,
            None => other(slots, row, key)?,
        };
    }
    Some(())
}

/// Writes to `out` the values of the rows of a dictionary as [`parsed`] has them: each of its
/// values checked as UTF-8 and parsed when a row first uses it, a null's value parsed once
/// (`null_value`). `None` for a key outside the values, or a value that does not parse.
fn parse_keys<T: Copy>(
    dictionary: &DictionaryWords,
    out: &mut [T],
    null_value: &mut Option<T>,
    parse: &impl Fn(Option<&str>) -> Option<T>,
) -> Option<()> {
    let mut values: Vec<Option<T>> = vec![None; dictionary.values_len];
    for (row, value) in out.iter_mut().enumerate() {
        if dictionary.keys.is_null(row) {
            *value = *null_value.get_or_insert(parse(None)?);
            continue;
        }
        let index = dictionary.index(row)?;
        *value = match values[index] {
            Some(known) => known,
            None => *values[index].insert(parse(Some(std::str::from_utf8(dictionary.values.bytes(index)?).ok()?))?),
        };
    }
    Some(())
}

/// The values of a column in chunks of `sizes` rows, in one vector sized once: `push(chunk,
/// rows, values)` appends a chunk's; `None` when a value does not convert.
fn joined<C, T>(chunks: &[C], sizes: &[usize], mut push: impl FnMut(&C, usize, &mut Vec<T>) -> Option<()>) -> Option<Vec<T>> {
    let mut values = Vec::with_capacity(sizes.iter().sum());
    for (chunk, &rows) in chunks.iter().zip(sizes) {
        push(chunk, rows, &mut values)?;
    }
    Some(values)
}

/// Appends `value(row)` of rows `0..rows`; `None` when one is `None`.
fn push_rows<T>(rows: usize, values: &mut Vec<T>, mut value: impl FnMut(usize) -> Option<T>) -> Option<()> {
    for row in 0..rows {
        values.push(value(row)?);
    }
    Some(())
}

/// Appends a chunk's trade times as Unix seconds; `None` at a null or a value that does not read.
fn push_seconds(time: &TimeColumn, rows: usize, values: &mut Vec<i64>) -> Option<()> {
    // The usual case, timestamps without nulls, in one pass.
    time.push_unix_seconds_all(values).or_else(|| push_rows(rows, values, |row| time.unix_seconds(row)))
}

/// Appends a chunk's dates (settlement dates); `None` at a null or a value that does not read.
fn push_dates(time: &TimeColumn, rows: usize, values: &mut Vec<NaiveDate>) -> Option<()> {
    match &time.values {
        // The usual case, `date32` without nulls: a row of the day before's date is that date
        // (rows come in runs of a day), read once a run.
        TimeValues::Date(array) if array.null_count() == 0 => {
            let (mut last, mut unread) = (None, false);
            values.extend(array.values().iter().take(rows).enumerate().map(|(row, &day)| match last {
                Some((last_day, date)) if last_day == day => date,
                _ => match time.date(row) {
                    Ok(Some(date)) => last.insert((day, date)).1,
                    _ => {
                        unread = true;
                        NaiveDate::MIN
                    }
                },
            }));
            (!unread).then_some(())
        }
        _ => push_rows(rows, values, |row| time.date(row).ok().flatten()),
    }
}

/// Appends a chunk's money values (fees, nets); `None` at a null or a value that does not convert.
fn push_money(column: &MoneyColumn, rows: usize, values: &mut Vec<Money>) -> Option<()> {
    match column {
        // The usual case, decimals of at most 5 places without nulls, in one pass.
        MoneyColumn::Decimal(array, scale) if *scale <= 5 && array.null_count() == 0 => {
            let (unit, decimals) = (10i64.pow(5 - scale), array.values().get(..rows)?);
            // `|value| × unit` is at most `Money::MAX` exactly when `|value|` is at most this.
            let most = i128::from(Money::MAX.millifen() / unit);
            checked_blocks(
                decimals,
                values,
                |value| (-most..=most).contains(value),
                |value| Money::from_millifen_unchecked(value as i64 * unit),
            )
        }
        _ => push_rows(rows, values, |row| column.get(row, false).ok().flatten()),
    }
}

/// Appends a chunk's trade amounts in fen; `None` at a null or a value that is not whole fen
/// (the core checks the range).
fn push_amounts_fen(column: &MoneyColumn, rows: usize, values: &mut Vec<i64>) -> Option<()> {
    match column {
        // (The `i64` range of `value × unit`, exactly.)
        MoneyColumn::Decimal(array, scale) if *scale <= 2 && array.null_count() == 0 => {
            let (unit, decimals) = (10i64.pow(2 - scale), array.values().get(..rows)?);
            let range = i128::from(i64::MIN / unit)..=i128::from(i64::MAX / unit);
            checked_blocks(decimals, values, |value| range.contains(value), |value| value as i64 * unit)
        }
        _ => push_rows(rows, values, |row| column.get(row, true).ok().flatten()?.fen()),
    }
}

/// Appends `convert(value)` of each of `values` when every one is `fine`, else `None`: a
/// block at a time, checked without a branch, then converted while the block is in the cache
/// (a check a row and its early exit kept these loops from being vectorized; two passes over
/// the whole column would read it from memory twice).
fn checked_blocks<T, V: Copy>(values: &[V], out: &mut Vec<T>, fine: impl Fn(&V) -> bool, convert: impl Fn(V) -> T) -> Option<()> {
    for block in values.chunks(2048) {
        block.iter().fold(true, |all, value| all & fine(value)).then_some(())?;
        out.extend(block.iter().map(|&value| convert(value)));
    }
    Some(())
}

/// The batches of one input read as its canonical columns, each column a chunk per batch.
struct Chunks<'a> {
    side: Side,
    batches: &'a [RecordBatch],
    /// The rows of each batch.
    sizes: Vec<usize>,
}

impl<'a> Chunks<'a> {
    /// `batches` has at least one batch (an empty one for an empty input).
    fn new(side: Side, batches: &'a [RecordBatch]) -> Result<Chunks<'a>, ArrowReadError> {
        values::unique_columns(side, &batches[0])?;
        Ok(Chunks { side, batches, sizes: batches.iter().map(RecordBatch::num_rows).collect() })
    }

    fn rows(&self) -> usize {
        self.sizes.iter().sum()
    }

    /// A column read in every batch (the schema checks of the row path).
    fn each<C>(&self, read: impl Fn(&BatchColumns) -> Result<C, ArrowReadError>) -> Result<Vec<C>, ArrowReadError> {
        let first_rows = self.sizes.iter().scan(0u64, |first, &rows| Some(std::mem::replace(first, *first + rows as u64)));
        self.batches.iter().zip(first_rows).map(|(batch, first_row)| read(&BatchColumns::new(self.side, batch, first_row))).collect()
    }

    /// The columns' texts, each column checked as a task of its own (see [`Strings::new`]).
    fn texts<const N: usize>(&self, columns: [&str; N]) -> [Result<Vec<Text>, ArrowReadError>; N] {
        let mut texts = columns.map(|_| None);
        rayon::scope(|tasks| {
            for (column, text) in columns.iter().zip(texts.iter_mut()) {
                tasks.spawn(move |_| *text = Some(self.each(|batch| batch.text(column))));
            }
        });
        texts.map(|text| text.unwrap_or_else(|| unreachable!("every task ran")))
    }

    fn words(&self, column: &str) -> Result<Vec<Option<Words>>, ArrowReadError> {
        self.each(|batch| batch.words(column))
    }

    fn time(&self, column: &str) -> Result<Vec<TimeColumn>, ArrowReadError> {
        self.each(|batch| batch.time(column))
    }

    fn money(&self, column: &str) -> Result<Vec<MoneyColumn>, ArrowReadError> {
        self.each(|batch| batch.money(column))
    }
}

/// The ledger of an input's batches (at least one): column at a time, or else row by row
/// (see the module docs).
pub(super) fn ledger(name: &str, batches: &[RecordBatch], reading: ArrowReadOptions) -> Result<Ledger, ArrowReadError> {
    let input = Chunks::new(LEDGER, batches)?;
    let (rows, sizes) = (input.rows(), input.sizes.clone());
    // The schema checks of the row path, and its columns.
    let time = input.time("time")?;
    let amount = input.money("amount")?;
    // The texts' checks (UTF-8, offsets) a column a task.
    let [trade_id, rrn, trace, original_rrn] = input.texts(["trade_id", "rrn", "trace", "original_rrn"]);
    let [trade_id, rrn, trace, original_rrn] = [trade_id?, rrn?, trace?, original_rrn?];
    // Columns of few distinct values, parsed or interned, each distinct value checked (see
    // `parsed` and `few_valued`).
    let [channel, card_type, kind_column, terminal, merchant_no, response_code] =
        ["channel", "card_type", "kind", "terminal", "merchant_no", "response_code"].map(|column| input.words(column));
    let [channel, card_type, kind_column, terminal, merchant_no, response_code] =
        [channel?, card_type?, kind_column?, terminal?, merchant_no?, response_code?];
    // A column a task (with the other side's, on every core: see `statement`).
    let columns = move || -> Option<LedgerColumns> {
        let sizes = sizes.as_slice();
        let (mut shared, mut terminal_column, mut merchant_column, mut response_column) = (None, None, None, None);
        let (mut time_s, mut amount_fen, mut kinds) = (None, None, None);
        rayon::scope(|tasks| {
            tasks.spawn(|_| terminal_column = few_valued(LEDGER, "terminal", &terminal, rows, "", false));
            tasks.spawn(|_| merchant_column = few_valued(LEDGER, "merchant_no", &merchant_no, rows, "", false));
            // A blank code is `00`, as a null is: left to the row path.
            tasks.spawn(|_| {
                response_column =
                    few_valued(LEDGER, "response_code", &response_code, rows, APPROVED, false).and_then(|c| no_blank(c.trimmed()))
            });
            // (A time column is moved to its task: it keeps a memo that is not shared.)
            let seconds = &mut time_s;
            tasks.spawn(move |_| *seconds = joined(&time, sizes, push_seconds));
            tasks.spawn(|_| amount_fen = joined(&amount, sizes, push_amounts_fen));
            tasks.spawn(|_| {
                kinds = (|| {
                    let card_type = parsed(&card_type, sizes, None, |text| match text.filter(|c| !c.trim().is_empty()) {
                        Some(card) => CardType::parse(card).ok().map(Some),
                        None => Some(None),
                    })?;
                    let channel = parsed(&channel, sizes, Channel::Credit, |text| Channel::parse(text?).ok())?;
                    Some((
                        channel,
                        card_type,
                        parsed(&kind_column, sizes, TradeKind::Purchase, |text| parse_kind(text.unwrap_or("")).ok())?,
                    ))
                })()
            });
            shared = (|| {
                Some((
                    no_blank(text_column(&trade_id, rows, "", true)?.trimmed())?,
                    text_column(&rrn, rows, "", false)?,
                    text_column(&trace, rows, "", false)?.trimmed(),
                    text_column(&original_rrn, rows, "", false)?,
                ))
            })();
        });
        let (trade_id, rrn, trace, original_rrn) = shared?;
        let (terminal, merchant_no, response_code) = (terminal_column?, merchant_column?, response_column?);
        let (time_s, amount_fen, (channel, card_type, kind)) = (time_s?, amount_fen?, kinds?);
        Some(LedgerColumns {
            trade_id,
            rrn,
            trace,
            terminal,
            merchant_no,
            time_s,
            amount_fen,
            channel,
            card_type,
            kind,
            response_code,
            original_rrn,
            first_line: 1,
        })
    };
    if let Some(ledger) = (!reading.by_rows).then(columns).flatten().and_then(|columns| Ledger::from_columns(name, columns).ok()) {
        return Ok(ledger);
    }
    row_by_row(Ledger::new(name), batches, push_ledger_batch, reading.on_invalid)
}

/// The statement of an input's batches (at least one): column at a time, or else row by row.
pub(super) fn statement(name: &str, batches: &[RecordBatch], reading: ArrowReadOptions) -> Result<Statement, ArrowReadError> {
    let input = Chunks::new(STATEMENT, batches)?;
    let (rows, sizes) = (input.rows(), input.sizes.clone());
    let settlement_date = input.time("settlement_date")?;
    let time = input.time("time")?;
    let amount = input.money("amount")?;
    let fee = input.money("fee")?;
    let net = input.money("net")?;
    let [rrn] = input.texts(["rrn"]);
    let rrn = rrn?;
    // Columns of few distinct values, parsed or interned, each distinct value checked (see
    // `parsed` and `few_valued`).
    let [channel, kind_column, merchant_no, merchant_name, terminal, batch] =
        ["channel", "kind", "merchant_no", "merchant_name", "terminal", "batch"].map(|column| input.words(column));
    let [channel, kind_column, merchant_no, merchant_name, terminal, batch] =
        [channel?, kind_column?, merchant_no?, merchant_name?, terminal?, batch?];
    // A column a task: with the other side's (read at the same time), every core takes one
    // as it is free, so that no core waits long for a slower half at the end.
    let columns = move || -> Option<StatementColumns> {
        let sizes = sizes.as_slice();
        let (mut merchant_column, mut name_column, mut terminal_column, mut batch_column) = (None, None, None, None);
        let (mut rrn_column, mut kinds, mut amount_fen, mut fees, mut nets) = (None, None, None, None, None);
        let (mut dates, mut time_s) = (None, None);
        rayon::scope(|tasks| {
            tasks.spawn(|_| merchant_column = few_valued(STATEMENT, "merchant_no", &merchant_no, rows, "", false));
            tasks.spawn(|_| name_column = few_valued(STATEMENT, "merchant_name", &merchant_name, rows, "", false));
            tasks.spawn(|_| terminal_column = few_valued(STATEMENT, "terminal", &terminal, rows, "", false));
            tasks.spawn(|_| batch_column = few_valued(STATEMENT, "batch", &batch, rows, "", false));
            tasks.spawn(|_| amount_fen = joined(&amount, sizes, push_amounts_fen));
            tasks.spawn(|_| fees = joined(&fee, sizes, push_money));
            // Without a `net` column, the nets are derived once the kinds are known (below).
            tasks.spawn(|_| {
                nets = match net.first() {
                    Some(MoneyColumn::Absent) => Some(None),
                    _ => joined(&net, sizes, push_money).map(Some),
                }
            });
            // (A time column is moved to its task: it keeps a memo that is not shared.)
            let (days, seconds) = (&mut dates, &mut time_s);
            tasks.spawn(move |_| *days = joined(&settlement_date, sizes, push_dates));
            tasks.spawn(move |_| *seconds = joined(&time, sizes, push_seconds));
            tasks.spawn(|_| {
                kinds = (|| {
                    let channel = parsed(&channel, sizes, Channel::Credit, |text| parse_card_channel(text?).ok())?;
                    Some((channel, parsed(&kind_column, sizes, TradeKind::Purchase, |text| parse_kind(text.unwrap_or("")).ok())?))
                })()
            });
            rrn_column = text_column(&rrn, rows, "", false);
        });
        let (merchant_no, merchant_name, terminal, batch) = (merchant_column?, name_column?, terminal_column?, batch_column?);
        let (rrn, (channel, kind)) = (rrn_column?, kinds?);
        let (settlement_date, time_s, amount_fen, fee, net) = (dates?, time_s?, amount_fen?, fees?, nets?);
        let net = match net {
            Some(net) => net,
            None => {
                let mut nets = Vec::with_capacity(rows);
                push_rows(rows, &mut nets, |row| kind[row].net(Money::try_from_fen(amount_fen[row]).ok()?, fee[row]))?;
                nets
            }
        };
        Some(StatementColumns {
            settlement_date,
            merchant_no,
            merchant_name,
            terminal,
            batch,
            rrn,
            time_s,
            amount_fen,
            fee,
            net,
            channel,
            kind,
            first_line: 1,
        })
    };
    if let Some(statement) = (!reading.by_rows).then(columns).flatten().and_then(|columns| Statement::from_columns(name, columns).ok()) {
        return Ok(statement);
    }
    row_by_row(Statement::new(name), batches, push_statement_batch, reading.on_invalid)
}

/// The row path: every batch through `push` (`push_row` per row), rows numbered across batches.
fn row_by_row<T>(
    mut table: T,
    batches: &[RecordBatch],
    push: fn(&mut T, &RecordBatch, u64, OnInvalid) -> Result<(), ArrowReadError>,
    on_invalid: OnInvalid,
) -> Result<T, ArrowReadError> {
    let mut first_row = 0;
    for batch in batches {
        push(&mut table, batch, first_row, on_invalid)?;
        first_row += batch.num_rows() as u64;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunks of `values` in pieces of `rows`: their own arrays, or slices of one.
    fn string_arrays(values: &[Option<&str>], rows: usize, sliced: bool) -> Vec<StringArray> {
        let whole = StringArray::from(values.to_vec());
        let pieces = (0..values.len()).step_by(rows).map(|first| {
            let len = rows.min(values.len() - first);
            if sliced {
                whole.slice(first, len)
            } else {
                StringArray::from(values[first..first + len].to_vec())
            }
        });
        pieces.collect()
    }

    /// [`string_arrays`] as chunks of words: string arrays, or string view arrays.
    fn arrays(values: &[Option<&str>], rows: usize, sliced: bool) -> Vec<Option<Words>> {
        string_arrays(values, rows, sliced).into_iter().map(|array| Some(Words::Offsets(array))).collect()
    }

    /// The chunks of `values` in pieces of `rows` as string view arrays: their own arrays, or
    /// slices of one.
    fn view_arrays(values: &[Option<&str>], rows: usize, sliced: bool) -> Vec<Option<Words>> {
        let whole = arrow_array::StringViewArray::from(values.to_vec());
        let pieces = (0..values.len()).step_by(rows).map(|first| {
            let len = rows.min(values.len() - first);
            let array =
                if sliced { whole.slice(first, len) } else { arrow_array::StringViewArray::from(values[first..first + len].to_vec()) };
            Some(Words::Views(array))
        });
        pieces.collect()
    }

    /// The chunks of `values` in pieces of `rows` as dictionaries (16-bit keys): their own
    /// arrays, or slices of one.
    fn dictionary_arrays(values: &[Option<&str>], rows: usize, sliced: bool) -> Vec<Option<Words>> {
        type Keys = arrow_array::types::Int16Type;
        let dictionary = |values: &[Option<&str>]| values.iter().copied().collect::<arrow_array::DictionaryArray<Keys>>();
        let whole = dictionary(values);
        let pieces = (0..values.len()).step_by(rows).map(|first| {
            let len = rows.min(values.len() - first);
            let array = if sliced { whole.slice(first, len) } else { dictionary(&values[first..first + len]) };
            let batch = RecordBatch::try_from_iter([("channel", Arc::new(array) as arrow_array::ArrayRef)]).unwrap();
            BatchColumns::new(LEDGER, &batch, 0).words("channel").unwrap()
        });
        pieces.collect()
    }

    /// Chunks of words of one kind: 0 string arrays, 1 string views, 2 dictionaries.
    fn word_arrays(values: &[Option<&str>], rows: usize, sliced: bool, kind: usize) -> Vec<Option<Words>> {
        match kind {
            0 => arrays(values, rows, sliced),
            1 => view_arrays(values, rows, sliced),
            _ => dictionary_arrays(values, rows, sliced),
        }
    }

    /// [`arrays`], checked.
    fn chunks(values: &[Option<&str>], rows: usize, sliced: bool) -> Vec<Text> {
        let checked = |array: StringArray| Text(Some(Strings::new(LEDGER, "channel", array).unwrap()));
        string_arrays(values, rows, sliced).into_iter().map(checked).collect()
    }

    #[test]
    fn text_chunks_are_shared_when_they_can_be_and_read_alike_either_way() {
        let values = [Some("T1"), Some("消费"), None, Some(""), Some("T22"), Some("x")];
        let read = |rows: usize, sliced: bool, null: &str| text_column(&chunks(&values, rows, sliced), values.len(), null, false).unwrap();
        for sliced in [false, true] {
            for (rows, shared) in [(6, true), (2, true), (4, true), (1, true), (3, false), (5, false)] {
                let column = read(rows, sliced, "");
                assert_eq!(column.iter().collect::<Vec<_>>(), ["T1", "消费", "", "", "T22", "x"], "{rows} {sliced}");
                assert_eq!(column.shares_text(), shared, "rows {rows}, sliced {sliced}");
            }
            // A null that must read as a value is written in: the column is the reader's own.
            let column = read(2, sliced, "00");
            assert_eq!(column.iter().collect::<Vec<_>>(), ["T1", "消费", "00", "", "T22", "x"]);
            assert!(!column.shares_text());
        }
        assert!(text_column(&chunks(&values, 2, true), values.len(), "", true).is_none(), "a null where a value is required");
    }

    #[test]
    fn a_column_of_too_many_texts_is_shared_instead_and_reads_alike() {
        // 70,000 distinct terminals: more than an interned column keeps (65,536).
        let many: Vec<String> = (0..70_000).map(|n| format!("T{n:07}")).collect();
        let values: Vec<Option<&str>> = many.iter().map(|text| Some(text.as_str())).collect();
        let input = arrays(&values, 4096, true);
        assert!(interned(&input).is_none());
        let column = few_valued(STATEMENT, "terminal", &input, values.len(), "", false).unwrap();
        assert!(column.shares_text() && column.iter().eq(many.iter().map(String::as_str)));
        // A null reads as `null` (the column is then the reader's own).
        let column = few_valued(LEDGER, "response_code", &arrays(&[Some("05"), None], 1, false), 2, "00", false).unwrap();
        assert_eq!(column.iter().collect::<Vec<_>>(), ["05", "00"]);
        // An absent optional column: every row `null`.
        let column = few_valued(STATEMENT, "batch", &[None, None], 3, "", false).unwrap();
        assert_eq!(column.iter().collect::<Vec<_>>(), ["", "", ""]);
    }

    /// Words of few-valued columns: more than the slots keep (8), an empty one (a column of
    /// only empty texts has an empty buffer), one of 8 and one of 15 bytes, one too long for
    /// a key, one that does not parse.
    const WORDS: [&str; 13] = [
        "credit",
        "debit",
        "",
        "purchase",
        "wechat",
        "alipay",
        "void",
        "消费撤销",
        "bad",
        " x ",
        "a text too long for a key",
        "12345678",
        "abcdefghijklmno",
    ];

    proptest::proptest! {
        /// `parsed` gives each row's own parse (a null's too), in chunks of any size, each its
        /// own array or a slice of one; `None` when a row does not parse.
        #[test]
        fn a_few_valued_column_is_each_row_parsed(
            cells in proptest::collection::vec((0..WORDS.len(), 0u8..8), 0..60),
            rows in 1usize..9,
            sliced: bool,
            kind in 0usize..3,
        ) {
            // A null one time in eight.
            let values: Vec<Option<&str>> = cells.iter().map(|&(word, null)| (null != 0).then_some(WORDS[word])).collect();
            let parse = |text: Option<&str>| match text {
                None => Some(100),
                Some("bad") => None,
                Some(text) => WORDS.iter().position(|word| *word == text),
            };
            let input = word_arrays(&values, rows, sliced, kind);
            let sizes: Vec<usize> = input.iter().map(|chunk| chunk.as_ref().map_or(0, Words::len)).collect();
            let expected: Option<Vec<usize>> = values.iter().map(|value| parse(*value)).collect();
            proptest::prop_assert_eq!(parsed(&input, &sizes, usize::MAX, parse), expected);
        }

        /// `interned` numbers each row's text, in chunks of any size, each its own array or a
        /// slice of one, past the 64 slots of the recent short and long texts (up to 400
        /// distinct texts, some Chinese, of 0 to 15 bytes and of 16 to 40): the column reads
        /// as the texts, and holds each once. `None` when a row is null.
        #[test]
        fn a_column_of_few_distinct_texts_is_interned_and_reads_each_row(
            cells in proptest::collection::vec(0usize..400, 1..400),
            null in proptest::option::of(0usize..400),
            rows in proptest::sample::select(vec![1usize, 3, 64, 1000]),
            sliced: bool,
            kind in 0usize..3,
        ) {
            let texts: Vec<String> = (0..400).map(|n| match n % 4 {
                0 => format!("T{n:06}"),
                1 => format!("终端{n}"),
                2 => "0123456789abcdef0123456789abcdef0123456789"[..n % 41].to_string(),
                _ => format!("上海市浦东新区商户{n}"),
            }).collect();
            let mut values: Vec<Option<&str>> = cells.iter().map(|&text| Some(texts[text].as_str())).collect();
            if let Some(row) = null {
                let row = row % values.len();
                values[row] = None;
            }
            let column = interned(&word_arrays(&values, rows, sliced, kind));
            if null.is_some() {
                proptest::prop_assert!(column.is_none());
            } else {
                let column = column.unwrap();
                proptest::prop_assert_eq!(column.iter().collect::<Vec<_>>(), values.iter().map(|value| value.unwrap()).collect::<Vec<_>>());
                proptest::prop_assert!(column.is_interned());
            }
        }

        /// Columns in long runs of one text (read a block at a time once a run is seen, see
        /// `values::fill_runs`), between texts one byte apart, texts of one length (`ab`, `ac`),
        /// texts that repeat each other (`ab`, `abab`) and the empty text: `interned` and
        /// `parsed` read each row as it is, in chunks of any size, each its own array or a
        /// slice of one.
        #[test]
        fn columns_in_long_runs_read_each_row(
            runs in proptest::collection::vec((0usize..7, 1usize..300), 1..12),
            rows in proptest::sample::select(vec![1usize, 70, 1000, 100_000]),
            sliced: bool,
            kind in 0usize..3,
        ) {
            const TEXTS: [&str; 7] = ["purchase", "purchasf", "ab", "ac", "abab", "", "上海市浦东新区商户"];
            let values: Vec<Option<&str>> = runs.iter().flat_map(|&(text, run)| std::iter::repeat_n(Some(TEXTS[text]), run)).collect();
            let input = word_arrays(&values, rows, sliced, kind);
            let column = interned(&input).unwrap();
            proptest::prop_assert_eq!(column.iter().collect::<Vec<_>>(), values.iter().map(|value| value.unwrap()).collect::<Vec<_>>());
            let sizes: Vec<usize> = input.iter().map(|chunk| chunk.as_ref().map_or(0, Words::len)).collect();
            let parse = |text: Option<&str>| TEXTS.iter().position(|known| Some(*known) == text);
            let expected: Vec<usize> = values.iter().map(|value| parse(*value).unwrap()).collect();
            proptest::prop_assert_eq!(parsed(&input, &sizes, usize::MAX, parse), Some(expected));
        }

        /// `push_dates` on `date32` dates in runs of a day gives each row's date as
        /// `TimeColumn::date` reads it, and `None` when one does not read (out of chrono's
        /// range), with and without nulls.
        #[test]
        fn dates_in_runs_are_each_row_read(
            runs in proptest::collection::vec((proptest::prop_oneof![20_000i32..20_010, proptest::num::i32::ANY], 1usize..5), 0..12),
            null_row in proptest::option::of(0usize..20),
        ) {
            let days: Vec<Option<i32>> = runs.iter().flat_map(|&(day, rows)| std::iter::repeat_n(day, rows)).enumerate()
                .map(|(row, day)| (Some(row) != null_row).then_some(day)).collect();
            let batch = RecordBatch::try_from_iter([("settlement_date", Arc::new(arrow_array::Date32Array::from(days.clone())) as arrow_array::ArrayRef)]).unwrap();
            let column = || BatchColumns::new(STATEMENT, &batch, 0).time("settlement_date").unwrap();
            let mut dates = Vec::new();
            let oracle = column();
            let expected: Option<Vec<NaiveDate>> = (0..days.len()).map(|row| oracle.date(row).ok().flatten()).collect();
            let pushed = push_dates(&column(), days.len(), &mut dates).map(|()| dates);
            proptest::prop_assert_eq!(pushed, expected);
        }
    }
}
