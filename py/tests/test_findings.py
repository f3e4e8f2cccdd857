"""What the acquirer actually did: the charged pricing of each wrong fee, the findings
across rows and the dispute list, on tables written here with Decimal arithmetic (an oracle
independent of the Rust core's fee code)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pyarrow as pa
import pytest

import posfee

MERCHANT = "102310058120001"
CONTRACT = Decimal("0.0060")  # sft-traditional credit rate
CHARGED = Decimal("0.0068")


def fee_at(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def month_of_credit_trades(rise_from: dt.date, add_on: Decimal = Decimal(0)):
    """One credit trade a day in March 2026 at 10:00, amounts varying; from `rise_from` the
    fee is 0.68% (or 0.60% plus `add_on` when given) instead of 0.60%."""
    ledger, statement = [], []
    for day in range(1, 29):
        date = dt.date(2026, 3, day)
        amount = Decimal(1000 + 137 * day) + Decimal(day) / 100
        rrn = f"6126100{day:05d}"
        changed = date >= rise_from
        if changed and add_on:
            fee = fee_at(amount, CONTRACT) + add_on
        elif changed:
            fee = fee_at(amount, CHARGED)
        else:
            fee = fee_at(amount, CONTRACT)
        time = f"{date} 10:00:00"
        ledger.append({"trade_id": f"A{day}", "rrn": rrn, "terminal": "T0000001", "time": time, "amount": str(amount), "channel": "credit"})
        # Settlement: T+1 on business days; the contract's date keeps the rows clean.
        settles = posfee.Calendar.china().add_business_days(date, 1)
        statement.append(
            {
                "settlement_date": str(settles),
                "merchant_no": MERCHANT,
                "terminal": "T0000001",
                "rrn": rrn,
                "time": time,
                "amount": str(amount),
                "fee": str(fee),
                "channel": "credit",
                "expected_fee": fee_at(amount, CONTRACT),
                "charged_fee": fee,
            }
        )
    table = lambda rows, drop=(): pa.table({k: [r[k] for r in rows] for k in rows[0] if k not in drop})  # noqa: E731
    return table(ledger), table(statement, ("expected_fee", "charged_fee")), statement


def reconcile(ledger, statement):
    return posfee.reconcile(ledger, statement, "sft-traditional", merchant=MERCHANT, terminals=["T0000001"])


def test_a_rate_rise_is_one_finding_with_its_first_day_trades_and_money():
    ledger, statement, rows = month_of_credit_trades(dt.date(2026, 3, 10))
    report = reconcile(ledger, statement)
    changed = [r for r in rows if r["charged_fee"] != r["expected_fee"]]
    over = sum(r["charged_fee"] - r["expected_fee"] for r in changed)
    findings = report.summary["findings"]
    assert len(findings) == 1, findings
    finding = findings[0]
    first = changed[0]["time"][:10]
    assert (finding["kind"], finding["first_day"], finding["trades"], finding["money"]) == ("rate", first, len(changed), over)
    assert finding["en"] == f"from {first} credit trades were charged 0.68% instead of 0.60%: {len(changed)} trades, ¥{over} over"
    assert finding["zh"] == f"自{first}起，贷记卡交易按0.68%收费（合同0.60%）：{len(changed)}笔，多收¥{over}"
    assert finding["pricing"] == {"kind": "rate", "rate": "0.68%", "contract_rate": "0.6%"}
    # Each row says what it was charged as, as exact values.
    statement_rows = report.rows.filter(pa.compute.equal(report.rows.column("side"), "statement"))
    charged = [(r["rrn"], r["charged_rate"], r["charged_fixed"], r["charged_cap"]) for r in statement_rows.to_pylist() if r["charged_rate"]]
    assert [c[0] for c in charged] == [r["rrn"] for r in changed]
    assert {c[1:] for c in charged} == {("0.68%", Decimal(0), None)}
    reasons = statement_rows.column("reason").to_pylist()
    assert any(reason.startswith("charged 0.68% instead of 0.60% (fee ¥") for reason in reasons)


def test_a_fixed_add_on_is_told_from_a_rate_by_the_other_trades():
    ledger, statement, rows = month_of_credit_trades(dt.date(2026, 3, 20), add_on=Decimal("3.00"))
    report = reconcile(ledger, statement)
    (finding,) = report.summary["findings"]
    changed = [r for r in rows if r["charged_fee"] != r["expected_fee"]]
    assert finding["kind"] == "add_on" and finding["trades"] == len(changed)
    assert finding["money"] == Decimal("3.00") * len(changed)
    assert "credit trades were 0.60% plus ¥3.00 per trade" in finding["en"]


def test_the_dispute_list_in_every_format():
    ledger, statement, rows = month_of_credit_trades(dt.date(2026, 3, 10))
    report = reconcile(ledger, statement)
    changed = [r for r in rows if r["charged_fee"] != r["expected_fee"]]
    listed = report.dispute("dict", lang="en")
    (section,) = listed["sections"]
    assert [row["reference"] for row in section["rows"]] == [r["rrn"] for r in changed]
    assert all(isinstance(row["difference"], Decimal) for row in section["rows"])
    assert section["difference"] == sum(r["charged_fee"] - r["expected_fee"] for r in changed)
    text = report.dispute("csv", lang="zh")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:4] == ["问题", "交易日期", "终端号", "参考号"]
    assert len(table) == 1 + len(changed) + 1 and table[-1][1] == "合计"
    html = report.dispute("html", lang="en")
    assert html.startswith("<!DOCTYPE html>") and "<html lang=\"en\">" in html and "credit trades were charged 0.68%" in html
    with pytest.raises(posfee.InvalidRequestError, match="dispute format \"pdf\" is not one of html, csv"):
        report.dispute("pdf")
    with pytest.raises(posfee.InvalidRequestError, match="language \"fr\""):
        report.dispute("html", lang="fr")


def test_write_dispute_picks_the_format_from_the_name(tmp_path):
    ledger, statement, _ = month_of_credit_trades(dt.date(2026, 3, 10))
    report = reconcile(ledger, statement)
    report.write_dispute(tmp_path / "d.html")
    assert (tmp_path / "d.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    report.write_dispute(tmp_path / "d.csv", lang="en")
    assert (tmp_path / "d.csv").read_text(encoding="utf-8").startswith("issue,trade_date,")
    with pytest.raises(posfee.InvalidRequestError, match=r"name it \.html \(a printable page\) or \.csv"):
        report.write_dispute(tmp_path / "d.pdf")
    with pytest.raises(posfee.IoError):
        report.write_dispute(tmp_path / "missing" / "d.html")


def test_statement_text_is_escaped_in_the_page():
    ledger, statement, _ = month_of_credit_trades(dt.date(2026, 3, 10))
    hostile = "<img src=x onerror=alert(1)>"
    terminal = pa.array([hostile] * statement.num_rows)
    report = posfee.reconcile(
        ledger.set_column(ledger.schema.get_field_index("terminal"), "terminal", terminal),
        statement.set_column(statement.schema.get_field_index("terminal"), "terminal", terminal),
        "sft-traditional",
        merchant=MERCHANT,
    )
    html = report.dispute("html")
    assert hostile not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_clean_tables_have_no_finding():
    ledger, statement, _ = month_of_credit_trades(dt.date(2026, 4, 1))
    report = reconcile(ledger, statement)
    assert report.summary["findings"] == []
    assert report.rows.column("charged_rate").null_count == report.rows.num_rows
