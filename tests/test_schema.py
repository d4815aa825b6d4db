"""The packaged schema agrees with the shared one, and its aliases/derived structures are sane."""

from __future__ import annotations

import csv

import pytest

from conftest import SHARED
from report_extract.schema import cell_defs, specific_labels, template_schema


@pytest.mark.skipif(not (SHARED / "schema" / "cells.csv").exists(), reason="../shared/schema is not present")
def test_packaged_schema_equals_shared_schema():
    with open(SHARED / "schema" / "cells.csv", encoding="utf-8") as fh:
        shared = [tuple(r.values()) for r in csv.DictReader(fh)]
    ours = [(c.template, c.table, c.article, c.row, c.column, c.row_label, c.column_label, c.dtype, c.unit) for c in cell_defs()]
    assert ours == shared


def test_cell_counts_per_template():
    s21, s19 = template_schema("2021"), template_schema("2019")
    assert len(s21.cells) == 200
    assert len(s19.cells) == 198
    assert len(s21.rows["requests"]) == 25 + 1  # plus the single-row （六） variant `other`
    assert s21.rows["requests"]["other"].variant
    assert s21.column_order["requests"][-1] == "total"


def test_templates_have_distinct_marker_labels():
    assert "本年制发件数" in specific_labels("2021")
    assert "本年新制作数量" in specific_labels("2019")
    assert not specific_labels("2021") & specific_labels("2019")
    # labels both templates print (or a 2021 variant prints) are no evidence either way
    assert "规范性文件" not in specific_labels("2019")
    assert "其他处理" not in specific_labels("2019")


def test_unknown_template_rejected():
    with pytest.raises(ValueError):
        template_schema("2008")
