//! The Rust core's table quote alone, for py/bench/bench_quote_table.py (issue 15: Python
//! within 1.3x of the core on the same rows). Reads an Arrow IPC file of trades in the columns
//! `Schedule.quote_table` takes, builds the core's columns once as the Python package does
//! (`TradeColumns::from_batch`), then times `Schedule::quote_table` alone (one thread), best of
//! REPEAT, and prints `{"rows": N, "seconds": S}`.
//!
//! Usage: `quote_table_core PRESET FILE.arrow REPEAT`

use std::process::ExitCode;
use std::time::Instant;

use posfee::{Schedule, TableOptions, TradeColumns, TradeDefaults};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [preset, path, repeat] = arguments.as_slice() else {
        eprintln!("usage: quote_table_core PRESET FILE.arrow REPEAT");
        return ExitCode::from(2);
    };
    match time(preset, path, repeat) {
        Ok((rows, seconds)) => {
            println!("{{\"rows\": {rows}, \"seconds\": {seconds:.6}}}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("quote_table_core: {message}");
            ExitCode::FAILURE
        }
    }
}

fn time(preset: &str, path: &str, repeat: &str) -> Result<(usize, f64), String> {
    let repeat: usize = repeat.parse().map_err(|e| format!("REPEAT {repeat:?}: {e}"))?;
    let schedule = Schedule::preset(preset).map_err(|e| e.to_string())?;
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let reader = arrow_ipc::reader::FileReader::try_new(file, None).map_err(|e| format!("{path}: {e}"))?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| format!("{path}: {e}"))?;
    let batch = arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| e.to_string())?;
    let columns = TradeColumns::from_batch(&batch, 0, &TradeDefaults::default()).map_err(|e| e.to_string())?;
    let names = columns.class_names();
    let table = columns.table(&names);
    let mut best = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let quoted = schedule.quote_table(&table, &TableOptions::default()).map_err(|e| e.to_string())?;
        best = best.min(started.elapsed().as_secs_f64());
        drop(quoted);
    }
    Ok((table.rows(), best))
}
