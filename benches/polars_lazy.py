"""posfee's reconciliation as one tuned polars lazy plan, on the files of scripts/bench-reconcile.sh.

Usage: polars_lazy.py DIR   (DIR holds ledger.csv, statement.csv and due_dates.csv, written by
`posfee demo --trades N --export-sample DIR`); POLARS_ENGINE=in-memory to compare engines.
Prints one JSON line: the seconds of the query (scan to counts, after `import polars`) and the
rows per class on each side.

What it reproduces, exactly (integer fen, no floats), for the `sft-traditional` contract:
- declined: response code other than 00 (empty is approved);
- voids: the first approved void of a (reference, terminal) voids the first approved purchase
  with that reference and terminal (both `voided`); any other void is `void_without_original`;
- duplicates, on each side: the same (reference, terminal, trade date) as an earlier row, or for
  rows without a reference the same (terminal, time, amount, kind); on the ledger only among the
  rows left after declined and voided;
- matching by reference: (reference, terminal, trade date) equal and the kind equal;
- the checks of a pair, the first that applies being its class: amount_differs; the fee against
  the contract (credit 0.60%, debit 0.55% capped at 20 yuan, QR 0.38%, half up to the fen,
  from the ledger's channel; refunds keep the fee, so 0 is expected): an excess that is a whole
  number of 10 fen on a purchase is extra_fee, any other fee_above, a shortfall fee_below;
  net_differs (net = ±amount − fee); settled_late (after the due date of the trade day, the
  day after a 23:00 cut-off, from due_dates.csv); settled_before_trade; merchant_differs (another
  merchant number); unchecked (a refund above its purchase or before it: posfee cannot check
  it, the fee and date checks are skipped); otherwise ok;
- never_settled / no_ledger_trade for what is left.
Not reproduced: posfee's time-window fallback for rows without a reference (the harness moves
those pairs before comparing), reasons per row, channels the preset does not price, schedule
versions, card types, the holiday calendar itself (due_dates.csv is posfee's answer for each
trade day). Duplicates are found by a 64-bit hash of the key, as a tuned pipeline does: two
different keys with the same hash would be taken for duplicates (odds about n²/2⁶⁵, 3·10⁻⁸ at
a million keys); the harness compares every count with posfee's.

What was tried, in order (the whole query, best of 3; 300k trades a side unless noted; CPU
seconds, because other jobs shared the 2 cores, load average 3-4; 2026-11-29, polars 2.1.0):
1. First complete plan: 1.01 s wall at 300k (in-memory); at 1M a side 3.0 s wall in-memory,
   2.7 s streaming.
2. The ledger's `time` read as text and parsed by `str.to_datetime` with its format instead of
   `pl.Datetime` in the scan schema: the ledger scan alone 0.42 -> 0.08 s wall; the plan
   1.01 -> 0.64 s wall (0.71 s CPU).
3. `.cache()` on the scanned ledger: predicate pushdown had given each small side table (voids,
   refunds, their originals) a scan of its own, so the CSV was parsed five times: 0.71 -> 0.47.
4. Kinds compared by the physical codes of two Enums in the same order, instead of mapping the
   statement's 消费/退货/撤销 to text (and no second hash to verify pairs): 0.47 -> 0.40.
5. The fee, the due date and "unchecked" computed on the ledger side and the statement's own
   checks on the statement side, so that the join carries 15 narrow columns: no measurable
   change (0.40); kept.
6. Money as `pl.Decimal(18, 2)` in the scan, then `(x * 100).cast(Int64)`, instead of
   `str.replace(".", "").cast(Int64)`: the three statement money columns 0.086 -> 0.061 s;
   the plan 0.40 -> 0.35.
7. Classes as `pl.Enum` literals instead of strings: 0.36 -> 0.33.
8. Engine: streaming (the default of polars 2) against in-memory at 1M a side, twice each:
   0.98-1.30 s wall (1.15-1.39 s CPU) against 1.10-1.59 s (1.40-1.73 s CPU); peak RSS about
   500 MiB either way. Streaming is used.
Tried and not kept:
- duplicates by `pl.struct(key).is_first_distinct()` without `hash()`: 0.35 -> 0.43;
- the full join on the key columns (reference, terminal, date) instead of one u64 hash:
  0.33-0.35 -> 0.40-0.48;
- `pl.Categorical` for the terminal: hashing the key got slower (0.041 -> 0.050 s);
- `collect_all` of the two sides before the join: the sides alone take 0.28 s of the 0.33, and
  the join's inputs already run in parallel: nothing to win.
A correctness note: the streaming engine reorders the output of a join unless asked
(`maintain_order="left"`), and duplicates are "the first in file order"; the one join before
that step keeps the order, the small side tables use the lowest row number instead of order.
"""

import datetime
import json
import os
import sys
import time

import polars as pl

REGISTERED = "102310058120001"

CLASSES = [
    "ok", "amount_differs", "extra_fee", "fee_above", "fee_below", "net_differs", "settled_late",
    "settled_before_trade", "merchant_differs", "unchecked", "declined", "voided", "void_without_original",
    "never_settled", "no_ledger_trade", "ledger_duplicate", "statement_duplicate",
]
CLASS = pl.Enum(CLASSES)
KIND = pl.Enum(["purchase", "void", "refund"])
MONEY = pl.Decimal(18, 2)  # exact; read as decimal text, held as integer hundredths
CHANNEL = pl.Enum(["credit", "debit", "wechat", "alipay", "huabei", "jd_baitiao", "unionpay_qr"])

LEDGER_SCHEMA = {
    "trade_id": pl.String,
    "rrn": pl.String,
    "trace": pl.String,
    "terminal": pl.String,
    "merchant_no": pl.String,
    "time": pl.String,  # parsed below with an explicit format: much faster than pl.Datetime here
    "amount": MONEY,
    "channel": CHANNEL,
    "card_type": pl.String,
    "kind": KIND,
    "response_code": pl.String,
    "original_rrn": pl.String,
}
STATEMENT_SCHEMA = {
    "清算日期": pl.Int32,  # settlement date, yyyymmdd
    "商户号": pl.String,
    "商户名称": pl.String,
    "终端号": pl.String,
    "交易日期": pl.Int32,  # trade date, yyyymmdd
    "交易时间": pl.Int32,  # hhmmss
    "交易金额": MONEY,
    "手续费": MONEY,
    "结算金额": MONEY,
    "参考号": pl.String,
    "卡类别": pl.String,
    "交易类型": pl.Enum(["消费", "撤销", "退货"]),  # in the order of KIND: the same physical codes
}
STATEMENT_NAMES = dict(
    zip(STATEMENT_SCHEMA, ["settled", "s_merchant_no", "s_merchant_name", "s_terminal", "s_date", "s_clock", "s_amount", "fee", "net", "s_rrn", "s_card", "s_kind"])
)


def fen(column: str) -> pl.Expr:
    # Decimal(18, 2) 1234.56 / -1.50 -> 123456 / -150, exactly
    return (pl.col(column) * 100).cast(pl.Int64)


def klass(name: str) -> pl.Expr:
    return pl.lit(name, dtype=CLASS)


def plan(directory: str) -> pl.LazyFrame:
    ledger = (
        pl.scan_csv(f"{directory}/ledger.csv", schema=LEDGER_SCHEMA)
        .with_row_index("row")
        .with_columns(pl.col("time").str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us"))
    )
    ledger = ledger.cache()  # one scan for the main table and the small side tables
    statement = pl.scan_csv(f"{directory}/statement.csv", schema=STATEMENT_SCHEMA).rename(STATEMENT_NAMES)
    due = pl.read_csv(f"{directory}/due_dates.csv", schema={"trade_day": pl.Date, "due_date": pl.Date})
    first_day = (due["trade_day"][0] - datetime.date(1970, 1, 1)).days
    due_date = pl.col("due_date")
    due_by_day = due.select(due_date.dt.year() * 10000 + due_date.dt.month().cast(pl.Int32) * 100 + due_date.dt.day()).to_series()

    code = pl.col("response_code")
    approved = code.is_null() | (code == "00")
    kind = pl.col("kind")

    # Voids: the first approved void of a (reference, terminal) voids the first approved
    # purchase with it; any other void has no original. "First" is the lowest row (these
    # tables are small; a join may reorder rows, so no step relies on row order).
    first_voids = (
        ledger.filter(approved & (kind == "void"))
        .group_by(pl.col("original_rrn").alias("rrn"), "terminal")
        .agg(pl.col("row").min())
    )
    voided_purchases = (
        ledger.filter(approved & (kind == "purchase"))
        .join(first_voids.select("rrn", "terminal"), on=["rrn", "terminal"], how="semi")
        .group_by("rrn", "terminal")
        .agg(pl.col("row").min())
    )
    voiding = first_voids.join(voided_purchases.select("rrn", "terminal"), on=["rrn", "terminal"], how="semi")
    voided_rows = pl.concat([voided_purchases.select("row"), voiding.select("row")]).with_columns(voided=pl.lit(True))

    # Refunds: the first approved purchase of the original reference (any terminal); a refund
    # above it or before it cannot be checked (unchecked).
    refunds = ledger.filter(kind == "refund").select("row", "original_rrn", amount=fen("amount"), time="time")
    originals = (
        ledger.filter(approved & (kind == "purchase"))
        .join(refunds.select(rrn="original_rrn"), on="rrn", how="semi")
        .group_by("rrn")
        .agg(pl.col("amount", "time").sort_by("row").first())
        .select(original_rrn="rrn", p_amount=fen("amount"), p_time="time")
    )
    unchecked_rows = refunds.join(originals, on="original_rrn", how="inner").select(
        "row", unchecked=(pl.col("amount") > pl.col("p_amount")) | (pl.col("time") < pl.col("p_time"))
    )
    exceptions = pl.concat([voided_rows, unchecked_rows], how="diagonal")

    # maintain_order: the duplicates below are found in file order (the streaming engine
    # reorders a join's output otherwise)
    ledger = ledger.select("row", "rrn", "terminal", "time", "channel", "kind", amount=fen("amount"), approved=approved).join(
        exceptions, on="row", how="left", maintain_order="left"
    )
    is_void = kind == "void"
    open_ = pl.col("approved") & ~is_void & pl.col("voided").is_null()
    has_rrn = pl.col("rrn").is_not_null()
    day = pl.col("time").dt.date().alias("day")
    key = pl.when(open_).then(
        pl.when(has_rrn).then(pl.struct("rrn", "terminal", day).hash()).otherwise(pl.struct("terminal", "time", "amount", "kind").hash())
    )
    ledger = ledger.with_columns(key=key).with_columns(
        l_pre=pl.when(~pl.col("approved"))
        .then(klass("declined"))
        .when(pl.col("voided").is_not_null())
        .then(klass("voided"))
        .when(is_void)
        .then(klass("void_without_original"))
        .when(~pl.col("key").is_first_distinct())
        .then(klass("ledger_duplicate"))
    )
    # The contract's fee (sft-traditional, half up to the fen; refunds keep the fee) from the
    # ledger's channel and amount: a pair whose amounts differ is amount_differs whatever its fee.
    a = pl.col("amount")
    channel = pl.col("channel")
    purchase_fee = (
        pl.when(channel == "credit")
        .then((a * 60 + 5_000) // 10_000)
        .when(channel == "debit")
        .then(pl.min_horizontal((a * 55 + 5_000) // 10_000, 2_000))
        .otherwise((a * 38 + 5_000) // 10_000)
    )
    trade_day = (pl.col("time").dt.epoch("s") + 3600) // 86400 - first_day  # after the 23:00 cut-off: the next day
    ledger = ledger.select(
        "l_pre",
        "amount",
        l=pl.lit(True),
        jkey=pl.when(pl.col("l_pre").is_null() & has_rrn).then(pl.col("key")),
        kind=kind.to_physical(),
        expected=pl.when(kind == "purchase").then(purchase_fee).otherwise(0),
        due=pl.lit(due_by_day).gather(trade_day),
        unchecked=pl.col("unchecked").fill_null(False),
    )

    s_day = pl.date(pl.col("s_date") // 10000, pl.col("s_date") // 100 % 100, pl.col("s_date") % 100).alias("day")
    s_has_rrn = pl.col("s_rrn").is_not_null()
    skey = pl.when(s_has_rrn).then(
        pl.struct(pl.col("s_rrn").alias("rrn"), pl.col("s_terminal").alias("terminal"), s_day).hash()
    ).otherwise(pl.struct("s_terminal", "s_date", "s_clock", "s_amount", "s_kind").hash())
    statement = statement.with_columns(skey=skey).with_columns(s_dup=~pl.col("skey").is_first_distinct())
    is_purchase = pl.col("s_kind") == "消费"
    s_amount, fee, net = fen("s_amount"), fen("fee"), fen("net")
    statement = statement.select(
        "settled",
        "s_dup",
        s=pl.lit(True),
        jkey=pl.when(~pl.col("s_dup") & s_has_rrn).then(pl.col("skey")),
        s_kind=pl.col("s_kind").to_physical(),
        s_amount=s_amount,
        fee=fee,
        purchase=is_purchase,
        # The checks that need the statement row alone.
        net_differs=net != pl.when(is_purchase).then(s_amount).otherwise(-s_amount) - fee,
        before_trade=pl.col("settled") < pl.col("s_date"),
        merchant_differs=pl.col("s_merchant_no").is_not_null() & (pl.col("s_merchant_no") != REGISTERED),
    )
    joined = ledger.join(statement, on="jkey", how="full", coalesce=True)

    excess = pl.col("fee") - pl.col("expected")
    checked = ~pl.col("unchecked")
    pair_class = (
        pl.when(pl.col("amount") != pl.col("s_amount"))
        .then(klass("amount_differs"))
        .when(checked & (excess > 0) & (excess % 10 == 0) & pl.col("purchase"))
        .then(klass("extra_fee"))
        .when(checked & (excess > 0))
        .then(klass("fee_above"))
        .when(checked & (excess < 0))
        .then(klass("fee_below"))
        .when(pl.col("net_differs"))
        .then(klass("net_differs"))
        .when(checked & (pl.col("settled") > pl.col("due")))
        .then(klass("settled_late"))
        .when(pl.col("before_trade"))
        .then(klass("settled_before_trade"))
        .when(pl.col("merchant_differs"))
        .then(klass("merchant_differs"))
        .when(pl.col("unchecked"))
        .then(klass("unchecked"))
        .otherwise(klass("ok"))
    )
    paired = pl.col("l") & pl.col("s") & (pl.col("kind") == pl.col("s_kind"))
    l_class = pl.when(pl.col("l")).then(
        pl.when(pl.col("l_pre").is_not_null()).then(pl.col("l_pre")).when(paired).then(pair_class).otherwise(klass("never_settled"))
    )
    s_class = pl.when(pl.col("s")).then(
        pl.when(pl.col("s_dup")).then(klass("statement_duplicate")).when(paired).then(pair_class).otherwise(klass("no_ledger_trade"))
    )
    return joined.select(l_class=l_class, s_class=s_class).group_by("l_class", "s_class").len()


def main(directory: str) -> None:
    engine = os.environ.get("POLARS_ENGINE", "streaming")
    started = time.perf_counter()
    counts = plan(directory).collect(engine=engine)
    seconds = time.perf_counter() - started
    ledger: dict[str, int] = {}
    statement: dict[str, int] = {}
    for l_class, s_class, n in counts.iter_rows():
        if l_class is not None:
            ledger[l_class] = ledger.get(l_class, 0) + n
        if s_class is not None:
            statement[s_class] = statement.get(s_class, 0) + n
    print(json.dumps({"engine": "polars", "version": pl.__version__, "seconds": round(seconds, 3), "ledger": ledger, "statement": statement}))


if __name__ == "__main__":
    main(sys.argv[1])
