"""posfee.reconcile_deposits: the statement's payouts against the merchant's bank statement
(到账核对), with the core's rules; arguments and results converted, money as Decimal."""

import datetime as dt
import os
import pickle
from decimal import Decimal

import pytest

import posfee

BANKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "core", "tests", "banks")
CMB_HEADER = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n"


def sample_report(seed, **options):
    sample = posfee.simulate_deposits(seed)
    report = posfee.reconcile_deposits(
        sample["statement"], sample["bank"], as_of=sample["as_of"], covered_from=sample["covered_from"], **options
    )
    return sample, report


@pytest.mark.parametrize("seed", range(12))
def test_every_injected_fault_is_found_as_the_answer_key_says(seed):
    sample, report = sample_report(seed)
    assert [p["class"] for p in report.payouts] == sample["key"]["payouts"]
    assert {b["line"]: b["class"] for b in report.bank} == sample["key"]["bank"]
    short = [p for p in report.payouts if p["class"] == "deposit_short"]
    assert [p["difference"] for p in short] == [Decimal("99.00")] * 2
    assert all(isinstance(p["expected"], Decimal) for p in report.payouts)
    assert report.summary["not_arrived"] == sum(p["difference"] for p in report.payouts if p["class"] in ("deposit_missing", "deposit_short"))
    kinds = {f["class"] for f in report.problems()}
    assert kinds == {"deposit_missing", "deposit_short", "deposited_late", "unexplained_credit"}


@pytest.mark.parametrize("seed", range(6))
def test_nothing_is_flagged_on_clean_data(seed):
    sample = posfee.simulate_deposits(seed, faults=False)
    report = posfee.reconcile_deposits(sample["statement"], sample["bank"], as_of=sample["as_of"], covered_from=sample["covered_from"])
    assert list(report.problems()) == []
    assert report.summary["not_arrived"] == Decimal("0")


def test_findings_speak_english_and_chinese_with_the_rows_behind():
    _, report = sample_report(3)
    missing = [f for f in report.findings if f["class"] == "deposit_missing"]
    assert missing and all("has not arrived" in f["en"] and "未到账" in f["zh"] for f in missing)
    assert all(f["statement_lines"] for f in missing)
    merged = [f for f in report.findings if f["class"] == "deposit_merged"]
    assert len(merged) == 1 and len(merged[0]["payouts"]) >= 2 and "合并为一笔" in merged[0]["zh"]


def test_the_statement_can_be_a_file_and_the_bank_a_path(tmp_path):
    sample = posfee.simulate_deposits(5)
    bank = tmp_path / "bank.csv"
    bank.write_bytes(sample["bank"])
    by_bytes = posfee.reconcile_deposits(sample["statement"], sample["bank"], as_of=sample["as_of"])
    by_path = posfee.reconcile_deposits(sample["statement"], bank, as_of=dt.date.fromisoformat(sample["as_of"]), bank_format="cmb-debit")
    assert [p["class"] for p in by_path.payouts] == [p["class"] for p in by_bytes.payouts]
    csv = by_path.to_csv()
    assert csv.startswith("side,index,line,class,date,")
    assert len(csv.splitlines()) == 1 + len(by_path)
    out = tmp_path / "deposits.csv"
    by_path.write_csv(out)
    assert out.read_text(encoding="utf-8") == csv
    assert '"payouts"' in by_path.to_json()
    assert repr(by_path).startswith("<DepositReport payouts=")


def test_options_reach_the_core():
    _, report = sample_report(1, delay_max_business_days=0)
    assert not [p for p in report.payouts if p["class"] == "deposited_late"]
    _, report = sample_report(1, short_difference_max="50")
    assert not [p for p in report.payouts if p["class"] == "deposit_short" and not p["bank_lines"][1:]]
    _, report = sample_report(1, group_by_merchant=False)
    assert all(p["merchant_no"] == "" for p in report.payouts)


def test_a_bank_row_of_an_acquirer_given_by_the_caller():
    statement = posfee.simulate_deposits(2)["statement"]
    bank = (CMB_HEADER + "2026-02-10,CNY,1.00,1.00,代发,某某支付有限公司,结算款\n").encode()
    plain = posfee.reconcile_deposits(statement, bank)
    assert plain.summary["acquirer_rows"] == 0 and plain.summary["warnings"]
    named = posfee.reconcile_deposits(statement, bank, acquirers=["某某支付"])
    assert named.summary["acquirer_rows"] == 1
    assert named.bank[0]["class"] == "unexplained_credit"


def test_bank_formats_are_listed_and_each_golden_sample_reads():
    names = [f["name"] for f in posfee.bank_formats()]
    banks = ["icbc", "cmb", "ccb", "abc", "boc"]
    assert names == [f"{bank}-debit" for bank in banks] + [f"{bank}-business" for bank in banks]
    statement = posfee.simulate_deposits(2)["statement"]
    for name in names:
        path = os.path.join(BANKS, name, "sample.csv")
        report = posfee.reconcile_deposits(statement, path)
        assert report.summary["bank_rows"] >= 3, name


@pytest.mark.parametrize(
    "bank, options, error, words",
    [
        ((CMB_HEADER + "2026-11-02,CNY,12.3.4,0,,,\n").encode(), {}, posfee.InvalidAmountError, ["line 2", "column 3", "amount"]),
        ((CMB_HEADER + "2026-13-02,CNY,1.00,0,,,\n").encode(), {}, posfee.InvalidDateError, ["line 2", "date"]),
        (b"a,b\n1,2\n", {}, posfee.InvalidRecordError, ["closest"]),
        ("no/such/bank.csv", {}, posfee.IoError, ["no/such/bank.csv"]),
        (CMB_HEADER.encode(), {"bank_format": "hsbc"}, posfee.InvalidRequestError, ["hsbc", "icbc-debit"]),
        (CMB_HEADER.encode(), {"delay_max_business_days": 21}, posfee.InvalidRequestError, ["delay_max_business_days"]),
        (CMB_HEADER.encode(), {"as_of": "2026-02-30"}, posfee.InvalidDateError, ["as_of"]),
        (CMB_HEADER.encode(), {"short_difference_max": "0.001"}, posfee.InvalidAmountError, ["short_difference_max"]),
        (CMB_HEADER.encode(), {"on_invalid": "ignore"}, posfee.InvalidRequestError, ["on_invalid"]),
    ],
)
def test_bad_inputs_raise_with_their_place(bank, options, error, words):
    statement = posfee.simulate_deposits(2)["statement"]
    with pytest.raises(error) as info:
        posfee.reconcile_deposits(statement, bank, **options)
    assert all(word in str(info.value) for word in words), str(info.value)


def test_unreadable_bank_lines_are_kept_with_on_invalid_report():
    statement = posfee.simulate_deposits(2)["statement"]
    bank = (CMB_HEADER + "2026-11-02,CNY,12.3.4,0,,,\n").encode()
    report = posfee.reconcile_deposits(statement, bank, on_invalid="report")
    assert [(u["side"], u["line"]) for u in report.unreadable] == [("bank", 2)]


def test_money_as_a_float_and_wrong_types_are_refused():
    statement = posfee.simulate_deposits(2)["statement"]
    with pytest.raises(posfee.FloatAmountError):
        posfee.reconcile_deposits(statement, CMB_HEADER.encode(), short_difference_max=99.0)
    with pytest.raises(TypeError):
        posfee.reconcile_deposits(statement, 12345)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        posfee.reconcile_deposits(statement, CMB_HEADER.encode(), acquirers="拉卡拉")  # type: ignore[arg-type]


def test_the_bank_statement_is_a_third_input_of_reconcile(sft):
    """Payouts computed here from the statement's rows (settlement date, merchant number, sum
    of nets), each posted on its due day: reconcile's deposit report finds every one."""
    sample = posfee.simulate(seed=9, trades=800)
    statement = sample["statement"].to_pylist()
    payouts: dict = {}
    for row in statement:
        key = (row["settlement_date"], row["merchant_no"])
        payouts[key] = payouts.get(key, Decimal(0)) + row["net"]
    china = posfee.Calendar.china()
    lines = [CMB_HEADER.rstrip("\n")]
    for (day, _), net in sorted(payouts.items()):
        if net != 0:
            due = china.add_business_days(day, 0)
            lines.append(f"{due.isoformat()},CNY,{net.quantize(Decimal('0.01'))},0,代发,拉卡拉支付股份有限公司,结算款")
    bank = ("\n".join(lines) + "\n").encode()
    report = posfee.reconcile(
        sample["ledger"], sample["statement"], sft, merchant=sample["merchant"], terminals=sample["terminals"], bank_statement=bank
    )
    assert report.deposits is not None
    deposits = report.deposits
    assert len(deposits.payouts) == len(payouts)
    assert {p["class"] for p in deposits.payouts} <= {"deposited", "not_checked"}
    assert sum(1 for p in deposits.payouts if p["class"] == "deposited") == len(lines) - 1
    assert list(deposits.problems()) == []
    plain = posfee.reconcile(sample["ledger"], sample["statement"], sft, merchant=sample["merchant"], terminals=sample["terminals"])
    assert plain.deposits is None
    # A report with its deposits crosses process boundaries (Dask, multiprocessing) whole.
    copy = pickle.loads(pickle.dumps(report))
    assert copy.deposits.payouts == deposits.payouts and copy.deposits.to_csv() == deposits.to_csv()
    assert copy.summary == report.summary


def test_a_deposit_report_pickles_as_its_results():
    _, report = sample_report(3)
    copy = pickle.loads(pickle.dumps(report))
    for name in ("summary", "payouts", "bank", "deductions", "findings", "unreadable"):
        assert getattr(copy, name) == getattr(report, name), name
    assert (copy.to_csv(), copy.to_json(), len(copy), repr(copy)) == (report.to_csv(), report.to_json(), len(report), repr(report))
    assert list(copy.problems()) == list(report.problems())
    # Pickled again, the copy stays the same.
    assert pickle.loads(pickle.dumps(copy)).to_json() == report.to_json()


JLPAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "core", "tests", "formats", "jlpay-detail", "sample.txt")


def test_payouts_are_grouped_by_batch_number_unless_turned_off():
    # The JL Pay sample: merchant A07 has batch 000012 and QR rows without a batch on 05-06.
    bank = (CMB_HEADER + "2026-05-06,CNY,5680.65,,代发,嘉联支付有限公司,结算款\n2026-05-06,CNY,193.32,,代发,嘉联支付有限公司,结算款\n").encode()
    report = posfee.reconcile_deposits(JLPAY, bank, statement_format="jlpay-detail", as_of="2026-05-12")
    a07 = [(p["batch"], p["expected"], p["class"]) for p in report.payouts if p["merchant_no"] == "849440358120A07"]
    assert a07 == [("", Decimal("193.32"), "deposited"), ("000012", Decimal("5680.65"), "deposited")]
    by_day = posfee.reconcile_deposits(JLPAY, bank, statement_format="jlpay-detail", as_of="2026-05-12", group_by_batch=False)
    a07 = [p for p in by_day.payouts if p["merchant_no"] == "849440358120A07"]
    assert [(p["batch"], p["expected"]) for p in a07] == [("", Decimal("5873.97"))]


STATEMENT_WITH_DEDUCTION = (
    "清算日期,商户号,终端号,批次号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n"
    "20261102,898440358120017,80010001,000031,20261101,093012,12420.00,74.52,12345.48,126093012001,贷记卡,消费\n"
    "20261102,898440358120017,,,20261102,000000,99.00,0.00,-99.00,,,流量费\n"
)


def test_a_short_deposit_names_the_statements_deduction_line(tmp_path):
    statement = tmp_path / "settle.csv"
    statement.write_text(STATEMENT_WITH_DEDUCTION, encoding="utf-8")
    bank = (CMB_HEADER + '2026-11-02,CNY,"12,246.48",,代发,拉卡拉支付股份有限公司,结算款\n').encode()
    report = posfee.reconcile_deposits(str(statement), bank, statement_format="bank-pos", as_of="2026-11-10")
    assert [(p["class"], p["difference"], p["statement_deduction_lines"]) for p in report.payouts] == [("deposit_short", Decimal("99.00"), [3])]
    assert report.deductions == [
        {"line": 3, "settlement_date": "2026-11-02", "merchant_no": "898440358120017", "batch": "", "amount": Decimal("99.00"), "text": "流量费", "payout": 0}
    ]
    short = next(f for f in report.findings if f["class"] == "deposit_short")
    assert short["en"].endswith("the statement deducts ¥99.00 on line 3 (流量费)")
    assert len(report.to_csv().splitlines()) == 1 + len(report)


def test_a_bank_statement_exported_as_a_spreadsheet_reads_as_its_csv():
    xlsx = os.path.join(BANKS, "xlsx", "cmb-business.xlsx")
    csv = os.path.join(BANKS, "cmb-business", "sample.csv")
    from_csv = posfee.reconcile_deposits(JLPAY, csv, statement_format="jlpay-detail")
    for source in (xlsx, open(xlsx, "rb").read()):
        report = posfee.reconcile_deposits(JLPAY, source, statement_format="jlpay-detail")
        assert report.bank == from_csv.bank
        assert report.summary["bank_rows"] == 3
    with pytest.raises(posfee.InvalidRecordError, match="not a readable .xlsx workbook"):
        posfee.reconcile_deposits(JLPAY, open(xlsx, "rb").read()[:3000], statement_format="jlpay-detail")
