"""A held-out stress set: layout variants seen on government sites, in every table format.

Each variant (``synth.variants.VARIANTS``) is rendered as pipe, Markdown and TSV text, HTML, DOCX and
XLSX and read back: the cells must equal the truth exactly and the failed checks must equal the
report's own, with the metadata read from the title. The one variant that genuinely loses cells
(section 三 printing 法人或其他组织 as one column) must name every lost cell in an issue and get
every other cell right.
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

import report_extract as rx
from conftest import cell_mismatches
from report_extract.textnorm import label_key
from report_synth import make_report
from report_synth.variants import FORMATS, VARIANTS, render_variant

pytest.importorskip("docx")
pytest.importorskip("openpyxl")

CASES = [(0, "2021", ()), (7, "2021", ("halfwidth", "dun_numbering", "placeholders")), (2, "2019", ("paren_numbering",))]


def _needs(name: str) -> None:
    if name == "traditional":
        pytest.importorskip("opencc")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant(name: str, fmt: str) -> None:
    _needs(name)
    for seed, template, quirks in CASES:
        rep = make_report(seed, template, quirks=set(quirks), publisher_error=seed == 7)
        doc = VARIANTS[name](rep)
        data, reader = render_variant(doc, fmt)
        r = rx.read_report(data, format=reader)
        where = f"{name}/{fmt}/seed {seed}/{template}"
        assert cell_mismatches(r, doc.truth()) == [], where
        assert r.meta["template"] == template, where
        assert r.meta["year"] == rep.year, where
        assert r.meta["agency"] == (doc.agency or rep.agency), where
        if not doc.dropped:
            assert r.failed_checks == rep.failed_checks(), where
            continue
        # information genuinely lost: every lost cell is named in an issue, nothing else is wrong
        lost = cell_mismatches(r, rep.truth())
        assert all(m.startswith("missing ") for m in lost), (where, lost)
        assert {m.split()[1] for m in lost} == {".".join(k) for k in doc.dropped}, where
        text = "\n".join(r.issues.loc[r.issues["code"] == "unknown_column", "message"])
        for row in {k[1] for k in doc.dropped}:
            assert all(f"requests.{row}.{c}" in text for c in ("commercial_enterprise", "other_org")), (where, row)
        # checks the report itself fails are still reported; extra failures only where cells are lost
        assert set(rep.failed_checks()) <= set(r.failed_checks), where
        extra = set(r.failed_checks) - set(rep.failed_checks())
        assert all(c.startswith("requests.") for c in extra), where


def test_no_org_never_maps_the_band_column() -> None:
    rep = make_report(3, "2021")
    doc = VARIANTS["no_org"](rep)
    for fmt in FORMATS:
        r = rx.read_report(render_variant(doc, fmt)[0], format=render_variant(doc, fmt)[1])
        cols = set(r.cells.loc[r.cells["table"] == "requests", "column"])
        assert cols == {"natural_person", "total"}, fmt
        assert (r.issues["code"] == "unknown_column").sum() >= 1, fmt


def _template_label_texts() -> set[str]:
    texts: set[str] = set()
    data = resources.files("report_extract.data")
    for name, fields in (("cells.csv", ("row_label", "column_label")), ("aliases.csv", ("alias",)),
                         ("groups.csv", ("alias",))):
        with data.joinpath(name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts.update(row[f] for f in fields if row[f])
    from report_extract.sections import SECTION_NAMES

    return texts | set(SECTION_NAMES.values())


def test_traditional_labels_normalise_to_simplified() -> None:
    """Every character of the template's labels, converted by OpenCC, comes back through label_key."""
    pytest.importorskip("opencc")
    from report_synth.variants import traditional

    texts = _template_label_texts()
    assert len(texts) > 100
    bad = [t for t in texts if label_key(traditional(t)) != label_key(t)]
    assert bad == []
    assert traditional("本年度办理结果") == "本年度辦理結果"  # the converter really converts
