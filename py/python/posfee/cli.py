"""The ``posfee`` command: quotes, holiday calendars and reconciliation from a terminal.

    posfee quote 5000 debit --at "2026-09-30 22:30" --schedule sft-traditional
    posfee calendar 2026
    posfee reconcile LEDGER STATEMENT --schedule sft-traditional --merchant 822... --out report.csv
    posfee presets

Every command prints a readable table by default and JSON with ``--json``. Any error, bad
input or a usage mistake alike, is one line on stderr, ``posfee: error [code]: message``
(``code`` is the error's stable code, ``usage`` for a command line argparse rejects), and
the exit status is 2; an internal error (a bug) exits with 1.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import unicodedata
from decimal import Decimal
from typing import Any, Dict, List, NoReturn, Optional, Sequence

from posfee._calendar import Calendar
from posfee._errors import IoError, PosfeeError
from posfee._schedule import Schedule, presets

EXIT_BAD_INPUT = 2
"""The exit status of any error caused by the input or the command line."""
EXIT_INTERNAL = 1
"""The exit status of an internal error (a bug in posfee)."""

_HOLIDAYS_HINT = "pass --holidays FILE with that year's holiday data (posfee TOML or holiday-cn JSON)"


class _UsageError(Exception):
    """A command line that argparse rejects."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are raised (and reported in the one-line format)."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see `{self.prog} --help`)")


def _looks_like_path(text: str) -> bool:
    return "/" in text or os.sep in text or "." in text or os.path.exists(text)


def _schedule(name_or_path: str) -> Schedule:
    """A preset by name, or a schedule file (TOML, or JSON by extension): a value that looks
    like a path (has ``/`` or ``.``, or exists) is a file, and a missing one is reported as
    a missing file, not as an unknown preset."""
    if name_or_path not in presets() and _looks_like_path(name_or_path):
        return Schedule.from_file(name_or_path)
    return Schedule.preset(name_or_path)


def _calendar(path: Optional[str]) -> Calendar:
    calendar = Calendar.china()
    return calendar if path is None else calendar.with_years_from_file(path)


def _writable(path: str) -> None:
    """Fails before any work when ``path`` is in a folder that does not exist."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise IoError(f"cannot write {path}: the folder {folder} does not exist", file=path)
    if os.path.isdir(path):
        raise IoError(f"cannot write {path}: it is a folder", file=path)


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

    if args.out:
        _writable(args.out)
    report = reconcile(
        args.ledger,
        args.statement,
        _schedule(args.schedule),
        merchant=args.merchant,
        merchant_name=args.merchant_name or "",
        terminals=args.terminal or None,
        merchant_class=args.merchant_class,
        settlement=args.settlement,
        calendar=None if args.holidays is None else _calendar(args.holidays),
        provisional=args.provisional,
        match_window_seconds=args.window,
        statement_format=args.format,
        on_invalid=args.on_invalid,
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
    parser = _Parser(prog="posfee", description="Exact fees, settlement dates and reconciliation for China card and QR acquiring.")
    parser.add_argument("--version", action="version", version=f"posfee {__import__('posfee').__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    holidays_help = "a file of holiday years to add to the embedded calendar: posfee TOML or holiday-cn JSON"

    quote = commands.add_parser("quote", help="the fee, net amount and settlement date of a trade")
    quote.add_argument("amount", help="trade amount in yuan, e.g. 5000 or 12.34")
    quote.add_argument("channel", help="credit, debit, wechat, alipay, unionpay_qr, quickpass, huabei, jd_baitiao")
    quote.add_argument("--schedule", default="standard", help="preset name or schedule file (default: standard)")
    quote.add_argument("--at", help="trade time, e.g. 2026-09-30T22:30:00+08:00 or '2026-09-30 22:30' (China time); default now")
    quote.add_argument("--settlement", default="T1", help="T1, T0, D0, D1, S0, ... (default T1)")
    quote.add_argument("--merchant-class", help="merchant class of class-specific rules, e.g. discounted")
    quote.add_argument("--card-type", help="card type behind a QR/NFC payment: credit or debit")
    quote.add_argument("--provisional", action="store_true", help="allow settlement in a year without holiday data (weekends only)")
    quote.add_argument("--holidays", metavar="FILE", help=holidays_help)
    quote.add_argument("--json", action="store_true", help="print JSON")
    quote.set_defaults(run=_cmd_quote)

    calendar = commands.add_parser("calendar", help="a year's holidays and make-up working days")
    calendar.add_argument("year", type=int)
    calendar.add_argument("--holidays", metavar="FILE", help=holidays_help)
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
    rec.add_argument("--merchant-class", help="the merchant's class in the contract, e.g. discounted")
    rec.add_argument("--settlement", default="T1", help="the merchant's settlement mode: T1, T0, D0, D1, S0, ... (default T1)")
    rec.add_argument("--provisional", action="store_true", help="settlement dates in a year without holiday data: weekends only")
    rec.add_argument(
        "--window", type=int, default=120, metavar="SECONDS", help="how far apart in time trades without a reference may match (default 120)"
    )
    rec.add_argument(
        "--on-invalid",
        choices=["raise", "report"],
        default="raise",
        help="a line that cannot be read: stop with its error (raise, the default) or keep it as an unreadable row (report)",
    )
    rec.add_argument("--format", choices=["auto", "bank", "wechat", "alipay"], default="auto", help="statement file format (default: auto)")
    rec.add_argument("--holidays", metavar="FILE", help=holidays_help)
    rec.add_argument("--out", help="write every row of the report to this CSV file")
    rec.add_argument("--json", action="store_true", help="print the summary as JSON")
    rec.add_argument("--progress", action="store_true", help="always show a progress bar on stderr")
    rec.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    rec.set_defaults(run=_cmd_reconcile)
    return parser


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(error: PosfeeError, command: Optional[str]) -> str:
    """The error's message and location, with what to do on the command line (not in Python)."""
    text = error.message
    if error.location:
        text += f" (at {error.location})"
    hint = error.hint
    if error.code == "calendar_out_of_range":
        hint = f"On the command line: {_HOLIDAYS_HINT}" + ("" if command == "calendar" else ", or --provisional to count weekends only")
    return f"{text}. {hint}" if hint else text


def _fail(code: str, message: str) -> None:
    print(f"posfee: error [{code}]: {_one_line(message)}", file=sys.stderr)


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``posfee`` console script: the exit status (0, or 2 for any bad
    input or usage error, reported as one line ``posfee: error [code]: …`` on stderr)."""
    command: Optional[str] = None
    try:
        args = _parser().parse_args(argv)
        command = args.command
        code: int = args.run(args)
        return code
    except _UsageError as error:
        _fail("usage", str(error))
        return EXIT_BAD_INPUT
    except PosfeeError as error:
        _fail(error.code, _describe(error, command))
        return EXIT_INTERNAL if error.code == "internal" else EXIT_BAD_INPUT
    except OSError as error:
        # A file the command itself opens (the core and posfee's readers raise IoError).
        _fail("io", str(error))
        return EXIT_BAD_INPUT
    except Exception as error:  # a bug: still one line, never a traceback
        _fail("internal", f"internal error in posfee (a bug; please report it with the command): {type(error).__name__}: {error}")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
