//! Ledgers, statements and reports as Arrow record batches: money as `decimal128` (scale 2
//! for trade amounts, 5 for fees and nets), times as second timestamps at `+08:00`,
//! settlement dates as `date32`: the schemas follow from [`LEDGER_COLUMNS`] and
//! [`STATEMENT_COLUMNS`] (the type of each [`ColumnType`]); a report has the columns of
//! [`REPORT_CSV_COLUMNS`].

use std::hash::Hash;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, StringBuilder, TimestampSecondBuilder};
use arrow_array::types::{ArrowPrimitiveType, Decimal128Type, Int32Type, UInt64Type};
use arrow_array::{ArrayRef, Date32Array, DictionaryArray, Int32Array, PrimitiveArray, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_buffer::{ArrowNativeType, BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::lang::Lang;
use crate::money::Money;
use crate::reconcile::hash::FxHashMap;
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
        let row = self.valid.len;
        if row == self.values.len() {
            self.values.push(T::default());
        }
        if let (Some(value), Some(slot)) = (value.filter(|value| *value != T::default()), self.values.get_mut(row)) {
            *slot = value;
        }
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
        self.word |= u64::from(valid) << (self.len % 64);
        self.nulls += usize::from(!valid);
        self.len += 1;
        if self.len % 64 == 0 {
            // Stored little-endian: Arrow's bitmaps are bytes, the first row in the first.
            self.words.push(self.word.to_le());
            self.word = 0;
        }
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

/// Money (exact, scale 5) as a [`SparseValues`] column's value.
fn sparse_money(money: Option<Money>) -> Option<i128> {
    money.map(|money| money_value(money, 5))
}

/// A money column of a part, of `scale` places (as [`money_builder`]'s).
fn money_array(values: SparseValues<i128>, scale: i8) -> ArrayRef {
    Arc::new(values.finish::<Decimal128Type>().with_precision_and_scale(money_precision(scale), scale).expect("valid decimal type"))
}

/// A text column that may have no value at all in a part (a statement part's trade ids, the
/// charged rate where no rate rose): it counts the nulls before its first value and makes
/// its builder only then; a column without a value is offsets of zeros from the allocator,
/// never written.
struct SparseText {
    rows: usize,
    nulls: usize,
    builder: Option<StringBuilder>,
}

impl SparseText {
    fn new(rows: usize) -> SparseText {
        SparseText { rows, nulls: 0, builder: None }
    }

    #[inline]
    fn push(&mut self, value: Option<&str>) {
        match (value, &mut self.builder) {
            (None, None) => self.nulls += 1,
            (value, Some(builder)) => builder.append_option(value),
            (Some(value), None) => {
                let mut builder = StringBuilder::with_capacity(self.rows, self.rows * 12);
                (0..self.nulls).for_each(|_| builder.append_null());
                builder.append_value(value);
                self.builder = Some(builder);
            }
        }
    }

    fn finish(self) -> ArrayRef {
        match self.builder {
            Some(mut builder) => Arc::new(builder.finish()),
            None => {
                let offsets = OffsetBuffer::new(ScalarBuffer::from(vec![0i32; self.nulls + 1]));
                Arc::new(StringArray::new(offsets, Buffer::from(Vec::<u8>::new()), Some(NullBuffer::new_null(self.nulls))))
            }
        }
    }
}

/// Keys into a dictionary of texts, the texts added as they first appear (found by `key`).
/// Most rows repeat the key of the row before (one merchant, one reason for a run of `ok`
/// rows): that key is compared first, without hashing it again.
struct Dictionary<K> {
    keys: SparseValues<i32>,
    index: FxHashMap<K, i32>,
    last: Option<(K, i32)>,
    values: StringBuilder,
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

impl<K: DictionaryKey> Dictionary<K> {
    fn new(rows: usize) -> Self {
        Dictionary { keys: SparseValues::new(rows), index: FxHashMap::default(), last: None, values: StringBuilder::new() }
    }

    /// Appends the text that `key` stands for (`text()` is called only the first time).
    fn push(&mut self, key: K, text: impl FnOnce() -> String) {
        let at = match self.last {
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
        };
        self.keys.push(Some(at));
    }

    /// Appends a null.
    fn push_null(&mut self) {
        self.keys.push(None);
    }

    fn finish(mut self) -> ArrayRef {
        dictionary(self.keys.finish(), Arc::new(self.values.finish()))
    }
}

/// A dictionary array of `keys` (nullable) into `values`.
fn dictionary(keys: Int32Array, values: ArrayRef) -> ArrayRef {
    Arc::new(DictionaryArray::<Int32Type>::try_new(keys, values).expect("keys within the values"))
}

/// The rows `range` of the report as one batch.
fn report_batch(report: &Report, ledger: &Ledger, statement: &Statement, range: Range<usize>, lang: Lang) -> RecordBatch {
    let n = range.len();
    let text = || StringBuilder::with_capacity(n, n * 12);
    let (mut trade_id, mut rrn, mut terminal) = (SparseText::new(n), text(), text());
    let (mut side, mut class, mut matched_by) = (SparseValues::new(n), SparseValues::new(n), SparseValues::new(n));
    let mut findings: Dictionary<ClassSet> = Dictionary::new(n);
    let mut reason: Dictionary<&str> = Dictionary::new(n);
    let (mut merchant_no, mut agent): (Dictionary<&str>, Dictionary<&str>) = (Dictionary::new(n), Dictionary::new(n));
    let (mut index, mut line, mut partner) = (SparseValues::new(n), SparseValues::new(n), SparseValues::new(n));
    let money = || SparseValues::<i128>::new(n);
    let mut amount = money();
    let (mut fee, mut net, mut expected, mut charged_fixed, mut charged_cap) = (money(), money(), money(), money(), money());
    let mut charged_rate = SparseText::new(n);
    const MATCHED_BY: [MatchedBy; 2] = [MatchedBy::Reference, MatchedBy::TimeWindow];
    let (trade_ids, ledger_rrns, ledger_terminals) = (ledger.trade_ids().view(), ledger.rrns().view(), ledger.terminals().view());
    let (statement_rrns, statement_terminals) = (statement.rrns().view(), statement.terminals().view());
    for k in range {
        let Some(row) = report.row(k) else { continue };
        side.push(Some(if row.side == Side::Ledger { 0 } else { 1 }));
        index.push(row.index.map(|i| i as u64));
        line.push(Some(row.line));
        class.push(Class::ALL.iter().position(|&c| c == row.class).map(|c| c as i32));
        findings.push(row.findings, || row.findings.iter().map(|f| f.name()).collect::<Vec<_>>().join(";"));
        partner.push(row.partner.map(|i| i as u64));
        matched_by.push(row.matched_by.and_then(|m| MATCHED_BY.iter().position(|&b| b == m)).map(|m| m as i32));
        amount.push(Some(money_value(row.amount, 2)));
        fee.push(sparse_money(row.fee));
        net.push(sparse_money(row.net));
        expected.push(sparse_money(row.expected_fee));
        charged_rate.push(row.charged_as.map(|c| c.rate.to_string()).as_deref());
        merchant_no.push(row.merchant_no, || row.merchant_no.to_string());
        agent.push(row.agent, || row.agent.to_string());
        charged_fixed.push(sparse_money(row.charged_as.map(|c| c.fixed)));
        charged_cap.push(sparse_money(row.charged_as.and_then(|c| c.cap)));
        let row_reason = report.reason_in(k, lang).unwrap_or_default();
        reason.push(row_reason, || row_reason.to_string());
        // The input row's keys, read straight from its table (null where a row has none).
        let (row_trade_id, row_rrn, row_terminal) = match (row.side, row.index) {
            (Side::Ledger, Some(i)) if i < ledger.len() => {
                (Some(trade_ids.get(i)), Some(ledger_rrns.get(i)), Some(ledger_terminals.get(i)))
            }
            (Side::Statement, Some(j)) if j < statement.len() => (None, Some(statement_rrns.get(j)), Some(statement_terminals.get(j))),
            _ => (None, None, None),
        };
        trade_id.push(row_trade_id);
        rrn.append_option(row_rrn);
        terminal.append_option(row_terminal);
    }
    let names = |names: Vec<&str>| -> ArrayRef { Arc::new(StringArray::from(names)) };
    let arrays: [ArrayRef; 20] = [
        dictionary(side.finish(), names(vec![Side::Ledger.name(), Side::Statement.name()])),
        Arc::new(index.finish::<UInt64Type>()),
        Arc::new(line.finish::<UInt64Type>()),
        trade_id.finish(),
        Arc::new(rrn.finish()),
        Arc::new(terminal.finish()),
        dictionary(class.finish(), names(Class::ALL.iter().map(|c| c.name()).collect())),
        findings.finish(),
        Arc::new(partner.finish::<UInt64Type>()),
        dictionary(matched_by.finish(), names(MATCHED_BY.iter().map(|m| m.name()).collect())),
        money_array(amount, 2),
        money_array(fee, 5),
        money_array(net, 5),
        money_array(expected, 5),
        reason.finish(),
        charged_rate.finish(),
        money_array(charged_fixed, 5),
        money_array(charged_cap, 5),
        merchant_no.finish(),
        agent.finish(),
    ];
    batch(REPORT_CSV_COLUMNS.into_iter().zip(arrays).collect())
}

#[cfg(test)]
mod tests {
    use arrow_array::cast::AsArray;

    use std::sync::Arc;

    use arrow_array::builder::StringBuilder;
    use arrow_array::{Array, ArrayRef};

    use super::{money_array, money_builder, sparse_money, Dictionary, SparseText, SparseValues};
    use crate::money::Money;

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
            let (mut sparse_text, mut eager_text) = (SparseText::new(pattern.len()), StringBuilder::new());
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
}
