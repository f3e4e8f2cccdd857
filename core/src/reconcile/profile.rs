//! Format profiles: a statement layout described as data (TOML), so that a new acquirer's
//! file needs a profile, not code.
//!
//! A profile says how the text is cut into fields (delimiter or fixed widths, header row or
//! positions, lines to skip, prefixes to strip), where each canonical field is, how its
//! values read (date formats, yuan or fen, value maps for kinds, channels and statuses) and
//! where the file states its own totals. Profiles ship in `core/data/formats/` (each citing
//! where its layout comes from); [`Profile::from_toml`] loads a user's own.
//!
//! ## Keys
//! - `name`, `title`, `source` (where the layout comes from), `encoding` (`auto`, `utf-8`,
//!   `gb18030`).
//! - Cutting: `delimiter` (`,`, `|`, `\t`) or `fixed_widths` (bytes) with `fixed_gap` (bytes
//!   between fields); `header` (false: fields by position), `header_search_lines`.
//! - Lines that are not trades: `comment_prefix`, `summary_prefixes`, `details_end` (the
//!   details stop at a line starting with one of these); `strip_prefixes` (a backtick);
//!   `null_values` (`*`: read as empty); `field_count` (every detail row has this many fields).
//! - `channel` (one channel for the whole file), `required` (fields the header must have),
//!   `file_name_date = { after = "INN", format = "%y%m%d" }` (the settlement date of rows
//!   without one, from the file name; [`ReadOptions::settlement_date`](super::ReadOptions)
//!   comes first).
//! - `[fields.<name>]` for each [`StatementField`]: `names` or `position`, or a constant
//!   `value`; `format` (chrono; a format of fixed-width numbers also checks the length;
//!   without a year the year comes from the settlement date); `unit` (`yuan`, `fen`); `sign`
//!   (`as_written`, `by_kind`); `sign_prefixes` (`{ D = "+", C = "-" }`); `map` (value maps;
//!   keys with `*` are patterns; kinds map to `purchase`, `void`, `refund`, `skip` or
//!   `deduction` (a 流量费 / 服务费 line: kept in [`Statement::deductions`](super::Statement::deductions)),
//!   statuses to `approved`, `declined` or `skip`, directions to `income`, `expense` or
//!   `neutral`: money in is read when it is a purchase, money out when it is a refund or
//!   void, neutral rows are skipped); `instead` (other columns tried first for rows of some
//!   `kinds` or `channels`, an empty value passing to the next).
//! - `[totals]`: `row_prefix` (a 合计 row), `block_header` with `count`, `amount`, `refund`,
//!   `fee` (a summary block), or `line_patterns` (`#交易合计：{count}笔，共{amount}元`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::read::StatementField;
use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::quote::TradeKind;

/// The text encodings a profile can name.
///
/// # Example
/// ```
/// let profile = posfee::reconcile::Profile::builtin("alipay-business")?;
/// assert_eq!(profile.encoding(), posfee::reconcile::Encoding::Auto);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 (a BOM is taken off) when the bytes are valid UTF-8, otherwise GB18030 (a
    /// superset of GBK).
    #[default]
    Auto,
    /// UTF-8, with or without a BOM.
    #[serde(rename = "utf-8")]
    Utf8,
    /// GB18030 / GBK.
    Gb18030,
}

/// The unit of a money column.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::MoneyUnit::default(), posfee::reconcile::MoneyUnit::Yuan);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyUnit {
    /// Yuan with up to five decimals (`12.34`, `0.38000`).
    #[default]
    Yuan,
    /// Whole fen as an integer (`1234` is ¥12.34).
    Fen,
}

/// How a fee column is signed.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::FeeSign::default(), posfee::reconcile::FeeSign::AsWritten);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeSign {
    /// The fee as written: positive when charged, negative when returned.
    #[default]
    AsWritten,
    /// The file writes fees without a useful sign (or with the account's sign): the size
    /// is taken, charged on purchases and returned (negative) on voids and refunds.
    ByKind,
}

/// What a row's status or direction value means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowMeaning {
    /// A trade to read.
    Read,
    /// Not a trade of the merchant (a personal bill's spending, a transfer): skipped and
    /// counted in [`Statement::skipped_rows`](super::Statement::skipped_rows).
    Skip,
    /// A declined or failed payment: kept as an unreadable line with the reason.
    Declined,
    /// Money in (a direction): read when the row is a purchase; a refund coming in is a
    /// refund of the merchant's own spending, skipped.
    Income,
    /// Money out (a direction): read when the row is a refund or void; a purchase going
    /// out is the merchant's own spending, skipped.
    Expense,
}

/// Where one canonical field is and how its values read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldFile {
    /// Header names (the first is the usual one; the others are aliases).
    #[serde(default)]
    names: Vec<String>,
    /// 1-based field position (files without a header, fixed-width files).
    #[serde(default)]
    position: Option<usize>,
    /// A chrono format for dates and times (`%Y%m%d`, `%Y-%m-%d %H:%M:%S`; without `%Y`
    /// the year is taken from the settlement date).
    #[serde(default)]
    format: Option<String>,
    /// Money fields: yuan or fen.
    #[serde(default)]
    unit: MoneyUnit,
    /// The fee's sign convention.
    #[serde(default)]
    sign: FeeSign,
    /// Value maps: file value → canonical value (`消费` → `purchase`, `01` → `credit`,
    /// `SUCCESS` → `approved`, `支出` → `expense`). A key with `*` is a pattern (`*` stands
    /// for any text: `*退款` → `refund`, `*` → `skip`); exact keys are tried first, then
    /// patterns, the one with the most literal text first.
    #[serde(default)]
    map: BTreeMap<String, String>,
    /// A constant instead of a column (`fee = { value = "0" }` for a bill without fees).
    #[serde(default)]
    value: Option<String>,
    /// Money fields: letters that sign the value (`{ D = "+", C = "-" }` for `D000000000071`).
    #[serde(default)]
    sign_prefixes: BTreeMap<String, String>,
    /// Other columns to read this field from, tried in order before the field's own column
    /// for the rows they apply to (`kinds`, `channels`); an empty value passes to the next.
    #[serde(default)]
    instead: Vec<InsteadFile>,
}

/// Another column for a field, for some rows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct InsteadFile {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    position: Option<usize>,
    /// Only for rows of these kinds (purchase, void, refund); every kind when empty.
    #[serde(default)]
    kinds: Vec<String>,
    /// Only for rows of these channels; every channel when empty.
    #[serde(default)]
    channels: Vec<String>,
}

/// Where a file's name holds its settlement date (`INN26050688ZM_…`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileNameDateFile {
    /// The text just before the date in the file name.
    after: String,
    /// The date's chrono format (`%y%m%d`).
    format: String,
}

/// Where the file states its own totals, to be checked against the rows read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TotalsFile {
    /// A summary row whose first field starts with this and whose money sits in the detail
    /// columns (a bank's 合计 row).
    #[serde(default)]
    row_prefix: Option<String>,
    /// A summary block: a header row whose first field starts with this, and one row of
    /// values under it (WeChat's 总交易单数 block); the names below are its header names.
    #[serde(default)]
    block_header: Option<String>,
    /// Lines with the totals in words, `{count}`, `{amount}`, `{refund_count}`, `{refund}`
    /// and `{fee}` standing for the numbers (`#交易合计：{count}笔，共{amount}元`).
    #[serde(default)]
    line_patterns: Vec<String>,
    /// In a block: the name of the count of detail rows.
    #[serde(default)]
    count: Option<String>,
    /// In a block: the name of the sum of purchase amounts.
    #[serde(default)]
    amount: Option<String>,
    /// In a block: the name of the sum of refund amounts.
    #[serde(default)]
    refund: Option<String>,
    /// In a block: the name of the sum of fees.
    #[serde(default)]
    fee: Option<String>,
}

/// A profile file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    title: String,
    /// Where the layout comes from (documents, SDKs, importers).
    source: String,
    #[serde(default)]
    encoding: Encoding,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    fixed_widths: Vec<usize>,
    /// Fixed widths: bytes between two fields (a separating space).
    #[serde(default)]
    fixed_gap: usize,
    /// Values that mean "not applicable" and read as empty (`*`, `-`).
    #[serde(default)]
    null_values: Vec<String>,
    /// Delimited files: the number of fields of every detail row (a shorter or longer row is
    /// an unreadable line).
    #[serde(default)]
    field_count: Option<usize>,
    /// The settlement date from the file name, for files whose rows have none.
    #[serde(default)]
    file_name_date: Option<FileNameDateFile>,
    #[serde(default = "yes")]
    header: bool,
    #[serde(default = "header_search_lines")]
    header_search_lines: usize,
    #[serde(default)]
    comment_prefix: Option<String>,
    #[serde(default)]
    strip_prefixes: Vec<String>,
    #[serde(default)]
    summary_prefixes: Vec<String>,
    #[serde(default)]
    details_end: Vec<String>,
    #[serde(default)]
    channel: Option<Channel>,
    /// Fields required besides trade_date, amount, fee and card_type.
    #[serde(default)]
    required: Vec<String>,
    fields: BTreeMap<String, FieldFile>,
    #[serde(default)]
    totals: Option<TotalsFile>,
}

fn yes() -> bool {
    true
}

fn header_search_lines() -> usize {
    64
}

/// A field of a compiled profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldSpec {
    pub names: Vec<String>,
    pub position: Option<usize>,
    pub format: Option<String>,
    pub unit: MoneyUnit,
    pub sign: FeeSign,
    /// (file value, canonical value), file values cleaned and compared case-insensitively.
    pub map: Vec<(String, String)>,
    /// (pattern with `*`, canonical value), the most literal text first.
    pub patterns: Vec<(Glob, String)>,
    /// A constant instead of a column.
    pub value: Option<String>,
    /// (prefix, negative) for money written with a sign letter.
    pub sign_prefixes: Vec<(String, bool)>,
    /// Other columns, tried first for the rows they apply to.
    pub instead: Vec<Instead>,
    /// The length of every value of `format`, when the format writes fixed-width numbers.
    pub format_len: Option<usize>,
    /// `format` read once into chrono's items (a reader parses each value with them).
    pub format_items: Vec<chrono::format::Item<'static>>,
    /// Whether `format` writes the year (`%Y` or `%y`); a trade date without one takes it
    /// from the settlement date.
    pub format_has_year: bool,
    /// Whether `format` is `%Y%m%d` or `%Y%m%d%H%M%S`, whose values in their usual digits the
    /// readers count straight to a day or an instant (any other value goes to chrono).
    pub format_digits: bool,
}

/// Another column for a field, for some rows (compiled).
#[derive(Debug, Clone, Default)]
pub(crate) struct Instead {
    pub names: Vec<String>,
    pub position: Option<usize>,
    pub kinds: Vec<TradeKind>,
    pub channels: Vec<Channel>,
}

impl Instead {
    /// Whether this column applies to a row of `kind` and `channel` (a condition on a value
    /// not known yet does not apply).
    pub(crate) fn applies(&self, kind: Option<TradeKind>, channel: Option<Channel>) -> bool {
        (self.kinds.is_empty() || kind.is_some_and(|k| self.kinds.contains(&k)))
            && (self.channels.is_empty() || channel.is_some_and(|c| self.channels.contains(&c)))
    }
}

impl FieldSpec {
    /// The canonical value a file value maps to.
    pub(crate) fn mapped(&self, value: &str) -> Option<&str> {
        let literal = self.map.iter().find(|(from, _)| from.eq_ignore_ascii_case(value));
        literal
            .map(|(_, to)| to.as_str())
            .or_else(|| self.patterns.iter().find(|(pattern, _)| pattern.matches(value)).map(|(_, to)| to.as_str()))
    }
}

/// A value pattern where `*` stands for any text, cut at its stars once (the rows of a file
/// try it, row after row).
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    /// The texts between the stars: one without a star, the first before the first star, the
    /// last after the last.
    pieces: Vec<String>,
}

impl Glob {
    pub(crate) fn new(pattern: &str) -> Glob {
        Glob { pieces: pattern.split('*').map(str::to_string).collect() }
    }

    /// The pattern's length without its stars.
    fn literal_len(&self) -> usize {
        self.pieces.iter().map(String::len).sum()
    }

    /// Whether `text` matches, ASCII letters compared without case.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let [first, rest_pieces @ ..] = self.pieces.as_slice() else { return text.is_empty() };
        let Some(mut rest) = strip_prefix_ci(text, first) else { return false };
        let Some((last, middle)) = rest_pieces.split_last() else { return rest.is_empty() };
        for piece in middle {
            match find_ci(rest, piece) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        rest.len() >= last.len()
            && rest.is_char_boundary(rest.len() - last.len())
            && rest[rest.len() - last.len()..].eq_ignore_ascii_case(last)
    }
}

fn strip_prefix_ci<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    (text.len() >= prefix.len() && text.is_char_boundary(prefix.len()) && text[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &text[prefix.len()..])
}

fn find_ci(text: &str, piece: &str) -> Option<usize> {
    (0..=text.len().saturating_sub(piece.len())).filter(|&k| text.is_char_boundary(k)).find(|&k| {
        text.len() >= k + piece.len() && text.is_char_boundary(k + piece.len()) && text[k..k + piece.len()].eq_ignore_ascii_case(piece)
    })
}

/// Where a file states its totals (compiled).
#[derive(Debug, Clone, Default)]
pub(crate) struct Totals {
    pub row_prefix: Option<String>,
    pub block_header: Option<String>,
    pub line_patterns: Vec<String>,
    pub count: Option<String>,
    pub amount: Option<String>,
    pub refund: Option<String>,
    pub fee: Option<String>,
}

/// How a file's text is cut into fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cutting {
    /// Delimited by one ASCII byte (`,`, tab, `|`), with CSV quoting.
    Delimited(u8),
    /// Fields of fixed widths in bytes of the file's encoding, `gap` bytes apart.
    Fixed { widths: Vec<usize>, gap: usize },
}

/// A statement layout: how to cut a file into fields and read each canonical field. Built
/// from a TOML profile ([`Profile::from_toml`]) or one of the shipped profiles
/// ([`Profile::builtin`], [`formats`]); read a file with
/// [`read_statement`](super::read_statement).
///
/// # Example
/// ```
/// use posfee::reconcile::{read_statement, Profile};
/// let profile = Profile::from_toml(r#"
/// name = "my-acquirer"
/// title = "My acquirer's settlement detail"
/// source = "the acquirer's merchant portal export"
/// delimiter = "|"
/// header = false
/// [fields]
/// settlement_date = { position = 1, format = "%Y%m%d" }
/// trade_date = { position = 2, format = "%Y%m%d%H%M%S" }
/// amount = { position = 3, unit = "fen" }
/// fee = { position = 4, unit = "fen" }
/// card_type = { position = 5, map = { "01" = "debit", "02" = "credit" } }
/// rrn = { position = 6 }
/// "#)?;
/// let statement = read_statement(b"20260507|20260506103000|100000|600|02|612610000001\n", "settle.txt", &profile)?;
/// let row = statement.record(0);
/// assert_eq!((row.amount.to_string(), row.fee.to_string(), row.net.to_string()), ("1000.00".into(), "6.00".into(), "994.00".into()));
/// assert_eq!(row.channel, posfee::Channel::Credit);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Profile {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) source: String,
    pub(crate) encoding: Encoding,
    pub(crate) cutting: Cutting,
    pub(crate) header: bool,
    pub(crate) header_search_lines: usize,
    pub(crate) comment_prefix: Option<String>,
    pub(crate) strip_prefixes: Vec<String>,
    pub(crate) summary_prefixes: Vec<String>,
    pub(crate) details_end: Vec<String>,
    pub(crate) channel: Option<Channel>,
    pub(crate) also_required: Vec<StatementField>,
    /// Per [`StatementField`] in `ALL` order.
    pub(crate) fields: Vec<Option<FieldSpec>>,
    pub(crate) totals: Option<Totals>,
    pub(crate) null_values: Vec<String>,
    pub(crate) field_count: Option<usize>,
    /// (text before the date, chrono format) in the file name.
    pub(crate) file_name_date: Option<(String, String)>,
}

/// The shipped profiles: (name, TOML text).
const BUILTIN: [(&str, &str); 9] = [
    ("bank-pos", include_str!("../../data/formats/bank-pos.toml")),
    ("wechat-merchant", include_str!("../../data/formats/wechat-merchant.toml")),
    ("alipay-business", include_str!("../../data/formats/alipay-business.toml")),
    ("wechat-personal", include_str!("../../data/formats/wechat-personal.toml")),
    ("alipay-personal", include_str!("../../data/formats/alipay-personal.toml")),
    ("allinpay-vsp", include_str!("../../data/formats/allinpay-vsp.toml")),
    ("leshua-trade", include_str!("../../data/formats/leshua-trade.toml")),
    ("jlpay-detail", include_str!("../../data/formats/jlpay-detail.toml")),
    ("unionpay-acp-zm", include_str!("../../data/formats/unionpay-acp-zm.toml")),
];

/// The profile files of one kind that ship with posfee (statement formats, bank statement
/// formats): parsed once (readers and sniffing ask for them on every file), found by name,
/// and chosen by a caller's `format` option.
pub(crate) struct Shipped<P: 'static> {
    files: &'static [(&'static str, &'static str)],
    parse: fn(&str) -> Result<P>,
    /// What the files describe, in messages: `statement`, `bank statement`.
    what: &'static str,
    /// The option that names one: `format`, `bank_format`.
    field: &'static str,
    /// Each file's profile, parsed when first asked for (a command that names its format
    /// parses that one file, not every shipped one).
    parsed: std::sync::OnceLock<Vec<std::sync::OnceLock<Result<P>>>>,
}

impl<P: Clone> Shipped<P> {
    pub(crate) const fn new(
        files: &'static [(&'static str, &'static str)],
        parse: fn(&str) -> Result<P>,
        what: &'static str,
        field: &'static str,
    ) -> Shipped<P> {
        Shipped { files, parse, what, field, parsed: std::sync::OnceLock::new() }
    }

    /// The names, in the order sniffing tries them.
    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.files.iter().map(|(name, _)| *name).collect()
    }

    /// The shipped profile `name`; an unknown name is an error listing the known ones.
    pub(crate) fn get(&self, name: &str) -> Result<P> {
        let parsed = self.parsed.get_or_init(|| self.files.iter().map(|_| std::sync::OnceLock::new()).collect());
        match self.files.iter().zip(parsed).find(|((known, _), _)| *known == name.trim()) {
            Some(((name, text), profile)) => profile
                .get_or_init(|| {
                    (self.parse)(text).map_err(|e| Error::new(e.kind(), format!("shipped {} profile {name}: {}", self.what, e.message())))
                })
                .clone(),
            None => Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("no {} format is named {name:?}; the formats are {}", self.what, self.names().join(", ")),
            )
            .in_field(self.field)),
        }
    }

    /// The profile `format` names for the file `file`: a name ending in `.toml` is a profile
    /// file of the user's own (`from_file`), `auto` sniffs (`sniff`), anything else is a
    /// shipped profile (after `aliases`). An error of a profile file names that file, any
    /// other names `file`.
    pub(crate) fn resolve(
        &self,
        format: &str,
        file: &str,
        aliases: &[(&str, &str)],
        from_file: fn(&str) -> Result<P>,
        sniff: impl FnOnce() -> Result<P>,
    ) -> Result<P> {
        let format = format.trim();
        if format.to_ascii_lowercase().ends_with(".toml") {
            return from_file(format);
        }
        let chosen = match format {
            "auto" => sniff(),
            _ => self.get(aliases.iter().find(|(short, _)| *short == format).map_or(format, |(_, name)| name)),
        };
        chosen.map_err(|e| e.at(Location::default().file(file)))
    }
}

/// The shipped statement profiles.
pub(crate) static SHIPPED: Shipped<Profile> = Shipped::new(&BUILTIN, Profile::from_toml, "statement", "format");

/// The names of the shipped statement profiles, in the order sniffing tries them.
///
/// # Example
/// ```
/// assert!(posfee::reconcile::formats().contains(&"wechat-merchant"));
/// ```
pub fn formats() -> Vec<&'static str> {
    SHIPPED.names()
}

/// A shipped statement or bank statement format: what `posfee formats` lists and Python's
/// `posfee.formats()` and `posfee.bank_formats()` return.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormatInfo {
    /// The name a `format` option takes (`wechat-merchant`, `icbc-debit`).
    pub name: String,
    /// What the format is.
    pub title: String,
    /// Where its layout comes from (the published document or SDK).
    pub source: String,
}

impl FormatInfo {
    pub(crate) fn new(name: &str, title: &str, source: &str) -> FormatInfo {
        FormatInfo { name: name.to_owned(), title: title.to_owned(), source: source.to_owned() }
    }
}

/// The shipped statement formats with their titles and sources, in the order sniffing tries
/// them.
///
/// # Errors
/// Only if a shipped profile does not parse (a bug the tests catch).
///
/// # Example
/// ```
/// let infos = posfee::reconcile::format_infos()?;
/// assert_eq!(infos.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), posfee::reconcile::formats());
/// assert!(infos.iter().all(|f| !f.title.is_empty() && !f.source.is_empty()));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn format_infos() -> Result<Vec<FormatInfo>> {
    formats().into_iter().map(|name| Profile::builtin(name).map(|p| FormatInfo::new(p.name(), p.title(), p.source()))).collect()
}

/// Parses a profile file's TOML (after the size and depth limits), an error naming the
/// line and column of the mistake; `what` names the kind of file in the message.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    crate::config_toml::parse(text, ErrorKind::InvalidRecord, what)
}

/// Loads a profile file with `parse`, naming the file in any error.
pub(crate) fn load_file<T>(path: &std::path::Path, parse: impl FnOnce(&str) -> Result<T>) -> Result<T> {
    let text = crate::read_text_file(path)?;
    parse(&text).map_err(|e| e.at(Location::default().file(path.display().to_string())))
}

/// The start of a file that sniffing looks at: at most [`Profile::SNIFF_BYTES`], cut at the
/// last line end so that a partial last line does not mislead.
pub(crate) fn sniff_head(head: &[u8]) -> &[u8] {
    let head = &head[..head.len().min(Profile::SNIFF_BYTES)];
    match head.iter().rposition(|&b| b == b'\n') {
        Some(end) => &head[..=end],
        None => head,
    }
}

/// The candidate profile that fits a file best: one that reads it (`complete`), the one that
/// places the most fields first; else an error naming the closest (`describe`) and what it
/// missed. `what` names the kind of file (`statement`, `bank statement`), `field` the option
/// that chooses the format.
pub(crate) fn best_fit<P>(
    candidates: impl IntoIterator<Item = Result<(P, super::read::Fit)>>,
    what: &str,
    field: &str,
    describe: impl Fn(&P) -> String,
) -> Result<P> {
    let mut best: Option<(P, super::read::Fit)> = None;
    for candidate in candidates {
        let (profile, fit) = candidate?;
        if best.as_ref().map_or(true, |(_, known)| (fit.complete, fit.found) > (known.complete, known.found)) {
            best = Some((profile, fit));
        }
    }
    match best {
        Some((profile, fit)) if fit.complete => Ok(profile),
        Some((profile, fit)) => Err(Error::new(
            ErrorKind::InvalidRecord,
            format!("no {what} format fits this file; the closest is {}, which misses {}", describe(&profile), fit.missing),
        )
        .in_field(field)),
        None => Err(Error::new(ErrorKind::InvalidRecord, format!("no {what} formats are shipped")).in_field(field)),
    }
}

fn invalid(message: String, key: &str) -> Error {
    Error::new(ErrorKind::InvalidRecord, message).at(Location::default().field(key))
}

impl Profile {
    /// How much of the start of a file [`Profile::sniff`] looks at (64 KiB): a caller that
    /// reads a file in blocks needs to give it no more.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Profile::SNIFF_BYTES, 65_536);
    /// ```
    pub const SNIFF_BYTES: usize = 64 << 10;

    /// Loads and checks a profile from TOML.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the key: malformed TOML, an unknown key, an
    /// unknown field name, a field with neither names nor position (or names in a file
    /// without a header), a required field missing (`trade_date`, `amount`, `fee`, and
    /// `card_type` unless the profile sets `channel`), a delimiter that is not one ASCII
    /// character, a map value that is not a kind, channel or meaning, a date format chrono
    /// does not know.
    ///
    /// # Example
    /// ```
    /// let err = posfee::reconcile::Profile::from_toml("name = \"x\"\ntitle = \"t\"\nsource = \"s\"\n[fields]\nfee = { names = [\"手续费\"] }\n").unwrap_err();
    /// assert!(err.to_string().contains("trade_date"));
    /// ```
    pub fn from_toml(text: &str) -> Result<Profile> {
        Profile::build(parse_toml(text, "format profile")?)
    }

    /// Loads a profile file.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when unreadable; otherwise as [`Profile::from_toml`], with the file
    /// named.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Profile::from_file("no/such/profile.toml").unwrap_err().code(), "io");
    /// ```
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Profile> {
        load_file(path.as_ref(), Profile::from_toml)
    }

    /// A shipped profile by name ([`formats`] lists them).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for an unknown name, listing the known ones.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Profile::builtin("jlpay-detail")?.name(), "jlpay-detail");
    /// assert!(posfee::reconcile::Profile::builtin("visa").is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn builtin(name: &str) -> Result<Profile> {
        SHIPPED.get(name)
    }

    /// The shipped profile that fits a file, from its first bytes (64 KiB are plenty): the
    /// one whose header (or, without a header, whose first line) it reads, preferring the
    /// one that places the most fields.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] when no shipped profile fits, naming the closest and
    /// what it missed.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::Profile;
    /// let wechat = "交易时间,设备号,商户订单号,交易状态,应结订单金额,退款金额,商户退款单号,手续费\n";
    /// assert_eq!(Profile::sniff(wechat.as_bytes())?.name(), "wechat-merchant");
    /// let jl = b"849440358120A07|70312001|0104|02|622588****3021|128800|708|000012|000101|050610331201|613402|00|20260506103344|20260506|1|644|0|1001010420260506103321331201||||3|128800|0\n";
    /// assert_eq!(Profile::sniff(jl)?.name(), "jlpay-detail");
    /// let err = Profile::sniff(b"a,b,c\n1,2,3\n").unwrap_err();
    /// assert!(err.to_string().contains("closest"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn sniff(head: &[u8]) -> Result<Profile> {
        if super::workbook::is_workbook(head) {
            // A workbook is sniffed on its first sheet's text (the bytes must be the whole
            // file), against the profiles as they read a sheet: delimited ones, by comma.
            let text = super::workbook::sheet_as_csv(head, "the workbook")?;
            return Profile::sniff_among(text.as_bytes(), |profile| match profile.cutting {
                Cutting::Fixed { .. } => None,
                Cutting::Delimited(_) => profile.for_sheet_text().ok(),
            });
        }
        Profile::sniff_among(head, Some)
    }

    /// The shipped profile (as `view` sees it; `None`: not a candidate) that fits `head` best.
    fn sniff_among(head: &[u8], view: impl Fn(Profile) -> Option<Profile>) -> Result<Profile> {
        let head = sniff_head(head);
        let candidates = formats().into_iter().filter_map(|name| match Profile::builtin(name) {
            Ok(profile) => view(profile).map(|profile| {
                let fit = super::read::fit(head, &profile);
                Ok((profile, fit))
            }),
            Err(error) => Some(Err(error)),
        });
        best_fit(candidates, "statement", "format", |profile| format!("{} ({})", profile.name, profile.title))
    }

    /// The profile's name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Profile::builtin("bank-pos")?.name(), "bank-pos");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A one-line description.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Profile::builtin("wechat-merchant")?.title().contains("WeChat"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Where the layout comes from.
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::reconcile::Profile::builtin("jlpay-detail")?.source().is_empty());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The text encoding.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Profile::builtin("bank-pos")?.encoding(), posfee::reconcile::Encoding::Auto);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The profile with `header` added as a name of `field` (tried before the others): the
    /// way to read a bank file whose headers differ a little from a shipped profile's.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{Profile, StatementField};
    /// let profile = Profile::builtin("bank-pos")?.with_name(StatementField::Fee, "扣率手续费");
    /// assert_eq!(profile.names(StatementField::Fee)[0], "扣率手续费");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn with_name(mut self, field: StatementField, header: impl Into<String>) -> Profile {
        self.fields[field as usize].get_or_insert_with(FieldSpec::default).names.insert(0, header.into());
        self
    }

    /// The header names of `field` (empty when the profile does not read it by name).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{Profile, StatementField};
    /// assert!(Profile::builtin("bank-pos")?.names(StatementField::SettlementDate).contains(&"清算日期".to_string()));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn names(&self, field: StatementField) -> &[String] {
        self.fields[field as usize].as_ref().map(|f| f.names.as_slice()).unwrap_or(&[])
    }

    pub(crate) fn field(&self, field: StatementField) -> Option<&FieldSpec> {
        self.fields[field as usize].as_ref()
    }

    /// How the profile's delimited lines are cut (a comma for fixed widths, which are not).
    /// The profile reading a workbook's sheet turned into CSV text: UTF-8, comma-separated.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for a fixed-width profile (a sheet has cells, not widths).
    pub(crate) fn for_sheet_text(&self) -> Result<Profile> {
        if matches!(self.cutting, Cutting::Fixed { .. }) {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("profile {} reads fixed-width text files; an Excel workbook has cells (use a delimited profile)", self.name),
            )
            .in_field("format"));
        }
        let mut profile = self.clone();
        profile.encoding = Encoding::Utf8;
        profile.cutting = Cutting::Delimited(b',');
        Ok(profile)
    }

    pub(crate) fn dialect(&self) -> super::tokenize::Dialect {
        let delimiter = match self.cutting {
            Cutting::Delimited(delimiter) => delimiter,
            Cutting::Fixed { .. } => b',',
        };
        super::tokenize::Dialect { delimiter, comment: self.comment_prefix.as_deref() == Some("#") }
    }

    /// Whether a file of this profile can be read in blocks: delimited (a fixed-width file is
    /// read whole).
    pub(crate) fn reads_in_blocks(&self) -> bool {
        matches!(self.cutting, Cutting::Delimited(_))
    }

    /// The patterns of the totals lines in words the file states, when the totals are given
    /// that way (not as a summary row or block); empty otherwise.
    pub(crate) fn totals_in_words(&self) -> &[String] {
        match &self.totals {
            Some(totals) if totals.row_prefix.is_none() && totals.block_header.is_none() => &totals.line_patterns,
            _ => &[],
        }
    }

    /// The fields whose values are read as the file has them (after the usual cleaning), a
    /// bit each (bit `field as usize`): no prefixes to strip and no null values in the
    /// profile, and no constant and no other columns tried first for the field — the common
    /// case, read on a fast path.
    pub(crate) fn plain_fields(&self) -> u32 {
        const _: () = assert!(StatementField::ALL.len() <= 32, "a bit a field");
        if !self.strip_prefixes.is_empty() || !self.null_values.is_empty() {
            return 0;
        }
        StatementField::ALL
            .iter()
            .filter(|&&field| self.field(field).map_or(true, |spec| spec.value.is_none() && spec.instead.is_empty()))
            .fold(0, |bits, &field| bits | 1 << field as u32)
    }

    /// Whether the profile gives `field` as a constant rather than a column.
    pub(crate) fn is_constant(&self, field: StatementField) -> bool {
        self.field(field).is_some_and(|spec| spec.value.is_some())
    }

    /// The fields a file must have: trade_date, amount, fee, card_type (unless the profile
    /// names one channel) and the profile's `required` list.
    pub(crate) fn required_fields(&self) -> impl Iterator<Item = StatementField> + '_ {
        StatementField::ALL.into_iter().filter(move |f| match f {
            StatementField::TradeDate | StatementField::Amount | StatementField::Fee => true,
            StatementField::CardType => self.channel.is_none(),
            other => self.also_required.contains(other),
        })
    }

    fn build(file: ProfileFile) -> Result<Profile> {
        let name = file.name.trim().to_string();
        if name.is_empty() || file.source.trim().is_empty() || file.title.trim().is_empty() {
            return Err(invalid("a profile needs a name, a title and a source (where its layout comes from)".into(), "name"));
        }
        let cutting = match (file.delimiter.as_deref(), file.fixed_widths.is_empty()) {
            (Some(_), false) => return Err(invalid("a profile has either a delimiter or fixed_widths, not both".into(), "fixed_widths")),
            (None, false) => {
                if file.fixed_widths.iter().any(|&w| w == 0 || w > 4096) || file.fixed_widths.len() > 512 {
                    return Err(invalid("fixed_widths must be 1 to 512 widths of 1 to 4096 bytes".into(), "fixed_widths"));
                }
                if file.fixed_gap > 64 {
                    return Err(invalid("fixed_gap must be at most 64 bytes".into(), "fixed_gap"));
                }
                Cutting::Fixed { widths: file.fixed_widths.clone(), gap: file.fixed_gap }
            }
            (delimiter, true) => {
                let text = delimiter.unwrap_or(",");
                let byte = match text {
                    "\\t" | "tab" => b'\t',
                    _ if text.len() == 1 && text.is_ascii() && !matches!(text, "\"" | "\n" | "\r") => text.as_bytes()[0],
                    _ => {
                        return Err(invalid(format!("delimiter {text:?} is not one ASCII character (\",\", \"|\", \"\\t\")"), "delimiter"))
                    }
                };
                Cutting::Delimited(byte)
            }
        };
        let header = file.header && matches!(cutting, Cutting::Delimited(_));
        let mut fields: Vec<Option<FieldSpec>> = vec![None; StatementField::ALL.len()];
        for (key, spec) in file.fields {
            let Some(field) = StatementField::ALL.iter().find(|f| f.name() == key) else {
                let known: Vec<&str> = StatementField::ALL.iter().map(|f| f.name()).collect();
                return Err(invalid(format!("unknown field {key:?}; the fields are {}", known.join(", ")), &format!("fields.{key}")));
            };
            let place = format!("fields.{key}");
            if spec.names.is_empty() && spec.position.is_none() && spec.value.is_none() {
                return Err(invalid(format!("field {key} needs names (header names), a position or a value"), &place));
            }
            if !header && spec.position.is_none() && spec.value.is_none() {
                return Err(invalid(format!("field {key}: a file without a header row needs a position"), &place));
            }
            let positions = std::iter::once(spec.position).chain(spec.instead.iter().map(|i| i.position));
            for position in positions.flatten() {
                if position == 0 || position > 4096 {
                    return Err(invalid(format!("field {key}: positions count from 1 (at most 4096)"), &place));
                }
                if let Cutting::Fixed { widths, .. } = &cutting {
                    if position > widths.len() {
                        return Err(invalid(format!("field {key}: position beyond the {} fixed widths", widths.len()), &place));
                    }
                }
            }
            let (mut format_len, mut format_items) = (None, Vec::new());
            let format_has_year = spec.format.as_deref().is_some_and(|format| format.contains("%Y") || format.contains("%y"));
            let format_digits = matches!(spec.format.as_deref(), Some("%Y%m%d" | "%Y%m%d%H%M%S"));
            if let Some(format) = &spec.format {
                (format_len, format_items) =
                    check_format(format).map_err(|message| invalid(format!("field {key}: {message}"), &format!("{place}.format")))?;
            }
            let (mut map, mut patterns) = (Vec::with_capacity(spec.map.len()), Vec::new());
            for (from, to) in spec.map {
                check_mapped(*field, &to).map_err(|message| invalid(format!("field {key}: {message}"), &format!("{place}.map")))?;
                if from.contains('*') {
                    patterns.push((Glob::new(from.trim()), to));
                } else {
                    map.push((from.trim().to_string(), to));
                }
            }
            patterns.sort_by_key(|(pattern, _)| std::cmp::Reverse(pattern.literal_len()));
            let mut sign_prefixes = Vec::with_capacity(spec.sign_prefixes.len());
            for (prefix, sign) in spec.sign_prefixes {
                let negative = match sign.as_str() {
                    "+" => false,
                    "-" => true,
                    _ => {
                        return Err(invalid(
                            format!("field {key}: sign_prefixes values are \"+\" or \"-\""),
                            &format!("{place}.sign_prefixes"),
                        ))
                    }
                };
                if prefix.is_empty() {
                    return Err(invalid(format!("field {key}: an empty sign prefix"), &format!("{place}.sign_prefixes")));
                }
                sign_prefixes.push((prefix, negative));
            }
            let mut instead = Vec::with_capacity(spec.instead.len());
            for other in spec.instead {
                let at = format!("{place}.instead");
                if other.names.is_empty() && other.position.is_none() {
                    return Err(invalid(format!("field {key}: an `instead` column needs names or a position"), &at));
                }
                if !header && other.position.is_none() {
                    return Err(invalid(format!("field {key}: a file without a header row needs a position"), &at));
                }
                let kinds = other
                    .kinds
                    .iter()
                    .map(|k| {
                        kind_named(k).ok_or_else(|| invalid(format!("field {key}: {k:?} is not a kind (purchase, void, refund)"), &at))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let channels = other
                    .channels
                    .iter()
                    .map(|c| Channel::parse(c).map_err(|_| invalid(format!("field {key}: {c:?} is not a channel"), &at)))
                    .collect::<Result<Vec<_>>>()?;
                instead.push(Instead {
                    names: other.names.into_iter().map(|n| n.trim().to_string()).collect(),
                    position: other.position,
                    kinds,
                    channels,
                });
            }
            fields[*field as usize] = Some(FieldSpec {
                names: spec.names.into_iter().map(|n| n.trim().to_string()).collect(),
                position: spec.position,
                format: spec.format,
                unit: spec.unit,
                sign: spec.sign,
                map,
                patterns,
                value: spec.value,
                sign_prefixes,
                instead,
                format_len,
                format_items,
                format_has_year,
                format_digits,
            });
        }
        let mut also_required = Vec::with_capacity(file.required.len());
        for name in &file.required {
            let field = StatementField::ALL
                .into_iter()
                .find(|f| f.name() == name.as_str())
                .ok_or_else(|| invalid(format!("required names unknown field {name:?}"), "required"))?;
            also_required.push(field);
        }
        let totals = file.totals.map(|t| Totals {
            row_prefix: t.row_prefix,
            block_header: t.block_header,
            line_patterns: t.line_patterns,
            count: t.count,
            amount: t.amount,
            refund: t.refund,
            fee: t.fee,
        });
        let profile = Profile {
            name,
            title: file.title,
            source: file.source,
            encoding: file.encoding,
            cutting,
            header,
            header_search_lines: file.header_search_lines.clamp(1, 1_000),
            comment_prefix: file.comment_prefix,
            strip_prefixes: file.strip_prefixes,
            summary_prefixes: file.summary_prefixes,
            details_end: file.details_end,
            channel: file.channel,
            also_required,
            fields,
            totals,
            null_values: file.null_values.into_iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect(),
            field_count: file.field_count,
            file_name_date: match file.file_name_date {
                None => None,
                Some(date) => {
                    let _ = check_format(&date.format)
                        .map_err(|message| invalid(format!("file_name_date: {message}"), "file_name_date.format"))?;
                    Some((date.after, date.format))
                }
            },
        };
        if let Some(missing) = profile.required_fields().find(|f| profile.fields[*f as usize].is_none()) {
            return Err(invalid(
                format!(
                    "the profile does not say where field {} is (required: trade_date, amount, fee, and card_type unless `channel` is set)",
                    missing.name()
                ),
                &format!("fields.{}", missing.name()),
            ));
        }
        Ok(profile)
    }
}

/// Checks a chrono format by formatting a known date-time with it: the length of every
/// value it writes when that length is fixed (numbers only), and the format's items, read once
/// for the readers.
fn check_format(format: &str) -> std::result::Result<(Option<usize>, Vec<chrono::format::Item<'static>>), String> {
    use std::fmt::Write as _;
    let items = chrono::format::StrftimeItems::new(format)
        .parse_to_owned()
        .map_err(|_| format!("{format:?} is not a date format (chrono's %Y, %m, %d, %H, %M, %S)"))?;
    let sample = chrono::NaiveDate::from_ymd_opt(2026, 5, 6).and_then(|d| d.and_hms_opt(10, 30, 0)).unwrap_or_default();
    let mut out = String::new();
    write!(out, "{}", sample.format(format)).map_err(|_| format!("{format:?} is not a date format"))?;
    let other = chrono::NaiveDate::from_ymd_opt(1999, 12, 31).and_then(|d| d.and_hms_opt(23, 59, 59)).unwrap_or_default();
    let mut again = String::new();
    write!(again, "{}", other.format(format)).map_err(|_| format!("{format:?} is not a date format"))?;
    let numeric = out.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_punctuation() || b == b' ');
    Ok(((numeric && out.len() == again.len()).then_some(out.len()), items))
}

/// Checks the canonical side of a value map for `field`.
fn check_mapped(field: StatementField, to: &str) -> std::result::Result<(), String> {
    let ok = match field {
        StatementField::Kind => to == "skip" || to == "deduction" || kind_named(to).is_some(),
        StatementField::CardType => Channel::parse(to).is_ok(),
        StatementField::Status | StatementField::Direction => meaning_named(to).is_some(),
        _ => return Err(format!("only kind, card_type, status and direction take a value map, not {}", field.name())),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{to:?} is not a value this field maps to"))
    }
}

/// A canonical kind name.
pub(crate) fn kind_named(name: &str) -> Option<TradeKind> {
    match name {
        "purchase" => Some(TradeKind::Purchase),
        "void" => Some(TradeKind::Void),
        "refund" => Some(TradeKind::Refund),
        _ => None,
    }
}

/// A canonical row meaning (for status and direction maps).
pub(crate) fn meaning_named(name: &str) -> Option<RowMeaning> {
    match name {
        "approved" | "read" => Some(RowMeaning::Read),
        "income" => Some(RowMeaning::Income),
        "expense" => Some(RowMeaning::Expense),
        "skip" | "neutral" => Some(RowMeaning::Skip),
        "declined" | "failed" => Some(RowMeaning::Declined),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_leave_out_constants_other_columns_and_profiles_that_strip_or_null() {
        let bit = |field: StatementField| 1u32 << field as u32;
        let plain = |name: &str| Profile::builtin(name).unwrap().plain_fields();
        // bank-pos: every field; allinpay-vsp: all but the reference, tried in 订单号 first for
        // QR rows; alipay-personal: all but the fee, a constant.
        assert_eq!(plain("bank-pos"), (1 << StatementField::ALL.len()) - 1);
        assert_eq!(plain("allinpay-vsp"), (1 << StatementField::ALL.len()) - 1 - bit(StatementField::Rrn));
        assert_eq!(plain("alipay-personal") & bit(StatementField::Fee), 0);
        assert_ne!(plain("alipay-personal") & bit(StatementField::Amount), 0);
        // Null values (leshua's `*`) and stripped prefixes (WeChat's backtick): none.
        assert_eq!(plain("leshua-trade"), 0);
        assert_eq!(plain("wechat-merchant"), 0);
    }

    #[test]
    fn every_shipped_profile_loads() {
        for name in formats() {
            let profile = Profile::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(profile.name(), name);
        }
    }

    #[test]
    fn patterns_match_with_stars() {
        let glob = |pattern: &str, text: &str| Glob::new(pattern).matches(text);
        assert!(glob("*退款", "二维码收款-退款"));
        assert!(glob("已退款(*)", "已退款(￥5.00)"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "AxxBc"));
        assert!(!glob("*退款", "退款中"));
        assert!(!glob("a*b", "ab-"));
        assert!(!glob("abc", "ab"));
        assert!(glob("", "") && !glob("", "x"));
        assert!(glob("拉卡拉*", "拉卡拉支付") && !glob("*拉卡拉*", "拉卡"));
    }

    fn read(profile: &str, text: &str) -> super::super::Statement {
        let profile = Profile::from_toml(&format!("name = \"t\"\ntitle = \"t\"\nsource = \"s\"\n{profile}")).unwrap();
        super::super::read_statement(text.as_bytes(), "t.csv", &profile).unwrap()
    }

    #[test]
    fn value_patterns_constants_and_directions_choose_the_merchants_trades() {
        let profile = r#"channel = "wechat"
[fields]
trade_date = { names = ["时间"] }
kind = { names = ["类型"], map = { "收款" = "purchase", "*退款" = "refund", "*" = "skip" } }
direction = { names = ["收/支"], map = { "收入" = "income", "支出" = "expense", "/" = "neutral" } }
amount = { names = ["金额"] }
fee = { value = "0" }
rrn = { names = ["单号"] }
"#;
        let text = "时间,类型,收/支,金额,单号\n\
                    2026-05-06 10:00:00,收款,收入,¥12.50,A1\n\
                    2026-05-06 10:01:00,收款-退款,支出,¥5.00,A1_R\n\
                    2026-05-06 10:02:00,消费,支出,¥9.00,B1\n\
                    2026-05-06 10:03:00,消费-退款,收入,¥9.00,B1_R\n\
                    2026-05-06 10:04:00,提现,/,¥100.00,W1\n\
                    2026-05-06 10:05:00,转账,收入,¥1.00,T1\n";
        let statement = read(profile, text);
        assert!(statement.issues().is_empty(), "{:?}", statement.issues());
        let rows: Vec<_> = (0..statement.len()).map(|k| statement.record(k)).collect();
        assert_eq!(
            rows.iter().map(|r| (r.rrn.as_str(), r.kind, r.line)).collect::<Vec<_>>(),
            [("A1", TradeKind::Purchase, 2), ("A1_R", TradeKind::Refund, 3)]
        );
        assert_eq!((rows[0].fee.to_string(), rows[1].net.to_string()), ("0.00".to_string(), "-5.00".to_string()));
    }

    #[test]
    fn instead_columns_null_values_and_sign_letters() {
        let profile = r#"null_values = ["*"]
[fields]
trade_date = { names = ["时间"], instead = [{ names = ["退款时间"], kinds = ["refund"] }] }
kind = { names = ["类型"], map = { "P" = "purchase", "R" = "refund" } }
amount = { names = ["金额"], unit = "fen" }
fee = { names = ["手续费"], unit = "fen", sign_prefixes = { D = "+", C = "-" } }
card_type = { names = ["支付方式"], instead = [{ names = ["卡类型"] }], map = { "微信" = "wechat", "信用卡" = "credit" } }
rrn = { names = ["参考号"], instead = [{ names = ["订单号"], channels = ["wechat"] }] }
terminal = { names = ["终端"] }
"#;
        let text = "时间,退款时间,类型,金额,手续费,支付方式,卡类型,参考号,订单号,终端\n\
                    2026-05-06 10:00:00,*,P,10000,D60,刷卡,信用卡,612610000001,*,T1\n\
                    2026-05-06 10:00:00,2026-05-07 09:00:00,R,5000,C30,微信,*,612610000002,SO1,*\n";
        let statement = read(profile, text);
        assert!(statement.issues().is_empty(), "{:?}", statement.issues());
        let (a, b) = (statement.record(0), statement.record(1));
        assert_eq!(
            (a.channel, a.rrn.as_str(), a.fee.to_string(), a.terminal.as_str()),
            (Channel::Credit, "612610000001", "0.60".to_string(), "T1")
        );
        assert_eq!((b.channel, b.rrn.as_str(), b.fee.to_string(), b.terminal.as_str()), (Channel::Wechat, "SO1", "-0.30".to_string(), ""));
        assert_eq!(b.time.format("%m-%d %H").to_string(), "05-07 09");
    }

    #[test]
    fn field_counts_and_fixed_length_formats_are_checked() {
        let profile = r#"delimiter = "|"
header = false
field_count = 4
channel = "credit"
[fields]
trade_date = { position = 1, format = "%Y%m%d%H%M%S" }
amount = { position = 2, unit = "fen" }
fee = { position = 3, unit = "fen" }
"#;
        let statement = read(profile, "20260506103000|100|1|x\n20260506103000|100|1\n2026056103000|100|1|x\n");
        assert_eq!(statement.len(), 1);
        let issues: Vec<_> = statement.issues().iter().map(|i| (i.error.location().line, i.error.location().field.clone())).collect();
        assert_eq!(issues, [(Some(2), Some("fields".to_string())), (Some(3), Some("trade_date".to_string()))]);
    }

    #[test]
    fn fixed_gaps_and_the_date_in_the_file_name() {
        let profile = Profile::from_toml(
            r#"name = "z"
title = "t"
source = "s"
fixed_widths = [10, 4, 5]
fixed_gap = 1
channel = "credit"
file_name_date = { after = "INN", format = "%y%m%d" }
[fields]
trade_date = { position = 1, format = "%m%d%H%M%S" }
amount = { position = 2, unit = "fen" }
fee = { position = 3, unit = "fen", sign_prefixes = { D = "+", C = "-" } }
"#,
        )
        .unwrap();
        let text = b"1231235959 1000 D0006
0101000001 1000 C0006
";
        let statement = super::super::read_statement(text, "dir/INN26010188ZM_1", &profile).unwrap();
        assert!(statement.issues().is_empty(), "{:?}", statement.issues());
        let (a, b) = (statement.record(0), statement.record(1));
        assert_eq!(a.time.format("%Y-%m-%d %H:%M:%S").to_string(), "2025-12-31 23:59:59");
        assert_eq!(b.time.format("%Y-%m-%d").to_string(), "2026-01-01");
        assert_eq!(
            (a.settlement_date.to_string(), a.fee.to_string(), b.fee.to_string()),
            ("2026-01-01".into(), "0.06".into(), "-0.06".into())
        );
    }

    #[test]
    fn profile_mistakes_name_the_key() {
        let base = "name = \"x\"\ntitle = \"t\"\nsource = \"s\"\n";
        let cases = [
            ("delimiter = \"||\"\n[fields]\n", "delimiter"),
            ("colour = 1\n[fields]\n", ""),
            ("[fields]\nwhen = { names = [\"a\"] }\n", "fields.when"),
            ("[fields]\ntrade_date = { names = [\"d\"], format = \"%Q\" }\namount = { names = [\"a\"] }\nfee = { names = [\"f\"] }\ncard_type = { names = [\"c\"] }\n", "fields.trade_date.format"),
            ("[fields]\ntrade_date = { names = [\"d\"] }\namount = { names = [\"a\"] }\nfee = { names = [\"f\"] }\ncard_type = { names = [\"c\"], map = { x = \"visa\" } }\n", "fields.card_type.map"),
            ("header = false\n[fields]\ntrade_date = { names = [\"d\"] }\n", "fields.trade_date"),
            ("[fields]\ntrade_date = { names = [\"d\"], instead = [{ names = [\"e\"], kinds = [\"sale\"] }] }\n", "fields.trade_date.instead"),
            ("[fields]\nfee = { names = [\"f\"], sign_prefixes = { D = \"plus\" } }\n", "fields.fee.sign_prefixes"),
            ("fixed_widths = [3]\nfixed_gap = 99\n[fields]\n", "fixed_gap"),
        ];
        for (text, key) in cases {
            let err = Profile::from_toml(&format!("{base}{text}")).unwrap_err();
            assert_eq!(err.code(), "invalid_record", "{text}");
            if !key.is_empty() {
                assert_eq!(err.location().field.as_deref(), Some(key), "{text}: {err}");
            } else {
                assert!(err.to_string().contains("colour"), "{err}");
            }
        }
    }
}
