"""The polars equivalent of `posfee.reconcile` on the same generated files, for BENCHMARKS.md.

Usage: polars_baseline.py DIR   (DIR holds ledger.csv, statement.csv, due_dates.csv written by
`cargo run --release -p posfee-cli -- demo --trades N --export-sample DIR`)

Pipeline, kept exact (integer fen, no floats): read both CSVs; declined trades by response
code; voids cancel their originals; duplicates on both sides by (reference, terminal, trade
date); full join on (reference, terminal, trade date); the contract's fee as an expression
(sft-traditional: credit 0.60%, debit 0.55% capped at 20 yuan, QR 0.38%, half up to the fen;
refunds keep the fee); checks: amount, fee above / below / fixed extra (10-fen steps), net,
settled late (due dates per trade day after the 23:00 cut-off, from due_dates.csv), merchant
number. Not done here (posfee does it): the time-window fallback for rows without a reference,
refund fees from the original trade, per-row reasons.

Prints one JSON line: read and pipeline seconds, rows, and counts per class.
"""

import json
import sys
import time

import polars as pl

REGISTERED = "102310058120001"


def fen(column: str) -> pl.Expr:
    # "1234.56" / "-1.50" -> 123456 / -150 (the files carry exactly two decimals)
    return pl.col(column).str.replace(".", "", literal=True).cast(pl.Int64)


def main(directory: str) -> None:
    started = time.perf_counter()
    ledger = pl.read_csv(f"{directory}/ledger.csv", infer_schema=False)
    statement = pl.read_csv(f"{directory}/statement.csv", infer_schema=False)
    due = pl.read_csv(f"{directory}/due_dates.csv", try_parse_dates=True)
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    ledger = ledger.with_columns(
        amount_fen=fen("amount"),
        time=pl.col("time").str.to_datetime("%Y-%m-%d %H:%M:%S"),
    ).with_columns(trade_date=pl.col("time").dt.date(), row=pl.int_range(pl.len()))
    statement = statement.rename(
        {
            "清算日期": "settlement_date",
            "商户号": "merchant_no",
            "终端号": "terminal",
            "参考号": "rrn",
            "交易金额": "amount",
            "手续费": "fee",
            "结算金额": "net",
            "卡类别": "card_type",
            "交易类型": "kind",
        }
    ).with_columns(
        settlement_date=pl.col("settlement_date").str.to_date("%Y%m%d"),
        time=(pl.col("交易日期") + pl.col("交易时间")).str.to_datetime("%Y%m%d%H%M%S"),
        s_amount=fen("amount"),
        fee_fen=fen("fee"),
        net_fen=fen("net"),
    ).with_columns(trade_date=pl.col("time").dt.date(), s_row=pl.int_range(pl.len()))

    approved = pl.col("response_code") == "00"
    declined = ledger.filter(~approved).group_by("response_code").agg(pl.len().alias("trades"), pl.col("amount_fen").sum())
    voids = ledger.filter(approved & (pl.col("kind") == "void")).select(pl.col("original_rrn").alias("rrn"), "terminal")
    open_trades = ledger.filter(approved & (pl.col("kind") != "void")).join(voids, on=["rrn", "terminal"], how="anti")
    voided_count = ledger.filter(approved).height - open_trades.height
    key = ["rrn", "terminal", "trade_date"]
    open_trades = open_trades.with_columns(duplicate=~pl.struct(key).is_first_distinct())
    ledger_duplicates = open_trades.filter(pl.col("duplicate")).height
    open_trades = open_trades.filter(~pl.col("duplicate"))
    statement = statement.with_columns(duplicate=~pl.struct(key).is_first_distinct() & pl.col("rrn").is_not_null())
    statement_duplicates = statement.filter(pl.col("duplicate")).height
    statement_first = statement.filter(~pl.col("duplicate"))

    joined = open_trades.join(statement_first, on=key, how="full", coalesce=True, suffix="_s")
    rate_bp = (
        pl.when(pl.col("card_type_s") == "贷记卡").then(60).when(pl.col("card_type_s") == "借记卡").then(55).otherwise(38)
    )
    expected = (pl.col("s_amount") * rate_bp + 5_000) // 10_000
    expected = pl.when(pl.col("card_type_s") == "借记卡").then(pl.min_horizontal(expected, pl.lit(2_000))).otherwise(expected)
    expected = pl.when(pl.col("kind_s") == "退货").then(0).otherwise(expected)
    excess = pl.col("fee_fen") - pl.col("expected_fee")
    signed = pl.when(pl.col("kind_s") == "消费").then(pl.col("s_amount")).otherwise(-pl.col("s_amount"))
    # trade day after the 23:00 cut-off
    joined = joined.with_columns(expected_fee=expected, trade_day=(pl.col("time_s") + pl.duration(hours=1)).dt.date())
    joined = joined.join(due, on="trade_day", how="left")
    matched = pl.col("row").is_not_null() & pl.col("s_row").is_not_null()
    joined = joined.with_columns(
        klass=pl.when(pl.col("row").is_null())
        .then(pl.lit("no_ledger_trade"))
        .when(pl.col("s_row").is_null())
        .then(pl.lit("never_settled"))
        .when(pl.col("amount_fen") != pl.col("s_amount"))
        .then(pl.lit("amount_differs"))
        .when((excess > 0) & (excess % 10 == 0) & (pl.col("kind_s") == "消费"))
        .then(pl.lit("extra_fee"))
        .when(excess > 0)
        .then(pl.lit("fee_above"))
        .when(excess < 0)
        .then(pl.lit("fee_below"))
        .when(pl.col("net_fen") != signed - pl.col("fee_fen"))
        .then(pl.lit("net_differs"))
        .when(pl.col("settlement_date") > pl.col("due_date"))
        .then(pl.lit("settled_late"))
        .when(pl.col("merchant_no_s") != REGISTERED)
        .then(pl.lit("merchant_differs"))
        .otherwise(pl.lit("ok"))
    )
    counts = joined.group_by("klass").agg(pl.len().alias("rows"), pl.col("fee_fen").sum(), pl.col("expected_fee").filter(matched).sum())
    overcharge = joined.filter(matched & (excess > 0)).select(excess.sum()).item()
    pipeline_seconds = time.perf_counter() - started

    result = {
        "read_seconds": round(read_seconds, 3),
        "pipeline_seconds": round(pipeline_seconds, 3),
        "ledger_rows": ledger.height,
        "statement_rows": statement.height,
        "classes": {row["klass"]: row["rows"] for row in counts.iter_rows(named=True)},
        "declined": declined["trades"].sum(),
        "voided": voided_count,
        "ledger_duplicates": ledger_duplicates,
        "statement_duplicates": statement_duplicates,
        "overcharge_fen": overcharge,
        "polars": pl.__version__,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
