//! Fuzzes Excel workbooks as statement files (`.xlsx` zip and `.xls` compound file): any
//! bytes after a workbook signature give a table or a typed error naming the file, never a
//! panic or a runaway allocation; what is read keeps conservation. Seeds: small .xlsx and .xls
//! files of the sample statements, their signature cut off (it is the choice byte's to add).
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::*;

#[path = "common.rs"]
mod common;

const XLSX: &[u8] = b"PK\x03\x04";
const XLS: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fuzz_target!(|data: &[u8]| {
    common::allow_caught_panics();
    // The first byte chooses the container (bit 0) and what is done with it (sniffing, or
    // reading with one of two profiles): one conversion of the workbook per execution.
    let Some((&choice, rest)) = data.split_first() else { return };
    let mut bytes = if choice & 1 == 0 { XLSX.to_vec() } else { XLS.to_vec() };
    bytes.extend_from_slice(rest);
    let read = match (choice >> 1) % 3 {
        0 => return drop(Profile::sniff(&bytes)),
        1 => read_statement(&bytes, "fuzz.xlsx", common::profile("wechat-personal")),
        _ => read_statement(&bytes, "fuzz.xlsx", common::profile("bank-pos")),
    };
    match read {
        Ok(table) => common::statement_conserved(&table),
        Err(error) => assert_eq!(error.location().file.as_deref(), Some("fuzz.xlsx"), "{error}"),
    }
});
