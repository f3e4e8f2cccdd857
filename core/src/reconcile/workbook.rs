//! Excel workbooks as statement files: the personal WeChat bill (微信支付账单流水文件.xlsx) and
//! many bank and acquirer exports come as `.xlsx` or `.xls` files rather than CSV.
//!
//! A workbook's first sheet is turned into CSV text, row for row — row *k* of the sheet is
//! line *k* of the text, so line numbers in errors and reports are the sheet's row numbers —
//! and then read by the same profile as the CSV export of the same bill
//! ([`read_statement`](super::read_statement)). Cells become text the way Excel shows them:
//!
//! - text as it is (a `¥`, a backtick or a trailing tab stays for the profile to strip);
//! - a number as the shortest decimal that gives back the stored value (`28.16`, `100`):
//!   Excel keeps numbers as binary floating point, and this is the text that was typed; it
//!   is then parsed exactly, as any amount of a CSV file;
//! - a date or time cell as `YYYY-MM-DD HH:MM:SS` (`YYYY-MM-DD` for a whole day);
//! - an error cell (`#N/A`) as its text, which the field it lands in rejects with its line;
//! - a line break inside a cell as a space (one row stays one line).
//!
//! Limits: the workbook is at most [`MAX_INPUT_BYTES`](super::read) like any file; the
//! parts of an `.xlsx` (a zip archive) may not unpack to more than
//! [`WORKBOOK_UNPACKED_BYTES_MAX`], checked before anything is unpacked; the sheet's text may
//! not grow past the file limit either; an `.xls` file's container and sheet sizes are
//! checked before the reader opens it (see `xls_guard`: sectors inside the file, chains that
//! end, at most 4,194,304 cells a sheet, no macros). Built without the `excel` feature (the WebAssembly
//! package), a workbook is an error that says to save the sheet as CSV.

use crate::error::{Error, ErrorKind, Location, Result};

/// The most bytes the parts of an `.xlsx` workbook may unpack to (1 GiB).
pub const WORKBOOK_UNPACKED_BYTES_MAX: u64 = 1 << 30;

/// The zip signature of an `.xlsx` workbook.
const XLSX_MAGIC: &[u8] = b"PK\x03\x04";
/// The OLE2 compound-file signature of an `.xls` workbook.
const XLS_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes start like an Excel workbook (`.xlsx` zip or `.xls` compound file).
///
/// # Example
/// ```
/// assert!(posfee::reconcile::is_workbook(b"PK\x03\x04\x14\x00"));
/// assert!(!posfee::reconcile::is_workbook("交易时间,金额\n".as_bytes()));
/// ```
pub fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(XLSX_MAGIC) || head.starts_with(XLS_MAGIC)
}

#[cfg(feature = "excel")]
fn workbook_error(file: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(file).line(1))
}

/// The first sheet of a workbook as CSV text (UTF-8, `\n` line ends), row *k* on line *k*.
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] naming the file for a damaged, encrypted or empty workbook,
/// or one whose parts unpack past [`WORKBOOK_UNPACKED_BYTES_MAX`]; [`ErrorKind::InvalidRequest`]
/// when posfee was built without the `excel` feature.
#[cfg(not(feature = "excel"))]
pub(crate) fn sheet_as_csv(_bytes: &[u8], file: &str) -> Result<String> {
    Err(Error::new(
        ErrorKind::InvalidRequest,
        format!("{file} is an Excel workbook, which this build of posfee does not read (feature `excel`): save the sheet as CSV"),
    )
    .at(Location::default().file(file)))
}

/// The first sheet of a workbook as CSV text (UTF-8, `\n` line ends), row *k* on line *k*.
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] naming the file for a damaged, encrypted or empty workbook,
/// or one whose parts unpack past [`WORKBOOK_UNPACKED_BYTES_MAX`].
#[cfg(feature = "excel")]
pub(crate) fn sheet_as_csv(bytes: &[u8], file: &str) -> Result<String> {
    // The Excel reader is a third party's parser of hostile bytes: a panic in it is this
    // file's error, never a crash of the caller.
    std::panic::catch_unwind(|| read_sheet(bytes, file))
        .unwrap_or_else(|_| Err(workbook_error(file, format!("{file}: not a readable Excel workbook (the workbook reader failed on it)"))))
}

#[cfg(feature = "excel")]
fn read_sheet(bytes: &[u8], file: &str) -> Result<String> {
    use calamine::Reader as _;
    let mut sheet = SheetText::new(file);
    if bytes.starts_with(XLSX_MAGIC) {
        check_unpacked_size(bytes, file)?;
        let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes))
            .map_err(|e| workbook_error(file, format!("{file}: not a readable .xlsx workbook: {e}")))?;
        let name = first_sheet(workbook.sheet_names(), file)?;
        let mut cells = workbook.worksheet_cells_reader(&name).map_err(|e| workbook_error(file, format!("{file}: sheet {name:?}: {e}")))?;
        while let Some(cell) = cells.next_cell().map_err(|e| workbook_error(file, format!("{file}: sheet {name:?}: {e}")))? {
            let (row, column) = cell.get_position();
            sheet.put(row, column, &cell_text_ref(cell.get_value()))?;
        }
    } else {
        super::xls_guard::check_xls(bytes).map_err(|why| workbook_error(file, format!("{file}: not a readable .xls workbook: {why}")))?;
        let mut workbook = calamine::Xls::new(std::io::Cursor::new(bytes))
            .map_err(|e| workbook_error(file, format!("{file}: not a readable .xls workbook: {e}")))?;
        let name = first_sheet(workbook.sheet_names(), file)?;
        let range = workbook.worksheet_range(&name).map_err(|e| workbook_error(file, format!("{file}: sheet {name:?}: {e}")))?;
        for (row, column, value) in range.used_cells() {
            let (top, left) = range.start().unwrap_or_default();
            sheet.put(top + row as u32, left + column as u32, &cell_text(value))?;
        }
    }
    sheet.finish()
}

#[cfg(feature = "excel")]
fn first_sheet(names: Vec<String>, file: &str) -> Result<String> {
    names.into_iter().next().ok_or_else(|| workbook_error(file, format!("{file}: the workbook has no sheet")))
}

/// Refuses an `.xlsx` whose parts declare more than [`WORKBOOK_UNPACKED_BYTES_MAX`] unpacked
/// bytes (a zip bomb), before any part is unpacked.
#[cfg(feature = "excel")]
fn check_unpacked_size(bytes: &[u8], file: &str) -> Result<()> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| workbook_error(file, format!("{file}: not a readable .xlsx workbook: {e}")))?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|e| workbook_error(file, format!("{file}: part {index}: {e}")))?;
        total = total.saturating_add(part.size());
    }
    if total > WORKBOOK_UNPACKED_BYTES_MAX {
        return Err(workbook_error(
            file,
            format!("{file}: the workbook's parts unpack to {total} bytes, over the limit of {WORKBOOK_UNPACKED_BYTES_MAX}"),
        ));
    }
    Ok(())
}

/// Excel's grid (since Excel 2007): rows and columns of a sheet.
#[cfg(feature = "excel")]
const SHEET_ROWS_MAX: u32 = 1 << 20;
#[cfg(feature = "excel")]
const SHEET_COLUMNS_MAX: u32 = 1 << 14;

/// The CSV text of a sheet, built cell by cell in row order.
#[cfg(feature = "excel")]
struct SheetText<'f> {
    file: &'f str,
    text: String,
    /// The row being written (0-based) and its next column.
    row: u32,
    column: u32,
    cells: usize,
}

#[cfg(feature = "excel")]
impl<'f> SheetText<'f> {
    fn new(file: &'f str) -> SheetText<'f> {
        SheetText { file, text: String::new(), row: 0, column: 0, cells: 0 }
    }

    /// Writes a cell at (row, column), both 0-based; cells come in row order.
    fn put(&mut self, row: u32, column: u32, value: &str) -> Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        // Excel's own grid: a cell beyond it is a hostile file, refused before the rows and
        // columns up to it are padded out.
        if row >= SHEET_ROWS_MAX || column >= SHEET_COLUMNS_MAX {
            return Err(workbook_error(
                self.file,
                format!(
                    "{}: a cell at row {}, column {} is outside Excel's {SHEET_ROWS_MAX} rows and {SHEET_COLUMNS_MAX} columns",
                    self.file,
                    u64::from(row) + 1,
                    u64::from(column) + 1
                ),
            ));
        }
        if row < self.row || (row == self.row && column < self.column && self.cells > 0) {
            return Err(workbook_error(
                self.file,
                format!("{}: the sheet's cells are out of order at row {}, column {}", self.file, row + 1, column + 1),
            ));
        }
        while self.row < row {
            self.text.push('\n');
            self.row += 1;
            self.column = 0;
        }
        // One separator after each earlier cell of the row, and one per skipped column.
        let separators = if self.column == 0 { column } else { column - self.column + 1 };
        for _ in 0..separators {
            self.text.push(',');
        }
        write_field(&mut self.text, value);
        self.column = column + 1;
        self.cells += 1;
        if self.text.len() > super::read::MAX_INPUT_BYTES {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("{}: the sheet's text is over {} bytes", self.file, super::read::MAX_INPUT_BYTES),
            )
            .at(Location::default().file(self.file).line(u64::from(row) + 1)));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<String> {
        if self.cells == 0 {
            return Err(workbook_error(self.file, format!("{}: the workbook's first sheet is empty", self.file)));
        }
        self.text.push('\n');
        Ok(self.text)
    }
}

/// Writes one CSV field: quoted when it holds a comma, a quote or a leading/trailing space;
/// a line break inside becomes a space.
#[cfg(feature = "excel")]
fn write_field(out: &mut String, value: &str) {
    let value: std::borrow::Cow<'_, str> =
        if value.contains(['\n', '\r']) { value.replace("\r\n", " ").replace(['\n', '\r'], " ").into() } else { value.into() };
    if value.contains([',', '"']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&value);
    }
}

/// A cell of an `.xls` sheet as text.
#[cfg(feature = "excel")]
fn cell_text(value: &calamine::Data) -> String {
    use calamine::Data;
    match value {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Float(number) => number_text(*number),
        Data::Int(number) => number.to_string(),
        Data::Bool(flag) => if *flag { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(when) => date_text(when),
        Data::Error(error) => error.to_string(),
    }
}

/// A cell of an `.xlsx` sheet as text.
#[cfg(feature = "excel")]
fn cell_text_ref(value: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => text.clone(),
        DataRef::SharedString(text) => (*text).to_string(),
        DataRef::Float(number) => number_text(*number),
        DataRef::Int(number) => number.to_string(),
        DataRef::Bool(flag) => if *flag { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(when) => date_text(when),
        DataRef::Error(error) => error.to_string(),
    }
}

/// A number cell as the text Excel shows: the shortest decimal that gives back the stored
/// binary value (`28.16`, not `28.1599999999999994315658113919198513031005859375`).
///
/// The one binary float in posfee's core, and on purpose: it is the file format's own storage
/// (an .xls NUMBER/RK record, an .xlsx value as calamine hands it over). It is turned into
/// text here, once, with no arithmetic; amounts are then parsed from that text exactly (a
/// value that is not a whole number of fen, such as a computed `0.30000000000000004`, is
/// refused by the money parser with its line and column, never rounded).
#[cfg(feature = "excel")]
fn number_text(stored: f64) -> String {
    // Rust prints the shortest round-trip form; whole numbers print without a fraction.
    format!("{stored}")
}

#[cfg(feature = "excel")]
fn date_text(when: &calamine::ExcelDateTime) -> String {
    match when.as_datetime() {
        Some(moment) if moment.time() == chrono::NaiveTime::MIN => moment.format("%Y-%m-%d").to_string(),
        Some(moment) => moment.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => number_text(when.as_f64()),
    }
}

#[cfg(all(test, feature = "excel"))]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_typed() {
        assert_eq!(number_text(28.16), "28.16");
        assert_eq!(number_text(100.0), "100");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_text(-6.5), "-6.5");
        assert_eq!(number_text(612610000001.0), "612610000001");
    }

    #[test]
    fn rows_land_on_their_lines_and_fields_are_quoted() {
        let mut sheet = SheetText::new("t.xlsx");
        sheet.put(0, 0, "a").unwrap();
        sheet.put(0, 2, "x,y").unwrap();
        sheet.put(3, 1, "say \"hi\"\nthere").unwrap();
        assert_eq!(sheet.finish().unwrap(), "a,,\"x,y\"\n\n\n,\"say \"\"hi\"\" there\"\n");
        let mut empty = SheetText::new("t.xlsx");
        empty.put(2, 2, "").unwrap();
        assert!(empty.finish().unwrap_err().to_string().contains("first sheet is empty"));
        let mut far = SheetText::new("t.xlsx");
        assert!(far.put(u32::MAX - 1, 0, "x").unwrap_err().to_string().contains("outside Excel's 1048576 rows"));
        assert!(far.put(0, 20_000, "x").unwrap_err().to_string().contains("column 20001"));
        let mut backwards = SheetText::new("t.xlsx");
        backwards.put(2, 0, "a").unwrap();
        assert!(backwards.put(1, 0, "b").unwrap_err().to_string().contains("out of order at row 2"));
    }

    #[test]
    fn damaged_workbooks_are_errors_naming_the_file() {
        let error = sheet_as_csv(b"PK\x03\x04 not a zip", "bill.xlsx").unwrap_err();
        assert_eq!((error.code(), error.location().file.as_deref()), ("invalid_record", Some("bill.xlsx")));
        let mut xls = XLS_MAGIC.to_vec();
        xls.extend_from_slice(&[0; 64]);
        let error = sheet_as_csv(&xls, "bank.xls").unwrap_err();
        assert!(error.to_string().contains("bank.xls: not a readable .xls workbook"), "{error}");
    }
}
