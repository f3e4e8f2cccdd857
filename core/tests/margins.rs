//! Agent margins against a computation written here: walk each trade's agent chain by hand,
//! price each level with its own schedule, subtract.

use std::collections::HashMap;

use posfee::reconcile::simulation::{generate, SimulationOptions};
use posfee::reconcile::{margins, AgentTree, Ledger, LedgerRecord, Registry};
use posfee::{parse_china_time, Calendar, CalendarPolicy, Channel, Money, QuoteRequest, Schedule};

/// A cost schedule: debit 0.50% capped at `debit_cap`, credit `credit_rate`, QR 0.30%.
fn cost_schedule(name: &str, credit_rate: &str, debit_cap: &str) -> String {
    format!(
        "name = \"{name}\"\ncutoff = \"23:00\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n\
         [[versions]]\neffective_from = \"2020-01-01\"\n\
         [[versions.rules]]\nid = \"credit\"\nchannels = [\"credit\"]\nrate = \"{credit_rate}\"\n\
         [[versions.rules]]\nid = \"debit\"\nchannels = [\"debit\"]\nrate = \"0.50%\"\ncap = \"{debit_cap}\"\n\
         [[versions.rules]]\nid = \"qr\"\nchannels = [\"wechat\", \"alipay\"]\nrate = \"0.30%\"\n"
    )
}

#[test]
fn margins_equal_a_chain_walked_by_hand_and_every_trade_balances() {
    let tomls: HashMap<&str, String> = [
        ("top.toml", cost_schedule("top", "0.50%", "18")),
        ("mid.toml", cost_schedule("mid", "0.53%", "19")),
        ("low.toml", cost_schedule("low", "0.55%", "25")),
    ]
    .into();
    let agents = AgentTree::from_csv(
        "agent,parent,cost_schedule,name\nprovince,,top.toml,省代\ncity,province,mid.toml,市代\nshop-agent,city,low.toml,\n",
        "agents.csv",
        |cell| Schedule::from_toml(&tomls[cell]),
    )
    .unwrap();
    // Merchants: one signed by each level.
    let registry = Registry::from_csv(
        "merchant_no,schedule,agent,terminals\n\
         102310058120001,sft-traditional,shop-agent,T0000001\n\
         102310054110002,standard,city,T0000002\n\
         102310059990003,sft-smart,province,T0000003\n",
        "merchants.csv",
        Schedule::preset,
    )
    .unwrap();
    let sample = generate(&SimulationOptions::new(5).trades(3_000)).unwrap();
    // A third of the trades name their card type (priced by quote, not by the compiled
    // kernels); a few name one their channel contradicts (not priced).
    let mut ledger = Ledger::new("trades");
    for i in 0..sample.ledger.len() {
        let mut trade = sample.ledger.record(i);
        if i % 3 == 0 {
            trade.card_type = trade.channel.card_type();
        }
        if i % 101 == 0 && trade.channel == Channel::Credit {
            trade.card_type = Some(posfee::CardType::Debit);
        }
        ledger.push(trade).unwrap();
    }
    let report = margins(&ledger, &registry, &agents, Calendar::china()).unwrap();

    // By hand.
    let parent: HashMap<&str, Option<&str>> = [("province", None), ("city", Some("province")), ("shop-agent", Some("city"))].into();
    let cost: HashMap<&str, Schedule> = [
        ("province", Schedule::from_toml(&tomls["top.toml"]).unwrap()),
        ("city", Schedule::from_toml(&tomls["mid.toml"]).unwrap()),
        ("shop-agent", Schedule::from_toml(&tomls["low.toml"]).unwrap()),
    ]
    .into();
    let merchant_of: HashMap<&str, (&str, &str)> =
        [("T0000001", ("sft-traditional", "shop-agent")), ("T0000002", ("standard", "city")), ("T0000003", ("sft-smart", "province"))]
            .into();
    let mut expected: Vec<(usize, String, Money, Money)> = Vec::new(); // (trade, agent, cost, margin)
    let mut by_agent: HashMap<String, Money> = HashMap::new();
    let mut negative = 0;
    for i in 0..ledger.len() {
        let trade = ledger.record(i);
        if trade.kind != posfee::TradeKind::Purchase || trade.response_code != "00" {
            continue;
        }
        let (preset, signer) = merchant_of[trade.terminal.as_str()];
        let mut request = QuoteRequest::new(trade.amount, trade.channel, trade.time).calendar_policy(CalendarPolicy::WeekendsOnly);
        request.card_type = trade.card_type;
        let Ok(merchant_fee) = Schedule::preset(preset).unwrap().quote(&request).map(|q| q.fee) else { continue };
        let mut above = merchant_fee;
        let mut agent = Some(signer);
        while let Some(id) = agent {
            let level_cost = cost[id].quote(&request).unwrap().fee;
            let margin = above - level_cost;
            negative += usize::from(margin < Money::ZERO);
            *by_agent.entry(id.to_string()).or_default() = by_agent.get(id).copied().unwrap_or_default() + margin;
            expected.push((i, id.to_string(), level_cost, margin));
            above = level_cost;
            agent = parent[id];
        }
    }
    let got: Vec<(usize, String, Money, Money)> = report.rows.iter().map(|r| (r.trade, r.agent.to_string(), r.cost, r.margin)).collect();
    assert_eq!(got, expected);
    assert!(expected.len() > 3_000, "{} levels priced", expected.len());
    let with_card_type = report.rows.iter().filter(|r| ledger.record(r.trade).card_type.is_some()).count();
    assert!(with_card_type > 1_000, "{with_card_type} levels of trades with a card type");
    // Every approved purchase whose card type its channel contradicts is listed, none priced.
    let contradicted: Vec<usize> = (0..ledger.len())
        .filter(|&i| {
            let trade = ledger.record(i);
            trade.kind == posfee::TradeKind::Purchase
                && trade.response_code == "00"
                && trade.card_type == Some(posfee::CardType::Debit)
                && trade.channel == Channel::Credit
        })
        .collect();
    let listed: Vec<usize> = report.skipped.iter().filter(|(_, why)| why.contains("contradicts")).map(|&(i, _)| i).collect();
    assert!(!contradicted.is_empty());
    assert_eq!(listed, contradicted);
    for totals in &report.by_agent {
        assert_eq!(totals.margin, by_agent[&totals.key], "{}", totals.key);
    }
    assert_eq!(report.merchant_fee, report.top_cost + report.margin);
    // shop-agent buys debit capped at ¥25 and sells sft-traditional capped at ¥20: big debit
    // trades have a negative margin, and say so.
    assert!(negative > 0);
    assert_eq!(report.by_agent.iter().map(|t| t.negative_trades).sum::<u64>(), negative as u64);
    let (zh, en) =
        report.findings.iter().find(|(_, en)| en.contains("shop-agent") && en.contains("debit")).expect("a negative-margin finding");
    assert!(en.contains("agent shop-agent earns a negative margin on merchant 102310058120001's debit trades"), "{en}");
    assert!(zh.contains("分润为负"), "{zh}");
    // Months and merchants sum to the same margins.
    let sum = |totals: &[posfee::reconcile::MarginTotals]| totals.iter().map(|t| t.margin).fold(Money::ZERO, |a, b| a + b);
    assert_eq!(sum(&report.by_month), report.margin);
    assert_eq!(sum(&report.by_merchant), report.margin);
    assert!(report.to_csv().lines().count() == report.rows.len() + 1);
    // Each month and merchant of the rows is a total, once an agent, in order.
    let keys = |totals: &[posfee::reconcile::MarginTotals]| totals.iter().map(|t| (t.key.clone(), t.agent.clone())).collect::<Vec<_>>();
    let of_rows = |key: fn(&posfee::reconcile::MarginRow) -> String| {
        report
            .rows
            .iter()
            .map(|row| (key(row), row.agent.to_string()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&report.by_month), of_rows(|row| row.date.format("%Y-%m").to_string()));
    assert_eq!(keys(&report.by_merchant), of_rows(|row| row.merchant_no.to_string()));
}

#[test]
fn trades_that_cannot_be_priced_are_listed_not_dropped() {
    let registry = Registry::from_csv(
        "merchant_no,schedule,agent,terminals\n102310058120001,standard,ghost,T1\n102310054110002,standard,,T2\n",
        "m.csv",
        Schedule::preset,
    )
    .unwrap();
    let agents = AgentTree::from_csv("agent,parent,cost_schedule\nprovince,,standard\n", "a.csv", Schedule::preset).unwrap();
    let mut ledger = Ledger::new("trades");
    for (k, terminal) in ["T1", "T2", "T9"].iter().enumerate() {
        let mut trade =
            LedgerRecord::new(format!("A{k}"), parse_china_time("2026-03-02 10:00").unwrap(), Money::from_yuan(100), Channel::Credit);
        trade.terminal = terminal.to_string();
        ledger.push(trade).unwrap();
    }
    let report = margins(&ledger, &registry, &agents, Calendar::china()).unwrap();
    assert!(report.rows.is_empty());
    let reasons: Vec<&str> = report.skipped.iter().map(|(_, why)| why.as_str()).collect();
    assert_eq!(reasons.len(), 3);
    assert!(reasons[0].contains("unknown agent \"ghost\""), "{reasons:?}");
    assert!(reasons[1].contains("has no agent"), "{reasons:?}");
    assert!(reasons[2].contains("terminal \"T9\""), "{reasons:?}");
}

#[test]
fn bad_agent_files_name_the_row() {
    let cases = [
        ("agent,parent,cost_schedule\na,,standard\na,,standard\n", 3, "agent", "listed twice"),
        ("agent,parent,cost_schedule\na,b,standard\n", 2, "parent", "unknown parent \"b\""),
        ("agent,parent,cost_schedule\na,b,standard\nb,a,standard\n", 2, "parent", "cycle"),
        ("agent,cost_schedule,colour\na,standard,red\n", 1, "colour", "unknown column"),
        ("agent,parent\na,\n", 1, "cost_schedule", "no cost_schedule column"),
    ];
    for (text, line, field, message) in cases {
        let err = AgentTree::from_csv(text, "agents.csv", Schedule::preset).unwrap_err();
        assert_eq!((err.location().line, err.location().field.as_deref()), (Some(line), Some(field)), "{err}");
        assert!(err.to_string().contains(message), "{err}");
    }
    // Deeper than the limit.
    let mut text = String::from("agent,parent,cost_schedule\na0,,standard\n");
    for k in 1..=posfee::reconcile::AGENT_DEPTH_MAX {
        text.push_str(&format!("a{k},a{},standard\n", k - 1));
    }
    let err = AgentTree::from_csv(&text, "agents.csv", Schedule::preset).unwrap_err();
    assert!(err.to_string().contains("levels deep"), "{err}");
}

#[test]
fn a_negative_margin_of_one_trade_says_1_trade() {
    let agents = AgentTree::from_csv("agent,parent,cost_schedule\nshop-agent,,low.toml\n", "agents.csv", |_| {
        Schedule::from_toml(&cost_schedule("low", "0.55%", "25"))
    })
    .unwrap();
    let registry =
        Registry::from_csv("merchant_no,schedule,agent,terminals\n102310058120001,standard,shop-agent,T1\n", "m.csv", Schedule::preset)
            .unwrap();
    let mut ledger = Ledger::new("trades");
    // ¥4,800 debit: the merchant pays its ¥20 cap, the agent's cost is 0.50% = ¥24.
    let mut trade = LedgerRecord::new("A1", parse_china_time("2026-03-10 10:00").unwrap(), Money::from_yuan(4_800), Channel::Debit);
    trade.terminal = "T1".into();
    ledger.push(trade).unwrap();
    let report = margins(&ledger, &registry, &agents, Calendar::china()).unwrap();
    assert_eq!(report.margin, Money::from_yuan(-4));
    let (zh, en) = &report.findings[0];
    assert!(en.ends_with("debit trades: 1 trade, ¥-4.00 in total (the merchant is priced below the agent's cost)"), "{en}");
    assert!(zh.contains("：1笔，合计¥-4.00"), "{zh}");
}

#[test]
fn a_portable_registry_and_agent_tree_give_the_same_margins() {
    use posfee::reconcile::simulation::{generate_portfolio, PortfolioOptions};
    let portfolio = generate_portfolio(&PortfolioOptions::new(8).merchants(6).trades_per_merchant(300)).unwrap();
    let registry = Registry::from_portable(&portfolio.registry.to_portable()).unwrap();
    let agents = AgentTree::from_portable(&portfolio.agents.to_portable()).unwrap();
    let original = margins(&portfolio.ledger, &portfolio.registry, &portfolio.agents, Calendar::china()).unwrap();
    let copy = margins(&portfolio.ledger, &registry, &agents, Calendar::china()).unwrap();
    assert_eq!(copy.to_csv(), original.to_csv());
    assert_eq!((copy.margin, copy.findings.len()), (original.margin, original.findings.len()));
    assert!(AgentTree::from_portable(&portfolio.registry.to_portable()).is_err());
}

#[test]
fn each_trade_is_its_terminals_merchant_on_its_china_day() {
    // T1 moves from a merchant signed by `city` to one signed by `town` on 2026-03-10 (China
    // time); a trade without a terminal is found by its merchant number; a refund earns nothing.
    let registry = Registry::from_csv(
        "merchant_no,schedule,agent,terminals,from,until\n\
         102310058120001,standard,city,T1,,2026-03-10\n\
         102310054110002,standard,town,T1,2026-03-10,\n\
         102310059990003,standard,town,T3,,\n",
        "m.csv",
        Schedule::preset,
    )
    .unwrap();
    let agents = AgentTree::from_csv("agent,parent,cost_schedule\ncity,,standard\ntown,,standard\n", "a.csv", Schedule::preset).unwrap();
    let mut ledger = Ledger::new("trades");
    let trades = [
        ("A1", "2026-03-09 23:59:59", "T1", ""),
        ("A2", "2026-03-10 00:00:00", "T1", ""),
        ("A3", "2026-03-09 12:00:00", "", "102310059990003"),
        ("A4", "2026-03-09 12:00:00", "", ""),
        ("A5", "2026-03-09 12:00:00", "T9", "102310059990003"),
    ];
    for (id, time, terminal, merchant_no) in trades {
        let mut trade = LedgerRecord::new(id, parse_china_time(time).unwrap(), Money::from_yuan(100), Channel::Credit);
        trade.terminal = terminal.into();
        trade.merchant_no = merchant_no.into();
        ledger.push(trade).unwrap();
    }
    let mut refund = LedgerRecord::new("R1", parse_china_time("2026-03-11 10:00").unwrap(), Money::from_yuan(100), Channel::Credit);
    refund.terminal = "T1".into();
    refund.kind = posfee::TradeKind::Refund;
    refund.original_rrn = "000000000001".into();
    ledger.push(refund).unwrap();
    let report = margins(&ledger, &registry, &agents, Calendar::china()).unwrap();
    let rows: Vec<(&str, String, &str, &str)> =
        report.rows.iter().map(|r| (&*r.trade_id, r.date.to_string(), &*r.merchant_no, &*r.agent)).collect();
    assert_eq!(
        rows,
        [
            ("A1", "2026-03-09".to_string(), "102310058120001", "city"),
            ("A2", "2026-03-10".to_string(), "102310054110002", "town"),
            ("A3", "2026-03-09".to_string(), "102310059990003", "town"),
        ]
    );
    // A trade with neither, and one with an unknown terminal (its merchant number is not asked).
    let skipped: Vec<(usize, &str)> = report.skipped.iter().map(|(i, why)| (*i, why.as_str())).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!((skipped[0].0, skipped[1].0), (3, 4));
    assert!(skipped[0].1.contains("terminal \"\" on 2026-03-09"), "{skipped:?}");
    assert!(skipped[1].1.contains("terminal \"T9\" on 2026-03-09"), "{skipped:?}");
}

#[test]
fn totals_are_the_rows_summed_by_agent_merchant_and_month_across_a_month_end() {
    let agents = AgentTree::from_csv(
        "agent,parent,cost_schedule\nprovince,,standard\ncity,province,sft-smart\ntown,province,sft-smart\n",
        "agents.csv",
        Schedule::preset,
    )
    .unwrap();
    // Merchant 1 changes contract on 2026-11-01 (its totals stay one merchant's); T3 moves
    // from a merchant of `town` to one of `city` on 2026-11-08.
    let registry = Registry::from_csv(
        "merchant_no,schedule,agent,terminals,from,until\n\
         102310058120001,sft-traditional,city,T0000001,,2026-11-01\n\
         102310058120001,standard,city,T0000001,2026-11-01,\n\
         102310054110002,standard,town,T0000002;T0000003,,2026-11-08\n\
         102310054110002,standard,town,T0000002,2026-11-08,\n\
         102310059990003,sft-traditional,city,T0000003,2026-11-08,\n",
        "merchants.csv",
        Schedule::preset,
    )
    .unwrap();
    let mut options = SimulationOptions::new(11).trades(4_000);
    (options.start, options.days) = (posfee::parse_date("2026-10-20").unwrap(), 30);
    let sample = generate(&options).unwrap();
    let report = margins(&sample.ledger, &registry, &agents, Calendar::china()).unwrap();
    assert!(report.skipped.is_empty(), "{:?}", &report.skipped[..report.skipped.len().min(3)]);
    type Sums = std::collections::BTreeMap<(String, String), (u64, Money, Money, Money, u64)>;
    let by = |key: &dyn Fn(&posfee::reconcile::MarginRow) -> (String, String)| {
        let mut sums = Sums::new();
        for row in &report.rows {
            let entry = sums.entry(key(row)).or_default();
            entry.0 += 1;
            entry.1 = entry.1 + row.amount;
            entry.2 = entry.2 + row.merchant_fee;
            entry.3 = entry.3 + row.margin;
            entry.4 += u64::from(row.margin < Money::ZERO);
        }
        sums.into_iter().collect::<Vec<_>>()
    };
    let listed = |totals: &[posfee::reconcile::MarginTotals]| {
        totals
            .iter()
            .map(|t| ((t.key.clone(), t.agent.clone()), (t.trades, t.amount, t.merchant_fee, t.margin, t.negative_trades)))
            .collect::<Vec<_>>()
    };
    let by_month = by(&|row| (row.date.format("%Y-%m").to_string(), row.agent.to_string()));
    assert_eq!(listed(&report.by_month), by_month);
    assert_eq!(by_month.iter().map(|((month, _), _)| month.as_str()).collect::<std::collections::BTreeSet<_>>().len(), 2);
    let by_merchant = by(&|row| (row.merchant_no.to_string(), row.agent.to_string()));
    assert_eq!(listed(&report.by_merchant), by_merchant);
    assert_eq!(by_merchant.len(), 6, "{by_merchant:?}"); // three merchants, two levels each
    assert_eq!(listed(&report.by_agent), by(&|row| (row.agent.to_string(), String::new())));
    #[cfg(feature = "arrow")]
    rows_as_arrow_are_the_rows(&report.rows);
    // The rows' CSV, written out as it is made, is the text made whole.
    let mut out: Vec<u8> = Vec::new();
    report.write_csv(&mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), report.to_csv());
    assert_eq!(report.to_csv().lines().count(), report.rows.len() + 1);
    // T3's trades are each its merchant's on their day.
    for row in &report.rows {
        let trade = sample.ledger.record(row.trade);
        if trade.terminal == "T0000003" {
            let moved = row.date >= posfee::parse_date("2026-11-08").unwrap();
            assert_eq!(&*row.merchant_no, if moved { "102310059990003" } else { "102310054110002" }, "{row:?}");
        }
    }
}

/// The Arrow batch of margin rows holds each row's values: the money exact, the texts through
/// their dictionaries.
#[cfg(feature = "arrow")]
fn rows_as_arrow_are_the_rows(rows: &[posfee::reconcile::MarginRow]) {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Decimal128Type, Int32Type, UInt32Type, UInt64Type};
    let batch = posfee::reconcile::arrow::margins_to_arrow(rows);
    let names: Vec<&str> = batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        ["trade", "trade_id", "date", "merchant_no", "channel", "amount", "merchant_fee", "level", "agent", "cost", "margin"]
    );
    assert_eq!(batch.num_rows(), rows.len());
    let text = |name: &str, k: usize| -> String {
        let column = batch.column_by_name(name).unwrap().as_dictionary::<Int32Type>();
        let key = column.keys().value(k) as usize;
        column.values().as_string::<i32>().value(key).to_string()
    };
    let decimal = |name: &str, k: usize| batch.column_by_name(name).unwrap().as_primitive::<Decimal128Type>().value(k);
    let scale = |name: &str| match batch.schema_ref().field_with_name(name).unwrap().data_type() {
        arrow_schema::DataType::Decimal128(_, scale) => *scale,
        other => panic!("{name}: {other}"),
    };
    assert_eq!((scale("amount"), scale("merchant_fee"), scale("cost"), scale("margin")), (2, 5, 5, 5));
    let epoch = posfee::parse_date("1970-01-01").unwrap();
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(batch.column(0).as_primitive::<UInt64Type>().value(k), row.trade as u64);
        assert_eq!(batch.column(1).as_string::<i32>().value(k), &*row.trade_id);
        assert_eq!(i64::from(batch.column(2).as_primitive::<Date32Type>().value(k)), (row.date - epoch).num_days());
        assert_eq!(text("merchant_no", k), &*row.merchant_no);
        assert_eq!(text("channel", k), row.channel.unwrap().name());
        assert_eq!(decimal("amount", k) * 1_000, i128::from(row.amount.millifen()));
        assert_eq!(decimal("merchant_fee", k), i128::from(row.merchant_fee.millifen()));
        assert_eq!(batch.column(7).as_primitive::<UInt32Type>().value(k), row.level);
        assert_eq!(text("agent", k), &*row.agent);
        assert_eq!(decimal("cost", k), i128::from(row.cost.millifen()));
        assert_eq!(decimal("margin", k), i128::from(row.margin.millifen()));
    }
}
