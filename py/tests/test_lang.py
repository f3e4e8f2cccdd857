"""One language at a time, all the way down: quote explanations, row reasons and the summary
come from the core's message catalogue in Chinese or English."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

import posfee

CJK = re.compile(r"[\u4e00-\u9fff]")
# English words of three letters or more (names such as T1, rule ids or codes aside, a
# Chinese sentence has none of the words a reason is written with).
ENGLISH_WORDS = re.compile(r"\b(?:the|of|fee|ledger|statement|settled|matched|declined|terminal|contract|trade|net)\b")


@pytest.fixture(scope="module")
def report():
    sample = posfee.simulate(seed=5, trades=2000, faults_per_class=2)
    return posfee.reconcile(
        sample["ledger"],
        sample["statement"],
        "sft-traditional",
        merchant=sample["merchant"],
        merchant_name=sample["merchant_name"],
        terminals=sample["terminals"],
    )


def test_quote_explains_in_chinese_or_english():
    quote = posfee.Schedule.preset("sft-traditional").quote(Decimal("5000"), "debit", at=dt.datetime(2026, 9, 30, 22, 30))
    zh = quote.explain(lang="zh")
    assert "借记卡 0.55% × ¥5000.00 = ¥27.50，封顶 ¥20.00" in zh
    assert "按 T1 于 2026-10-08 结算" in zh
    assert not ENGLISH_WORDS.search(zh), zh
    en = quote.explain()
    assert "debit 0.55% of ¥5000.00 = ¥27.50, capped at ¥20.00" in en
    assert not CJK.search(en), en
    assert quote.explanation(lang="zh") == zh.split("\n")
    assert str(quote) == en
    assert '"消费借记卡' in quote.to_json(lang="zh")
    with pytest.raises(posfee.InvalidRequestError, match='language "fr" is not one of zh, en'):
        quote.explain(lang="fr")


def test_row_reasons_in_each_language(report):
    en = report.to_pandas()
    zh = report.to_pandas(lang="zh")
    assert len(en) == len(zh) == len(report)
    # The same rows and classes; only the reasons' language differs.
    assert list(en["class"].astype(str)) == list(zh["class"].astype(str))
    for english, chinese, kind in zip(en["reason"], zh["reason"], en["class"].astype(str)):
        assert CJK.search(chinese), chinese
        assert not ENGLISH_WORDS.search(chinese.split("：", 1)[-1] if kind == "unreadable" else chinese), chinese
        # English reasons carry Chinese only as the acquirer's own terms: 跳码, 服务时间不符.
        assert not CJK.search(english.replace("跳码", "").replace("服务时间不符", "")), english
    assert set(report.to_polars(lang="zh")["reason"].to_list()) == set(zh["reason"].astype(str))
    csv_zh = report.to_csv(lang="zh")
    assert "已匹配；金额、手续费、净额、结算日和商户号均与合同一致" in csv_zh
    assert "as contracted" not in csv_zh
    # The English rows stay the default.
    assert report.rows.column("reason").to_pylist() == list(en["reason"].astype(str))


def test_summary_table_in_each_language(report):
    zh = report.table(lang="zh")
    assert "已匹配交易的手续费" in zh and "fees on matched trades" not in zh
    assert "fees on matched trades" in report.table()
    with pytest.raises(posfee.InvalidRequestError):
        report.table(lang="fr")
    with pytest.raises(posfee.InvalidRequestError):
        report.to_pandas(lang="fr")
