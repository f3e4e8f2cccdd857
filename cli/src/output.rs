//! Text tables, JSON, and files written by the commands.

use std::io::Write;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

use crate::failure::Failure;

/// Writes `text` to the command's output; a closed pipe (`posfee … | head`) is not an error.
pub fn print(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    match out.write_all(text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::io(format!("cannot write the output: {error}"))),
    }
}

/// Pretty JSON (two-space indent, UTF-8 as is) and a newline.
pub fn print_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::request(format!("cannot write JSON: {e}")))?;
    print(out, &format!("{text}\n"))
}

fn numeric(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// A plain text table with aligned columns (numbers right-aligned; CJK characters take two
/// columns), with a rule under the header when there is one.
pub fn table(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let mut cells: Vec<Vec<String>> = Vec::new();
    if let Some(header) = header {
        cells.push(header.iter().map(|h| h.to_string()).collect());
    }
    cells.extend(rows.iter().cloned());
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..columns).map(|i| cells.iter().filter_map(|row| row.get(i)).map(|c| c.width()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for (n, row) in cells.iter().enumerate() {
        let parts: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let fill = " ".repeat(widths[i].saturating_sub(cell.width()));
                let body = n > 0 || header.is_none();
                if body && numeric(cell) {
                    format!("{fill}{cell}")
                } else {
                    format!("{cell}{fill}")
                }
            })
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
        if n == 0 && header.is_some() {
            out.push_str(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "));
            out.push('\n');
        }
    }
    out
}

/// Fails before any work when `path` cannot be a file to write: its folder does not exist,
/// or it is a folder.
pub fn check_writable(path: &Path) -> Result<(), Failure> {
    if path.is_dir() {
        return Err(Failure::io(format!("cannot write {}: it is a folder", path.display())));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(Failure::io(format!("cannot write {}: the folder {} does not exist", path.display(), folder.display())));
    }
    Ok(())
}

/// Writes a file, naming it in the error.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<(), Failure> {
    write_file_with(path, |out| out.write_all(contents))
}

/// Writes a file by `write` (which may write it in pieces as they are made), naming it in the
/// error.
pub fn write_file_with(path: &Path, write: impl FnOnce(&mut (dyn std::io::Write + Send)) -> std::io::Result<()>) -> Result<(), Failure> {
    std::fs::File::create(path)
        .and_then(|mut file| write(&mut file))
        .map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))
}

/// Reads a file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::io(format!("cannot read {}: {e}", path.display())))
}

/// The first `limit` bytes of a file (all of a shorter one); the error names the file.
pub fn read_head(path: &Path, limit: usize) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(limit as u64).read_to_end(&mut head))
        .map_err(|e| Failure::io(format!("cannot read {}: {e}", path.display())))?;
    Ok(head)
}

/// Refuses output formats the command line does not write (Parquet, Arrow): only CSV (and
/// JSON where a command says so).
pub fn check_text_output(path: &Path, json_allowed: bool) -> Result<(), Failure> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if matches!(extension.as_str(), "parquet" | "arrow" | "feather" | "ipc") {
        let json = if json_allowed { " or .json" } else { "" };
        return Err(Failure::request(format!(
            "cannot write {}: the command line writes CSV{json}, not .{extension} (convert the CSV, or use the Python package's Arrow tables)",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_align_cjk_and_numbers() {
        let text = super::table(Some(&["holiday", "days"]), &[vec!["春节 Spring".into(), "9".into()], vec!["x".into(), "10".into()]]);
        assert_eq!(text, "holiday      days\n-----------  ----\n春节 Spring     9\nx              10\n");
    }
}
