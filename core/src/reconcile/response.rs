//! Response codes (ISO 8583 field 39): the UnionPay table (00–99 as assigned, A0–A7) and the
//! common acquirer-specific codes, as data (`core/data/response/response_codes.csv`): the
//! meaning in Chinese and English, who declined, and what the merchant should do.

use crate::messages::{Clause, Text};
use std::sync::OnceLock;

use serde::Serialize;

use crate::data_table::read_data_table;
use crate::error::{Error, ErrorKind, Result};

const EMBEDDED_RESPONSE_CODES_CSV: &str = include_str!("../../data/response/response_codes.csv");
const RESPONSE_CODES_FILE_NAME: &str = "data/response/response_codes.csv";
const COLUMNS: [&str; 6] = ["code", "declined_by", "action", "name_zh", "name_en", "source"];
/// The source key of the codes that are not UnionPay's.
const ACQUIRER_SOURCE_KEY: &str = "acquirer";

/// Who answered a trade with a decline, or where the cause of the decline lies.
///
/// # Example
/// ```
/// use posfee::reconcile::{DeclinedBy, ResponseMeaning};
/// assert_eq!(ResponseMeaning::of("51").declined_by, Some(DeclinedBy::Issuer));
/// assert_eq!(ResponseMeaning::of("00").declined_by, None);
/// assert_eq!((DeclinedBy::Terminal.name(), DeclinedBy::Terminal.name_zh()), ("terminal", "终端"));
/// assert_eq!(serde_json::to_string(&DeclinedBy::Acquirer).unwrap(), "\"acquirer\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclinedBy {
    /// The card's bank (发卡方): funds, card status, PIN, the card's own limits.
    Issuer,
    /// UnionPay, the switch between acquirer and issuer (转接清算): routing, format, timeouts.
    Network,
    /// The acquirer (收单机构), for the merchant's or terminal's registration: merchant
    /// number, MCC, terminal, permitted transactions, limits.
    Acquirer,
    /// The terminal's own state is out of step with the acquirer's host: keys (MAC, PIN),
    /// batch number, sign-in.
    Terminal,
    /// A code outside the table: who declined is not known.
    Unknown,
}

impl DeclinedBy {
    /// Every value, in declaration order.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::DeclinedBy::ALL.len(), 5);
    /// ```
    pub const ALL: [DeclinedBy; 5] =
        [DeclinedBy::Issuer, DeclinedBy::Network, DeclinedBy::Acquirer, DeclinedBy::Terminal, DeclinedBy::Unknown];

    /// The snake_case name (the serde name and the `declined_by` column of the data file).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::DeclinedBy::Network.name(), "network");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            DeclinedBy::Issuer => "issuer",
            DeclinedBy::Network => "network",
            DeclinedBy::Acquirer => "acquirer",
            DeclinedBy::Terminal => "terminal",
            DeclinedBy::Unknown => "unknown",
        }
    }

    /// The Chinese name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::DeclinedBy::Issuer.name_zh(), "发卡方");
    /// ```
    pub const fn name_zh(self) -> &'static str {
        match self {
            DeclinedBy::Issuer => "发卡方",
            DeclinedBy::Network => "银联网络",
            DeclinedBy::Acquirer => "收单机构",
            DeclinedBy::Terminal => "终端",
            DeclinedBy::Unknown => "未知",
        }
    }

    /// The English name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::DeclinedBy::Network.name_en(), "network (UnionPay)");
    /// ```
    pub const fn name_en(self) -> &'static str {
        match self {
            DeclinedBy::Issuer => "issuer",
            DeclinedBy::Network => "network (UnionPay)",
            DeclinedBy::Acquirer => "acquirer",
            DeclinedBy::Terminal => "terminal",
            DeclinedBy::Unknown => "unknown",
        }
    }
}

/// What the merchant should do after a response code.
///
/// # Example
/// ```
/// use posfee::reconcile::{ResponseAction, ResponseMeaning};
/// assert_eq!(ResponseMeaning::of("03").action, ResponseAction::ContactAcquirerCheckMerchantInfo);
/// assert_eq!(ResponseMeaning::of("A0").action, ResponseAction::SignInAgain);
/// assert_eq!(serde_json::to_string(&ResponseAction::DoNotRetry).unwrap(), "\"do_not_retry\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseAction {
    /// Approved: nothing to do.
    None,
    /// A passing fault (system, network, cut-over): try again shortly.
    Retry,
    /// Re-enter the PIN or the amount, or insert the chip, then try again.
    CorrectAndRetry,
    /// The outcome is not known (in progress, late answer, duplicate): look the trade up
    /// before charging the card again.
    CheckResultBeforeRetry,
    /// This card cannot pay (lost, stolen, expired, no account, fraud): ask for another card
    /// or payment; keep a card the issuer asks to keep.
    DoNotRetry,
    /// The issuer refused (funds, the card's limits, restrictions): the cardholder calls the
    /// bank.
    CardholderContactIssuer,
    /// The merchant's or terminal's registration is the cause: ask the acquirer to check the
    /// merchant number, MCC, terminal, permitted transactions, limits and business hours.
    ContactAcquirerCheckMerchantInfo,
    /// Sign the terminal in again (重新签到), settling the batch if asked.
    SignInAgain,
    /// A code outside the table: ask the acquirer what it means.
    AskAcquirer,
}

impl ResponseAction {
    /// Every action, in declaration order (the order of the declined summary).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ResponseAction::ALL.len(), 9);
    /// ```
    pub const ALL: [ResponseAction; 9] = [
        ResponseAction::None,
        ResponseAction::Retry,
        ResponseAction::CorrectAndRetry,
        ResponseAction::CheckResultBeforeRetry,
        ResponseAction::DoNotRetry,
        ResponseAction::CardholderContactIssuer,
        ResponseAction::ContactAcquirerCheckMerchantInfo,
        ResponseAction::SignInAgain,
        ResponseAction::AskAcquirer,
    ];

    /// The snake_case name (the serde name and the `action` column of the data file).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ResponseAction::CardholderContactIssuer.name(), "cardholder_contact_issuer");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            ResponseAction::None => "none",
            ResponseAction::Retry => "retry",
            ResponseAction::CorrectAndRetry => "correct_and_retry",
            ResponseAction::CheckResultBeforeRetry => "check_result_before_retry",
            ResponseAction::DoNotRetry => "do_not_retry",
            ResponseAction::CardholderContactIssuer => "cardholder_contact_issuer",
            ResponseAction::ContactAcquirerCheckMerchantInfo => "contact_acquirer_check_merchant_info",
            ResponseAction::SignInAgain => "sign_in_again",
            ResponseAction::AskAcquirer => "ask_acquirer",
        }
    }

    /// What to do, in Chinese.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ResponseAction::SignInAgain.name_zh(), "终端重新签到");
    /// ```
    pub const fn name_zh(self) -> &'static str {
        match self {
            ResponseAction::None => "无需处理",
            ResponseAction::Retry => "稍后重试",
            ResponseAction::CorrectAndRetry => "更正后重试（重输密码或金额、插卡）",
            ResponseAction::CheckResultBeforeRetry => "先查询交易结果再重试",
            ResponseAction::DoNotRetry => "不要重试，请换卡或换支付方式",
            ResponseAction::CardholderContactIssuer => "请持卡人联系发卡行",
            ResponseAction::ContactAcquirerCheckMerchantInfo => "联系收单机构核对商户登记信息",
            ResponseAction::SignInAgain => "终端重新签到",
            ResponseAction::AskAcquirer => "向收单机构询问代码含义",
        }
    }

    /// What to do, in English.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ResponseAction::Retry.name_en(), "retry shortly");
    /// ```
    pub const fn name_en(self) -> &'static str {
        match self {
            ResponseAction::None => "nothing to do",
            ResponseAction::Retry => "retry shortly",
            ResponseAction::CorrectAndRetry => "correct and retry (re-enter PIN or amount, insert the chip)",
            ResponseAction::CheckResultBeforeRetry => "check the trade's result before retrying",
            ResponseAction::DoNotRetry => "do not retry: ask for another card or payment",
            ResponseAction::CardholderContactIssuer => "the cardholder contacts the issuer",
            ResponseAction::ContactAcquirerCheckMerchantInfo => "ask the acquirer to check the registered merchant information",
            ResponseAction::SignInAgain => "sign the terminal in again",
            ResponseAction::AskAcquirer => "ask the acquirer what the code means",
        }
    }

    fn from_name(text: &str) -> Option<ResponseAction> {
        ResponseAction::ALL.into_iter().find(|action| action.name() == text)
    }
}

/// The meaning of a response code, in Chinese and English, with who declined and what the
/// merchant should do.
///
/// # Example
/// ```
/// use posfee::reconcile::{DeclinedBy, ResponseAction, ResponseMeaning};
/// let meaning = ResponseMeaning::of("51");
/// assert_eq!(meaning.en, "insufficient funds");
/// assert!(meaning.known && !meaning.approved);
/// assert_eq!(meaning.action, ResponseAction::CardholderContactIssuer);
/// let other = ResponseMeaning::of("N7");
/// assert_eq!(other.en, "transaction failed (code N7)");
/// assert_eq!((other.known, other.declined_by, other.action), (false, Some(DeclinedBy::Unknown), ResponseAction::AskAcquirer));
/// // 83 is not UnionPay's: acquirers' terminals use it for an invalid terminal.
/// let acquirer = ResponseMeaning::of("83");
/// assert!(acquirer.known && acquirer.acquirer_specific);
/// assert_eq!(acquirer.en, "transaction failed (code 83: invalid terminal at some acquirers)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ResponseMeaning {
    /// The code (upper case, as in the table; as given for codes outside it).
    pub code: String,
    /// Chinese meaning (交易失败（代码 NN） for codes outside the table).
    pub zh: String,
    /// English meaning ("transaction failed (code NN)" for codes outside the table).
    pub en: String,
    /// Whether the code is in the table (UnionPay's codes and the common acquirer-specific ones).
    pub known: bool,
    /// Whether the code is acquirer-specific (outside UnionPay's table; its meaning depends on
    /// the acquirer).
    pub acquirer_specific: bool,
    /// Whether the code approves the trade (00, and 10, 11, 16, A2, A4–A6 of the table).
    pub approved: bool,
    /// Who declined (`None` for an approval).
    pub declined_by: Option<DeclinedBy>,
    /// What the merchant should do.
    pub action: ResponseAction,
}

impl ResponseMeaning {
    /// Looks a code up (case-insensitive, surrounding spaces ignored).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ResponseMeaning::of(" a0 ").zh, "MAC校验错，请重新签到");
    /// ```
    pub fn of(code: &str) -> ResponseMeaning {
        match lookup(code) {
            Some(meaning) => meaning.clone(),
            None => {
                let code = code.trim();
                ResponseMeaning {
                    code: code.to_string(),
                    zh: format!("交易失败（代码 {code}）"),
                    en: format!("transaction failed (code {code})"),
                    known: false,
                    acquirer_specific: false,
                    approved: false,
                    declined_by: Some(DeclinedBy::Unknown),
                    action: ResponseAction::AskAcquirer,
                }
            }
        }
    }

    /// Every code of the table, in its order (UnionPay's codes, then the acquirer-specific
    /// ones).
    ///
    /// # Example
    /// ```
    /// let table = posfee::reconcile::ResponseMeaning::table();
    /// assert_eq!(table[0].code, "00");
    /// assert!(table.iter().any(|meaning| meaning.code == "A7"));
    /// ```
    pub fn table() -> &'static [ResponseMeaning] {
        embedded_table()
    }
}

/// The embedded table, read once.
fn embedded_table() -> &'static [ResponseMeaning] {
    static TABLE: OnceLock<Vec<ResponseMeaning>> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse_table(EMBEDDED_RESPONSE_CODES_CSV, RESPONSE_CODES_FILE_NAME)
            .expect("the embedded response code table is valid (checked by tests)")
    })
}

/// The table row of a code: two characters, compared without case after trimming; no
/// allocation (it runs for every ledger row).
fn lookup(code: &str) -> Option<&'static ResponseMeaning> {
    let code = code.trim();
    if code.len() != 2 {
        return None;
    }
    embedded_table().iter().find(|meaning| meaning.code.eq_ignore_ascii_case(code))
}

/// Reads a response code table in the format of `core/data/response/response_codes.csv`.
fn parse_table(text: &str, file: &str) -> Result<Vec<ResponseMeaning>> {
    let mut table: Vec<ResponseMeaning> = Vec::new();
    for row in read_data_table(text, file, &COLUMNS)? {
        let [code, declined_by, action, name_zh, name_en, source_key] =
            [row.fields[0], row.fields[1], row.fields[2], row.fields[3], row.fields[4], row.fields[5]];
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
            return Err(row.error(file, "code", format!("response code {code:?} is not two digits or upper-case letters")));
        }
        if table.iter().any(|known| known.code == code) {
            return Err(row.error(file, "code", format!("response code {code} is listed twice")));
        }
        let declined_by = match declined_by {
            "none" => None,
            name => {
                Some(DeclinedBy::ALL.into_iter().find(|party| party.name() == name && *party != DeclinedBy::Unknown).ok_or_else(|| {
                    row.error(
                        file,
                        "declined_by",
                        format!("declined_by {name:?} of code {code} is not one of none, issuer, network, acquirer, terminal"),
                    )
                })?)
            }
        };
        let action = ResponseAction::from_name(action)
            .filter(|action| *action != ResponseAction::AskAcquirer)
            .ok_or_else(|| row.error(file, "action", format!("action {action:?} of code {code} is not a known action")))?;
        let approved = declined_by.is_none();
        if approved != (action == ResponseAction::None) {
            return Err(row.error(
                file,
                "action",
                format!(
                    "code {code}: an approval (declined_by none) has action none, and only an approval has it (action {})",
                    action.name()
                ),
            ));
        }
        for (field, value) in [("name_zh", name_zh), ("name_en", name_en)] {
            if value.is_empty() {
                return Err(row.error(file, field, format!("response code {code} has an empty {field}")));
            }
        }
        table.push(ResponseMeaning {
            code: code.to_string(),
            zh: name_zh.to_string(),
            en: name_en.to_string(),
            known: true,
            acquirer_specific: source_key == ACQUIRER_SOURCE_KEY,
            approved,
            declined_by,
            action,
        });
    }
    if !table.iter().any(|meaning| meaning.code == "00" && meaning.approved) {
        return Err(Error::new(ErrorKind::InvalidRecord, format!("{file}: the table has no approving row for code 00")));
    }
    Ok(table)
}

/// The reason of a declined ledger row: the code, its meaning and what to do.
pub(crate) fn declined_reason(code: &str) -> Text {
    Text::of(declined_clause(&ResponseMeaning::of(code)))
}

/// The clause of a declined trade: the code's meaning and what the merchant should do.
pub(crate) fn declined_clause(meaning: &ResponseMeaning) -> Clause<'_> {
    Clause::Declined {
        code: &meaning.code,
        zh: &meaning.zh,
        en: &meaning.en,
        action_zh: meaning.action.name_zh(),
        action_en: meaning.action.name_en(),
    }
}

/// Whether a response code approves the trade: `00` (an empty code is read as approved) or
/// another approving code of the table (10, 11, 16, A2, A4–A6).
pub(crate) fn is_approved(code: &str) -> bool {
    code == "00" || code.is_empty() || lookup(code).is_some_and(|meaning| meaning.approved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_reads_every_row() {
        let table = parse_table(EMBEDDED_RESPONSE_CODES_CSV, RESPONSE_CODES_FILE_NAME).unwrap();
        let data_rows = EMBEDDED_RESPONSE_CODES_CSV.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()).count() - 1;
        assert_eq!(table.len(), data_rows);
        let mut codes: Vec<&str> = table.iter().map(|meaning| meaning.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), table.len(), "no code twice");
        for meaning in &table {
            assert!(meaning.known);
            assert_eq!(meaning.approved, meaning.declined_by.is_none(), "{}", meaning.code);
            assert_eq!(meaning.approved, meaning.action == ResponseAction::None, "{}", meaning.code);
            assert_ne!(meaning.declined_by, Some(DeclinedBy::Unknown), "{}", meaning.code);
            assert_ne!(meaning.action, ResponseAction::AskAcquirer, "{}", meaning.code);
        }
        // Every UnionPay code 00–99 the specification assigns, and A0–A7.
        let assigned = (0..100).filter(|n| {
            ![8, 18, 24, 26, 27, 28, 29, 32, 46, 47, 48, 49, 50, 69, 70, 71, 72, 73, 74, 76, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89]
                .contains(n)
        });
        for code in assigned.map(|n| format!("{n:02}")).chain((0..8).map(|n| format!("A{n}"))) {
            let meaning = ResponseMeaning::of(&code);
            assert!(meaning.known, "{code}");
            assert_eq!(meaning.acquirer_specific, code == "83", "{code}");
        }
        // Every party but Unknown and every action but AskAcquirer is used.
        for party in DeclinedBy::ALL.into_iter().filter(|p| *p != DeclinedBy::Unknown) {
            assert!(table.iter().any(|meaning| meaning.declined_by == Some(party)), "{party:?}");
        }
        for action in ResponseAction::ALL.into_iter().filter(|a| *a != ResponseAction::AskAcquirer) {
            assert!(table.iter().any(|meaning| meaning.action == action), "{action:?}");
        }
    }

    #[test]
    fn golden_rows() {
        use DeclinedBy::*;
        use ResponseAction as A;
        let expected: [(&str, &str, &str, Option<DeclinedBy>, ResponseAction); 9] = [
            ("03", "无效商户", "invalid merchant", Some(Acquirer), A::ContactAcquirerCheckMerchantInfo),
            ("51", "余额不足", "insufficient funds", Some(Issuer), A::CardholderContactIssuer),
            ("55", "密码错误", "wrong PIN", Some(Issuer), A::CorrectAndRetry),
            ("61", "超出金额限制", "over amount limit", Some(Issuer), A::CardholderContactIssuer),
            ("65", "超出交易次数限制", "over count limit", Some(Issuer), A::CardholderContactIssuer),
            (
                "83",
                "交易失败（代码 83：部分收单机构表示无效终端）",
                "transaction failed (code 83: invalid terminal at some acquirers)",
                Some(Acquirer),
                A::ContactAcquirerCheckMerchantInfo,
            ),
            ("A0", "MAC校验错，请重新签到", "MAC check failed (sign in again)", Some(Terminal), A::SignInAgain),
            ("96", "系统故障", "system fault", Some(Network), A::Retry),
            ("00", "承兑或交易成功", "approved", None, A::None),
        ];
        for (code, zh, en, declined_by, action) in expected {
            let meaning = ResponseMeaning::of(code);
            assert_eq!(
                (meaning.zh.as_str(), meaning.en.as_str(), meaning.declined_by, meaning.action),
                (zh, en, declined_by, action),
                "{code}"
            );
            assert!(meaning.known, "{code}");
        }
    }

    #[test]
    fn codes_outside_the_table() {
        for code in ["08", "N7", "Z9", "123", "0", "x"] {
            let meaning = ResponseMeaning::of(code);
            assert!(!meaning.known && !meaning.approved, "{code}");
            assert_eq!(meaning.zh, format!("交易失败（代码 {code}）"));
            assert_eq!(meaning.en, format!("transaction failed (code {code})"));
            assert!(!is_approved(code), "{code}");
        }
        assert_eq!(ResponseMeaning::of(" a0 ").code, "A0");
    }

    #[test]
    fn approvals() {
        for code in ["00", "", "10", "11", "16", "A2", "a4", "A5", "A6", " 00 "] {
            assert!(is_approved(code), "{code:?}");
        }
        for code in ["01", "51", "A0", "A7", "83", "99"] {
            assert!(!is_approved(code), "{code}");
        }
    }

    #[test]
    fn bad_tables_name_line_and_field() {
        let header = "# source s: a source\ncode,declined_by,action,name_zh,name_en,source\n00,none,none,成功,approved,s\n";
        let cases: [(&str, &str, &str); 8] = [
            ("123,issuer,retry,a,b,s\n", "code", "\"123\""),
            ("a1,issuer,retry,a,b,s\n", "code", "\"a1\""),
            ("00,issuer,retry,a,b,s\n", "code", "listed twice"),
            ("51,bank,retry,a,b,s\n", "declined_by", "\"bank\""),
            ("51,issuer,pray,a,b,s\n", "action", "\"pray\""),
            ("51,issuer,none,a,b,s\n", "action", "only an approval"),
            ("51,none,retry,a,b,s\n", "action", "only an approval"),
            ("51,issuer,retry,a,,s\n", "name_en", "empty name_en"),
        ];
        for (row, field, words) in cases {
            crate::data_table::assert_invalid_record(&parse_table(&format!("{header}{row}"), "t.csv").unwrap_err(), 4, field, words);
        }
        let err =
            parse_table("# source s: x\ncode,declined_by,action,name_zh,name_en,source\n51,issuer,retry,a,b,s\n", "t.csv").unwrap_err();
        assert!(err.message().contains("no approving row for code 00"), "{err}");
    }
}
