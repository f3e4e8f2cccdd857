//! The plain comma-separated tables of `core/data/` (MCC classes, response codes): comment
//! lines, declared sources, a header, rows of a fixed number of fields without quoting.
//!
//! ```text
//! # source KEY: where the rows come from (a line per source)
//! col_a,col_b,source
//! 1,x,KEY
//! ```

use crate::error::{Error, ErrorKind, Location, Result};

/// The most rows a data table may hold.
pub(crate) const DATA_TABLE_ROWS_MAX: usize = 10_000;

/// One row of a data table: its 1-based line, its fields (trimmed) and the description of the
/// source it names (its last field).
pub(crate) struct DataRow<'a> {
    pub line: u64,
    pub fields: Vec<&'a str>,
    pub source: String,
}

impl DataRow<'_> {
    /// An [`ErrorKind::InvalidRecord`] at this row's line and `field`.
    pub fn error(&self, file: &str, field: &str, message: String) -> Error {
        Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(file).line(self.line).field(field))
    }
}

/// Reads a data table whose header is `columns` (the last one `source`).
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] naming `file`, the line and the field: a source declaration
/// without `KEY: description`, a missing or different header, a row with another number of
/// fields, a source not declared above the row, more than [`DATA_TABLE_ROWS_MAX`] rows.
pub(crate) fn read_data_table<'a>(text: &'a str, file: &str, columns: &[&str]) -> Result<Vec<DataRow<'a>>> {
    debug_assert_eq!(columns.last(), Some(&"source"));
    crate::limits::check_config_text(text, ErrorKind::InvalidRecord, file)?;
    let mut sources: Vec<(&str, &str)> = Vec::new();
    let mut header_seen = false;
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index as u64 + 1;
        let bad = |field: &str, message: String| {
            Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(file).line(line_number).field(field))
        };
        let line = line.trim_end_matches('\r');
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(declaration) = comment.trim_start().strip_prefix("source ") {
                let (key, description) = declaration
                    .split_once(':')
                    .ok_or_else(|| bad("source", format!("source declaration {line:?} has no `KEY: description`")))?;
                sources.push((key.trim(), description.trim()));
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if !header_seen {
            if fields != columns {
                return Err(bad("header", format!("the header is {line:?}, expected {:?}", columns.join(","))));
            }
            header_seen = true;
            continue;
        }
        if fields.len() != columns.len() {
            return Err(bad(
                "row",
                format!("row {line:?} has {} fields, expected {} ({})", fields.len(), columns.len(), columns.join(",")),
            ));
        }
        if rows.len() == DATA_TABLE_ROWS_MAX {
            return Err(bad("row", format!("the table has more than {DATA_TABLE_ROWS_MAX} rows")));
        }
        let source_key = fields[fields.len() - 1];
        let (_, description) = sources.iter().find(|(key, _)| *key == source_key).ok_or_else(|| {
            bad("source", format!("source {source_key:?} of row {line:?} is not declared by a `# source {source_key}: …` line above"))
        })?;
        rows.push(DataRow { line: line_number, source: format!("{source_key}: {description}"), fields });
    }
    if !header_seen {
        return Err(Error::new(ErrorKind::InvalidRecord, format!("the table has no header line {:?}", columns.join(",")))
            .at(Location::default().file(file)));
    }
    Ok(rows)
}

/// Test helper: `err` is an [`ErrorKind::InvalidRecord`] at `line` and `field` whose message
/// holds `words`.
#[cfg(test)]
pub(crate) fn assert_invalid_record(err: &Error, line: u64, field: &str, words: &str) {
    assert_eq!(err.code(), "invalid_record", "{err}");
    assert_eq!(err.location().line, Some(line), "{err}");
    assert_eq!(err.location().field.as_deref(), Some(field), "{err}");
    assert!(err.message().contains(words), "{err} lacks {words:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [&str; 3] = ["a", "b", "source"];

    #[test]
    fn rows_with_their_lines_and_sources() {
        let rows = read_data_table("# a comment\n# source s: the one source\na,b,source\n\n1,x,s\r\n2, y ,s\n", "t.csv", &COLUMNS).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].fields.as_slice()), (5, ["1", "x", "s"].as_slice()));
        assert_eq!((rows[1].line, rows[1].fields[1]), (6, "y"));
        assert_eq!(rows[1].source, "s: the one source");
    }

    #[test]
    fn bad_tables_name_file_line_and_field() {
        let cases: [(&str, u64, &str, &str); 6] = [
            ("# source s: x\na,b\n", 2, "header", "the header is"),
            ("# source s: x\na,b,source\n1,x,s,extra\n", 3, "row", "4 fields"),
            ("# source s: x\na,b,source\n1,x\n", 3, "row", "2 fields"),
            ("# source s: x\na,b,source\n1,x,t\n", 3, "source", "\"t\""),
            ("a,b,source\n1,x,s\n# source s: too late\n", 2, "source", "not declared"),
            ("# source s without a colon\n", 1, "source", "KEY: description"),
        ];
        for (text, line, field, words) in cases {
            let err = read_data_table(text, "t.csv", &COLUMNS).err().unwrap();
            assert_eq!(err.location().file.as_deref(), Some("t.csv"), "{text}");
            assert_invalid_record(&err, line, field, words);
        }
        assert!(read_data_table("# only comments\n", "t.csv", &COLUMNS).err().unwrap().message().contains("no header"));
    }

    #[test]
    fn row_limit() {
        let text = format!("# source s: x\na,b,source\n{}", "1,x,s\n".repeat(DATA_TABLE_ROWS_MAX + 1));
        let err = read_data_table(&text, "t.csv", &COLUMNS).err().unwrap();
        assert_eq!(err.location().line, Some(DATA_TABLE_ROWS_MAX as u64 + 3));
        assert!(read_data_table(&text[..text.len() - 6], "t.csv", &COLUMNS).is_ok());
    }
}
