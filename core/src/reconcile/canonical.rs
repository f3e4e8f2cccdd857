//! The one description of each side's canonical columns (name, type, required, meaning):
//! the ledger CSV reader finds and requires its columns by it, the Arrow reader and writer
//! (feature `arrow`) take their names, requirements and types from it, and the tables on the
//! [`reconcile`](crate::reconcile) page are checked against it.

/// What a canonical column holds (how its cells are read and which Arrow type it has).
///
/// # Example
/// ```
/// use posfee::reconcile::{ColumnType, LEDGER_COLUMNS};
/// assert_eq!(LEDGER_COLUMNS[6].name, "amount");
/// assert_eq!(LEDGER_COLUMNS[6].kind, ColumnType::Amount);
/// assert_eq!(ColumnType::Amount.name(), "amount");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text (ids keep their leading zeros); Arrow `utf8`.
    Text,
    /// An instant: `2026-05-06 10:00:00` (China time) or RFC 3339 text; Arrow second
    /// timestamps at `+08:00` (a naive timestamp is China time, a date is midnight).
    Time,
    /// A calendar date: `2026-05-07` or `20260507`; Arrow `date32`.
    Date,
    /// A trade amount in yuan, whole fen and non-negative (`100.00`); Arrow `decimal128(18, 2)`
    /// (also read from text or integers of yuan, never floats).
    Amount,
    /// Money to five decimals, signed (WeChat's fees); Arrow `decimal128(20, 5)` (also read
    /// from text or integers of yuan, never floats).
    Money,
}

impl ColumnType {
    /// The type's name in the docs tables.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ColumnType::Money.name(), "money");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Time => "time",
            ColumnType::Date => "date",
            ColumnType::Amount => "amount",
            ColumnType::Money => "money",
        }
    }
}

/// One canonical column: its name in files and tables, what it holds, whether a file or
/// table must have it, and what it means.
///
/// # Example
/// ```
/// use posfee::reconcile::STATEMENT_COLUMNS;
/// let net = STATEMENT_COLUMNS.iter().find(|c| c.name == "net").unwrap();
/// assert!(!net.required); // derived from amount, fee and kind when absent
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanonicalColumn {
    /// The column's name (a CSV header, an Arrow field).
    pub name: &'static str,
    /// What it holds.
    pub kind: ColumnType,
    /// Whether an input must have the column (an optional one may be absent, or empty).
    pub required: bool,
    /// What it means, in a line.
    pub meaning: &'static str,
}

const fn column(name: &'static str, kind: ColumnType, required: bool, meaning: &'static str) -> CanonicalColumn {
    CanonicalColumn { name, kind, required, meaning }
}

/// The canonical ledger columns (the merchant's trades), in the order posfee writes them.
///
/// # Example
/// ```
/// use posfee::reconcile::LEDGER_COLUMNS;
/// let required: Vec<&str> = LEDGER_COLUMNS.iter().filter(|c| c.required).map(|c| c.name).collect();
/// assert_eq!(required, ["trade_id", "time", "amount", "channel"]);
/// ```
pub const LEDGER_COLUMNS: [CanonicalColumn; 12] = [
    column("trade_id", ColumnType::Text, true, "the merchant's own id of the trade (order number)"),
    column("rrn", ColumnType::Text, false, "reference number (参考号, 12 characters); may be empty"),
    column("trace", ColumnType::Text, false, "trace / voucher number (凭证号)"),
    column("terminal", ColumnType::Text, false, "terminal id (终端号)"),
    column("merchant_no", ColumnType::Text, false, "the merchant number the terminal printed"),
    column("time", ColumnType::Time, true, "trade time"),
    column("amount", ColumnType::Amount, true, "trade amount, whole fen, non-negative"),
    column("channel", ColumnType::Text, true, "`debit`, `credit`, `wechat`, `alipay`, `unionpay_qr`, ... ([`Channel`](crate::Channel))"),
    column("card_type", ColumnType::Text, false, "[`CardType`](crate::CardType) when known (UnionPay QR above ¥1000)"),
    column("kind", ColumnType::Text, false, "purchase, void or refund (also 消费, 撤销, 退货); empty: purchase"),
    column("response_code", ColumnType::Text, false, "ISO 8583 field 39; empty: `00` (approved)"),
    column("original_rrn", ColumnType::Text, false, "for voids and refunds: the reference number of the purchase"),
];

/// The canonical statement columns (the acquirer's rows), in the order of the Arrow table
/// posfee writes (the canonical statement CSV is the `bank-pos` layout, with Chinese headers).
///
/// # Example
/// ```
/// use posfee::reconcile::STATEMENT_COLUMNS;
/// let required: Vec<&str> = STATEMENT_COLUMNS.iter().filter(|c| c.required).map(|c| c.name).collect();
/// assert_eq!(required, ["settlement_date", "time", "amount", "fee", "channel"]);
/// ```
pub const STATEMENT_COLUMNS: [CanonicalColumn; 12] = [
    column("settlement_date", ColumnType::Date, true, "清算日期 (an empty cell: the trade date)"),
    column("merchant_no", ColumnType::Text, false, "商户号 (15 characters, MCC inside)"),
    column("merchant_name", ColumnType::Text, false, "商户名称 (may be empty)"),
    column("terminal", ColumnType::Text, false, "终端号"),
    column("batch", ColumnType::Text, false, "批次号 (may be empty; deposits group payouts by it)"),
    column("rrn", ColumnType::Text, false, "参考号 (for QR bills: the merchant order number)"),
    column("time", ColumnType::Time, true, "trade time"),
    column("amount", ColumnType::Amount, true, "trade amount, whole fen, non-negative"),
    column("fee", ColumnType::Money, true, "fee charged (negative when a fee is returned)"),
    column(
        "net",
        ColumnType::Money,
        false,
        "signed effect on the merchant's account: `amount − fee` for a purchase, `−amount − fee` for a refund or void (derived so when absent)",
    ),
    column("channel", ColumnType::Text, true, "channel name, or the card type in words (借记卡, 贷记卡)"),
    column("kind", ColumnType::Text, false, "purchase, void or refund (also 消费, 撤销, 退货); empty: purchase"),
];

/// Whether the column `name` of `columns` is required (`false` for a name not among them).
#[cfg(feature = "arrow")]
pub(crate) fn required(columns: &[CanonicalColumn], name: &str) -> bool {
    columns.iter().any(|column| column.name == name && column.required)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows `| `name` | type | required | meaning |` of a table in the module docs.
    fn doc_table(text: &str, first: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().map(|l| l.trim_start_matches("//!").trim()).collect();
        let start = lines.iter().position(|l| l.starts_with(first)).expect("the table") + 2;
        lines[start..].iter().take_while(|l| l.starts_with('|')).map(|l| l.to_string()).collect()
    }

    fn rows(columns: &[CanonicalColumn]) -> Vec<String> {
        columns
            .iter()
            .map(|c| format!("| `{}` | {} | {} | {} |", c.name, c.kind.name(), if c.required { "yes" } else { "no" }, c.meaning))
            .collect()
    }

    #[test]
    fn the_docs_tables_are_the_descriptions() {
        let page = include_str!("mod.rs");
        assert_eq!(doc_table(page, "| ledger column |"), rows(&LEDGER_COLUMNS));
        assert_eq!(doc_table(page, "| statement column |"), rows(&STATEMENT_COLUMNS));
    }
}
