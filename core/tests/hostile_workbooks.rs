//! Workbooks found by fuzzing (`make fuzz`, target `read_workbook`, 2026-11-29) that made the
//! Excel reader allocate gigabytes or terabytes — an abort no `catch_unwind` stops, which in Python kills
//! the interpreter — or panic inside it. Each is now the file's typed error, naming the file,
//! through every way a statement or bank file is read. Should the check in front of the reader
//! (`xls_guard`) let one through again, this test aborts instead of failing.
#![cfg(feature = "excel")]

use posfee::reconcile::deposits::{read_bank_statement, BankProfile};
use posfee::reconcile::{read_statement, Profile};

const FILES: [(&str, &str); 6] = [
    // A sector number of four billion: the reader grew a buffer to 2 TB.
    ("sector-four-billion.xls", "past the end of the file"),
    // A directory cut short of a whole entry: the reader panicked on the slice.
    ("directory-cut-short.xls", ""),
    // Cells whose rows go backwards: the reader's row count wrapped to four billion (1.5 TB).
    ("cells-out-of-row-order.xls", ""),
    // A far row between near ones: the reader, skipping the last cell (an empty label), took
    // the far row as the range's end and filled 81 million cells (5 GB for a 5 KB file).
    ("far-row-in-the-middle.xls", "out of row order"),
    // A row record turned into a STRING record (a formula's text) with no formula before it:
    // the reader put it at A1, after row 10, and its row count wrapped (1.5 PB; 23:11, the
    // run to 10 million executions).
    ("formula-string-before-any-formula.xls", "out of row order"),
    // The file ends 125 bytes into the directory's second entry, "Workbook", which the reader
    // still read (start and length are in its first 124 bytes) and the check had dropped: a
    // stream past the end of the file, and a 68 GB buffer (00:27, the run after that fix).
    ("directory-entry-cut-short.xls", "cut short of a whole entry"),
];

fn hostile(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile").join(name)).unwrap()
}

#[test]
fn each_hostile_workbook_is_the_files_error_by_profile_by_sniffing_and_as_a_bank_file() {
    for (name, why) in FILES {
        let bytes = hostile(name);
        for profile in [Profile::builtin("wechat-personal").unwrap(), Profile::builtin("bank-pos").unwrap()] {
            let error = read_statement(&bytes, name, &profile).unwrap_err();
            assert_eq!(error.code(), "invalid_record", "{name}: {error}");
            assert_eq!(error.location().file.as_deref(), Some(name), "{error}");
            assert!(error.message().contains(why), "{name}: {error}");
        }
        assert!(Profile::sniff(&bytes).is_err(), "{name}");
        let bank = BankProfile::builtin("icbc-debit").unwrap();
        let error = read_bank_statement(&bytes, name, &bank).unwrap_err();
        assert_eq!(error.location().file.as_deref(), Some(name), "{error}");
    }
}
