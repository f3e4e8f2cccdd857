"""The ``posfee`` command: quotes, holiday calendars and reconciliation from a terminal.

    posfee quote 5000 debit --at "2026-09-30 22:30" --schedule sft-traditional
    posfee calendar 2026
    posfee reconcile LEDGER STATEMENT --schedule sft-traditional --merchant 822... --out report.csv
    posfee presets

Every command prints a readable table by default and JSON with ``--json``. Errors go to
stderr with their code; the exit status is 1 for a posfee error, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import unicodedata
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence

from posfee._calendar import Calendar
from posfee._errors import PosfeeError
from posfee._schedule import Schedule, presets


def _schedule(name_or_path: str) -> Schedule:
    """A preset by name, or a schedule file (TOML, or JSON by extension)."""
    if name_or_path in presets() or not os.path.exists(name_or_path):
        return Schedule.preset(name_or_path)
    return Schedule.from_file(name_or_path)


def _calendar(path: Optional[str]) -> Calendar:
    calendar = Calendar.china()
    return calendar if path is None else calendar.with_years_from_file(path)


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _table(rows: Sequence[Sequence[Any]], header: Optional[Sequence[str]] = None) -> str:
    """A plain text table with aligned columns (numbers right-aligned)."""
    cells = [[str(c) for c in row] for row in ([header] if header else []) + list(rows)]
    if not cells:
        return ""
    widths = [max(_width(row[i]) for row in cells if i < len(row)) for i in range(max(len(r) for r in cells))]

    def numeric(text: str) -> bool:
        return text.replace(".", "", 1).replace("-", "", 1).replace(",", "").isdigit()

    lines = []
    for n, row in enumerate(cells):
        parts = [_pad(c, widths[i], numeric(c)) for i, c in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
        if header and n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=_json_default))


def _cmd_quote(args: argparse.Namespace) -> int:
    schedule = _schedule(args.schedule)
    quote = schedule.quote(
        args.amount,
        args.channel,
        at=args.at,
        settlement=args.settlement,
        merchant_class=args.merchant_class,
        card_type=args.card_type,
        calendar=None if args.holidays is None else _calendar(args.holidays),
        provisional=args.provisional,
    )
    if args.json:
        print(quote.to_json())
        return 0
    rows = [
        ("schedule", quote.schedule),
        ("channel", quote.channel),
        ("amount", f"¥{quote.amount}"),
        ("fee", f"¥{quote.fee}"),
        ("net", f"¥{quote.net}"),
        ("settlement", quote.settlement),
        ("trade day", quote.trade_day.isoformat()),
        ("settles on", quote.settles_on.isoformat() + (" (provisional)" if quote.settles_on_provisional else "")),
    ]
    print(_table(rows))
    print()
    print(quote.explain())
    return 0


def _cmd_calendar(args: argparse.Namespace) -> int:
    calendar = _calendar(args.holidays)
    year = args.year
    holidays = calendar.holidays(year)
    business_days = calendar.business_days_between(_dt.date(year, 1, 1), _dt.date(year + 1, 1, 1))
    if args.json:
        _print_json(
            {
                "year": year,
                "notice": calendar.notice(year),
                "business_days": business_days,
                "holidays": holidays,
            }
        )
        return 0
    print(f"{year}: {business_days} business days; {calendar.notice(year)}")
    print()
    rows = []
    for holiday in holidays:
        first, last = holiday["first"], holiday["last"]
        days = (last - first).days + 1
        makeup = ", ".join(d.strftime("%a %m-%d") for d in holiday["makeup_workdays"]) or "-"
        rows.append((f"{holiday['name_en']} {holiday['name_zh']}", f"{first:%m-%d} – {last:%m-%d}", days, makeup))
    print(_table(rows, ("holiday", "days off", "days", "make-up working days")))
    return 0


def _cmd_presets(args: argparse.Namespace) -> int:
    names = presets()
    if args.json:
        _print_json([{"name": n, "title": Schedule.preset(n).title} for n in names])
        return 0
    print(_table([(n, Schedule.preset(n).title or "") for n in names], ("preset", "title")))
    return 0


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from posfee._reconcile import reconcile

    report = reconcile(
        args.ledger,
        args.statement,
        _schedule(args.schedule),
        merchant=args.merchant,
        merchant_name=args.merchant_name or "",
        terminals=args.terminal or None,
        statement_format=args.format,
        calendar=None if args.holidays is None else _calendar(args.holidays),
        progress=True if args.progress else (False if args.no_progress else None),
    )
    if args.out:
        report.write_csv(args.out)
    if args.json:
        _print_json(report.summary)
    else:
        print(report.table())
        if args.out:
            print(f"\n{report.rows.num_rows} rows written to {args.out}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posfee", description="Exact fees, settlement dates and reconciliation for China card and QR acquiring.")
    parser.add_argument("--version", action="version", version=f"posfee {__import__('posfee').__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    quote = commands.add_parser("quote", help="the fee, net amount and settlement date of a trade")
    quote.add_argument("amount", help="trade amount in yuan, e.g. 5000 or 12.34")
    quote.add_argument("channel", help="credit, debit, wechat, alipay, unionpay_qr, quickpass, huabei, jd_baitiao")
    quote.add_argument("--schedule", default="standard", help="preset name or schedule file (default: standard)")
    quote.add_argument("--at", help="trade time, e.g. 2026-09-30T22:30:00+08:00 or '2026-09-30 22:30' (China time); default now")
    quote.add_argument("--settlement", default="T1", help="T1, T0, D0, D1, S0, ... (default T1)")
    quote.add_argument("--merchant-class", help="merchant class of class-specific rules, e.g. discounted")
    quote.add_argument("--card-type", help="card type behind a QR/NFC payment: credit or debit")
    quote.add_argument("--provisional", action="store_true", help="allow settlement in a year without holiday data (weekends only)")
    quote.add_argument("--holidays", metavar="TOML", help="extra holiday years to load (State Council notice data)")
    quote.add_argument("--json", action="store_true", help="print JSON")
    quote.set_defaults(run=_cmd_quote)

    calendar = commands.add_parser("calendar", help="a year's holidays and make-up working days")
    calendar.add_argument("year", type=int)
    calendar.add_argument("--holidays", metavar="TOML", help="extra holiday years to load")
    calendar.add_argument("--json", action="store_true", help="print JSON")
    calendar.set_defaults(run=_cmd_calendar)

    listing = commands.add_parser("presets", help="the bundled fee schedules")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=_cmd_presets)

    rec = commands.add_parser("reconcile", help="match a ledger against an acquirer statement")
    rec.add_argument("ledger", help="ledger file (canonical ledger CSV, or .parquet / .arrow / .feather)")
    rec.add_argument("statement", help="statement file (bank CSV, WeChat bill, Alipay CSV, or .parquet / .arrow)")
    rec.add_argument("--schedule", required=True, help="preset name or schedule file of the contract")
    rec.add_argument("--merchant", required=True, help="the registered 15-digit merchant number")
    rec.add_argument("--merchant-name", help="the registered merchant name")
    rec.add_argument("--terminal", action="append", help="a registered terminal id (repeat for several)")
    rec.add_argument("--format", choices=["auto", "bank", "wechat", "alipay", "ledger"], default="auto", help="statement file format (default: auto)")
    rec.add_argument("--holidays", metavar="TOML", help="extra holiday years to load")
    rec.add_argument("--out", help="write every row of the report to this CSV file")
    rec.add_argument("--json", action="store_true", help="print the summary as JSON")
    rec.add_argument("--progress", action="store_true", help="always show a progress bar on stderr")
    rec.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    rec.set_defaults(run=_cmd_reconcile)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``posfee`` console script."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except PosfeeError as error:
        print(f"posfee: error [{error.code}]: {error}", file=sys.stderr)
        return 1
    except TypeError as error:
        print(f"posfee: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
