import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oracle
import posfee

CHINA = oracle.CHINA


def test_readme_example(sft):
    quote = sft.quote(Decimal("5000"), "debit", at=dt.datetime(2026, 9, 30, 22, 30), settlement="T1")
    assert quote.fee == Decimal("20.00") and isinstance(quote.fee, Decimal)
    assert quote.net == Decimal("4980.00") and isinstance(quote.net, Decimal)
    assert quote.settles_on == dt.date(2026, 10, 8)
    assert type(quote.settles_on) is dt.date
    assert "capped at ¥20.00" in quote.explain()
    assert quote.cap_applied and not quote.floor_applied
    assert quote.explanation()[0].startswith("purchase debit")
    assert quote.rule == "debit" and quote.schedule == "sft-traditional"


def test_presets_and_constructors(tmp_path):
    names = posfee.presets()
    assert "sft-traditional" in names and "standard" in names
    for name in names:
        schedule = posfee.Schedule.preset(name)
        assert isinstance(schedule, posfee.Schedule)
        assert schedule.name == name
        again = posfee.Schedule.from_toml(schedule.to_toml())
        assert again.quote("100", "credit", "2026-05-06").fee == schedule.quote("100", "credit", "2026-05-06").fee
        path = tmp_path / f"{name}.toml"
        path.write_text(posfee._core.preset_toml(name), encoding="utf-8")
        assert posfee.Schedule.from_file(path).name == name
        assert posfee.Schedule.from_file(str(path)).name == name
        assert posfee.Schedule.from_json(schedule.to_json()).name == name


@pytest.mark.parametrize(
    "amount, expected",
    [
        (Decimal("123.45"), "123.45"),
        (123, "123.00"),
        ("123.45", "123.45"),
        ("¥123.45", "123.45"),
        (Decimal("1.2345E+2"), "123.45"),
        (Decimal("123.450"), "123.45"),
        (Decimal("1E+3"), "1000.00"),
    ],
)
def test_amount_types(sft, amount, expected):
    quote = sft.quote(amount, "credit", at="2026-05-06 10:00")
    assert str(quote.amount) == expected


def test_int_is_yuan(sft):
    assert sft.quote(100, "credit", "2026-05-06").amount == Decimal("100.00")


def test_naive_is_china_time_and_aware_is_converted(sft):
    naive = sft.quote("100", "credit", at=dt.datetime(2026, 9, 30, 22, 30))
    china = sft.quote("100", "credit", at=dt.datetime(2026, 9, 30, 22, 30, tzinfo=CHINA))
    utc = sft.quote("100", "credit", at=dt.datetime(2026, 9, 30, 14, 30, tzinfo=dt.timezone.utc))
    assert naive.trade_day == china.trade_day == utc.trade_day == dt.date(2026, 9, 30)
    # 22:30 UTC is 06:30 the next morning in China: another trade day.
    late_utc = sft.quote("100", "credit", at=dt.datetime(2026, 9, 30, 22, 30, tzinfo=dt.timezone.utc))
    assert late_utc.trade_day == dt.date(2026, 10, 1)
    # A naive 22:30 is NOT read as UTC.
    assert naive.trade_day != late_utc.trade_day
    # After the 23:00 cut-off the trade belongs to the next day.
    assert sft.quote("100", "credit", at=dt.datetime(2026, 9, 29, 23, 0)).trade_day == dt.date(2026, 9, 30)


def test_at_date_str_and_none(sft):
    assert sft.quote("1", "credit", at=dt.date(2026, 5, 6)).trade_day == dt.date(2026, 5, 6)
    assert sft.quote("1", "credit", at="2026-05-06T23:30:00+08:00").trade_day == dt.date(2026, 5, 7)
    now = dt.datetime.now(CHINA)
    quote = sft.quote("1", "credit", provisional=True)
    assert quote.trade_day in (now.date(), now.date() + dt.timedelta(days=1))


def test_settlement_modes(standard):
    at = dt.datetime(2026, 9, 30, 10, 0)
    assert standard.quote("100", "credit", at, "T1").settles_on == dt.date(2026, 10, 8)
    assert standard.quote("100", "credit", at, "T+1").settles_on == dt.date(2026, 10, 8)
    assert standard.quote("100", "credit", at, "D1").settles_on == dt.date(2026, 10, 1)
    assert standard.quote("100", "credit", at, "S0").settles_on == dt.date(2026, 9, 30)
    assert standard.quote("100", "credit", at, "秒到").settlement == "S0"


def test_options(standard):
    at = "2026-05-06 10:00"
    assert standard.quote("1000", "credit", at, merchant_class="discounted").fee == Decimal("3.80")
    assert standard.quote("2000", "unionpay_qr", at, card_type="debit").fee == Decimal("10.00")
    calendar = posfee.Calendar.china()
    assert standard.quote("1", "credit", at, calendar=calendar).settles_on == dt.date(2026, 5, 7)
    provisional = standard.quote("1", "credit", "2026-12-31 10:00", provisional=True)
    assert provisional.settles_on_provisional and provisional.settles_on == dt.date(2027, 1, 1)


def test_void_and_refund(sft):
    void = sft.quote_void("5000", "debit", "2026-05-06 10:00")
    assert void.kind == "void" and void.fee == 0 and void.fee_returned == Decimal("20.00")
    refund = sft.quote_refund("5000", "debit", "2026-05-06 10:00", "1000", "2026-05-08 10:00")
    assert refund.kind == "refund" and refund.amount == Decimal("1000.00")
    with pytest.raises(posfee.InvalidRequestError):
        sft.quote_refund("5000", "debit", "2026-05-06 10:00", "6000", "2026-05-08 10:00")


def test_quote_json_and_repr(sft):
    import json

    quote = sft.quote("5000", "debit", "2026-09-30 22:30")
    data = json.loads(quote.to_json())
    assert data["fee"] == "20.00" and data["settles_on"] == "2026-10-08"
    assert "fee=Decimal('20.00')" in repr(quote)
    assert str(quote) == quote.explain()
    assert quote.lines[0]["limit"] == {"kind": "cap", "value": Decimal("20.00")}


def test_calendar_out_of_range_is_an_error(standard):
    with pytest.raises(posfee.CalendarOutOfRangeError) as info:
        standard.quote("1", "credit", "2026-12-31 10:00")
    assert info.value.code == "calendar_out_of_range"


# -- property tests against the plain-Python oracle ------------------------------------------

amounts = st.decimals(min_value=0, max_value=Decimal("10000000"), places=2, allow_nan=False, allow_infinity=False)
channels = st.sampled_from(sorted(oracle.RULES["standard"]))
schedules = st.sampled_from(sorted(oracle.RULES))
settlements = st.sampled_from(["T0", "T1", "T2", "T3", "D0", "D1", "D3"])
offsets = st.sampled_from([None, 8 * 60, 0, -5 * 60, 9 * 60, 5 * 60 + 30, -12 * 60, 14 * 60])
times = st.datetimes(min_value=dt.datetime(2026, 1, 2), max_value=dt.datetime(2026, 12, 15))


@settings(max_examples=500, deadline=None)
@given(schedule=schedules, amount=amounts, channel=channels, naive=times, offset=offsets, settlement=settlements)
def test_quote_matches_decimal_oracle(schedule, amount, channel, naive, offset, settlement):
    at = naive if offset is None else naive.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset)))
    quote = posfee.Schedule.preset(schedule).quote(amount, channel, at=at, settlement=settlement)
    expected_fee = oracle.fee(schedule, amount, channel)
    assert quote.fee == expected_fee
    assert quote.net == amount - expected_fee
    assert quote.net + quote.fee == amount
    assert quote.trade_day == oracle.trade_day(at)
    assert quote.settles_on == oracle.settles_on(at, settlement)
    assert quote.fee.as_tuple().exponent == -2


@settings(max_examples=200, deadline=None)
@given(amount=amounts)
def test_amount_forms_agree(amount):
    schedule = posfee.Schedule.preset("standard")
    at = "2026-05-06 10:00"
    by_decimal = schedule.quote(amount, "credit", at)
    by_str = schedule.quote(str(amount), "credit", at)
    assert by_decimal.fee == by_str.fee
    if amount == amount.to_integral_value():
        assert schedule.quote(int(amount), "credit", at).fee == by_decimal.fee


any_decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
        st.sampled_from([0, 1]),
        st.lists(st.integers(0, 9), min_size=1, max_size=24),
        st.integers(-12, 14),
    ),
)


@settings(max_examples=500, deadline=None)
@given(amount=any_decimals)
def test_any_decimal_reads_as_its_text(amount):
    """A Decimal is read from its integer ratio (a positive amount in whole fen) or its parts
    (sign, digits, exponent); the same value written out as text (``format(amount, "f")``) goes through the core's text parser. Both give the same
    fee, or both an InvalidAmountError."""
    schedule = posfee.Schedule.preset("standard")
    at = "2026-05-06 10:00"

    def fee(value):
        try:
            return schedule.quote(value, "credit", at).fee
        except posfee.InvalidAmountError as error:
            assert error.field == "amount"
            return "invalid"

    assert fee(amount) == fee(format(amount, "f"))


def test_schedule_pickles_for_workers(sft):
    import copy
    import pickle

    again = pickle.loads(pickle.dumps(sft))
    assert isinstance(again, posfee.Schedule) and again.name == sft.name
    at = "2026-09-30 22:30"
    assert again.quote("5000", "debit", at).fee == sft.quote("5000", "debit", at).fee
    assert copy.deepcopy(sft).name == sft.name


def test_quote_warns_about_limits_and_hours(tmp_path):
    schedule = posfee.Schedule.preset("standard")
    quote = schedule.quote("60000", "credit", "2026-05-06 23:10", limits="personal-micro-merchant")
    assert quote.fee == Decimal("360.00")  # priced all the same
    (warning,) = quote.limit_warnings
    assert warning["kind"] == "per_transaction"
    assert warning["en"] == "¥60,000.00 is above the ¥50,000.00 per-transaction limit (every channel)"
    assert "WARNING: ¥60,000.00 is above" in quote.explain()
    path = tmp_path / "limits.toml"
    path.write_text('business_hours = "09:00-22:00"\n', encoding="utf-8")
    late = schedule.quote("100", "wechat", "2026-05-06 23:10", limits=path)
    assert [w["kind"] for w in late.limit_warnings] == ["business_hours"]
    assert "服务时间不符" in late.limit_warnings[0]["zh"]
    assert schedule.quote("100", "wechat", "2026-05-06 23:10").limit_warnings == []
    with pytest.raises(posfee.UnknownPresetError):
        schedule.quote("100", "wechat", limits="gold")
