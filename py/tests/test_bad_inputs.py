import datetime as dt
import math
from decimal import Decimal

import pytest

import posfee

AT = "2026-05-06 10:00"


@pytest.mark.parametrize("amount", [0.1, 5000.0, float("nan"), float("inf"), 1e3])
def test_float_amount_is_a_type_error_explaining_why(sft, amount):
    with pytest.raises(TypeError) as info:
        sft.quote(amount, "debit", AT)
    message = str(info.value)
    assert "float" in message and "Decimal" in message
    assert "exactly" in message  # it says why


def test_numpy_float_is_refused_too(sft):
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match="float"):
        sft.quote(np.float64("1.5"), "debit", AT)
    assert sft.quote(np.int64(15), "debit", AT).amount == Decimal("15.00")


@pytest.mark.parametrize("amount", [True, False, None, [1], b"100", object()])
def test_other_types_are_type_errors(sft, amount):
    with pytest.raises(TypeError, match="amount"):
        sft.quote(amount, "debit", AT)


@pytest.mark.parametrize(
    "amount, words",
    [
        (Decimal("NaN"), "NaN"),
        (Decimal("sNaN"), "NaN"),
        (Decimal("Infinity"), "Infinity"),
        (Decimal("-Infinity"), "Infinity"),
        (Decimal("-1"), "negative"),
        (-1, "negative"),
        ("-0.01", "negative"),
        (Decimal("1.001"), "decimal places"),
        ("1.001", "decimal places"),
        (Decimal("0.0000001"), "decimal places"),
        ("", "empty"),
        ("abc", "abc"),
        (10**30, "beyond"),
        (Decimal("1E+30"), "beyond"),
        (Decimal("1" * 1000), "beyond"),
        (Decimal("-0.001"), "decimal places"),
    ],
)
def test_bad_amounts_are_invalid_amount_errors(sft, amount, words):
    with pytest.raises(posfee.InvalidAmountError) as info:
        sft.quote(amount, "debit", AT)
    error = info.value
    assert isinstance(error, posfee.PosfeeError) and isinstance(error, ValueError)
    assert error.code == "invalid_amount"
    assert error.field == "amount"
    assert words in str(error)


@pytest.mark.parametrize("channel", ["visa", "", "DEBIT CARD X"])
def test_unknown_channel(sft, channel):
    with pytest.raises(posfee.InvalidChannelError) as info:
        sft.quote("1", channel, AT)
    assert info.value.code == "invalid_channel"
    assert repr(channel) in str(info.value) or f'"{channel}"' in str(info.value)


def test_channel_must_be_str(sft):
    with pytest.raises(TypeError, match="channel"):
        sft.quote("1", 1, AT)


def test_channel_without_rule(sft):
    with pytest.raises(posfee.NoMatchingRuleError):
        sft.quote("1", "unionpay_qr", AT)


@pytest.mark.parametrize("settlement", ["X1", "T+999", "", "T-1"])
def test_bad_settlement(sft, settlement):
    with pytest.raises(posfee.InvalidSettlementError):
        sft.quote("1", "debit", AT, settlement)


def test_settlement_must_be_str(sft):
    with pytest.raises(TypeError, match="settlement"):
        sft.quote("1", "debit", AT, 1)


@pytest.mark.parametrize("at", ["yesterday", "2026-02-30", "2026-13-01 10:00", ""])
def test_bad_time_text(sft, at):
    with pytest.raises(posfee.InvalidDateError) as info:
        sft.quote("1", "debit", at)
    assert info.value.field == "at"


@pytest.mark.parametrize("at", [1_700_000_000, 1.5, dt.time(10, 0), [2026, 5, 6]])
def test_bad_time_types(sft, at):
    with pytest.raises(TypeError, match="at must be"):
        sft.quote("1", "debit", at)


def test_odd_utc_offsets(sft):
    odd = dt.timezone(dt.timedelta(hours=5, minutes=30, seconds=0, microseconds=1))
    with pytest.raises(posfee.InvalidDateError):
        sft.quote("1", "debit", dt.datetime(2026, 5, 6, 10, 0, tzinfo=odd))
    # whole seconds are fine
    ok = dt.timezone(dt.timedelta(hours=5, minutes=30, seconds=15))
    assert sft.quote("1", "debit", dt.datetime(2026, 5, 6, 10, 0, tzinfo=ok)).trade_day == dt.date(2026, 5, 6)


def test_naive_and_aware_differ_by_the_offset(sft):
    naive = dt.datetime(2026, 5, 6, 23, 30)
    assert sft.quote("1", "debit", naive).trade_day == dt.date(2026, 5, 7)
    assert sft.quote("1", "debit", naive.replace(tzinfo=dt.timezone.utc)).trade_day == dt.date(2026, 5, 7)
    assert sft.quote("1", "debit", naive.replace(tzinfo=dt.timezone(dt.timedelta(hours=9)))).trade_day == dt.date(2026, 5, 6)


def test_bad_card_type(standard):
    with pytest.raises(posfee.InvalidChannelError):
        standard.quote("2000", "unionpay_qr", AT, card_type="gold")
    with pytest.raises(posfee.InvalidRequestError):
        standard.quote("2000", "credit", AT, card_type="debit")


def test_bad_calendar_argument(standard):
    with pytest.raises(TypeError, match="calendar"):
        standard.quote("1", "credit", AT, calendar="china")


def test_unknown_preset_and_bad_files(tmp_path):
    with pytest.raises(posfee.UnknownPresetError) as info:
        posfee.Schedule.preset("nope")
    assert "nope" in str(info.value)
    with pytest.raises(posfee.IoError) as info:
        posfee.Schedule.from_file(tmp_path / "missing.toml")
    assert "missing.toml" in str(info.value)
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 1\n", encoding="utf-8")
    with pytest.raises(posfee.InvalidScheduleError) as info:
        posfee.Schedule.from_file(bad)
    assert info.value.file is not None and "bad.toml" in info.value.file
    with pytest.raises(posfee.InvalidScheduleError):
        posfee.Schedule.from_toml("this is not toml [")


def test_schedule_cannot_be_built_from_anything():
    with pytest.raises(TypeError):
        posfee.Schedule("sft-traditional")  # type: ignore[arg-type]


def test_every_error_kind_has_a_subclass():
    from posfee._errors import ERRORS_BY_CODE

    # The native module names every kind's code (the core's ErrorKind::ALL) and the class of
    # each (an exhaustive match in Rust): the same class the code gives, for every kind.
    named = posfee._core.error_classes()
    assert len(named) == len({code for code, _ in named}) == len(ERRORS_BY_CODE)
    for code, class_name in named:
        cls = ERRORS_BY_CODE[code]
        assert issubclass(cls, posfee.PosfeeError) and cls is not posfee.PosfeeError
        assert cls.code == code and cls.__name__ == class_name
        assert getattr(posfee, cls.__name__) is cls
    assert len(set(ERRORS_BY_CODE.values())) == len(ERRORS_BY_CODE)


@pytest.mark.parametrize("detached", [False, True])
def test_panic_never_reaches_the_user(detached, sft):
    """A Rust panic (with the GIL held, or in bulk work with it released) is an
    InternalError with code `internal`, never pyo3's PanicException, and the module works on."""
    for _ in range(2):
        with pytest.raises(posfee.InternalError) as info:
            posfee._core._panic_for_test(detached=detached)
        assert info.value.code == "internal" == posfee._core.INTERNAL_ERROR_CODE
        assert isinstance(info.value, posfee.PosfeeError)
        assert "deliberate panic" in str(info.value) and "bug" in str(info.value)
        assert sft.quote("100", "debit", AT).fee == Decimal("0.55")
    sample = posfee.simulate(seed=3, trades=200)
    report = posfee.reconcile(sample["ledger"], sample["statement"], "sft-traditional", merchant=sample["merchant"])
    assert report.summary["ledger_rows"] == sample["ledger"].num_rows


def test_errors_pickle_with_code_and_location():
    import pickle

    try:
        posfee.Schedule.preset("sft-traditional").quote("1.001", "debit", AT)
    except posfee.PosfeeError as error:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert (again.code, again.field, str(again)) == (error.code, error.field, str(error))
    else:
        raise AssertionError("no error")


def test_math_nan_is_a_float(sft):
    with pytest.raises(TypeError):
        sft.quote(math.nan, "debit", AT)
