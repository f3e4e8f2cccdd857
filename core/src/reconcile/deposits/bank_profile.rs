//! Bank statement profiles: the layout of a bank's account statement export, as data (TOML).
//!
//! A bank profile says how a file is cut (delimiter, encoding), which line is the header,
//! which lines are footers (合计), which values mean "none" (`-`, `----------`), where each
//! [`BankField`] is, and how money is written: one signed column (`amount`, positive = money
//! in), two columns (`credit` = money in, `debit` = money out), or an unsigned amount with a
//! direction column (`direction = { names = ["借贷标志"], credit = ["贷"], debit = ["借"] }`).
//! Profiles ship in `core/data/banks/` (each citing where its layout comes from);
//! [`BankProfile::from_toml`] loads a user's own for any other bank.
//!
//! ## Keys
//! - `name`, `title`, `source`, `encoding` (`auto`, `utf-8`, `gb18030`), `delimiter`,
//!   `header_search_lines` (default 64).
//! - `dashes_are_empty` (a value made only of `-` reads as empty), `null_values`,
//!   `footer_prefixes` (lines whose first field starts with one of these are not rows).
//! - `[totals] row_prefix`: a footer row whose credit and debit columns state the sums of the
//!   file (ICBC's 人民币合计); the rows read must add up to it.
//! - `[fields.<name>]`: `names` (header names, aliases after the first); `format` (dates:
//!   a chrono format); `accept` (currency: the values that mean renminbi; rows in another
//!   currency are skipped and counted); `credit` / `debit` (direction: the values of each).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::reconcile::profile::{best_fit, load_file, parse_toml, sniff_head, FormatInfo, Shipped};
use crate::reconcile::Encoding;

/// A field of a bank statement row, as a [`BankProfile`] places it.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::BankField;
/// assert_eq!(BankField::Counterparty.name(), "counterparty");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BankField {
    /// 记账日期 / 交易日期 (required; may hold a time too).
    Date,
    /// 交易时间 as a time of day.
    Time,
    /// A signed amount: positive is money in (收入), negative money out (支出).
    Amount,
    /// Money in (收入 / 贷方发生额), unsigned.
    Credit,
    /// Money out (支出 / 借方发生额), unsigned.
    Debit,
    /// A direction column (借贷标志) for an unsigned `amount`.
    Direction,
    /// The balance after the row (余额).
    Balance,
    /// The counterparty's name (对方户名; some banks run name and account together).
    Counterparty,
    /// The counterparty's account number (对方账号).
    CounterpartyAccount,
    /// The bank's description of the row (摘要 / 交易类型 / 交易名称).
    Summary,
    /// Free text: remittance memo, purpose, place (附言 / 用途 / 交易场所 / 客户摘要).
    Memo,
    /// The currency (币种); rows in other currencies are skipped.
    Currency,
}

impl BankField {
    /// Every field.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::BankField::ALL[0].name(), "date");
    /// ```
    pub const ALL: [BankField; 12] = [
        BankField::Date,
        BankField::Time,
        BankField::Amount,
        BankField::Credit,
        BankField::Debit,
        BankField::Direction,
        BankField::Balance,
        BankField::Counterparty,
        BankField::CounterpartyAccount,
        BankField::Summary,
        BankField::Memo,
        BankField::Currency,
    ];

    /// The snake_case name (used in profiles and error locations).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::BankField::CounterpartyAccount.name(), "counterparty_account");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            BankField::Date => "date",
            BankField::Time => "time",
            BankField::Amount => "amount",
            BankField::Credit => "credit",
            BankField::Debit => "debit",
            BankField::Direction => "direction",
            BankField::Balance => "balance",
            BankField::Counterparty => "counterparty",
            BankField::CounterpartyAccount => "counterparty_account",
            BankField::Summary => "summary",
            BankField::Memo => "memo",
            BankField::Currency => "currency",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldFile {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    accept: Vec<String>,
    #[serde(default)]
    credit: Vec<String>,
    #[serde(default)]
    debit: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TotalsFile {
    #[serde(default)]
    row_prefix: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    title: String,
    source: String,
    #[serde(default)]
    encoding: Encoding,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default = "header_search_lines")]
    header_search_lines: usize,
    #[serde(default)]
    dashes_are_empty: bool,
    #[serde(default)]
    null_values: Vec<String>,
    #[serde(default)]
    footer_prefixes: Vec<String>,
    #[serde(default)]
    totals: Option<TotalsFile>,
    fields: BTreeMap<String, FieldFile>,
}

fn header_search_lines() -> usize {
    64
}

/// A field of a compiled bank profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct BankFieldSpec {
    pub names: Vec<String>,
    pub format: Option<String>,
    /// `format` read once into chrono's items (each row's date is parsed with them).
    pub format_items: Vec<chrono::format::Item<'static>>,
    pub accept: Vec<String>,
    pub credit: Vec<String>,
    pub debit: Vec<String>,
}

/// The layout of a bank's account statement export. Built from TOML
/// ([`BankProfile::from_toml`]) or shipped ([`BankProfile::builtin`], [`bank_formats`]);
/// read a file with [`read_bank_statement`](super::read_bank_statement).
///
/// # Example
/// A business account export with an unsigned amount and a 借/贷 column:
/// ```
/// use posfee::reconcile::deposits::{read_bank_statement, BankProfile};
/// let profile = BankProfile::from_toml(r#"
/// name = "my-bank"
/// title = "My bank's business account detail"
/// source = "the bank's online banking export"
/// footer_prefixes = ["合计"]
/// [fields]
/// date = { names = ["交易日期"] }
/// amount = { names = ["发生额"] }
/// direction = { names = ["借贷标志"], credit = ["贷"], debit = ["借"] }
/// counterparty = { names = ["对方户名"] }
/// memo = { names = ["用途"] }
/// "#)?;
/// let text = "交易日期,借贷标志,发生额,对方户名,用途\n2026-11-02,贷,\"12,246.67\",拉卡拉支付股份有限公司,结算款\n2026-11-02,借,99.00,拉卡拉支付股份有限公司,流量费\n合计,,,,\n";
/// let bank = read_bank_statement(text.as_bytes(), "bank.csv", &profile)?;
/// assert_eq!(bank.rows()[0].amount.to_string(), "12246.67");
/// assert_eq!(bank.rows()[1].amount.to_string(), "-99.00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BankProfile {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) source: String,
    pub(crate) encoding: Encoding,
    pub(crate) delimiter: u8,
    pub(crate) header_search_lines: usize,
    pub(crate) dashes_are_empty: bool,
    pub(crate) null_values: Vec<String>,
    pub(crate) footer_prefixes: Vec<String>,
    pub(crate) totals_row_prefix: Option<String>,
    /// Per [`BankField`] in `ALL` order.
    pub(crate) fields: Vec<Option<BankFieldSpec>>,
}

/// The shipped bank profiles: (name, TOML text).
const BUILTIN: [(&str, &str); 10] = [
    ("icbc-debit", include_str!("../../../data/banks/icbc-debit.toml")),
    ("cmb-debit", include_str!("../../../data/banks/cmb-debit.toml")),
    ("ccb-debit", include_str!("../../../data/banks/ccb-debit.toml")),
    ("abc-debit", include_str!("../../../data/banks/abc-debit.toml")),
    ("boc-debit", include_str!("../../../data/banks/boc-debit.toml")),
    ("icbc-business", include_str!("../../../data/banks/icbc-business.toml")),
    ("cmb-business", include_str!("../../../data/banks/cmb-business.toml")),
    ("ccb-business", include_str!("../../../data/banks/ccb-business.toml")),
    ("abc-business", include_str!("../../../data/banks/abc-business.toml")),
    ("boc-business", include_str!("../../../data/banks/boc-business.toml")),
];

/// The names of the shipped bank statement profiles, in the order sniffing tries them.
///
/// # Example
/// ```
/// assert!(posfee::reconcile::deposits::bank_formats().contains(&"icbc-debit"));
/// ```
pub fn bank_formats() -> Vec<&'static str> {
    SHIPPED.names()
}

/// The shipped bank statement formats with their titles and sources, in the order sniffing
/// tries them.
///
/// # Errors
/// Only if a shipped profile does not parse (a bug the tests catch).
///
/// # Example
/// ```
/// let infos = posfee::reconcile::deposits::bank_format_infos()?;
/// assert_eq!(infos.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), posfee::reconcile::deposits::bank_formats());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn bank_format_infos() -> Result<Vec<FormatInfo>> {
    bank_formats().into_iter().map(|name| BankProfile::builtin(name).map(|p| FormatInfo::new(p.name(), p.title(), p.source()))).collect()
}

fn invalid(message: String, key: &str) -> Error {
    Error::new(ErrorKind::InvalidRecord, message).at(Location::default().field(key))
}

impl BankProfile {
    /// Loads and checks a bank profile from TOML.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the key: malformed TOML, an unknown key or field,
    /// a field without names, no `date`, money written neither as `amount` nor as `credit`
    /// and `debit` (or both ways), a direction without `credit` and `debit` values, a
    /// delimiter that is not one ASCII character, a date format chrono does not know.
    ///
    /// # Example
    /// ```
    /// let err = posfee::reconcile::deposits::BankProfile::from_toml("name = \"x\"\ntitle = \"t\"\nsource = \"s\"\n[fields]\ndate = { names = [\"日期\"] }\n").unwrap_err();
    /// assert_eq!(err.location().field.as_deref(), Some("fields.amount"));
    /// ```
    pub fn from_toml(text: &str) -> Result<BankProfile> {
        BankProfile::build(parse_toml(text, "bank profile")?)
    }

    /// Loads a bank profile file.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when unreadable; otherwise as [`BankProfile::from_toml`], with the
    /// file named.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::BankProfile::from_file("no/such.toml").unwrap_err().code(), "io");
    /// ```
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<BankProfile> {
        load_file(path.as_ref(), BankProfile::from_toml)
    }

    /// A shipped bank profile by name ([`bank_formats`] lists them).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for an unknown name, listing the known ones.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::BankProfile;
    /// assert_eq!(BankProfile::builtin("boc-debit")?.name(), "boc-debit");
    /// assert_eq!(BankProfile::builtin("hsbc").unwrap_err().code(), "invalid_request");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn builtin(name: &str) -> Result<BankProfile> {
        SHIPPED.get(name)
    }

    /// The shipped bank profile whose header the first bytes of a file hold (the one that
    /// places the most fields).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] when none fits, naming the closest and what it missed, or
    /// when the bytes start a spreadsheet (.xlsx, .xls: read the whole file with
    /// [`read_bank_export`](super::read_bank_export), which takes its first sheet).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::BankProfile;
    /// let head = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n";
    /// assert_eq!(BankProfile::sniff(head.as_bytes())?.name(), "cmb-debit");
    /// assert!(BankProfile::sniff(b"a,b\n1,2\n").unwrap_err().to_string().contains("closest"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn sniff(head: &[u8]) -> Result<BankProfile> {
        if crate::reconcile::is_workbook(head) {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                "the bank statement is a spreadsheet (.xlsx, .xls): read the whole file (read_bank_export, read_bank_statement_file), not its first bytes",
            ));
        }
        let head = sniff_head(head);
        let candidates = bank_formats().into_iter().map(|name| {
            BankProfile::builtin(name).map(|profile| {
                let fit = super::bank_read::fit(head, &profile);
                (profile, fit)
            })
        });
        best_fit(candidates, "bank statement", "bank_format", |profile| format!("{} ({})", profile.name, profile.title))
    }

    /// The bank profile `format` names for the file `file` whose first bytes are `head`:
    /// `auto` sniffs ([`BankProfile::sniff`]); a name ending in `.toml` is a profile file of
    /// the user's own; anything else is a shipped profile ([`bank_formats`]).
    ///
    /// # Errors
    /// As [`BankProfile::sniff`], [`BankProfile::from_file`] or [`BankProfile::builtin`]: an
    /// error of a profile file names that file, any other names `file` (the bank statement).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::BankProfile;
    /// assert_eq!(BankProfile::resolve("icbc-debit", b"", "b.csv")?.name(), "icbc-debit");
    /// assert_eq!(BankProfile::resolve("auto", "记账日期,货币,交易金额\n".as_bytes(), "b.csv")?.name(), "cmb-debit");
    /// assert_eq!(BankProfile::resolve("my-bank.toml", b"", "b.csv").unwrap_err().location().file.as_deref(), Some("my-bank.toml"));
    /// assert_eq!(BankProfile::resolve("hsbc", b"", "b.csv").unwrap_err().location().file.as_deref(), Some("b.csv"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn resolve(format: &str, head: &[u8], file: &str) -> Result<BankProfile> {
        SHIPPED.resolve(format, file, &[], |path| BankProfile::from_file(path), || BankProfile::sniff(head))
    }

    /// The profile's name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::BankProfile::builtin("ccb-debit")?.name(), "ccb-debit");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A one-line description.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::deposits::BankProfile::builtin("icbc-debit")?.title().contains("ICBC"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Where the layout comes from.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::deposits::BankProfile::builtin("abc-debit")?.source().contains("abc_debit"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The header names of `field` (empty when the profile does not read it).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::{BankField, BankProfile};
    /// assert_eq!(BankProfile::builtin("cmb-debit")?.names(BankField::Amount), ["交易金额"]);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn names(&self, field: BankField) -> &[String] {
        self.fields[field as usize].as_ref().map(|f| f.names.as_slice()).unwrap_or(&[])
    }

    pub(crate) fn field(&self, field: BankField) -> Option<&BankFieldSpec> {
        self.fields[field as usize].as_ref()
    }

    /// The fields the header must name: the date and the money columns.
    pub(crate) fn required_fields(&self) -> impl Iterator<Item = BankField> + '_ {
        BankField::ALL.into_iter().filter(move |f| match f {
            BankField::Date => true,
            BankField::Amount | BankField::Credit | BankField::Debit | BankField::Direction => self.field(*f).is_some(),
            _ => false,
        })
    }

    fn build(file: ProfileFile) -> Result<BankProfile> {
        let name = file.name.trim().to_string();
        if name.is_empty() || file.title.trim().is_empty() || file.source.trim().is_empty() {
            return Err(invalid("a bank profile needs a name, a title and a source (where its layout comes from)".into(), "name"));
        }
        let text = file.delimiter.as_deref().unwrap_or(",");
        let delimiter = match text {
            "\\t" | "tab" | "\t" => b'\t',
            _ if text.len() == 1 && text.is_ascii() && !matches!(text, "\"" | "\n" | "\r") => text.as_bytes()[0],
            _ => return Err(invalid(format!("delimiter {text:?} is not one ASCII character (\",\", \"|\", \"\\t\")"), "delimiter")),
        };
        let mut fields: Vec<Option<BankFieldSpec>> = vec![None; BankField::ALL.len()];
        for (key, spec) in file.fields {
            let Some(field) = BankField::ALL.iter().find(|f| f.name() == key) else {
                let known: Vec<&str> = BankField::ALL.iter().map(|f| f.name()).collect();
                return Err(invalid(format!("unknown field {key:?}; the fields are {}", known.join(", ")), &format!("fields.{key}")));
            };
            let place = format!("fields.{key}");
            if spec.names.iter().all(|n| n.trim().is_empty()) {
                return Err(invalid(format!("field {key} needs names (header names)"), &place));
            }
            let mut format_items = Vec::new();
            if let Some(format) = &spec.format {
                if *field != BankField::Date {
                    return Err(invalid(format!("only date takes a format, not {key}"), &format!("{place}.format")));
                }
                format_items = chrono::format::StrftimeItems::new(format)
                    .parse_to_owned()
                    .map_err(|_| invalid(format!("{format:?} is not a date format (chrono's %Y, %m, %d)"), &format!("{place}.format")))?;
            }
            if !spec.accept.is_empty() && *field != BankField::Currency {
                return Err(invalid(format!("only currency takes accept, not {key}"), &format!("{place}.accept")));
            }
            let directional = !spec.credit.is_empty() || !spec.debit.is_empty();
            if *field == BankField::Direction && (spec.credit.is_empty() || spec.debit.is_empty()) {
                return Err(invalid("direction needs credit and debit values (credit = [\"贷\"], debit = [\"借\"])".into(), &place));
            }
            if directional && *field != BankField::Direction {
                return Err(invalid(format!("only direction takes credit and debit values, not {key}"), &place));
            }
            let trimmed = |values: Vec<String>| values.into_iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            fields[*field as usize] = Some(BankFieldSpec {
                names: trimmed(spec.names),
                format: spec.format,
                format_items,
                accept: trimmed(spec.accept),
                credit: trimmed(spec.credit),
                debit: trimmed(spec.debit),
            });
        }
        let has = |f: BankField| fields[f as usize].is_some();
        if !has(BankField::Date) {
            return Err(invalid("the profile does not say where the date is".into(), "fields.date"));
        }
        match (has(BankField::Amount), has(BankField::Credit), has(BankField::Debit)) {
            (true, false, false) | (false, true, true) => {}
            (false, false, false) => {
                return Err(invalid(
                    "money needs `amount` (signed, or with `direction`) or both `credit` and `debit`".into(),
                    "fields.amount",
                ))
            }
            (true, _, _) => return Err(invalid("money is either `amount` or `credit` and `debit`, not both".into(), "fields.amount")),
            (false, true, false) => return Err(invalid("`credit` needs `debit` too".into(), "fields.debit")),
            (false, false, true) => return Err(invalid("`debit` needs `credit` too".into(), "fields.credit")),
        }
        if has(BankField::Direction) && !has(BankField::Amount) {
            return Err(invalid("direction goes with an unsigned `amount`".into(), "fields.direction"));
        }
        let footer_prefixes: Vec<String> =
            file.footer_prefixes.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        let totals_row_prefix = file.totals.and_then(|t| t.row_prefix).map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
        if totals_row_prefix.is_some() && !has(BankField::Credit) {
            return Err(invalid("a totals row states the credit and debit sums: it needs `credit` and `debit` columns".into(), "totals"));
        }
        Ok(BankProfile {
            name,
            title: file.title,
            source: file.source,
            encoding: file.encoding,
            delimiter,
            header_search_lines: file.header_search_lines.clamp(1, 1_000),
            dashes_are_empty: file.dashes_are_empty,
            null_values: file.null_values.into_iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect(),
            footer_prefixes,
            totals_row_prefix,
            fields,
        })
    }
}

/// The shipped bank profiles.
static SHIPPED: Shipped<BankProfile> = Shipped::new(&BUILTIN, BankProfile::from_toml, "bank statement", "bank_format");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_bank_profile_loads() {
        for name in bank_formats() {
            let profile = BankProfile::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(profile.name(), name);
        }
    }

    #[test]
    fn bank_profile_mistakes_name_the_key() {
        let base = "name = \"x\"\ntitle = \"t\"\nsource = \"s\"\n";
        let date = "date = { names = [\"日期\"] }\n";
        let cases = [
            (format!("delimiter = \"||\"\n[fields]\n{date}amount = {{ names = [\"a\"] }}\n"), "delimiter"),
            (format!("[fields]\n{date}when = {{ names = [\"a\"] }}\n"), "fields.when"),
            (format!("[fields]\n{date}amount = {{ names = [] }}\n"), "fields.amount"),
            (format!("[fields]\n{date}credit = {{ names = [\"c\"] }}\n"), "fields.debit"),
            (
                format!("[fields]\n{date}amount = {{ names = [\"a\"] }}\ncredit = {{ names = [\"c\"] }}\ndebit = {{ names = [\"d\"] }}\n"),
                "fields.amount",
            ),
            (
                format!("[fields]\n{date}amount = {{ names = [\"a\"] }}\ndirection = {{ names = [\"借贷\"], credit = [\"贷\"] }}\n"),
                "fields.direction",
            ),
            ("[fields]\ndate = { names = [\"d\"], format = \"%Q\" }\namount = { names = [\"a\"] }\n".to_string(), "fields.date.format"),
            (format!("[fields]\n{date}amount = {{ names = [\"a\"], accept = [\"CNY\"] }}\n"), "fields.amount.accept"),
            (format!("[totals]\nrow_prefix = \"合计\"\n[fields]\n{date}amount = {{ names = [\"a\"] }}\n"), "totals"),
            ("[fields]\namount = { names = [\"a\"] }\n".to_string(), "fields.date"),
        ];
        for (text, key) in cases {
            let err = BankProfile::from_toml(&format!("{base}{text}")).unwrap_err();
            assert_eq!(err.code(), "invalid_record", "{text}");
            assert_eq!(err.location().field.as_deref(), Some(key), "{text}: {err}");
        }
        let err = BankProfile::from_toml(&format!("{base}colour = 1\n[fields]\n{date}amount = {{ names = [\"a\"] }}\n")).unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
