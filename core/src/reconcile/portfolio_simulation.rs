//! Simulation of a service agent's portfolio: many merchants on their own contracts, signed
//! by agents of a two-level tree, in one ledger and one statement, with the answer key.
//!
//! Each merchant is a seeded single-merchant sample ([`generate`]) with its own merchant
//! number, terminals and preset (so every single-merchant fault is in the portfolio too);
//! on top, some clean statement rows of a merchant are booked under the previous merchant's
//! number (跳码 inside the portfolio), and a few statement rows come from terminals no
//! merchant registered.

use super::class::Class;
use super::margins::AgentTree;
use super::registry::Registry;
use super::schema::{Ledger, Statement, StatementRecord};
use super::simulation::{generate, AnswerKey, SimulationOptions, MERCHANT_NO};
use crate::error::{Error, ErrorKind, Result};
use crate::quote::TradeKind;
use crate::schedule::Schedule;

/// The presets the simulated merchants are on, in turn.
const PRESETS: [&str; 4] = ["sft-traditional", "standard", "sft-smart", "sft-esign"];
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
}

impl PortfolioOptions {
    /// 10 merchants of 500 trades, 1 fault per class each, 2 cross-merchant 跳码 rows each,
    /// 3 rows of unregistered terminals.
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
    /// The agent tree: `province` over `city-east` and `city-west`.
    pub agents: AgentTree,
    /// Its CSV text (`posfee margins --agents`).
    pub agents_csv: String,
    /// The expected class of every row not expected to be `Ok`.
    pub key: AnswerKey,
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
/// assert!(portfolio.registry_csv.starts_with("merchant_no,name,schedule,agent,terminals\n"));
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
    let mut registry_csv = String::from("merchant_no,name,schedule,agent,terminals\n");
    for (m, number) in numbers.iter().enumerate() {
        let preset = PRESETS[m % PRESETS.len()];
        let sample = generate(
            &SimulationOptions::new(options.seed.wrapping_mul(10_007).wrapping_add(m as u64))
                .trades(options.trades_per_merchant)
                .faults_per_class(options.faults_per_class)
                .preset(preset),
        )?;
        let (ledger_key, statement_key) = sample.key.maps();
        let terminal = |t: &str| format!("M{m:04}-{t}");
        let merchant = |n: &str| if n == MERCHANT_NO { number.clone() } else { n.to_string() };
        for i in 0..sample.ledger.len() {
            let mut record = sample.ledger.record(i);
            record.terminal = terminal(&record.terminal);
            record.merchant_no = merchant(&record.merchant_no);
            record.line = ledger.len() as u64 + 2;
            if let Some(&class) = ledger_key.get(&i) {
                key.ledger.push((ledger.len(), class));
            }
            ledger.push(record)?;
        }
        let mut jumps = 0;
        for j in 0..sample.statement.len() {
            let mut record = sample.statement.record(j);
            record.terminal = terminal(&record.terminal);
            record.merchant_no = merchant(&record.merchant_no);
            record.line = statement.len() as u64 + 2;
            let mut class = statement_key.get(&j).copied();
            // 跳码 inside the portfolio: a clean purchase booked under the previous merchant.
            if m > 0 && class.is_none() && record.kind == TradeKind::Purchase && jumps < options.cross_jumps_per_merchant && j % 7 == 3 {
                record.merchant_no = numbers[m - 1].clone();
                class = Some(Class::MerchantDiffers);
                jumps += 1;
                // Its ledger partner lands in the pair's class too.
                let partner = (0..sample.ledger.len()).find(|&i| {
                    let trade = sample.ledger.record(i);
                    trade.rrn == record.rrn && !record.rrn.is_empty() && trade.kind == TradeKind::Purchase
                });
                match partner {
                    Some(i) => {
                        let global = ledger.len() - sample.ledger.len() + i;
                        if key.ledger.iter().any(|(k, _)| *k == global) {
                            // Already a fault: leave this row clean.
                            record.merchant_no = number.clone();
                            class = None;
                            jumps -= 1;
                        } else {
                            key.ledger.push((global, Class::MerchantDiffers));
                        }
                    }
                    None => {
                        record.merchant_no = number.clone();
                        class = None;
                        jumps -= 1;
                    }
                }
            }
            if let Some(class) = class {
                key.statement.push((statement.len(), class));
            }
            statement.push(record)?;
        }
        let terminals: Vec<String> = sample.options.profile.terminals.iter().map(|t| terminal(t)).collect();
        let agent = if m % 2 == 0 { "city-east" } else { "city-west" };
        registry_csv.push_str(&format!("{number},{} {m},{preset},{agent},{}\n", sample.options.profile.name, terminals.join(";")));
        key.unreadable.0 += sample.key.unreadable.0;
        key.unreadable.1 += sample.key.unreadable.1;
        for issue in sample.ledger.issues() {
            ledger.push_issue(issue.error.clone(), issue.raw.clone());
        }
        for issue in sample.statement.issues() {
            statement.push_issue(issue.error.clone(), issue.raw.clone());
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
        statement.push(row)?;
    }
    let registry = Registry::from_csv(&registry_csv, "merchants.csv", Schedule::preset)?;
    let agents_csv =
        "agent,parent,cost_schedule\nprovince,,sft-smart\ncity-east,province,standard\ncity-west,province,sft-smart\n".to_string();
    let agents = AgentTree::from_csv(&agents_csv, "agents.csv", Schedule::preset)?;
    key.ledger.sort_unstable();
    key.statement.sort_unstable();
    Ok(Portfolio { ledger, statement, registry, registry_csv, agents, agents_csv, key })
}
