//! The schedule file format (TOML or JSON), its validation and printing.

use compact_str::CompactString;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{RefundPolicy, Rule, Schedule, Surcharge, Version, RATE_SANITY_LIMIT};
use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::money::Money;
use crate::rate::Rate;
use crate::rounding::Rounding;
use crate::settlement::{parse_china_time, CutOff, SettlementMode};

/// The largest number of versions, rules per version and surcharges per version.
const ITEMS_MAX: usize = 1_000;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleFile {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cutoff: Option<String>,
    #[serde(default)]
    refund_policy: RefundPolicy,
    rounding: Rounding,
    versions: Vec<VersionFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionFile {
    effective_from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default)]
    rules: Vec<RuleFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    surcharges: Vec<SurchargeFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    channels: Vec<Channel>,
    rate: Rate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cap: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    floor: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amount_over: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amount_up_to: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    merchant_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    card_type: Option<CardType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SurchargeFile {
    id: String,
    modes: Vec<SettlementMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    channels: Option<Vec<Channel>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rate: Option<Rate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_amount: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fallback: Option<SettlementMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

pub(super) fn from_toml(text: &str) -> Result<Schedule> {
    build(crate::config_toml::parse(text, ErrorKind::InvalidSchedule, "schedule TOML")?)
}

pub(super) fn from_json(text: &str) -> Result<Schedule> {
    crate::limits::check_config_text(text, ErrorKind::InvalidSchedule, "the schedule JSON")?;
    let file: ScheduleFile = serde_json::from_str(text).map_err(|e| {
        let at = if e.line() > 0 { Location::default().line(e.line() as u64).column(e.column() as u64) } else { Location::default() };
        Error::new(ErrorKind::InvalidSchedule, format!("schedule JSON is not valid: {e}")).at(at)
    })?;
    build(file)
}

pub(super) fn to_toml(schedule: &Schedule) -> String {
    toml::to_string(&to_file(schedule)).expect("a schedule always prints as TOML")
}

pub(super) fn to_json(schedule: &Schedule) -> String {
    serde_json::to_string_pretty(&to_file(schedule)).expect("a schedule always prints as JSON")
}

fn invalid(message: String, field: String) -> Error {
    Error::new(ErrorKind::InvalidSchedule, message).at(Location::default().field(field))
}

fn time_field(text: &str, field: &str) -> Result<DateTime<FixedOffset>> {
    parse_china_time(text).map_err(|e| Error::new(ErrorKind::InvalidSchedule, e.message().to_string()).in_field(field.to_string()))
}

fn channel_mask(channels: &[Channel]) -> u16 {
    channels.iter().fold(0, |mask, channel| mask | (1 << *channel as u16))
}

fn build(file: ScheduleFile) -> Result<Schedule> {
    let name = file.name.trim().to_string();
    if name.is_empty() {
        return Err(invalid("a schedule needs a non-empty name".to_string(), "name".to_string()));
    }
    let rounding = Rounding::new(file.rounding.mode, file.rounding.scale).map_err(|e| e.in_field("rounding.scale"))?;
    let cutoff = match &file.cutoff {
        Some(text) => {
            CutOff::parse(text).map_err(|e| Error::new(ErrorKind::InvalidSchedule, e.message().to_string()).in_field("cutoff"))?
        }
        None => CutOff::MIDNIGHT,
    };
    if file.versions.is_empty() {
        return Err(invalid(format!("schedule {name:?} has no versions"), "versions".to_string()));
    }
    if file.versions.len() > ITEMS_MAX {
        return Err(invalid(format!("schedule {name:?} has more than {ITEMS_MAX} versions"), "versions".to_string()));
    }
    let mut versions = Vec::with_capacity(file.versions.len());
    for (index, version) in file.versions.into_iter().enumerate() {
        versions.push(build_version(version, index, rounding)?);
    }
    for (index, pair) in versions.windows(2).enumerate() {
        if pair[1].effective_from <= pair[0].effective_from {
            return Err(invalid(
                format!(
                    "versions must be in increasing order of effective_from: {} does not follow {}",
                    pair[1].effective_from.to_rfc3339(),
                    pair[0].effective_from.to_rfc3339()
                ),
                format!("versions[{}].effective_from", index + 1),
            ));
        }
    }
    Ok(Schedule {
        name: CompactString::from(name),
        title: file.title,
        title_zh: file.title_zh,
        source: file.source,
        rounding,
        refund_policy: file.refund_policy,
        cutoff,
        versions,
    })
}

fn build_version(file: VersionFile, index: usize, rounding: Rounding) -> Result<Version> {
    let place = format!("versions[{index}]");
    let effective_from = time_field(&file.effective_from, &format!("{place}.effective_from"))?;
    let version_name = format!("version from {}", effective_from.to_rfc3339());
    if file.rules.len() > ITEMS_MAX || file.surcharges.len() > ITEMS_MAX {
        return Err(invalid(format!("{version_name} has more than {ITEMS_MAX} rules or surcharges"), place));
    }
    let rules = file
        .rules
        .into_iter()
        .enumerate()
        .map(|(i, rule)| build_rule(rule, &format!("{place}.rules[{i}]"), &version_name, rounding))
        .collect::<Result<Vec<_>>>()?;
    for (i, rule) in rules.iter().enumerate() {
        if let Some(first) = rules[..i].iter().position(|r| r.id == rule.id) {
            return Err(invalid(
                format!("{version_name}: rule id {:?} is used twice (rules {first} and {i})", &*rule.id),
                format!("{place}.rules[{i}].id"),
            ));
        }
        for other in &rules[..i] {
            if rule.overlaps(other) && rule.rank() == other.rank() {
                return Err(invalid(
                    format!(
                        "{version_name}: rules {:?} and {:?} can both match the same trade and neither is more specific; \
                         give one a higher priority or make their channels, amount bands, windows, merchant classes \
                         or card types disjoint",
                        &*other.id, &*rule.id
                    ),
                    format!("{place}.rules[{i}]"),
                ));
            }
        }
    }
    let surcharges = file
        .surcharges
        .into_iter()
        .enumerate()
        .map(|(i, surcharge)| build_surcharge(surcharge, &format!("{place}.surcharges[{i}]"), &version_name, rounding))
        .collect::<Result<Vec<_>>>()?;
    Ok(Version::build(effective_from, file.note, rules, surcharges))
}

fn check_fee_money(value: Money, what: &str, owner: &str, field: String, rounding: Rounding) -> Result<()> {
    if value.is_negative() {
        return Err(invalid(format!("{owner}: {what} ¥{value} is negative"), field));
    }
    if value > Money::MAX_AMOUNT {
        return Err(invalid(format!("{owner}: {what} ¥{value} exceeds ¥{}", Money::MAX_AMOUNT), field));
    }
    if !rounding.represents(value) {
        return Err(invalid(format!("{owner}: {what} ¥{value} has more decimals than the rounding scale {}", rounding.scale), field));
    }
    Ok(())
}

fn check_rate(rate: Rate, owner: &str, field: String) -> Result<()> {
    if rate > RATE_SANITY_LIMIT {
        return Err(invalid(
            format!(
                "{owner}: rate {rate} is above the sanity limit {RATE_SANITY_LIMIT} (did you mean {}%?)",
                rate.to_decimal().normalize()
            ),
            field,
        ));
    }
    Ok(())
}

fn build_rule(file: RuleFile, place: &str, version_name: &str, rounding: Rounding) -> Result<Rule> {
    let id = file.id.trim().to_string();
    if id.is_empty() {
        return Err(invalid(format!("{version_name}: a rule needs a non-empty id"), format!("{place}.id")));
    }
    let owner = format!("{version_name}, rule {id:?}");
    if file.channels.is_empty() {
        return Err(invalid(format!("{owner}: channels is empty"), format!("{place}.channels")));
    }
    check_rate(file.rate, &owner, format!("{place}.rate"))?;
    for (value, what) in [
        (file.cap, "cap"),
        (file.floor, "floor"),
        (file.fixed, "fixed"),
        (file.amount_over, "amount_over"),
        (file.amount_up_to, "amount_up_to"),
    ] {
        if let Some(value) = value {
            check_fee_money(
                value,
                what,
                &owner,
                format!("{place}.{what}"),
                if what.starts_with("amount") { Rounding::FEN_HALF_UP } else { rounding },
            )?;
        }
    }
    if let (Some(cap), Some(floor)) = (file.cap, file.floor) {
        if cap < floor {
            return Err(invalid(format!("{owner}: cap ¥{cap} is below floor ¥{floor}"), format!("{place}.cap")));
        }
    }
    if let (Some(over), Some(up_to)) = (file.amount_over, file.amount_up_to) {
        if up_to <= over {
            return Err(invalid(format!("{owner}: amount band (¥{over}, ¥{up_to}] is empty"), format!("{place}.amount_up_to")));
        }
    }
    let valid_from = file.valid_from.as_deref().map(|t| time_field(t, &format!("{place}.valid_from"))).transpose()?;
    let valid_until = file.valid_until.as_deref().map(|t| time_field(t, &format!("{place}.valid_until"))).transpose()?;
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if until <= from {
            return Err(invalid(
                format!("{owner}: validity window ends ({}) before it starts ({})", until.to_rfc3339(), from.to_rfc3339()),
                format!("{place}.valid_until"),
            ));
        }
    }
    let merchant_class = file.merchant_class.map(|c| c.trim().to_string());
    if merchant_class.as_deref() == Some("") {
        return Err(invalid(format!("{owner}: merchant_class is empty"), format!("{place}.merchant_class")));
    }
    let mut channels = file.channels;
    channels.dedup();
    Ok(Rule {
        id: CompactString::from(id),
        channel_mask: channel_mask(&channels),
        channels,
        rate: file.rate,
        cap: file.cap,
        floor: file.floor,
        fixed: file.fixed.unwrap_or(Money::ZERO),
        amount_over: file.amount_over,
        amount_up_to: file.amount_up_to,
        valid_from,
        valid_until,
        merchant_class,
        card_type: file.card_type,
        priority: file.priority.unwrap_or(0),
        note: file.note,
    })
}

fn build_surcharge(file: SurchargeFile, place: &str, version_name: &str, rounding: Rounding) -> Result<Surcharge> {
    let id = file.id.trim().to_string();
    if id.is_empty() {
        return Err(invalid(format!("{version_name}: a surcharge needs a non-empty id"), format!("{place}.id")));
    }
    let owner = format!("{version_name}, surcharge {id:?}");
    if file.modes.is_empty() {
        return Err(invalid(format!("{owner}: modes is empty"), format!("{place}.modes")));
    }
    let rate = file.rate.unwrap_or(Rate::ZERO);
    check_rate(rate, &owner, format!("{place}.rate"))?;
    let fixed = file.fixed.unwrap_or(Money::ZERO);
    check_fee_money(fixed, "fixed", &owner, format!("{place}.fixed"), rounding)?;
    if let Some(min_amount) = file.min_amount {
        check_fee_money(min_amount, "min_amount", &owner, format!("{place}.min_amount"), Rounding::FEN_HALF_UP)?;
    }
    let fallback = file.fallback.unwrap_or(SettlementMode::T(1));
    if file.modes.contains(&fallback) {
        return Err(invalid(format!("{owner}: fallback {fallback} is one of the surcharged modes"), format!("{place}.fallback")));
    }
    let channels = match file.channels {
        Some(channels) if channels.is_empty() => {
            return Err(invalid(format!("{owner}: channels is empty (leave it out for every channel)"), format!("{place}.channels")))
        }
        Some(channels) => channels,
        None => Channel::ALL.to_vec(),
    };
    Ok(Surcharge {
        id: CompactString::from(id),
        modes: file.modes,
        channel_mask: channel_mask(&channels),
        channels,
        fixed,
        rate,
        min_amount: file.min_amount,
        fallback,
        note: file.note,
    })
}

fn to_file(schedule: &Schedule) -> ScheduleFile {
    let time = |t: DateTime<FixedOffset>| t.to_rfc3339();
    ScheduleFile {
        name: schedule.name.to_string(),
        title: schedule.title.clone(),
        title_zh: schedule.title_zh.clone(),
        source: schedule.source.clone(),
        cutoff: (schedule.cutoff != CutOff::MIDNIGHT).then(|| schedule.cutoff.to_string()),
        refund_policy: schedule.refund_policy,
        rounding: schedule.rounding,
        versions: schedule
            .versions
            .iter()
            .map(|version| VersionFile {
                effective_from: time(version.effective_from),
                note: version.note.clone(),
                rules: version
                    .rules
                    .iter()
                    .map(|rule| RuleFile {
                        id: rule.id.to_string(),
                        channels: rule.channels.clone(),
                        rate: rule.rate,
                        cap: rule.cap,
                        floor: rule.floor,
                        fixed: (!rule.fixed.is_zero()).then_some(rule.fixed),
                        amount_over: rule.amount_over,
                        amount_up_to: rule.amount_up_to,
                        valid_from: rule.valid_from.map(time),
                        valid_until: rule.valid_until.map(time),
                        merchant_class: rule.merchant_class.clone(),
                        card_type: rule.card_type,
                        priority: (rule.priority != 0).then_some(rule.priority),
                        note: rule.note.clone(),
                    })
                    .collect(),
                surcharges: version
                    .surcharges
                    .iter()
                    .map(|surcharge| SurchargeFile {
                        id: surcharge.id.to_string(),
                        modes: surcharge.modes.clone(),
                        // Every channel is left out; a list naming some channels (even one repeated) is written.
                        channels: (surcharge.channel_mask != channel_mask(&Channel::ALL)).then(|| surcharge.channels.clone()),
                        fixed: (!surcharge.fixed.is_zero()).then_some(surcharge.fixed),
                        rate: (surcharge.rate != Rate::ZERO).then_some(surcharge.rate),
                        min_amount: surcharge.min_amount,
                        fallback: Some(surcharge.fallback),
                        note: surcharge.note.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Schedule files are read with basic-toml; every preset reads exactly as with `toml`.
    #[test]
    fn presets_read_as_with_the_toml_crate() {
        for name in crate::presets() {
            let text = crate::preset_toml(name).unwrap();
            let with_toml = build(toml::from_str::<ScheduleFile>(text).unwrap()).unwrap();
            assert_eq!(from_toml(text).unwrap(), with_toml, "{name}");
            assert_eq!(from_toml(&to_toml(&with_toml)).unwrap(), with_toml, "{name}");
        }
    }

    /// Found by fuzzing (parse_schedule, 2026-11-29): a surcharge listing eight entries, one
    /// channel twice and so not credit, was written back by `to_toml` as "every channel" (it
    /// compared the list's length with the number of channels).
    #[test]
    fn a_surcharge_with_a_channel_listed_twice_round_trips() {
        let text = "name = \"x\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n[[versions]]\neffective_from = \"2026-01-01\"\n\
                    [[versions.rules]]\nid = \"r\"\nchannels = [\"debit\", \"wechat\", \"debit\"]\nrate = \"0.6%\"\n\
                    [[versions.surcharges]]\nid = \"d0\"\nmodes = [\"D0\"]\nfixed = \"3\"\nchannels = [\"debit\", \"debit\", \"wechat\", \
                    \"alipay\", \"unionpay_qr\", \"quickpass\", \"huabei\", \"jd_baitiao\"]\n";
        let schedule = from_toml(text).unwrap();
        let surcharge = &schedule.versions[0].surcharges[0];
        assert!(!surcharge.applies_to(crate::SettlementMode::D(0), Channel::Credit));
        let again = from_toml(&to_toml(&schedule)).unwrap();
        assert_eq!(again, schedule);
        assert!(!again.versions[0].surcharges[0].applies_to(crate::SettlementMode::D(0), Channel::Credit));
        // A channel listed twice is listed, not toggled off.
        assert!(surcharge.applies_to(crate::SettlementMode::D(0), Channel::Debit));
        let at = crate::parse_china_time("2026-05-06").unwrap();
        let quote = schedule.quote(&crate::QuoteRequest::new(crate::Money::from_yuan(100), Channel::Debit, at)).unwrap();
        assert_eq!(quote.rule, "r");
    }

    const HEAD: &str = "name = \"x\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n";

    fn rule(k: usize) -> String {
        format!("[[versions.rules]]\nid = \"r{k}\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\npriority = {k}\n")
    }

    fn refused_with(text: &str, needle: &str) {
        let error = from_toml(text).unwrap_err();
        assert!(error.message().contains(needle), "{error}");
    }

    #[test]
    fn a_thousand_versions_rules_and_surcharges_and_no_more() {
        let versions =
            |n: usize| (0..n).map(|k| format!("[[versions]]\neffective_from = \"{}-01-01\"\n{}", 2000 + k, rule(0))).collect::<String>();
        // Years 2000 to 2999 (a version per year).
        assert_eq!(from_toml(&format!("{HEAD}{}", versions(ITEMS_MAX))).unwrap().versions().len(), ITEMS_MAX);
        refused_with(&format!("{HEAD}{}", versions(ITEMS_MAX + 1)), "more than 1000 versions");
        let version = "[[versions]]\neffective_from = \"2026-01-01\"\n";
        let rules = |n: usize| (0..n).map(rule).collect::<String>();
        assert_eq!(from_toml(&format!("{HEAD}{version}{}", rules(ITEMS_MAX))).unwrap().versions()[0].rules().len(), ITEMS_MAX);
        refused_with(&format!("{HEAD}{version}{}", rules(ITEMS_MAX + 1)), "more than 1000 rules or surcharges");
        let surcharges = |n: usize| {
            (0..n)
                .map(|k| format!("[[versions.surcharges]]\nid = \"s{k}\"\nmodes = [\"D{}\"]\nfixed = \"1\"\n", k % 60))
                .collect::<String>()
        };
        let many = from_toml(&format!("{HEAD}{version}{}{}", rule(0), surcharges(ITEMS_MAX)));
        assert_eq!(many.map(|s| s.versions()[0].surcharges().len()).map_err(|e| e.to_string()), Ok(ITEMS_MAX));
        refused_with(&format!("{HEAD}{version}{}{}", rule(0), surcharges(ITEMS_MAX + 1)), "more than 1000 rules or surcharges");
    }

    #[test]
    fn a_fee_may_be_the_largest_amount_and_no_more() {
        let with_cap = |cap: &str| {
            from_toml(&format!("{HEAD}[[versions]]\neffective_from = \"2026-01-01\"\n[[versions.rules]]\nid = \"r\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\ncap = \"{cap}\"\n"))
        };
        assert_eq!(with_cap("1000000000").unwrap().versions()[0].rules()[0].cap(), Some(crate::Money::MAX_AMOUNT));
        assert!(with_cap("1000000000.01").unwrap_err().message().contains("exceeds"));
    }

    #[test]
    fn json_errors_name_the_line_and_column() {
        let error = from_json("{\n  \"name\": \"x\",\n  \"rounding\": }").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSchedule);
        assert_eq!((error.location().line, error.location().column.is_some()), (Some(3), true), "{error}");
    }

    /// TOML errors name the value or key, the line and the column of the value.
    #[test]
    fn toml_errors_name_the_value_and_place() {
        let standard = crate::preset_toml("standard").unwrap();
        let line = standard.lines().position(|l| l.starts_with("cap = \"20\"")).unwrap() + 1;
        for (text, needles) in [
            (
                standard.replacen("cap = \"20\"", "cap = \"x\"", 1),
                vec![format!("line {line} column 7"), "\"x\"".to_string(), "cap".to_string()],
            ),
            (standard.replacen("cap = \"20\"", "cap = 20", 1), vec![format!("line {line} column 7"), "integer `20`".to_string()]),
            (standard.replacen("rate = \"0.60%\"", "rate = \"6 percent\"", 1), vec!["\"6 percent\"".to_string(), "column 8".to_string()]),
            (standard.replacen("cap = \"20\"", "capp = \"20\"", 1), vec!["unknown field `capp`".to_string(), "line".to_string()]),
            ("name = \"broken\"\nrate = [\n".to_string(), vec!["line 3".to_string()]),
            ("name = \"x\"\nname = \"y\"\n".to_string(), vec!["duplicate key: `name`".to_string(), "line 2".to_string()]),
        ] {
            let err = from_toml(&text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSchedule);
            let message = err.to_string();
            assert!(message.starts_with("schedule TOML is not valid: "), "{message}");
            for needle in needles {
                assert!(message.contains(&needle), "{needle:?} not in {message}");
            }
        }
    }
}
