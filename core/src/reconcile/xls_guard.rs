//! What an `.xls` workbook must satisfy before the Excel reader (calamine) opens it.
//!
//! An `.xls` file is an OLE2 compound file ([MS-CFB]) holding a `Workbook` stream of BIFF
//! records ([MS-XLS]). The reader trusts the sizes and sector numbers written in the file: a
//! sector number of four billion makes it grow a buffer to two terabytes, a cycle in the
//! sector table makes it loop while its buffer grows, and a `DIMENSIONS` record or cell
//! positions spanning the whole grid make it allocate every cell of it. A failed allocation
//! aborts the process, which no `catch_unwind` catches, so these are checked here first, on
//! the bytes, following the reader's own steps:
//!
//! - every sector the reader will fetch (the DIFAT and FAT sectors, the directory, the mini
//!   stream, the mini FAT and the workbook stream's chain) lies inside the file, and every
//!   chain it follows ends (no cycle, no reserved number in the middle);
//! - every size it reserves memory by (directory entries, the mini FAT, the string table's
//!   count) is at most the file's own length;
//! - the sheets' used ranges (each one's `DIMENSIONS` and the positions of its cells; the
//!   reader opens every sheet) are at most [`XLS_CELLS_MAX`] cells in all;
//! - no VBA project (a workbook with macros is not a statement export; its decompressor is
//!   more of the reader's code run on hostile bytes).
//!
//! Anything off-specification that the reader would reject on its own is left to it.
//!
//! [MS-CFB]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-cfb/
//! [MS-XLS]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-xls/

/// The most cells of the sheets' used ranges (rows × columns, all sheets together) posfee
/// opens in an `.xls` workbook: 4,194,304 (a quarter of the format's 65,536 × 256 grid; a bank export of 65,536
/// rows has room for 64 columns). The reader holds the whole range in memory.
pub(crate) const XLS_CELLS_MAX: u64 = 1 << 22;

/// Sector numbers from here on are markers, not sectors ([MS-CFB] 2.1).
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
/// The end of a chain.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// A DIFAT sector's number in the FAT (the reader skips such DIFAT entries).
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
/// A directory entry's size on disk.
const DIRECTORY_ENTRY_BYTES: usize = 128;
/// The mini stream's sector size.
const MINI_SECTOR_BYTES: usize = 64;
/// Streams shorter than this are in the mini stream.
const MINI_STREAM_CUTOFF: usize = 4096;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// The sectors of the file after its header, as the reader fetches them (the last one may be
/// short).
struct Sectors<'b> {
    body: &'b [u8],
    size: usize,
}

impl<'b> Sectors<'b> {
    fn count(&self) -> usize {
        self.body.len().div_ceil(self.size)
    }

    fn get(&self, id: u32) -> Result<&'b [u8], String> {
        let start = (id as usize).checked_mul(self.size).filter(|&start| start < self.body.len());
        let start = start.ok_or_else(|| format!("sector {id} is past the end of the file ({} sectors)", self.count()))?;
        Ok(&self.body[start..(start + self.size).min(self.body.len())])
    }

    /// The bytes of the chain from `start` in `table` (the FAT, or the mini FAT over the mini
    /// stream), cut to `len` when it is not zero; an error when the chain leaves the file,
    /// holds a marker other than its end, or is longer than the table (a cycle).
    fn chain(&self, start: u32, table: &[u32], len: usize) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        let mut id = start;
        let mut steps = 0;
        while id != END_OF_CHAIN {
            steps += 1;
            if steps > table.len() {
                return Err(format!("the sector chain from {start} does not end (a cycle)"));
            }
            bytes.extend_from_slice(self.get(id)?);
            let next = table.get(id as usize).ok_or_else(|| format!("sector {id} is not in the sector table"))?;
            if len > 0 && bytes.len() >= len {
                // The reader reads on to the chain's end; the rest of it must still be sound.
                bytes.truncate(len);
            }
            id = *next;
        }
        Ok(bytes)
    }
}

/// A directory entry: its name, first sector and length.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

impl Entry {
    fn of(raw: &[u8], sector_size: usize) -> Entry {
        let units = raw[..64].chunks_exact(2).map(|u| u16::from_le_bytes([u[0], u[1]]));
        let name: String = char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).take_while(|&c| c != '\0').collect();
        let start = u32_at(raw, 116).unwrap_or(END_OF_CHAIN);
        let len = if sector_size == 512 {
            u64::from(u32_at(raw, 120).unwrap_or(0))
        } else {
            raw.get(120..128).map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
        };
        Entry { name, start, len }
    }
}

/// Checks `bytes` (starting with the compound-file signature) before the Excel reader opens
/// them; the error says what is wrong, for the caller to name the file.
pub(crate) fn check_xls(bytes: &[u8]) -> Result<(), String> {
    let too_short = || "the compound file's header is cut short".to_string();
    let sector_size = match u16_at(bytes, 30).ok_or_else(too_short)? {
        9 => 512,
        12 => 4096,
        shift => return Err(format!("sector shift {shift} is neither 9 nor 12")),
    };
    if bytes.len() < sector_size {
        return Err(too_short());
    }
    let sectors = Sectors { body: &bytes[sector_size..], size: sector_size };
    let file_len = bytes.len() as u64;
    let field = |at: usize| u32_at(bytes, at).unwrap_or(0);
    let (dir_len, fat_len, dir_start) = (field(40), field(44), field(48));
    let (mini_fat_start, mini_fat_len, difat_start) = (field(60), field(64), field(68));
    // The reader reserves memory by these counts: each is at most the file's sectors (the
    // DIFAT's, read from the four bytes at 62, which also hold half of other fields, at most
    // 1 GiB of address space that is never touched).
    for (what, count) in [("directory", dir_len), ("FAT", fat_len), ("mini FAT", mini_fat_len)] {
        if count as usize > sectors.count() {
            return Err(format!("the header's {what} size of {count} sectors is more than the file's {}", sectors.count()));
        }
    }
    if field(62) > 1 << 28 {
        return Err(format!("the header's DIFAT size of {} sectors is out of proportion to the file", field(62)));
    }

    // The DIFAT: the header's 109 entries, then the chain of DIFAT sectors, each one's last
    // entry naming the next (the reader pops it).
    let mut difat: Vec<u32> = words(&bytes[76..512]).collect();
    let mut id = difat_start;
    let mut steps = 0;
    while id < MAX_REGULAR_SECTOR {
        steps += 1;
        if steps > sectors.count() {
            return Err("the DIFAT chain does not end (a cycle)".into());
        }
        difat.extend(words(sectors.get(id)?));
        id = difat.pop().unwrap_or(END_OF_CHAIN);
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < DIFAT_SECTOR) {
        fat.extend(words(sectors.get(id)?));
    }

    // The directory, and the mini stream with its table.
    let directory = sectors.chain(dir_start, &fat, dir_len as usize * sector_size)?;
    // The reader also reads a last, partial entry (its start and length are in its first 124
    // bytes): a directory the file ends inside is refused rather than half read.
    if directory.len() % DIRECTORY_ENTRY_BYTES != 0 {
        return Err(format!("the directory is cut short of a whole entry ({} bytes; the file ends inside it)", directory.len()));
    }
    let entries: Vec<Entry> = directory.chunks_exact(DIRECTORY_ENTRY_BYTES).map(|raw| Entry::of(raw, sector_size)).collect();
    if let Some(entry) = entries.iter().find(|e| e.len > file_len) {
        return Err(format!("the directory entry {:?} claims {} bytes, more than the whole file", entry.name, entry.len));
    }
    if entries.iter().any(|e| e.name == "_VBA_PROJECT_CUR") {
        return Err("the workbook contains macros (a VBA project), which posfee does not open; save the sheet as .xlsx or CSV".into());
    }
    let Some(root) = entries.first() else { return Ok(()) };
    let (mini_stream, mini_fat) = if mini_fat_len > 0 {
        let mini_stream = sectors.chain(root.start, &fat, root.len as usize)?;
        let mini_fat: Vec<u32> = words(&sectors.chain(mini_fat_start, &fat, mini_fat_len as usize * sector_size)?).collect();
        (mini_stream, mini_fat)
    } else {
        (Vec::new(), Vec::new())
    };

    // The workbook stream, as the reader finds it.
    let stream = ["Workbook", "Book"].iter().find_map(|name| entries.iter().find(|e| e.name == *name));
    let Some(stream) = stream else { return Ok(()) };
    let len = stream.len as usize;
    let stream = if len < MINI_STREAM_CUTOFF {
        Sectors { body: &mini_stream, size: MINI_SECTOR_BYTES }.chain(stream.start, &mini_fat, len)?
    } else {
        sectors.chain(stream.start, &fat, len)?
    };
    check_records(&stream)
}

/// The BIFF records of `stream` from `at`, as the reader walks them (a `CONTINUE` record
/// belongs to the one before it), up to an `EOF` record or the first malformed one.
fn records(stream: &[u8], at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream.get(at..).unwrap_or_default();
    std::iter::from_fn(move || {
        let kind = u16_at(rest, 0)?;
        let len = u16_at(rest, 2)? as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((kind, data))
    })
    .take_while(|&(kind, _)| kind != 0x000A)
}

/// A sheet's used range, bounding the reader's: from its top row to its bottom row and from
/// its leftmost column to its rightmost, over every record that may be a cell (the reader
/// skips some, e.g. a label whose string is empty). The reader takes a range's rows from its
/// first cell to its last, assuming them sorted: rows must not go back up (a later row above
/// an earlier one would make its row count wrap around to four billion, or exceed this bound).
#[derive(Default)]
struct Span {
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
    last_row: u32,
    out_of_order: bool,
}

impl Span {
    fn add(&mut self, row: u32, first_column: u32, last_column: u32) {
        let widen = |span: Option<(u32, u32)>, low: u32, high: u32| Some(span.map_or((low, high), |(a, b)| (a.min(low), b.max(high))));
        self.out_of_order |= self.rows.is_some() && row < self.last_row;
        self.last_row = row;
        self.rows = widen(self.rows, row, row);
        self.columns = widen(self.columns, first_column.min(last_column), first_column.max(last_column));
    }

    /// The cells of the range; `u64::MAX` when rows go back up.
    fn cells(&self) -> u64 {
        match (self.rows, self.columns) {
            _ if self.out_of_order => u64::MAX,
            (Some((top, bottom)), Some((left, right))) => u64::from(bottom - top + 1) * u64::from(right - left + 1),
            _ => 0,
        }
    }
}

/// The string table's count and every sheet's used range.
fn check_records(stream: &[u8]) -> Result<(), String> {
    let mut sheets = Vec::new();
    for (kind, data) in records(stream, 0) {
        match kind {
            // BoundSheet8: where a sheet's records start.
            0x0085 => sheets.extend(u32_at(data, 0)),
            // SST: the reader reserves a string per counted entry.
            0x00FC => {
                let count = u32_at(data, 4).unwrap_or(0);
                if u64::from(count) > stream.len() as u64 {
                    return Err(format!("the string table claims {count} strings in a stream of {} bytes", stream.len()));
                }
            }
            _ => {}
        }
    }
    // The reader opens every sheet (and a sheet listed twice, twice): the limit is on them all.
    let mut total: u64 = 0;
    for at in sheets {
        // The reader keeps the cells and the formulas in two ranges.
        let (mut span, mut formulas) = (Span::default(), Span::default());
        // Where the reader puts a STRING record (a formula's text value): at the last
        // FORMULA's cell, or at A1 when none came before (its own bytes are the text).
        let mut formula_at = (0, 0);
        for (kind, data) in records(stream, at as usize) {
            if kind == 0x0207 {
                span.add(formula_at.0, formula_at.1, formula_at.1);
                continue;
            }
            let (Some(row), Some(column)) = (u16_at(data, 0), u16_at(data, 2)) else { continue };
            let (row, column) = (u32::from(row), u32::from(column));
            match kind {
                // DIMENSIONS: the reader reserves rows × columns cells (BIFF8 rows as u32).
                0x0200 => {
                    let (first_row, end_row, first_column, end_column) = match data.len() {
                        10 => (row, column, u32::from(u16_at(data, 4).unwrap_or(0)), u32::from(u16_at(data, 6).unwrap_or(0))),
                        14 => (
                            u32_at(data, 0).unwrap_or(0),
                            u32_at(data, 4).unwrap_or(0),
                            u32::from(u16_at(data, 8).unwrap_or(0)),
                            u32::from(u16_at(data, 10).unwrap_or(0)),
                        ),
                        _ => continue,
                    };
                    if end_row >= 1 && end_column >= 1 {
                        if first_row > end_row - 1 || first_column > end_column - 1 {
                            return Err(format!("a sheet's DIMENSIONS record ends before it starts (rows {first_row}..{end_row})"));
                        }
                        let cells = u64::from(end_row - first_row) * u64::from(end_column - first_column);
                        if cells > XLS_CELLS_MAX {
                            return Err(used_range_error(cells));
                        }
                    }
                }
                // Cells: NUMBER, LABEL, BOOLERR, RK, LABELSST; a FORMULA is both.
                0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD => span.add(row, column, column),
                0x0006 => {
                    span.add(row, column, column);
                    formulas.add(row, column, column);
                    formula_at = (row, column);
                }
                // MULRK: one row, a run of columns.
                0x00BD => span.add(row, column, u32::from(u16_at(data, data.len().saturating_sub(2)).unwrap_or(0))),
                _ => {}
            }
        }
        for range in [span, formulas] {
            match range.cells() {
                u64::MAX => return Err("a sheet's cells are out of row order (a cell above the first one comes later)".into()),
                cells if cells > XLS_CELLS_MAX => return Err(used_range_error(cells)),
                cells => total += cells,
            }
        }
        if total > XLS_CELLS_MAX {
            return Err(format!(
                "the workbook's sheets span {total} cells in all, more than posfee opens in an .xls workbook ({XLS_CELLS_MAX}); save the sheet as .xlsx or CSV"
            ));
        }
    }
    Ok(())
}

fn used_range_error(cells: u64) -> String {
    format!("a sheet's used range spans {cells} cells, more than posfee opens in an .xls workbook ({XLS_CELLS_MAX}); save the sheet as .xlsx or CSV")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal compound file of 512-byte sectors: header, one FAT sector (sector 0), one
    /// directory sector (sector 1), and the workbook stream in sectors 2.. (at least 4096
    /// bytes, so in the FAT, not the mini stream).
    fn compound_file(stream: &[u8]) -> Vec<u8> {
        let stream_sectors = stream.len().div_ceil(512).max(8);
        let mut header = vec![0u8; 512];
        header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        header[26..28].copy_from_slice(&3u16.to_le_bytes());
        header[30..32].copy_from_slice(&9u16.to_le_bytes());
        header[32..34].copy_from_slice(&6u16.to_le_bytes());
        header[44..48].copy_from_slice(&1u32.to_le_bytes());
        header[48..52].copy_from_slice(&1u32.to_le_bytes());
        header[60..64].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        header[68..72].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for k in 0..109 {
            header[76 + 4 * k..80 + 4 * k].copy_from_slice(&(if k == 0 { 0 } else { u32::MAX }).to_le_bytes());
        }
        let mut fat = vec![u32::MAX; 128];
        fat[0] = 0xFFFF_FFFD;
        fat[1] = END_OF_CHAIN;
        for k in 0..stream_sectors {
            fat[2 + k] = if k + 1 == stream_sectors { END_OF_CHAIN } else { (3 + k) as u32 };
        }
        let mut directory = vec![0u8; 512];
        let entry = |directory: &mut Vec<u8>, at: usize, name: &str, start: u32, len: u32| {
            for (k, unit) in name.encode_utf16().enumerate() {
                directory[at + 2 * k..at + 2 * k + 2].copy_from_slice(&unit.to_le_bytes());
            }
            directory[at + 116..at + 120].copy_from_slice(&start.to_le_bytes());
            directory[at + 120..at + 124].copy_from_slice(&len.to_le_bytes());
        };
        entry(&mut directory, 0, "Root Entry", END_OF_CHAIN, 0);
        let len = stream.len().max(MINI_STREAM_CUTOFF);
        entry(&mut directory, 128, "Workbook", 2, len as u32);
        let mut body = stream.to_vec();
        body.resize(stream_sectors * 512, 0);
        [header, fat.iter().flat_map(|w| w.to_le_bytes()).collect(), directory, body].concat()
    }

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        [&kind.to_le_bytes()[..], &(data.len() as u16).to_le_bytes(), data].concat()
    }

    /// Globals with one sheet at `sheet_at`, then that sheet's records.
    fn workbook(sheet: &[Vec<u8>]) -> Vec<u8> {
        let globals_len = 4 + 4 + 4 + 4; // BOUNDSHEET (4 data bytes) then EOF
        let mut stream = record(0x0085, &(globals_len as u32).to_le_bytes());
        stream.extend(record(0x000A, &[]));
        assert_eq!(stream.len(), globals_len - 4);
        stream.extend(record(0x0809, &[0; 4]));
        for r in sheet {
            stream.extend_from_slice(r);
        }
        stream.extend(record(0x000A, &[]));
        stream
    }

    fn cell(kind: u16, row: u16, column: u16) -> Vec<u8> {
        record(kind, &[&row.to_le_bytes()[..], &column.to_le_bytes(), &[0; 10]].concat())
    }

    #[test]
    fn a_sound_small_workbook_passes() {
        let stream = workbook(&[cell(0x0203, 0, 0), cell(0x0203, 10, 3)]);
        assert_eq!(check_xls(&compound_file(&stream)), Ok(()));
    }

    #[test]
    fn a_sector_past_the_end_is_refused() {
        let mut file = compound_file(&workbook(&[]));
        // The directory's first sector becomes sector four billion.
        file[48..52].copy_from_slice(&0xF000_0000u32.to_le_bytes());
        assert!(check_xls(&file).unwrap_err().contains("past the end of the file"));
    }

    #[test]
    fn a_chain_with_a_cycle_is_refused() {
        let mut file = compound_file(&workbook(&[]));
        // FAT entry of sector 1 (the directory) points back at itself.
        file[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
        assert!(check_xls(&file).unwrap_err().contains("does not end"));
    }

    #[test]
    fn a_free_sector_marker_inside_a_chain_is_refused() {
        let mut file = compound_file(&workbook(&[]));
        file[512 + 4..512 + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(check_xls(&file).is_err());
    }

    #[test]
    fn an_entry_longer_than_the_file_is_refused() {
        let mut file = compound_file(&workbook(&[]));
        let at = 512 + 512 + 128 + 120;
        file[at..at + 4].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
        assert!(check_xls(&file).unwrap_err().contains("more than the whole file"));
    }

    #[test]
    fn a_used_range_over_the_limit_is_refused() {
        let far = workbook(&[cell(0x0203, 0, 0), cell(0x0203, 65_535, 255)]);
        assert!(check_xls(&compound_file(&far)).unwrap_err().contains("used range spans 16777216 cells"));
        let mulrk = record(0x00BD, &[&0u16.to_le_bytes()[..], &0u16.to_le_bytes(), &[0; 6], &65_535u16.to_le_bytes()].concat());
        let wide = workbook(&[cell(0x0203, 65_535, 0), mulrk]);
        assert!(check_xls(&compound_file(&wide)).is_err());
        let within = workbook(&[cell(0x0203, 0, 0), cell(0x0203, 65_535, 63)]);
        assert_eq!(check_xls(&compound_file(&within)), Ok(()));
    }

    #[test]
    fn sheets_within_the_limit_each_but_over_it_together_are_refused() {
        // Five sheets listed at the same records, each 65,536 rows × 16 columns (1,048,576 cells).
        let sheet = [cell(0x0203, 0, 0), cell(0x0203, 65_535, 15)];
        let one = workbook(&sheet);
        assert_eq!(check_xls(&compound_file(&one)), Ok(()));
        let at = (4 + 4 + 4 + 4) as u32;
        let mut many = Vec::new();
        for _ in 0..5 {
            many.extend(record(0x0085, &at.wrapping_add(8 * 4).to_le_bytes()));
        }
        many.extend(record(0x000A, &[]));
        assert_eq!(many.len(), 5 * 8 + 4);
        let body = &one[(4 + 4 + 4) as usize..];
        many.extend_from_slice(body);
        assert!(check_xls(&compound_file(&many)).unwrap_err().contains("in all"));
    }

    #[test]
    fn cells_out_of_row_order_are_refused() {
        let backwards = workbook(&[cell(0x0203, 5, 0), cell(0x0203, 4, 0)]);
        assert!(check_xls(&compound_file(&backwards)).unwrap_err().contains("out of row order"));
        // Found by fuzzing: a far row in the middle, then back up (the reader skipped the last
        // cell, an empty label, and took the far row as the range's end: 81 million cells).
        let middle = workbook(&[cell(0x00FD, 0, 0), cell(0x00FD, 1_544, 0), cell(0x00FD, 8, 7)]);
        assert!(check_xls(&compound_file(&middle)).unwrap_err().contains("out of row order"));
        let formulas = workbook(&[cell(0x0006, 9, 0), cell(0x0203, 10, 0), cell(0x0006, 1, 0)]);
        assert!(check_xls(&compound_file(&formulas)).is_err());
    }

    #[test]
    fn a_formula_string_is_placed_where_the_reader_puts_it() {
        // A STRING record (0x0207) with no FORMULA before it goes to A1, above row 10: the
        // reader's row count would wrap (fuzzing, 2026-11-29 evening); its own bytes say row 11.
        let string = record(0x0207, &[11, 0, 0, 0, 1, 0, 0, b'x']);
        let stray = workbook(&[cell(0x0203, 10, 0), string.clone()]);
        assert!(check_records(&stray).unwrap_err().contains("out of row order"));
        // An empty text (3 bytes: no room for a row and a column) is placed all the same.
        let short = workbook(&[cell(0x0203, 10, 0), record(0x0207, &[0, 0, 0])]);
        assert!(check_records(&short).unwrap_err().contains("out of row order"));
        // After its formula, on the formula's row: a sound file.
        let formula = record(0x0006, &[&10u16.to_le_bytes()[..], &2u16.to_le_bytes(), &[0; 16]].concat());
        let sound = workbook(&[cell(0x0203, 9, 0), formula, string, cell(0x0203, 12, 0)]);
        assert_eq!(check_records(&sound), Ok(()));
    }

    #[test]
    fn dimensions_over_the_limit_or_reversed_are_refused() {
        let dims = |first: u32, end: u32| {
            record(0x0200, &[&first.to_le_bytes()[..], &end.to_le_bytes(), &0u16.to_le_bytes(), &256u16.to_le_bytes(), &[0; 2]].concat())
        };
        assert!(check_xls(&compound_file(&workbook(&[dims(0, u32::MAX)]))).is_err());
        assert!(check_xls(&compound_file(&workbook(&[dims(10, 5)]))).unwrap_err().contains("ends before it starts"));
        assert_eq!(check_xls(&compound_file(&workbook(&[dims(0, 1000)]))), Ok(()));
    }

    #[test]
    fn a_string_table_count_past_the_stream_is_refused() {
        let mut stream = record(0x00FC, &[&0u32.to_le_bytes()[..], &u32::MAX.to_le_bytes()].concat());
        stream.extend(record(0x000A, &[]));
        assert!(check_xls(&compound_file(&stream)).unwrap_err().contains("string table"));
    }

    #[test]
    fn macros_are_refused() {
        let mut file = compound_file(&workbook(&[]));
        let at = 512 + 512 + 2 * 128;
        for (k, unit) in "_VBA_PROJECT_CUR".encode_utf16().enumerate() {
            file[at + 2 * k..at + 2 * k + 2].copy_from_slice(&unit.to_le_bytes());
        }
        assert!(check_xls(&file).unwrap_err().contains("macros"));
    }
}
