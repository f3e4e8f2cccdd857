"""The end of the holiday data is said once, as a note, never as a silent guess."""

import datetime as dt

import posfee


def test_a_quote_in_the_last_month_of_the_data_says_when_the_data_ends():
    quote = posfee.Schedule.preset("standard").quote("100", "credit", at="2026-12-10 10:00")
    assert quote.calendar_data_ends == dt.date(2026, 12, 31)
    assert any("holiday data ends 2026-12-31" in line for line in quote.explanation())
    earlier = posfee.Schedule.preset("standard").quote("100", "credit", at="2026-11-10 10:00")
    assert earlier.calendar_data_ends is None
    assert not any("holiday data ends" in line for line in earlier.explanation())


def test_a_reconciliation_reaching_the_last_month_warns_once_in_the_summary():
    sample = posfee.simulate(seed=3, trades=300)
    report = posfee.reconcile(sample["ledger"], sample["statement"], "sft-traditional", merchant=sample["merchant"], terminals=sample["terminals"])
    assert report.summary["warnings"] == []  # March 2026: far from the end of the data
