"""Label-free figures on a real scraped archive (``../shared/archive/``: 68 glued ``page.txt`` reports).

Usage: ``python benchmarks/archive.py [--archive DIR] [--by-name] [-v]``. The archive is unlabelled, so
this measures what a researcher sees: reports read, reports with an error-level issue (each should be
a defect of the document), ambiguous cells, reports with failed checks, and how many cells each kind
of evidence settled (the issue naming the evidence: ``inferred_from_prose``, ``inferred_from_bounds``,
``inferred_across_years``, ``inferred_from_rendering``, ``blank_cell``, ``blank_cell_spacing``). Reports are grouped into
publishers by the archive's ``INDEX.csv`` unit folder (agencies renamed between years stay one
publisher) unless ``--by-name``. Skipped when the archive is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

import report_extract as rx
from report_extract.crossyear import identities

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import write_result  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "archive"
EVIDENCE = (
    "inferred_from_prose", "inferred_from_bounds", "inferred_across_years", "inferred_from_rendering", "blank_cell",
    "blank_cell_spacing",
)


def settled_by(rs: rx.ReportSet) -> dict[str, int]:
    """Cells named by each evidence issue (a row name ``table.row`` counts its inferred cells)."""
    cells = rs.cells
    loose = cells[cells["confidence"] == "inferred"]
    by_row = loose.groupby(["report_id", "table", "row"]).size().to_dict()
    out: dict[str, int] = {}
    for code in EVIDENCE:
        seen: set[tuple[str, str]] = set()
        n = 0
        sub = rs.issues[rs.issues["code"] == code]
        for rid, msg in zip(sub["report_id"], sub["message"]):
            for name in msg.split(":", 1)[0].replace(" ", "").split(","):
                if (rid, name) in seen:
                    continue
                seen.add((rid, name))
                parts = name.split(".")
                n += 1 if len(parts) == 3 else by_row.get((rid, *parts), 0) if len(parts) == 2 else 0
        out[code] = n
    return out


def ambiguous_by_kind(rs: rx.ReportSet, group: dict[str, str] | None = None) -> dict:
    """Where the ambiguous cells sit: by ``table.row``, and how many of them a cross-year identity
    (``data/crossyear.csv``) links to a report of the same publisher (the ``group`` of its path,
    else its publisher key) of an adjacent year and a template the identity holds for, in the set:
    the only cells the other years can settle."""
    amb = rs.cells[rs.cells["confidence"] == "ambiguous"]
    reps = rs.reports
    pub = {rid: (group or {}).get(path) or key for rid, path, key in zip(reps["report_id"], reps["path"], reps["publisher_key"])}
    year = dict(zip(reps["report_id"], pd.to_numeric(reps["year"], errors="coerce")))
    template = dict(zip(reps["report_id"], reps["template"]))
    by_key = {(pub[rid], y): rid for rid, y in year.items() if pd.notna(y)}

    def linked(rid: str, name: str) -> bool:
        for role, step in (("later", -1), ("earlier", 1)):
            other = by_key.get((pub[rid], year[rid] + step))
            if other is None:
                continue
            for ident in identities():
                if ident.template in ("*", template[rid]) and ident.template in ("*", template[other]) and (
                    name in ident.cells(role)
                ):
                    return True
        return False

    table, row, column = (amb[c].astype(str) for c in ("table", "row", "column"))  # codes are categoricals
    names = table + "." + row + "." + column
    n_linked = sum(linked(rid, name) for rid, name in zip(amb["report_id"], names))
    return {
        "by_row": dict(Counter(table + "." + row).most_common()),
        "linked_to_another_year": int(n_linked),
        "no_identity_with_another_year": int(len(amb) - n_linked),
    }


def figures(rs: rx.ReportSet, group: dict[str, str] | None = None) -> dict:
    """The label-free figures of a read archive."""
    iss, cells, checks = rs.issues, rs.cells, rs.checks
    err = iss[iss["severity"] == "error"]
    amb = cells[cells["confidence"] == "ambiguous"]
    failed = checks[~checks["passed"].astype(bool)] if not checks.empty else checks
    return {
        "reports_read": int(rs.reports.shape[0]),
        "files_not_read": int(rs.errors.shape[0]),
        "reports_with_error_issue": int(err["report_id"].nunique()),
        "error_issues": dict(Counter(err["code"])),
        "ambiguous_cells": int(len(amb)),
        "reports_with_ambiguous_cells": int(amb["report_id"].nunique()),
        "ambiguous_by_kind": ambiguous_by_kind(rs, group),
        "inferred_cells": int((cells["confidence"] == "inferred").sum()),
        "reports_with_failed_checks": int(failed["report_id"].nunique()) if not failed.empty else 0,
        "failed_checks": int(len(failed)),
        "cells_settled_by": settled_by(rs),
        "warnings": dict(Counter(iss.loc[iss["severity"] == "warning", "code"])),
        "errors_by_report": {rid: sorted(set(g["code"])) for rid, g in err.groupby("report_id")},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--by-name", action="store_true", help="group publishers by agency name, not INDEX.csv unit")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the error-level issues")
    args = ap.parse_args()
    docs = args.archive / "docs"
    if not docs.is_dir():
        print(f"skipped: {docs} not found")
        return
    files = sorted(str(p) for p in docs.glob("*.txt"))
    group = None
    index = args.archive / "INDEX.csv"
    if index.exists() and not args.by_name:
        with index.open(encoding="utf-8") as fh:
            unit = {row["file"]: row["unit"] for row in csv.DictReader(fh)}
        group = {f: unit.get(Path(f).name) for f in files}
    t0 = time.perf_counter()
    rs = rx.read_reports(files, jobs=1, group=group)
    seconds = time.perf_counter() - t0
    res = figures(rs, group)
    res["seconds"] = round(seconds, 1)
    print(f"archive: {args.archive}  ({len(files)} files, {seconds:.1f} s)")
    print(f"reports read                 {res['reports_read']}/{len(files)}")
    print(f"reports with an error issue  {res['reports_with_error_issue']}  {res['error_issues']}")
    print(f"ambiguous cells              {res['ambiguous_cells']} in {res['reports_with_ambiguous_cells']} reports")
    kinds = res["ambiguous_by_kind"]
    print("  by row                     " + ", ".join(f"{k}: {v}" for k, v in kinds["by_row"].items()))
    print(f"  cross-year identity        with a report in the archive: {kinds['linked_to_another_year']}, "
          f"none: {kinds['no_identity_with_another_year']}")
    print(f"inferred cells               {res['inferred_cells']}")
    print(f"reports with failed checks   {res['reports_with_failed_checks']} ({res['failed_checks']} checks)")
    print("cells settled by evidence    " + ", ".join(f"{k}: {v}" for k, v in res["cells_settled_by"].items()))
    print(f"warnings                     {res['warnings']}")
    if args.verbose:
        err = rs.issues[rs.issues["severity"] == "error"]
        with pd.option_context("display.max_colwidth", 160, "display.width", 250):
            print(err[["report_id", "code", "message"]].to_string(index=False))
    write_result(res, ROOT / "benchmarks" / "results" / "archive.json")


if __name__ == "__main__":
    main()
