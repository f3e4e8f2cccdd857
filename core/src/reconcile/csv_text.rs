//! The CSV text of many rows, written on all cores: the rows cut into parts, each part
//! written by its own `csv::Writer`, the parts joined in order. A record's bytes do not depend
//! on the records before it, so the text is the one a single writer makes.

use rayon::prelude::*;

/// Rows a part.
const PART_ROWS: usize = 16_384;

/// The CSV text of `header` and rows `0..rows`, each written by `write_row(writer, row)`;
/// `row_bytes` is a guess of a row's size.
pub(crate) fn csv_in_parts<H: AsRef<[u8]>>(
    header: &[H],
    rows: usize,
    row_bytes: usize,
    write_row: impl Fn(&mut csv::Writer<Vec<u8>>, usize) + Sync,
) -> String {
    let mut text = Vec::with_capacity(rows.saturating_mul(row_bytes).saturating_add(256));
    // WebAssembly runs on one thread: one writer, without the code of the waves.
    if cfg!(target_arch = "wasm32") {
        let mut writer = csv::Writer::from_writer(text);
        let _ = writer.write_record(header);
        (0..rows).for_each(|row| write_row(&mut writer, row));
        text = writer.into_inner().unwrap_or_default();
    } else {
        // Writing to memory does not fail.
        let _ = write_csv_in_parts(&mut text, header, rows, row_bytes, write_row);
    }
    // Every field written is text (`&str`), so the bytes are UTF-8.
    String::from_utf8(text).unwrap_or_default()
}

/// [`csv_in_parts`] written to `out`: each wave of parts (four a thread) is written out while
/// the next is made, so that at most two waves are held, and the writing (a file's, the
/// kernel's copy into the page cache) overlaps the making.
///
/// # Errors
/// The first error of `out`.
pub(crate) fn write_csv_in_parts<H: AsRef<[u8]>>(
    out: &mut (dyn std::io::Write + Send),
    header: &[H],
    rows: usize,
    row_bytes: usize,
    write_row: impl Fn(&mut csv::Writer<Vec<u8>>, usize) + Sync,
) -> std::io::Result<()> {
    let mut head = csv::Writer::from_writer(Vec::new());
    head.write_record(header)?;
    out.write_all(&head.into_inner().unwrap_or_default())?;
    let parts = rows.div_ceil(PART_ROWS);
    let wave = 4 * rayon::current_num_threads();
    let make = |wave: std::ops::Range<usize>| -> Vec<Vec<u8>> {
        wave.into_par_iter()
            .map(|part| {
                let range = part * PART_ROWS..((part + 1) * PART_ROWS).min(rows);
                let mut writer = csv::Writer::from_writer(Vec::with_capacity(range.len() * row_bytes));
                for row in range {
                    write_row(&mut writer, row);
                }
                writer.into_inner().unwrap_or_default()
            })
            .collect()
    };
    let mut made: Vec<Vec<u8>> = Vec::new();
    for first in (0..parts).step_by(wave) {
        let pending = std::mem::take(&mut made);
        let (next, written) =
            rayon::join(|| make(first..(first + wave).min(parts)), || pending.iter().try_for_each(|part| out.write_all(part)));
        written?;
        made = next;
    }
    made.iter().try_for_each(|part| out.write_all(part))
}

#[cfg(test)]
mod tests {
    use super::csv_in_parts;

    #[test]
    fn parts_join_to_the_text_of_one_writer() {
        // Fields that need quoting, at part boundaries and inside parts.
        let cell = |row: usize| match row % 5 {
            0 => format!("a,{row}"),
            1 => format!("say \"{row}\""),
            2 => format!("line\n{row}"),
            3 => String::new(),
            _ => format!("'={row}"),
        };
        for rows in [0, 1, super::PART_ROWS - 1, super::PART_ROWS, 3 * super::PART_ROWS + 7] {
            let mut one = csv::Writer::from_writer(Vec::new());
            one.write_record(["x", "y"]).unwrap();
            for row in 0..rows {
                one.write_record([cell(row), row.to_string()]).unwrap();
            }
            let expected = String::from_utf8(one.into_inner().unwrap()).unwrap();
            let text = csv_in_parts(&["x", "y"], rows, 8, |writer, row| {
                let _ = writer.write_record([cell(row), row.to_string()]);
            });
            assert_eq!(text, expected, "{rows} rows");
            // Written out a wave at a time: the same bytes.
            let mut out: Vec<u8> = Vec::new();
            super::write_csv_in_parts(&mut out, &["x", "y"], rows, 8, |writer, row| {
                let _ = writer.write_record([cell(row), row.to_string()]);
            })
            .unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{rows} rows written out");
        }
    }

    #[test]
    fn an_error_of_the_output_is_returned() {
        struct Full(usize);
        impl std::io::Write for Full {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                if self.0 < bytes.len() {
                    return Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full"));
                }
                self.0 -= bytes.len();
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let rows = 5 * super::PART_ROWS;
        let error = super::write_csv_in_parts(&mut Full(100_000), &["x"], rows, 8, |writer, row| {
            let _ = writer.write_record([row.to_string()]);
        })
        .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
    }
}
