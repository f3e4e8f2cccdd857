//! The row path: each row of a batch built and checked by the core's `push_row` (through
//! `extend_rows`), so that every bad row gets its own error or, with
//! [`OnInvalid::Report`], its own [`ReadIssue`](crate::reconcile::ReadIssue).

use arrow_array::RecordBatch;

use super::values::{BatchColumns, Side, LEDGER, STATEMENT};
use super::ArrowReadError;
use crate::error::{Error, ErrorKind, Location};
use crate::money::Money;
use crate::quote_table::OnInvalid;
use crate::reconcile::read::{parse_card_channel, parse_kind, APPROVED};
use crate::reconcile::schema::{Ledger, LedgerRow, Statement, StatementRow};
use crate::text::trim;
use crate::{CardType, Channel};

/// A value a row must have: a null (or, for text, only spaces) is the CSV readers' error for
/// an empty cell.
fn required<T>(value: Option<T>, column: &str) -> Result<T, Error> {
    value.ok_or_else(|| Error::new(ErrorKind::InvalidRecord, format!("{column} is empty")).in_field(column))
}

/// Text that may be empty (a null reads as empty).
fn optional(value: Option<&str>) -> Option<&str> {
    value.filter(|text| !trim(text).is_empty())
}

fn located(error: Error, name: &str, row: u64, column: &str) -> Error {
    let error = if error.location().field.is_none() { error.in_field(column) } else { error };
    error.at(Location::default().file(name).line(row))
}

/// What becomes of a row that cannot be read: it stops the conversion (`Raise`), or is kept
/// by `keep` as an issue whose raw text names the row (`Report`).
fn reject(on_invalid: OnInvalid, error: Error, keep: impl FnOnce(Error, String)) -> Result<(), Error> {
    match on_invalid {
        OnInvalid::Raise => Err(error),
        OnInvalid::Report => {
            let raw = format!("row {}", error.location().line.unwrap_or_default());
            keep(error, raw);
            Ok(())
        }
    }
}

/// Appends the rows of a batch to a ledger. `first_row` is the 0-based row number of the
/// batch's first row in the whole input.
pub(super) fn push_ledger_batch(
    ledger: &mut Ledger,
    batch: &RecordBatch,
    first_row: u64,
    on_invalid: OnInvalid,
) -> Result<(), ArrowReadError> {
    const SIDE: Side = LEDGER;
    let columns = BatchColumns::new(SIDE, batch, first_row);
    let trade_id = columns.text("trade_id")?;
    let time = columns.time("time")?;
    let amount = columns.money("amount")?;
    let channel = columns.text("channel")?;
    let rrn = columns.text("rrn")?;
    let trace = columns.text("trace")?;
    let terminal = columns.text("terminal")?;
    let merchant_no = columns.text("merchant_no")?;
    let card_type = columns.text("card_type")?;
    let kind_column = columns.text("kind")?;
    let response_code = columns.text("response_code")?;
    let original_rrn = columns.text("original_rrn")?;
    let name = ledger.name().to_string();
    let build = |row: usize| -> Result<LedgerRow<'_>, Error> {
        let line = first_row + row as u64 + 1;
        (|| -> Result<LedgerRow<'_>, Error> {
            // The checks in the order of the CSV reader (`read_ledger_csv`), so that a row with
            // several bad values gets the same error from both.
            let trade_id = trim(required(optional(trade_id.get(row)), "trade_id")?);
            let time = required(time.get(row).map_err(|e| located(e, &name, line, "time"))?, "time")?;
            let amount = required(amount.get(row, true).map_err(|e| located(e, &name, line, "amount"))?, "amount")?;
            let channel =
                Channel::parse(required(optional(channel.get(row)), "channel")?).map_err(|e| located(e, &name, line, "channel"))?;
            let card_type = match optional(card_type.get(row)) {
                Some(card) => Some(CardType::parse(card).map_err(|e| located(e, &name, line, "card_type"))?),
                None => None,
            };
            Ok(LedgerRow {
                trade_id,
                rrn: rrn.get(row).unwrap_or(""),
                trace: trim(trace.get(row).unwrap_or("")),
                terminal: terminal.get(row).unwrap_or(""),
                merchant_no: merchant_no.get(row).unwrap_or(""),
                time,
                amount,
                channel,
                card_type,
                kind: parse_kind(kind_column.get(row).unwrap_or("")).map_err(|e| located(e, &name, line, "kind"))?,
                // A ledger row without a response code was approved (LedgerRecord's default).
                response_code: optional(response_code.get(row)).unwrap_or(APPROVED),
                original_rrn: original_rrn.get(row).unwrap_or(""),
                line,
            })
        })()
        .map_err(|e| e.at(Location::default().file(name.clone()).line(line)))
    };
    ledger.extend_rows(batch.num_rows(), build, |ledger, error| reject(on_invalid, error, |error, raw| ledger.push_issue(error, raw)))?;
    Ok(())
}

/// Appends the rows of a batch to a statement.
pub(super) fn push_statement_batch(
    statement: &mut Statement,
    batch: &RecordBatch,
    first_row: u64,
    on_invalid: OnInvalid,
) -> Result<(), ArrowReadError> {
    const SIDE: Side = STATEMENT;
    let columns = BatchColumns::new(SIDE, batch, first_row);
    let settlement_date = columns.time("settlement_date")?;
    let time = columns.time("time")?;
    let amount = columns.money("amount")?;
    let fee = columns.money("fee")?;
    let net = columns.money("net")?;
    let channel = columns.text("channel")?;
    let merchant_no = columns.text("merchant_no")?;
    let merchant_name = columns.text("merchant_name")?;
    let terminal = columns.text("terminal")?;
    let batch_number = columns.text("batch")?;
    let rrn = columns.text("rrn")?;
    let kind_column = columns.text("kind")?;
    let name = statement.name().to_string();
    let build = |row: usize| -> Result<StatementRow<'_>, Error> {
        let line = first_row + row as u64 + 1;
        (|| -> Result<StatementRow<'_>, Error> {
            // The checks in the order of the statement reader (`read_statement`).
            let kind = parse_kind(kind_column.get(row).unwrap_or("")).map_err(|e| located(e, &name, line, "kind"))?;
            // Read as any money: whole fen and the range are checked by push_row, after the
            // other values, as the statement reader does.
            let amount = required(amount.get(row, false).map_err(|e| located(e, &name, line, "amount"))?, "amount")?;
            let date = settlement_date.date(row).map_err(|e| located(e, &name, line, "settlement_date"))?;
            let time = required(time.get(row).map_err(|e| located(e, &name, line, "time"))?, "time")?;
            // A row without a settlement date settles on its trade date (China time), as in a file.
            let date = date.unwrap_or_else(|| time.date_naive());
            let fee = required(fee.get(row, false).map_err(|e| located(e, &name, line, "fee"))?, "fee")?;
            let net = match net.get(row, false).map_err(|e| located(e, &name, line, "net"))? {
                Some(net) => net,
                // No net (no column, or an empty cell): the signed amount less the fee, as the
                // readers derive it; Money::MAX stands in for a net beyond range (push_row
                // rejects it).
                None => kind.net(amount, fee).unwrap_or(Money::MAX),
            };
            let channel =
                parse_card_channel(required(optional(channel.get(row)), "channel")?).map_err(|e| located(e, &name, line, "channel"))?;
            Ok(StatementRow {
                settlement_date: date,
                merchant_no: merchant_no.get(row).unwrap_or(""),
                merchant_name: merchant_name.get(row).unwrap_or(""),
                terminal: terminal.get(row).unwrap_or(""),
                batch: batch_number.get(row).unwrap_or(""),
                rrn: rrn.get(row).unwrap_or(""),
                time,
                amount,
                fee,
                net,
                channel,
                kind,
                line,
            })
        })()
        .map_err(|e| e.at(Location::default().file(name.clone()).line(line)))
    };
    statement.extend_rows(batch.num_rows(), build, |statement, error| {
        reject(on_invalid, error, |error, raw| statement.push_issue(error, raw))
    })?;
    Ok(())
}
