//! Parsing and printing of fixed-point decimal text, shared by [`Money`](crate::Money)
//! and [`Rate`](crate::Rate). Private: the public types wrap it with their own units.

/// A decimal number read from text: `value` is the number times `10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scaled {
    pub value: i128,
    /// How many fractional digits the text had.
    pub decimals: u32,
}

/// Why a decimal text could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FixedError {
    Empty,
    Malformed,
    TooManyDecimals,
    TooLarge,
}

impl FixedError {
    pub fn describe(self, max_decimals: u32) -> String {
        match self {
            FixedError::Empty => "is empty".to_string(),
            FixedError::Malformed => "is not a decimal number".to_string(),
            FixedError::TooManyDecimals => format!("has more than {max_decimals} decimal places"),
            FixedError::TooLarge => "is too large".to_string(),
        }
    }
}

/// Reads `text` (optional sign, digits with optional `,` thousands separators in groups
/// of three, optional `.` and fraction) as an integer scaled by `10^scale`.
pub(crate) fn parse_scaled(text: &str, scale: u32) -> Result<Scaled, FixedError> {
    let text = crate::text::trim(text);
    if text.is_empty() {
        return Err(FixedError::Empty);
    }
    let (negative, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (int_text, frac_text) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_text.is_empty() && frac_text.map_or(true, str::is_empty) {
        return Err(FixedError::Malformed);
    }
    check_grouping(int_text)?;
    let mut value: i128 = 0;
    for byte in int_text.bytes().filter(|b| *b != b',') {
        value = value.checked_mul(10).and_then(|v| v.checked_add(i128::from(byte - b'0'))).ok_or(FixedError::TooLarge)?;
        if value > 10i128.pow(30) {
            return Err(FixedError::TooLarge);
        }
    }
    let frac = frac_text.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FixedError::Malformed);
    }
    // Trailing zeros beyond the scale carry no value: "1.500" is a valid amount of 2 decimals.
    let significant = frac.trim_end_matches('0');
    if significant.len() as u32 > scale {
        return Err(FixedError::TooManyDecimals);
    }
    for position in 0..scale as usize {
        let digit = significant.as_bytes().get(position).map_or(0, |b| i128::from(b - b'0'));
        value = value * 10 + digit;
    }
    Ok(Scaled { value: if negative { -value } else { value }, decimals: frac.len() as u32 })
}

fn check_grouping(int_text: &str) -> Result<(), FixedError> {
    if !int_text.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return Err(FixedError::Malformed);
    }
    if !int_text.contains(',') {
        return Ok(());
    }
    let mut groups = int_text.split(',');
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
        return Err(FixedError::Malformed);
    }
    Ok(())
}

/// Prints `value / 10^scale` with at least `min_decimals` and at most `scale` decimals,
/// dropping trailing zeros beyond `min_decimals`.
pub(crate) fn format_scaled(value: i128, scale: u32, min_decimals: u32) -> String {
    let divisor = 10i128.pow(scale);
    let magnitude = value.unsigned_abs();
    let int_part = magnitude / divisor.unsigned_abs();
    let frac_part = magnitude % divisor.unsigned_abs();
    let mut frac = format!("{:0width$}", frac_part, width = scale as usize);
    while frac.len() as u32 > min_decimals && frac.ends_with('0') {
        frac.pop();
    }
    let sign = if value < 0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int_part}")
    } else {
        format!("{sign}{int_part}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_grouped_and_fractional_text() {
        assert_eq!(parse_scaled("1,000.50", 2).unwrap().value, 100_050);
        assert_eq!(parse_scaled("1000.5", 2).unwrap().value, 100_050);
        assert_eq!(parse_scaled(".5", 2).unwrap().value, 50);
        assert_eq!(parse_scaled("-3", 2).unwrap().value, -300);
        assert_eq!(parse_scaled("1.500", 2).unwrap().value, 150);
    }

    #[test]
    fn rejects_bad_text() {
        assert_eq!(parse_scaled("", 2), Err(FixedError::Empty));
        assert_eq!(parse_scaled("1,00", 2), Err(FixedError::Malformed));
        assert_eq!(parse_scaled(",100", 2), Err(FixedError::Malformed));
        assert_eq!(parse_scaled("1.2.3", 2), Err(FixedError::Malformed));
        assert_eq!(parse_scaled("1e5", 2), Err(FixedError::Malformed));
        assert_eq!(parse_scaled(".", 2), Err(FixedError::Malformed));
        assert_eq!(parse_scaled("1.234", 2), Err(FixedError::TooManyDecimals));
        assert_eq!(parse_scaled("9".repeat(40).as_str(), 2), Err(FixedError::TooLarge));
    }

    #[test]
    fn prints_minimal_decimals() {
        assert_eq!(format_scaled(100_050, 2, 2), "1000.50");
        assert_eq!(format_scaled(600, 5, 2), "0.006");
        assert_eq!(format_scaled(-5, 2, 2), "-0.05");
        assert_eq!(format_scaled(600_000, 8, 0), "0.006");
        assert_eq!(format_scaled(0, 8, 0), "0");
    }
}
