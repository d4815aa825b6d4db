"""Indicators (data/indicators.csv): values checked against sums written out by hand from the labels
of real corpus reports, blank handling, data quality, and the definitions themselves."""

from __future__ import annotations

import math
import re
from fnmatch import fnmatchcase

import pandas as pd
import pytest

import report_extract as rx
from conftest import DOCS, LABELS, requires_corpus
from report_extract.indicators import evaluate, indicator_defs


def _label(name: str) -> pd.DataFrame:
    return pd.read_csv(LABELS / f"{name}.cells.csv", dtype={"raw": str})


def _v(label: pd.DataFrame, table: str, row: str, column: str) -> float:
    """One labelled cell (blank counts 0, as in the template's checks)."""
    sel = label[(label["table"] == table) & (label["row"] == row) & (label["column"] == column)]
    assert len(sel) == 1, (table, row, column)
    v = sel["value"].iloc[0]
    return 0.0 if pd.isna(v) else float(v)


def _read(name: str) -> dict[str, dict]:
    r = rx.read_report(DOCS / name)
    out = evaluate(r.cells.assign(report_id=name), r.checks.assign(report_id=name))
    return {rec["indicator"]: rec for rec in out.to_dict("records")}


def _assert_values(got: dict[str, dict], expected: dict[str, float]) -> None:
    for code, want in expected.items():
        value = got[code]["value"]
        if isinstance(want, float) and math.isnan(want):
            assert math.isnan(value), code
        else:
            assert value == pytest.approx(want, abs=1e-9), code


@requires_corpus
def test_h021_department_with_publisher_errors():
    """2021 template; the publisher's 部分公开 row and 总计 row do not add up (published errors)."""
    lab = _label("h021.txt")

    def req(row: str) -> float:
        return _v(lab, "requests", row, "total")

    processed = req("total_processed")  # 19 as printed
    denied = (req("denied_state_secret") + req("denied_prohibited_by_law") + req("denied_security_stability")
              + req("denied_third_party_rights") + req("denied_internal_affairs") + req("denied_process_info")
              + req("denied_enforcement_files") + req("denied_query_matters"))
    unable = req("unable_not_held") + req("unable_needs_creation") + req("unable_unclear")
    other = req("other_overdue_correction") + req("other_overdue_fee") + req("other_other")
    lit_upheld = _v(lab, "review_litigation", "litigation_direct", "upheld") + _v(lab, "review_litigation", "litigation_after_review", "upheld")
    lit_corr = _v(lab, "review_litigation", "litigation_direct", "corrected") + _v(lab, "review_litigation", "litigation_after_review", "corrected")
    lit_other = _v(lab, "review_litigation", "litigation_direct", "other") + _v(lab, "review_litigation", "litigation_after_review", "other")
    expected = {
        "received": req("new_received") + req("carried_over"),
        "processed": processed,
        "granted": req("granted"),
        "partially_granted": req("partially_granted"),
        "denied": denied,
        "unable": unable,
        "other": other,
        "granted_share": req("granted") / processed,
        "partially_granted_share": req("partially_granted") / processed,
        "unable_share": unable / processed,
        "other_share": other / processed,
        "litigation": _v(lab, "review_litigation", "litigation_direct", "total") + _v(lab, "review_litigation", "litigation_after_review", "total"),
        "litigation_corrected_share": lit_corr / (lit_upheld + lit_corr + lit_other),
        "review_corrected_share": float("nan"),  # no review concluded: 0 / 0 is empty, not 0
        "normative_documents_issued": _v(lab, "proactive", "normative_documents", "issued"),
        "licensing_decisions": _v(lab, "proactive", "licensing", "decisions"),
    }
    assert expected["received"] == 19 and expected["unable"] == 4 and expected["litigation"] == 1  # the label's own figures
    got = _read("h021.txt")
    _assert_values(got, expected)
    # the published errors travel with the figures that use the cells involved
    assert got["processed"]["quality"] == "check_failed"
    assert "requests.row_total.total_processed" in got["processed"]["failed_checks"].split(";")
    assert got["partially_granted"]["failed_checks"] == "requests.row_total.partially_granted"
    assert got["received"]["quality"] == "ok" and got["granted"]["quality"] == "ok"
    assert got["denied_share"]["quality"] == "check_failed"  # its denominator is the failing 总计


@requires_corpus
def test_h002_2019_template():
    """2019 template (（六）其他处理 one row, 本年新制作数量), outcomes check failing as published."""
    lab = _label("h002.txt")

    def req(row: str) -> float:
        return _v(lab, "requests", row, "total")

    processed = req("total_processed")
    not_processed = (req("rejected_petition") + req("rejected_duplicate") + req("rejected_publication")
                     + req("rejected_excessive") + req("rejected_reconfirmation"))
    expected = {
        "received": req("new_received") + req("carried_over"),
        "processed": processed,
        "unable": req("unable_not_held") + req("unable_needs_creation") + req("unable_unclear"),
        "not_processed": not_processed,
        "other": req("other"),
        "not_processed_share": not_processed / processed,
        "carried_forward": req("carried_forward"),
        "rules_issued": _v(lab, "proactive", "rules", "produced"),
        "normative_documents_issued": _v(lab, "proactive", "normative_documents", "produced"),
        "normative_documents_in_force": _v(lab, "proactive", "normative_documents", "total_published"),
        "fees_amount": float("nan"),  # the 2019 template prints no fee amount
    }
    assert expected["other"] == 4 and expected["not_processed"] == 3
    got = _read("h002.txt")
    _assert_values(got, expected)
    assert got["processed"]["quality"] == "check_failed"
    assert "requests.outcomes.total" in got["processed"]["failed_checks"].split(";")
    assert got["fees_amount"]["quality"] == "no_data"


@requires_corpus
def test_p001_city_pdf():
    """A clean city-level report (PDF): every figure passes its checks."""
    lab = _label("p001.pdf")

    def req(row: str) -> float:
        return _v(lab, "requests", row, "total")

    processed = req("total_processed")
    denied = (req("denied_state_secret") + req("denied_prohibited_by_law") + req("denied_security_stability")
              + req("denied_third_party_rights") + req("denied_internal_affairs") + req("denied_process_info")
              + req("denied_enforcement_files") + req("denied_query_matters"))
    rv = {c: _v(lab, "review_litigation", "review", c) for c in ("upheld", "corrected", "other", "total")}
    expected = {
        "received": req("new_received") + req("carried_over"),
        "denied": denied,
        "denied_share": denied / processed,
        "granted_share": req("granted") / processed,
        "review": rv["total"],
        "review_corrected": rv["corrected"],
        "review_corrected_share": rv["corrected"] / (rv["upheld"] + rv["corrected"] + rv["other"]),
        "penalty_decisions": _v(lab, "proactive", "penalty", "decisions"),
        "fees_amount": _v(lab, "proactive", "fees", "amount"),
        "carried_forward": req("carried_forward"),
    }
    assert expected["denied"] == 178 and expected["received"] == 3153
    got = _read("p001.pdf")
    _assert_values(got, expected)
    assert {rec["quality"] for rec in got.values()} == {"ok"}
    assert got["denied"]["cells"].startswith("requests.denied_state_secret.total=2;")


def _cells(rows: list[tuple[str, str, str, float | None]], rid: str = "r") -> pd.DataFrame:
    return pd.DataFrame([{"report_id": rid, "table": t, "row": r, "column": c,
                          "value": float("nan") if v is None else float(v), "raw": "" if v is None else str(v),
                          "confidence": "certain"} for t, r, c, v in rows])


def test_blank_handling():
    cells = _cells([
        ("requests", "new_received", "total", 5), ("requests", "carried_over", "total", None),
        ("requests", "total_processed", "total", 0), ("requests", "granted", "total", None),
        ("requests", "denied_state_secret", "total", None), ("requests", "denied_query_matters", "total", None),
        ("proactive", "fees", "amount", None),
    ])
    got = {r["indicator"]: r for r in evaluate(cells).to_dict("records")}
    assert got["received"]["value"] == 5 and got["received"]["n_blank"] == 1  # blank counts 0 next to a number
    assert math.isnan(got["denied"]["value"]) and got["denied"]["quality"] == "no_data"  # nothing printed
    assert math.isnan(got["granted_share"]["value"])  # nothing processed: no share
    assert math.isnan(got["fees_amount"]["value"])  # blank = missing
    assert math.isnan(got["review"]["value"]) and got["review"]["cells"] == ""  # table not printed


def test_ambiguous_cell_marks_the_figure():
    cells = _cells([("requests", "granted", "total", 3), ("requests", "total_processed", "total", 6)])
    cells.loc[0, "confidence"] = "ambiguous"
    got = {r["indicator"]: r for r in evaluate(cells).to_dict("records")}
    assert got["granted_share"]["value"] == 0.5
    assert got["granted_share"]["quality"] == "ambiguous"
    assert got["granted_share"]["ambiguous_cells"] == "requests.granted.total"
    assert got["processed"]["quality"] == "ok"


def test_every_formula_term_names_schema_cells():
    schema = pd.read_csv(rx.__path__[0] + "/data/cells.csv", dtype=str)
    keys = list(zip(schema["table"], schema["row"], schema["column"]))
    defs = indicator_defs()
    for ind in defs.values():
        assert ind.label_zh and ind.label_en and ind.description and ind.unit, ind.code
        for term in ind.numerator + (ind.denominator or ()):
            if term.startswith("@"):
                assert term[1:] in defs
                continue
            t, r, c = term.split(".")
            assert any(fnmatchcase(k[0], t) and fnmatchcase(k[1], r) and fnmatchcase(k[2], c) for k in keys), (ind.code, term)
    # the list of indicators is there
    for code in ("received", "processed", "granted", "partially_granted", "denied", "unable", "not_processed", "other",
                 "carried_forward", "denied_share", "review", "review_corrected_share", "litigation", "fees_amount"):
        assert code in defs
    assert all(re.fullmatch(r"[a-z_]+", c) for c in defs)


def test_indicators_in_the_data_dictionary():
    from report_extract.dictionary import data_dictionary

    text = data_dictionary()
    for ind in indicator_defs().values():
        assert f"| `{ind.code}` | {ind.label_zh} | {ind.label_en} |" in text
