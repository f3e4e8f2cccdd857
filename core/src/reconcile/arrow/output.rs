//! Ledgers, statements and reports as Arrow record batches: money as `decimal128` (scale 2
//! for trade amounts, 5 for fees and nets), times as second timestamps at `+08:00`,
//! settlement dates as `date32`: the schemas follow from [`LEDGER_COLUMNS`] and
//! [`STATEMENT_COLUMNS`] (the type of each [`ColumnType`]); a report has the columns of
//! [`REPORT_CSV_COLUMNS`].

use std::cell::RefCell;
use std::hash::Hash;
use std::iter::repeat;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, StringBuilder, TimestampSecondBuilder};
use arrow_array::types::{ArrowDictionaryKeyType, ArrowPrimitiveType, Decimal128Type, Int32Type, Int8Type, UInt64Type};
use arrow_array::{ArrayRef, Date32Array, DictionaryArray, PrimitiveArray, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_buffer::{ArrowNativeType, BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::lang::Lang;
use crate::money::Money;
use crate::reconcile::diagnosis::ChargedAs;
use crate::reconcile::hash::FxHashMap;
use crate::reconcile::text_column::TextView;
use crate::reconcile::MarginRow;
use crate::reconcile::{
    CanonicalColumn, Class, ClassSet, ColumnType, Ledger, MatchedBy, Report, Side, Statement, LEDGER_COLUMNS, REPORT_CSV_COLUMNS,
    STATEMENT_COLUMNS,
};

/// A builder of money as a decimal of `scale` places (2 for trade amounts in fen, 5 for fees).
fn money_builder(capacity: usize, scale: i8) -> Decimal128Builder {
    Decimal128Builder::with_capacity(capacity).with_precision_and_scale(money_precision(scale), scale).expect("valid decimal type")
}

/// The digits of a money decimal of `scale` places: 18 for trade amounts (scale 2), 20 for
/// fees and nets (scale 5).
fn money_precision(scale: i8) -> u8 {
    if scale == 2 {
        18
    } else {
        20
    }
}

/// Money as a decimal of the given scale (2: whole fen, as trade amounts are; 5: exact).
fn money_value(money: Money, scale: i8) -> i128 {
    let millifen = i128::from(money.millifen());
    match scale {
        5 => millifen,
        _ => millifen / 1_000,
    }
}

/// The Arrow type posfee writes a canonical column as.
fn arrow_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Text => DataType::Utf8,
        ColumnType::Time => DataType::Timestamp(TimeUnit::Second, Some("+08:00".into())),
        ColumnType::Date => DataType::Date32,
        ColumnType::Amount => DataType::Decimal128(18, 2),
        ColumnType::Money => DataType::Decimal128(20, 5),
    }
}

/// The schema of `columns` (every field nullable), and `line` (`UInt64`) when asked.
pub(super) fn schema(columns: &[CanonicalColumn], line: bool) -> SchemaRef {
    let mut fields: Vec<Field> = columns.iter().map(|column| Field::new(column.name, arrow_type(column.kind), true)).collect();
    if line {
        fields.push(Field::new("line", DataType::UInt64, true));
    }
    Arc::new(Schema::new(fields))
}

/// A batch of `schema`'s columns, from arrays by name.
fn canonical_batch(schema: SchemaRef, mut columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let arrays: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .map(|field| {
            let at = columns.iter().position(|(name, _)| name == field.name()).expect("an array for every column");
            columns.swap_remove(at).1
        })
        .collect();
    RecordBatch::try_new(schema, arrays).expect("arrays of the described types, of equal length")
}

/// A batch of named columns (every field nullable).
fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = columns.iter().map(|(name, array)| Field::new(*name, array.data_type().clone(), true)).collect();
    let schema: SchemaRef = Arc::new(Schema::new(fields));
    let arrays: Vec<ArrayRef> = columns.into_iter().map(|(_, a)| a).collect();
    RecordBatch::try_new(schema, arrays).expect("columns of equal length and matching types")
}

/// See [`super::ledger_to_arrow`].
pub(super) fn ledger_batch(ledger: &Ledger) -> RecordBatch {
    const NAMES: [&str; 10] =
        ["trade_id", "rrn", "trace", "terminal", "merchant_no", "channel", "card_type", "kind", "response_code", "original_rrn"];
    let n = ledger.len();
    let mut strings: Vec<StringBuilder> = NAMES.iter().map(|_| StringBuilder::with_capacity(n, n * 12)).collect();
    let mut time = TimestampSecondBuilder::with_capacity(n).with_timezone("+08:00");
    let mut amount = money_builder(n, 2);
    for i in 0..n {
        let r = ledger.record(i);
        let values = [
            r.trade_id.as_str(),
            r.rrn.as_str(),
            r.trace.as_str(),
            r.terminal.as_str(),
            r.merchant_no.as_str(),
            r.channel.name(),
            r.card_type.map(|c| c.name()).unwrap_or(""),
            r.kind.name(),
            r.response_code.as_str(),
            r.original_rrn.as_str(),
        ];
        for (builder, value) in strings.iter_mut().zip(values) {
            builder.append_value(value);
        }
        time.append_value(r.time.timestamp());
        amount.append_value(money_value(r.amount, 2));
    }
    let mut columns: Vec<(&str, ArrayRef)> =
        NAMES.iter().zip(strings.iter_mut()).map(|(name, b)| (*name, Arc::new(b.finish()) as ArrayRef)).collect();
    columns.push(("time", Arc::new(time.finish())));
    columns.push(("amount", Arc::new(amount.finish())));
    canonical_batch(schema(&LEDGER_COLUMNS, false), columns)
}

/// See [`super::statement_to_arrow`].
pub(super) fn statement_batch(statement: &Statement) -> RecordBatch {
    let n = statement.len();
    let mut strings: Vec<StringBuilder> = (0..7).map(|_| StringBuilder::with_capacity(n, n * 12)).collect();
    let mut dates: Vec<i32> = Vec::with_capacity(n);
    let mut time = TimestampSecondBuilder::with_capacity(n).with_timezone("+08:00");
    let mut amount = money_builder(n, 2);
    let mut fee = money_builder(n, 5);
    let mut net = money_builder(n, 5);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    for i in 0..n {
        let r = statement.record(i);
        let values = [
            r.merchant_no.as_str(),
            r.merchant_name.as_str(),
            r.terminal.as_str(),
            r.batch.as_str(),
            r.rrn.as_str(),
            r.channel.name(),
            r.kind.name(),
        ];
        for (builder, value) in strings.iter_mut().zip(values) {
            builder.append_value(value);
        }
        dates.push((r.settlement_date - epoch).num_days() as i32);
        time.append_value(r.time.timestamp());
        amount.append_value(money_value(r.amount, 2));
        fee.append_value(money_value(r.fee, 5));
        net.append_value(money_value(r.net, 5));
    }
    let mut built = strings.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef);
    let mut next = || built.next().expect("seven columns");
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("settlement_date", Arc::new(Date32Array::from(dates))),
        ("merchant_no", next()),
        ("merchant_name", next()),
        ("terminal", next()),
        ("batch", next()),
        ("rrn", next()),
        ("time", Arc::new(time.finish())),
        ("amount", Arc::new(amount.finish())),
        ("fee", Arc::new(fee.finish())),
        ("net", Arc::new(net.finish())),
        ("channel", next()),
        ("kind", next()),
        ("line", Arc::new(UInt64Array::from(statement.lines().to_vec()))),
    ];
    canonical_batch(schema(&STATEMENT_COLUMNS, true), columns)
}

/// See [`super::margins_to_arrow`].
pub(super) fn margins_batch(rows: &[MarginRow]) -> RecordBatch {
    let n = rows.len();
    let mut trade: Vec<u64> = Vec::with_capacity(n);
    let mut trade_id = StringBuilder::with_capacity(n, n * 12);
    let mut dates: Vec<i32> = Vec::with_capacity(n);
    let (mut merchant_no, mut channel, mut agent): (Dictionary<&str>, Dictionary<&str>, Dictionary<&str>) =
        (Dictionary::new(n), Dictionary::new(n), Dictionary::new(n));
    let mut amount = money_builder(n, 2);
    let [mut merchant_fee, mut cost, mut margin] = [(); 3].map(|()| money_builder(n, 5));
    let mut level: Vec<u32> = Vec::with_capacity(n);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    for row in rows {
        trade.push(row.trade as u64);
        trade_id.append_value(&row.trade_id);
        dates.push((row.date - epoch).num_days() as i32);
        merchant_no.push(&row.merchant_no, || row.merchant_no.to_string());
        match row.channel {
            Some(value) => channel.push(value.name(), || value.name().to_string()),
            None => channel.push_null(),
        }
        amount.append_value(money_value(row.amount, 2));
        merchant_fee.append_value(money_value(row.merchant_fee, 5));
        level.push(row.level);
        agent.push(&row.agent, || row.agent.to_string());
        cost.append_value(money_value(row.cost, 5));
        margin.append_value(money_value(row.margin, 5));
    }
    batch(vec![
        ("trade", Arc::new(UInt64Array::from(trade))),
        ("trade_id", Arc::new(trade_id.finish())),
        ("date", Arc::new(Date32Array::from(dates))),
        ("merchant_no", merchant_no.finish()),
        ("channel", channel.finish()),
        ("amount", Arc::new(amount.finish())),
        ("merchant_fee", Arc::new(merchant_fee.finish())),
        ("level", Arc::new(UInt32Array::from(level))),
        ("agent", agent.finish()),
        ("cost", Arc::new(cost.finish())),
        ("margin", Arc::new(margin.finish())),
    ])
}

/// See [`super::report_to_arrow`]: the rows cut into parts built in parallel (one batch each).
pub(super) fn report_batches(report: &Report, ledger: &Ledger, statement: &Statement, lang: Lang) -> Vec<RecordBatch> {
    let n = report.len();
    let part_rows = (n / (2 * rayon::current_num_threads().max(1))).max(1 << 16);
    let parts: Vec<Range<usize>> = (0..n.max(1)).step_by(part_rows).map(|start| start..(start + part_rows).min(n)).collect();
    parts.into_par_iter().map(|range| report_batch(report, ledger, statement, range, lang)).collect()
}

/// The values of a column of a part of the report, written only where a row's value is not
/// zero: the buffer starts as zeros from the allocator (`calloc`: pages the system gives as
/// zeros and maps when first written), so a null or a zero costs a bit of the null bitmap and
/// no write. Where most rows have none (a ledger part's fees and nets, the charged terms where
/// a rate rose) or have the first key of a dictionary (one side, one class, one merchant), most
/// pages are never touched: at 2M rows, a fifth fewer page faults in making the rows.
struct SparseValues<T> {
    values: Vec<T>,
    valid: Validity,
}

impl<T: ArrowNativeType + PartialEq> SparseValues<T> {
    fn new(rows: usize) -> SparseValues<T> {
        SparseValues { values: vec![T::default(); rows], valid: Validity::new(rows) }
    }

    /// Sets the next row's value, or leaves it null (a row past `rows` is added).
    #[inline]
    fn push(&mut self, value: Option<T>) {
        set_value(&mut self.values, self.valid.len, value);
        self.valid.push(value.is_some());
    }

    /// The array of the rows pushed (no null bitmap when none is null).
    fn finish<P: ArrowPrimitiveType<Native = T>>(mut self) -> PrimitiveArray<P> {
        self.values.truncate(self.valid.len);
        PrimitiveArray::new(ScalarBuffer::from(self.values), self.valid.finish())
    }
}

/// Which rows of a column have a value: a bit a row (Arrow's order, the first row in the
/// lowest bit), gathered in a word and stored 64 rows at a time. (Arrow's
/// `BooleanBufferBuilder` checks its room and may grow at every row: on 2M rows and a dozen
/// columns, that was a fifth of the time of making the rows.)
struct Validity {
    words: Vec<u64>,
    /// The bits of the rows after the last stored word.
    word: u64,
    /// The rows pushed.
    len: usize,
    nulls: usize,
}

impl Validity {
    fn new(rows: usize) -> Validity {
        Validity { words: Vec::with_capacity(rows.div_ceil(64)), word: 0, len: 0, nulls: 0 }
    }

    #[inline]
    fn push(&mut self, valid: bool) {
        push_bit(&mut self.words, &mut self.word, &mut self.len, valid);
        self.nulls += usize::from(!valid);
    }

    /// Pushes `count` rows alike.
    fn push_run(&mut self, valid: bool, count: usize) {
        // Bit by bit up to a word's end, then whole words.
        let mut left = count;
        while left > 0 && self.len % 64 != 0 {
            self.push(valid);
            left -= 1;
        }
        let words = left / 64;
        self.words.resize(self.words.len() + words, if valid { u64::MAX } else { 0 });
        self.len += words * 64;
        self.nulls += if valid { 0 } else { words * 64 };
        (0..left % 64).for_each(|_| self.push(valid));
    }

    /// The null bitmap, or `None` when no row is null.
    fn finish(mut self) -> Option<NullBuffer> {
        if self.nulls == 0 {
            return None;
        }
        if self.len % 64 != 0 {
            self.words.push(self.word.to_le());
        }
        Some(NullBuffer::new(BooleanBuffer::new(Buffer::from_vec(self.words), 0, self.len)))
    }
}

/// Sets `values[row]` to `value` where it is not null and not zero (the buffer is zeros
/// already); a row past the end is added.
#[inline(always)]
fn set_value<T: ArrowNativeType + PartialEq>(values: &mut Vec<T>, row: usize, value: Option<T>) {
    if row == values.len() {
        values.push(T::default());
    }
    if let (Some(value), Some(slot)) = (value.filter(|value| *value != T::default()), values.get_mut(row)) {
        *slot = value;
    }
}

/// Sets the bit of row `len` in `word`, counts the row, and stores the word when it is full.
#[inline(always)]
fn push_bit(words: &mut Vec<u64>, word: &mut u64, len: &mut usize, valid: bool) {
    *word |= u64::from(valid) << (*len % 64);
    *len += 1;
    if *len % 64 == 0 {
        // Stored little-endian: Arrow's bitmaps are bytes, the first row in the first.
        words.push(word.to_le());
        *word = 0;
    }
}

/// Money (exact, scale 5) as a [`SparseValues`] column's value.
fn sparse_money(money: Option<Money>) -> Option<i128> {
    money.map(|money| money_value(money, 5))
}

/// A money column of a part, of `scale` places (as [`money_builder`]'s).
fn money_array(values: SparseValues<i128>, scale: i8) -> ArrayRef {
    Arc::new(values.finish::<Decimal128Type>().with_precision_and_scale(money_precision(scale), scale).expect("valid decimal type"))
}

/// The texts of a dictionary column, each added when its key first appears, and the code
/// (place among the texts) of each key. Most rows repeat the key of the row before (one
/// merchant, one reason for a run of `ok` rows): that key is compared first, without
/// hashing it again.
struct DictionaryTexts<K> {
    index: FxHashMap<K, i32>,
    last: Option<(K, i32)>,
    values: StringBuilder,
}

/// A dictionary column built a row at a time: each row's code into its [`DictionaryTexts`].
struct Dictionary<K> {
    keys: SparseValues<i32>,
    texts: DictionaryTexts<K>,
}

/// A key of a [`Dictionary`]: `same` is `==`, made cheaper where it can be.
trait DictionaryKey: Hash + Eq + Copy {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

impl DictionaryKey for ClassSet {}

impl DictionaryKey for &str {
    /// The same text, read at the same place (a report's reasons are each held once): no
    /// byte compared.
    #[inline]
    fn same(&self, other: &Self) -> bool {
        std::ptr::eq(*self, *other) || self == other
    }
}

impl<K: DictionaryKey> DictionaryTexts<K> {
    fn new() -> Self {
        DictionaryTexts { index: FxHashMap::default(), last: None, values: StringBuilder::new() }
    }

    /// The code of `key` in the dictionary, its text added (made by `text()`) if it is new.
    #[inline]
    fn code(&mut self, key: K, text: impl FnOnce() -> String) -> i32 {
        match self.last {
            Some((last, at)) if last.same(&key) => at,
            _ => {
                let next = self.index.len() as i32;
                let at = *self.index.entry(key).or_insert_with(|| {
                    self.values.append_value(text());
                    next
                });
                self.last = Some((key, at));
                at
            }
        }
    }

    /// The dictionary array of `codes` into these texts.
    fn finish(mut self, codes: SparseValues<i32>) -> ArrayRef {
        dictionary(codes.finish::<Int32Type>(), Arc::new(self.values.finish()))
    }
}

impl<K: DictionaryKey> Dictionary<K> {
    fn new(rows: usize) -> Self {
        Dictionary { keys: SparseValues::new(rows), texts: DictionaryTexts::new() }
    }

    /// Appends the text that `key` stands for (`text()` is called only the first time).
    fn push(&mut self, key: K, text: impl FnOnce() -> String) {
        let at = self.texts.code(key, text);
        self.keys.push(Some(at));
    }

    /// Appends a null.
    fn push_null(&mut self) {
        self.keys.push(None);
    }

    fn finish(self) -> ArrayRef {
        self.texts.finish(self.keys)
    }
}

/// A dictionary array of `keys` (nullable) into `values`.
fn dictionary<K: ArrowDictionaryKeyType>(keys: PrimitiveArray<K>, values: ArrayRef) -> ArrayRef {
    Arc::new(DictionaryArray::<K>::try_new(keys, values).expect("keys within the values"))
}

/// The rows of a part of the report by table, in the report's order: ledger rows, statement
/// rows, unreadable lines (each a range of its own table's rows).
struct PartRows {
    ledger: Range<usize>,
    statement: Range<usize>,
    unreadable: Range<usize>,
}

impl PartRows {
    fn new(report: &Report, range: Range<usize>) -> PartRows {
        let (ledger_rows, statement_rows) = (report.ledger.class.len(), report.statement.class.len());
        let within = |first: usize, rows: usize| {
            let clamped = |k: usize| k.clamp(first, first + rows) - first;
            clamped(range.start)..clamped(range.end)
        };
        PartRows {
            ledger: within(0, ledger_rows),
            statement: within(ledger_rows, statement_rows),
            unreadable: within(ledger_rows + statement_rows, report.unreadable.len()),
        }
    }

    fn len(&self) -> usize {
        self.ledger.len() + self.statement.len() + self.unreadable.len()
    }
}

/// A primitive column of a part from its rows' values (as [`SparseValues`] holds them, in a
/// loop of its own, whose state stays in registers).
#[inline(never)]
fn part_values<T: ArrowNativeType + PartialEq>(rows: usize, row_values: impl Iterator<Item = Option<T>>) -> SparseValues<T> {
    let mut values = vec![T::default(); rows];
    let mut words = Vec::with_capacity(rows.div_ceil(64));
    let (mut word, mut row, mut nulls) = (0u64, 0usize, 0usize);
    // `for_each`, not a `for` loop: a chain of iterators is folded part by part.
    row_values.for_each(|value| {
        set_value(&mut values, row, value);
        nulls += usize::from(value.is_none());
        push_bit(&mut words, &mut word, &mut row, value.is_some());
    });
    values.truncate(row);
    SparseValues { values, valid: Validity { words, word, len: row, nulls } }
}

/// A text column of a part, copied from a table's text column: the values of rows held in one
/// piece are copied at once (their bytes, and their offsets moved), interned values a row at a
/// time; the offsets start as zeros from the allocator, so the nulls before the first value
/// are never written.
struct PartText {
    values: Vec<u8>,
    offsets: Vec<i32>,
    /// The rows written.
    rows: usize,
    valid: Validity,
}

impl PartText {
    /// A column of `rows` rows, with room for `text_bytes` bytes of text.
    fn new(rows: usize, text_bytes: usize) -> PartText {
        PartText { values: Vec::with_capacity(text_bytes), offsets: vec![0; rows + 1], rows: 0, valid: Validity::new(rows) }
    }

    /// Appends rows `rows` of `view`.
    fn extend(&mut self, view: &TextView<'_>, rows: Range<usize>) {
        if rows.is_empty() {
            // (A column without rows may have no offsets at all.)
            return;
        }
        match view {
            TextView::One { text, offsets } => self.extend_piece(text, offsets, rows),
            TextView::Fixed { text, width } => {
                let start = self.values.len();
                self.values.extend_from_slice(&text.as_bytes()[rows.start * width..rows.end * width]);
                for (k, offset) in self.offsets[self.rows + 1..self.rows + 1 + rows.len()].iter_mut().enumerate() {
                    *offset = (start + (k + 1) * width) as i32;
                }
                self.rows += rows.len();
                self.valid.push_run(true, rows.len());
            }
            TextView::Chunks { pieces, shift } => {
                let mut row = rows.start;
                while row < rows.end {
                    let first = row >> shift << shift;
                    let end = rows.end.min(first + (1 << shift));
                    let (text, offsets) = pieces[row >> shift];
                    self.extend_piece(text, offsets, row - first..end - first);
                    row = end;
                }
            }
            TextView::Interned { text, offsets, keys } => {
                let mut end = self.values.len();
                for (offset, &key) in self.offsets[self.rows + 1..self.rows + 1 + rows.len()].iter_mut().zip(&keys[rows.clone()]) {
                    let key = usize::from(key);
                    let value = &text.as_bytes()[offsets[key] as usize..offsets[key + 1] as usize];
                    self.values.extend_from_slice(value);
                    end += value.len();
                    *offset = end as i32;
                }
                self.rows += rows.len();
                self.valid.push_run(true, rows.len());
            }
        }
    }

    /// Appends rows `rows` of a piece of text and its offsets.
    fn extend_piece(&mut self, text: &str, offsets: &[u32], rows: Range<usize>) {
        let (from, to) = (offsets[rows.start] as usize, offsets[rows.end] as usize);
        let moved = self.values.len() as i64 - from as i64;
        self.values.extend_from_slice(&text.as_bytes()[from..to]);
        let written = &mut self.offsets[self.rows + 1..self.rows + 1 + rows.len()];
        for (offset, &end) in written.iter_mut().zip(&offsets[rows.start + 1..=rows.end]) {
            *offset = (i64::from(end) + moved) as i32;
        }
        self.rows += rows.len();
        self.valid.push_run(true, rows.len());
    }

    /// Appends a value, or a null.
    #[inline]
    fn push(&mut self, value: Option<&str>) {
        if let Some(value) = value {
            self.values.extend_from_slice(value.as_bytes());
        }
        self.rows += 1;
        if !self.values.is_empty() {
            self.offsets[self.rows] = self.values.len() as i32;
        }
        self.valid.push(value.is_some());
    }

    /// Appends `count` nulls.
    fn push_nulls(&mut self, count: usize) {
        if !self.values.is_empty() {
            let end = self.values.len() as i32;
            self.offsets[self.rows + 1..self.rows + 1 + count].fill(end);
        }
        self.rows += count;
        self.valid.push_run(false, count);
    }

    fn finish(self) -> ArrayRef {
        // (A part is a share of the rows: its text in one column would pass 2 GiB only at a
        // hundred million rows of twenty bytes, and Arrow's builders stop there too.)
        assert!(self.values.len() <= i32::MAX as usize, "a part of the report with more than 2 GiB of text in one column");
        let text =
            StringArray::try_new(OffsetBuffer::new(ScalarBuffer::from(self.offsets)), Buffer::from_vec(self.values), self.valid.finish());
        Arc::new(text.expect("offsets and text copied from a table's checked text"))
    }
}

/// Says that an `impl Trait` holds a borrow for `'a` (what `use<'a>` says from Rust 1.82).
trait Captures<'a> {}

impl<T: ?Sized> Captures<'_> for T {}

/// The codes in a part's dictionary `texts` of rows `rows` of a text column: an interned
/// column's rows by their key in it (each key's text looked up in `texts` once), any other
/// column's by their text.
fn view_codes<'v, 'a: 'v>(
    view: &'v TextView<'a>,
    rows: Range<usize>,
    texts: &'v RefCell<DictionaryTexts<&'a str>>,
) -> impl Iterator<Item = Option<i32>> + Captures<'a> + 'v {
    let mut code_of_key: Vec<Option<i32>> = match view {
        TextView::Interned { offsets, .. } => vec![None; offsets.len().saturating_sub(1)],
        _ => Vec::new(),
    };
    let code_of_text = move |row: usize| {
        let value = view.get(row);
        texts.borrow_mut().code(value, || value.to_string())
    };
    rows.map(move |row| {
        Some(match view {
            TextView::Interned { keys, .. } => {
                let key = usize::from(keys[row]);
                *code_of_key[key].get_or_insert_with(|| code_of_text(row))
            }
            _ => code_of_text(row),
        })
    })
}

/// A dictionary column of a part from its rows' keys: each text made (by `text`) when its key
/// first appears.
fn part_dictionary<K: DictionaryKey>(rows: usize, keys: impl Iterator<Item = K>, text: impl Fn(K) -> String) -> ArrayRef {
    let mut texts = DictionaryTexts::new();
    let codes = part_values(rows, keys.map(|key| Some(texts.code(key, || text(key)))));
    texts.finish(codes)
}

/// The rows `range` of the report as one batch, a column at a time (each read from the
/// report's and the tables' columns, with [`Report::row`]'s rules).
fn report_batch(report: &Report, ledger: &Ledger, statement: &Statement, range: Range<usize>, lang: Lang) -> RecordBatch {
    let part = PartRows::new(report, range);
    let n = part.len();
    let (ledger_rows, statement_rows, unreadable) =
        (part.ledger.clone(), part.statement.clone(), &report.unreadable[part.unreadable.clone()]);
    let tables = report.tables.get();
    let (ledger_side, statement_side) = (&report.ledger, &report.statement);
    const MATCHED_BY: [MatchedBy; 2] = [MatchedBy::Reference, MatchedBy::TimeWindow];
    // The side, class and matched-by columns take a few values each: their codes are bytes.
    const _: () = assert!(Class::ALL.len() <= i8::MAX as usize);
    let matched_by_key = |m: Option<MatchedBy>| m.and_then(|m| MATCHED_BY.iter().position(|&b| b == m)).map(|m| m as i8);
    let mut class_keys = [None; 256];
    for (key, class) in Class::ALL.iter().enumerate() {
        class_keys[*class as usize] = Some(key as i8);
    }
    let side = part_values(
        n,
        (ledger_rows.clone().map(|_| Some(0i8)))
            .chain(statement_rows.clone().map(|_| Some(1)))
            .chain(unreadable.iter().map(|u| Some(if u.side == Side::Ledger { 0 } else { 1 }))),
    );
    let index = part_values(
        n,
        (ledger_rows.clone().map(|i| Some(i as u64)))
            .chain(statement_rows.clone().map(|j| Some(j as u64)))
            .chain(unreadable.iter().map(|_| None)),
    );
    let line = part_values(
        n,
        (tables.ledger_line.lines_in(ledger_rows.clone()).map(Some))
            .chain(tables.statement_line.lines_in(statement_rows.clone()).map(Some))
            .chain(unreadable.iter().map(|u| Some(u.line))),
    );
    let class = part_values(
        n,
        (ledger_side.class[ledger_rows.clone()].iter().chain(&statement_side.class[statement_rows.clone()]))
            .map(|&c| class_keys[c as usize])
            .chain(unreadable.iter().map(|_| class_keys[Class::Unreadable as usize])),
    );
    let unreadable_findings = ClassSet::EMPTY.with(Class::Unreadable);
    let findings = part_dictionary(
        n,
        (ledger_side.findings[ledger_rows.clone()].iter().chain(&statement_side.findings[statement_rows.clone()]))
            .copied()
            .chain(unreadable.iter().map(|_| unreadable_findings)),
        ClassSet::names_text,
    );
    let partner = part_values(
        n,
        (ledger_rows.clone().map(|i| ledger_side.partner(i).map(|p| p as u64)))
            .chain(statement_rows.clone().map(|j| statement_side.partner(j).map(|p| p as u64)))
            .chain(unreadable.iter().map(|_| None)),
    );
    let matched_by = part_values(
        n,
        (ledger_rows.clone().map(|i| matched_by_key(report.matched_by[i])))
            .chain(statement_rows.clone().map(|j| matched_by_key(statement_side.partner(j).and_then(|i| report.matched_by[i]))))
            .chain(unreadable.iter().map(|_| None)),
    );
    let amount = part_values(
        n,
        (tables.ledger_amount_fen[ledger_rows.clone()].iter().chain(&tables.statement_amount_fen[statement_rows.clone()]))
            .map(|&fen| Some(money_value(Money::from_fen(fen), 2)))
            .chain(unreadable.iter().map(|_| Some(0))),
    );
    // A statement column of money (null on the other rows).
    let statement_money = |money: &[Money]| {
        let statement_values = money[statement_rows.clone()].iter().map(|&money| sparse_money(Some(money)));
        part_values(n, ledger_rows.clone().map(|_| None).chain(statement_values).chain(unreadable.iter().map(|_| None)))
    };
    let (fee, net) = (statement_money(tables.fee), statement_money(tables.net));
    let expected = part_values(
        n,
        (ledger_rows.clone().map(|i| sparse_money(report.expected_fee.get(i))))
            .chain(statement_rows.clone().map(|j| sparse_money(statement_side.partner(j).and_then(|i| report.expected_fee.get(i)))))
            .chain(unreadable.iter().map(|_| None)),
    );
    // The diagnosis of each row's statement row (a ledger row's partner), if any: its rate,
    // fixed fee and cap, in one pass.
    let (mut charged_rate, mut charged_fixed, mut charged_cap) = (PartText::new(n, 0), SparseValues::new(n), SparseValues::new(n));
    let ledger_charged = ledger_rows.clone().map(|i| ledger_side.partner(i).and_then(|j| report.charged_as_of(j)));
    let statement_charged = statement_rows.clone().map(|j| report.charged_as_of(j));
    ledger_charged.chain(statement_charged).chain(unreadable.iter().map(|_| None)).for_each(|charged_as: Option<&ChargedAs>| {
        charged_rate.push(charged_as.map(|c| c.rate.to_string()).as_deref());
        charged_fixed.push(sparse_money(charged_as.map(|c| c.fixed)));
        charged_cap.push(sparse_money(charged_as.and_then(|c| c.cap)));
    });
    // Merchant number and agent of each row's contract.
    let contract_rows = || {
        let ledger_contracts = ledger_rows.clone().map(|i| report.merchant_of(&report.ledger_contract, i));
        let statement_contracts = statement_rows.clone().map(|j| report.merchant_of(&report.statement_contract, j));
        ledger_contracts.chain(statement_contracts).chain(unreadable.iter().map(|_| ("", "", "")))
    };
    let merchant_no = part_dictionary(n, contract_rows().map(|(number, _, _)| number), str::to_string);
    let agent = part_dictionary(n, contract_rows().map(|(_, _, agent)| agent), str::to_string);
    let reason_of = |index: &u32| report.reasons[*index as usize].get(lang);
    let row_reasons = ledger_side.reason[ledger_rows.clone()].iter().chain(&statement_side.reason[statement_rows.clone()]);
    let reason = part_dictionary(n, row_reasons.map(reason_of).chain(unreadable.iter().map(|u| reason_of(&u.reason))), str::to_string);
    // The input row's keys, read straight from its table (null where a row has none).
    let (ledger_keys, statement_keys) = (
        ledger_rows.start.min(ledger.len())..ledger_rows.end.min(ledger.len()),
        statement_rows.start.min(statement.len())..statement_rows.end.min(statement.len()),
    );
    let keys = |ledger_view: Option<TextView<'_>>, statement_view: Option<TextView<'_>>| {
        let mut text = PartText::new(n, n * 12);
        match ledger_view {
            Some(view) => text.extend(&view, ledger_keys.clone()),
            None => text.push_nulls(ledger_keys.len()),
        }
        text.push_nulls(ledger_rows.len() - ledger_keys.len());
        match statement_view {
            Some(view) => text.extend(&view, statement_keys.clone()),
            None => text.push_nulls(statement_keys.len()),
        }
        text.push_nulls(statement_rows.len() - statement_keys.len() + unreadable.len());
        text.finish()
    };
    let trade_id = keys(Some(ledger.trade_ids().view()), None);
    let rrn = keys(Some(ledger.rrns().view()), Some(statement.rrns().view()));
    // Terminals are few: a dictionary, each distinct terminal's text held once a part.
    let terminal = {
        let texts = RefCell::new(DictionaryTexts::new());
        let (ledger_view, statement_view) = (ledger.terminals().view(), statement.terminals().view());
        let codes = part_values(
            n,
            (view_codes(&ledger_view, ledger_keys.clone(), &texts).chain(repeat(None).take(ledger_rows.len() - ledger_keys.len())))
                .chain(view_codes(&statement_view, statement_keys.clone(), &texts))
                .chain(repeat(None).take(statement_rows.len() - statement_keys.len() + unreadable.len())),
        );
        texts.into_inner().finish(codes)
    };
    let names = |names: Vec<&str>| -> ArrayRef { Arc::new(StringArray::from(names)) };
    let arrays: [ArrayRef; 20] = [
        dictionary(side.finish::<Int8Type>(), names(vec![Side::Ledger.name(), Side::Statement.name()])),
        Arc::new(index.finish::<UInt64Type>()),
        Arc::new(line.finish::<UInt64Type>()),
        trade_id,
        rrn,
        terminal,
        dictionary(class.finish::<Int8Type>(), names(Class::ALL.iter().map(|c| c.name()).collect())),
        findings,
        Arc::new(partner.finish::<UInt64Type>()),
        dictionary(matched_by.finish::<Int8Type>(), names(MATCHED_BY.iter().map(|m| m.name()).collect())),
        money_array(amount, 2),
        money_array(fee, 5),
        money_array(net, 5),
        money_array(expected, 5),
        reason,
        charged_rate.finish(),
        money_array(charged_fixed, 5),
        money_array(charged_cap, 5),
        merchant_no,
        agent,
    ];
    batch(REPORT_CSV_COLUMNS.into_iter().zip(arrays).collect())
}

#[cfg(test)]
mod tests {
    use arrow_array::cast::AsArray;

    use std::ops::Range;
    use std::sync::Arc;

    use arrow_array::builder::{Decimal128Builder, StringBuilder, UInt64Builder};
    use arrow_array::{Array, ArrayRef, RecordBatch};
    use arrow_schema::DataType;
    use proptest::prelude::*;

    use super::{money_array, money_builder, report_batch, sparse_money, Dictionary, PartText, SparseValues};
    use crate::lang::Lang;
    use crate::money::Money;
    use crate::reconcile::simulation::{generate, generate_portfolio, PortfolioOptions, SimulationOptions};
    use crate::reconcile::text_column::TextView;
    use crate::reconcile::TextColumn;
    use crate::reconcile::{
        read_bank_csv, read_ledger_csv, reconcile, write_bank_csv, write_ledger_csv, ColumnMap, Ledger, ReconcileOptions, Report, Side,
        Statement, REPORT_CSV_COLUMNS,
    };

    #[test]
    fn a_dictionary_holds_each_text_once_whatever_the_order_of_its_keys() {
        let mut dictionary: Dictionary<&str> = Dictionary::new(6);
        let mut made = Vec::new();
        for key in ["a", "a", "b", "a", "b", "b"] {
            dictionary.push(key, || {
                made.push(key);
                key.to_uppercase()
            });
        }
        assert_eq!(made, ["a", "b"], "each text is made once, on its key's first row");
        let array = dictionary.finish();
        let array = array.as_dictionary::<arrow_array::types::Int32Type>();
        assert_eq!(array.keys().values().to_vec(), [0, 0, 1, 0, 1, 1]);
        assert_eq!(array.values().as_string::<i32>().iter().flatten().collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(array.len(), 6);
    }

    #[test]
    fn equal_texts_held_at_different_places_are_one_key() {
        let (first, second) = (String::from("matched"), String::from("matched"));
        let mut dictionary: Dictionary<&str> = Dictionary::new(3);
        for key in [first.as_str(), second.as_str(), first.as_str()] {
            dictionary.push(key, || key.to_string());
        }
        let array = dictionary.finish();
        let array = array.as_dictionary::<arrow_array::types::Int32Type>();
        assert_eq!(array.keys().values().to_vec(), [0, 0, 0]);
        assert_eq!(array.values().len(), 1);
    }

    #[test]
    fn sparse_columns_read_as_their_builders_would() {
        let patterns: [&[Option<i64>]; 7] = [
            &[],
            &[None],
            &[None, None, None, None, None, None],
            &[Some(5)],
            &[None, None, Some(-7), None, Some(12_345_678), None],
            &[Some(1), None, None, None, None, None],
            &[None, None, None, None, None, Some(0)],
        ];
        // Around the 64-row words of the null bitmap: a null on either side of a word's end,
        // whole words valid, a last word part full.
        let long: Vec<Vec<Option<i64>>> = [(64, 0), (64, 63), (65, 64), (128, 127), (130, 7), (200, 64)]
            .into_iter()
            .map(|(rows, every)| {
                (0..rows).map(|k: i64| if every > 0 && k % every == every - 1 { None } else { Some(k * 3 - 90) }).collect()
            })
            .collect();
        for pattern in patterns.into_iter().chain(long.iter().map(Vec::as_slice)) {
            // Fewer rows made than pushed: the rows past them are added.
            let (mut sparse, mut eager) = (SparseValues::<i128>::new(pattern.len() / 2), money_builder(pattern.len(), 5));
            let (mut sparse_text, mut eager_text) = (PartText::new(pattern.len(), 0), StringBuilder::new());
            for &value in pattern {
                let money = value.map(|fen| Money::try_from_fen(fen).unwrap());
                sparse.push(sparse_money(money));
                eager.append_option(money.map(|m| i128::from(m.millifen())));
                let text = value.map(|v| if v > 100 { "一二三" } else { "" });
                sparse_text.push(text);
                eager_text.append_option(text);
            }
            let (sparse, eager): (ArrayRef, ArrayRef) = (money_array(sparse, 5), Arc::new(eager.finish()));
            assert_eq!(sparse.as_ref(), eager.as_ref(), "money {pattern:?}");
            assert_eq!(sparse.data_type(), eager.data_type());
            let (sparse_text, eager_text): (ArrayRef, ArrayRef) = (sparse_text.finish(), Arc::new(eager_text.finish()));
            assert_eq!(sparse_text.as_ref(), eager_text.as_ref(), "text {pattern:?}");
            assert_eq!(sparse_text.null_count(), pattern.iter().filter(|v| v.is_none()).count());
        }
    }

    /// A report's rows `range` built a row at a time from [`Report::row`] with Arrow's own
    /// builders (the few-valued columns as plain text): what the columns of `report_batch`
    /// hold.
    fn rows_one_by_one(report: &Report, ledger: &Ledger, statement: &Statement, range: Range<usize>, lang: Lang) -> Vec<ArrayRef> {
        let n = range.len();
        let mut texts: Vec<StringBuilder> = (0..11).map(|_| StringBuilder::new()).collect();
        let mut numbers: Vec<UInt64Builder> = (0..3).map(|_| UInt64Builder::new()).collect();
        let mut money: Vec<Decimal128Builder> = (0..6).map(|k| money_builder(n, if k == 0 { 2 } else { 5 })).collect();
        for k in range {
            let row = report.row(k).unwrap();
            let keys = match (row.side, row.index) {
                (Side::Ledger, Some(i)) => [Some(ledger.trade_ids().get(i)), Some(ledger.rrns().get(i)), Some(ledger.terminals().get(i))],
                (Side::Statement, Some(j)) => [None, Some(statement.rrns().get(j)), Some(statement.terminals().get(j))],
                _ => [None, None, None],
            };
            let findings = row.findings.names_text();
            let charged_rate = row.charged_as.map(|c| c.rate.to_string());
            let values = [
                Some(row.side.name()),
                keys[0],
                keys[1],
                keys[2],
                Some(row.class.name()),
                Some(findings.as_str()),
                row.matched_by.map(|m| m.name()),
                Some(report.reason_in(k, lang).unwrap()),
                charged_rate.as_deref(),
                Some(row.merchant_no),
                Some(row.agent),
            ];
            for (builder, value) in texts.iter_mut().zip(values) {
                builder.append_option(value);
            }
            for (builder, value) in numbers.iter_mut().zip([row.index.map(|i| i as u64), Some(row.line), row.partner.map(|p| p as u64)]) {
                builder.append_option(value);
            }
            let amounts = [
                Some(row.amount.millifen() as i128 / 1_000),
                row.fee.map(|m| i128::from(m.millifen())),
                row.net.map(|m| i128::from(m.millifen())),
                row.expected_fee.map(|m| i128::from(m.millifen())),
                row.charged_as.map(|c| i128::from(c.fixed.millifen())),
                row.charged_as.and_then(|c| c.cap).map(|m| i128::from(m.millifen())),
            ];
            for (builder, value) in money.iter_mut().zip(amounts) {
                builder.append_option(value);
            }
        }
        let mut text = texts.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
        let mut number = numbers.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
        let mut amount = money.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
        let next = |from: &mut dyn Iterator<Item = ArrayRef>| from.next().unwrap();
        // In the order of REPORT_CSV_COLUMNS.
        vec![
            next(&mut text),
            next(&mut number),
            next(&mut number),
            next(&mut text),
            next(&mut text),
            next(&mut text),
            next(&mut text),
            next(&mut text),
            next(&mut number),
            next(&mut text),
            next(&mut amount),
            next(&mut amount),
            next(&mut amount),
            next(&mut amount),
            next(&mut text),
            next(&mut text),
            next(&mut amount),
            next(&mut amount),
            next(&mut text),
            next(&mut text),
        ]
    }

    /// The columns of a batch with the dictionaries cast to plain text.
    fn plain(batch: &RecordBatch) -> Vec<ArrayRef> {
        batch
            .columns()
            .iter()
            .map(|column| match column.data_type() {
                DataType::Dictionary(..) => arrow_cast::cast(column, &DataType::Utf8).unwrap(),
                _ => Arc::clone(column),
            })
            .collect()
    }

    /// A sample's tables written as CSV with `bad` unreadable lines among the rows of each,
    /// and read back: a report of them has every kind of row, unreadable lines too.
    fn with_unreadable_lines(ledger: &Ledger, statement: &Statement, bad: usize) -> (Ledger, Statement) {
        let spoil = |text: String, line: &str| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for k in 0..bad {
                let at = 1 + (k * 7919) % lines.len();
                lines.insert(at.min(lines.len()), line.to_string());
            }
            lines.join("\n") + "\n"
        };
        let ledger =
            read_ledger_csv(spoil(write_ledger_csv(ledger), "X1,,,,,not a time,1.00,credit,,,,").as_bytes(), "ledger.csv").unwrap();
        let statement_text =
            spoil(write_bank_csv(statement), "20260301,102310058120001,店,T1,20260301,999999,1.00,0.01,0.99,1,借记卡,消费");
        let statement = read_bank_csv(statement_text.as_bytes(), "statement.csv", &ColumnMap::default()).unwrap();
        (ledger, statement)
    }

    /// Terminals held as plain text (a table of more terminals than an interned column keeps,
    /// or one made of columns) make the same dictionary column as interned ones.
    #[test]
    fn terminals_held_as_plain_text_read_as_interned_ones() {
        let sample = generate(&SimulationOptions::new(11).trades(300).faults_per_class(2)).unwrap();
        let plain_text = |column: &TextColumn| {
            let mut plain = TextColumn::default();
            column.iter().for_each(|value| plain.push(value).unwrap());
            assert!(!matches!(plain.view(), TextView::Interned { .. }));
            plain
        };
        let (mut ledger, mut statement) = (sample.ledger.clone(), sample.statement.clone());
        assert!(matches!(ledger.terminal.view(), TextView::Interned { .. }));
        ledger.terminal = plain_text(&ledger.terminal);
        statement.terminal = plain_text(&statement.terminal);
        for (ledger, statement) in [(&ledger, &sample.statement), (&sample.ledger, &statement), (&ledger, &statement)] {
            let report = reconcile(ledger, statement, &sample.options).unwrap();
            let batch = report_batch(&report, ledger, statement, 0..report.len(), Lang::En);
            assert_eq!(plain(&batch), rows_one_by_one(&report, ledger, statement, 0..report.len(), Lang::En));
            let terminals = batch.column_by_name("terminal").unwrap().as_dictionary::<arrow_array::types::Int32Type>();
            assert_eq!(terminals.values().len(), sample.ledger.terminals().iter().collect::<std::collections::BTreeSet<_>>().len());
        }
    }

    #[test]
    fn a_report_with_an_empty_side_holds_its_rows() {
        let sample = generate(&SimulationOptions::new(5).trades(80)).unwrap();
        let (empty_ledger, empty_statement) = (Ledger::new("ledger.csv"), Statement::new("statement.csv"));
        for (ledger, statement) in
            [(&empty_ledger, &sample.statement), (&sample.ledger, &empty_statement), (&empty_ledger, &empty_statement)]
        {
            let report = reconcile(ledger, statement, &sample.options).unwrap();
            let batch = report_batch(&report, ledger, statement, 0..report.len(), Lang::En);
            let expected = rows_one_by_one(&report, ledger, statement, 0..report.len(), Lang::En);
            assert_eq!(plain(&batch), expected);
            assert_eq!(
                super::report_batches(&report, ledger, statement, Lang::En).iter().map(RecordBatch::num_rows).sum::<usize>(),
                report.len()
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Any part of any report, built a column at a time, holds what its rows hold, in
        /// both languages: a single merchant's report with every class and unreadable lines
        /// on both sides, and a portfolio's (merchant numbers and agents by contract).
        #[test]
        fn a_part_of_a_report_holds_its_rows(
            seed in 0u64..1_000,
            trades in 20usize..300,
            bad in 0usize..4,
            portfolio in any::<bool>(),
            cuts in prop::collection::vec(0usize..=1_000, 0..4),
            chinese in any::<bool>(),
        ) {
            let (ledger, statement, options) = if portfolio {
                let sample = generate_portfolio(&PortfolioOptions::new(seed).merchants(3).trades_per_merchant(trades / 3 + 2)).unwrap();
                (sample.ledger, sample.statement, ReconcileOptions::portfolio(sample.registry).unwrap())
            } else {
                let sample = generate(&SimulationOptions::new(seed).trades(trades).faults_per_class(2)).unwrap();
                (sample.ledger, sample.statement, sample.options)
            };
            let (ledger, statement) = with_unreadable_lines(&ledger, &statement, bad);
            // (Read from text, the trade ids are of one width, held without offsets.)
            prop_assert!(ledger.trade_id.is_fixed_width());
            let report = reconcile(&ledger, &statement, &options).unwrap();
            prop_assert_eq!(report.unreadable.len(), 2 * bad, "every bad line is a row of its own");
            prop_assert!(!portfolio || (0..report.len()).any(|k| !report.row(k).unwrap().agent.is_empty()));
            let lang = if chinese { Lang::Zh } else { Lang::En };
            let n = report.len();
            let mut bounds: Vec<usize> = cuts.iter().map(|cut| cut * n / 1_000).chain([0, n]).collect();
            bounds.sort_unstable();
            for range in bounds.windows(2).map(|w| w[0]..w[1]) {
                let batch = report_batch(&report, &ledger, &statement, range.clone(), lang);
                prop_assert_eq!(batch.num_rows(), range.len());
                let names: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
                prop_assert_eq!(names, REPORT_CSV_COLUMNS.map(str::to_string).to_vec());
                let expected = rows_one_by_one(&report, &ledger, &statement, range.clone(), lang);
                for ((name, got), expected) in REPORT_CSV_COLUMNS.iter().zip(plain(&batch)).zip(expected) {
                    prop_assert_eq!(got.as_ref(), expected.as_ref(), "column {} of rows {:?}", name, range);
                }
            }
        }
    }
}
