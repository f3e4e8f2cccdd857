//! Integration tests of the command-line examples, run as a user would run them.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The path of an example binary, built once by `cargo build --example` into the target
/// directory of this test (`cargo test --all-targets` builds examples as test harnesses,
/// not as the programs a user runs).
fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let profile_dir = BUILT.get_or_init(|| {
        let mut profile_dir = std::env::current_exe().expect("test binary path");
        profile_dir.pop(); // the test binary
        profile_dir.pop(); // deps/
        let target_dir = profile_dir.parent().expect("target directory").to_path_buf();
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--quiet", "--example", "quote", "--example", "calendar", "--manifest-path"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir);
        if profile_dir.ends_with("release") {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "cargo build --example failed");
        profile_dir
    });
    profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn run(name: &str, arguments: &[&str]) -> Output {
    let path = example(name);
    Command::new(&path).args(arguments).output().unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()))
}

#[test]
fn quote_prints_the_readme_quote_as_json() {
    let output = run(
        "quote",
        &[
            "--preset",
            "sft-traditional",
            "--channel",
            "debit",
            "--amount",
            "5000",
            "--at",
            "2026-09-30T22:30:00+08:00",
            "--settlement",
            "T1",
        ],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["fee"], "20.00");
    assert_eq!(json["net"], "4980.00");
    assert_eq!(json["settles_on"], "2026-10-08");
    assert_eq!(json["cap_applied"], true);
    let explanation: Vec<String> = serde_json::from_value(json["explanation"].clone()).unwrap();
    assert!(explanation.iter().any(|line| line.contains("capped at ¥20.00")), "{explanation:?}");
}

#[test]
fn quote_warns_when_a_surcharge_exceeds_the_amount() {
    let output =
        run("quote", &["--preset", "standard-d0", "--channel", "debit", "--amount", "1", "--at", "2026-05-06 10:00", "--settlement", "D0"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["net"], "-2.01");
    assert_eq!(json["fee_exceeds_amount"], true);
    assert!(json["explanation"].to_string().contains("WARNING"));
}

#[test]
fn quote_rejects_bad_input_with_a_code_and_the_value() {
    for (arguments, code, value) in [
        (vec!["--channel", "debit", "--amount", "12.345", "--at", "2026-05-06"], "invalid_amount", "12.345"),
        (vec!["--channel", "visa", "--amount", "1", "--at", "2026-05-06"], "invalid_channel", "visa"),
        (vec!["--channel", "debit", "--amount", "1", "--at", "someday"], "invalid_date", "someday"),
        (vec!["--preset", "nope", "--channel", "debit", "--amount", "1", "--at", "2026-05-06"], "unknown_preset", "nope"),
    ] {
        let output = run("quote", &arguments);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(code) && stderr.contains(value), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn calendar_prints_2026_as_csv() {
    let output = run("calendar", &["2026-01-01", "2026-12-31"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("date,business_day,holiday"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 365);
    assert_eq!(rows.iter().filter(|row| row.split(',').nth(1) == Some("true")).count(), 248);
    assert!(rows.contains(&"2026-02-14,true,"));
    assert!(rows.contains(&"2026-02-17,false,春节 Spring Festival"));
}

#[test]
fn calendar_fails_clearly_outside_the_data() {
    let output = run("calendar", &["2026-12-30", "2027-01-02"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no partial output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("calendar_out_of_range") && stderr.contains("2027-01-01"), "{stderr}");
    let provisional = run("calendar", &["2026-12-30", "2027-01-02", "--provisional"]);
    assert!(provisional.status.success());
    assert!(String::from_utf8_lossy(&provisional.stdout).contains("2027-01-01,true,,true"));
}
