"""Shared helpers for writing the format test files (run: python3 make_samples.py)."""
import csv, io, os
from decimal import Decimal as D

HERE = os.path.dirname(os.path.abspath(__file__))
COLS = ["line", "settlement_date", "time", "amount", "fee", "net", "channel", "kind", "rrn", "terminal", "merchant_no", "batch"]

def money(x):
    return f"{D(x).quantize(D('0.01')):.2f}"

def net(kind, amount, fee):
    a, f = D(amount), D(fee)
    return money(a - f if kind == "purchase" else -a - f)

def write(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as fh:
        fh.write(data)

def find_line(data: bytes, marker: bytes):
    """1-based line of the first line containing marker (LF/CRLF/CR counted as an editor does)."""
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    hits = [i + 1 for i, l in enumerate(text.split(b"\n")) if (l == marker[1:] if marker.startswith(b"=") else marker in l)]
    assert len(hits) == 1, (marker, hits)
    return hits[0]

def expected(folder, data, rows, marker_key="marker"):
    """rows: dicts with marker (bytes unique to the detail line) and canonical fields."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLS)
    for r in rows:
        line = find_line(data, r[marker_key])
        w.writerow([line, r.get("settlement_date", ""), r["time"], money(r["amount"]), r["fee"],
                    net(r["kind"], r["amount"], r["fee"]), r["channel"], r["kind"], r.get("rrn", ""),
                    r.get("terminal", ""), r.get("merchant_no", ""), r.get("batch", "")])
    write(folder, "expected.csv", out.getvalue().encode())
