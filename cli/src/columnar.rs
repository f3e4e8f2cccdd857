//! Parquet and Arrow IPC files (`.parquet`; `.arrow`, `.feather`, `.ipc`): ledgers and
//! statements read from them with the core's Arrow reader (the rules of the CSV readers), and
//! the canonical statement written as one.

use std::fs::File;
use std::path::Path;

use arrow_array::{RecordBatch, RecordBatchReader};
use posfee::reconcile::arrow::{collect_batches, ledger_from_arrow, statement_from_arrow, ArrowReadOptions};
use posfee::reconcile::{Ledger, Statement};
use posfee::OnInvalid;

use crate::failure::Failure;

/// A columnar file format, known by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columnar {
    /// Apache Parquet.
    Parquet,
    /// The Arrow IPC file format (Feather version 2).
    Ipc,
}

impl Columnar {
    /// The format of `path`, by its extension; `None` for any other file (CSV, text, Excel).
    pub fn of(path: &Path) -> Option<Columnar> {
        match path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase().as_str() {
            "parquet" => Some(Columnar::Parquet),
            "arrow" | "feather" | "ipc" => Some(Columnar::Ipc),
            _ => None,
        }
    }
}

fn open(path: &Path) -> Result<File, Failure> {
    File::open(path).map_err(|e| Failure::io(format!("cannot read {}: {e}", path.display())))
}

fn unreadable(path: &Path, error: impl std::fmt::Display) -> Failure {
    Failure::new(posfee::ErrorKind::InvalidRecord, format!("cannot read {} as {}: {error}", path.display(), kind_name(path)))
}

fn kind_name(path: &Path) -> &'static str {
    match Columnar::of(path) {
        Some(Columnar::Parquet) => "Parquet",
        _ => "an Arrow IPC file",
    }
}

/// The record batches of a Parquet or Arrow IPC file (one empty batch with the schema when it
/// has no rows).
fn batches(path: &Path, format: Columnar) -> Result<Vec<RecordBatch>, Failure> {
    let file = open(path)?;
    let reader: Box<dyn RecordBatchReader> = match format {
        Columnar::Parquet => Box::new(
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                .and_then(|builder| builder.build())
                .map_err(|e| unreadable(path, e))?,
        ),
        Columnar::Ipc => Box::new(arrow_ipc::reader::FileReader::try_new(file, None).map_err(|e| unreadable(path, e))?),
    };
    let what = format!("{} as {}", path.display(), kind_name(path));
    Ok(collect_batches(reader, &what, |_| {}).map_err(posfee::Error::from)?)
}

/// Every row read or kept as an issue (as the CSV readers do; `--on-invalid` decides after).
fn reading() -> ArrowReadOptions {
    ArrowReadOptions::default().on_invalid(OnInvalid::Report)
}

/// A ledger from a Parquet or Arrow IPC file of the canonical ledger columns.
pub fn ledger(path: &Path, format: Columnar) -> Result<Ledger, Failure> {
    let batches = batches(path, format)?;
    Ok(ledger_from_arrow(&path.display().to_string(), &batches, reading()).map_err(posfee::Error::from)?)
}

/// A statement from a Parquet or Arrow IPC file of the canonical statement columns.
pub fn statement(path: &Path, format: Columnar) -> Result<Statement, Failure> {
    let batches = batches(path, format)?;
    Ok(statement_from_arrow(&path.display().to_string(), &batches, reading()).map_err(posfee::Error::from)?)
}

/// Writes one batch as a Parquet (Snappy) or Arrow IPC file.
pub fn write(path: &Path, format: Columnar, batch: &RecordBatch) -> Result<(), Failure> {
    let failed = |e: &dyn std::fmt::Display| Failure::io(format!("cannot write {}: {e}", path.display()));
    let file = File::create(path).map_err(|e| failed(&e))?;
    match format {
        Columnar::Parquet => {
            let properties =
                parquet::file::properties::WriterProperties::builder().set_compression(parquet::basic::Compression::SNAPPY).build();
            let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(properties)).map_err(|e| failed(&e))?;
            writer.write(batch).map_err(|e| failed(&e))?;
            writer.close().map_err(|e| failed(&e))?;
        }
        Columnar::Ipc => {
            let mut writer = arrow_ipc::writer::FileWriter::try_new(file, &batch.schema()).map_err(|e| failed(&e))?;
            writer.write(batch).map_err(|e| failed(&e))?;
            writer.finish().map_err(|e| failed(&e))?;
        }
    }
    Ok(())
}
