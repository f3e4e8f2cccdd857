//! Cells that spreadsheets would run: every CSV posfee writes is opened by finance staff in
//! Excel or WPS, where a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return
//! before one) is a formula. A reference number or merchant name copied from a statement such
//! as `=HYPERLINK("…")` or `+1+cmd|…` would become live (CSV injection).
//!
//! Convention (OWASP's): such a cell is written with a leading `'`, which spreadsheets show as
//! text. Plain numbers (`-40.00`) are left as they are: they are values, not formulas. Every
//! posfee reader takes the `'` off again, so a written file reads back to the same values.

use std::borrow::Cow;

/// The first characters that make a spreadsheet cell a formula.
const TRIGGERS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// Whether `cell` is a plain decimal number such as `-40.00` or `+3` (not a formula).
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `cell` as it is safe to write into a CSV that a spreadsheet opens: with a leading `'` when
/// it would start a formula.
///
/// # Example
/// ```
/// use posfee::reconcile::{neutralize_cell, restore_cell};
/// assert_eq!(neutralize_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(neutralize_cell("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
/// assert_eq!(neutralize_cell("-40.00"), "-40.00"); // a number, not a formula
/// assert_eq!(neutralize_cell("612610000001"), "612610000001");
/// assert_eq!(restore_cell(&neutralize_cell("@SUM(A1)")), "@SUM(A1)");
/// ```
pub fn neutralize_cell(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(first) if TRIGGERS.contains(first) && !is_number(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The value of a cell [`neutralize_cell`] wrote: without the leading `'` it added (a `'`
/// followed by a formula character); any other cell as it is.
///
/// # Example
/// ```
/// use posfee::reconcile::restore_cell;
/// assert_eq!(restore_cell("'=1+2"), "=1+2");
/// assert_eq!(restore_cell("'quoted"), "'quoted");
/// assert_eq!(restore_cell("plain"), "plain");
/// ```
pub fn restore_cell(cell: &str) -> &str {
    match cell.as_bytes() {
        [b'\'', second, ..] if TRIGGERS.contains(second) => &cell[1..],
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_is_neutralized_and_restored() {
        for cell in ["=1+2", "+1+1", "-1+2", "@A1", "\t=1", "\r=1", "-", "+", "=", "-cmd", "--1", "-1.2.3", "-.5"] {
            let written = neutralize_cell(cell);
            assert!(written.starts_with('\''), "{cell:?}");
            assert_eq!(restore_cell(&written), cell);
        }
        for cell in ["", "abc", "-40.00", "+3", "0.38", "123", "消费", "'x"] {
            assert_eq!(neutralize_cell(cell), cell, "{cell:?}");
            assert_eq!(restore_cell(&neutralize_cell(cell)), cell, "{cell:?}");
        }
    }
}
