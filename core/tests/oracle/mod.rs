//! An independent fee-and-settlement oracle, written from the schedule-file specification
//! (DESIGN.md "Schedules", "Calendar and settlement"; the fields of `core/data/presets/*.toml`)
//! and shared/DOMAIN.md — not from posfee's quote code.
//!
//! It reads a schedule's TOML text with the `toml` crate into its own structs and the working
//! days from `core/data/calendar/china.toml` into its own day table; money is an `i128` count
//! of thousandths of a fen ("millifen", 10⁻⁵ yuan), rates an `i128` count of 10⁻⁸, and every
//! rounding is one exact integer division with the remainder compared by hand. Nothing here
//! calls posfee: the tests compare posfee's answers with these.
//!
//! What it implements, by the specification:
//! - rule selection: channel, amount band `(amount_over, amount_up_to]`, validity window
//!   `[valid_from, valid_until)`, merchant class, card type (implied by the credit / debit
//!   channels); among matches the highest priority, then the most conditions set (band,
//!   window, class, card type count one each); the version in force at the trade's instant;
//! - the fee: `round(amount × rate)` at the schedule's mode and scale, raised to the floor,
//!   lowered to the cap, plus the fixed fee; each surcharge line `round(amount × rate) + fixed`
//!   for the settlement mode and channel; below a surcharge's `min_amount` the trade falls back
//!   to its `fallback` mode (and that mode's own surcharges and minimums apply);
//! - refunds: keep_fee returns nothing; proportional returns `round(fee × refund / amount)`;
//! - settlement: the China-time date, moved to the next day at or after the cut-off;
//!   T0 the trade day or the next working day, T+N the N-th working day after the trade day,
//!   D+N the trade day plus N calendar days, S0 the trade's own China-time date; a working day
//!   outside the calendar data is an error (`calendar_out_of_range`);
//! - the errors of a quote, by code: `invalid_amount`, `invalid_request` (card type against the
//!   channel, a merchant class no rule names), `no_schedule_version`, `no_matching_rule`,
//!   `calendar_out_of_range`.
#![allow(dead_code)]

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Timelike, Weekday};

/// Thousandths of a fen in one yuan.
pub const MILLIFEN_PER_YUAN: i128 = 100_000;
/// Thousandths of a fen in one fen.
pub const MILLIFEN_PER_FEN: i128 = 1_000;
/// The largest trade amount: ¥1,000,000,000 (DESIGN.md "Numbers").
pub const MAX_AMOUNT_MILLIFEN: i128 = 1_000_000_000 * MILLIFEN_PER_YUAN;
/// The largest rate: 10% in units of 10⁻⁸.
pub const RATE_LIMIT_E8: i128 = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    HalfUp,
    HalfEven,
    Up,
    Down,
}

impl Mode {
    pub fn parse(text: &str) -> Option<Mode> {
        Some(match text {
            "half_up" => Mode::HalfUp,
            "half_even" => Mode::HalfEven,
            "up" => Mode::Up,
            "down" => Mode::Down,
            _ => return None,
        })
    }

    /// `numerator / denominator` for `numerator ≥ 0`, `denominator > 0`, rounded by the mode:
    /// the whole part, then the remainder compared with half of the denominator.
    pub fn round(self, numerator: i128, denominator: i128) -> i128 {
        assert!(numerator >= 0 && denominator > 0, "oracle rounding of {numerator}/{denominator}");
        let whole = numerator / denominator;
        let rest = numerator - whole * denominator;
        if rest == 0 {
            return whole;
        }
        let up = match self {
            Mode::Down => false,
            Mode::Up => true,
            Mode::HalfUp => rest * 2 >= denominator,
            Mode::HalfEven => match (rest * 2).cmp(&denominator) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Less => false,
                std::cmp::Ordering::Equal => whole % 2 == 1,
            },
        };
        whole + i128::from(up)
    }
}

/// Settlement mode: T+N, D+N or S0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    T(u32),
    D(u32),
    S0,
}

impl Settle {
    pub fn parse(text: &str) -> Option<Settle> {
        let upper = text.trim().to_ascii_uppercase();
        let (letter, rest) = upper.split_at(1);
        let days: u32 = rest.trim_start_matches('+').parse().ok()?;
        match (letter, days) {
            ("T", n) if n <= 60 => Some(Settle::T(n)),
            ("D", n) if n <= 60 => Some(Settle::D(n)),
            ("S", 0) => Some(Settle::S0),
            _ => None,
        }
    }

    pub fn text(self) -> String {
        match self {
            Settle::T(n) => format!("T{n}"),
            Settle::D(n) => format!("D{n}"),
            Settle::S0 => "S0".to_string(),
        }
    }
}

/// A decimal text as an integer count of 10^-`decimals`, exactly (None when it has more).
pub fn scaled(text: &str, decimals: u32) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = fraction.trim_end_matches('0');
    if significant.len() > decimals as usize {
        return None;
    }
    let mut value: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    for position in 0..decimals as usize {
        let digit = significant.as_bytes().get(position).map_or(0, |b| i128::from(b - b'0'));
        value = value * 10 + digit;
    }
    Some(if negative { -value } else { value })
}

/// Money text (`"20"`, `"0.1"`) in thousandths of a fen.
pub fn money(text: &str) -> Option<i128> {
    scaled(text, 5)
}

/// Rate text (`"0.60%"`, `"60bp"`, `"0.006"`) in 10⁻⁸.
pub fn rate(text: &str) -> Option<i128> {
    let text = text.trim();
    if let Some(percent) = text.strip_suffix('%') {
        scaled(percent, 6)
    } else if let Some(bp) = text.strip_suffix("bp") {
        scaled(bp, 4)
    } else {
        scaled(text, 8)
    }
}

pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// A schedule instant (`"2016-09-06"` is midnight China time, or RFC 3339) as Unix seconds.
pub fn instant(text: &str) -> Option<i64> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Some(at.timestamp());
    }
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_local_timezone(china()).single()?.timestamp())
}

fn local(unix: i64) -> NaiveDateTime {
    DateTime::from_timestamp(unix, 0).unwrap().with_timezone(&china()).naive_local()
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub channels: Vec<String>,
    pub rate_e8: i128,
    pub cap: Option<i128>,
    pub floor: Option<i128>,
    pub fixed: i128,
    pub over: Option<i128>,
    pub up_to: Option<i128>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub class: Option<String>,
    pub card: Option<String>,
    pub priority: i64,
}

impl Rule {
    fn conditions(&self) -> u32 {
        u32::from(self.over.is_some() || self.up_to.is_some())
            + u32::from(self.from.is_some() || self.until.is_some())
            + u32::from(self.class.is_some())
            + u32::from(self.card.is_some())
    }

    fn matches(&self, trade: &Trade, card: Option<&str>) -> bool {
        let amount = trade.amount;
        self.channels.iter().any(|c| c == &trade.channel)
            && self.over.map_or(true, |over| amount > over)
            && self.up_to.map_or(true, |up_to| amount <= up_to)
            && self.from.map_or(true, |from| trade.at >= from)
            && self.until.map_or(true, |until| trade.at < until)
            && self.class.as_ref().map_or(true, |class| trade.class.as_ref() == Some(class))
            && self.card.as_deref().map_or(true, |wanted| card == Some(wanted))
    }
}

#[derive(Debug, Clone)]
pub struct Surcharge {
    pub id: String,
    pub modes: Vec<Settle>,
    pub channels: Option<Vec<String>>,
    pub fixed: i128,
    pub rate_e8: i128,
    pub min: Option<i128>,
    pub fallback: Settle,
}

impl Surcharge {
    fn applies(&self, mode: Settle, channel: &str) -> bool {
        self.modes.contains(&mode) && self.channels.as_ref().map_or(true, |list| list.iter().any(|c| c == channel))
    }
}

#[derive(Debug, Clone)]
pub struct Version {
    pub from: i64,
    pub rules: Vec<Rule>,
    pub surcharges: Vec<Surcharge>,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    /// Seconds after China midnight at which the next trade day starts (0: none).
    pub cutoff_seconds: u32,
    pub proportional: bool,
    pub mode: Mode,
    pub scale: u32,
    pub versions: Vec<Version>,
}

/// A purchase to price.
#[derive(Debug, Clone)]
pub struct Trade {
    /// Amount in thousandths of a fen (may be invalid: negative, sub-fen, too large).
    pub amount: i128,
    pub channel: String,
    /// Unix seconds.
    pub at: i64,
    pub settle: Settle,
    pub class: Option<String>,
    pub card: Option<String>,
}

/// The oracle's answer for a purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    pub rule: String,
    pub version_from: i64,
    /// `round(amount × rate)` before floor and cap.
    pub before_limit: i128,
    /// The rate line after floor and cap.
    pub rate_line: i128,
    pub capped: bool,
    pub floored: bool,
    pub fixed: i128,
    /// (surcharge id, line) for each surcharge charged.
    pub surcharges: Vec<(String, i128)>,
    pub fee: i128,
    /// The settlement mode applied (after any fallback).
    pub settle: Settle,
    pub fell_back: bool,
    /// How many fallbacks were taken (more than one: the fallback mode had its own minimum).
    pub fallbacks: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    pub priced: Priced,
    pub trade_day: NaiveDate,
    pub settles_on: NaiveDate,
}

fn text<'a>(table: &'a toml::Table, key: &str) -> Option<&'a str> {
    table.get(key).and_then(toml::Value::as_str)
}

fn strings(value: Option<&toml::Value>) -> Vec<String> {
    value.and_then(toml::Value::as_array).map_or(Vec::new(), |list| list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
}

impl Schedule {
    /// Reads a schedule file and checks what the specification says makes it invalid.
    /// `Err` carries a sentence saying which check failed.
    pub fn from_toml(source: &str) -> Result<Schedule, String> {
        let root: toml::Table = source.parse().map_err(|e| format!("TOML: {e}"))?;
        let name = text(&root, "name").ok_or("no name")?.trim().to_string();
        if name.is_empty() {
            return Err("empty name".into());
        }
        let cutoff_seconds = match text(&root, "cutoff") {
            None => 0,
            Some(cutoff) => {
                let parts: Vec<u32> = cutoff.split(':').map(|p| p.parse().map_err(|_| "cutoff")).collect::<Result<_, _>>()?;
                match parts.as_slice() {
                    [h, m] if *h < 24 && *m < 60 => h * 3600 + m * 60,
                    [h, m, s] if *h < 24 && *m < 60 && *s < 60 => h * 3600 + m * 60 + s,
                    _ => return Err(format!("cutoff {cutoff}")),
                }
            }
        };
        let proportional = match text(&root, "refund_policy").unwrap_or("keep_fee") {
            "keep_fee" => false,
            "proportional" => true,
            other => return Err(format!("refund policy {other}")),
        };
        let rounding = root.get("rounding").and_then(toml::Value::as_table).ok_or("no rounding")?;
        let mode = Mode::parse(text(rounding, "mode").ok_or("no rounding mode")?).ok_or("rounding mode")?;
        let scale = rounding.get("scale").and_then(toml::Value::as_integer).ok_or("no scale")?;
        if !(0..=5).contains(&scale) {
            return Err(format!("scale {scale}"));
        }
        let scale = scale as u32;
        // A fee amount must be representable at the schedule's scale; a band limit or a
        // minimum amount is a trade amount: whole fen.
        let unit = 10i128.pow(5 - scale);
        let fee_money = |table: &toml::Table, key: &str| -> Result<Option<i128>, String> {
            match text(table, key) {
                None => Ok(None),
                Some(t) => {
                    let v = money(t).ok_or(format!("{key} {t}"))?;
                    if !(0..=MAX_AMOUNT_MILLIFEN).contains(&v) || v % unit != 0 {
                        return Err(format!("{key} {t} negative, too large or finer than scale {scale}"));
                    }
                    Ok(Some(v))
                }
            }
        };
        let amount_money = |table: &toml::Table, key: &str| -> Result<Option<i128>, String> {
            match text(table, key) {
                None => Ok(None),
                Some(t) => {
                    let v = money(t).ok_or(format!("{key} {t}"))?;
                    if !(0..=MAX_AMOUNT_MILLIFEN).contains(&v) || v % MILLIFEN_PER_FEN != 0 {
                        return Err(format!("{key} {t} is not a whole-fen amount"));
                    }
                    Ok(Some(v))
                }
            }
        };
        let mut versions: Vec<Version> = Vec::new();
        let list = root.get("versions").and_then(toml::Value::as_array).ok_or("no versions")?;
        if list.is_empty() {
            return Err("no versions".into());
        }
        for entry in list {
            let table = entry.as_table().ok_or("version")?;
            let from = instant(text(table, "effective_from").ok_or("effective_from")?).ok_or("effective_from")?;
            if versions.last().is_some_and(|last| last.from >= from) {
                return Err("versions out of order".into());
            }
            let mut rules: Vec<Rule> = Vec::new();
            for rule in table.get("rules").and_then(toml::Value::as_array).map_or(&[][..], |v| v.as_slice()) {
                let r = rule.as_table().ok_or("rule")?;
                let id = text(r, "id").ok_or("rule id")?.trim().to_string();
                if id.is_empty() || rules.iter().any(|other| other.id == id) {
                    return Err(format!("rule id {id:?} empty or repeated"));
                }
                let mut channels = strings(r.get("channels"));
                channels.dedup();
                if channels.is_empty() {
                    return Err(format!("rule {id}: no channels"));
                }
                let rate_e8 = rate(text(r, "rate").ok_or("rate")?).ok_or("rate")?;
                if !(0..=RATE_LIMIT_E8).contains(&rate_e8) {
                    return Err(format!("rule {id}: rate above 10%"));
                }
                let (cap, floor, fixed) = (fee_money(r, "cap")?, fee_money(r, "floor")?, fee_money(r, "fixed")?.unwrap_or(0));
                if let (Some(cap), Some(floor)) = (cap, floor) {
                    if cap < floor {
                        return Err(format!("rule {id}: cap below floor"));
                    }
                }
                let (over, up_to) = (amount_money(r, "amount_over")?, amount_money(r, "amount_up_to")?);
                if let (Some(over), Some(up_to)) = (over, up_to) {
                    if up_to <= over {
                        return Err(format!("rule {id}: empty band"));
                    }
                }
                let window = |key: &str| text(r, key).map(|t| instant(t).ok_or(format!("rule {id}: {key}"))).transpose();
                let (valid_from, valid_until) = (window("valid_from")?, window("valid_until")?);
                if let (Some(a), Some(b)) = (valid_from, valid_until) {
                    if b <= a {
                        return Err(format!("rule {id}: empty window"));
                    }
                }
                let class = text(r, "merchant_class").map(|c| c.trim().to_string());
                if class.as_deref() == Some("") {
                    return Err(format!("rule {id}: empty class"));
                }
                let priority = r.get("priority").and_then(toml::Value::as_integer).unwrap_or(0);
                rules.push(Rule {
                    id,
                    channels,
                    rate_e8,
                    cap,
                    floor,
                    fixed,
                    over,
                    up_to,
                    from: valid_from,
                    until: valid_until,
                    class,
                    card: text(r, "card_type").map(str::to_string),
                    priority,
                });
            }
            // Two rules that some trade could match, with the same priority and the same
            // number of conditions, leave the choice to file order: invalid.
            for (i, a) in rules.iter().enumerate() {
                for b in &rules[..i] {
                    if a.priority == b.priority && a.conditions() == b.conditions() && may_both_match(a, b) {
                        return Err(format!("rules {} and {} overlap with equal rank", b.id, a.id));
                    }
                }
            }
            let mut surcharges = Vec::new();
            for surcharge in table.get("surcharges").and_then(toml::Value::as_array).map_or(&[][..], |v| v.as_slice()) {
                let s = surcharge.as_table().ok_or("surcharge")?;
                let id = text(s, "id").ok_or("surcharge id")?.trim().to_string();
                let modes: Vec<Settle> =
                    strings(s.get("modes")).iter().map(|m| Settle::parse(m).ok_or("mode")).collect::<Result<_, _>>()?;
                if modes.is_empty() {
                    return Err(format!("surcharge {id}: no modes"));
                }
                let channels = s.get("channels").map(|v| strings(Some(v)));
                if channels.as_ref().is_some_and(Vec::is_empty) {
                    return Err(format!("surcharge {id}: empty channels"));
                }
                let rate_e8 = text(s, "rate").map(|t| rate(t).ok_or("surcharge rate")).transpose()?.unwrap_or(0);
                if !(0..=RATE_LIMIT_E8).contains(&rate_e8) {
                    return Err(format!("surcharge {id}: rate above 10%"));
                }
                let fallback = text(s, "fallback").map_or(Some(Settle::T(1)), Settle::parse).ok_or("fallback")?;
                if modes.contains(&fallback) {
                    return Err(format!("surcharge {id}: fallback is one of its modes"));
                }
                surcharges.push(Surcharge {
                    id,
                    modes,
                    channels,
                    fixed: fee_money(s, "fixed")?.unwrap_or(0),
                    rate_e8,
                    min: amount_money(s, "min_amount")?,
                    fallback,
                });
            }
            versions.push(Version { from, rules, surcharges });
        }
        Ok(Schedule { name, cutoff_seconds, proportional, mode, scale, versions })
    }

    /// `round(amount × rate)` in millifen at the schedule's mode and scale.
    pub fn times_rate(&self, amount: i128, rate_e8: i128) -> i128 {
        // amount (10⁻⁵ yuan) × rate (10⁻⁸) is in 10⁻¹³ yuan; a unit of the scale is 10^(13−scale) of those.
        let unit = 10i128.pow(5 - self.scale);
        self.mode.round(amount * rate_e8, 10i128.pow(8) * unit) * unit
    }

    /// Every merchant class some rule of some version names.
    pub fn classes(&self) -> BTreeSet<String> {
        self.versions.iter().flat_map(|v| v.rules.iter().filter_map(|r| r.class.clone())).collect()
    }

    pub fn version_at(&self, at: i64) -> Option<&Version> {
        self.versions.iter().rev().find(|v| v.from <= at)
    }

    /// The fee and applied mode of a purchase (no calendar involved).
    pub fn price(&self, trade: &Trade) -> Result<Priced, &'static str> {
        if trade.amount < 0 || trade.amount % MILLIFEN_PER_FEN != 0 || trade.amount > MAX_AMOUNT_MILLIFEN {
            return Err("invalid_amount");
        }
        let implied = match trade.channel.as_str() {
            "credit" => Some("credit"),
            "debit" => Some("debit"),
            _ => None,
        };
        let card = match (implied, trade.card.as_deref()) {
            (Some(a), Some(b)) if a != b => return Err("invalid_request"),
            (a, b) => b.or(a),
        };
        if let Some(class) = &trade.class {
            if !self.classes().contains(class) {
                return Err("invalid_request");
            }
        }
        let version = self.version_at(trade.at).ok_or("no_schedule_version")?;
        let matching: Vec<&Rule> = version.rules.iter().filter(|r| r.matches(trade, card)).collect();
        let best = matching.iter().map(|r| (r.priority, r.conditions())).max().ok_or("no_matching_rule")?;
        let winners: Vec<&&Rule> = matching.iter().filter(|r| (r.priority, r.conditions()) == best).collect();
        assert_eq!(winners.len(), 1, "the oracle finds a tie the schedule's validation should have refused: {winners:?}");
        let rule = winners[0];
        let before_limit = self.times_rate(trade.amount, rule.rate_e8);
        let mut rate_line = before_limit;
        let (mut capped, mut floored) = (false, false);
        if let Some(floor) = rule.floor {
            if rate_line < floor {
                rate_line = floor;
                floored = true;
            }
        }
        if let Some(cap) = rule.cap {
            if rate_line > cap {
                rate_line = cap;
                capped = true;
            }
        }
        // Instant payout below a surcharge's minimum falls back; the fallback mode's own
        // surcharges (and minimums) then apply.
        let mut settle = trade.settle;
        let mut fell_back = false;
        let mut fallbacks = 0;
        for _ in 0..8 {
            let short = version.surcharges.iter().find(|s| s.applies(settle, &trade.channel) && s.min.is_some_and(|m| trade.amount < m));
            match short {
                Some(s) => {
                    settle = s.fallback;
                    fell_back = true;
                    fallbacks += 1;
                }
                None => break,
            }
        }
        let surcharges: Vec<(String, i128)> = version
            .surcharges
            .iter()
            .filter(|s| s.applies(settle, &trade.channel))
            .map(|s| (s.id.clone(), self.times_rate(trade.amount, s.rate_e8) + s.fixed))
            .collect();
        let fee = rate_line + rule.fixed + surcharges.iter().map(|(_, line)| line).sum::<i128>();
        Ok(Priced {
            rule: rule.id.clone(),
            version_from: version.from,
            before_limit,
            rate_line,
            capped,
            floored,
            fixed: rule.fixed,
            surcharges,
            fee,
            settle,
            fell_back,
            fallbacks,
        })
    }

    /// The trade day of a trade at `at`: its China date, the next day at or after the cut-off.
    pub fn trade_day(&self, at: i64) -> NaiveDate {
        let time = local(at);
        let seconds = time.num_seconds_from_midnight();
        if self.cutoff_seconds > 0 && seconds >= self.cutoff_seconds {
            time.date() + Duration::days(1)
        } else {
            time.date()
        }
    }

    /// (trade day, settlement date) of a trade at `at` settling `settle`.
    pub fn settle(&self, at: i64, settle: Settle, days: &Days) -> Result<(NaiveDate, NaiveDate), &'static str> {
        let trade_day = self.trade_day(at);
        let on = match settle {
            Settle::S0 => local(at).date(),
            Settle::D(n) => trade_day + Duration::days(i64::from(n)),
            Settle::T(n) => days.working_after(trade_day, n).ok_or("calendar_out_of_range")?,
        };
        Ok((trade_day, on))
    }

    /// A purchase quote: price, then settlement.
    pub fn quote(&self, trade: &Trade, days: &Days) -> Result<Quoted, &'static str> {
        let priced = self.price(trade)?;
        let (trade_day, settles_on) = self.settle(trade.at, priced.settle, days)?;
        Ok(Quoted { priced, trade_day, settles_on })
    }

    /// A refund of `refund` (millifen) at `at` of the purchase `trade`: (fee returned, trade
    /// day, settlement date). Settles by the purchase's requested mode from the refund's own time.
    pub fn refund(&self, trade: &Trade, refund: i128, at: i64, days: &Days) -> Result<(i128, NaiveDate, NaiveDate), &'static str> {
        if refund < 0 || refund % MILLIFEN_PER_FEN != 0 || refund > MAX_AMOUNT_MILLIFEN {
            return Err("invalid_amount");
        }
        let purchase = self.quote(trade, days)?;
        if refund > trade.amount || at < trade.at {
            return Err("invalid_request");
        }
        let returned = if !self.proportional || trade.amount == 0 {
            0
        } else {
            // fee × refund / amount, rounded at the scale.
            let unit = 10i128.pow(5 - self.scale);
            self.mode.round(purchase.priced.fee * refund, trade.amount * unit) * unit
        };
        let (trade_day, on) = self.settle(at, trade.settle, days)?;
        Ok((returned, trade_day, on))
    }
}

fn may_both_match(a: &Rule, b: &Rule) -> bool {
    let channels = a.channels.iter().any(|c| b.channels.contains(c));
    let low = a.over.max(b.over);
    let high = match (a.up_to, b.up_to) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let band = match (low, high) {
        (Some(low), Some(high)) => high > low,
        _ => true,
    };
    let start = a.from.max(b.from);
    let end = match (a.until, b.until) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let window = match (start, end) {
        (Some(start), Some(end)) => end > start,
        _ => true,
    };
    let agree = |x: &Option<String>, y: &Option<String>| x.is_none() || y.is_none() || x == y;
    channels && band && window && agree(&a.class, &b.class) && agree(&a.card, &b.card)
}

/// The working-day table of mainland China, read from the calendar data file.
#[derive(Debug, Clone)]
pub struct Days {
    pub first: NaiveDate,
    pub working: Vec<bool>,
}

impl Days {
    /// Reads `core/data/calendar/china.toml`: Monday to Friday work, holiday ranges
    /// (`first`..=`last`) do not, make-up days (调休) do.
    pub fn china() -> Days {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/calendar/china.toml");
        Days::from_toml(&std::fs::read_to_string(path).unwrap())
    }

    pub fn from_toml(source: &str) -> Days {
        let root: toml::Table = source.parse().unwrap();
        let date = |value: &toml::Value| -> NaiveDate {
            let text = match value {
                toml::Value::Datetime(d) => d.to_string(),
                toml::Value::String(s) => s.clone(),
                other => panic!("not a date: {other:?}"),
            };
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap()
        };
        let years = root["years"].as_array().unwrap();
        let numbers: Vec<i32> = years.iter().map(|y| y["year"].as_integer().unwrap() as i32).collect();
        let first = NaiveDate::from_ymd_opt(*numbers.iter().min().unwrap(), 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(*numbers.iter().max().unwrap(), 12, 31).unwrap();
        let count = (last - first).num_days() as usize + 1;
        let mut working: Vec<bool> =
            (0..count).map(|k| !matches!((first + Duration::days(k as i64)).weekday(), Weekday::Sat | Weekday::Sun)).collect();
        let mut makeup = Vec::new();
        for year in years {
            for holiday in year.get("holidays").and_then(toml::Value::as_array).map_or(&[][..], |v| v.as_slice()) {
                let (from, to) = (date(&holiday["first"]), date(&holiday["last"]));
                let mut day = from;
                while day <= to {
                    working[(day - first).num_days() as usize] = false;
                    day += Duration::days(1);
                }
                makeup.extend(holiday.get("makeup_workdays").and_then(toml::Value::as_array).into_iter().flatten().map(date));
            }
        }
        for day in makeup {
            working[(day - first).num_days() as usize] = true;
        }
        Days { first, working }
    }

    pub fn is_working(&self, day: NaiveDate) -> Option<bool> {
        let k = (day - self.first).num_days();
        if k < 0 {
            return None;
        }
        self.working.get(k as usize).copied()
    }

    /// T0: the day itself when working, else the next working day; T+N (N ≥ 1): the N-th
    /// working day after `day`. None when a day to look at lies outside the data.
    pub fn working_after(&self, day: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut current = day;
        if n == 0 {
            while !self.is_working(current)? {
                current += Duration::days(1);
            }
            return Some(current);
        }
        let mut left = n;
        while left > 0 {
            current += Duration::days(1);
            if self.is_working(current)? {
                left -= 1;
            }
        }
        Some(current)
    }

    /// The last day of the data.
    pub fn last(&self) -> NaiveDate {
        self.first + Duration::days(self.working.len() as i64 - 1)
    }
}

/// Millifen as a yuan text with `decimals` decimals (for messages and derivations).
pub fn yuan(millifen: i128, decimals: u32) -> String {
    let sign = if millifen < 0 { "-" } else { "" };
    let value = millifen.abs();
    let whole = value / MILLIFEN_PER_YUAN;
    let fraction = value % MILLIFEN_PER_YUAN;
    let fraction = format!("{fraction:05}");
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{}", &fraction[..decimals as usize])
    }
}

/// The China-time date-time of Unix seconds (for messages).
pub fn china_text(unix: i64) -> String {
    local(unix).format("%Y-%m-%dT%H:%M:%S+08:00").to_string()
}

/// Days since the Unix epoch to a weekday check used by tests.
pub fn weekday(day: NaiveDate) -> Weekday {
    day.weekday()
}

pub fn hour(unix: i64) -> u32 {
    local(unix).hour()
}
