"""Writes the inputs of the reading benchmark (issue 13, point 2): each shipped statement format's
test file (core/tests/formats/<folder>/sample.*) scaled up to about 100 MB, into
target/bench-data/read/<profile>.<ext>. Called by scripts/bench-read.sh when a file is missing.

Usage: make_read_inputs.py [--mb 100] [--out target/bench-data/read] [--only PROFILE,...] [--force]

How a file is made: the sample's detail rows are written again and again, one "block" (all of
them, in order) after another. In block b every reference / order / transaction number is made
fresh by writing b into eight of its digits (the 8 digits before the last 4 of its longest run
of digits, when that run is at least 12 long; shorter numbers such as batch and trace numbers
are kept), so the rows of every block are distinct and a void or refund still points at the
purchase of its own block; every money column is multiplied by a whole number m_b (1..20,
seeded), so amounts differ from block to block and every relation the file holds (net =
amount − fee, a refund of part of a purchase, the fee of a void) stays exact. The preamble,
header and footer lines are kept as they are, except the lines that state the file's own
totals (bank 合计 row, WeChat's 总交易单数 block, Alipay's #交易合计/#退款合计, the personal
bills' 共N笔记录 / 收入：N笔 X元 lines): their counts are multiplied by the number of blocks
and their money by Σ m_b, so they still add up. The encoding (UTF-8 with or without BOM, GBK),
line ends, quoting, backticks, padding and fixed widths are the sample's. Leshua's 编号 column
counts the rows. The ZM file is named unionpay-acp-zm.INN26050601ZM.txt: that format has no year
in its rows and no settlement date but the one in its file name (INN<yymmdd>, as UnionPay names
it), which the profile reads. Nothing is copied from outside the repository.

FORMATS (below) also holds, per file, how polars' read_csv reads it (benches/read_speed.py).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "core" / "tests" / "formats"
OUT = ROOT / "target" / "bench-data" / "read"
SEED = 13


@dataclass
class Format:
    profile: str
    sample: str  # path under core/tests/formats
    ext: str
    encoding: str  # of the sample (and the file written)
    header_line: int | None  # 0-based line of the header, None without one
    footer: int  # lines after the detail rows
    ids: list  # header names (or 1-based positions) of the numbers made fresh per block
    money: list  # header names (or 1-based positions) of the money columns scaled per block
    totals: list = field(default_factory=list)  # 0-based lines that state the file's own totals
    delimiter: str = ","
    widths: list | None = None  # fixed widths in bytes (one separator byte between fields)
    rownum: int | None = None  # 1-based position of a running row number
    polars: dict = field(default_factory=dict)  # pl.read_csv arguments for the same file
    note: str = ""  # what polars' read differs in
    name_tail: str = ""  # between the profile and the extension in the file name


ZM_WIDTHS = [3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12,
             2, 1, 32, 98]

FORMATS = [
    Format("bank-pos", "bank-pos-csv/sample.csv", "csv", "utf-8", 2, 1, ["参考号"], ["交易金额", "手续费", "结算金额"], totals=[11],
           polars=dict(skip_rows=2)),
    Format("wechat-merchant", "wechat-merchant-all/sample.csv", "csv", "utf-8", 0, 2,
           ["微信订单号", "商户订单号", "微信退款单号", "商户退款单号"],
           ["应结订单金额", "代金券金额", "退款金额", "充值券退款金额", "手续费", "订单金额", "申请退款金额"], totals=[10],
           polars=dict(), note="backticks kept in the values"),
    Format("alipay-business", "alipay-merchant-detail/sample.csv", "csv", "gbk", 4, 4, ["支付宝交易号", "商户订单号", "退款批次号/请求号"],
           ["订单金额（元）", "商家实收（元）", "服务费（元）"], totals=[12, 13],
           polars=dict(comment_prefix="#", encoding="utf8-lossy")),
    Format("wechat-personal", "wechat-personal/sample.csv", "csv", "utf-8", 16, 0, ["交易单号", "商户单号"], ["金额(元)"], totals=[6, 7, 8, 9],
           polars=dict(skip_rows=16, quote_char=None), note='quotes kept as text: polars rejects `"…"<tab>,`'),
    Format("alipay-personal", "alipay-personal-2023/sample.csv", "csv", "gbk", 24, 0, ["交易订单号", "商家订单号"], ["金额"], totals=[7, 8, 9, 10],
           polars=dict(skip_rows=24, encoding="utf8-lossy")),
    Format("allinpay-vsp", "allinpay-vsp/sample.csv", "csv", "gbk", 0, 0, ["参考号", "交易单号", "订单号", "原交易单"],
           ["交易金额", "手续费", "原始金额", "结算金额", "实付金额"], polars=dict(encoding="utf8-lossy")),
    Format("leshua-trade", "leshua-trade/sample.txt", "txt", "utf-8", 0, 0,
           ["订单号", "参考号", "第三方订单号", "第三方退款号", "上游订单号(微信、支付宝)"], ["交易金额(分)", "手续费(分)", "结算金额(分)"],
           rownum=2, polars=dict()),
    Format("jlpay-detail", "jlpay-detail/sample.txt", "txt", "utf-8", None, 0, [10, 18, 19, 20], [6, 7, 16, 23], delimiter="|",
           polars=dict(separator="|", has_header=False)),
    Format("unionpay-acp-zm", "unionpay-acp-zm/sample.txt", "txt", "gbk", None, 0, [10, 12, 27], [7, 16, 17], widths=ZM_WIDTHS,
           name_tail=".INN26050601ZM", polars=dict(separator="\x1f", has_header=False, quote_char=None, encoding="utf8-lossy"),
           note="one string column a line: read_csv cannot cut fixed widths"),
]

BY_PROFILE = {f.profile: f for f in FORMATS}


def path_of(fmt: Format, out: Path = OUT) -> Path:
    return out / f"{fmt.profile}{fmt.name_tail}.{fmt.ext}"


# ---------------------------------------------------------------- lines and fields

def split_fields(fmt: Format, line: str) -> list[str]:
    if fmt.widths:
        raw, cut, at = line.encode(fmt.encoding), [], 0
        for width in fmt.widths:
            cut.append(raw[at:at + width].decode(fmt.encoding))
            at += width + 1
        assert at - 1 == len(raw), (at, len(raw))
        return cut
    fields: list[str] = []
    current: list[str] = []
    quoted = False
    for c in line:
        if c == '"':
            quoted = not quoted
        if c == fmt.delimiter and not quoted:
            fields.append("".join(current))
            current = []
        else:
            current.append(c)
    fields.append("".join(current))
    return fields


def join_fields(fmt: Format, fields: list[str]) -> str:
    return (" " if fmt.widths else fmt.delimiter).join(fields)


MONEY = re.compile(r"^(?P<pre>[^\d-]*)(?P<sign>-?)(?P<num>\d[\d,]*(?:\.\d+)?)(?P<post>.*)$", re.S)


class Id:
    """A number made fresh per block: its 8 digits before the last 4 of its longest digit run."""

    def __init__(self, text: str):
        runs = sorted(re.finditer(r"\d+", text), key=lambda m: len(m.group()), reverse=True)
        self.text = text
        self.parts = None
        if runs and len(runs[0].group()) >= 12:
            start, end = runs[0].span()
            self.parts = (text[:end - 12], text[end - 4:])

    def __call__(self, block: int, m: int) -> str:
        if self.parts is None:
            return self.text
        return f"{self.parts[0]}{block % 100_000_000:08d}{self.parts[1]}"


class Money:
    """A money value multiplied by a whole number, written as the sample writes it."""

    def __init__(self, text: str):
        self.text = text
        found = MONEY.match(text)
        self.found = found is not None
        if not found:
            return
        self.pre, self.sign, num, self.post = found["pre"], found["sign"], found["num"], found["post"]
        self.commas = "," in num
        digits = num.replace(",", "")
        self.decimals = len(digits.split(".")[1]) if "." in digits else 0
        self.value = int(digits.replace(".", ""))
        self.zero_width = len(digits) if self.decimals == 0 and len(digits) > 1 and digits.startswith("0") else 0
        self.width = len(num)
        self.padding = self.post != "" and self.post.strip(" ") == ""

    def __call__(self, block: int, m: int) -> str:
        if not self.found:
            return self.text
        value = self.value * m
        if self.decimals:
            whole, frac = divmod(value, 10 ** self.decimals)
            num = f"{whole:,}" if self.commas else str(whole)
            num += "." + str(frac).zfill(self.decimals)
        else:
            num = f"{value:,}" if self.commas else str(value)
            if self.zero_width:
                assert len(num) <= self.zero_width, (self.text, m)
                num = num.zfill(self.zero_width)
        post = self.post
        if self.padding:
            post = " " * max(1, len(self.post) - (len(num) - self.width))
        return f"{self.pre}{self.sign}{num}{post}"


class Template:
    """One detail line of the sample: fixed text and the slots that change per block."""

    def __init__(self, fmt: Format, line: str, columns: dict):
        self.fmt = fmt
        self.fields = split_fields(fmt, line)
        self.slots: dict[int, Id | Money] = {}
        for name in fmt.ids:
            k = columns[name]
            if k < len(self.fields):
                self.slots[k] = Id(self.fields[k])
        for name in fmt.money:
            k = columns[name]
            if k < len(self.fields):
                self.slots[k] = Money(self.fields[k])
        self.rownum = fmt.rownum - 1 if fmt.rownum else None

    def line(self, block: int, m: int, row: int) -> str:
        fields = list(self.fields)
        for k, slot in self.slots.items():
            fields[k] = slot(block, m)
        if self.rownum is not None:
            fields[self.rownum] = str(row)
        if self.fmt.widths:
            for k, (old, new) in enumerate(zip(self.fields, fields)):
                assert len(old.encode(self.fmt.encoding)) == len(new.encode(self.fmt.encoding)), (k, old, new)
        return join_fields(self.fmt, fields)


def scale_totals(line: str, blocks: int, total_m: int) -> str:
    """A line stating the file's totals, for `blocks` blocks whose multipliers add up to total_m."""

    def money(found: re.Match) -> str:
        text = found.group()
        decimals = len(text.split(".")[1])
        value = int(text.replace(".", "").replace("-", "")) * total_m
        whole, frac = divmod(value, 10 ** decimals)
        return ("-" if text.startswith("-") else "") + f"{whole}.{str(frac).zfill(decimals)}"

    line = re.sub(r"\d+(?=笔)", lambda f: str(int(f.group()) * blocks), line)
    line = re.sub(r"-?\d+\.\d+", money, line)
    # a count alone in its field (WeChat's 总交易单数 value: `8)
    fields = line.split(",")
    for k, value in enumerate(fields):
        bare = value.lstrip("`")
        if bare.isdigit():
            fields[k] = value[: len(value) - len(bare)] + str(int(bare) * blocks)
    return ",".join(fields)


def generate(fmt: Format, megabytes: float, out: Path) -> dict:
    raw = (SAMPLES / fmt.sample).read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode(fmt.encoding) if bom else raw.decode(fmt.encoding)
    eol = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(eol)
    assert lines[-1] == "", "the sample ends with a line end"
    lines = lines[:-1]
    first = 0 if fmt.header_line is None else fmt.header_line + 1
    end = len(lines) - fmt.footer
    head, details, foot = lines[:first], lines[first:end], lines[end:]
    columns: dict[str | int, int]
    if fmt.header_line is None:
        columns = {k: k - 1 for k in range(1, 1 + len(split_fields(fmt, details[0])))}
    else:
        names = [n.strip().strip("`").strip() for n in split_fields(fmt, lines[fmt.header_line])]
        columns = {name: k for k, name in enumerate(names)}
        missing = [n for n in fmt.ids + fmt.money if n not in columns]
        assert not missing, (fmt.profile, missing, names)
    templates = [Template(fmt, line, columns) for line in details]
    # distinct numbers stay distinct within a block
    for k in set(columns[n] for n in fmt.ids):
        olds = {t.fields[k] for t in templates if k < len(t.fields)}
        news = {t.slots[k](7, 1) for t in templates if k in t.slots}
        assert len(olds) == len(news), (fmt.profile, k, olds, news)

    block_bytes = sum(len((line + eol).encode(fmt.encoding)) for line in details)
    blocks = max(1, round(megabytes * 1e6 / block_bytes))
    rng = random.Random(SEED)
    multipliers = [rng.randint(1, 20) for _ in range(blocks)]
    total_m = sum(multipliers)

    def fixed(index: int, line: str) -> str:
        return scale_totals(line, blocks, total_m) if index in fmt.totals else line

    target = path_of(fmt, out)
    out.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    row = 0
    with open(partial, "wb") as file:
        if bom:
            file.write(b"\xef\xbb\xbf")
        file.write("".join(fixed(k, line) + eol for k, line in enumerate(head)).encode(fmt.encoding))
        chunk: list[str] = []
        for block, m in enumerate(multipliers):
            for template in templates:
                row += 1
                chunk.append(template.line(block, m, row))
            if len(chunk) > 50_000:
                file.write((eol.join(chunk) + eol).encode(fmt.encoding))
                chunk = []
        if chunk:
            file.write((eol.join(chunk) + eol).encode(fmt.encoding))
        file.write("".join(fixed(end + k, line) + eol for k, line in enumerate(foot)).encode(fmt.encoding))
    partial.replace(target)
    return {"profile": fmt.profile, "path": str(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target), "bytes": target.stat().st_size, "sample": fmt.sample,
            "blocks": blocks, "detail_lines": row, "encoding": fmt.encoding + (" with BOM" if bom else ""),
            "line_end": "CRLF" if eol == "\r\n" else "LF"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="size of each file in 10^6 bytes (about)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", default="", help="comma-separated profiles")
    parser.add_argument("--force", action="store_true", help="write files that exist again")
    arguments = parser.parse_args()
    wanted = [p for p in arguments.only.split(",") if p] or [f.profile for f in FORMATS]
    unknown = [p for p in wanted if p not in BY_PROFILE]
    if unknown:
        sys.exit(f"unknown profile(s) {unknown}; known: {', '.join(BY_PROFILE)}")
    manifest_path = arguments.out / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for profile in wanted:
        fmt = BY_PROFILE[profile]
        done = manifest.get(profile, {})
        if path_of(fmt, arguments.out).exists() and done.get("mb") == arguments.mb and not arguments.force:
            continue
        print(f"writing {path_of(fmt, arguments.out)} ...", file=sys.stderr)
        manifest[profile] = {**generate(fmt, arguments.mb, arguments.out), "mb": arguments.mb}
        manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
