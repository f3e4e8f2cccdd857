//! Simulation of a service agent's portfolio: many merchants on their own contracts, signed
//! by agents of a two-level tree, in one ledger and one statement, with the answer key.
//!
//! Each merchant's month is made of seeded single-merchant samples ([`generate`]) with its
//! own merchant number, terminals and preset (so every single-merchant fault is in the
//! portfolio too). Contracts change mid-month ([`ContractChange`]), in turn by merchant:
//!
//! - merchants on `sft-traditional` move to `standard` from a day;
//! - merchants on `standard` become of the `discounted` class from a day;
//! - merchants on `sft-smart` hand their third terminal to the next merchant (on
//!   `sft-esign`) from a day.
//!
//! The month of a changing merchant is two samples, one before the day and one from it, each
//! priced by the contract in force; the registry has both contracts with their dates. On top,
//! the faults of a portfolio ([`PortfolioFault`]): clean trades after a change still priced by
//! the old contract, trades of a moved terminal still booked under its old merchant's number,
//! clean trades booked under the previous merchant's number (跳码 inside the portfolio), and
//! statement rows from terminals no merchant registered.

use chrono::NaiveDate;

use super::class::Class;
use super::margins::AgentTree;
use super::registry::Registry;
use super::schema::{Ledger, Statement, StatementRecord};
use super::simulation::{generate, AnswerKey, Simulation, SimulationOptions, MERCHANT_NO};
use super::ReconcileOptions;
use crate::calendar::Calendar;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::quote::{QuoteRequest, TradeKind};
use crate::schedule::Schedule;

/// The presets the simulated merchants are on, in turn.
const PRESETS: [&str; 4] = ["sft-traditional", "standard", "sft-smart", "sft-esign"];
/// The agents' cost schedules (结算价): agent, parent, the file an exported sample names
/// (relative to agents.csv), its TOML (`core/data/agents/`). Each level's cost is below the
/// price it sells at; city-west's debit cost cap of ¥25 above its merchants' ¥20 cap is the
/// sample's deliberate negative margin.
const AGENT_COSTS: [(&str, &str, &str, &str); 3] = [
    ("province", "", "costs/province.toml", include_str!("../../data/agents/province.toml")),
    ("city-east", "province", "costs/city-east.toml", include_str!("../../data/agents/city-east.toml")),
    ("city-west", "province", "costs/city-west.toml", include_str!("../../data/agents/city-west.toml")),
];
/// Their MCCs, in turn (restaurants, supermarkets, miscellaneous retail, hotels).
const MCCS: [&str; 4] = ["5812", "5411", "5999", "7011"];

/// What portfolio to generate.
///
/// # Example
/// ```
/// let options = posfee::reconcile::simulation::PortfolioOptions::new(7).merchants(20).trades_per_merchant(300);
/// assert_eq!((options.merchants, options.trades_per_merchant), (20, 300));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioOptions {
    /// The seed.
    pub seed: u64,
    /// Merchants (1–9,999).
    pub merchants: usize,
    /// Purchases per merchant.
    pub trades_per_merchant: usize,
    /// Faults of every class per merchant.
    pub faults_per_class: usize,
    /// Statement rows per merchant booked under another merchant of the portfolio.
    pub cross_jumps_per_merchant: usize,
    /// Statement rows from unregistered terminals.
    pub unknown_terminal_rows: usize,
    /// Whether contracts change mid-month ([`ContractChange`]; merchants of fewer than 2
    /// purchases never change).
    pub contract_changes: bool,
}

impl PortfolioOptions {
    /// 10 merchants of 500 trades, 1 fault per class each, 2 cross-merchant 跳码 rows each,
    /// 3 rows of unregistered terminals, contracts changing mid-month.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::PortfolioOptions::new(1).merchants, 10);
    /// ```
    pub fn new(seed: u64) -> PortfolioOptions {
        PortfolioOptions {
            seed,
            merchants: 10,
            trades_per_merchant: 500,
            faults_per_class: 1,
            cross_jumps_per_merchant: 2,
            unknown_terminal_rows: 3,
            contract_changes: true,
        }
    }

    /// Sets the number of merchants.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::PortfolioOptions::new(1).merchants(3).merchants, 3);
    /// ```
    pub fn merchants(mut self, merchants: usize) -> PortfolioOptions {
        self.merchants = merchants;
        self
    }

    /// Sets the purchases per merchant.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::PortfolioOptions::new(1).trades_per_merchant(9).trades_per_merchant, 9);
    /// ```
    pub fn trades_per_merchant(mut self, trades: usize) -> PortfolioOptions {
        self.trades_per_merchant = trades;
        self
    }

    /// Sets whether contracts change mid-month.
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::reconcile::simulation::PortfolioOptions::new(1).contract_changes(false).contract_changes);
    /// ```
    pub fn contract_changes(mut self, changes: bool) -> PortfolioOptions {
        self.contract_changes = changes;
        self
    }
}

/// A contract change injected into a simulated portfolio: what the registry records, and
/// what every clean row after it is priced or booked by.
///
/// # Example
/// ```
/// use posfee::reconcile::simulation::{generate_portfolio, ContractChange, PortfolioOptions};
/// let portfolio = generate_portfolio(&PortfolioOptions::new(2).merchants(4).trades_per_merchant(300))?;
/// assert!(portfolio.changes.iter().any(|c| matches!(c, ContractChange::TerminalMoved { .. })));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractChange {
    /// The merchant's schedule changes from a day.
    Schedule {
        /// The merchant.
        merchant_no: String,
        /// The first trade date of the new contract.
        from: NaiveDate,
        /// The preset before.
        before: String,
        /// The preset from `from`.
        after: String,
    },
    /// The merchant's class changes from a day.
    MerchantClass {
        /// The merchant.
        merchant_no: String,
        /// The first trade date of the new contract.
        from: NaiveDate,
        /// The class before (`None`: none).
        before: Option<String>,
        /// The class from `from`.
        after: Option<String>,
    },
    /// A terminal moves to another merchant from a day.
    TerminalMoved {
        /// The terminal.
        terminal: String,
        /// The first trade date it is the new merchant's.
        from: NaiveDate,
        /// The merchant it belonged to.
        from_merchant_no: String,
        /// The merchant it belongs to from `from`.
        to_merchant_no: String,
    },
}

/// A fault of a portfolio injected on top of the single-merchant faults.
///
/// # Example
/// ```
/// use posfee::reconcile::simulation::PortfolioFault;
/// assert_ne!(PortfolioFault::OldContract, PortfolioFault::CrossMerchant);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortfolioFault {
    /// A clean purchase after a schedule or class change, still priced by the old contract.
    OldContract,
    /// A purchase on a moved terminal, still booked under the merchant it moved from.
    MovedTerminal,
    /// A clean purchase booked under the previous merchant's number (跳码 inside the portfolio).
    CrossMerchant,
    /// A statement row from a terminal no merchant registered.
    UnknownTerminal,
}

/// One injected portfolio fault: where it is and the class it must land in.
///
/// # Example
/// ```
/// use posfee::reconcile::simulation::{generate_portfolio, PortfolioFault, PortfolioOptions};
/// let portfolio = generate_portfolio(&PortfolioOptions::new(2).merchants(4).trades_per_merchant(300))?;
/// let unknown = portfolio.faults.iter().filter(|f| f.kind == PortfolioFault::UnknownTerminal).count();
/// assert_eq!(unknown, 3);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectedFault {
    /// What was done.
    pub kind: PortfolioFault,
    /// The statement row.
    pub statement_row: usize,
    /// Its ledger partner, if any.
    pub ledger_row: Option<usize>,
    /// The class both rows must land in.
    pub class: Class,
}

/// A generated portfolio: the tables, the registry and agents (and their CSV text), and the
/// answer key.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, ReconcileOptions, simulation::{generate_portfolio, PortfolioOptions}};
/// let portfolio = generate_portfolio(&PortfolioOptions::new(3).merchants(4).trades_per_merchant(300))?;
/// let report = reconcile(&portfolio.ledger, &portfolio.statement, &ReconcileOptions::portfolio(portfolio.registry.clone())?)?;
/// for (j, class) in &portfolio.key.statement {
///     assert_eq!(report.row(portfolio.ledger.len() + j).unwrap().class, *class);
/// }
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Portfolio {
    /// Every merchant's trades.
    pub ledger: Ledger,
    /// The acquirer's statement of every merchant.
    pub statement: Statement,
    /// The merchant registry.
    pub registry: Registry,
    /// Its CSV text (`posfee reconcile --merchants`).
    pub registry_csv: String,
    /// The agent tree: `province` over `city-east` and `city-west`, each with its cost
    /// schedule (结算价: below the price it sells at; city-west's debit cost cap of ¥25, above
    /// its merchants' ¥20 cap, gives the sample's negative margin on large debit trades).
    pub agents: AgentTree,
    /// Its CSV text (`posfee margins --agents`); its `cost_schedule` cells are the files of
    /// [`Portfolio::cost_schedules`].
    pub agents_csv: String,
    /// The agents' cost schedules: the file name relative to agents.csv, and its TOML text.
    pub cost_schedules: Vec<(String, String)>,
    /// The expected class of every row not expected to be `Ok`.
    pub key: AnswerKey,
    /// The contract changes of the month.
    pub changes: Vec<ContractChange>,
    /// The portfolio faults injected (each also in [`Portfolio::key`]).
    pub faults: Vec<InjectedFault>,
}

/// One merchant's contract over a part of the month, and the sample of that part.
struct Part {
    sample: Simulation,
    preset: &'static str,
    merchant_class: Option<&'static str>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    /// The terminal received from the previous merchant (its id in the portfolio), named
    /// `T0000004` in the sample.
    received: Option<String>,
    /// The contract before, when this part follows a schedule or class change.
    old: Option<(&'static str, Option<&'static str>)>,
    /// The merchant the received terminal belonged to.
    giver: Option<String>,
}

/// The first day of the new contracts of merchant group `group` (four merchants): a day
/// from the 9th to the 23rd of the month.
fn change_day(seed: u64, group: usize, start: NaiveDate) -> NaiveDate {
    let mut rng = super::simulation::Rng(seed ^ (group as u64).wrapping_mul(0x9E37_79B9));
    start + chrono::Days::new(8 + rng.below(15))
}

/// A reference number of a part after a change: `6…` becomes `7…`, so that the two parts
/// of a merchant (and of a moved terminal) never share one.
fn later_reference(rrn: &str) -> String {
    match rrn.strip_prefix('6') {
        Some(rest) => format!("7{rest}"),
        None => rrn.to_string(),
    }
}

/// Generates a portfolio.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] for no merchants or more than 9,999; errors of
/// [`generate`].
///
/// # Example
/// ```
/// let portfolio = posfee::reconcile::simulation::generate_portfolio(&posfee::reconcile::simulation::PortfolioOptions::new(1).merchants(3))?;
/// assert_eq!(portfolio.registry.merchants().len(), 3);
/// assert!(portfolio.registry_csv.starts_with("merchant_no,name,schedule,merchant_class,agent,terminals,from,until\n"));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn generate_portfolio(options: &PortfolioOptions) -> Result<Portfolio> {
    if options.merchants == 0 || options.merchants > 9_999 {
        return Err(Error::new(ErrorKind::InvalidRequest, "a portfolio needs 1–9,999 merchants").in_field("merchants"));
    }
    let numbers: Vec<String> =
        (0..options.merchants).map(|m| format!("102{:04}{}{:04}", 3100 + m / 1000, MCCS[m % MCCS.len()], m % 10_000)).collect();
    let (mut ledger, mut statement) = (Ledger::new("portfolio-ledger"), Statement::new("portfolio-statement"));
    let mut key = AnswerKey::default();
    let mut changes = Vec::new();
    let mut faults = Vec::new();
    let mut registry_csv = String::from("merchant_no,name,schedule,merchant_class,agent,terminals,from,until\n");
    let calendar = Calendar::china();
    let month = SimulationOptions::new(0);
    let extra_fee_unit = ReconcileOptions::new(Schedule::preset("standard")?, super::merchant::MerchantProfile::new(MERCHANT_NO, "")?)
        .extra_fee_unit
        .millifen();
    let changing = options.contract_changes && options.trades_per_merchant >= 2;
    for (m, number) in numbers.iter().enumerate() {
        let preset = PRESETS[m % PRESETS.len()];
        let seed = options.seed.wrapping_mul(10_007).wrapping_add(m as u64);
        // The kind of change by preset: sft-traditional → standard; standard → discounted
        // class; sft-smart gives its third terminal to the next merchant (on sft-esign).
        let gives = changing && m % 4 == 2 && m + 1 < options.merchants;
        let receives = changing && m % 4 == 3;
        let day = (changing && (m % 4 < 2 || gives || receives)).then(|| change_day(options.seed, m / 4, month.start));
        let part = |seed: u64, start: NaiveDate, days: u32, trades: usize, preset: &str, class: Option<&str>, terminals: usize| {
            let mut sample = SimulationOptions::new(seed).trades(trades).faults_per_class(options.faults_per_class).preset(preset);
            sample.start = start;
            sample.days = days;
            sample.terminals = terminals;
            sample.merchant_class = class.map(str::to_string);
            generate(&sample)
        };
        let mut parts = Vec::new();
        match day {
            None => parts.push(Part {
                sample: part(seed, month.start, month.days, options.trades_per_merchant, preset, None, 3)?,
                preset,
                merchant_class: None,
                from: None,
                until: None,
                received: None,
                old: None,
                giver: None,
            }),
            Some(day) => {
                let before_days = (day - month.start).num_days() as u32;
                let before_trades = (options.trades_per_merchant * before_days as usize / month.days as usize).max(1);
                let after_trades = options.trades_per_merchant.saturating_sub(before_trades).max(1);
                let (after_preset, after_class, old) = match m % 4 {
                    0 => ("standard", None, Some((preset, None))),
                    1 => (preset, Some("discounted"), Some((preset, None))),
                    _ => (preset, None, None),
                };
                let after_terminals = if gives {
                    2
                } else if receives {
                    4
                } else {
                    3
                };
                parts.push(Part {
                    sample: part(seed, month.start, before_days, before_trades, preset, None, 3)?,
                    preset,
                    merchant_class: None,
                    from: None,
                    until: Some(day),
                    received: None,
                    old: None,
                    giver: None,
                });
                let later_seed = options.seed.wrapping_mul(10_007).wrapping_add(1_000_003).wrapping_add(m as u64);
                parts.push(Part {
                    sample: part(later_seed, day, month.days - before_days, after_trades, after_preset, after_class, after_terminals)?,
                    preset: after_preset,
                    merchant_class: after_class,
                    from: Some(day),
                    until: None,
                    received: receives.then(|| format!("M{:04}-T0000003", m - 1)),
                    old,
                    giver: receives.then(|| numbers[m - 1].clone()),
                });
                match m % 4 {
                    0 => changes.push(ContractChange::Schedule {
                        merchant_no: number.clone(),
                        from: day,
                        before: preset.to_string(),
                        after: after_preset.to_string(),
                    }),
                    1 => changes.push(ContractChange::MerchantClass {
                        merchant_no: number.clone(),
                        from: day,
                        before: None,
                        after: after_class.map(str::to_string),
                    }),
                    _ if gives => changes.push(ContractChange::TerminalMoved {
                        terminal: format!("M{m:04}-T0000003"),
                        from: day,
                        from_merchant_no: number.clone(),
                        to_merchant_no: numbers[m + 1].clone(),
                    }),
                    _ => {}
                }
            }
        }
        let agent = if m % 2 == 0 { "city-east" } else { "city-west" };
        let mut jumps = 0;
        for (p, part) in parts.iter().enumerate() {
            let sample = &part.sample;
            let later = p > 0;
            let terminal = |t: &str| match &part.received {
                Some(received) if t == "T0000004" => received.clone(),
                _ => format!("M{m:04}-{t}"),
            };
            let reference = |rrn: &str| if later { later_reference(rrn) } else { rrn.to_string() };
            let merchant = |n: &str| if n == MERCHANT_NO { number.clone() } else { n.to_string() };
            let (ledger_key, statement_key) = sample.key.maps();
            // References on more than one statement row (a duplicate and its original): left as they are.
            let mut seen = std::collections::HashSet::new();
            let repeated: std::collections::HashSet<String> = (0..sample.statement.len())
                .map(|j| reference(sample.statement.rrn.view().get(j)))
                .filter(|r| !seen.insert(r.clone()))
                .collect();
            let mut purchases: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
            for i in 0..sample.ledger.len() {
                let mut record = sample.ledger.record(i);
                record.terminal = terminal(&record.terminal);
                record.merchant_no = merchant(&record.merchant_no);
                record.rrn = reference(&record.rrn);
                record.original_rrn = reference(&record.original_rrn);
                record.line = ledger.len() as u64 + 2;
                if let Some(&class) = ledger_key.get(&i) {
                    key.ledger.push((ledger.len(), class));
                } else if record.kind == TradeKind::Purchase && !record.rrn.is_empty() {
                    // A clean purchase: a partner a portfolio fault may use.
                    purchases.insert(record.rrn.clone(), ledger.len());
                }
                ledger.push(record)?;
            }
            let mut moved = 0;
            let mut old_priced = 0;
            for j in 0..sample.statement.len() {
                let mut record = sample.statement.record(j);
                record.terminal = terminal(&record.terminal);
                record.merchant_no = merchant(&record.merchant_no);
                record.rrn = reference(&record.rrn);
                record.line = statement.len() as u64 + 2;
                let mut class = statement_key.get(&j).copied();
                // A clean purchase whose ledger partner is clean may carry a portfolio fault.
                let partner = (class.is_none() && record.kind == TradeKind::Purchase && !record.rrn.is_empty())
                    .then(|| purchases.get(&record.rrn).copied())
                    .flatten()
                    .filter(|_| !repeated.contains(record.rrn.as_str()));
                if let Some(i) = partner {
                    let mut fault = None;
                    if let (Some(received), Some(giver)) = (&part.received, &part.giver) {
                        if record.terminal == *received && moved < options.faults_per_class {
                            // The acquirer still books the moved terminal under its old merchant.
                            record.merchant_no = giver.clone();
                            moved += 1;
                            fault = Some((PortfolioFault::MovedTerminal, Class::MerchantDiffers));
                        }
                    }
                    if let (None, Some((old_preset, old_class))) = (fault, part.old) {
                        if old_priced < options.faults_per_class && j % 5 == 1 {
                            let mut request =
                                QuoteRequest::new(record.amount, record.channel, record.time).settlement(sample.options.profile.settlement);
                            request.merchant_class = old_class.map(str::to_string);
                            let old_fee = Schedule::preset(old_preset)?.quote_with(&request, calendar)?.fee;
                            let excess = old_fee - record.fee;
                            if excess != Money::ZERO {
                                // The acquirer did not apply the change: the old contract's fee.
                                record.fee = old_fee;
                                record.net = record.amount - old_fee;
                                old_priced += 1;
                                let class = if excess < Money::ZERO {
                                    Class::FeeBelow
                                } else if extra_fee_unit > 0 && excess.millifen() % extra_fee_unit == 0 {
                                    Class::ExtraFee
                                } else {
                                    Class::FeeAbove
                                };
                                fault = Some((PortfolioFault::OldContract, class));
                            }
                        }
                    }
                    if fault.is_none() && m > 0 && jumps < options.cross_jumps_per_merchant && j % 7 == 3 {
                        // 跳码 inside the portfolio: booked under the previous merchant.
                        record.merchant_no = numbers[m - 1].clone();
                        jumps += 1;
                        fault = Some((PortfolioFault::CrossMerchant, Class::MerchantDiffers));
                    }
                    if let Some((kind, fault_class)) = fault {
                        purchases.remove(&record.rrn);
                        key.ledger.push((i, fault_class));
                        faults.push(InjectedFault { kind, statement_row: statement.len(), ledger_row: Some(i), class: fault_class });
                        class = Some(fault_class);
                    }
                }
                if let Some(class) = class {
                    key.statement.push((statement.len(), class));
                }
                statement.push(record)?;
            }
            let mut terminals: Vec<String> = sample.options.profile.terminals.iter().map(|t| terminal(t)).collect();
            terminals.sort_unstable();
            let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            registry_csv.push_str(&format!(
                "{number},{} {m},{},{},{agent},{},{},{}\n",
                sample.options.profile.name,
                part.preset,
                part.merchant_class.unwrap_or(""),
                terminals.join(";"),
                date(part.from),
                date(part.until)
            ));
            key.unreadable.0 += sample.key.unreadable.0;
            key.unreadable.1 += sample.key.unreadable.1;
            for issue in sample.ledger.issues() {
                ledger.push_issue(issue.error.clone(), issue.raw.clone());
            }
            for issue in sample.statement.issues() {
                statement.push_issue(issue.error.clone(), issue.raw.clone());
            }
        }
    }
    // Rows from terminals nobody registered.
    for k in 0..options.unknown_terminal_rows {
        let at = crate::settlement::parse_china_time(&format!("2026-03-{:02} 12:00", 2 + k % 27))?;
        let mut row = StatementRecord::new(
            at.date_naive() + chrono::Days::new(1),
            at,
            crate::money::Money::from_yuan(88),
            crate::money::Money::from_fen(53),
            crate::channel::Channel::Credit,
        );
        row.terminal = format!("UNREG{k:03}");
        row.rrn = format!("9{k:011}");
        row.merchant_no = "102999959990001".to_string();
        row.line = statement.len() as u64 + 2;
        key.statement.push((statement.len(), Class::UnknownTerminal));
        faults.push(InjectedFault {
            kind: PortfolioFault::UnknownTerminal,
            statement_row: statement.len(),
            ledger_row: None,
            class: Class::UnknownTerminal,
        });
        statement.push(row)?;
    }
    let registry = Registry::from_csv(&registry_csv, "merchants.csv", Schedule::preset)?;
    let mut agents_csv = String::from("agent,parent,cost_schedule\n");
    for (agent, parent, file, _) in AGENT_COSTS {
        agents_csv.push_str(&format!("{agent},{parent},{file}\n"));
    }
    let agents = AgentTree::from_csv(&agents_csv, "agents.csv", |cell| match AGENT_COSTS.iter().find(|(_, _, file, _)| *file == cell) {
        Some((_, _, _, text)) => Schedule::from_toml(text),
        None => Schedule::preset(cell),
    })?;
    let cost_schedules = AGENT_COSTS.iter().map(|(_, _, file, text)| (file.to_string(), text.to_string())).collect();
    key.ledger.sort_unstable();
    key.statement.sort_unstable();
    Ok(Portfolio { ledger, statement, registry, registry_csv, agents, agents_csv, cost_schedules, key, changes, faults })
}
