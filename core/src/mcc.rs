//! Merchant category codes (MCC, 商户类别码) and the fee class each one was priced in before
//! the 2016 reform, as data (`core/data/mcc/mcc.csv`, embedded; a replacement table can be
//! read at run time with [`MccTable::parse`]).
//!
//! From 2013-02-25 to 2016-09-05 a card trade's fee depended on the merchant's class
//! (发改价格〔2013〕66号): catering/entertainment 1.25%, real estate and car sales 1.25% capped
//! at ¥80, general 0.78%, wholesale 0.78% capped at ¥26, people's livelihood 0.38%,
//! non-profit 0. The 2016 reform (发改价格〔2016〕557号) abolished the classes, but routing a
//! trade under a cheaper MCC (跳码) still follows them, so a finding names the class of each
//! MCC it sees.
//!
//! ```
//! use posfee::mcc::{mcc_info, MccCategory};
//! let restaurant = mcc_info("5812").expect("5812 is in the table");
//! assert_eq!(restaurant.category, MccCategory::CateringEntertainment);
//! assert_eq!(mcc_info("5411").unwrap().category.name_zh(), "民生类");
//! assert!(mcc_info("0000").is_none());
//! ```

use std::sync::OnceLock;

use serde::Serialize;

use crate::data_table::read_data_table;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::rate::Rate;

const EMBEDDED_MCC_CSV: &str = include_str!("../data/mcc/mcc.csv");
const MCC_FILE_NAME: &str = "data/mcc/mcc.csv";
const COLUMNS: [&str; 5] = ["mcc", "category", "name_zh", "name_en", "source"];

/// The most rows an MCC table may hold (the ISO 18245 code space has 10,000 codes).
pub const MCC_ROWS_MAX: usize = crate::data_table::DATA_TABLE_ROWS_MAX;

/// The fee class of a merchant category in the UnionPay schedule of 2013-02-25 to
/// 2016-09-05 (银发〔2012〕263号, 发改价格〔2013〕66号).
///
/// # Example
/// ```
/// use posfee::mcc::MccCategory;
/// let class = MccCategory::Wholesale;
/// assert_eq!((class.name(), class.name_zh(), class.name_en()), ("wholesale", "批发类", "wholesale"));
/// assert_eq!(serde_json::to_string(&MccCategory::PeoplesLivelihood).unwrap(), "\"peoples_livelihood\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MccCategory {
    /// 餐娱类: restaurants, hotels, entertainment, jewellery, arts and crafts (1.25%).
    CateringEntertainment,
    /// 房产汽车类: real estate and car sales, within the catering/entertainment rate but
    /// capped (1.25%, at most ¥80 a trade).
    RealEstateAuto,
    /// 一般类: department stores, general retail, training, agencies, travel agents,
    /// admission tickets (0.78%).
    General,
    /// 批发类: wholesale, within the general rate but capped (0.78%, at most ¥26 a trade).
    Wholesale,
    /// 民生类: supermarkets, hypermarkets, fuel, utility bills, transport tickets (0.38%).
    PeoplesLivelihood,
    /// 公益类: public hospitals, public schools, charities (no fee).
    NonProfit,
}

impl MccCategory {
    /// Every category, from the dearest to the cheapest.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::mcc::MccCategory::ALL.len(), 6);
    /// ```
    pub const ALL: [MccCategory; 6] = [
        MccCategory::CateringEntertainment,
        MccCategory::RealEstateAuto,
        MccCategory::General,
        MccCategory::Wholesale,
        MccCategory::PeoplesLivelihood,
        MccCategory::NonProfit,
    ];

    /// The snake_case name (the serde name and the `category` column of the data file).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::mcc::MccCategory::RealEstateAuto.name(), "real_estate_auto");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            MccCategory::CateringEntertainment => "catering_entertainment",
            MccCategory::RealEstateAuto => "real_estate_auto",
            MccCategory::General => "general",
            MccCategory::Wholesale => "wholesale",
            MccCategory::PeoplesLivelihood => "peoples_livelihood",
            MccCategory::NonProfit => "non_profit",
        }
    }

    /// The Chinese name used by acquirers.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::mcc::MccCategory::CateringEntertainment.name_zh(), "餐娱类");
    /// ```
    pub const fn name_zh(self) -> &'static str {
        match self {
            MccCategory::CateringEntertainment => "餐娱类",
            MccCategory::RealEstateAuto => "房产汽车类",
            MccCategory::General => "一般类",
            MccCategory::Wholesale => "批发类",
            MccCategory::PeoplesLivelihood => "民生类",
            MccCategory::NonProfit => "公益类",
        }
    }

    /// The English name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::mcc::MccCategory::PeoplesLivelihood.name_en(), "people's livelihood");
    /// ```
    pub const fn name_en(self) -> &'static str {
        match self {
            MccCategory::CateringEntertainment => "catering and entertainment",
            MccCategory::RealEstateAuto => "real estate and car sales",
            MccCategory::General => "general",
            MccCategory::Wholesale => "wholesale",
            MccCategory::PeoplesLivelihood => "people's livelihood",
            MccCategory::NonProfit => "non-profit",
        }
    }

    /// The category with this snake_case [`name`](MccCategory::name).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the text and the known names.
    ///
    /// # Example
    /// ```
    /// use posfee::mcc::MccCategory;
    /// assert_eq!(MccCategory::from_name("non_profit")?, MccCategory::NonProfit);
    /// assert_eq!(MccCategory::from_name("luxury").unwrap_err().code(), "invalid_record");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_name(text: &str) -> Result<MccCategory> {
        MccCategory::ALL.into_iter().find(|category| category.name() == text.trim()).ok_or_else(|| {
            let known: Vec<&str> = MccCategory::ALL.iter().map(|category| category.name()).collect();
            Error::new(ErrorKind::InvalidRecord, format!("MCC category {text:?} is not one of {}", known.join(", ")))
        })
    }

    /// The merchant rate of the class in the 2013–2016 schedule (issuer + network + the
    /// acquirer's benchmark), as the press reported it on 2012-11-27.
    ///
    /// # Example
    /// ```
    /// use posfee::mcc::MccCategory;
    /// assert_eq!(MccCategory::CateringEntertainment.rate_2013().percent_text(), "1.25");
    /// assert_eq!(MccCategory::NonProfit.rate_2013().percent_text(), "0");
    /// ```
    pub fn rate_2013(self) -> Rate {
        let rate_e8 = match self {
            MccCategory::CateringEntertainment | MccCategory::RealEstateAuto => 1_250_000,
            MccCategory::General | MccCategory::Wholesale => 780_000,
            MccCategory::PeoplesLivelihood => 380_000,
            MccCategory::NonProfit => 0,
        };
        Rate::from_e8(rate_e8).expect("the 2013 class rates are between 0 and 100%")
    }

    /// The per-trade cap of the class in the 2013–2016 schedule: ¥80 for real estate and
    /// car sales, ¥26 for wholesale, none for the others.
    ///
    /// # Example
    /// ```
    /// use posfee::{mcc::MccCategory, Money};
    /// assert_eq!(MccCategory::Wholesale.cap_2013(), Some(Money::from_yuan(26)));
    /// assert_eq!(MccCategory::General.cap_2013(), None);
    /// ```
    pub const fn cap_2013(self) -> Option<Money> {
        match self {
            MccCategory::RealEstateAuto => Some(Money::from_yuan(80)),
            MccCategory::Wholesale => Some(Money::from_yuan(26)),
            _ => None,
        }
    }
}

impl std::fmt::Display for MccCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One merchant category code: its descriptions, its pre-2016 fee class and where the class
/// comes from.
///
/// # Example
/// ```
/// let hotel = posfee::mcc::mcc_info("7011").unwrap();
/// assert_eq!(hotel.mcc, "7011");
/// assert_eq!(hotel.name_en, "lodging: hotels and motels and resorts");
/// assert_eq!(hotel.category.name_zh(), "餐娱类");
/// assert!(hotel.source.starts_with("cup-rate-table"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MccInfo {
    /// The four-digit code.
    pub mcc: String,
    /// What the code covers, in Chinese.
    pub name_zh: String,
    /// What the code covers, in English.
    pub name_en: String,
    /// The fee class the code was priced in from 2013-02-25 to 2016-09-05.
    pub category: MccCategory,
    /// The source of the row: its key in the data file, a colon, and the source's description
    /// from the file's header.
    pub source: String,
}

/// A table of merchant category codes: the embedded one ([`MccTable::embedded`]) or one read
/// from text in the format of `core/data/mcc/mcc.csv`.
///
/// The format: lines starting with `#` are comments, and `# source KEY: description`
/// declares a source; then a header line `mcc,category,name_zh,name_en,source`; then one row
/// per code. Fields are separated by commas and may not contain one (no quoting).
///
/// # Example
/// ```
/// use posfee::mcc::{MccCategory, MccTable};
/// let table = MccTable::parse("# source mine: our acquirer's contract\nmcc,category,name_zh,name_en,source\n5812,catering_entertainment,餐馆,restaurants,mine\n")?;
/// assert_eq!(table.get("5812").unwrap().category, MccCategory::CateringEntertainment);
/// assert_eq!(table.len(), 1);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MccTable {
    rows_by_mcc: Vec<MccInfo>,
}

impl MccTable {
    /// The embedded table (`core/data/mcc/mcc.csv`), read once.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::mcc::MccTable::embedded().len() >= 80);
    /// ```
    pub fn embedded() -> &'static MccTable {
        static TABLE: OnceLock<MccTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            MccTable::parse_named(EMBEDDED_MCC_CSV, MCC_FILE_NAME).expect("the embedded MCC table is valid (checked by tests)")
        })
    }

    /// Reads a table in the format of `core/data/mcc/mcc.csv`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the line and field of the first bad value: a
    /// missing or different header, a row with another number of fields, an MCC that is not
    /// four digits, an unknown category, an empty description, a source not declared in the
    /// header comments, a code listed twice, or more than [`MCC_ROWS_MAX`] rows.
    ///
    /// # Example
    /// ```
    /// use posfee::mcc::MccTable;
    /// let err = MccTable::parse("# source x: my notes\nmcc,category,name_zh,name_en,source\n58120,general,餐馆,restaurants,x\n").unwrap_err();
    /// assert_eq!(err.code(), "invalid_record");
    /// assert_eq!((err.location().line, err.location().field.as_deref()), (Some(3), Some("mcc")));
    /// assert!(err.message().contains("\"58120\""), "{}", err.message());
    /// ```
    pub fn parse(text: &str) -> Result<MccTable> {
        MccTable::parse_named(text, "MCC table")
    }

    fn parse_named(text: &str, file: &str) -> Result<MccTable> {
        let mut rows_by_mcc: Vec<MccInfo> = Vec::new();
        for row in read_data_table(text, file, &COLUMNS)? {
            let [mcc, category, name_zh, name_en, _] = [row.fields[0], row.fields[1], row.fields[2], row.fields[3], row.fields[4]];
            if mcc.len() != 4 || !mcc.bytes().all(|b| b.is_ascii_digit()) {
                return Err(row.error(file, "mcc", format!("MCC {mcc:?} is not four digits")));
            }
            let category = MccCategory::from_name(category).map_err(|e| row.error(file, "category", e.message().to_string()))?;
            for (field, value) in [("name_zh", name_zh), ("name_en", name_en)] {
                if value.is_empty() {
                    return Err(row.error(file, field, format!("MCC {mcc} has an empty {field}")));
                }
            }
            // Rows are kept sorted by code, so lookups are binary searches.
            let position = rows_by_mcc.partition_point(|known| known.mcc.as_str() < mcc);
            if rows_by_mcc.get(position).is_some_and(|known| known.mcc == mcc) {
                return Err(row.error(file, "mcc", format!("MCC {mcc} is listed twice")));
            }
            let info =
                MccInfo { mcc: mcc.to_string(), name_zh: name_zh.to_string(), name_en: name_en.to_string(), category, source: row.source };
            rows_by_mcc.insert(position, info);
        }
        Ok(MccTable { rows_by_mcc })
    }

    /// The row of a code (surrounding spaces ignored), or `None` when the table lacks it.
    ///
    /// # Example
    /// ```
    /// let table = posfee::mcc::MccTable::embedded();
    /// assert_eq!(table.get(" 5541 ").unwrap().name_en, "service stations");
    /// assert!(table.get("9999").is_none());
    /// ```
    pub fn get(&self, mcc: &str) -> Option<&MccInfo> {
        let mcc = mcc.trim();
        self.rows_by_mcc.binary_search_by(|row| row.mcc.as_str().cmp(mcc)).ok().map(|index| &self.rows_by_mcc[index])
    }

    /// Every row, by code.
    ///
    /// # Example
    /// ```
    /// let table = posfee::mcc::MccTable::embedded();
    /// assert_eq!(table.iter().next().unwrap().mcc, "1520");
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &MccInfo> + '_ {
        self.rows_by_mcc.iter()
    }

    /// The number of rows.
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::mcc::MccTable::embedded().is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.rows_by_mcc.len()
    }

    /// Whether the table has no rows.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::mcc::MccTable::parse("mcc,category,name_zh,name_en,source\n")?.is_empty());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rows_by_mcc.is_empty()
    }
}

/// The embedded table's row of a code (surrounding spaces ignored); `None` for a code the
/// table does not hold.
///
/// # Example
/// ```
/// use posfee::mcc::{mcc_info, MccCategory};
/// assert_eq!(mcc_info("5411").unwrap().category, MccCategory::PeoplesLivelihood);
/// assert_eq!(mcc_info("8062").unwrap().category, MccCategory::NonProfit);
/// assert!(mcc_info("12").is_none());
/// ```
pub fn mcc_info(mcc: &str) -> Option<&'static MccInfo> {
    MccTable::embedded().get(mcc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# source s: a source\nmcc,category,name_zh,name_en,source\n";

    #[test]
    fn embedded_table_reads_and_every_category_has_rows() {
        let table = MccTable::parse_named(EMBEDDED_MCC_CSV, MCC_FILE_NAME).unwrap();
        assert_eq!(table.len(), EMBEDDED_MCC_CSV.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count());
        for category in MccCategory::ALL {
            let count = table.iter().filter(|row| row.category == category).count();
            assert!(count >= 4, "{category} has {count} rows");
        }
        assert!(table.iter().zip(table.iter().skip(1)).all(|(a, b)| a.mcc < b.mcc), "rows sorted, no duplicates");
    }

    #[test]
    fn golden_rows() {
        use MccCategory::*;
        let expected = [
            ("5812", CateringEntertainment),
            ("5813", CateringEntertainment),
            ("7011", CateringEntertainment),
            ("5944", CateringEntertainment),
            ("7911", CateringEntertainment),
            ("7992", CateringEntertainment),
            ("7996", CateringEntertainment),
            ("7997", CateringEntertainment),
            ("5411", PeoplesLivelihood),
            ("5541", PeoplesLivelihood),
            ("5542", PeoplesLivelihood),
            ("4900", PeoplesLivelihood),
            ("4112", PeoplesLivelihood),
            ("5311", General),
            ("5331", General),
            ("5399", General),
            ("5651", General),
            ("5691", General),
            ("5732", General),
            ("5999", General),
            ("8062", NonProfit),
            ("8211", NonProfit),
            ("8220", NonProfit),
            ("8398", NonProfit),
            ("5013", Wholesale),
            ("5047", Wholesale),
            ("5065", Wholesale),
            ("5072", Wholesale),
            ("5111", Wholesale),
            ("5122", Wholesale),
            ("5137", Wholesale),
            ("5139", Wholesale),
            ("5172", Wholesale),
            ("5192", Wholesale),
            ("5193", Wholesale),
            ("5198", Wholesale),
            ("5398", Wholesale),
            ("5511", RealEstateAuto),
            ("5521", RealEstateAuto),
            ("1520", RealEstateAuto),
        ];
        for (mcc, category) in expected {
            assert_eq!(mcc_info(mcc).map(|row| row.category), Some(category), "MCC {mcc}");
        }
        for unknown in ["0000", "9999", "", "581", "58120", "abcd"] {
            assert!(mcc_info(unknown).is_none(), "{unknown:?}");
        }
    }

    #[test]
    fn every_row_names_a_declared_source() {
        for row in MccTable::embedded().iter() {
            let (key, description) = row.source.split_once(": ").unwrap();
            assert!(["press-2012", "cup-rate-table", "capped-lists"].contains(&key), "{}: {key}", row.mcc);
            assert!(description.contains("http"), "{}: {description}", row.mcc);
        }
    }

    #[test]
    fn category_names_round_trip() {
        for category in MccCategory::ALL {
            assert_eq!(MccCategory::from_name(category.name()).unwrap(), category);
            assert_eq!(serde_json::to_value(category).unwrap(), serde_json::Value::from(category.name()));
            assert!(category.rate_2013() <= MccCategory::CateringEntertainment.rate_2013());
        }
    }

    #[test]
    fn bad_tables_name_line_and_field() {
        let cases: [(&str, u64, &str, &str); 5] = [
            ("58x2,general,a,b,s\n", 3, "mcc", "\"58x2\""),
            ("5812,luxury,a,b,s\n", 3, "category", "\"luxury\""),
            ("5812,general,,b,s\n", 3, "name_zh", "empty name_zh"),
            ("5812,general,a,b,other\n", 3, "source", "\"other\""),
            ("5812,general,a,b,s\n5411,general,a,b,s\n5812,general,c,d,s\n", 5, "mcc", "5812 is listed twice"),
        ];
        for (rows, line, field, words) in cases {
            let text = format!("{HEADER}{rows}");
            crate::data_table::assert_invalid_record(&MccTable::parse(&text).unwrap_err(), line, field, words);
        }
    }

    #[test]
    fn rows_sorted_whatever_the_file_order() {
        let table = MccTable::parse(&format!(
            "{HEADER}7011,catering_entertainment,a,b,s\n1520,real_estate_auto,c,d,s\n5411,peoples_livelihood,e,f,s\n"
        ))
        .unwrap();
        let codes: Vec<&str> = table.iter().map(|row| row.mcc.as_str()).collect();
        assert_eq!(codes, ["1520", "5411", "7011"]);
        assert_eq!(table.get("5411").unwrap().name_zh, "e");
    }
}
