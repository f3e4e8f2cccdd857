//! A chunk of a canonical ledger CSV read a column at a time: the ledger reader's fast path.
//!
//! The row path ([`LedgerReader`](super::read)) converts each record in turn, through a
//! `LedgerRow` and [`Ledger::push_row`]. Here the records of a block are cut first
//! ([`cells`](super::cells)), then each column is converted in a loop of its own over the
//! block (times, then amounts, ...).
//!
//! The outcome is the row path's, or nothing: a block whose values do not all convert, or
//! whose rows the row path would refuse (a missing value, a bad time or amount, a void without
//! its original reference, text past a column's limit, a record that needed unescaping) makes
//! [`read_by_columns`] give up; the caller then reads the whole chunk again by rows, which
//! gives each bad row its error. The tests read the same text both ways and compare.

use super::cells::{by_blocks, Cells};
use super::read::{fast_time, ledger_card_type, ledger_response_code, parse_kind, ChannelMemo, APPROVED};
use super::schema::{check_amount, check_original, check_time, LEDGER_TEXT};
use super::tokenize::{Dialect, Known};
use super::Ledger;
use crate::channel::Channel;
use crate::money::Money;
use crate::text::trim;

/// Reads the records of `text` (whole records, the first on line `first_line`) into `ledger`
/// (empty) a block at a time, `column` giving each canonical column's field; returns the line
/// after the text. `None` when a record cannot be taken this way (see the module's text), with
/// `ledger` emptied again (its room kept).
pub(super) fn read_by_columns(
    text: &str,
    first_line: u64,
    known: Known,
    column: &[Option<usize>],
    channels: &mut ChannelMemo,
    ledger: &mut Ledger,
) -> Option<u64> {
    let after = by_blocks(text, first_line, Dialect::csv(true), known, column, |block| convert(block, text, channels, ledger));
    if after.is_none() {
        ledger.clear();
    }
    after
}

/// Appends a block's rows to `ledger`, a column at a time, with the checks of
/// [`Ledger::push_row`]; `None` at the first value the row path would refuse (the columns
/// are then of different lengths: the caller empties the ledger).
fn convert(block: &Cells, text: &str, channels: &mut ChannelMemo, ledger: &mut Ledger) -> Option<()> {
    let rows = block.rows();
    // Every value fits when the block's text together does.
    let block_bytes = block.bytes() + APPROVED.len() * rows;
    if ledger.text_columns().into_iter().any(|column| !column.has_room(block_bytes)) {
        return None;
    }
    let required = |value: &'_ str| (!value.is_empty()).then_some(());
    for value in block.column(text, 5) {
        required(value)?;
        ledger.time.push(check_time(fast_time(value).ok()?.0).ok()?);
    }
    for value in block.column(text, 6) {
        required(value)?;
        ledger.amount_fen.push(check_amount(Money::parse_amount(value).ok()?).ok()?);
    }
    for value in block.column(text, 7) {
        required(value)?;
        ledger.channel.push(channels.channel(value, Channel::parse).ok()?);
    }
    for value in block.column(text, 8) {
        ledger.card_type.push(ledger_card_type(value).ok()?);
    }
    for value in block.column(text, 9) {
        ledger.kind.push(parse_kind(value).ok()?);
    }
    let kinds = ledger.kind.get(ledger.kind.len().checked_sub(rows)?..)?;
    let (trade_id_at, original_rrn_at) = (block.place(0), block.place(11));
    for (row, &kind) in kinds.iter().enumerate() {
        let trade_id = block.value(text, row, trade_id_at);
        required(trade_id)?;
        check_original(kind, trade_id, block.value(text, row, original_rrn_at)).ok()?;
    }
    // Text columns, trimmed as `push_row` trims them.
    for (column, (k, trimmed)) in ledger.text_columns().into_iter().zip(LEDGER_TEXT) {
        for value in block.column(text, k) {
            let value = if k == 10 { ledger_response_code(value) } else { value };
            column.push_fitting(if trimmed { trim(value) } else { value });
        }
    }
    for &line in block.lines() {
        ledger.line.push(line);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::read_ledger_csv;
    use proptest::prelude::*;

    /// The ledger read through the row path alone.
    fn by_rows(text: &str) -> Ledger {
        crate::reconcile::read::read_ledger_by_rows(text.as_bytes(), "l.csv").expect("a header")
    }

    fn same(a: &Ledger, b: &Ledger) {
        assert_eq!(a.len(), b.len());
        for row in 0..a.len() {
            assert_eq!(format!("{:?}", a.record(row)), format!("{:?}", b.record(row)), "row {row}");
        }
        let issues = |l: &Ledger| l.issues().iter().map(|i| (i.error.to_string(), i.raw.clone())).collect::<Vec<_>>();
        assert_eq!(issues(a), issues(b));
    }

    const HEADER: &str = "trade_id,rrn,trace,terminal,merchant_no,time,amount,channel,card_type,kind,response_code,original_rrn\n";

    #[test]
    fn a_plain_chunk_is_read_by_columns_as_by_rows() {
        let mut text = HEADER.to_string();
        for k in 0..3000 {
            let kind = ["purchase", "消费", "void", "refund"][k % 4];
            let original = if k % 4 >= 2 { "602600000001" } else { "" };
            let code = ["00", "", " 05 "][k % 3];
            text += &format!(
                "A{k}, 6026{k:08} ,`{k:06},T000000{},102310058120001,2026-03-0{} 10:{:02}:00,{}.{:02},{},{},{kind},{code},{original}\r\n",
                k % 3,
                1 + k % 9,
                k % 60,
                k,
                k % 100,
                ["debit", "credit", "借记卡"][k % 3],
                ["", "", "credit"][k % 3],
            );
        }
        let ledger = read_ledger_csv(text.as_bytes(), "l.csv").unwrap();
        assert_eq!(ledger.len(), 3000);
        assert!(ledger.issues().is_empty());
        same(&ledger, &by_rows(&text));
        // All of it by columns (CRLF, a backtick, spaces to trim, blank codes read as `00`).
        let column: Vec<Option<usize>> = (0..12).map(Some).collect();
        let mut fast = Ledger::new("l.csv");
        let after = read_by_columns(&text[HEADER.len()..], 2, Known::default(), &column, &mut ChannelMemo::default(), &mut fast);
        assert_eq!((after, fast.len()), (Some(3002), 3000));
        same(&fast, &ledger);
    }

    #[test]
    fn a_bad_row_sends_its_chunk_to_the_rows() {
        // An amount that is not whole fen, a void without its original, a blank record: the
        // errors and lines the row path gives.
        let text = format!(
            "{HEADER}A1,1,1,T1,M,2026-03-01 10:00:00,1.00,debit,,purchase,00,\n,,,,,,,,,,,\nA2,2,2,T1,M,2026-03-01 10:00:00,1.005,debit,,purchase,00,\nA3,3,3,T1,M,2026-03-01 10:00:00,1.00,debit,,void,00,\n"
        );
        let ledger = read_ledger_csv(text.as_bytes(), "l.csv").unwrap();
        assert_eq!((ledger.len(), ledger.issues().len()), (1, 2));
        same(&ledger, &by_rows(&text));
        assert_eq!(ledger.issues()[0].error.location().line, Some(4));
    }

    #[test]
    fn the_fast_path_takes_a_plain_block_and_refuses_a_bad_one() {
        let column: Vec<Option<usize>> = (0..12).map(Some).collect();
        let known = Known::default();
        let good = "A1,1,1,T1,M,2026-03-01 10:00:00,1.00,debit,,purchase,00,\n";
        let mut ledger = Ledger::new("l.csv");
        assert_eq!(read_by_columns(good, 2, known, &column, &mut ChannelMemo::default(), &mut ledger), Some(3));
        assert_eq!(ledger.len(), 1);
        // A text that is no channel; an amount with a quote inside (unescaped: the row path).
        for bad in [
            "A1,1,1,T1,M,2026-03-01 10:00:00,1.00,cheque,,purchase,00,\n",
            "A1,1,1,T1,M,2026-03-01 10:00:00,\"1.0\"\"0\",debit,,purchase,00,\n",
        ] {
            let mut ledger = Ledger::new("l.csv");
            assert_eq!(read_by_columns(bad, 2, known, &column, &mut ChannelMemo::default(), &mut ledger), None, "{bad}");
            assert_eq!(ledger.len(), 0);
            assert_eq!(ledger.time.len() + ledger.amount_fen.len() + ledger.trade_id.len(), 0);
        }
    }

    fn cell() -> impl Strategy<Value = String> {
        // `'\t=1`: left with a tab before it by `clean` (a neutralized formula), which
        // `push_row` trims where it trims.
        let cells =
            vec!["", " ", "debit", "借记卡", "purchase", "refund", "2026-03-01 10:00:00", "12.34", "-1", "`601", "'\t=1", "\"q\"", "00"];
        prop_oneof![prop::sample::select(cells).prop_map(String::from), "[A-Z0-9 .:-]{0,12}"]
    }

    fn good_row() -> impl Strategy<Value = Vec<String>> {
        (0u32..100_000, 0u32..28, 0u32..86_400, 0u32..1_000_000, 0usize..3, 0usize..3).prop_map(|(id, day, second, fen, channel, kind)| {
            vec![
                format!("A{id}"),
                format!("{id:012}"),
                format!("{:06}", id % 1_000_000),
                format!("T{}", id % 3),
                "102310058120001".to_string(),
                format!("2026-02-{:02} {:02}:{:02}:{:02}", day + 1, second / 3600, second / 60 % 60, second % 60),
                format!("{}.{:02}", fen / 100, fen % 100),
                ["debit", "credit", "贷记卡"][channel].to_string(),
                String::new(),
                ["purchase", "refund", "撤销"][kind].to_string(),
                String::new(),
                if kind == 0 { String::new() } else { format!("{id:012}") },
            ]
        })
    }

    /// A row's cells, and the one changed (its column and value), if any.
    type Changed = (Vec<String>, Option<(usize, String)>);

    /// A ledger CSV of `rows`, lines ending in `end`.
    fn csv_of(rows: Vec<Changed>, end: &str) -> String {
        let mut text = HEADER.replace('\n', end);
        for (mut row, change) in rows {
            if let Some((k, value)) = change {
                row[k] = value;
            }
            text += &row.join(",");
            text += end;
        }
        text
    }

    /// A text cell any row takes (whatever its text, the row converts), without a quote (a
    /// record with one inside a field is unescaped: the row path's).
    fn text_cell() -> impl Strategy<Value = String> {
        let cells = vec!["", " x ", "'\t=1", "`0123", "\u{3000}全角\u{3000}"];
        prop_oneof![prop::sample::select(cells).prop_map(String::from), "[A-Za-z0-9 .:=+'`-]{1,12}"]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Good rows whose text cells (but the trade id's) are anything: read by columns, as
        /// the row path reads them (trimmed where `push_row` trims).
        #[test]
        fn text_cells_read_by_columns_as_by_rows(
            rows in prop::collection::vec((good_row(), prop::option::weighted(0.3, (prop::sample::select(vec![1usize, 2, 3, 4, 10]), text_cell()))), 1..500),
        ) {
            let text = csv_of(rows, "\n");
            let column: Vec<Option<usize>> = (0..12).map(Some).collect();
            let mut fast = Ledger::new("l.csv");
            let after = read_by_columns(&text[HEADER.len()..], 2, Known::default(), &column, &mut ChannelMemo::default(), &mut fast);
            prop_assert!(after.is_some());
            same(&fast, &by_rows(&text));
        }

        /// Rows mostly good, some cells replaced by anything: the reader (fast path or not)
        /// gives what the row path gives.
        #[test]
        fn any_rows_read_as_the_row_path_reads_them(
            rows in prop::collection::vec((good_row(), prop::option::weighted(0.05, (0usize..12, cell()))), 1..1500),
            crlf in any::<bool>(),
        ) {
            let text = csv_of(rows, if crlf { "\r\n" } else { "\n" });
            same(&read_ledger_csv(text.as_bytes(), "l.csv").unwrap(), &by_rows(&text));
        }
    }
}
