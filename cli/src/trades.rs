//! A CSV file of trades (the canonical columns, `posfee::TRADE_COLUMNS`) read into the
//! columns of a `posfee::TradeTable`; `quote --file` and `compare` share it.

use std::collections::HashMap;
use std::path::Path;

use posfee::{CardType, Channel, Column, Location, Money, RowError, SettlementMode, TradeTable};

use crate::failure::Failure;
use crate::output;

/// The values a row takes when its cell is empty (or the file has no such column).
pub struct Defaults<'a> {
    pub at: Option<&'a str>,
    pub settlement: &'a str,
    pub merchant_class: Option<&'a str>,
    pub card_type: Option<&'a str>,
}

/// The trades of a file as columns, with each row's line and text cells.
pub struct Trades {
    pub file: String,
    pub header: csv::StringRecord,
    /// Per row: its line in the file and its cells (as read).
    pub lines: Vec<u64>,
    pub fields: Vec<Vec<String>>,
    pub amount_fen: Vec<i64>,
    pub channel: Vec<Channel>,
    pub time_unix_s: Vec<i64>,
    pub settlement: Vec<SettlementMode>,
    pub merchant_class: Vec<u32>,
    pub class_names: Vec<String>,
    pub card_type: Vec<Option<CardType>>,
    /// Rows whose text could not be read, by row (their column values are placeholders).
    pub unreadable: Vec<(usize, Failure)>,
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
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Trades {
    /// Reads `path`. A header without `amount`, `channel` or (without a default time)
    /// `time` is an error; a row whose text cannot be read is kept in `unreadable`.
    pub fn read(path: &Path, defaults: &Defaults<'_>) -> Result<Trades, Failure> {
        let bytes = output::read_file(path)?;
        let file = path.display().to_string();
        let at = |line: u64| Location::default().file(file.clone()).line(line);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
        let header = reader.headers().map_err(|e| csv_error(e, &at(1)))?.clone();
        let columns = find_columns(&header, &file, defaults.at.is_some())?;
        let now = now();
        let mut trades = Trades {
            file: file.clone(),
            header: header.clone(),
            lines: Vec::new(),
            fields: Vec::new(),
            amount_fen: Vec::new(),
            channel: Vec::new(),
            time_unix_s: Vec::new(),
            settlement: Vec::new(),
            merchant_class: Vec::new(),
            class_names: vec![String::new()],
            card_type: Vec::new(),
            unreadable: Vec::new(),
        };
        let mut class_codes: HashMap<String, u32> = HashMap::from([(String::new(), 0)]);
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            let row = trades.lines.len();
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    trades.push_placeholder(line, vec![String::new(); header.len()]);
                    trades.unreadable.push((row, csv_error(error, &at(line))));
                    continue;
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            let mut fields: Vec<String> = record.iter().map(str::to_string).collect();
            fields.resize(header.len(), String::new());
            if record.len() != header.len() {
                trades.push_placeholder(line, fields);
                let failure = Failure::record(format!("the row has {} fields, the header {}", record.len(), header.len()), &at(line));
                trades.unreadable.push((row, failure));
                continue;
            }
            let cell = |i: Option<usize>| i.map(|i| record[i].trim()).filter(|text| !text.is_empty());
            let parsed = (|| -> Result<(), posfee::Error> {
                let field = |name: &'static str| move |e: posfee::Error| e.in_field(name).at(at(line));
                let amount = Money::parse_amount(record[columns.amount].trim()).map_err(field("amount"))?;
                let channel = Channel::parse(record[columns.channel].trim()).map_err(field("channel"))?;
                let time = cell(columns.time).or(defaults.at).unwrap_or(&now);
                let time = posfee::parse_china_time(time).map_err(field("time"))?;
                let settlement = cell(columns.settlement).unwrap_or(defaults.settlement);
                let settlement = SettlementMode::parse(settlement).map_err(field("settlement"))?;
                let card_type = match cell(columns.card_type).or(defaults.card_type) {
                    Some(text) => Some(CardType::parse(text).map_err(field("card_type"))?),
                    None => None,
                };
                let class = cell(columns.merchant_class).or(defaults.merchant_class).unwrap_or("");
                let next = class_codes.len() as u32;
                let code = *class_codes.entry(class.to_string()).or_insert(next);
                if code == next {
                    trades.class_names.push(class.to_string());
                }
                trades.amount_fen.push(amount.fen().unwrap_or(0));
                trades.channel.push(channel);
                trades.time_unix_s.push(time.timestamp());
                trades.settlement.push(settlement);
                trades.merchant_class.push(code);
                trades.card_type.push(card_type);
                Ok(())
            })();
            trades.lines.push(line);
            trades.fields.push(fields);
            if let Err(error) = parsed {
                trades.push_values_placeholder();
                trades.unreadable.push((row, error.into()));
            }
        }
        Ok(trades)
    }

    fn push_placeholder(&mut self, line: u64, fields: Vec<String>) {
        self.lines.push(line);
        self.fields.push(fields);
        self.push_values_placeholder();
    }

    fn push_values_placeholder(&mut self) {
        self.amount_fen.push(0);
        self.channel.push(Channel::Credit);
        self.time_unix_s.push(0);
        self.settlement.push(SettlementMode::T(1));
        self.merchant_class.push(0);
        self.card_type.push(None);
    }

    /// The rows as a table (`names` holds the merchant-class names borrowed from `self`).
    pub fn table<'a>(&'a self, names: &'a [&'a str]) -> TradeTable<'a> {
        TradeTable::new(&self.amount_fen, Column::Each(&self.channel), Column::Each(&self.time_unix_s))
            .settlement(Column::Each(&self.settlement))
            .merchant_class(names, Column::Each(&self.merchant_class))
            .card_type(Column::Each(&self.card_type))
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

fn csv_error(error: csv::Error, at: &Location) -> Failure {
    Failure::record(format!("cannot read the row as CSV: {error}"), at)
}
