//! Configuration files in TOML (fee schedules, statement and bank format profiles) read with
//! one reader, `basic-toml`: small code, which the WebAssembly modules count in bytes (the
//! calendar, whose dates are TOML dates, and printing use the `toml` crate).
//!
//! The text is checked against the size and depth limits first; a mistake is an error of the
//! caller's kind naming its line and column, and for an unknown key the line of that key.

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Location, Result};

/// Reads `text` as `T`: `kind` is the error kind and `what` names the file in messages
/// (`"schedule TOML"` gives `schedule TOML is not valid: …`).
pub(crate) fn parse<T: DeserializeOwned>(text: &str, kind: ErrorKind, what: &str) -> Result<T> {
    crate::limits::check_config_text(text, kind, &format!("the {what}"))?;
    basic_toml::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.trim_end();
        let at = unknown_key_place(text, message).unwrap_or_else(|| line_and_column(message));
        Error::new(kind, format!("{what} is not valid: {message}")).at(at)
    })
}

/// The `at line L column C` that basic-toml ends its messages with.
fn line_and_column(message: &str) -> Location {
    let parsed = message.rsplit_once(" at line ").and_then(|(_, place)| {
        let (line, column) = place.split_once(" column ")?;
        Some((line.trim().parse::<u64>().ok()?, column.trim().parse::<u64>().ok()?))
    });
    match parsed {
        Some((line, column)) => Location::default().line(line).column(column),
        None => Location::default(),
    }
}

/// For a message about an unknown key (`unknown field `cutoff``), the place of that key in
/// `text`: the TOML parser names the enclosing table's end instead, which is no help to find
/// a misplaced key. The first line that assigns the key is taken.
fn unknown_key_place(text: &str, message: &str) -> Option<Location> {
    let key = message.split_once("unknown field `")?.1.split_once('`')?.0;
    text.lines().enumerate().find_map(|(k, line)| {
        let indent = line.len() - line.trim_start().len();
        let rest = line.trim_start().strip_prefix(key)?;
        rest.trim_start().starts_with('=').then(|| Location::default().line(k as u64 + 1).column(indent as u64 + 1).field(key))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[allow(dead_code)]
        name: String,
    }

    #[test]
    fn mistakes_name_their_line_and_column() {
        let err = parse::<File>("name = \"a\"\nname = 3\n", ErrorKind::InvalidRecord, "format profile").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRecord);
        assert!(err.message().starts_with("format profile is not valid: "), "{err}");
        assert_eq!(err.location().line, Some(2), "{err}");
        let err = parse::<File>("name = \"a\"\n  colour = \"red\"\n", ErrorKind::InvalidSchedule, "schedule TOML").unwrap_err();
        assert_eq!((err.location().line, err.location().column, err.location().field.as_deref()), (Some(2), Some(3), Some("colour")));
        let err = parse::<File>(&"[".repeat(200), ErrorKind::InvalidRecord, "format profile").unwrap_err();
        assert!(err.message().contains("the format profile"), "{err}");
    }
}
