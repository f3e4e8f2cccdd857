//! `posfee._core` reconciliation: tables in (Arrow streams or statement files), report out
//! (a pyarrow table of rows and the summary as JSON). The GIL is released while rows are
//! converted and reconciled.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{RecordBatch, RecordBatchReader};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;

use posfee::reconcile::arrow::{self as core_arrow, ArrowReadError, ArrowReadOptions};
use posfee::reconcile::{self, Ledger, MerchantProfile, ReconcileOptions, Report, Statement};
use posfee::{CalendarPolicy, OnInvalid};

use crate::calendar::CalendarArg;
use crate::convert;
use crate::errors::{core_error, guard, guard_arrow, guard_detached};
use crate::quote::PySchedule;

/// A ledger (the merchant's trades) in the core's columnar form.
#[pyclass(module = "posfee._core", name = "LedgerData", frozen)]
pub struct PyLedger {
    pub ledger: Arc<Ledger>,
}

/// A statement (the acquirer's settlement rows) in the core's columnar form.
#[pyclass(module = "posfee._core", name = "StatementData", frozen)]
pub struct PyStatement {
    pub statement: Arc<Statement>,
}

fn issues_list(issues: &[reconcile::ReadIssue]) -> Vec<String> {
    issues.iter().map(|i| i.error.to_string()).collect()
}

/// The methods a ledger and a statement share: length, read issues, Arrow and CSV out.
macro_rules! rows_methods {
    ($class:ident, $field:ident, $to_arrow:path, $to_csv:path) => {
        #[pymethods]
        impl $class {
            fn __len__(&self) -> usize {
                self.$field.len()
            }

            #[getter]
            fn issues(&self) -> Vec<String> {
                issues_list(self.$field.issues())
            }

            /// The rows as a pyarrow table in the canonical schema.
            fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                let rows = Arc::clone(&self.$field);
                let batch = guard_detached(py, move || Ok($to_arrow(&rows)))?;
                PyTable::try_new(vec![batch.clone()], batch.schema())?.into_pyarrow(py)
            }

            fn to_csv(&self, py: Python<'_>) -> PyResult<String> {
                let rows = Arc::clone(&self.$field);
                guard_detached(py, move || Ok($to_csv(&rows)))
            }
        }
    };
}

rows_methods!(PyLedger, ledger, core_arrow::ledger_to_arrow, reconcile::write_ledger_csv);
rows_methods!(PyStatement, statement, core_arrow::statement_to_arrow, reconcile::write_bank_csv);

/// `on_invalid`: `raise` or `report` (the core's [`OnInvalid::parse`]).
pub(crate) fn on_invalid(py: Python<'_>, value: &str) -> PyResult<OnInvalid> {
    OnInvalid::parse(value).map_err(|error| core_error(py, &error))
}

/// Checks `on_invalid` (so that a bad value fails before any work, whatever the inputs).
#[pyfunction]
pub fn check_on_invalid(py: Python<'_>, on_invalid: &str) -> PyResult<()> {
    self::on_invalid(py, on_invalid).map(|_| ())
}

/// Calls `progress(stage, rows)` with the GIL; a failing callback is ignored.
fn tick(progress: &Option<Py<PyAny>>, stage: &str, rows: u64) {
    if let Some(callback) = progress {
        Python::attach(|py| {
            let _ = callback.call1(py, (stage, rows));
        });
    }
}

/// Builds a table from an input's batches (the core's `ledger_from_arrow` or `statement_from_arrow`).
type Build<T> = fn(&str, &[RecordBatch], ArrowReadOptions) -> Result<T, ArrowReadError>;

/// Every batch of a stream (the `stage`: ledger, statement, trades), read without the GIL
/// (`progress` takes it briefly): the core's `collect_batches`.
pub(crate) fn batches(
    reader: Box<dyn RecordBatchReader + Send>,
    stage: &str,
    progress: &Option<Py<PyAny>>,
) -> Result<Vec<RecordBatch>, ArrowReadError> {
    core_arrow::collect_batches(reader, &format!("the {stage} as Arrow"), |rows| tick(progress, stage, rows))
}

/// A stream's batches built into `T` (named `name`) in one piece.
fn built<T>(
    reader: Box<dyn RecordBatchReader + Send>,
    name: &str,
    stage: &str,
    progress: &Option<Py<PyAny>>,
    build: Build<T>,
    reading: ArrowReadOptions,
) -> Result<T, ArrowReadError> {
    build(name, &batches(reader, stage, progress)?, reading)
}

/// A ledger, a statement or both from Arrow data in the canonical columns (the core's
/// `ledger_from_arrow` and `statement_from_arrow`), the two converted side by side on two
/// threads and named by `names` in errors. `by_rows` takes the row-by-row path even where the
/// column path would do (the tests compare the two).
#[pyfunction]
#[pyo3(signature = (ledger = None, statement = None, on_invalid = "raise", progress = None, names = None, by_rows = false))]
pub fn tables_from_arrow(
    py: Python<'_>,
    ledger: Option<AnyRecordBatch>,
    statement: Option<AnyRecordBatch>,
    on_invalid: &str,
    progress: Option<Py<PyAny>>,
    names: Option<(String, String)>,
    by_rows: bool,
) -> PyResult<(Option<PyLedger>, Option<PyStatement>)> {
    let reading = ArrowReadOptions::default().on_invalid(self::on_invalid(py, on_invalid)?).by_rows(by_rows);
    let (ledger, statement) =
        (ledger.map(AnyRecordBatch::into_reader).transpose()?, statement.map(AnyRecordBatch::into_reader).transpose()?);
    let (ledger_name, statement_name) = names.unwrap_or_else(|| ("ledger".to_string(), "statement".to_string()));
    let statement_progress = progress.as_ref().map(|p| p.clone_ref(py));
    let (ledger, statement) = guard_arrow(py, move || {
        let (ledger, statement) = rayon::join(
            || ledger.map(|data| built(data, &ledger_name, "ledger", &progress, core_arrow::ledger_from_arrow, reading)).transpose(),
            || {
                let build = core_arrow::statement_from_arrow;
                statement.map(|data| built(data, &statement_name, "statement", &statement_progress, build, reading)).transpose()
            },
        );
        Ok((ledger?, statement?))
    })?;
    Ok((
        ledger.map(|ledger| PyLedger { ledger: Arc::new(ledger) }),
        statement.map(|statement| PyStatement { statement: Arc::new(statement) }),
    ))
}

/// A ledger from a canonical ledger CSV file; with `on_invalid="raise"` a line that cannot be
/// read is an error (with `report` it stays an unreadable row of the report).
#[pyfunction]
#[pyo3(signature = (path, on_invalid = "raise"))]
pub fn read_ledger_csv(py: Python<'_>, path: std::path::PathBuf, on_invalid: &str) -> PyResult<PyLedger> {
    let on_invalid = self::on_invalid(py, on_invalid)?;
    let ledger = guard_detached(py, || {
        // Read in blocks: the file is never held whole.
        let ledger = reconcile::read_ledger_file(&path)?;
        reconcile::ReadIssue::raise_first(on_invalid, ledger.issues())?;
        Ok(ledger)
    })?;
    Ok(PyLedger { ledger: Arc::new(ledger) })
}

/// A statement from a file's path or its bytes, read with the profile `format` names
/// (`auto` sniffs; a shipped format; a `.toml` profile file): the core's
/// `Profile::resolve` and `read_statement`. `on_invalid` as for ledgers.
#[pyfunction]
#[pyo3(signature = (source, format = "auto", on_invalid = "raise", name = None))]
pub fn read_statement(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    format: &str,
    on_invalid: &str,
    name: Option<String>,
) -> PyResult<PyStatement> {
    let on_invalid = self::on_invalid(py, on_invalid)?;
    let format = format.to_string();
    let (bytes, file) = convert::file_source(source, name, "statement")?;
    let statement = guard_detached(py, move || {
        let statement = match bytes {
            Ok(bytes) => reconcile::read_statement(&bytes, &file, &reconcile::Profile::resolve(&format, &bytes, &file)?)?,
            // A file under its own name is read in blocks (never held whole); its start
            // chooses the profile.
            Err(path) if file == path.display().to_string() => {
                let profile = reconcile::Profile::resolve_file(&format, &path)?;
                reconcile::read_statement_file(&path, &profile, reconcile::ReadOptions::default())?
            }
            Err(path) => {
                let bytes = posfee::read_file(&path)?;
                reconcile::read_statement(&bytes, &file, &reconcile::Profile::resolve(&format, &bytes, &file)?)?
            }
        };
        reconcile::ReadIssue::raise_first(on_invalid, statement.issues())?;
        Ok(statement)
    })?;
    Ok(PyStatement { statement: Arc::new(statement) })
}

/// The shipped statement formats (`posfee.shapes.FormatInfo`).
#[pyfunction]
pub fn formats(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    convert::shaped(py, &guard(py, reconcile::format_infos)?, "formats")
}

/// The answer key of a simulated month: (ledger rows, statement rows) not expected to be
/// `ok`, each as (row, class name).
pub type AnswerKeyRows = (Vec<(usize, &'static str)>, Vec<(usize, &'static str)>);

/// A seeded simulated month: (ledger, statement, merchant number, merchant name, terminals,
/// answer key).
#[pyfunction]
#[pyo3(signature = (seed, trades = 5000, faults_per_class = 3))]
pub fn simulate(
    py: Python<'_>,
    seed: u64,
    trades: usize,
    faults_per_class: usize,
) -> PyResult<(PyLedger, PyStatement, String, String, Vec<String>, AnswerKeyRows)> {
    let sample = guard_detached(py, || {
        reconcile::simulation::generate(
            &reconcile::simulation::SimulationOptions::new(seed).trades(trades).faults_per_class(faults_per_class),
        )
    })?;
    let profile = &sample.options.profile;
    let named = |rows: &[(usize, reconcile::Class)]| rows.iter().map(|&(row, class)| (row, class.name())).collect();
    let key = (named(&sample.key.ledger), named(&sample.key.statement));
    Ok((
        PyLedger { ledger: Arc::new(sample.ledger) },
        PyStatement { statement: Arc::new(sample.statement) },
        profile.merchant_no.as_str().to_string(),
        profile.name.clone(),
        profile.terminals.clone(),
        key,
    ))
}

/// A class holding a core table of contracts (`$core`: a registry, an agent tree) and its
/// loader `$load(how, source, name, folder)`; its length is the number of `$rows`: `source` is a CSV file's path (`how="file"`;
/// schedule cells: presets, or files relative to its folder), CSV text named `name` with
/// schedule files relative to `folder`, by default the working folder (`"csv"`), or the
/// core's portable form (`"portable"`, for pickling). The methods given after `;` are added.
macro_rules! contracts_class {
    ($class:ident, $name:literal, $core:ty, $load:ident, $rows:ident; $($methods:tt)*) => {
        #[pyclass(module = "posfee._core", name = $name, frozen)]
        pub struct $class {
            data: Arc<$core>,
        }

        #[pymethods]
        impl $class {
            fn __len__(&self) -> usize {
                self.data.$rows().len()
            }

            /// The data as self-contained text (the core's portable form, for pickling).
            fn to_portable(&self) -> String {
                self.data.to_portable()
            }

            $($methods)*
        }

        #[pyfunction]
        #[pyo3(signature = (how, source, name = "", folder = None))]
        pub fn $load(py: Python<'_>, how: &str, source: String, name: &str, folder: Option<PathBuf>) -> PyResult<$class> {
            // The loader `how` names, chosen before any work: (source, name, folder).
            let load: fn(&str, &str, &Path) -> posfee::Result<$core> = match how {
                "file" => |source, _, _| <$core>::read_csv(source),
                "csv" => |source, name, folder| <$core>::from_csv_in(source, name, folder),
                "portable" => |source, _, _| <$core>::from_portable(source),
                other => return Err(PyValueError::new_err(format!("how must be file, csv or portable, not {other:?}"))),
            };
            let name = name.to_string();
            let data = guard_detached(py, move || load(&source, &name, folder.as_deref().unwrap_or(Path::new("."))))?;
            Ok($class { data: Arc::new(data) })
        }
    };
}

contracts_class!(PyRegistry, "RegistryData", reconcile::Registry, load_registry, contracts;
    /// The distinct merchant numbers, sorted.
    fn merchants(&self) -> Vec<String> {
        self.data.merchants().into_iter().map(str::to_string).collect()
    }
);
contracts_class!(PyAgents, "AgentsData", reconcile::AgentTree, load_agents, agents;);

/// The dispute list format a file name asks for: `html` or `csv`.
#[pyfunction]
pub fn dispute_format(py: Python<'_>, path: std::path::PathBuf) -> PyResult<&'static str> {
    let format = guard(py, || reconcile::DisputeFormat::for_path(&path))?;
    Ok(match format {
        reconcile::DisputeFormat::Html => "html",
        reconcile::DisputeFormat::Csv => "csv",
    })
}

/// The margins of a ledger's trades: the report as JSON (totals, skipped trades, findings;
/// money as strings; its rows left out) and the rows as a pyarrow table.
#[pyfunction]
pub fn margins_data<'py>(
    py: Python<'py>,
    trades: &PyLedger,
    merchants: &PyRegistry,
    agents: &PyAgents,
) -> PyResult<(String, Bound<'py, PyAny>)> {
    let (trades, registry, agents) = (Arc::clone(&trades.ledger), Arc::clone(&merchants.data), Arc::clone(&agents.data));
    let (report, batch) = guard_detached(py, move || {
        let mut report = reconcile::margins(&trades, &registry, &agents, posfee::Calendar::china())?;
        let batch = core_arrow::margins_to_arrow(&std::mem::take(&mut report.rows));
        Ok((report, batch))
    })?;
    let rows = PyTable::try_new(vec![batch.clone()], batch.schema())?.into_pyarrow(py)?;
    Ok((convert::json_text(&report)?, rows))
}

/// The reconciliation of a ledger against a statement.
#[pyclass(module = "posfee._core", name = "ReportData", frozen)]
pub struct PyReport {
    report: Arc<Report>,
    ledger: Arc<Ledger>,
    statement: Arc<Statement>,
    profile: MerchantProfile,
}

#[pyfunction]
#[pyo3(signature = (ledger, statement, schedule, merchant, merchant_name = "", terminals = Vec::new(), merchant_class = None, settlement = None, calendar = None, provisional = false, match_window_seconds = None, limits = None, merchants = None))]
#[allow(clippy::too_many_arguments)]
pub fn reconcile_data(
    py: Python<'_>,
    ledger: &PyLedger,
    statement: &PyStatement,
    schedule: Option<&PySchedule>,
    merchant: Option<&str>,
    merchant_name: &str,
    terminals: Vec<String>,
    merchant_class: Option<String>,
    settlement: Option<&Bound<'_, PyAny>>,
    calendar: Option<CalendarArg>,
    provisional: bool,
    match_window_seconds: Option<&Bound<'_, PyAny>>,
    limits: Option<&str>,
    merchants: Option<&PyRegistry>,
) -> PyResult<PyReport> {
    // Any int, read by the core from its decimal text.
    let window =
        match_window_seconds.filter(|w| !w.is_none()).map(|w| convert::int_text("match_window_seconds", w, "an int number of seconds"));
    let window = window.transpose()?.map(|text| guard(py, || reconcile::parse_match_window(&text))).transpose()?;
    let settlement = convert::settlement(py, settlement)?;
    let mut options = match (merchants, schedule, merchant) {
        (Some(registry), _, _) => guard(py, || ReconcileOptions::portfolio((*registry.data).clone()))?,
        (None, Some(schedule), Some(merchant)) => {
            let mut profile = guard(py, || MerchantProfile::new(merchant, merchant_name))?.terminals(terminals).settlement(settlement);
            if let Some(class) = merchant_class {
                profile = profile.merchant_class(class);
            }
            if let Some(limits) = limits {
                profile = profile.limits(guard(py, || posfee::MerchantLimits::load(limits))?);
            }
            ReconcileOptions::new((*schedule.schedule).clone(), profile)
        }
        _ => {
            let message = "reconcile needs a schedule and a merchant, or merchants";
            return Err(crate::errors::make_error(py, posfee::ErrorKind::InvalidRequest, message, &posfee::Location::default()));
        }
    };
    if let Some(seconds) = window {
        options = options.match_window_seconds(seconds);
    }
    if let Some(CalendarArg(calendar)) = calendar {
        options = options.calendar((*calendar).clone());
    }
    options = options.calendar_policy(CalendarPolicy::provisional(provisional));
    let (ledger, statement) = (Arc::clone(&ledger.ledger), Arc::clone(&statement.statement));
    let report = guard_detached(py, || reconcile::reconcile_shared(Arc::clone(&ledger), Arc::clone(&statement), &options))?;
    Ok(PyReport { report: Arc::new(report), ledger, statement, profile: options.profile })
}

#[pymethods]
impl PyReport {
    /// The summary as JSON (money as strings).
    fn summary_json(&self) -> PyResult<String> {
        convert::json_text(&self.report.summary)
    }

    /// The summary as a text table, in `lang`.
    #[pyo3(signature = (lang = "en"))]
    fn table(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        guard(py, || Ok(self.report.summary.table_in(posfee::Lang::parse(lang)?)))
    }

    /// The rows as CSV, the reasons in `lang`.
    #[pyo3(signature = (lang = "en"))]
    fn to_csv(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = guard(py, || posfee::Lang::parse(lang))?;
        let (report, ledger, statement) = (Arc::clone(&self.report), Arc::clone(&self.ledger), Arc::clone(&self.statement));
        guard_detached(py, move || Ok(report.to_csv_in(&ledger, &statement, lang)))
    }

    /// Summary and rows as JSON.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let report = Arc::clone(&self.report);
        guard_detached(py, move || Ok(report.to_json()))
    }

    fn __len__(&self) -> usize {
        self.report.len()
    }

    /// The dispute list as JSON (`json`), or as text in a format of the core (`html`, `csv`).
    fn dispute(&self, py: Python<'_>, format: &str, lang: &str) -> PyResult<String> {
        let lang = guard(py, || posfee::Lang::parse(lang))?;
        let dispute = self.report.dispute(&self.statement, &self.profile);
        if format == "json" {
            return convert::json_text(&dispute);
        }
        let format = guard(py, || reconcile::DisputeFormat::parse(format))?;
        Ok(dispute.render(format, lang))
    }

    /// The rows as a pyarrow table, the reasons in `lang`.
    #[pyo3(signature = (lang = "en"))]
    fn rows<'py>(&self, py: Python<'py>, lang: &str) -> PyResult<Bound<'py, PyAny>> {
        let lang = guard(py, || posfee::Lang::parse(lang))?;
        let (report, ledger, statement) = (Arc::clone(&self.report), Arc::clone(&self.ledger), Arc::clone(&self.statement));
        let batches = guard_detached(py, move || Ok(core_arrow::report_to_arrow(&report, &ledger, &statement, lang)))?;
        let schema = batches[0].schema();
        PyTable::try_new(batches, schema)?.into_pyarrow(py)
    }
}
