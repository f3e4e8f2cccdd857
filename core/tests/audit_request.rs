//! The statement audit asked for by named fields (`AuditRequest`, the page's `checkStatement`).
#![cfg(feature = "reconcile")]
use posfee::reconcile::AuditRequest;
use posfee::reconcile::{
    check_statement, read_ledger_csv, read_statement, reconcile, simulation, write_bank_csv, Class, Profile, ReconcileOptions, Side,
};

fn sample_bank_csv() -> (Vec<u8>, simulation::Simulation) {
    let from = posfee::parse_date("2026-03-12").unwrap();
    let rise = simulation::Pattern::Rate { from, channel: posfee::Channel::Credit, rate: posfee::Rate::parse("0.68%").unwrap() };
    let sample = simulation::generate(&simulation::SimulationOptions::new(3).trades(800).faults_per_class(0).pattern(rise)).unwrap();
    (write_bank_csv(&sample.statement).into_bytes(), sample)
}

#[test]
fn a_statement_alone_shows_the_rate_rise_in_the_language_asked() {
    let (bytes, sample) = sample_bank_csv();
    let input = AuditRequest {
        name: "settle.csv".into(),
        preset: Some(sample.options.schedule.name().to_string()),
        merchant_no: sample.options.profile.merchant_no.as_str().to_string(),
        lang: Some("en".into()),
        ..AuditRequest::default()
    };
    let (checked, rows_max) = input.run(&bytes, None).unwrap();
    let output = checked.overview(rows_max);
    assert_eq!((output.format, output.lang, rows_max), ("bank-pos", posfee::Lang::En, 2_000));
    assert_eq!(output.summary.findings.len(), 1);
    assert!(output.summary.findings[0].en.contains("0.68% instead of 0.60%"), "{}", output.summary.findings[0].en);
    let mut expected =
        check_statement(&checked.statement, &ReconcileOptions::new(sample.options.schedule.clone(), checked.profile.clone())).unwrap();
    expected.set_lang(posfee::Lang::En);
    assert_eq!(output.summary, &expected.summary);
    let problems = expected.rows().filter(|r| r.side != Side::Ledger && r.class.is_problem()).count();
    assert_eq!(output.problem_rows_total, problems);
    assert!(checked.dispute().to_html(checked.report.lang()).contains("0.68%"));
}

#[test]
fn with_a_ledger_it_is_the_full_reconciliation() {
    let sample = simulation::generate(&simulation::SimulationOptions::new(9).trades(1_500)).unwrap();
    let statement_bytes = write_bank_csv(&sample.statement).into_bytes();
    let ledger_bytes = posfee::reconcile::write_ledger_csv(&sample.ledger).into_bytes();
    let input = AuditRequest {
        name: "settle.csv".into(),
        ledger_name: Some("ledger.csv".into()),
        preset: Some(sample.options.schedule.name().to_string()),
        merchant_no: sample.options.profile.merchant_no.as_str().to_string(),
        terminals: Some(sample.options.profile.terminals.clone()),
        settlement: Some(sample.options.profile.settlement.to_string()),
        ..AuditRequest::default()
    };
    let (checked, rows_max) = input.run(&statement_bytes, Some(&ledger_bytes)).unwrap();
    let output = checked.overview(rows_max);
    assert!(output.with_ledger);
    // The same report as reconciling the two files read natively.
    let ledger = read_ledger_csv(&ledger_bytes, "ledger.csv").unwrap();
    let statement = read_statement(&statement_bytes, "settle.csv", &Profile::builtin("bank-pos").unwrap()).unwrap();
    let expected =
        reconcile(&ledger, &statement, &ReconcileOptions::new(sample.options.schedule.clone(), checked.profile.clone())).unwrap();
    assert_eq!(output.summary.classes, expected.summary.classes);
    let problems = expected.rows().filter(|r| r.class.is_problem()).count();
    assert_eq!(output.problem_rows_total, problems);
    // Money that never arrived is found only with the ledger.
    assert!(output.classes.iter().any(|c| c.class == Some(Class::NeverSettled)), "{:?}", output.classes);
    assert!(output.problem_rows.iter().any(|r| r.row.side == Side::Ledger));
}

#[test]
fn bad_input_names_the_field() {
    let (bytes, _) = sample_bank_csv();
    let input =
        AuditRequest { name: "s.csv".into(), preset: Some("standard".into()), merchant_no: "123".into(), ..AuditRequest::default() };
    let error = input.run(&bytes, None).err().unwrap();
    assert_eq!(error.location().field.as_deref(), Some("merchant_no")); // merchantNo in JavaScript (to_js_error)
    let input = AuditRequest { merchant_no: "102310058120001".into(), format: Some("visa".into()), ..input };
    let error = input.run(&bytes, None).err().unwrap();
    assert_eq!((error.location().field.as_deref(), error.location().file.as_deref()), (Some("format"), Some("s.csv")));
    let input = AuditRequest { format: None, rows_max: Some(5_000), ..input };
    assert_eq!(input.run(&bytes, None).err().unwrap().location().field.as_deref(), Some("rows_max"));
    // the core's name; JavaScript sees `rowsMax` (to_js_error)
}

/// The field names serde reads for `T` (its `deserialize_struct` call), found by a
/// deserializer that only records them.
fn serde_fields<T: for<'de> serde::Deserialize<'de>>() -> Vec<&'static str> {
    use serde::de::{self, Visitor};
    struct Fields(std::cell::Cell<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Stop {
            Stop
        }
    }
    impl<'de> de::Deserializer<'de> for &Fields {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, fields: &'static [&'static str], _: V) -> Result<V::Value, Stop> {
            self.0.set(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit unit_struct
            newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let fields = Fields(std::cell::Cell::new(&[]));
    let _ = T::deserialize(&fields);
    fields.0.get().to_vec()
}

#[test]
fn the_request_keys_are_the_fields_and_the_files() {
    let mut keys = AuditRequest::KEYS.to_vec();
    keys.retain(|key| !["statement", "ledger"].contains(key));
    let mut fields = serde_fields::<AuditRequest>();
    keys.sort_unstable();
    fields.sort_unstable();
    assert_eq!(keys, fields);
    let mut keys = posfee::reconcile::deposits::DepositRequest::KEYS.to_vec();
    keys.retain(|key| !["statement", "bank"].contains(key));
    let mut fields = serde_fields::<posfee::reconcile::deposits::DepositRequest>();
    keys.sort_unstable();
    fields.sort_unstable();
    assert_eq!(keys, fields);
}
