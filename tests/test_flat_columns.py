"""Column-by-column text: a table's row labels in one chunk, its values in another (plain pdftotext)."""

from __future__ import annotations

import report_extract as rx
from report_extract.flat.columns import section_values, spread_column_runs
from report_extract.flat.locate import Found
from report_extract.schema import template_schema
from report_synth import SECTION_HEADINGS, make_report

SECTION_TABLE = {2: "proactive", 3: "requests", 4: "review_litigation"}


def column_stream(rep, labels_first: bool = True) -> str:
    """The report as text printing each table's row labels, then all its values one per line."""
    truth = rep.truth()
    schema = template_schema(rep.template)
    lines = [rep.title]
    for n in range(1, 7):
        lines.append(SECTION_HEADINGS[n])
        table = SECTION_TABLE.get(n)
        if table is None:
            lines.append("本年度无其他需要报告的事项。")
            continue
        sub = truth[truth["table"] == table]
        rows = list(dict.fromkeys(sub["row"]))
        labels = [schema.rows[table][r].label.split(" ")[-1] if r in schema.rows[table] else r for r in rows]
        values = [str(raw) if raw else "—" for raw in sub["raw"]]
        chunks = [labels, values] if labels_first else [values, labels]
        if table == "review_litigation":
            chunks = [["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], values]
        for chunk in chunks:
            lines += [x for v in chunk for x in (v, "")]
    return "\n".join(lines) + "\n"


def test_values_printed_after_their_labels_are_dealt_to_the_rows():
    for seed, template in ((0, "2021"), (2, "2019")):
        rep = make_report(seed, template)
        r = rx.read_report(column_stream(rep).encode("utf-8"), format="text")
        got = r.cells.set_index(["table", "row", "column"])["value"]
        truth = rep.truth().set_index(["table", "row", "column"])["value"]
        assert len(got) == len(truth)
        assert all(got[k] == v for k, v in truth.items())
        assert not (r.issues["severity"] == "error").any()


def test_a_stream_that_does_not_count_out_is_left_to_the_solver_and_flagged():
    rep = make_report(3, "2021")
    text = column_stream(rep)
    # drop one value of section 三: 181 values cannot be dealt to 26 rows of 7
    head, sep, rest = text.partition(SECTION_HEADINGS[3])
    first_value = next(line for line in rest.split("\n") if line.strip().isdigit())
    rest = rest.replace("\n" + first_value + "\n", "\n", 1)
    r = rx.read_report((head + sep + rest).encode("utf-8"), format="text")
    wrong = r.cells[r.cells["table"] == "requests"]
    assert len(wrong) < 26 * 7
    assert (r.issues["severity"] == "error").any() or r.issues["code"].isin(["row_not_found", "table_not_found"]).any()


def test_spread_values_of_a_block_in_label_order():
    schema = template_schema("2021")
    found = [Found("proactive", "rules", 0, 2, "", 0), Found("proactive", "normative_documents", 3, 5, "1 2 3 4 5 6", 10)]
    assert spread_column_runs(found, schema) == 2
    assert [f.run for f in found] == ["1 2 3", "4 5 6"]
    # a row with exactly its own values is left alone
    found = [Found("proactive", "rules", 0, 2, "1 2 3", 0), Found("proactive", "normative_documents", 3, 5, "", 10)]
    assert spread_column_runs(found, schema) == 0


def test_section_values_are_the_standalone_numbers_of_each_section():
    text = "二、主动公开政府信息情况\n2023年共公开128条\n规章\n1\n0\n三、收到和处理政府信息公开申请情况\n1,234\n—\n五、存在的主要问题及改进情况\n3\n"
    values = section_values(text)
    assert [v for _, v in values[2]] == ["1", "0"]
    assert [v for _, v in values[3]] == ["1,234", "—"]
    assert text[values[3][0][0]:].startswith("1,234")
