"""Publisher metadata: level, body, parent and the 12-digit division code with its vintage."""

from __future__ import annotations

import csv

import pytest

from conftest import CORPUS, requires_corpus
from report_extract.publishers import divisions, publisher_info
from report_synth import _AGENCIES

# publisher as printed -> (level, body, division code, division level, status); codes from the
# National Bureau of Statistics' 2023 statistical division codes
EXPECTED = {
    "平潭综合实验区": ("county", "government", "350128000000", "county", "resolved"),
    "平潭综合实验区财政金融局": ("department", "department", "350128000000", "county", "resolved"),
    "平潭综合实验区公安局": ("department", "department", "350128000000", "county", "resolved"),
    "平潭综合实验区自然资源与生态环境局": ("department", "department", "350128000000", "county", "resolved"),
    "平潭综合实验区海坛片区管理局": ("township", "government", "350128000000", "county", "partial"),
    "上海市人民政府办公厅": ("province", "general_office", "310000000000", "province", "resolved"),
    "淮安市人民政府": ("city", "government", "320800000000", "city", "resolved"),
    "洪泽区人民政府": ("county", "government", "320813000000", "county", "resolved"),
    "淮安市洪泽区人民政府": ("county", "government", "320813000000", "county", "resolved"),
    "楠木坪镇": ("township", "government", "431228108000", "township", "resolved"),
    # the generated reports' publishers
    "芷江侗族自治县罗旧镇": ("township", "government", "431228101000", "township", "resolved"),
    "怀化市鹤城区城中街道": ("township", "government", "431202001000", "township", "resolved"),
    "芷江侗族自治县人民政府": ("county", "government", "431228000000", "county", "resolved"),
    "怀化市人民政府": ("city", "government", "431200000000", "city", "resolved"),
    "怀化市财政局": ("department", "department", "431200000000", "city", "resolved"),
    "鹤城区教育局": ("department", "department", "431202000000", "county", "resolved"),
    "湖南省人民政府办公厅": ("province", "general_office", "430000000000", "province", "resolved"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_known_publishers(name):
    p = publisher_info(name)
    got = (p["level"], p["body"], p["division_code"], p["division_level"], p["division_status"])
    assert got == EXPECTED[name]
    assert p["division_vintage"] == "2023"
    assert divisions()[p["division_code"]].name == p["division_name"]


def test_publisher_key_ignores_how_the_name_is_printed():
    assert publisher_info("洪泽区人民政府")["publisher_key"] == publisher_info("淮安市洪泽区人民政府")["publisher_key"]
    assert publisher_info("怀化市财政局")["publisher_key"] != publisher_info("怀化市人民政府")["publisher_key"]
    assert publisher_info("青石乡")["publisher_key"] == "青石乡"


def test_parents():
    assert publisher_info("楠木坪镇")["parent"] == "芷江侗族自治县"
    assert publisher_info("怀化市财政局")["parent"] == "怀化市"
    assert publisher_info("平潭综合实验区财政金融局")["parent"] == "平潭综合实验区"
    assert publisher_info("淮安市人民政府")["parent"] == "江苏省"


def test_every_generated_publisher_resolves():
    levels = set()
    for name in _AGENCIES:
        p = publisher_info(name)
        assert p["division_status"] == "resolved" and len(p["division_code"]) == 12, name
        levels.add(p["level"])
    assert levels == {"province", "city", "county", "township", "department"}


def test_ambiguous_and_unresolved_are_never_guessed():
    p = publisher_info("城中街道")  # a street name several cities have
    assert p["division_status"] == "ambiguous" and p["division_code"] is None
    assert set(p["division_candidates"].split(";")) >= {"420981001000", "431202001000"}
    assert publisher_info("鹤城区城中街道")["division_code"] == "431202001000"  # the parent disambiguates
    assert publisher_info("岔河镇")["division_status"] == "ambiguous"
    assert publisher_info("淮安市洪泽区岔河镇人民政府")["division_code"] == "320813103000"
    assert publisher_info("平潭综合实验区君山镇")["division_code"] == "350128108000"  # through the zone's alias
    for name in ("青石乡", "云岭市财政局", "云岭省人民政府办公厅"):  # no such divisions
        p = publisher_info(name)
        assert p["division_status"] == "unresolved" and p["division_code"] is None
        assert p["level"] in {"township", "department", "province"}
    assert publisher_info("青石乡")["level"] == "township"
    assert publisher_info("云岭市财政局")["level"] == "department"
    assert publisher_info(None)["division_status"] == "unresolved"
    assert publisher_info(float("nan"))["agency"] is None


def test_division_table_is_consistent():
    table = divisions()
    for d in table.values():
        assert len(d.code) == 12 and d.code.isdigit()
        assert d.level in {"province", "city", "county", "township"}
        if d.parent_code:
            assert d.parent_code in table and d.code.startswith(table[d.parent_code].code.rstrip("0")[:2])


@requires_corpus
def test_corpus_publishers_resolve():
    with open(CORPUS / "MANIFEST.csv", encoding="utf-8") as fh:
        agencies = {r["agency"] for r in csv.DictReader(fh) if r["agency"]}
    assert agencies
    for name in agencies:
        p = publisher_info(name)
        assert p["division_status"] in {"resolved", "partial"}, name
        assert p["division_vintage"] == "2023" and len(p["division_code"]) == 12, name


def _real_publishers() -> list[dict[str, str]]:
    from pathlib import Path

    with open(Path(__file__).parent / "data" / "real_publishers.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _real_publishers_unresolved() -> tuple[int, list[str]]:
    rows = _real_publishers()
    bad = []
    for r in rows:
        info = publisher_info(r["publisher"])
        if info["division_status"] != "resolved" or not info["division_code"]:
            bad.append(f"{r['publisher']} ({r['province']}): {info['division_status']}")
    return len(rows), bad


def test_real_publishers_list():
    """The list (tests/data/real_publishers.csv): at least 200 distinct names as printed on real
    annual reports, from at least ten provinces, each with the public page it was read from."""
    rows = _real_publishers()
    assert len(rows) >= 200
    assert len({r["publisher"] for r in rows}) == len(rows)
    assert len({r["province"] for r in rows}) >= 10
    assert all(r["source"].startswith("http") for r in rows)


# Issue 15's target. The honest figure on the list is below it (about 94%): the misses are bare
# names that no name-only resolver can place (太平镇人民政府 is borne by 49 townships; 商务局,
# 县教育局 name no place), zones with no division code of their own (重庆两江新区, …开发区管委会)
# and a township renamed since the 2021 table (建筑新村街道). strict: a pass turns into a failure,
# so this marker goes once the target is met.
@pytest.mark.xfail(strict=True, reason="issue 15 target of 95% not met on the real list (about 94%)")
def test_real_publishers_resolve_95():
    total, bad = _real_publishers_unresolved()
    resolved = total - len(bad)
    assert resolved >= 0.95 * total, f"{resolved}/{total} resolved; not resolved:\n" + "\n".join(bad)


def test_real_publishers_resolve():
    """Regression floor at the figure reached: any name that stops resolving shows up here."""
    total, bad = _real_publishers_unresolved()
    resolved = total - len(bad)
    assert resolved >= 0.94 * total, f"{resolved}/{total} resolved; not resolved:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    "name, code, status",
    [
        ("鹰潭市林业局", "360600000000", "resolved"),  # the city's bureau, not a township named 林业局
        ("禄丰市审计局", "532331000000", "resolved"),  # 禄丰县 became 禄丰市 after the 2020 table
        ("关岭自治县永宁镇人民政府", "520424102000", "resolved"),  # short name of 关岭布依族苗族自治县
        ("高新区(新市区)司法局", "650104000000", "resolved"),  # one body named by two places
        ("西咸新区底张街道办事处", "610404009000", "resolved"),  # a township administered by a zone
        ("武汉市东湖生态旅游风景区城乡工作办事处", "420100000000", "partial"),  # zone with no code
        ("大兴乡人民政府", None, "ambiguous"),
        ("商务局", None, "unresolved"),
    ],
)
def test_resolution_patterns(name, code, status):
    info = publisher_info(name)
    assert (info["division_code"], info["division_status"]) == (code, status)


def test_department_names_are_not_places():
    for name in ("建始县住房和城乡建设局", "北京市城市管理委员会"):
        assert publisher_info(name)["division_status"] == "resolved", name


def test_division_table_covers_the_country():
    table = divisions()
    by_level: dict[str, int] = {}
    for d in table.values():
        by_level[d.level] = by_level.get(d.level, 0) + 1
    assert by_level["province"] >= 31 and by_level["county"] >= 2800 and by_level["township"] >= 38000
    provinces = {d.code[:2] for d in table.values() if d.level == "province"} - {"71", "81", "82"}  # 台港澳
    assert len(provinces) == 31
    assert provinces <= {d.code[:2] for d in table.values() if d.level == "county"}
    assert provinces <= {d.code[:2] for d in table.values() if d.level == "township"}
    assert publisher_info("杭州市西湖区西溪街道办事处")["division_code"] == "330106004000"
    assert publisher_info("芷江县人民政府")["division_code"] == publisher_info("芷江侗族自治县人民政府")["division_code"]
    assert publisher_info("重庆市沙坪坝区人民政府小龙坎街道办事处")["division_level"] == "township"
