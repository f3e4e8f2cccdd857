//! A service agent's merchants (商户登记表): who is registered, on which terminals, on which
//! contract, signed by which agent, and since when.
//!
//! One row is one contract of one merchant over a period: a contract can change (a new
//! schedule, settlement mode or merchant class from a day), and a terminal can move to another
//! merchant from a day. Portfolio reconciliation ([`reconcile`](super::reconcile) with
//! [`ReconcileOptions::merchants`](super::ReconcileOptions::merchants)) checks every row
//! against the contract in force at its trade date, found once per row by terminal (or, for a
//! row without a terminal, by merchant number).
//!
//! The CSV layout ([`Registry::from_csv`]), header names in any order:
//!
//! | column | required | meaning |
//! | --- | --- | --- |
//! | `merchant_no` | yes | the 15-digit merchant number |
//! | `schedule` | yes | a preset name, or a schedule file (relative to the registry's folder) |
//! | `name` | no | the merchant's name |
//! | `terminals` | no | terminal ids, separated by `;` or spaces |
//! | `settlement` | no | T1 (default), T0, D0, S0… |
//! | `merchant_class` | no | a class the schedule names (`discounted`…) |
//! | `agent` | no | the agent who signed the merchant |
//! | `from` | no | the first trade date of the contract (China time; empty: always) |
//! | `until` | no | the first trade date it no longer covers (empty: open) |
//! | `limits` | no | the merchant's registered limits and business hours: a limits preset (`personal-micro-merchant`, `personal-static-code`) or a limits TOML file (relative to the registry's folder) |
//!
//! With `limits`, reconciliation names the limit a decline 61 (amount) or 65 (count) reached
//! for each merchant, flags declines outside its business hours, and lists its days and
//! months within 10% of a limit ([`Summary::near_limits`](super::Summary::near_limits), each
//! naming the merchant). A merchant's totals run over all its contracts with the same limits.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use super::merchant::{MerchantNumber, MerchantProfile};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::merchant_limits::{BusinessHours, ChannelLimits, MerchantLimits};
use crate::schedule::Schedule;
use crate::settlement::{parse_date, SettlementMode};

/// The most contracts a registry holds.
pub const REGISTRY_CONTRACTS_MAX: usize = 1_000_000;

/// The largest registry file read: 256 MiB.
pub const REGISTRY_BYTES_MAX: usize = 256 << 20;

/// One merchant's contract over a period.
///
/// # Example
/// ```
/// use posfee::reconcile::{MerchantContract, MerchantProfile};
/// let contract = MerchantContract::new(MerchantProfile::new("102310058120001", "沪上小馆")?.terminals(["T1"]), posfee::Schedule::preset("standard")?)
///     .agent("agent-east");
/// assert!(contract.covers(posfee::parse_date("2026-03-01")?));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MerchantContract {
    /// The merchant: number, name, terminals of this period, merchant class, settlement.
    pub profile: MerchantProfile,
    /// The contracted schedule.
    pub schedule: Arc<Schedule>,
    /// The agent who signed the merchant (empty when none is named).
    pub agent: String,
    /// The first trade date covered (`None`: from the start).
    pub from: Option<NaiveDate>,
    /// The first trade date no longer covered (`None`: open).
    pub until: Option<NaiveDate>,
    /// The line of the registry file it was read from (0 when built in code).
    pub line: u64,
}

impl MerchantContract {
    /// A contract over all time, with no agent.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{MerchantContract, MerchantProfile};
    /// let contract = MerchantContract::new(MerchantProfile::new("102310058120001", "shop")?, posfee::Schedule::preset("standard")?);
    /// assert_eq!((contract.from, contract.until), (None, None));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(profile: MerchantProfile, schedule: Schedule) -> MerchantContract {
        MerchantContract { profile, schedule: Arc::new(schedule), agent: String::new(), from: None, until: None, line: 0 }
    }

    /// Sets the agent.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{MerchantContract, MerchantProfile};
    /// let contract = MerchantContract::new(MerchantProfile::new("102310058120001", "shop")?, posfee::Schedule::preset("standard")?).agent("a1");
    /// assert_eq!(contract.agent, "a1");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn agent(mut self, agent: impl Into<String>) -> MerchantContract {
        self.agent = agent.into();
        self
    }

    /// Sets the period: trade dates from `from` (inclusive) until `until` (exclusive).
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{MerchantContract, MerchantProfile};
    /// use posfee::parse_date;
    /// let contract = MerchantContract::new(MerchantProfile::new("102310058120001", "shop")?, posfee::Schedule::preset("standard")?)
    ///     .period(Some(parse_date("2026-03-10")?), None);
    /// assert!(!contract.covers(parse_date("2026-03-09")?) && contract.covers(parse_date("2026-03-10")?));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn period(mut self, from: Option<NaiveDate>, until: Option<NaiveDate>) -> MerchantContract {
        self.from = from;
        self.until = until;
        self
    }

    /// Whether the contract covers a trade date.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{MerchantContract, MerchantProfile};
    /// let contract = MerchantContract::new(MerchantProfile::new("102310058120001", "shop")?, posfee::Schedule::preset("standard")?);
    /// assert!(contract.covers(posfee::parse_date("1999-01-01")?));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from.map_or(true, |from| day >= from) && self.until.map_or(true, |until| day < until)
    }

    fn overlaps(&self, other: &MerchantContract) -> bool {
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(from), Some(until)) => from < until,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.from, self.until) {
            (Some(from), Some(until)) => from < until,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    fn where_(&self, file: &str) -> String {
        if self.line > 0 {
            format!("{file} line {}", self.line)
        } else {
            format!("contract {} of {file}", self.profile.merchant_no.as_str())
        }
    }
}

/// A service agent's merchants: contracts, and the indexes that find the contract in force for
/// a terminal or a merchant number on a trade date.
///
/// # Example
/// ```
/// let registry = posfee::reconcile::Registry::from_csv(
///     "merchant_no,name,schedule,terminals,agent,from,until\n\
///      102310058120001,沪上小馆,standard,T1;T2,east,,2026-03-15\n\
///      102310058120001,沪上小馆,sft-traditional,T1;T2,east,2026-03-15,\n\
///      102310054110007,某某超市,standard,T3,west,,\n",
///     "merchants.csv",
///     |name| posfee::Schedule::preset(name),
/// )?;
/// let day = posfee::parse_date("2026-03-20")?;
/// let contract = registry.contract_for_terminal("T2", day).map(|k| &registry.contracts()[k]).unwrap();
/// assert_eq!(contract.schedule.name(), "sft-traditional");
/// assert_eq!(registry.merchants().len(), 2);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Registry {
    contracts: Vec<MerchantContract>,
    /// Terminal → contracts that list it, sorted by start.
    by_terminal: HashMap<String, Vec<usize>>,
    /// Merchant number → its contracts, sorted by start.
    by_merchant: HashMap<String, Vec<usize>>,
}

impl Registry {
    /// A registry of contracts, validated: no merchant with two contracts in force on the same
    /// day, no terminal registered to two contracts on the same day, each merchant class one
    /// its schedule names, a period that ends after it starts.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the contracts (their lines when read from a file)
    /// and the terminal or merchant number; [`ErrorKind::InvalidRequest`] for more than
    /// [`REGISTRY_CONTRACTS_MAX`] contracts.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{MerchantContract, MerchantProfile, Registry};
    /// let a = MerchantContract::new(MerchantProfile::new("102310058120001", "a")?.terminals(["T1"]), posfee::Schedule::preset("standard")?);
    /// let b = MerchantContract::new(MerchantProfile::new("102310054110007", "b")?.terminals(["T1"]), posfee::Schedule::preset("standard")?);
    /// let err = Registry::new(vec![a, b]).unwrap_err();
    /// assert!(err.to_string().contains("terminal \"T1\" is registered to 102310058120001 and to 102310054110007 at the same time"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(contracts: Vec<MerchantContract>) -> Result<Registry> {
        Registry::build(contracts, "the registry")
    }

    fn build(contracts: Vec<MerchantContract>, file: &str) -> Result<Registry> {
        if contracts.len() > REGISTRY_CONTRACTS_MAX {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("{file} has {} contracts, more than {REGISTRY_CONTRACTS_MAX}", contracts.len()),
            ));
        }
        let at = |contract: &MerchantContract, field: &str| {
            let mut location = Location::default().file(file).field(field);
            if contract.line > 0 {
                location = location.line(contract.line);
            }
            location
        };
        let mut by_terminal: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_merchant: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, contract) in contracts.iter().enumerate() {
            if let (Some(from), Some(until)) = (contract.from, contract.until) {
                if until <= from {
                    return Err(Error::new(
                        ErrorKind::InvalidRecord,
                        format!("the contract ends ({until}) on or before it starts ({from})"),
                    )
                    .at(at(contract, "until")));
                }
            }
            contract
                .schedule
                .check_merchant_class(contract.profile.merchant_class.as_deref())
                .map_err(|e| Error::new(ErrorKind::InvalidRecord, e.message().to_string()).at(at(contract, "merchant_class")))?;
            let merchant = by_merchant.entry(contract.profile.merchant_no.as_str().to_string()).or_default();
            if let Some(&other) = merchant.iter().find(|&&o| contracts[o].overlaps(contract)) {
                return Err(Error::new(
                    ErrorKind::InvalidRecord,
                    format!(
                        "merchant {} has two contracts in force at the same time ({} and {})",
                        contract.profile.merchant_no.as_str(),
                        contracts[other].where_(file),
                        contract.where_(file)
                    ),
                )
                .at(at(contract, "from")));
            }
            merchant.push(k);
            for terminal in &contract.profile.terminals {
                let holders = by_terminal.entry(terminal.clone()).or_default();
                if let Some(&other) = holders.iter().find(|&&o| contracts[o].overlaps(contract)) {
                    return Err(Error::new(
                        ErrorKind::InvalidRecord,
                        format!(
                            "terminal {terminal:?} is registered to {} and to {} at the same time ({} and {})",
                            contracts[other].profile.merchant_no.as_str(),
                            contract.profile.merchant_no.as_str(),
                            contracts[other].where_(file),
                            contract.where_(file)
                        ),
                    )
                    .at(at(contract, "terminals")));
                }
                holders.push(k);
            }
        }
        let start = |k: &usize| contracts[*k].from.unwrap_or(NaiveDate::MIN);
        for list in by_terminal.values_mut().chain(by_merchant.values_mut()) {
            list.sort_by_key(start);
        }
        Ok(Registry { contracts, by_terminal, by_merchant })
    }

    /// Reads the CSV layout of the module documentation. `schedule` turns a `schedule` cell
    /// into a schedule (it is called once per distinct cell; the schedules are shared); a
    /// `limits` cell is a limits preset ([`Registry::from_csv_in`] also reads limits files).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the file, line and field of a bad cell (a malformed
    /// merchant number, an unknown schedule, settlement mode or date, an unknown column), and
    /// the errors of [`Registry::new`].
    ///
    /// # Example
    /// ```
    /// let text = "merchant_no,schedule\n12345,standard\n";
    /// let err = posfee::reconcile::Registry::from_csv(text, "m.csv", |n| posfee::Schedule::preset(n)).unwrap_err();
    /// assert_eq!((err.location().line, err.location().field.as_deref()), (Some(2), Some("merchant_no")));
    /// let err = posfee::reconcile::Registry::from_csv("merchant_no,schedule\n102310058120001,nope\n", "m.csv", |n| posfee::Schedule::preset(n)).unwrap_err();
    /// assert_eq!(err.location().field.as_deref(), Some("schedule"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_csv(text: &str, file: &str, schedule: impl FnMut(&str) -> Result<Schedule>) -> Result<Registry> {
        Registry::from_csv_with(text, file, schedule, MerchantLimits::preset)
    }

    /// [`Registry::from_csv`] with `limits` turning a `limits` cell into the merchant's limits
    /// (called once per distinct cell).
    fn from_csv_with(
        text: &str,
        file: &str,
        mut schedule: impl FnMut(&str) -> Result<Schedule>,
        mut limits: impl FnMut(&str) -> Result<MerchantLimits>,
    ) -> Result<Registry> {
        const COLUMNS: [&str; 10] =
            ["merchant_no", "name", "schedule", "settlement", "merchant_class", "agent", "terminals", "from", "until", "limits"];
        let rows = csv_rows(text, file, &COLUMNS, &["merchant_no", "schedule"])?;
        let mut schedules: HashMap<String, Arc<Schedule>> = HashMap::new();
        let mut limits_by_cell: HashMap<String, MerchantLimits> = HashMap::new();
        let mut contracts = Vec::with_capacity(rows.len());
        for (line, cells) in rows {
            let bad = |field: &str, message: String| {
                Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(file).line(line).field(field))
            };
            let cell = |name: &str| COLUMNS.iter().position(|&c| c == name).map_or("", |k| cells[k].as_str());
            let profile_error = |field: &'static str| move |e: Error| bad(field, e.message().to_string());
            let merchant_no = MerchantNumber::parse(cell("merchant_no")).map_err(profile_error("merchant_no"))?;
            let schedule_name = cell("schedule");
            let schedule = match schedules.get(schedule_name) {
                Some(known) => Arc::clone(known),
                None => {
                    let loaded = Arc::new(
                        schedule(schedule_name).map_err(|e| bad("schedule", format!("schedule {schedule_name:?}: {}", e.message())))?,
                    );
                    schedules.insert(schedule_name.to_string(), Arc::clone(&loaded));
                    loaded
                }
            };
            let mut profile = MerchantProfile::new(merchant_no.as_str(), cell("name"))?
                .terminals(cell("terminals").split([';', ' ', '\t']).filter(|t| !t.is_empty()));
            if !cell("settlement").is_empty() {
                profile = profile.settlement(SettlementMode::parse(cell("settlement")).map_err(profile_error("settlement"))?);
            }
            if !cell("merchant_class").is_empty() {
                profile = profile.merchant_class(cell("merchant_class"));
            }
            let limits_cell = cell("limits");
            if !limits_cell.is_empty() {
                let known = match limits_by_cell.get(limits_cell) {
                    Some(known) => known.clone(),
                    None => {
                        let loaded = limits(limits_cell).map_err(|e| bad("limits", format!("limits {limits_cell:?}: {}", e.message())))?;
                        limits_by_cell.insert(limits_cell.to_string(), loaded.clone());
                        loaded
                    }
                };
                profile = profile.limits(known);
            }
            let date = |field: &'static str| -> Result<Option<NaiveDate>> {
                let text = cell(field);
                if text.is_empty() {
                    return Ok(None);
                }
                parse_date(text).map(Some).map_err(profile_error(field))
            };
            let contract =
                MerchantContract { profile, schedule, agent: cell("agent").to_string(), from: date("from")?, until: date("until")?, line };
            contracts.push(contract);
            if contracts.len() > REGISTRY_CONTRACTS_MAX {
                return Err(bad("", format!("more than {REGISTRY_CONTRACTS_MAX} contracts")));
            }
        }
        Registry::build(contracts, file)
    }

    /// Reads a registry CSV file: each `schedule` cell is a preset name, or a schedule file
    /// (TOML or JSON) relative to the registry's folder.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file when it cannot be read; those of
    /// [`Registry::from_csv`].
    ///
    /// # Example
    /// ```
    /// let err = posfee::reconcile::Registry::read_csv("no/such/merchants.csv").unwrap_err();
    /// assert_eq!(err.code(), "io");
    /// ```
    pub fn read_csv(path: impl AsRef<Path>) -> Result<Registry> {
        let path = path.as_ref();
        let (text, name) = read_small_file(path)?;
        Registry::from_csv_in(&text, &name, path.parent().unwrap_or(Path::new(".")))
    }

    /// Reads registry CSV text whose `schedule` cells are preset names, or schedule files
    /// (TOML or JSON) relative to `folder` (a cell with a `/`, `\` or `.` that is not a
    /// preset), and whose `limits` cells are limits presets or limits files relative to
    /// `folder`.
    ///
    /// # Errors
    /// Those of [`Registry::from_csv`]; a schedule file that cannot be read is an error of
    /// its row's `schedule` field.
    ///
    /// # Example
    /// ```
    /// let text = "merchant_no,schedule\n102310058120001,contracts/missing.toml\n";
    /// let err = posfee::reconcile::Registry::from_csv_in(text, "m.csv", std::path::Path::new(".")).unwrap_err();
    /// assert_eq!((err.location().line, err.location().field.as_deref()), (Some(2), Some("schedule")));
    /// ```
    pub fn from_csv_in(text: &str, file: &str, folder: &Path) -> Result<Registry> {
        Registry::from_csv_with(text, file, |cell| schedule_of_cell(cell, folder), |cell| limits_of_cell(cell, folder))
    }

    /// Every contract, in the order given.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Registry::default().contracts().is_empty());
    /// ```
    pub fn contracts(&self) -> &[MerchantContract] {
        &self.contracts
    }

    /// The distinct merchant numbers, sorted.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Registry::default().merchants().is_empty());
    /// ```
    pub fn merchants(&self) -> Vec<&str> {
        let mut merchants: Vec<&str> = self.by_merchant.keys().map(String::as_str).collect();
        merchants.sort_unstable();
        merchants
    }

    /// The contract (index into [`Registry::contracts`]) that lists `terminal` on `day`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Registry::default().contract_for_terminal("T1", posfee::parse_date("2026-01-01")?), None);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn contract_for_terminal(&self, terminal: &str, day: NaiveDate) -> Option<usize> {
        self.in_force(self.terminal_contracts(terminal), day)
    }

    /// The contracts that list `terminal`, sorted by start (none for an unknown terminal).
    pub(crate) fn terminal_contracts(&self, terminal: &str) -> &[usize] {
        self.by_terminal.get(terminal).map_or(&[], Vec::as_slice)
    }

    /// The first of `contracts` in force on `day`.
    #[inline]
    pub(crate) fn in_force(&self, contracts: &[usize], day: NaiveDate) -> Option<usize> {
        contracts.iter().copied().find(|&k| self.contracts[k].covers(day))
    }

    /// The contract of merchant `merchant_no` in force on `day`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Registry::default().contract_for_merchant("102310058120001", posfee::parse_date("2026-01-01")?), None);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn contract_for_merchant(&self, merchant_no: &str, day: NaiveDate) -> Option<usize> {
        self.by_merchant.get(merchant_no)?.iter().copied().find(|&k| self.contracts[k].covers(day))
    }

    /// The registry as self-contained text (JSON): every contract with its dates, terminals
    /// and line, and each distinct schedule as its TOML, so that [`Registry::from_portable`]
    /// rebuilds it anywhere (another process or machine: no schedule file needed). Python
    /// pickles a `posfee.Registry` this way.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::Registry;
    /// let registry = Registry::from_csv(
    ///     "merchant_no,schedule,terminals,from\n102310058120001,standard,T1;T2,2026-03-01\n",
    ///     "m.csv",
    ///     |name| posfee::Schedule::preset(name),
    /// )?;
    /// let copy = Registry::from_portable(&registry.to_portable())?;
    /// assert_eq!(copy.to_portable(), registry.to_portable());
    /// assert_eq!(copy.contract_for_terminal("T2", posfee::parse_date("2026-03-05")?), Some(0));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_portable(&self) -> String {
        let mut schedules = SchedulePool::default();
        let contracts = self
            .contracts
            .iter()
            .map(|c| PortableContract {
                merchant_no: c.profile.merchant_no.as_str().to_string(),
                name: c.profile.name.clone(),
                schedule: schedules.index(&c.schedule),
                settlement: c.profile.settlement.to_string(),
                merchant_class: c.profile.merchant_class.clone(),
                agent: c.agent.clone(),
                terminals: c.profile.terminals.clone(),
                from: c.from,
                until: c.until,
                line: c.line,
                limits: c.profile.limits.as_ref().map(PortableLimits::of),
            })
            .collect();
        let portable = PortableRegistry { format: PORTABLE_REGISTRY.to_string(), schedules: schedules.tomls, contracts };
        serde_json::to_string(&portable).unwrap_or_default()
    }

    /// Rebuilds a registry from [`Registry::to_portable`], validated as on load.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for text that is not a portable registry (or one larger
    /// than [`REGISTRY_BYTES_MAX`]); the errors of the schedules' TOML and of
    /// [`Registry::new`].
    ///
    /// # Example
    /// ```
    /// let err = posfee::reconcile::Registry::from_portable("{}").unwrap_err();
    /// assert_eq!(err.code(), "invalid_request");
    /// ```
    pub fn from_portable(text: &str) -> Result<Registry> {
        let portable: PortableRegistry = parse_portable(text, PORTABLE_REGISTRY)?;
        let schedules = SchedulePool::load(&portable.schedules)?;
        let mut contracts = Vec::with_capacity(portable.contracts.len());
        for c in portable.contracts {
            let mut profile =
                MerchantProfile::new(&c.merchant_no, &c.name)?.terminals(c.terminals).settlement(SettlementMode::parse(&c.settlement)?);
            profile.merchant_class = c.merchant_class;
            profile.limits = c.limits.map(PortableLimits::rebuild).transpose()?;
            contracts.push(MerchantContract {
                profile,
                schedule: SchedulePool::get(&schedules, c.schedule)?,
                agent: c.agent,
                from: c.from,
                until: c.until,
                line: c.line,
            });
        }
        Registry::build(contracts, "the registry")
    }

    /// Whether a merchant number is one of the registry's merchants (at any time).
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::reconcile::Registry::default().has_merchant("102310058120001"));
    /// ```
    pub fn has_merchant(&self, merchant_no: &str) -> bool {
        self.by_merchant.contains_key(merchant_no)
    }
}

/// The `format` of [`Registry::to_portable`].
const PORTABLE_REGISTRY: &str = "posfee-registry-1";

#[derive(serde::Serialize, serde::Deserialize)]
struct PortableRegistry {
    format: String,
    schedules: Vec<String>,
    contracts: Vec<PortableContract>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct PortableContract {
    merchant_no: String,
    name: String,
    schedule: usize,
    settlement: String,
    merchant_class: Option<String>,
    agent: String,
    terminals: Vec<String>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    line: u64,
    #[serde(default)]
    limits: Option<PortableLimits>,
}

/// A merchant's limits in a portable registry.
#[derive(serde::Serialize, serde::Deserialize)]
struct PortableLimits {
    business_hours: Option<String>,
    limits: Vec<ChannelLimits>,
}

impl PortableLimits {
    fn of(limits: &MerchantLimits) -> PortableLimits {
        PortableLimits { business_hours: limits.business_hours.map(|h| h.to_string()), limits: limits.channel_limits.clone() }
    }

    fn rebuild(self) -> Result<MerchantLimits> {
        let mut limits = MerchantLimits::new();
        limits.channel_limits = self.limits;
        if let Some(hours) = self.business_hours {
            limits.business_hours = Some(hours.parse::<BusinessHours>()?);
        }
        limits.validate()?;
        Ok(limits)
    }
}

/// The distinct schedules of a portable registry or agent tree, each once as its TOML.
#[derive(Default)]
pub(crate) struct SchedulePool {
    pub tomls: Vec<String>,
    seen: Vec<*const Schedule>,
}

impl SchedulePool {
    /// The index of a shared schedule, added on first sight.
    pub fn index(&mut self, schedule: &Arc<Schedule>) -> usize {
        let pointer = Arc::as_ptr(schedule);
        match self.seen.iter().position(|&p| p == pointer) {
            Some(k) => k,
            None => {
                self.seen.push(pointer);
                self.tomls.push(schedule.to_toml());
                self.tomls.len() - 1
            }
        }
    }

    /// The schedules of a portable form.
    pub fn load(tomls: &[String]) -> Result<Vec<Arc<Schedule>>> {
        tomls.iter().map(|text| Schedule::from_toml(text).map(Arc::new)).collect()
    }

    /// Schedule `k` of `schedules`.
    pub fn get(schedules: &[Arc<Schedule>], k: usize) -> Result<Arc<Schedule>> {
        schedules
            .get(k)
            .map(Arc::clone)
            .ok_or_else(|| Error::new(ErrorKind::InvalidRequest, format!("the portable form names schedule {k}, which it lacks")))
    }
}

/// A portable form of `format` read from JSON text.
pub(crate) fn parse_portable<T: serde::de::DeserializeOwned + Portable>(text: &str, format: &str) -> Result<T> {
    if text.len() > REGISTRY_BYTES_MAX {
        return Err(Error::new(ErrorKind::InvalidRequest, format!("the portable form is larger than {} MiB", REGISTRY_BYTES_MAX >> 20)));
    }
    let value: T =
        serde_json::from_str(text).map_err(|e| Error::new(ErrorKind::InvalidRequest, format!("not a portable {format}: {e}")))?;
    if value.format() != format {
        return Err(Error::new(ErrorKind::InvalidRequest, format!("not a portable {format}: its format is {:?}", value.format())));
    }
    Ok(value)
}

/// A portable form that names its format.
pub(crate) trait Portable {
    fn format(&self) -> &str;
}

impl Portable for PortableRegistry {
    fn format(&self) -> &str {
        &self.format
    }
}

/// A schedule cell of a registry or agents file: a preset name, or a schedule file (TOML or
/// JSON) relative to `folder` (a cell with a `/`, `\\` or `.` that is not a preset).
pub(crate) fn schedule_of_cell(cell: &str, folder: &Path) -> Result<Schedule> {
    if !crate::presets::presets().contains(&cell) && cell.contains(['/', '\\', '.']) {
        Schedule::from_file(folder.join(cell))
    } else {
        Schedule::preset(cell)
    }
}

/// A `limits` cell of a registry file: a limits preset, or a limits TOML file relative to
/// `folder` (a cell with a `/`, `\` or `.` that is not a preset).
pub(crate) fn limits_of_cell(cell: &str, folder: &Path) -> Result<MerchantLimits> {
    match MerchantLimits::preset(cell) {
        Err(_) if cell.contains(['/', '\\', '.']) => MerchantLimits::from_file(folder.join(cell)),
        other => other,
    }
}

/// A registry or agents file's text and its name, at most [`REGISTRY_BYTES_MAX`].
pub(crate) fn read_small_file(path: &Path) -> Result<(String, String)> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("cannot read {name}: {e}")).at(Location::default().file(&name));
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > REGISTRY_BYTES_MAX as u64 {
        return Err(Error::new(ErrorKind::InvalidRequest, format!("{name} is larger than {} MiB", REGISTRY_BYTES_MAX >> 20)));
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    Ok((text, name))
}

/// The rows of a small CSV file with a header of known `columns` (any order, BOM allowed):
/// per row its line and its trimmed cells in the order of `columns` (empty when absent).
/// An unknown column, a missing `required` one or a malformed row is an error naming the
/// file, line and field.
pub(crate) fn csv_rows(text: &str, file: &str, columns: &[&str], required: &[&str]) -> Result<Vec<(u64, Vec<String>)>> {
    if text.len() > REGISTRY_BYTES_MAX {
        return Err(Error::new(ErrorKind::InvalidRequest, format!("{file} is larger than {} MiB", REGISTRY_BYTES_MAX >> 20)));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let bad = |line: u64, field: &str, message: String| {
        Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(file).line(line).field(field))
    };
    let headers = reader.headers().map_err(|e| bad(1, "", format!("cannot read the header: {e}")))?.clone();
    let mut position = vec![None; columns.len()];
    for (k, header) in headers.iter().enumerate() {
        let name = header.trim();
        let Some(c) = columns.iter().position(|&column| column == name) else {
            return Err(bad(1, name, format!("unknown column {name:?} (the columns are {})", columns.join(", "))));
        };
        position[c] = Some(k);
    }
    for &name in required {
        if columns.iter().position(|&c| c == name).and_then(|c| position[c]).is_none() {
            return Err(bad(1, name, format!("the header has no {name} column")));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(e.position().map_or(0, |p| p.line()), "", format!("cannot read the row: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let cells = position.iter().map(|k| k.and_then(|k| record.get(k)).unwrap_or("").trim().to_string()).collect();
        rows.push((line, cells));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(text: &str) -> Result<Registry> {
        Registry::from_csv(text, "m.csv", Schedule::preset)
    }

    #[test]
    fn the_portable_form_rebuilds_every_contract_and_shares_schedules() {
        let r = registry(
            "merchant_no,name,schedule,settlement,merchant_class,agent,terminals,from,until\n\
             102310058120001,沪上小馆,standard,T0,discounted,east,T1 T2,,2026-03-10\n\
             102310054110007,b,sft-traditional,D1,,west,T2,2026-03-10,\n\
             102310054110008,c,standard,,,west,T3,,\n",
        )
        .unwrap();
        let text = r.to_portable();
        let copy = Registry::from_portable(&text).unwrap();
        assert_eq!(copy.to_portable(), text);
        assert_eq!(copy.contracts().len(), 3);
        for (a, b) in r.contracts().iter().zip(copy.contracts()) {
            assert_eq!(a.profile, b.profile);
            assert_eq!((a.from, a.until, &a.agent, a.line), (b.from, b.until, &b.agent, b.line));
            assert_eq!(a.schedule.to_toml(), b.schedule.to_toml());
        }
        // "standard" is stored once and shared again.
        assert!(Arc::ptr_eq(&copy.contracts()[0].schedule, &copy.contracts()[2].schedule));
        assert_eq!(text.matches("[[versions]]").count(), 2, "{text}");
        for bad in ["", "[]", "{\"format\":\"other\",\"schedules\":[],\"contracts\":[]}"] {
            assert_eq!(Registry::from_portable(bad).unwrap_err().code(), "invalid_request", "{bad}");
        }
        let missing = text.replace("\"schedule\":1", "\"schedule\":9");
        assert!(Registry::from_portable(&missing).unwrap_err().to_string().contains("lacks"));
    }

    #[test]
    fn a_terminal_moves_to_another_merchant_from_a_day() {
        let r = registry(
            "merchant_no,name,schedule,terminals,from,until\n\
             102310058120001,a,standard,T1 T2,,2026-03-10\n\
             102310054110007,b,sft-traditional,T2,2026-03-10,\n",
        )
        .unwrap();
        let day = |d: &str| parse_date(d).unwrap();
        assert_eq!(r.contract_for_terminal("T2", day("2026-03-09")), Some(0));
        assert_eq!(r.contract_for_terminal("T2", day("2026-03-10")), Some(1));
        assert_eq!(r.contract_for_terminal("T1", day("2026-03-10")), None);
        assert_eq!(r.contract_for_merchant("102310058120001", day("2026-03-10")), None);
        assert!(r.has_merchant("102310054110007"));
    }

    #[test]
    fn bad_registries_name_the_row_and_field() {
        let cases = [
            ("merchant_no,schedule,colour\n", 1, "colour", "unknown column \"colour\""),
            ("name,schedule\n", 1, "merchant_no", "the header has no merchant_no column"),
            ("merchant_no,schedule\n102310058120001,standard\n1023100581200x1,standard\n", 3, "merchant_no", "not 15 digits"),
            ("merchant_no,schedule,settlement\n102310058120001,standard,T9x\n", 2, "settlement", "T9x"),
            ("merchant_no,schedule,merchant_class\n102310058120001,standard,vip\n", 2, "merchant_class", "\"vip\""),
            (
                "merchant_no,schedule,from,until\n102310058120001,standard,2026-03-10,2026-03-01\n",
                2,
                "until",
                "ends (2026-03-01) on or before",
            ),
            ("merchant_no,schedule,from\n102310058120001,standard,2026-02-30\n", 2, "from", "2026-02-30"),
            ("merchant_no,schedule,limits\n102310058120001,standard,vip\n", 2, "limits", "limits \"vip\""),
            ("merchant_no,schedule,limits\n102310058120001,standard,limits/none.toml\n", 2, "limits", "limits/none.toml"),
            (
                "merchant_no,schedule,from\n102310058120001,standard,\n102310058120001,standard,2026-03-01\n",
                3,
                "from",
                "two contracts in force at the same time (m.csv line 2 and m.csv line 3)",
            ),
            (
                "merchant_no,schedule,terminals\n102310058120001,standard,T1\n102310054110007,standard,T1\n",
                3,
                "terminals",
                "terminal \"T1\" is registered to 102310058120001 and to 102310054110007 at the same time",
            ),
        ];
        for (text, line, field, message) in cases {
            let err = registry(text).unwrap_err();
            assert_eq!((err.location().line, err.location().field.as_deref()), (Some(line), Some(field)), "{err}");
            assert!(err.to_string().contains(message), "{err} lacks {message}");
            assert_eq!(err.location().file.as_deref(), Some("m.csv"));
        }
    }
}
