//! A CSV file of trades (the canonical columns, `posfee::TRADE_COLUMNS`) read into the
//! columns of a `posfee::TradeTable`; `quote --file` and `compare` share it.

use std::collections::HashMap;
use std::path::Path;

use posfee::{Location, RowError, TradeColumns, TradeDefaults, TradeText};

use crate::failure::Failure;
use crate::output;

/// The values a row takes when its cell is empty (or the file has no such column).
pub struct Defaults<'a> {
    pub at: Option<&'a str>,
    pub settlement: &'a str,
    pub merchant_class: Option<&'a str>,
    pub card_type: Option<&'a str>,
}

/// The trades of a file as the core's trade columns, with each row's line and text cells.
pub struct Trades {
    pub file: String,
    pub header: csv::StringRecord,
    /// Per row: its line in the file and its cells (as read).
    pub lines: Vec<u64>,
    pub fields: Vec<Vec<String>>,
    /// The rows' values; a row whose text could not be read has its error there.
    pub columns: TradeColumns,
}

/// The columns of the input file.
struct Columns {
    amount: usize,
    channel: usize,
    time: Option<usize>,
    settlement: Option<usize>,
    merchant_class: Option<usize>,
    card_type: Option<usize>,
}

fn now() -> String {
    posfee::china_now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Trades {
    /// Reads `path`. A header without `amount`, `channel` or (without a default time)
    /// `time` is an error; a row whose text cannot be read keeps its error in `columns`.
    pub fn read(path: &Path, defaults: &Defaults<'_>) -> Result<Trades, Failure> {
        let bytes = output::read_file(path)?;
        let file = path.display().to_string();
        let at = |line: u64| Location::default().file(file.clone()).line(line);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
        let header = reader.headers().map_err(|e| Failure::record(format!("cannot read the row as CSV: {e}"), &at(1)))?.clone();
        let columns = find_columns(&header, &file, defaults.at.is_some())?;
        let trade_defaults = TradeDefaults::new(defaults.settlement, defaults.merchant_class, defaults.card_type)?;
        let now = now();
        let mut trades = Trades {
            file: file.clone(),
            header: header.clone(),
            lines: Vec::new(),
            fields: Vec::new(),
            columns: TradeColumns::new(&trade_defaults),
        };
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    trades.lines.push(line);
                    trades.fields.push(vec![String::new(); header.len()]);
                    trades.columns.push_unreadable(format!("cannot read the row as CSV: {error}"));
                    continue;
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            let mut fields: Vec<String> = record.iter().map(str::to_string).collect();
            fields.resize(header.len(), String::new());
            trades.lines.push(line);
            trades.fields.push(fields);
            if record.len() != header.len() {
                let message = format!("the row has {} fields, the header {}", record.len(), header.len());
                trades.columns.push_unreadable(message);
                continue;
            }
            let cell = |i: Option<usize>| i.map(|i| record[i].trim()).filter(|text| !text.is_empty());
            let trade = TradeText {
                amount: &record[columns.amount],
                channel: &record[columns.channel],
                time: cell(columns.time).or(defaults.at).unwrap_or(&now),
                settlement: cell(columns.settlement),
                merchant_class: cell(columns.merchant_class),
                card_type: cell(columns.card_type),
            };
            trades.columns.push_text(&trade).map_err(|e| Failure::from(e.at(at(line))))?;
        }
        Ok(trades)
    }

    /// A core error of a table row, told as a line of the file: the `row N:` of the table
    /// (after the offer's name in a comparison's error) becomes the file and line of `row`.
    pub fn failure(&self, row: usize, error: RowError) -> Failure {
        error.unnumbered().at(Location::default().file(self.file.clone()).line(self.lines[row])).into()
    }
}

fn find_columns(header: &csv::StringRecord, file: &str, at_given: bool) -> Result<Columns, Failure> {
    let index: HashMap<&str, usize> = header.iter().enumerate().map(|(i, name)| (name.trim(), i)).collect();
    let missing = |name: &str| {
        let header = header.iter().collect::<Vec<_>>().join(",");
        Failure::record(format!("the file has no `{name}` column (header: {header})"), &Location::default().file(file).line(1))
    };
    let time = index.get("time").or_else(|| index.get("at")).copied();
    if time.is_none() && !at_given {
        return Err(missing("time"));
    }
    Ok(Columns {
        amount: *index.get("amount").ok_or_else(|| missing("amount"))?,
        channel: *index.get("channel").ok_or_else(|| missing("channel"))?,
        time,
        settlement: index.get("settlement").copied(),
        merchant_class: index.get("merchant_class").copied(),
        card_type: index.get("card_type").copied(),
    })
}
