"""Publisher metadata: level, body, parent and the 12-digit division code with its vintage."""

from __future__ import annotations

import csv

import pytest

from conftest import CORPUS, requires_corpus
from report_extract.publishers import divisions, place_spans, publisher_info, text_evidence
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


def _real_publishers_unresolved(hinted: bool = False) -> tuple[int, list[str]]:
    """(rows, the rows not resolved): by the name alone, or with the row's province as the region
    hint (``hinted``: what a crawler knows, the province whose sites it crawled)."""
    rows = _real_publishers()
    bad = []
    for r in rows:
        info = publisher_info(r["publisher"], region=r["province"] if hinted else None)
        if info["division_status"] != "resolved" or not info["division_code"]:
            bad.append(f"{r['publisher']} ({r['province']}): {info['division_status']}")
    return len(rows), bad


def test_real_publishers_resolve_95_with_the_province_as_hint():
    """Issue 15's target (95%) on the list, measured WITH each row's province as the region hint
    (``publisher_info(name, region=province)``): a crawler knows which province's sites it read.
    About 96.8% (489/505) resolve so. The remaining misses: homonyms inside one province (合水镇 is
    borne by four townships of 广东), zones with no statistical code (重庆两江新区, 石狮高新技术产业
    开发区), a street renamed since the 2021 table (建筑新村街道) and bare department names (商务局)."""
    total, bad = _real_publishers_unresolved(hinted=True)
    resolved = total - len(bad)
    assert resolved >= 0.95 * total, f"{resolved}/{total} resolved; not resolved:\n" + "\n".join(bad)


def test_real_publishers_resolve_by_name_alone():
    """Regression floor of the NAME-ONLY figure (no hint): about 94.7% (478/505), below the 95%
    target: a name alone cannot place 太平镇人民政府 (49 townships bear it) or 商务局."""
    total, bad = _real_publishers_unresolved()
    resolved = total - len(bad)
    assert resolved >= 0.946 * total, f"{resolved}/{total} resolved; not resolved:\n" + "\n".join(bad)


def test_real_publishers_hint_never_changes_a_code_the_name_settles():
    for r in _real_publishers():
        alone, hinted = publisher_info(r["publisher"]), publisher_info(r["publisher"], region=r["province"])
        if alone["division_status"] == "resolved":
            assert hinted["division_code"] == alone["division_code"], r["publisher"]
            assert alone["division_evidence"] == hinted["division_evidence"] == "name"
        elif hinted["division_status"] == "resolved":  # settled inside the province, never outside it
            assert hinted["division_evidence"] == "region"
            assert alone["division_status"] == "ambiguous"
            assert hinted["division_code"] in alone["division_candidates"].split(";")
            assert hinted["division_candidates"] == alone["division_candidates"]
            assert any(d.level == "province" and r["province"] in d.name for d in _outer(hinted["division_code"]))


def _outer(code: str) -> list:
    table, out = divisions(), []
    while code:
        out.append(table[code])
        code = table[code].parent_code
    return out


@pytest.mark.parametrize(
    "name, code, status",
    [
        ("鹰潭市林业局", "360600000000", "resolved"),  # the city's bureau, not a township named 林业局
        ("禄丰市审计局", "532302000000", "resolved"),  # 禄丰县 (532331) became 禄丰市 in the 2021 statistical table
        ("潼南县人民政府", "500152000000", "resolved"),  # printed 潼南县 before it became 潼南区 (2015)
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


# -- statistical zones (统计用区划代码 county-level codes of development zones, new areas ...) -------


@pytest.mark.parametrize(
    "name, code",
    [
        ("郑州高新技术产业开发区管委会城市管理局", "410172000000"),  # a zone's own statistical code
        ("郑州高新区管委会", "410172000000"),  # the zone's kind shortened
        ("吉林经济技术开发区管委会", "220271000000"),  # spelt out: the statistical table says 吉林经济开发区
        ("洪江区桂花园乡人民政府", "431271220000"),  # 怀化市洪江管理区 printed 洪江区, and its township
        ("唐山芦台经济开发区", "130271000000"),  # 河北唐山芦台经济开发区 without its province
    ],
)
def test_statistical_zones_resolve(name, code):
    info = publisher_info(name)
    assert (info["division_code"], info["division_status"], info["division_vintage"]) == (code, "resolved", "2021")


def test_statistical_zone_rows():
    table = divisions()
    zones = [d for d in table.values() if d.level == "county" and "71" <= d.code[4:6] <= "79"]
    assert len(zones) >= 130
    for z in zones:
        assert z.vintage == "2021" and table[z.parent_code].level in {"city", "province"}, z
    with_towns = {d.parent_code for d in table.values() if d.level == "township"} & {z.code for z in zones}
    assert len(with_towns) >= 100  # their townships come along (their parent code points at the zone)
    # a zone form that two zones share is no name of either (高新区 alone places nothing)
    assert publisher_info("高新区管委会")["division_status"] != "resolved"


def test_zone_forms_generated():
    from report_extract.publishers import _zone_forms

    prov, city = ["云岭省", "云岭"], ["青石市", "青石"]
    forms = _zone_forms("云岭青石经济开发区", prov, city)
    assert {"青石经济开发区", "青石经济技术开发区", "青石经开区", "云岭青石经济技术开发区"} <= forms
    assert "云岭青石经济开发区" not in forms and "经济开发区" not in forms
    assert "白沙区" in _zone_forms("青石市白沙管理区", prov, city)  # a management district by its place
    forms = _zone_forms("青石高新技术产业开发区", prov, city)
    assert "青石高新区" in forms and not forms & {"高新区", "高新技术产业开发区"}  # the place is kept
    assert _zone_forms("云岭文化产业园区", prov, city) == set()  # no city after the province: kept whole


def test_builder_takes_the_statistical_county_rows(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("build_divisions", Path(__file__).parents[1] / "scripts" / "build_divisions.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    (tmp_path / "data.csv").write_text(
        "code,name,province,city,area,town\n990000,云岭省,99,,\n990100,青石市,99,01,\n990101,市辖区,99,01,01\n"
        "990102,白沙区,99,01,02\n990171,青石经济开发区,99,01,71\n990102,白沙街道,99,01,02\n990171,青石街道,99,01,71\n"
        "810001,中西区,81,00,01\n", encoding="utf-8")
    rows = build._stat_counties(tmp_path, {"990102"})
    assert [(r["code"], r["name"]) for r in rows] == [("990171", "青石经济开发区")]  # not 市辖区, a town, 香港


# -- region hint and the report's own text ------------------------------------------------------


def _ambiguous_townships(limit: int) -> list[tuple[str, list[str]]]:
    """Township names of the table that several townships bear (name, candidate codes), sorted."""
    by_name: dict[str, list[str]] = {}
    for d in divisions().values():
        if d.level == "township":
            by_name.setdefault(d.name, []).append(d.code)
    out = []
    for name in sorted(n for n, codes in by_name.items() if len(codes) >= 2):
        info = publisher_info(name + "人民政府")
        if info["division_status"] == "ambiguous":
            out.append((name, info["division_candidates"].split(";")))
        if len(out) == limit:
            break
    return out


def test_region_hint_settles_a_name_only_inside_the_region():
    table = divisions()
    settled = kept = 0
    for name, cands in _ambiguous_townships(150):
        for code in cands:
            province = table[code[:2] + "0" * 10].name
            same = [c for c in cands if c[:2] == code[:2]]
            info = publisher_info(name + "人民政府", region=province)
            if len(same) == 1:  # the only one in the province
                assert (info["division_code"], info["division_status"], info["division_evidence"]) == (code, "resolved", "region")
                assert info["division_candidates"].split(";") == cands
                settled += 1
            else:  # several in the province: never a guess among them
                assert info["division_status"] == "ambiguous" and info["division_code"] is None
                assert info["division_candidates"].split(";") == same
                kept += 1
    assert settled > 100 and kept > 0


def test_region_names():
    from report_extract.publishers import region_codes

    assert region_codes("广东") == [{"440000000000"}] == region_codes("广东省")
    assert region_codes("广西 南宁") == [{"450000000000"}, {"450100000000"}]
    assert region_codes(["新疆维吾尔自治区", "内蒙古"]) == [{"650000000000"}, {"150000000000"}]
    assert region_codes("怀化市，芷江县") == [{"431200000000"}, {"431228000000"}]
    with pytest.raises(ValueError, match="云岭"):
        region_codes("广东 云岭")
    # every name must contain the division: 广东 and 怀化市 together contain nothing
    assert publisher_info("城中街道", region="广东 怀化市")["division_status"] == "ambiguous"
    assert publisher_info("城中街道", region="湖南 怀化市")["division_code"] == "431202001000"


def test_region_hint_never_overrides_the_name():
    p = publisher_info("楠木坪镇", region="广东")  # the name places it in 湖南: the hint does not move it
    assert (p["division_code"], p["division_evidence"]) == ("431228108000", "name")
    p = publisher_info("城中街道", region="西藏")  # no candidate in the region: stays ambiguous
    assert p["division_status"] == "ambiguous" and p["division_code"] is None
    assert p["division_candidates"] == publisher_info("城中街道")["division_candidates"]
    for name in ("商务局", "青石乡"):
        assert publisher_info(name, region="广东")["division_status"] == "unresolved"


def test_region_setting():
    from report_extract.options import PublisherSettings, ReadOptions, parse_setting

    assert ReadOptions().publisher.region is None
    assert ReadOptions.from_flat({"publisher.region": "广东"}).publisher.region == "广东"
    assert parse_setting("publisher.region", "广东 深圳市") == "广东 深圳市"
    assert ReadOptions().replace(**{"publisher.region": "广东"}).cache_key() != ReadOptions().cache_key()
    with pytest.raises(ValueError, match="云岭省"):
        PublisherSettings(region="云岭省")


def _county_names(code: str) -> tuple[str, str]:
    county = divisions()[divisions()[code].parent_code]
    return county.name, divisions()[county.parent_code].name


def _two_county_homonyms(limit: int) -> list[tuple[str, str, str]]:
    """(township name, one candidate, another) where the two lie in counties of different names
    and different cities, none of those names inside another."""
    out = []
    for name, cands in _ambiguous_townships(400):
        if len(cands) != 2:
            continue
        a, b = (_county_names(c) for c in cands)
        names = [*a, *b]
        if len(set(names)) == 4 and not any(x != y and x in y for x in names for y in names):
            out.append((name, cands[0], cands[1]))
        if len(out) == limit:
            break
    return out


def test_report_text_names_the_county():
    cases = _two_county_homonyms(40)
    assert len(cases) >= 20
    for name, one, other in cases:
        county, _city = _county_names(one)
        text = f"本报告由{county}{name}人民政府编制。联系地址：{county}人民路1号。"
        info = publisher_info(name + "人民政府", text=text)
        assert (info["division_code"], info["division_evidence"]) == (one, "text"), name
        assert text_evidence(name + "人民政府", text) == county
        # the names found are evidence enough on their own (what reports.csv recomputes from)
        assert publisher_info(name + "人民政府", text=county)["division_code"] == one
        # what the pipeline keeps of the text settles it the same way
        assert county in place_spans(text)
        assert publisher_info(name + "人民政府", text=place_spans(text))["division_code"] == one
        both = text + f"{_county_names(other)[0]}来访。"  # both counties named: no single candidate
        assert publisher_info(name + "人民政府", text=both)["division_status"] == "ambiguous"
        assert text_evidence(name + "人民政府", both) is None
        assert publisher_info(name + "人民政府", text="联系电话：12345")["division_status"] == "ambiguous"


def test_report_text_after_the_region_hint():
    # 合水镇 (广东) is borne by four townships of 广东: the province narrows, the text's city settles
    cands = publisher_info("合水镇人民政府", region="广东")["division_candidates"].split(";")
    assert len([c for c in cands if c.startswith("44")]) >= 2
    for code in (c for c in cands if c.startswith("44")):
        county, city = _county_names(code)
        info = publisher_info("合水镇人民政府", region="广东", text=f"{city}{county}合水镇人民政府")
        assert (info["division_code"], info["division_evidence"]) == (code, "region+text")


def _report_file(tmp_path, agency: str, tail: str, seed: int = 1):
    from report_synth import make_report
    from report_synth.text import render_text

    path = tmp_path / f"{seed}.txt"
    path.write_text(render_text(make_report(seed, "2021", agency=agency)) + "\n" + tail + "\n", encoding="utf-8")
    return path


def test_pipeline_takes_the_evidence_into_reports(tmp_path):
    import report_extract as rx
    from report_extract.options import ReadOptions

    name, one, other = _two_county_homonyms(1)[0]
    county = _county_names(one)[0]
    by_text = _report_file(tmp_path, name + "人民政府", f"联系地址：{county}人民路1号", seed=1)
    plain = _report_file(tmp_path, name + "人民政府", "联系电话：12345", seed=2)
    r = rx.read_report(by_text)
    assert r.meta["agency"] == name + "人民政府" and county in r.meta["publisher_places"]
    rs = rx.read_reports([by_text, plain], jobs=1)
    got = rs.reports.set_index("path")[["division_code", "division_status", "division_evidence"]]
    assert tuple(got.loc[str(by_text)]) == (one, "resolved", "text")
    assert got.loc[str(plain), "division_status"] == "ambiguous"
    province = divisions()[other[:2] + "0" * 10].name
    rs = rx.read_reports([plain], ReadOptions.from_flat({"publisher.region": province}), jobs=1)
    assert tuple(rs.reports[["division_code", "division_evidence"]].iloc[0]) == (other, "region")


def test_cli_region_option(tmp_path):
    from click.testing import CliRunner

    from report_extract.cli import main

    name, _one, other = _two_county_homonyms(1)[0]
    src = _report_file(tmp_path, name + "人民政府", "联系电话：12345")
    province = divisions()[other[:2] + "0" * 10].name
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "-j", "1", "--region", province, "-q"])
    assert res.exit_code == 0, res.output
    with open(out / "reports.csv", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert (row["division_code"], row["division_evidence"]) == (other, "region")
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "--region", "云岭省"])
    assert res.exit_code != 0 and "云岭省" in res.output


def test_place_spans():
    text = "本报告由芷江侗族自治县罗旧镇人民政府编制。联系地址：乌鲁木齐市新市区北京路1号，电话：12345。"
    spans = place_spans(text).split(";")
    assert spans == ["本报告由芷江侗族自治县", "乌鲁木齐市新市区"]  # each stretch up to its level word
    assert place_spans("联系电话：12345") is None and place_spans(None) is None
    assert len(place_spans("".join(f"{chr(0x4e00 + i)}县，" for i in range(1000))).split(";")) == 300


def test_place_spans_are_the_pattern_s_matches_over_the_whole_text():
    """Searched run by run of CJK characters, the spans are the ones the pattern finds in the
    whole text, in order: random texts of level words, other CJK and punctuation."""
    import random

    from report_extract.publishers import _PLACE_SPAN

    rng = random.Random(7)
    pieces = ["自治县", "自治州", "地区", "县", "市", "区", "旗", "盟", "州", "自治", "地", "新", "城", "人民政府", "，", "1", " ", "ab"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        whole = ";".join(dict.fromkeys(_PLACE_SPAN.findall(text))) or None
        assert place_spans(text) == (whole if text else None)


def test_reading_a_report_does_not_load_the_division_table(tmp_path):
    """The worker processes of a batch never pay for the division table: the pipeline keeps the
    text's place names and the publisher columns are made once, in the calling process."""
    import subprocess
    import sys
    from pathlib import Path

    src = _report_file(tmp_path, "城中街道", "联系地址：鹤城区迎丰路1号")
    code = (
        "import sys, report_extract as rx, report_extract.publishers as p\n"
        "r = rx.read_report(sys.argv[1])\n"
        "assert p.divisions.cache_info().currsize == 0, 'table loaded'\n"
        "print(r.meta['publisher_places'])\n"
    )
    env = {**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run([sys.executable, "-c", code, str(src)], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "鹤城区" in out.stdout


def test_place_spans_search_near_level_characters_finds_what_a_full_scan_finds():
    """The run-by-run search gives the matches of the pattern run over the whole text, on random
    texts dense and sparse in level characters (a greedy match may reach past the nearest one)."""
    import random

    from report_extract.publishers import _PLACE_SPAN, MAX_PLACE_SPANS, place_spans

    rng = random.Random(7)
    for _ in range(3000):
        alphabet = list("治县州区市盟旗") * rng.randint(0, 2) + list("自地新城东西南北中一二三四五六七八九十") * 3 + [" ", "a", "，"]
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        full = list(dict.fromkeys(m.group() for m in _PLACE_SPAN.finditer(text)))[:MAX_PLACE_SPANS]
        assert place_spans(text) == (";".join(full) or None), text


def test_level_runs_are_the_cjk_runs_holding_a_level_character():
    """The runs found from the level characters are the maximal runs of U+4E00–U+9FFF that hold
    one, in order: random texts with characters just outside the range at the runs' edges."""
    import random
    import re

    from report_extract.publishers import _level_runs

    plain = re.compile(r"[\u4e00-\u9fff]+")
    rng = random.Random(11)
    alphabet = list("县市区旗盟州") + list("自地新城一") * 3 + ["\u4dff", "\ua000", "\u4e00", "\u9fff", " ", "a", "，", "𠀀"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        expected = [r for r in plain.findall(text) if any(ch in r for ch in "县市区旗盟州")]
        assert _level_runs(text) == expected, text


def test_place_spans_of_a_long_run_are_the_pattern_s_matches():
    """A run longer than the kept ones (glued text) is searched as it is: the same spans."""
    from report_extract.publishers import _CACHED_RUN, _PLACE_SPAN

    text = "城" * 7 + ("芷江侗族自治县罗旧镇" + "新市区" + "东城" * 5) * (_CACHED_RUN // 10)
    assert len(text) > _CACHED_RUN
    expected = ";".join(dict.fromkeys(_PLACE_SPAN.findall(text)))
    assert place_spans(text) == expected and place_spans(text + "，" + text) == expected
