//! Format profiles: a statement layout described as data (TOML), so that a new acquirer's
//! file needs a profile, not code.
//!
//! A profile says how the text is cut into fields (delimiter or fixed widths, header row or
//! positions, lines to skip, prefixes to strip), where each canonical field is, how its
//! values read (date formats, yuan or fen, value maps for kinds, channels and statuses) and
//! where the file states its own totals. Profiles ship in `core/data/formats/` (each citing
//! where its layout comes from); [`Profile::from_toml`] loads a user's own.

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
    /// `SUCCESS` → `approved`, `支出` → `skip`).
    #[serde(default)]
    map: BTreeMap<String, String>,
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
}

impl FieldSpec {
    /// The canonical value a file value maps to.
    pub(crate) fn mapped(&self, value: &str) -> Option<&str> {
        self.map.iter().find(|(from, _)| from.eq_ignore_ascii_case(value)).map(|(_, to)| to.as_str())
    }
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
    /// Fields of fixed widths in bytes of the file's encoding.
    Fixed(Vec<usize>),
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
}

/// The shipped profiles: (name, TOML text).
const BUILTIN: [(&str, &str); 4] = [
    ("bank-pos", include_str!("../../data/formats/bank-pos.toml")),
    ("wechat-merchant", include_str!("../../data/formats/wechat-merchant.toml")),
    ("alipay-business", include_str!("../../data/formats/alipay-business.toml")),
    ("jlpay-detail", include_str!("../../data/formats/jlpay-detail.toml")),
];

/// The names of the shipped statement profiles, in the order sniffing tries them.
///
/// # Example
/// ```
/// assert!(posfee::reconcile::formats().contains(&"wechat-merchant"));
/// ```
pub fn formats() -> Vec<&'static str> {
    BUILTIN.iter().map(|(name, _)| *name).collect()
}

fn invalid(message: String, key: &str) -> Error {
    Error::new(ErrorKind::InvalidRecord, message).at(Location::default().field(key))
}

impl Profile {
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
        crate::limits::check_config_text(text, ErrorKind::InvalidRecord, "the format profile")?;
        let file: ProfileFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|span| {
                let before = text.get(..span.start).unwrap_or("");
                let line_start = before.rfind('\n').map_or(0, |k| k + 1);
                Location::default().line(before.matches('\n').count() as u64 + 1).column(before[line_start..].chars().count() as u64 + 1)
            });
            Error::new(ErrorKind::InvalidRecord, format!("format profile is not valid: {}", e.message())).at(at.unwrap_or_default())
        })?;
        Profile::build(file)
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
        let path = path.as_ref();
        let text = crate::read_text_file(path)?;
        Profile::from_toml(&text).map_err(|e| e.at(Location::default().file(path.display().to_string())))
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
        let Some((_, text)) = BUILTIN.iter().find(|(known, _)| *known == name.trim()) else {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("no statement format is named {name:?}; the formats are {}", formats().join(", ")),
            )
            .in_field("format"));
        };
        Profile::from_toml(text).map_err(|e| Error::new(e.kind(), format!("shipped profile {name}: {}", e.message())))
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
    /// assert_eq!(Profile::sniff(b"102310058120001|T0000001|01|02|6222********1234|100000|600|000001|000001|612610000001|123456|00|20260506103000|20260507\n")?.name(), "jlpay-detail");
    /// let err = Profile::sniff(b"a,b,c\n1,2,3\n").unwrap_err();
    /// assert!(err.to_string().contains("closest"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn sniff(head: &[u8]) -> Result<Profile> {
        const HEAD_BYTES: usize = 64 << 10;
        let mut head = &head[..head.len().min(HEAD_BYTES)];
        // Cut at the last line end, so a partial last line does not mislead.
        if let Some(end) = head.iter().rposition(|&b| b == b'\n') {
            head = &head[..=end];
        }
        let mut best: Option<(Profile, super::read::Fit)> = None;
        for name in formats() {
            let profile = Profile::builtin(name)?;
            let fit = super::read::fit(head, &profile);
            let better = match &best {
                None => true,
                Some((_, known)) => (fit.complete, fit.found) > (known.complete, known.found),
            };
            if better {
                best = Some((profile, fit));
            }
        }
        match best {
            Some((profile, fit)) if fit.complete => Ok(profile),
            Some((profile, fit)) => Err(Error::new(
                ErrorKind::InvalidRecord,
                format!(
                    "no statement format fits this file; the closest is {} ({}), which misses {}",
                    profile.name, profile.title, fit.missing
                ),
            )
            .in_field("format")),
            None => Err(Error::new(ErrorKind::InvalidRecord, "no statement formats are shipped").in_field("format")),
        }
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
                Cutting::Fixed(file.fixed_widths.clone())
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
            if spec.names.is_empty() && spec.position.is_none() {
                return Err(invalid(format!("field {key} needs names (header names) or a position"), &place));
            }
            if !header && spec.position.is_none() {
                return Err(invalid(format!("field {key}: a file without a header row needs a position"), &place));
            }
            if spec.position == Some(0) || spec.position.is_some_and(|p| p > 4096) {
                return Err(invalid(format!("field {key}: positions count from 1 (at most 4096)"), &place));
            }
            if let Cutting::Fixed(widths) = &cutting {
                if spec.position.is_some_and(|p| p > widths.len()) {
                    return Err(invalid(format!("field {key}: position beyond the {} fixed widths", widths.len()), &place));
                }
            }
            if let Some(format) = &spec.format {
                check_format(format).map_err(|message| invalid(format!("field {key}: {message}"), &format!("{place}.format")))?;
            }
            let mut map = Vec::with_capacity(spec.map.len());
            for (from, to) in spec.map {
                check_mapped(*field, &to).map_err(|message| invalid(format!("field {key}: {message}"), &format!("{place}.map")))?;
                map.push((from.trim().to_string(), to));
            }
            fields[*field as usize] = Some(FieldSpec {
                names: spec.names.into_iter().map(|n| n.trim().to_string()).collect(),
                position: spec.position,
                format: spec.format,
                unit: spec.unit,
                sign: spec.sign,
                map,
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

/// Checks a chrono format by formatting a known date-time with it.
fn check_format(format: &str) -> std::result::Result<(), String> {
    use std::fmt::Write as _;
    let items: Vec<chrono::format::Item<'_>> = chrono::format::StrftimeItems::new(format).collect();
    if items.iter().any(|item| matches!(item, chrono::format::Item::Error)) {
        return Err(format!("{format:?} is not a date format (chrono's %Y, %m, %d, %H, %M, %S)"));
    }
    let sample = chrono::NaiveDate::from_ymd_opt(2026, 5, 6).and_then(|d| d.and_hms_opt(10, 30, 0)).unwrap_or_default();
    let mut out = String::new();
    write!(out, "{}", sample.format(format)).map_err(|_| format!("{format:?} is not a date format"))
}

/// Checks the canonical side of a value map for `field`.
fn check_mapped(field: StatementField, to: &str) -> std::result::Result<(), String> {
    let ok = match field {
        StatementField::Kind => kind_named(to).is_some(),
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
        "approved" | "income" | "read" => Some(RowMeaning::Read),
        "skip" | "expense" | "neutral" => Some(RowMeaning::Skip),
        "declined" | "failed" => Some(RowMeaning::Declined),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_profile_loads() {
        for name in formats() {
            let profile = Profile::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(profile.name(), name);
        }
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
