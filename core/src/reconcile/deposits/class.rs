//! The classes an expected payout or an acquirer's bank row lands in.

use serde::Serialize;

/// Where an expected payout or an acquirer's bank row lands in a
/// [`DepositReport`](super::DepositReport): exactly one class each.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::DepositClass;
/// assert_eq!(DepositClass::DepositShort.name(), "deposit_short");
/// assert!(DepositClass::DepositMissing.is_problem());
/// assert!(!DepositClass::Deposited.is_problem());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum DepositClass {
    /// The payout arrived in full, within the on-time business days.
    Deposited = 0,
    /// The payout arrived in full, later than on time but within the posting delay allowed.
    DepositedLate,
    /// Less arrived than the statement's net (a fee deducted from the payout), or the bank
    /// shows the acquirer deducting part of it on a line of its own (the deduction line).
    DepositShort,
    /// Nothing arrived for the payout within the posting delay, up to the bank statement's
    /// last day (withheld by risk control, or lost).
    DepositMissing,
    /// The payout arrived together with other payouts of adjacent days, as one deposit
    /// (holiday catch-up).
    DepositMerged,
    /// A credit from the acquirer that matches no payout of the statement.
    UnexplainedCredit,
    /// A debit by the acquirer that matches no payout and deducts from none.
    UnexplainedDebit,
    /// The payout cannot be checked with this bank statement: it may be posted after the
    /// statement's last day, or before its first; or its net is zero (nothing to deposit).
    NotChecked,
}

impl DepositClass {
    /// Every class, in declaration order.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::DepositClass::ALL.len(), 8);
    /// ```
    pub const ALL: [DepositClass; 8] = [
        DepositClass::Deposited,
        DepositClass::DepositedLate,
        DepositClass::DepositShort,
        DepositClass::DepositMissing,
        DepositClass::DepositMerged,
        DepositClass::UnexplainedCredit,
        DepositClass::UnexplainedDebit,
        DepositClass::NotChecked,
    ];

    /// The snake_case name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::DepositClass::UnexplainedCredit.name(), "unexplained_credit");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            DepositClass::Deposited => "deposited",
            DepositClass::DepositedLate => "deposited_late",
            DepositClass::DepositShort => "deposit_short",
            DepositClass::DepositMissing => "deposit_missing",
            DepositClass::DepositMerged => "deposit_merged",
            DepositClass::UnexplainedCredit => "unexplained_credit",
            DepositClass::UnexplainedDebit => "unexplained_debit",
            DepositClass::NotChecked => "not_checked",
        }
    }

    /// The class in Chinese (the page's and reports' label).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::DepositClass::DepositMissing.name_zh(), "未到账");
    /// ```
    pub const fn name_zh(self) -> &'static str {
        match self {
            DepositClass::Deposited => "已到账",
            DepositClass::DepositedLate => "晚到账",
            DepositClass::DepositShort => "到账不足",
            DepositClass::DepositMissing => "未到账",
            DepositClass::DepositMerged => "合并到账",
            DepositClass::UnexplainedCredit => "不明入账",
            DepositClass::UnexplainedDebit => "不明扣款",
            DepositClass::NotChecked => "未核对",
        }
    }

    /// The class named `name`.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::DepositClass;
    /// assert_eq!(DepositClass::from_name("deposit_merged"), Some(DepositClass::DepositMerged));
    /// assert_eq!(DepositClass::from_name("ok"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<DepositClass> {
        DepositClass::ALL.into_iter().find(|class| class.name() == name)
    }

    /// Whether the class is money that did not arrive as the statement says (late, short,
    /// missing, or a movement nobody explains). Merged deposits arrived in full.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::DepositClass;
    /// assert!(DepositClass::DepositedLate.is_problem());
    /// assert!(!DepositClass::DepositMerged.is_problem());
    /// ```
    pub const fn is_problem(self) -> bool {
        !matches!(self, DepositClass::Deposited | DepositClass::DepositMerged | DepositClass::NotChecked)
    }
}
