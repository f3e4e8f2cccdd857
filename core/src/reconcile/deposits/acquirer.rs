//! Which bank rows come from the acquirer: texts looked for in the counterparty's name and
//! account, the bank's description and the memo.

use super::bank_read::BankRow;
use crate::reconcile::profile::Glob;

/// The texts that mark a bank row as the acquirer's, by default: the common acquirers'
/// names (拉卡拉 Lakala, 盛付通 Shengfutong, 银联商务 UnionPay Merchant Services, 通联
/// Allinpay, 嘉联 JL Pay, 乐刷 Leshua) and the withdrawal texts of WeChat Pay (财付通,
/// 微信) and Alipay (支付宝). A `*` inside a text stands for any text (`支付宝*提现` matches
/// `支付宝-张三-余额提现`); every text is looked for anywhere in the field.
///
/// # Example
/// ```
/// let texts = posfee::reconcile::deposits::DEFAULT_ACQUIRER_TEXTS;
/// assert!(texts.contains(&"拉卡拉") && texts.contains(&"支付宝*提现"));
/// ```
pub const DEFAULT_ACQUIRER_TEXTS: [&str; 11] =
    ["拉卡拉", "盛付通", "银联商务", "通联", "嘉联", "乐刷", "财付通*提现", "微信*提现", "零钱提现", "支付宝*提现", "微信支付*结算"];

/// The most acquirer texts an options struct may hold.
pub(crate) const ACQUIRER_TEXTS_MAX: usize = 256;

/// The acquirer texts, each cut at its stars once and looked for anywhere in a field.
pub(crate) struct AcquirerTexts(Vec<Glob>);

impl AcquirerTexts {
    /// Compiles `texts` (trimmed; `*` inside a text stands for any text).
    pub(crate) fn new(texts: &[String]) -> AcquirerTexts {
        AcquirerTexts(texts.iter().map(|text| Glob::new(&format!("*{}*", text.trim()))).collect())
    }

    /// Whether `row` comes from the acquirer: one of the texts appears in its counterparty
    /// name or account, description or memo.
    pub(crate) fn marks(&self, row: &BankRow) -> bool {
        let fields = [&row.counterparty, &row.counterparty_account, &row.summary, &row.memo];
        self.0.iter().any(|text| fields.iter().any(|field| !field.is_empty() && text.matches(field)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::settlement::parse_date;

    #[test]
    fn acquirer_rows_are_found_by_name_account_and_memo() {
        let texts: Vec<String> = DEFAULT_ACQUIRER_TEXTS.iter().map(|t| t.to_string()).collect();
        let texts = AcquirerTexts::new(&texts);
        let from_acquirer = |row: &BankRow, texts: &AcquirerTexts| texts.marks(row);
        let row = |counterparty: &str, memo: &str| {
            let mut row = BankRow::new(parse_date("2026-11-02").unwrap(), Money::from_yuan(1), counterparty);
            row.memo = memo.into();
            row
        };
        assert!(from_acquirer(&row("拉卡拉支付股份有限公司", ""), &texts));
        assert!(from_acquirer(&row("", "支付宝-张三-张三支付宝余额提现-张三"), &texts));
        assert!(from_acquirer(&row("财付通支付科技有限公司", "微信零钱提现"), &texts));
        assert!(!from_acquirer(&row("支付宝（中国）网络技术有限公司", "蚂蚁基金赎回到银行"), &texts));
        assert!(!from_acquirer(&row("ABC公司", "工资"), &texts));
        let mut by_account = row("", "");
        by_account.counterparty_account = "6222000011112222".into();
        assert!(from_acquirer(&by_account, &AcquirerTexts::new(&[" 62220000* ".to_string()])));
    }
}
