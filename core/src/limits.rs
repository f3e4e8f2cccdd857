//! Limits on configuration text (schedule, calendar and cost-model files), checked before
//! any parser sees it.
//!
//! The TOML and JSON parsers recurse once per nested array or table: a 60 KB file of 30,000
//! `[` would overflow the stack (a crash in Python, a trap in WebAssembly). Configuration
//! files of this crate nest a few levels deep, so anything deeper than
//! [`CONFIG_DEPTH_MAX`] or larger than [`CONFIG_BYTES_MAX`] is rejected with a typed error
//! naming the line and column where the limit was crossed.

use crate::error::{Error, ErrorKind, Location, Result};

/// The largest configuration text accepted: 4 MiB (the embedded calendar of 22 years is
/// about 40 KB; a schedule a few KB).
///
/// # Example
/// ```
/// let text = format!("name = \"{}\"", "x".repeat(posfee::CONFIG_BYTES_MAX));
/// assert_eq!(posfee::Schedule::from_toml(&text).unwrap_err().code(), "invalid_schedule");
/// ```
pub const CONFIG_BYTES_MAX: usize = 4 << 20;

/// The deepest nesting of arrays and inline tables accepted in a configuration text.
/// Schedules and calendars nest three levels (`versions[].rules[].channels[]`).
///
/// # Example
/// ```
/// let deep = format!("a = {}{}", "[".repeat(30_000), "]".repeat(30_000));
/// let err = posfee::Schedule::from_toml(&deep).unwrap_err(); // an error, not a stack overflow
/// assert_eq!(err.code(), "invalid_schedule");
/// assert_eq!(err.location().column, Some(5 + posfee::CONFIG_DEPTH_MAX as u64));
/// ```
pub const CONFIG_DEPTH_MAX: usize = 32;

/// Checks `text` against [`CONFIG_BYTES_MAX`] and [`CONFIG_DEPTH_MAX`]: brackets and braces
/// outside strings and comments are counted (TOML table headers such as `[[versions]]` open
/// and close on their line, so they count as nothing). `kind` is the error kind to report
/// (`InvalidSchedule`, `InvalidCalendar`) and `what` names the input in the message.
pub(crate) fn check_config_text(text: &str, kind: ErrorKind, what: &str) -> Result<()> {
    if text.len() > CONFIG_BYTES_MAX {
        return Err(Error::new(kind, format!("{what} of {} bytes is larger than the limit of {CONFIG_BYTES_MAX} bytes", text.len())));
    }
    let bytes = text.as_bytes();
    let (mut depth, mut line, mut line_start) = (0usize, 1u64, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'#' => {
                // A TOML comment (JSON has none, and `#` outside a JSON string is an error
                // its parser reports).
                i += memchr_or_end(b'\n', &bytes[i..]);
                continue;
            }
            quote @ (b'"' | b'\'') => {
                i = string_end(bytes, i, quote);
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > CONFIG_DEPTH_MAX {
                    let column = text[line_start..i].chars().count() as u64 + 1;
                    return Err(Error::new(kind, format!("{what} nests deeper than {CONFIG_DEPTH_MAX} levels of arrays or tables"))
                        .at(Location::default().line(line).column(column)));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn memchr_or_end(needle: u8, haystack: &[u8]) -> usize {
    haystack.iter().position(|&b| b == needle).unwrap_or(haystack.len())
}

/// The index after the string that opens at `start` (a TOML basic, literal or multi-line
/// string, or a JSON string); the end of the text when it never closes (the parser then
/// reports it).
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let triple = bytes.get(start..start + 3) == Some(&[quote, quote, quote][..]);
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' && quote == b'"' {
            i += 2;
            continue;
        }
        if b == quote {
            if !triple {
                return i + 1;
            }
            if bytes.get(i..i + 3) == Some(&[quote, quote, quote][..]) {
                // Up to two more quotes may belong to the string (`""""` ends with a quote).
                let mut end = i + 3;
                while end < bytes.len() && bytes[end] == quote && end < i + 5 {
                    end += 1;
                }
                return end;
            }
        } else if b == b'\n' && !triple {
            // A single-line string does not span lines: the parser reports it.
            return i;
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("a = {}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn deep_nesting_is_an_error_with_its_place() {
        assert!(check_config_text(&nested(CONFIG_DEPTH_MAX), ErrorKind::InvalidSchedule, "schedule").is_ok());
        let err = check_config_text(&nested(30_000), ErrorKind::InvalidSchedule, "schedule").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSchedule);
        assert_eq!((err.location().line, err.location().column), (Some(1), Some(5 + CONFIG_DEPTH_MAX as u64)));
        let err = check_config_text(&format!("x = 1\n{}", "{\"a\":".repeat(40)), ErrorKind::InvalidCalendar, "calendar").unwrap_err();
        assert_eq!(err.location().line, Some(2));
    }

    #[test]
    fn brackets_in_strings_comments_and_headers_do_not_count() {
        let text = format!(
            "[[versions]]\n[[versions.rules]]\nnote = \"{0}\"\nother = '{0}'\nmulti = \"\"\"\n{0}\"\"\"\n# {0}\nlit = '''{0}'''\nesc = \"\\\"{0}\"\n",
            "[".repeat(100)
        );
        assert!(check_config_text(&text, ErrorKind::InvalidSchedule, "schedule").is_ok());
    }

    #[test]
    fn size_is_limited() {
        let text = " ".repeat(CONFIG_BYTES_MAX + 1);
        assert_eq!(check_config_text(&text, ErrorKind::InvalidCalendar, "calendar").unwrap_err().kind(), ErrorKind::InvalidCalendar);
    }
}
