//! The dispute list: what a merchant sends the acquirer — for each finding, the trades
//! behind it (date, terminal, reference number, amount, charged fee, contracted fee,
//! difference) and their totals; then the other trades charged above the contract. As CSV
//! and as a printable HTML page, in Chinese or English.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::class::Class;
use super::findings::Finding;
use super::report::Report;
use super::schema::{from_unix, Statement};
use super::spreadsheet::neutralize_cell;
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Lang;
use crate::money::Money;

/// The columns of [`DisputeList::to_csv`] in English (the Chinese headers follow the same
/// order).
pub const DISPUTE_CSV_COLUMNS: [&str; 11] = [
    "issue",
    "trade_date",
    "terminal",
    "reference",
    "merchant_no",
    "amount",
    "charged_fee",
    "contract_fee",
    "difference",
    "settlement_date",
    "line",
];

const DISPUTE_CSV_COLUMNS_ZH: [&str; 11] =
    ["问题", "交易日期", "终端号", "参考号", "商户号", "交易金额", "实收手续费", "合同手续费", "差额", "结算日期", "对账单行号"];

/// One trade of a dispute.
///
/// # Example
/// ```
/// let row = posfee::reconcile::DisputeRow::default();
/// assert_eq!(row.difference, posfee::Money::ZERO);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DisputeRow {
    /// The trade date (China time).
    pub trade_date: NaiveDate,
    /// The terminal.
    pub terminal: String,
    /// The reference number (RRN or order number).
    pub reference: String,
    /// The merchant number on the statement.
    pub merchant_no: String,
    /// The trade amount.
    pub amount: Money,
    /// The fee charged.
    pub charged_fee: Money,
    /// The fee of the contract (`None` when the contract could not price the trade).
    pub contract_fee: Option<Money>,
    /// Charged minus contract (zero when unknown).
    pub difference: Money,
    /// The statement's settlement date.
    pub settlement_date: NaiveDate,
    /// The line in the statement file.
    pub line: u64,
}

/// The trades of one finding (or of the other overcharges) and their totals.
///
/// # Example
/// ```
/// let section = posfee::reconcile::DisputeSection::default();
/// assert!(section.rows.is_empty() && section.finding.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DisputeSection {
    /// The finding (`None`: trades charged above the contract that belong to no finding).
    pub finding: Option<Finding>,
    /// The heading in Chinese.
    pub title_zh: String,
    /// The heading in English.
    pub title_en: String,
    /// The trades.
    pub rows: Vec<DisputeRow>,
    /// Sum of the amounts.
    pub amount: Money,
    /// Sum of the charged fees.
    pub charged_fee: Money,
    /// Sum of the differences.
    pub difference: Money,
}

/// What a merchant sends the acquirer: the findings and their trades
/// ([`Report::dispute`]).
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, Pattern, SimulationOptions}};
/// let rise = Pattern::Rate { from: posfee::parse_date("2026-03-10")?, channel: posfee::Channel::Credit, rate: posfee::Rate::parse("0.68%")? };
/// let sample = generate(&SimulationOptions::new(7).trades(2_000).faults_per_class(0).pattern(rise))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let dispute = report.dispute(&sample.statement, &sample.options.profile);
/// assert_eq!(dispute.sections[0].rows.len() as u64, report.summary.findings[0].trades);
/// assert_eq!(dispute.sections[0].difference, report.summary.findings[0].money);
/// assert!(dispute.to_csv(posfee::Lang::En).starts_with("issue,trade_date,terminal,reference,"));
/// assert!(dispute.to_html(posfee::Lang::Zh).contains("<html lang=\"zh-CN\">"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DisputeList {
    /// The registered merchant number.
    pub merchant_no: String,
    /// The registered merchant name.
    pub merchant_name: String,
    /// One section per finding with statement rows, then the other overcharges.
    pub sections: Vec<DisputeSection>,
    /// The sum of the sections' differences (fees charged above the contract, net of those
    /// below).
    pub difference: Money,
}

impl Report {
    /// The dispute list of this report: a section per finding (its trades), then a section
    /// of the other trades charged above the contract. `statement` is the statement the
    /// report was made from; `profile` names the merchant (a portfolio's list names how many
    /// merchants it covers instead, and each finding and row its own merchant).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
    /// let sample = generate(&SimulationOptions::new(3).trades(500))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let dispute = report.dispute(&sample.statement, &sample.options.profile);
    /// // The simulated fee faults have no pattern: they are the "other overcharges".
    /// let other = dispute.sections.iter().find(|s| s.finding.is_none()).expect("overcharges");
    /// assert!(other.difference > posfee::Money::ZERO);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn dispute(&self, statement: &Statement, profile: &super::MerchantProfile) -> DisputeList {
        let row_of = |j: u32| -> DisputeRow {
            let j = j as usize;
            let result = self.row(self.ledger.class.len() + j);
            let contract_fee = result.and_then(|r| r.expected_fee);
            let charged_fee = statement.fee[j];
            DisputeRow {
                trade_date: from_unix(statement.time[j]).date_naive(),
                terminal: statement.terminal.view().get(j).to_string(),
                reference: statement.rrn.view().get(j).to_string(),
                merchant_no: statement.merchant_no.view().get(j).to_string(),
                amount: Money::from_fen(statement.amount_fen[j]),
                charged_fee,
                contract_fee,
                difference: contract_fee.map_or(Money::ZERO, |contract| charged_fee - contract),
                settlement_date: statement.settlement_date[j],
                line: statement.line.get(j),
            }
        };
        let mut sections = Vec::new();
        let mut in_finding = vec![false; statement.len()];
        for (k, finding) in self.summary.findings.iter().enumerate() {
            let rows: Vec<DisputeRow> = self.finding_rows(k).iter().map(|&j| row_of(j)).collect();
            for &j in self.finding_rows(k) {
                in_finding[j as usize] = true;
            }
            sections.push(section(Some(finding.clone()), finding.zh.clone(), finding.en.clone(), rows));
        }
        let fee_classes = [Class::ExtraFee, Class::FeeAbove];
        let other: Vec<DisputeRow> = (0..statement.len())
            .filter(|&j| !in_finding[j] && fee_classes.iter().any(|&c| self.statement.findings[j].contains(c)))
            .map(|j| row_of(j as u32))
            .collect();
        if !other.is_empty() {
            sections.push(section(
                None,
                "其他高于合同费率的交易".to_string(),
                "other trades charged above the contract".to_string(),
                other,
            ));
        }
        let difference = sections.iter().fold(Money::ZERO, |sum, s| sum.checked_add(s.difference).unwrap_or(Money::MAX));
        // A portfolio's list covers its merchants (each finding and row names its own).
        let portfolio = !self.ledger_contract.is_empty() || !self.statement_contract.is_empty();
        let (merchant_no, merchant_name) = if portfolio {
            let mut numbers: Vec<&str> = self.merchants.iter().map(|(number, _, _)| number.as_str()).collect();
            numbers.sort_unstable();
            numbers.dedup();
            (String::new(), crate::text::counted(numbers.len() as i128, "merchant", "merchants"))
        } else {
            (profile.merchant_no.as_str().to_string(), profile.name.clone())
        };
        DisputeList { merchant_no, merchant_name, sections, difference }
    }
}

fn section(finding: Option<Finding>, title_zh: String, title_en: String, rows: Vec<DisputeRow>) -> DisputeSection {
    let sum =
        |f: &dyn Fn(&DisputeRow) -> Money| rows.iter().fold(Money::ZERO, |total, row| total.checked_add(f(row)).unwrap_or(Money::MAX));
    let (amount, charged_fee, difference) = (sum(&|r| r.amount), sum(&|r| r.charged_fee), sum(&|r| r.difference));
    DisputeSection { finding, title_zh, title_en, rows, amount, charged_fee, difference }
}

/// How a dispute list is written: a printable HTML page or CSV.
///
/// # Example
/// ```
/// use posfee::reconcile::DisputeFormat;
/// assert_eq!(DisputeFormat::for_path(std::path::Path::new("out/Dispute.HTML"))?, DisputeFormat::Html);
/// assert_eq!(DisputeFormat::parse("csv")?, DisputeFormat::Csv);
/// let err = DisputeFormat::for_path(std::path::Path::new("dispute.pdf")).unwrap_err();
/// assert!(err.to_string().contains("name it .html (a printable page) or .csv"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisputeFormat {
    /// A printable HTML page ([`DisputeList::to_html`]).
    Html,
    /// CSV ([`DisputeList::to_csv`]).
    Csv,
}

impl DisputeFormat {
    /// `html` or `csv`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] naming the text otherwise.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::DisputeFormat::parse("html")?, posfee::reconcile::DisputeFormat::Html);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<DisputeFormat> {
        match text {
            "html" => Ok(DisputeFormat::Html),
            "csv" => Ok(DisputeFormat::Csv),
            other => {
                Err(Error::new(ErrorKind::InvalidRequest, format!("dispute format {other:?} is not one of html, csv")).in_field("format"))
            }
        }
    }

    /// The format a file name asks for: `.html` / `.htm` or `.csv` (any case).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] naming the file for any other name.
    ///
    /// # Example
    /// ```
    /// let format = posfee::reconcile::DisputeFormat::for_path(std::path::Path::new("d.csv"))?;
    /// assert_eq!(format, posfee::reconcile::DisputeFormat::Csv);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn for_path(path: &Path) -> Result<DisputeFormat> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Ok(DisputeFormat::Csv),
            "html" | "htm" => Ok(DisputeFormat::Html),
            _ => Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("cannot write the dispute list to {}: name it .html (a printable page) or .csv", path.display()),
            )
            .at(crate::error::Location::default().file(path.display().to_string()))),
        }
    }
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

impl DisputeSection {
    /// The heading in one language.
    ///
    /// # Example
    /// ```
    /// let section = posfee::reconcile::DisputeSection { title_en: "x".into(), ..Default::default() };
    /// assert_eq!(section.title(posfee::Lang::En), "x");
    /// ```
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title_zh, &self.title_en)
    }
}

impl DisputeList {
    /// The list as text in one format and language.
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, reconcile::{DisputeFormat, DisputeList}};
    /// let list = DisputeList::default();
    /// assert_eq!(list.render(DisputeFormat::Csv, Lang::En), list.to_csv(Lang::En));
    /// ```
    pub fn render(&self, format: DisputeFormat, lang: Lang) -> String {
        match format {
            DisputeFormat::Html => self.to_html(lang),
            DisputeFormat::Csv => self.to_csv(lang),
        }
    }

    /// Every section's trades as CSV with the section's heading in the first column (headers
    /// in the chosen language: [`DISPUTE_CSV_COLUMNS`] or their Chinese), and a total line
    /// per section. Text from the statement is neutralised against spreadsheet formulas.
    ///
    /// # Example
    /// ```
    /// let csv = posfee::reconcile::DisputeList::default().to_csv(posfee::Lang::Zh);
    /// assert!(csv.starts_with("问题,交易日期,终端号,参考号"));
    /// ```
    pub fn to_csv(&self, lang: Lang) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(match lang {
            Lang::Zh => DISPUTE_CSV_COLUMNS_ZH,
            Lang::En => DISPUTE_CSV_COLUMNS,
        });
        let total = lang.pick("合计", "total");
        for section in &self.sections {
            let title = section.title(lang);
            for row in &section.rows {
                let _ = writer.write_record([
                    neutralize_cell(title).as_ref(),
                    &row.trade_date.to_string(),
                    &neutralize_cell(&row.terminal),
                    &neutralize_cell(&row.reference),
                    &neutralize_cell(&row.merchant_no),
                    &row.amount.to_string(),
                    &row.charged_fee.to_string(),
                    &row.contract_fee.map(|m| m.to_string()).unwrap_or_default(),
                    &row.difference.to_string(),
                    &row.settlement_date.to_string(),
                    &row.line.to_string(),
                ]);
            }
            let _ = writer.write_record([
                neutralize_cell(title).as_ref(),
                total,
                "",
                "",
                "",
                &section.amount.to_string(),
                &section.charged_fee.to_string(),
                "",
                &section.difference.to_string(),
                "",
                "",
            ]);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// A printable HTML page (one file, no script, no outside resources): the merchant, each
    /// section with its trades and totals, and the total difference. Every text from the
    /// inputs is escaped.
    ///
    /// # Example
    /// ```
    /// let mut list = posfee::reconcile::DisputeList::default();
    /// list.merchant_name = "<script>alert(1)</script>".into();
    /// let html = list.to_html(posfee::Lang::En);
    /// assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
    /// ```
    pub fn to_html(&self, lang: Lang) -> String {
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let mut out = String::with_capacity(4096 + self.sections.iter().map(|s| s.rows.len() * 200).sum::<usize>());
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <title>{}</title>\n<style>\n\
             body{{font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:2em;color:#111}}\n\
             table{{border-collapse:collapse;width:100%;margin:0.5em 0 1.5em;font-size:0.9em}}\n\
             th,td{{border:1px solid #999;padding:0.25em 0.5em;text-align:left}}\n\
             td.n,th.n{{text-align:right;font-variant-numeric:tabular-nums}}\n\
             tfoot td{{font-weight:bold}}\n@media print{{body{{margin:0}}h2{{break-after:avoid}}}}\n\
             </style>\n</head>\n<body>\n",
            t("zh-CN", "en"),
            t("手续费及结算异议清单", "Fee and settlement dispute list"),
        );
        let _ = writeln!(out, "<h1>{}</h1>", t("手续费及结算异议清单", "Fee and settlement dispute list"));
        let _ = writeln!(
            out,
            "<p>{}: {} &nbsp; {}: {}</p>",
            t("商户号", "Merchant number"),
            escape(&self.merchant_no),
            t("商户名称", "Merchant name"),
            escape(&self.merchant_name)
        );
        let _ = writeln!(
            out,
            "<p>{} ¥{}</p>",
            t(
                "以下交易的手续费与合同不符或结算异常，合计差额",
                "The trades below were charged or settled otherwise than contracted; total fee difference"
            ),
            self.difference
        );
        let headers = match lang {
            Lang::Zh => &DISPUTE_CSV_COLUMNS_ZH[1..],
            Lang::En => &DISPUTE_CSV_COLUMNS[1..],
        };
        for section in &self.sections {
            let _ = writeln!(out, "<h2>{}</h2>\n<table>\n<thead><tr>", escape(section.title(lang)));
            for (k, header) in headers.iter().enumerate() {
                let class = if (4..=7).contains(&k) { " class=\"n\"" } else { "" };
                let _ = write!(out, "<th{class}>{}</th>", escape(&header.replace('_', " ")));
            }
            let _ = writeln!(out, "</tr></thead>\n<tbody>");
            for row in &section.rows {
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                     <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                    row.trade_date,
                    escape(&row.terminal),
                    escape(&row.reference),
                    escape(&row.merchant_no),
                    row.amount,
                    row.charged_fee,
                    row.contract_fee.map(|m| m.to_string()).unwrap_or_default(),
                    row.difference,
                    row.settlement_date,
                    row.line
                );
            }
            let _ = writeln!(
                out,
                "</tbody>\n<tfoot><tr><td colspan=\"4\">{} ({} {})</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td>\
                 <td class=\"n\">{}</td><td colspan=\"2\"></td></tr></tfoot>\n</table>",
                t("合计", "Total"),
                section.rows.len(),
                t("笔", "trades"),
                section.amount,
                section.charged_fee,
                section.difference
            );
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}
