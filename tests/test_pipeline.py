"""The explicit pipeline: steps that return new values, one ReadOptions object reaching every step,
templates decided from data, read_reports and the CLI taking the same options and defaults."""

from __future__ import annotations

import dataclasses
import inspect

import pandas as pd
import pytest
from click.testing import CliRunner

import report_extract as rx
from report_extract import api, batch, pipeline
from report_extract.cli import main
from report_extract.crossyear import settle_across_years
from report_extract.options import DEFAULT_OPTIONS, FlatSettings, ReadOptions, parse_setting
from report_extract.readers import read_document
from report_extract.schema import TemplateInfo, template_info, templates
from report_extract.templates import best_template
from report_synth import make_report
from report_synth.flat import render_flat
from report_synth.text import render_text


def _flat_bytes(seed: int = 3, template: str = "2021", **kw) -> bytes:
    return render_flat(make_report(seed, template, **kw), "spaced").encode("utf-8")


# -- steps ------------------------------------------------------------------------------------


def test_steps_are_an_explicit_tuple_of_functions_and_no_registry_is_left():
    assert isinstance(pipeline.STEPS, tuple) and all(inspect.isfunction(s) for s in pipeline.STEPS)
    names = [s.__name__ for s in pipeline.STEPS]
    assert names.index("label_step") < names.index("glued_step") < names.index("checks_step")
    assert not hasattr(api, "MAPPING_STEPS")


def test_glued_text_step_leaves_the_document_and_earlier_sections_unchanged():
    doc = read_document(_flat_bytes(), "r.txt")
    before = dict(doc.properties)
    draft = pipeline.Draft(doc=doc, options=DEFAULT_OPTIONS, properties=dict(doc.properties))
    steps = iter(pipeline.STEPS)
    for step in steps:
        draft = step(draft)
        if step is pipeline.label_step:
            break
    kept = dict(draft.sections)
    after = pipeline.glued_step(draft)
    assert after is not draft and after.mapping is not draft.mapping
    assert len(after.mapping.cells) > len(draft.mapping.cells)
    assert after.properties["table_layout"] == "flattened"
    assert doc.properties == before and "table_layout" not in draft.properties
    assert draft.sections == kept and len(after.sections) >= len(kept)  # the earlier draft's dict untouched
    report = pipeline.to_report(pipeline.checks_step(pipeline.report_step(after)))
    assert report.meta["properties"]["table_layout"] == "flattened"


def test_draft_but_copies_with_the_changes_and_rejects_an_unknown_field():
    doc = read_document(_flat_bytes(), "r.txt")
    draft = pipeline.Draft(doc=doc, options=DEFAULT_OPTIONS, year=2020)
    after = draft.but(year=2021, title="t")
    assert (after.year, after.title, after.doc, after.options) == (2021, "t", doc, DEFAULT_OPTIONS)
    assert (draft.year, draft.title) == (2020, None)  # the earlier draft is not changed
    assert after == dataclasses.replace(draft, year=2021, title="t")
    with pytest.raises(dataclasses.FrozenInstanceError):
        after.year = 2022
    with pytest.raises(TypeError, match="yaer"):
        draft.but(yaer=2021)


def test_checks_are_made_for_printed_rows_in_template_order_and_for_other_columns_last():
    from report_extract.checks import check_rows

    cells = [
        ("requests", "total_processed", "total", 5.0),
        ("requests", "granted", "total", 2.0),
        ("requests", "granted", "natural_person", 3.0),
        ("requests", "new_received", "total", 4.0),
        ("requests", "carried_over", "total", 1.0),
        ("requests", "carried_forward", "total", 0.0),
        ("requests", "granted", "extra_column", 9.0),  # a column the template has not
    ]
    rows = check_rows(cells, "2021")
    names = [r["check"] for r in rows]
    assert names == ["requests.balance.total", "requests.outcomes.total", "requests.row_total.granted"]
    balance, outcomes, row_total = rows
    assert (balance["expected"], balance["actual"], balance["passed"]) == (5.0, 5.0, True)
    assert (outcomes["expected"], outcomes["actual"], outcomes["passed"]) == (5.0, 2.0, False)
    assert (row_total["expected"], row_total["actual"], row_total["difference"]) == (2.0, 3.0, 1.0)
    cells.append(("requests", "total_processed", "extra_column", 9.0))  # now both sides of another column
    assert [r["check"] for r in check_rows(cells, "2021")] == [  # after its family's template columns
        "requests.balance.total", "requests.outcomes.total", "requests.outcomes.extra_column", "requests.row_total.granted",
    ]
    assert check_rows([], "2021") == []


def test_options_reach_the_glued_text_solver():
    data = _flat_bytes()
    assert len(rx.read_report(data).cells) > 100
    strict = ReadOptions(flat=FlatSettings(min_request_rows=999))
    with pytest.raises(rx.NotAReportError):
        rx.read_report(data, options=strict)
    # a keyword override wins over the options object
    assert rx.read_report(data, options=strict, flat=FlatSettings()).meta["template"] == "2021"


def test_template_forced_by_argument_or_options():
    data = render_text(make_report(5, "2021")).encode("utf-8")
    assert rx.read_report(data).meta["template"] == "2021"
    assert rx.read_report(data, template="2019").meta["template"] == "2019"
    assert rx.read_report(data, options=ReadOptions(template="2019")).meta["template"] == "2019"
    with pytest.raises(ValueError, match="template must be one of"):
        rx.read_report(data, template="1999")


def test_unknown_format_names_the_file(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("x", encoding="utf-8")
    with pytest.raises(rx.UnsupportedFormatError, match="r.txt"):
        rx.read_report(p, format="ofd")


# -- templates as data --------------------------------------------------------------------------


def test_template_rows_decide_ties_by_year_then_default():
    assert best_template({"2021": 3, "2019": 5}, 2024) == "2019"  # evidence first
    assert best_template({"2021": 4, "2019": 4}, 2020) == "2019"
    assert best_template({"2021": 4, "2019": 4}, 2018) == "2019"  # open lower bound
    assert best_template({"2021": 4, "2019": 4}, 2023) == "2021"
    assert best_template({"2021": 0, "2019": 0}, None) == "2021"  # the default row
    assert template_info("2021").review_columns == ("upheld", "corrected", "other", "pending", "total")


def test_a_third_template_is_a_row(monkeypatch):
    base = template_info("2021")
    third = dataclasses.replace(base, template="2030", first_year=2030, last_year=None, default=False)
    older = dataclasses.replace(base, last_year=2029)
    import report_extract.templates as tm

    monkeypatch.setattr(tm, "templates", lambda: (older, template_info("2019"), third))
    assert tm.template_ids() == ("2021", "2019", "2030")
    assert best_template({"2021": 2, "2019": 2, "2030": 2}, 2031) == "2030"
    assert best_template({"2021": 2, "2019": 2, "2030": 2}, 2025) == "2021"
    assert best_template({"2021": 1, "2019": 0, "2030": 2}, 2025) == "2030"
    assert isinstance(templates()[0], TemplateInfo)


def test_detection_tells_the_2019_template_from_its_labels():
    for tpl in ("2019", "2021"):
        r = rx.read_report(render_text(make_report(8, tpl)).encode("utf-8"))
        assert r.meta["template"] == tpl
        ev = r.meta["template_evidence"]
        assert ev[tpl] > ev["2019" if tpl == "2021" else "2021"]


# -- cross-year settling returns new reports ----------------------------------------------------


def test_settling_across_years_leaves_the_reports_passed_in(tmp_path):
    from test_crossyear import _pair, _penalty

    reports = [rx.read_report(p) for p in _pair(tmp_path, 2020)]
    cells_before = [r.cells.copy() for r in reports]
    alts_before = [repr(r.meta["alternatives"]) for r in reports]
    settled = settle_across_years(reports)
    assert len(settled) == 2
    assert _penalty(settled[0].cells)[1] == {"inferred"}
    assert settled[0] is not reports[0]
    for r, cells, alts in zip(reports, cells_before, alts_before):
        assert r.cells.equals(cells) and repr(r.meta["alternatives"]) == alts
    assert _penalty(reports[0].cells)[1] == {"ambiguous"}


# -- one options object for the API, the batch and the CLI --------------------------------------


def test_cache_key_separates_settings(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(render_text(make_report(1)), encoding="utf-8")
    a = batch.file_key(str(p), ReadOptions().cache_key())
    b = batch.file_key(str(p), ReadOptions(template="2019").cache_key())
    assert a != b and a == batch.file_key(str(p), ReadOptions().cache_key())


def test_read_reports_applies_options_and_resume(tmp_path):
    paths = []
    for i in range(2):
        p = tmp_path / f"r{i}.txt"
        p.write_text(render_text(make_report(i, "2021")), encoding="utf-8")
        paths.append(p)
    rs = rx.read_reports(paths, ReadOptions(template="2019"), jobs=1)
    assert set(rs.reports["template"]) == {"2019"}
    rs = rx.read_reports(paths, jobs=1, template="2019", cache_dir=tmp_path / "c")
    assert set(rs.reports["template"]) == {"2019"}
    # other settings are not served from the cache written under these
    assert set(rx.read_reports(paths, jobs=1, cache_dir=tmp_path / "c").reports["template"]) == {"2021"}


def test_parse_setting_converts_to_the_default_type():
    assert parse_setting("pdf.snap", "2.5") == 2.5
    assert parse_setting("flat.max_keep", "7") == 7
    assert parse_setting("ocr.enabled", "no") is False
    assert parse_setting("template", "2019") == "2019"
    assert parse_setting("timeout", "none") is None
    with pytest.raises(ValueError, match="unknown read option"):
        parse_setting("pdf.nope", "1")
    with pytest.raises(ValueError, match="needs a int"):
        parse_setting("flat.max_keep", "many")


def _cli_call(monkeypatch, tmp_path, *args) -> dict:
    """Run ``extract`` with the streamed writer replaced by a spy; what it was called with."""
    from report_extract import stream

    seen: dict = {}

    def fake(paths, outdir, formats, options=None, **kw):
        seen.update(kw, files=paths, options=options)
        return stream.StreamedSet(written=[], reports=pd.DataFrame(columns=["report_id"]),
                                  errors=pd.DataFrame(columns=["path", "error", "reason"]), counts={})

    monkeypatch.setattr(stream, "write_reports", fake)
    src = tmp_path / "in.txt"
    src.write_text(render_text(make_report(2)), encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "out"), *args])
    seen["exit_code"] = res.exit_code
    seen["output"] = res.output
    return seen


def test_cli_extract_calls_the_streamed_writer_with_the_api_defaults(monkeypatch, tmp_path):
    from report_extract import stream

    sig, streamed = inspect.signature(api.read_reports), inspect.signature(stream.write_reports)
    seen = _cli_call(monkeypatch, tmp_path)
    assert seen["jobs"] == sig.parameters["jobs"].default == streamed.parameters["jobs"].default == api.DEFAULT_JOBS
    assert seen["options"] == ReadOptions()  # timeout and every setting at the API's defaults
    assert seen["resume"] is False and seen["cross_year"] is True
    for name in ("timeout", "engine", "cross_year", "resume"):  # the streamed path keeps read_reports' defaults
        assert streamed.parameters[name].default == sig.parameters[name].default


def test_cli_reaches_every_read_option(monkeypatch, tmp_path):
    seen = _cli_call(monkeypatch, tmp_path, "--format", "text", "--template", "2019", "--max-bytes", "1000000",
                     "--timeout", "0", "--set", "pdf.snap=2.5", "--set", "match.match_threshold=0.8", "--resume")
    opts = seen["options"]
    assert (opts.format, opts.template, opts.max_bytes, opts.timeout) == ("text", "2019", 1_000_000, None)
    assert opts.pdf.snap == 2.5 and opts.match.match_threshold == 0.8
    assert seen["resume"] is True


def test_cli_rejects_a_bad_setting(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("x", encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "o"), "--set", "pdf.snap=wide"])
    assert res.exit_code == 2 and "pdf.snap" in res.output
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "o"), "--set", "nothing"])
    assert res.exit_code == 2 and "KEY=VALUE" in res.output
