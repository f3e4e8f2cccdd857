"""posfee.read_statement and posfee.formats: the core's format profiles from Python.

Every folder of core/tests/formats holds a statement written from a published layout and the
canonical rows a correct reader gives (expected.csv). Python must read each with
``format="auto"`` to exactly those rows, from a path and from bytes alike; these are the same
files the Rust golden test reads, so both surfaces agree row for row.
"""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import posfee

FORMATS = Path(__file__).resolve().parents[2] / "core" / "tests" / "formats"
FOLDERS = sorted(p for p in FORMATS.iterdir() if (p / "expected.csv").exists())


def sample_of(folder: Path) -> Path:
    return next(p for p in folder.iterdir() if p.name.startswith("sample."))


def canonical(table) -> list:
    rows = []
    for row in table.to_pylist():
        rows.append(
            {
                "line": str(row["line"]),
                "settlement_date": row["settlement_date"].isoformat() if row["settlement_date"] else "",
                "time": row["time"].astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S"),
                "amount": Decimal(row["amount"]),
                "fee": Decimal(row["fee"]),
                "net": Decimal(row["net"]),
                "channel": row["channel"],
                "kind": row["kind"],
                "rrn": row["rrn"],
                "terminal": row["terminal"],
                "merchant_no": row["merchant_no"],
                "batch": row["batch"],
            }
        )
    return rows


def expected(folder: Path) -> list:
    with open(folder / "expected.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        for money in ("amount", "fee", "net"):
            row[money] = Decimal(row[money])
    return rows


def test_formats_lists_every_shipped_profile_with_its_source():
    listed = posfee.formats()
    names = [f["name"] for f in listed]
    assert {"bank-pos", "wechat-merchant", "alipay-business", "jlpay-detail"} <= set(names)
    assert all(f["title"] and f["source"] for f in listed)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_every_published_layout_reads_to_its_expected_rows(folder):
    path = sample_of(folder)
    # A UnionPay ZM file has no settlement date inside: it is in the file's name (INN<yyMMdd>).
    name = "INN26050688ZM_777290058120001" if folder.name == "unionpay-acp-zm" else str(path)
    table = posfee.read_statement(path, name=name)
    want = expected(folder)
    got = canonical(table)
    assert [r["line"] for r in got] == [r["line"] for r in want]
    for have, should in zip(got, want):
        for key, value in should.items():
            if key == "settlement_date" and value == "":
                continue  # the file has no settlement date; the reader uses the trade's
            assert have[key] == value, (folder.name, should["line"], key)
    assert not (table.schema.metadata or {}).get(b"posfee.issues")
    # The same bytes give the same table.
    assert posfee.read_statement(path.read_bytes(), name=name).equals(table)


def test_a_user_profile_file_reads_a_pipe_file_in_fen(tmp_path):
    profile = tmp_path / "my-acquirer.toml"
    profile.write_text(
        'name = "my-acquirer"\ntitle = "t"\nsource = "s"\ndelimiter = "|"\nheader = false\n[fields]\n'
        'settlement_date = { position = 1, format = "%Y%m%d" }\ntrade_date = { position = 2, format = "%Y%m%d%H%M%S" }\n'
        'amount = { position = 3, unit = "fen" }\nfee = { position = 4, unit = "fen" }\n'
        'card_type = { position = 5, map = { "01" = "debit", "02" = "credit" } }\nrrn = { position = 6 }\n',
        encoding="utf-8",
    )
    table = posfee.read_statement(b"20260507|20260506103000|100000|600|02|612610000001\r\n", format=str(profile))
    row = table.to_pylist()[0]
    assert (row["amount"], row["fee"], row["net"], row["channel"], row["line"]) == (Decimal("1000.00"), Decimal("6.00000"), Decimal("994.00000"), "credit", 1)


def test_bad_lines_raise_or_are_listed(tmp_path):
    text = "清算日期,交易日期,交易时间,交易金额,手续费,参考号,卡类别\r\n20260507,20260506,103000,100.00,0.60,612610000001,贷记卡\r\n20260507,20260506,103000,1x0,0.60,612610000002,贷记卡\r\n"
    with pytest.raises(posfee.InvalidAmountError) as raised:
        posfee.read_statement(text.encode(), name="bank.csv")
    assert (raised.value.line, raised.value.field) == (3, "amount")
    table = posfee.read_statement(text.encode(), on_invalid="report", name="bank.csv")
    assert table.num_rows == 1
    issues = table.schema.metadata[b"posfee.issues"].decode()
    assert "line 3" in issues and "amount" in issues


def test_unknown_formats_and_files_that_fit_none():
    with pytest.raises(posfee.InvalidRequestError) as raised:
        posfee.read_statement(b"a,b\n", format="visa")
    assert "bank-pos" in str(raised.value)
    with pytest.raises(posfee.InvalidRecordError) as raised:
        posfee.read_statement(b"a,b,c\n1,2,3\n")
    assert "closest" in str(raised.value)


def physical_lines(path: Path) -> list:
    """The sample's lines as the readers count them (CRLF, LF or a lone CR), BOM and
    encoding (UTF-8 or GB18030) taken off."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def cells(line: str, delimiter: str) -> list:
    """A line's fields as an Excel export holds them: amounts with a decimal point as number
    cells (binary floating point in the file, as Excel keeps them), the rest as text."""
    fields = next(csv.reader([line], delimiter=delimiter), [])
    out = []
    for field in fields:
        whole, dot, fraction = field.partition(".")
        digits = whole.lstrip("-")
        decimal = dot and digits.isdigit() and fraction.isdigit() and not (len(digits) > 1 and digits.startswith("0"))
        out.append(float(field) if decimal else field)
    return out


DELIMITED = [f for f in FOLDERS if f.name != "unionpay-acp-zm"]


@pytest.mark.parametrize("folder", DELIMITED, ids=[f.name for f in DELIMITED])
def test_an_excel_export_reads_to_the_same_rows_as_the_text_file(folder, tmp_path):
    """The WeChat personal bill and many bank exports come as .xlsx or .xls: the same sheet
    reads to the same canonical rows as the text file, row k of the sheet on line k."""
    import openpyxl
    import xlwt

    path = sample_of(folder)
    delimiter = "|" if folder.name == "jlpay-detail" else ","
    rows = [cells(line, delimiter) for line in physical_lines(path)]
    want = canonical(posfee.read_statement(path))

    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(row=r, column=c, value=value)
    xlsx = tmp_path / "sample.xlsx"
    book.save(xlsx)

    old = xlwt.Workbook(encoding="utf-8")
    old_sheet = old.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                old_sheet.write(r, c, value)
    xls = tmp_path / "sample.xls"
    old.save(str(xls))

    for workbook in (xlsx, xls):
        table = posfee.read_statement(workbook)  # format="auto": sniffed on the sheet
        assert canonical(table) == want, workbook.name
        assert not (table.schema.metadata or {}).get(b"posfee.issues")
        assert canonical(posfee.read_statement(workbook.read_bytes(), name=workbook.name)) == want


def test_a_damaged_workbook_is_an_error_naming_the_file(tmp_path):
    broken = tmp_path / "bill.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(posfee.InvalidRecordError, match="bill.xlsx") as caught:
        posfee.read_statement(broken)
    assert caught.value.file == str(broken)
