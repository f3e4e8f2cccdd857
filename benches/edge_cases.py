"""Writes a copy of a generated sample with the edge cases the generator does not make, so that
`scripts/bench-reconcile.sh N --edge-cases` checks the polars and DuckDB pipelines on every rule
they reproduce, not only on the faults the simulation injects.

Usage: edge_cases.py SOURCE_DIR TARGET_DIR   (SOURCE_DIR from `posfee demo --export-sample`)

Edits (seeded, so the same source gives the same files):
1. refunds above their purchase, on both sides, the net kept consistent (posfee: unchecked);
2. approved rows with an empty response code (approved, as posfee reads it);
3. a second void of a voided purchase, a void of an unknown reference (void_without_original);
4. ledger purchases without a reference number, three of them repeated exactly (duplicates by
   terminal, time, amount and kind; posfee pairs them by its time window);
5. a ledger duplicate with another amount (the first row is the one matched);
6. statement rows of kind 撤销 (void) and rows without a merchant number;
7. ledger purchases recorded as refunds of an unknown reference (the kinds of the pair differ:
   no match by reference);
8. repeated statement rows without a reference number.
"""

import csv
import random
import shutil
import sys
from pathlib import Path


def fen(text: str) -> int:
    return int(text.replace(".", ""))


def yuan(value: int) -> str:
    return ("-" if value < 0 else "") + f"{abs(value) // 100}.{abs(value) % 100:02d}"


def main(source: Path, target: Path) -> None:
    rng = random.Random(5)
    with open(source / "ledger.csv", encoding="utf-8", newline="") as file:
        ledger = list(csv.reader(file))
    with open(source / "statement.csv", encoding="utf-8", newline="") as file:
        statement = list(csv.reader(file))
    ledger_header, ledger = ledger[0], ledger[1:]
    statement_header, statement = statement[0], statement[1:]
    lc = {name: i for i, name in enumerate(ledger_header)}
    sc = {name: i for i, name in enumerate(statement_header)}
    rrn, kind, amount, code, original = lc["rrn"], lc["kind"], lc["amount"], lc["response_code"], lc["original_rrn"]

    statement_by_rrn: dict[str, int] = {}
    for j, row in enumerate(statement):
        if row[sc["参考号"]]:
            statement_by_rrn.setdefault(row[sc["参考号"]], j)
    purchases = {row[rrn]: i for i, row in enumerate(ledger) if row[kind] == "purchase"}

    # 1. refunds above their purchase
    edited = 0
    for row in ledger:
        if edited < 3 and row[kind] == "refund" and row[rrn] in statement_by_rrn and row[original] in purchases:
            refund = fen(ledger[purchases[row[original]]][amount]) + 100
            row[amount] = yuan(refund)
            paired = statement[statement_by_rrn[row[rrn]]]
            paired[sc["交易金额"]] = yuan(refund)
            paired[sc["结算金额"]] = yuan(-refund - fen(paired[sc["手续费"]]))
            edited += 1
    # 2. empty response codes
    for row in rng.sample([row for row in ledger if row[code] == "00"], 20):
        row[code] = ""
    # 3. a second void of a voided purchase; a void of an unknown reference
    voids = [row for row in ledger if row[kind] == "void" and row[code] in ("00", "")]
    again = list(voids[0])
    again[lc["trade_id"]], again[rrn] = "EDGE1", "999900000001"
    unknown = list(voids[1])
    unknown[lc["trade_id"]], unknown[rrn], unknown[original] = "EDGE2", "999900000002", "123"
    ledger += [again, unknown]
    # 4. purchases without a reference, three repeated
    plain = [i for i in rng.sample(range(len(ledger)), 15) if ledger[i][kind] == "purchase"]
    for i in plain:
        ledger[i][rrn] = ""
    ledger += [list(ledger[i]) for i in plain[:3]]
    # 5. a duplicate with another amount, right after its first row
    k = rng.randrange(len(ledger))
    duplicate = list(ledger[k])
    duplicate[amount] = yuan(fen(duplicate[amount]) + 7)
    ledger.insert(k + 1, duplicate)
    # 6. statement voids and rows without a merchant number
    for row in rng.sample(statement, 5):
        row[sc["交易类型"]] = "撤销"
    for row in rng.sample(statement, 5):
        row[sc["商户号"]] = ""
    # 7. purchases recorded as refunds of an unknown reference
    for row in rng.sample([row for row in ledger if row[kind] == "purchase" and row[rrn]], 4):
        row[kind], row[original] = "refund", "555000000000"
    # 8. repeated statement rows without a reference
    statement += [list(row) for row in statement if not row[sc["参考号"]]][:4]

    target.mkdir(parents=True, exist_ok=True)
    for name, header, rows in (("ledger.csv", ledger_header, ledger), ("statement.csv", statement_header, statement)):
        with open(target / name, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    shutil.copy(source / "due_dates.csv", target / "due_dates.csv")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
