//! Agent economics (分润): each level of the agent tree earns the difference between the
//! price it sells at and the price it buys at.
//!
//! An [`AgentTree`] holds every agent, its parent agent and its cost schedule (结算价 /
//! 成本价: the price it pays upstream, an ordinary [`Schedule`]). For each approved purchase
//! of a merchant in the [`Registry`]:
//!
//! - the merchant's fee is the merchant's contract priced on the trade;
//! - each agent of the chain from the agent who signed the merchant up to the top has a
//!   cost: its cost schedule priced on the trade (each schedule with its own rounding);
//! - the signing agent's margin is the merchant's fee minus its own cost; every agent above
//!   earns its sub-agent's cost minus its own cost; the top agent's cost goes to the acquirer.
//!
//! So the merchant's fee is the top-level cost plus every level's margin, exactly; this is
//! checked for every trade. A negative margin (a merchant priced below the agent's cost, e.g.
//! a debit cap of ¥20 against a cost cap of ¥25) is a finding.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use super::contracts::{resolve_rows, LastDate};
use super::hash::FxHashMap;
use super::kernel::Pricings;
use super::matching::NONE;
use super::registry::{parse_portable, Portable, Registry, SchedulePool};
use super::schema::{from_unix, Ledger};
use crate::calendar::Calendar;
use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::money::Money;
use crate::quote::{CalendarPolicy, QuoteRequest, TradeKind};
use crate::schedule::Schedule;

/// The deepest agent tree accepted (levels from a signing agent to the top).
pub const AGENT_DEPTH_MAX: usize = 16;

/// The most agents a tree holds.
pub const AGENTS_MAX: usize = 100_000;

/// One agent: who it is, who it buys from, at what price.
///
/// # Example
/// ```
/// let agent = posfee::reconcile::Agent::new("east", None, posfee::Schedule::preset("standard")?);
/// assert_eq!((agent.id.as_str(), agent.parent.as_deref()), ("east", None));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Agent {
    /// The agent's id (as the registry's `agent` column names it).
    pub id: String,
    /// The parent agent it buys from (`None`: the top, buying from the acquirer).
    pub parent: Option<String>,
    /// Its cost schedule: the price it pays upstream.
    pub cost: Arc<Schedule>,
    /// The line of the agents file it was read from (0 when built in code).
    pub line: u64,
}

impl Agent {
    /// An agent built in code.
    ///
    /// # Example
    /// ```
    /// let agent = posfee::reconcile::Agent::new("city", Some("province".into()), posfee::Schedule::preset("standard")?);
    /// assert_eq!(agent.parent.as_deref(), Some("province"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(id: impl Into<String>, parent: Option<String>, cost: Schedule) -> Agent {
        Agent { id: id.into(), parent, cost: Arc::new(cost), line: 0 }
    }
}

/// The agents, validated: unique ids, known parents, no cycle, at most
/// [`AGENT_DEPTH_MAX`] levels.
///
/// # Example
/// ```
/// let tree = posfee::reconcile::AgentTree::from_csv(
///     "agent,parent,cost_schedule\nprovince,,sft-traditional\ncity,province,standard\n",
///     "agents.csv",
///     posfee::Schedule::preset,
/// )?;
/// assert_eq!(tree.chain("city")?.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["city", "province"]);
/// let err = posfee::reconcile::AgentTree::from_csv("agent,parent,cost_schedule\na,b,standard\nb,a,standard\n", "agents.csv", posfee::Schedule::preset).unwrap_err();
/// assert!(err.to_string().contains("cycle"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct AgentTree {
    agents: Vec<Agent>,
    index: HashMap<String, usize>,
}

impl AgentTree {
    /// A tree of agents.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the agent (and its line) for a repeated id, an
    /// unknown parent, a cycle or a chain deeper than [`AGENT_DEPTH_MAX`];
    /// [`ErrorKind::InvalidRequest`] for more than [`AGENTS_MAX`] agents.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{Agent, AgentTree};
    /// let err = AgentTree::new(vec![Agent::new("a", Some("nobody".into()), posfee::Schedule::preset("standard")?)]).unwrap_err();
    /// assert!(err.to_string().contains("unknown parent \"nobody\""));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(agents: Vec<Agent>) -> Result<AgentTree> {
        AgentTree::build(agents, "the agents")
    }

    fn build(agents: Vec<Agent>, file: &str) -> Result<AgentTree> {
        if agents.len() > AGENTS_MAX {
            return Err(Error::new(ErrorKind::InvalidRequest, format!("{file} has {} agents, more than {AGENTS_MAX}", agents.len())));
        }
        let at = |agent: &Agent, field: &str| {
            let mut location = Location::default().file(file).field(field);
            if agent.line > 0 {
                location = location.line(agent.line);
            }
            location
        };
        let mut index = HashMap::new();
        for (k, agent) in agents.iter().enumerate() {
            if agent.id.is_empty() {
                return Err(Error::new(ErrorKind::InvalidRecord, "an agent without an id").at(at(agent, "agent")));
            }
            if index.insert(agent.id.clone(), k).is_some() {
                return Err(Error::new(ErrorKind::InvalidRecord, format!("agent {:?} is listed twice", agent.id)).at(at(agent, "agent")));
            }
        }
        let tree = AgentTree { agents, index };
        for agent in &tree.agents {
            if let Some(parent) = &agent.parent {
                if !tree.index.contains_key(parent) {
                    return Err(Error::new(ErrorKind::InvalidRecord, format!("agent {:?} has an unknown parent {parent:?}", agent.id))
                        .at(at(agent, "parent")));
                }
            }
            tree.chain(&agent.id).map_err(|e| Error::new(ErrorKind::InvalidRecord, e.message().to_string()).at(at(agent, "parent")))?;
        }
        Ok(tree)
    }

    /// Reads agents from CSV: columns `agent` and `cost_schedule` (a preset name or a schedule
    /// file) required, `parent` (empty: the top) and `name` optional.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming file, line and field of a bad cell or an unknown
    /// column; those of [`AgentTree::new`].
    ///
    /// # Example
    /// ```
    /// let err = posfee::reconcile::AgentTree::from_csv("agent,cost_schedule\na,nope\n", "agents.csv", posfee::Schedule::preset).unwrap_err();
    /// assert_eq!((err.location().line, err.location().field.as_deref()), (Some(2), Some("cost_schedule")));
    /// ```
    pub fn from_csv(text: &str, file: &str, mut schedule: impl FnMut(&str) -> Result<Schedule>) -> Result<AgentTree> {
        let rows = super::registry::csv_rows(text, file, &["agent", "parent", "cost_schedule", "name"], &["agent", "cost_schedule"])?;
        let mut schedules: HashMap<String, Arc<Schedule>> = HashMap::new();
        let mut agents = Vec::with_capacity(rows.len());
        for (line, cells) in rows {
            let bad = |field: &str, message: String| {
                Error::new(ErrorKind::InvalidRecord, message).at(Location::default().file(file).line(line).field(field))
            };
            let name = cells[2].as_str();
            let cost = match schedules.get(name) {
                Some(known) => Arc::clone(known),
                None => {
                    let loaded = Arc::new(schedule(name).map_err(|e| bad("cost_schedule", format!("schedule {name:?}: {}", e.message())))?);
                    schedules.insert(name.to_string(), Arc::clone(&loaded));
                    loaded
                }
            };
            let parent = Some(cells[1].clone()).filter(|p| !p.is_empty());
            agents.push(Agent { id: cells[0].clone(), parent, cost, line });
            if agents.len() > AGENTS_MAX {
                return Err(bad("", format!("more than {AGENTS_MAX} agents")));
            }
        }
        AgentTree::build(agents, file)
    }

    /// Reads an agents CSV file (schedule files relative to its folder).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file; those of [`AgentTree::from_csv`].
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::AgentTree::read_csv("no/such/agents.csv").unwrap_err().code(), "io");
    /// ```
    pub fn read_csv(path: impl AsRef<std::path::Path>) -> Result<AgentTree> {
        let path = path.as_ref();
        let (text, name) = super::registry::read_small_file(path)?;
        AgentTree::from_csv_in(&text, &name, path.parent().unwrap_or(std::path::Path::new(".")))
    }

    /// Reads agents CSV text whose `cost_schedule` cells are preset names, or schedule files
    /// relative to `folder` (as [`Registry::from_csv_in`]).
    ///
    /// # Errors
    /// Those of [`AgentTree::from_csv`].
    ///
    /// # Example
    /// ```
    /// let text = "agent,cost_schedule\ntop,costs/missing.toml\n";
    /// let err = posfee::reconcile::AgentTree::from_csv_in(text, "agents.csv", std::path::Path::new(".")).unwrap_err();
    /// assert_eq!(err.location().field.as_deref(), Some("cost_schedule"));
    /// ```
    pub fn from_csv_in(text: &str, file: &str, folder: &std::path::Path) -> Result<AgentTree> {
        AgentTree::from_csv(text, file, |cell| super::registry::schedule_of_cell(cell, folder))
    }

    /// The tree as self-contained text (JSON): every agent with its parent and line, and
    /// each distinct cost schedule as its TOML, so that [`AgentTree::from_portable`] rebuilds
    /// it anywhere (no schedule file needed). Python pickles a `posfee.Agents` this way.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::AgentTree;
    /// let tree = AgentTree::from_csv("agent,parent,cost_schedule\nprovince,,sft-smart\ncity,province,standard\n", "a.csv", |n| posfee::Schedule::preset(n))?;
    /// let copy = AgentTree::from_portable(&tree.to_portable())?;
    /// assert_eq!(copy.to_portable(), tree.to_portable());
    /// assert_eq!(copy.chain("city")?.len(), 2);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_portable(&self) -> String {
        let mut schedules = SchedulePool::default();
        let agents = self
            .agents
            .iter()
            .map(|a| PortableAgent { id: a.id.clone(), parent: a.parent.clone(), cost: schedules.index(&a.cost), line: a.line })
            .collect();
        serde_json::to_string(&PortableAgents { format: PORTABLE_AGENTS.to_string(), schedules: schedules.tomls, agents })
            .unwrap_or_default()
    }

    /// Rebuilds a tree from [`AgentTree::to_portable`], validated as on load.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for text that is not a portable agent tree; the errors
    /// of the schedules' TOML and of [`AgentTree::new`].
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::AgentTree::from_portable("[]").unwrap_err().code(), "invalid_request");
    /// ```
    pub fn from_portable(text: &str) -> Result<AgentTree> {
        let portable: PortableAgents = parse_portable(text, PORTABLE_AGENTS)?;
        let schedules = SchedulePool::load(&portable.schedules)?;
        let mut agents = Vec::with_capacity(portable.agents.len());
        for a in portable.agents {
            agents.push(Agent { id: a.id, parent: a.parent, cost: SchedulePool::get(&schedules, a.cost)?, line: a.line });
        }
        AgentTree::build(agents, "the agent tree")
    }

    /// Every agent.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::AgentTree::default().agents().is_empty());
    /// ```
    pub fn agents(&self) -> &[Agent] {
        &self.agents
    }

    /// The chain of agents from `id` up to the top.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] for an unknown agent, a cycle, or a chain deeper than
    /// [`AGENT_DEPTH_MAX`].
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::AgentTree::default().chain("x").is_err());
    /// ```
    pub fn chain(&self, id: &str) -> Result<Vec<&Agent>> {
        let mut chain: Vec<&Agent> = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            let agent = self
                .index
                .get(id)
                .map(|&k| &self.agents[k])
                .ok_or_else(|| Error::new(ErrorKind::InvalidRecord, format!("unknown agent {id:?}")).in_field("agent"))?;
            if chain.iter().any(|a| a.id == agent.id) {
                return Err(Error::new(ErrorKind::InvalidRecord, format!("the agents above {:?} form a cycle", chain[0].id)));
            }
            chain.push(agent);
            if chain.len() > AGENT_DEPTH_MAX {
                return Err(Error::new(
                    ErrorKind::InvalidRecord,
                    format!("the agents above {:?} are more than {AGENT_DEPTH_MAX} levels deep", chain[0].id),
                ));
            }
            next = agent.parent.as_deref();
        }
        Ok(chain)
    }
}

/// One level of one trade: an agent's cost and margin.
///
/// # Example
/// ```
/// let row = posfee::reconcile::MarginRow::default();
/// assert_eq!(row.margin, posfee::Money::ZERO);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MarginRow {
    /// The trade's row in the ledger.
    pub trade: usize,
    /// The trade id (one text shared by the trade's levels).
    pub trade_id: Arc<str>,
    /// The trade date (China time).
    pub date: chrono::NaiveDate,
    /// The merchant (one text shared by its rows).
    pub merchant_no: Arc<str>,
    /// The channel.
    pub channel: Option<Channel>,
    /// The trade amount.
    pub amount: Money,
    /// The merchant's fee under its contract.
    pub merchant_fee: Money,
    /// The level: 1 for the agent who signed the merchant, 2 for its parent…
    pub level: u32,
    /// The agent (one text shared by its rows).
    pub agent: Arc<str>,
    /// The agent's cost for the trade.
    pub cost: Money,
    /// The agent's margin: the price below it (the merchant's fee, or its sub-agent's cost)
    /// minus its cost.
    pub margin: Money,
}

/// Margins summed per agent, merchant or month.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::MarginTotals::default().trades, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MarginTotals {
    /// The agent, merchant number or month (`2026-03`) summed over.
    pub key: String,
    /// The agent, when the totals are of one agent in one month or merchant (empty otherwise).
    pub agent: String,
    /// Trades.
    pub trades: u64,
    /// Their amounts.
    pub amount: Money,
    /// The merchants' fees.
    pub merchant_fee: Money,
    /// The margins.
    pub margin: Money,
    /// Trades with a negative margin.
    pub negative_trades: u64,
}

/// The `format` of [`AgentTree::to_portable`].
const PORTABLE_AGENTS: &str = "posfee-agents-1";

#[derive(Serialize, serde::Deserialize)]
struct PortableAgents {
    format: String,
    schedules: Vec<String>,
    agents: Vec<PortableAgent>,
}

#[derive(Serialize, serde::Deserialize)]
struct PortableAgent {
    id: String,
    parent: Option<String>,
    cost: usize,
    line: u64,
}

impl Portable for PortableAgents {
    fn format(&self) -> &str {
        &self.format
    }
}

/// The margins of a set of trades.
///
/// # Example
/// ```
/// let report = posfee::reconcile::MarginReport::default();
/// assert!(report.rows.is_empty() && report.findings.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MarginReport {
    /// One row per trade and level.
    pub rows: Vec<MarginRow>,
    /// Per agent.
    pub by_agent: Vec<MarginTotals>,
    /// Per merchant and agent.
    pub by_merchant: Vec<MarginTotals>,
    /// Per month and agent.
    pub by_month: Vec<MarginTotals>,
    /// Trades priced: the merchants' fees.
    pub merchant_fee: Money,
    /// What the top agents pay the acquirer.
    pub top_cost: Money,
    /// Every level's margin.
    pub margin: Money,
    /// Trades not priced, with why (no contract for the trade's terminal, no agent, a
    /// schedule that does not price it), as `(ledger row, reason)`.
    pub skipped: Vec<(usize, String)>,
    /// Negative margins in words (zh and en), by agent, merchant and channel.
    pub findings: Vec<(String, String)>,
}

/// The columns of the margin rows' CSV ([`MarginReport::to_csv`]).
const MARGIN_CSV_COLUMNS: [&str; 10] =
    ["trade_id", "date", "merchant_no", "channel", "amount", "merchant_fee", "level", "agent", "cost", "margin"];

impl MarginReport {
    /// The rows as CSV: `trade_id,date,merchant_no,channel,amount,merchant_fee,level,agent,cost,margin`.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::MarginReport::default().to_csv().starts_with("trade_id,date,merchant_no,"));
    /// ```
    pub fn to_csv(&self) -> String {
        super::csv_text::csv_in_parts(&MARGIN_CSV_COLUMNS, self.rows.len(), 96, |writer, k| self.csv_row(writer, k))
    }

    /// [`MarginReport::to_csv`] written to `out` as it is made (on all cores, a part of the rows
    /// at a time): the text is never held whole.
    ///
    /// # Errors
    /// The first error of `out`.
    ///
    /// # Example
    /// ```
    /// let report = posfee::reconcile::MarginReport::default();
    /// let mut out: Vec<u8> = Vec::new();
    /// report.write_csv(&mut out)?;
    /// assert_eq!(String::from_utf8(out)?, report.to_csv());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_csv(&self, out: &mut (dyn std::io::Write + Send)) -> std::io::Result<()> {
        super::csv_text::write_csv_in_parts(out, &MARGIN_CSV_COLUMNS, self.rows.len(), 96, |writer, k| self.csv_row(writer, k))
    }

    /// Writes row `k` as a CSV record of [`MARGIN_CSV_COLUMNS`].
    fn csv_row(&self, writer: &mut csv::Writer<Vec<u8>>, k: usize) {
        let row = &self.rows[k];
        let _ = writer.write_record([
            super::spreadsheet::neutralize_cell(&row.trade_id).as_ref(),
            &row.date.to_string(),
            &row.merchant_no,
            row.channel.map_or("", |c| c.name()),
            &row.amount.to_string(),
            &row.merchant_fee.to_string(),
            &row.level.to_string(),
            &super::spreadsheet::neutralize_cell(&row.agent),
            &row.cost.to_string(),
            &row.margin.to_string(),
        ]);
    }

    /// The totals as readable text.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::MarginReport::default().table().contains("merchants' fees"));
    /// ```
    pub fn table(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(out, "merchants' fees ¥{} = top agents' cost ¥{} + margins ¥{}", self.merchant_fee, self.top_cost, self.margin);
        let _ = writeln!(out, "{:<20} {:>8} {:>16} {:>14} {:>8}", "agent", "trades", "merchants' fees ¥", "margin ¥", "negative");
        for t in &self.by_agent {
            let _ = writeln!(
                out,
                "{:<20} {:>8} {:>16} {:>14} {:>8}",
                t.key,
                t.trades,
                t.merchant_fee.to_string(),
                t.margin.to_string(),
                t.negative_trades
            );
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(
                out,
                "{} not priced (first: {})",
                crate::text::counted(self.skipped.len() as i128, "trade", "trades"),
                self.skipped[0].1
            );
        }
        for (zh, en) in &self.findings {
            let _ = writeln!(out, "- {en}\n  {zh}");
        }
        out
    }
}

/// An agent's chain up the tree (its own level first), each agent with its id as the rows
/// share it.
type Chain<'t> = Vec<(&'t Agent, Arc<str>)>;

/// Totals by a key, each in its slot of a list, found by its key once and then by its slot.
struct Keyed<K> {
    slot_of: BTreeMap<K, u32>,
    totals: Vec<MarginTotals>,
}

impl<K: Ord> Keyed<K> {
    fn new() -> Keyed<K> {
        Keyed { slot_of: BTreeMap::new(), totals: Vec::new() }
    }

    /// The slot of `key`, made (with the totals `new` makes) at its first call.
    fn slot(&mut self, key: K, new: impl FnOnce() -> MarginTotals) -> u32 {
        let totals = &mut self.totals;
        *self.slot_of.entry(key).or_insert_with(|| {
            totals.push(new());
            totals.len() as u32 - 1
        })
    }

    /// The totals in the order of their keys.
    fn into_sorted(self) -> Vec<MarginTotals> {
        let mut totals: Vec<Option<MarginTotals>> = self.totals.into_iter().map(Some).collect();
        self.slot_of.into_values().filter_map(|slot| totals[slot as usize].take()).collect()
    }
}

/// The margins' totals by agent, by merchant and agent, by month and agent. A trade finds
/// its slots by number: each contract's (per level of its chain, the agent's and the
/// merchant's) at its first trade, a month's by its number and the agent's slot, so that the
/// text of the keys is compared only when a slot is made.
struct Totals<'t> {
    by_agent: Keyed<&'t str>,
    by_merchant: Keyed<(&'t str, &'t str)>,
    by_month: Keyed<((i32, u32), &'t str)>,
    /// Per contract: per level, its slots in `by_agent` and `by_merchant` (empty until its
    /// first trade).
    contract_slots: Vec<Vec<(u32, u32)>>,
    /// Per month and agent slot: the slot in `by_month`.
    month_slots: FxHashMap<((i32, u32), u32), u32>,
}

impl<'t> Totals<'t> {
    fn new(contracts: usize) -> Totals<'t> {
        Totals {
            by_agent: Keyed::new(),
            by_merchant: Keyed::new(),
            by_month: Keyed::new(),
            contract_slots: vec![Vec::new(); contracts],
            month_slots: FxHashMap::default(),
        }
    }

    /// Makes the slots of each level of contract `contract_index` (of `merchant_no`, its
    /// agents `chain`) at its first trade.
    fn prepare(&mut self, contract_index: usize, merchant_no: &'t str, chain: &'t Chain<'t>) {
        if self.contract_slots[contract_index].is_empty() {
            let slots = chain
                .iter()
                .map(|(agent, _)| {
                    let id = agent.id.as_str();
                    let agent_slot = self.by_agent.slot(id, || MarginTotals { key: id.to_string(), ..Default::default() });
                    let merchant_slot = self.by_merchant.slot((merchant_no, id), || MarginTotals {
                        key: merchant_no.to_string(),
                        agent: id.to_string(),
                        ..Default::default()
                    });
                    (agent_slot, merchant_slot)
                })
                .collect();
            self.contract_slots[contract_index] = slots;
        }
    }

    /// The slot in `by_month` of `month` (year, month) and `agent` (in slot `agent_slot`).
    fn month_slot(&mut self, month: (i32, u32), agent_slot: u32, agent: &'t str) -> u32 {
        let by_month = &mut self.by_month;
        *self.month_slots.entry((month, agent_slot)).or_insert_with(|| {
            by_month.slot((month, agent), || MarginTotals {
                key: format!("{:04}-{:02}", month.0, month.1),
                agent: agent.to_string(),
                ..Default::default()
            })
        })
    }
}

/// A trade priced: its contract, its merchant's agent chain, the merchant's fee and each
/// level's cost.
struct Priced<'t> {
    contract_index: usize,
    chain: &'t Chain<'t>,
    merchant_fee: Money,
    costs: Vec<Money>,
}

/// The compiled fee kernels of each contract: its own pricing, then each level's cost.
struct Kernels<'k> {
    pricings: &'k Pricings<'k>,
    of_contract: &'k [Vec<u32>],
}

/// Trade `i` (an approved purchase, on `date`, of contract `contract_index`: [`NONE`] if none)
/// priced under its merchant's contract and its agents' cost schedules (by their kernels where
/// they price it, else by [`Schedule::quote_with`]); why not, if it cannot be.
#[allow(clippy::too_many_arguments)]
fn price_trade<'t>(
    trades: &Ledger,
    i: usize,
    date: NaiveDate,
    contract_index: u32,
    registry: &'t Registry,
    chains: &'t BTreeMap<&str, Result<Chain<'t>>>,
    kernels: &Kernels<'_>,
    calendar: &Calendar,
) -> std::result::Result<Priced<'t>, String> {
    let Some(contract) = registry.contracts().get(contract_index as usize).filter(|_| contract_index != NONE) else {
        return Err(format!("no merchant of the registry has terminal {:?} on {date}", trades.terminal.view().get(i)));
    };
    let merchant_no = contract.profile.merchant_no.as_str();
    let chain = match chains.get(contract.agent.as_str()) {
        None => return Err(format!("merchant {merchant_no} has no agent in the registry")),
        Some(Err(error)) => return Err(format!("merchant {merchant_no}: {}", error.message())),
        Some(Ok(chain)) => chain,
    };
    let (amount, channel, seconds) = (Money::from_fen(trades.amount_fen[i]), trades.channel[i], trades.time[i]);
    // A trade with a card type is priced by quote (the kernels do not look at it).
    let by_kernel = |pricing: u32, schedule: &Schedule| {
        trades.card_type[i].is_none().then(|| kernels.pricings.fee(pricing, schedule, seconds, amount, channel)).flatten()
    };
    // The request, made at the first schedule the kernels do not price.
    let request = std::cell::OnceCell::new();
    let asked = || {
        request.get_or_init(|| {
            let mut request = QuoteRequest::new(amount, channel, from_unix(seconds))
                .settlement(contract.profile.settlement)
                .calendar_policy(CalendarPolicy::WeekendsOnly);
            request.card_type = trades.card_type[i];
            request.merchant_class = contract.profile.merchant_class.clone();
            request
        })
    };
    let pricings = &kernels.of_contract[contract_index as usize];
    let merchant_fee = match by_kernel(pricings[0], &contract.schedule) {
        Some(fee) => fee,
        None => {
            contract
                .schedule
                .quote_with(asked(), calendar)
                .map_err(|error| format!("the merchant's contract does not price it: {}", error.message()))?
                .fee
        }
    };
    let mut costs = Vec::with_capacity(chain.len());
    for ((agent, _), &pricing) in chain.iter().zip(&pricings[1..]) {
        let cost = match by_kernel(pricing, &agent.cost) {
            Some(fee) => fee,
            None => price(&agent.cost, asked(), calendar)
                .map_err(|error| format!("an agent's cost schedule does not price it: {}", error.message()))?,
        };
        costs.push(cost);
    }
    Ok(Priced { contract_index: contract_index as usize, chain, merchant_fee, costs })
}

/// A request priced under a schedule that may not know the merchant's class.
fn price(schedule: &Schedule, request: &QuoteRequest, calendar: &Calendar) -> Result<Money> {
    let class = request.merchant_class.as_deref();
    let quote = if cost_class(schedule, class) == class {
        schedule.quote_with(request, calendar)
    } else {
        schedule.quote_with(&QuoteRequest { merchant_class: None, ..request.clone() }, calendar)
    };
    quote.map(|q| q.fee)
}

/// The merchant class a cost schedule prices a merchant's trade by: the merchant's, when the
/// schedule knows it (an agent's cost schedule may not list the merchants' classes).
fn cost_class<'c>(schedule: &Schedule, class: Option<&'c str>) -> Option<&'c str> {
    class.filter(|class| schedule.has_merchant_class(class))
}

/// The margins of every approved purchase of `trades` (a ledger) whose merchant the
/// registry knows, level by level up the agent tree.
///
/// # Errors
/// [`ErrorKind::Internal`] if a trade's fee is not its top cost plus its margins (a broken
/// invariant, never expected); [`ErrorKind::Overflow`] when a sum leaves the range of amounts.
/// Trades that cannot be priced are listed in [`MarginReport::skipped`], not errors.
///
/// # Example
/// ```
/// use posfee::reconcile::{margins, AgentTree, Registry, Ledger, LedgerRecord};
/// use posfee::{Channel, Money, parse_china_time};
/// let registry = Registry::from_csv("merchant_no,schedule,agent,terminals\n102310058120001,sft-traditional,city,T1\n", "m.csv", posfee::Schedule::preset)?;
/// let agents = AgentTree::from_csv("agent,parent,cost_schedule\nprovince,,standard\ncity,province,sft-smart\n", "a.csv", posfee::Schedule::preset)?;
/// let mut ledger = Ledger::new("trades");
/// let mut trade = LedgerRecord::new("A1", parse_china_time("2026-03-02 10:00")?, Money::from_yuan(1000), Channel::Debit);
/// trade.terminal = "T1".into();
/// ledger.push(trade)?;
/// let report = margins(&ledger, &registry, &agents, posfee::Calendar::china())?;
/// // Debit ¥1,000: the merchant pays 0.55% = ¥5.50; city buys at 0.50% (¥5.00), province at 0.50%.
/// assert_eq!(report.rows.iter().map(|r| (&*r.agent, r.margin)).collect::<Vec<_>>(),
///     [("city", Money::from_fen(50)), ("province", Money::ZERO)]);
/// assert_eq!(report.merchant_fee, report.top_cost + report.margin);
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn margins(trades: &Ledger, registry: &Registry, agents: &AgentTree, calendar: &Calendar) -> Result<MarginReport> {
    let mut report = MarginReport::default();
    let (terminals, merchant_numbers, codes, ids) =
        (trades.terminal.view(), trades.merchant_no.view(), trades.response_code.view(), trades.trade_id.view());
    let overflow = || Error::new(ErrorKind::Overflow, "a margin total is beyond the range of amounts");
    let add = |sum: &mut Money, value: Money| -> Result<()> {
        *sum = sum.checked_add(value).ok_or_else(overflow)?;
        Ok(())
    };
    // Negative margins by (agent, merchant, channel): trades and money. The maps are keyed by
    // the registry's and the tree's own text (a month by its year and month), so that a trade
    // makes no string but its rows'.
    let mut negative: BTreeMap<(&str, &str, Channel), (u64, Money)> = BTreeMap::new();
    let mut totals = Totals::new(registry.contracts().len());
    // Each agent's chain up the tree, walked once, with each agent's id as the rows share it;
    // each contract's pricings (its own, then each level's cost), compiled once a distinct one.
    let mut chains: BTreeMap<&str, Result<Chain<'_>>> = BTreeMap::new();
    let mut pricings = Pricings::default();
    let mut contract_pricings: Vec<Vec<u32>> = Vec::with_capacity(registry.contracts().len());
    for contract in registry.contracts() {
        let (class, settlement) = (contract.profile.merchant_class.as_deref(), contract.profile.settlement);
        let mut list = vec![pricings.pricing(&contract.schedule, class, settlement)];
        if !contract.agent.is_empty() {
            let chain = chains.entry(&contract.agent).or_insert_with(|| {
                agents.chain(&contract.agent).map(|chain| chain.into_iter().map(|agent| (agent, Arc::from(agent.id.as_str()))).collect())
            });
            for (agent, _) in chain.iter().flatten() {
                list.push(pricings.pricing(&agent.cost, cost_class(&agent.cost, class), settlement));
            }
        }
        contract_pricings.push(list);
    }
    let kernels = Kernels { pricings: &pricings, of_contract: &contract_pricings };
    // Each contract's merchant number as the rows share it (made at its first row).
    let mut merchant_texts: Vec<Option<Arc<str>>> = vec![None; registry.contracts().len()];
    // Each row's contract, found as the reconcile finds it (on all cores).
    let contract_of_row = resolve_rows(registry, &trades.time, terminals, merchant_numbers);
    let trade = |i: usize, date: NaiveDate| -> Option<std::result::Result<Priced<'_>, String>> {
        if trades.kind[i] != TradeKind::Purchase || !super::response::is_approved(codes.get(i)) {
            return None;
        }
        Some(price_trade(trades, i, date, contract_of_row[i], registry, &chains, &kernels, calendar))
    };
    // The trades are priced a block at a time on all cores, then summed in order on one.
    const BLOCK_ROWS: usize = 1 << 16;
    for block_start in (0..trades.len()).step_by(BLOCK_ROWS) {
        let block = block_start..(block_start + BLOCK_ROWS).min(trades.len());
        let priced: Vec<(NaiveDate, Option<std::result::Result<Priced<'_>, String>>)> = block
            .clone()
            .into_par_iter()
            .with_min_len(1024)
            .map_init(LastDate::default, |last_date, i| {
                let date = last_date.of(trades.time[i]);
                (date, trade(i, date))
            })
            .collect();
        for (i, (date, priced)) in block.zip(priced) {
            let Priced { contract_index, chain, merchant_fee, costs } = match priced {
                None => continue,
                Some(Err(why)) => {
                    report.skipped.push((i, why));
                    continue;
                }
                Some(Ok(priced)) => priced,
            };
            let contract = &registry.contracts()[contract_index];
            let amount = Money::from_fen(trades.amount_fen[i]);
            let merchant_no = contract.profile.merchant_no.as_str();
            let merchant_text = merchant_texts[contract_index].get_or_insert_with(|| Arc::from(merchant_no));
            let trade_id: Arc<str> = Arc::from(ids.get(i));
            let month = (date.year(), date.month());
            let mut above = merchant_fee;
            let mut margin_sum = Money::ZERO;
            totals.prepare(contract_index, merchant_no, chain);
            for (level, ((agent, agent_text), &cost)) in chain.iter().zip(&costs).enumerate() {
                let margin = above - cost;
                margin_sum = margin_sum.checked_add(margin).ok_or_else(overflow)?;
                let (agent_slot, merchant_slot) = totals.contract_slots[contract_index][level];
                let month_slot = totals.month_slot(month, agent_slot, &agent.id);
                for sums in [
                    &mut totals.by_agent.totals[agent_slot as usize],
                    &mut totals.by_merchant.totals[merchant_slot as usize],
                    &mut totals.by_month.totals[month_slot as usize],
                ] {
                    sums.trades += 1;
                    add(&mut sums.amount, amount)?;
                    add(&mut sums.merchant_fee, merchant_fee)?;
                    add(&mut sums.margin, margin)?;
                    sums.negative_trades += u64::from(margin < Money::ZERO);
                }
                if margin < Money::ZERO {
                    let entry = negative.entry((&agent.id, merchant_no, trades.channel[i])).or_insert((0, Money::ZERO));
                    entry.0 += 1;
                    add(&mut entry.1, margin)?;
                }
                report.rows.push(MarginRow {
                    trade: i,
                    trade_id: Arc::clone(&trade_id),
                    date,
                    merchant_no: Arc::clone(merchant_text),
                    channel: Some(trades.channel[i]),
                    amount,
                    merchant_fee,
                    level: level as u32 + 1,
                    agent: Arc::clone(agent_text),
                    cost,
                    margin,
                });
                above = cost;
            }
            // The balance of every trade: the merchant's fee is the top cost plus the margins.
            if above.checked_add(margin_sum) != Some(merchant_fee) {
                return Err(Error::new(
                    ErrorKind::Internal,
                    format!("trade {} does not balance: fee ¥{merchant_fee}, top cost ¥{above}, margins ¥{margin_sum}", ids.get(i)),
                ));
            }
            add(&mut report.merchant_fee, merchant_fee)?;
            add(&mut report.top_cost, above)?;
            add(&mut report.margin, margin_sum)?;
        }
    }
    (report.by_agent, report.by_merchant, report.by_month) =
        (totals.by_agent.into_sorted(), totals.by_merchant.into_sorted(), totals.by_month.into_sorted());
    report.findings = negative
        .into_iter()
        .map(|((agent, merchant_no, channel), (count, money))| {
            (
                format!("代理商{agent}在商户{merchant_no}的{}交易上分润为负：{count}笔，合计¥{money}（商户费率低于其成本价）", channel.name_zh()),
                format!(
                    "agent {agent} earns a negative margin on merchant {merchant_no}'s {} trades: {}, ¥{money} in total (the merchant is priced below the agent's cost)",
                    channel.name(),
                    crate::text::counted(i128::from(count), "trade", "trades")
                ),
            )
        })
        .collect();
    Ok(report)
}
