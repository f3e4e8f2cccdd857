//! Response codes (ISO 8583 field 39, UnionPay table of DOMAIN.md §4).

use serde::Serialize;

const TABLE: [(&str, &str, &str); 16] = [
    ("00", "承兑或交易成功", "approved"),
    ("03", "无效商户", "invalid merchant"),
    ("12", "无效交易", "invalid transaction"),
    ("13", "无效金额", "invalid amount"),
    ("14", "无效卡号", "invalid card number"),
    ("51", "余额不足", "insufficient funds"),
    ("54", "过期的卡", "expired card"),
    ("55", "密码错误", "wrong PIN"),
    ("58", "不允许终端进行的交易", "transaction not allowed on this terminal"),
    ("61", "超出金额限制", "over amount limit"),
    ("65", "超出取款次数限制", "over count limit"),
    ("94", "重复交易", "duplicate transaction"),
    ("96", "系统故障", "system fault"),
    ("97", "终端未登记", "terminal not registered"),
    ("A0", "MAC校验错，请重新签到", "MAC check failed (sign in again)"),
    ("77", "批次号不一致，请重新签到", "batch number mismatch"),
];

/// The meaning of a response code, in Chinese and English.
///
/// # Example
/// ```
/// let meaning = posfee::reconcile::ResponseMeaning::of("51");
/// assert_eq!(meaning.en, "insufficient funds");
/// assert!(meaning.known);
/// let other = posfee::reconcile::ResponseMeaning::of("83");
/// assert_eq!(other.en, "transaction failed (code 83)");
/// assert!(!other.known);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ResponseMeaning {
    /// The raw code.
    pub code: String,
    /// Chinese meaning (交易失败 for codes outside the table).
    pub zh: String,
    /// English meaning ("transaction failed (code NN)" for codes outside the table).
    pub en: String,
    /// Whether the code is in the UnionPay table.
    pub known: bool,
}

impl ResponseMeaning {
    /// Looks a code up (case-insensitive, surrounding spaces ignored).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ResponseMeaning::of("a0").zh, "MAC校验错，请重新签到");
    /// ```
    pub fn of(code: &str) -> ResponseMeaning {
        let key = code.trim().to_ascii_uppercase();
        match TABLE.iter().find(|(c, _, _)| *c == key) {
            Some((c, zh, en)) => ResponseMeaning { code: (*c).to_string(), zh: (*zh).to_string(), en: (*en).to_string(), known: true },
            None => ResponseMeaning {
                code: code.trim().to_string(),
                zh: format!("交易失败（代码 {}）", code.trim()),
                en: format!("transaction failed (code {})", code.trim()),
                known: false,
            },
        }
    }
}

/// Whether a response code means approved (`00`; an empty code is read as approved).
pub(crate) fn is_approved(code: &str) -> bool {
    code == "00" || code.is_empty()
}
