//! The classes an input row can land in.

use serde::Serialize;

/// Where an input row lands in the [`Report`](super::Report): exactly one class per row.
///
/// Pair classes (`Ok` to `Unchecked`) are given to both rows of a matched pair; when
/// a pair has several discrepancies, the first in declaration order is its class and all of
/// them are listed in the row's [`findings`](super::RowResult::findings).
///
/// # Example
/// ```
/// use posfee::reconcile::Class;
/// assert_eq!(Class::FeeAbove.name(), "fee_above");
/// assert!(Class::NeverSettled.is_problem());
/// assert!(!Class::Ok.is_problem());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Class {
    /// Matched; amount, fee, net, settlement date and merchant number as contracted.
    Ok = 0,
    /// Matched, but the statement amount differs from the ledger amount.
    AmountDiffers,
    /// Matched; the statement charges a fixed fee component the contract does not have.
    ExtraFee,
    /// Matched; the fee is above the contracted fee.
    FeeAbove,
    /// Matched; the fee is below the contracted fee.
    FeeBelow,
    /// Matched; the net amount is not the amount minus the fee.
    NetDiffers,
    /// Matched; settled later than the settlement mode and calendar allow.
    SettledLate,
    /// Matched; the statement's settlement date is before the trade's own date.
    SettledBeforeTrade,
    /// Matched; booked under another merchant number or MCC (跳码), or on a terminal not
    /// registered to the merchant.
    MerchantDiffers,
    /// Matched; part of the contract could not be checked, and nothing else was found: the
    /// settlement date needs holiday data the calendar does not have yet (the next year's
    /// notice), or a proportional refund's fee depends on a purchase that is not in the
    /// ledger. The reason says which, and what to load.
    Unchecked,
    /// Ledger: declined at the terminal (response code not 00); no settlement expected.
    Declined,
    /// Ledger: a voided purchase or the void itself; no settlement expected.
    Voided,
    /// Ledger: a void whose original purchase is not an open purchase of the ledger (absent,
    /// declined, or voided already).
    VoidWithoutOriginal,
    /// Ledger: an approved trade with no statement row (money that never arrived).
    NeverSettled,
    /// Statement: a row with no ledger trade.
    NoLedgerTrade,
    /// Ledger: a repeated row (same reference, terminal and trade date as an earlier row).
    LedgerDuplicate,
    /// Statement: a repeated row (same reference, terminal and trade date as an earlier row).
    StatementDuplicate,
    /// Portfolio reconciliation: a row whose terminal (or, without one, merchant number) no
    /// merchant of the registry has registered on its trade date, so no contract to check it
    /// against (a statement row, and the ledger row it matched).
    UnknownTerminal,
    /// Either side: a line that could not be read.
    Unreadable,
}

impl Class {
    /// Every class, in declaration order.
    pub const ALL: [Class; 19] = [
        Class::Ok,
        Class::AmountDiffers,
        Class::ExtraFee,
        Class::FeeAbove,
        Class::FeeBelow,
        Class::NetDiffers,
        Class::SettledLate,
        Class::SettledBeforeTrade,
        Class::MerchantDiffers,
        Class::Unchecked,
        Class::Declined,
        Class::Voided,
        Class::VoidWithoutOriginal,
        Class::NeverSettled,
        Class::NoLedgerTrade,
        Class::LedgerDuplicate,
        Class::StatementDuplicate,
        Class::UnknownTerminal,
        Class::Unreadable,
    ];

    /// The snake_case name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Class::MerchantDiffers.name(), "merchant_differs");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Class::Ok => "ok",
            Class::AmountDiffers => "amount_differs",
            Class::ExtraFee => "extra_fee",
            Class::FeeAbove => "fee_above",
            Class::FeeBelow => "fee_below",
            Class::NetDiffers => "net_differs",
            Class::SettledLate => "settled_late",
            Class::SettledBeforeTrade => "settled_before_trade",
            Class::MerchantDiffers => "merchant_differs",
            Class::Unchecked => "unchecked",
            Class::Declined => "declined",
            Class::Voided => "voided",
            Class::VoidWithoutOriginal => "void_without_original",
            Class::NeverSettled => "never_settled",
            Class::NoLedgerTrade => "no_ledger_trade",
            Class::LedgerDuplicate => "ledger_duplicate",
            Class::StatementDuplicate => "statement_duplicate",
            Class::UnknownTerminal => "unknown_terminal",
            Class::Unreadable => "unreadable",
        }
    }

    /// A short Chinese label.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Class::NeverSettled.name_zh(), "未到账");
    /// ```
    pub const fn name_zh(self) -> &'static str {
        match self {
            Class::Ok => "正常",
            Class::AmountDiffers => "金额不符",
            Class::ExtraFee => "额外收费",
            Class::FeeAbove => "手续费多扣",
            Class::FeeBelow => "手续费少扣",
            Class::NetDiffers => "结算金额不符",
            Class::SettledLate => "延迟到账",
            Class::SettledBeforeTrade => "结算早于交易",
            Class::MerchantDiffers => "跳码",
            Class::Unchecked => "无法核对",
            Class::Declined => "交易失败",
            Class::Voided => "已撤销",
            Class::VoidWithoutOriginal => "撤销无原交易",
            Class::NeverSettled => "未到账",
            Class::NoLedgerTrade => "无对应交易",
            Class::LedgerDuplicate => "流水重复",
            Class::StatementDuplicate => "对账单重复",
            Class::UnknownTerminal => "终端未登记",
            Class::Unreadable => "无法读取",
        }
    }

    /// Whether the class is a discrepancy a user must look at (everything except `Ok`,
    /// `Declined` and `Voided`).
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::reconcile::Class::Declined.is_problem());
    /// ```
    pub const fn is_problem(self) -> bool {
        !matches!(self, Class::Ok | Class::Declined | Class::Voided)
    }

    /// Whether the class is given to both rows of a matched pair.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Class::SettledLate.is_pair());
    /// ```
    pub const fn is_pair(self) -> bool {
        (self as u8) <= (Class::Unchecked as u8)
    }

    pub(crate) const fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

/// A set of classes (the findings of one row), as a bit set.
///
/// # Example
/// ```
/// use posfee::reconcile::{Class, ClassSet};
/// let set = ClassSet::EMPTY.with(Class::FeeAbove).with(Class::SettledLate);
/// assert_eq!(set.iter().collect::<Vec<_>>(), vec![Class::FeeAbove, Class::SettledLate]);
/// assert_eq!(set.first(), Some(Class::FeeAbove));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ClassSet(u32);

impl ClassSet {
    /// No class.
    pub const EMPTY: ClassSet = ClassSet(0);

    /// The set with `class` added.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{Class, ClassSet};
    /// assert!(ClassSet::EMPTY.with(Class::Ok).contains(Class::Ok));
    /// ```
    pub const fn with(self, class: Class) -> ClassSet {
        ClassSet(self.0 | class.bit())
    }

    /// Whether `class` is in the set.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{Class, ClassSet};
    /// assert!(!ClassSet::EMPTY.contains(Class::Ok));
    /// ```
    pub const fn contains(self, class: Class) -> bool {
        self.0 & class.bit() != 0
    }

    /// Whether the set is empty.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::ClassSet::EMPTY.is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The first class in declaration order.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::ClassSet::EMPTY.first(), None);
    /// ```
    pub fn first(self) -> Option<Class> {
        self.iter().next()
    }

    /// The classes in declaration order.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{Class, ClassSet};
    /// assert_eq!(ClassSet::EMPTY.with(Class::Ok).iter().count(), 1);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Class> {
        Class::ALL.into_iter().filter(move |c| self.contains(*c))
    }

    /// The names of the classes joined by `;`, as the report's CSV and Arrow rows write them.
    pub(crate) fn names_text(self) -> String {
        self.iter().map(Class::name).collect::<Vec<_>>().join(";")
    }
}

impl Serialize for ClassSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_of_classes_is_written_as_its_names_in_order_joined_by_semicolons() {
        assert_eq!(ClassSet::EMPTY.names_text(), "");
        assert_eq!(ClassSet::EMPTY.with(Class::Ok).names_text(), "ok");
        let set = ClassSet::EMPTY.with(Class::SettledLate).with(Class::FeeAbove);
        assert_eq!(set.names_text(), "fee_above;settled_late");
    }
}
