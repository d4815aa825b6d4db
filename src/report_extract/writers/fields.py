"""The output tables of a dataset: their columns, types, keys and descriptions.

One source of truth for the CSV/Parquet/Excel/JSONL/SQLite writers, the Frictionless Data Package's
Table Schemas and the data dictionary (docs/data-dictionary.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from ..glossary import english
from ..schema import TABLES, TEMPLATES, template_schema


@dataclass(frozen=True)
class Field:
    """One output column: name, Table Schema type (string/integer/number/boolean) and description."""

    name: str
    type: str
    description: str


@dataclass
class TableSpec:
    """One output table (one CSV file, one sheet, one SQLite table)."""

    name: str
    description: str
    fields: list[Field]
    primary_key: list[str] = field(default_factory=list)
    foreign_key: bool = True  # report_id references reports.report_id

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


RID = Field("report_id", "string", "The report: the input path as given on the command line (or to read_reports).")

CELL_FIELDS = [
    RID,
    Field("table", "string", "Template table: proactive (section 二), requests (section 三), review_litigation (section 四)."),
    Field("row", "string", "Row code of the standard schema (see the tables of rows below)."),
    Field("column", "string", "Column code of the standard schema."),
    Field("value", "number", "The number printed; blank when the cell is empty or a placeholder (/, —, 无). A count (schema dtype integer) is written without decimals; an amount (dtype decimal: 元/万元) keeps its decimals."),
    Field("raw", "string", "The cell text exactly as printed."),
    Field("unit", "string", "Unit printed with the value (e.g. 元, 万元), if any."),
    Field("confidence", "string", "How the value was placed: certain, inferred or ambiguous."),
    Field("row_label", "string", "The row label as printed in the document."),
    Field("column_label", "string", "The column label as printed in the document."),
    Field("table_index", "integer", "Provenance: index of the source table in the document (0-based)."),
    Field("grid_row", "integer", "Provenance: row of the cell in the source table grid (0-based)."),
    Field("grid_col", "integer", "Provenance: column of the cell in the source table grid (0-based)."),
    Field("page", "integer", "Provenance: page number (PDF), 1-based."),
    Field("line", "integer", "Provenance: line number (text formats), 1-based."),
]
CHECK_FIELDS = [
    RID,
    Field("check", "string", "Check id: family plus the row or column it is made for (e.g. requests.balance.total)."),
    Field("family", "string", "Check family (the arithmetic rule of the template, see the check families below)."),
    Field("table", "string", "Template table the check is about."),
    Field("passed", "boolean", "Whether the printed numbers satisfy the rule."),
    Field("expected", "number", "The printed total side of the rule."),
    Field("actual", "number", "The sum of the printed parts."),
    Field("difference", "number", "actual - expected."),
    Field("rule", "string", "The rule in words."),
]
ISSUE_FIELDS = [
    RID,
    Field("issue_no", "integer", "Number of the issue within its report (1-based)."),
    Field("code", "string", "Issue code (e.g. unmapped_row, missing_section, template_guess)."),
    Field("severity", "string", "error (data lost or possibly wrong), warning (needs a look) or info."),
    Field("message", "string", "What was found, in words."),
    Field("where", "string", "Where in the document (table/row/line), if known."),
]
PUBLISHER_FIELDS = [
    Field("agency_normalized", "string", "The publisher's name normalised (NFKC, no spaces or punctuation)."),
    Field("level", "string", "Administrative level of the publisher: province, city, county, township, or department (a department of a government)."),
    Field("body", "string", "Kind of body: government, general_office (人民政府办公厅/办公室) or department (局/委/办 …)."),
    Field("parent", "string", "The government a department belongs to, or the division above a government's division."),
    Field("division_code", "string", "12-digit statistical division code (统计用区划代码) at the finest level resolved; blank when unresolved or ambiguous."),
    Field("division_name", "string", "Name of the division the code stands for."),
    Field("division_level", "string", "Level of that division: province, city, county or township."),
    Field("division_vintage", "string", "Vintage (year) of the division table the code comes from."),
    Field("division_status", "string", "resolved; partial (the publisher sits below the finest division known, e.g. an unlisted sub-zone); ambiguous (several divisions bear the name); unresolved (not in the table; never guessed)."),
    Field("division_candidates", "string", "Candidate codes when ambiguous, separated by ; (when a hint settled the code: the candidates the name alone left)."),
    Field("division_evidence", "string", "What settled the division code: name (the name alone), region (the region hint, ReadOptions publisher.region / --region), text (a county or city the report's own text names), region+text; blank when not resolved."),
    Field("publisher_key", "string", "The publisher across reports however its name is printed: division code, body and department name when resolved (e.g. 320813000000:government: for both 洪泽区人民政府 and 淮安市洪泽区人民政府), else the normalised name."),
]
REPORT_FIELDS = [
    RID,
    Field("path", "string", "The file read."),
    Field("title", "string", "The report title as printed (or found)."),
    Field("agency", "string", "The publisher as printed in the title (or the file name)."),
    Field("year", "integer", "The reporting year."),
    Field("template", "string", "Template of the tables: 2021 (国办公开办函〔2021〕30号) or 2019."),
    Field("source_format", "string", "Format read: text, html, pdf, docx, doc, xlsx, xls."),
    Field("n_cells", "integer", "Number of template cells found."),
    Field("n_values", "integer", "Number of cells with a numeric value."),
    Field("n_failed_checks", "integer", "Number of arithmetic checks the printed numbers fail."),
    Field("failed_checks", "string", "Ids of the failed checks, separated by ;."),
    Field("n_issues", "integer", "Number of extraction issues."),
    Field("issues", "string", "Issue codes found, separated by ;."),
    *PUBLISHER_FIELDS,
    Field("duplicate_of", "string", "The report this one duplicates (the primary copy), blank when it is itself the primary or unique."),
    Field("is_primary", "boolean", "True for the copy to use: one per set of duplicates (see Duplicates below); the wide tables hold primary reports only."),
    Field("duplicate_reason", "string", "Why the report is a duplicate of duplicate_of, blank for a primary."),
]
SECTION_FIELDS = [
    RID,
    Field("section", "integer", "Section number of the template: 1 (一、总体情况) to 6 (六、其他需要报告的事项)."),
    Field("heading", "string", "The section heading as printed."),
    Field("text", "string", "The prose of the section (tables left out)."),
]
ERROR_FIELDS = [
    Field("file", "string", "The file that could not be read."),
    Field("error", "string", "Error code: corrupt_input, not_a_report, unsupported_format, encrypted_input, input_too_large, limit_exceeded, unusable_text, missing_dependency, timeout, worker_crashed, report_error, internal_error, skipped_unsupported, broken_link, symlink_loop, unreadable_path."),
    Field("reason", "string", "Why, in one sentence."),
]
CROSSCHECK_FIELDS = [
    Field("crosscheck", "string", "carry_over (this year's 上年结转 vs last year's 结转下年度) or duplicate (several reports of one publisher and year)."),
    Field("publisher", "string", "The publisher as named in this year's report (normalised); reports are matched on reports.publisher_key."),
    Field("year", "integer", "The reporting year checked."),
    Field("column", "string", "Applicant column of the requests table (carry_over), blank for duplicate."),
    Field("report_id", "string", "The report of this year."),
    Field("other_report_id", "string", "The report compared with (the year before, or the duplicate)."),
    Field("expected", "integer", "carry_over: last year's carried_forward."),
    Field("actual", "integer", "carry_over: this year's carried_over."),
    Field("passed", "boolean", "Whether the two agree (always false for duplicate)."),
]


def _wide_fields(table: str) -> list[Field]:
    cols: list[str] = []
    for tpl in TEMPLATES:
        for c in template_schema(tpl).column_order[table]:
            if c not in cols:
                cols.append(c)
    out = [RID, Field("row", "string", f"Row code of the {table} table."),
           Field("row_label_zh", "string", "The row's label in the report's template (Chinese).")]
    labels = column_labels(table)
    types = column_types(table)
    for c in cols:
        out.append(Field(c, types[c], f"Column {c}: {english(c, table)} ({labels.get(c, c)})."))
    return out


def column_types(table: str) -> dict[str, str]:
    """Column code -> Table Schema type: ``integer`` when every cell of the column is a count in
    the schema (dtype ``integer``), else ``number`` (amounts, dtype ``decimal``)."""
    out: dict[str, str] = {}
    for tpl in TEMPLATES:
        for c in template_schema(tpl).cells:
            if c.table == table:
                t = "integer" if c.dtype == "integer" else "number"
                out[c.column] = "number" if out.get(c.column) == "number" else t
    return out


def column_labels(table: str) -> dict[str, str]:
    """Column code -> the template's Chinese label(s) (both templates, / separated)."""
    out: dict[str, list[str]] = {}
    for tpl in TEMPLATES:
        for c in template_schema(tpl).cells:
            if c.table == table:
                labels = out.setdefault(c.column, [])
                if c.column_label not in labels:
                    labels.append(c.column_label)
    return {k: " / ".join(v) for k, v in out.items()}


def table_specs() -> Mapping[str, TableSpec]:
    """Every output table in writing order (made once: a read-only mapping)."""
    return _TABLE_SPECS()


@lru_cache(maxsize=1)
def _TABLE_SPECS() -> Mapping[str, TableSpec]:  # noqa: N802 - a constant made on first use
    specs = {
        "reports": TableSpec("reports", "One row per report read: metadata, publisher, failed checks and issue codes.", REPORT_FIELDS, ["report_id"], False),
        "cells": TableSpec("cells", "Long format: one row per template cell printed, with provenance.", CELL_FIELDS, ["report_id", "table", "row", "column"]),
    }
    titles = {"proactive": "Section 二 (主动公开): one row per primary report and row code, one column per column code (duplicates are in cells only).",
              "requests": "Section 三 (收到和处理政府信息公开申请): one row per primary report and row code.",
              "review_litigation": "Section 四 (行政复议、行政诉讼): one row per primary report and row code."}
    for t in TABLES:
        specs[t] = TableSpec(t, titles[t], _wide_fields(t), ["report_id", "row"])
    specs["checks"] = TableSpec("checks", "One row per arithmetic check made on a report.", CHECK_FIELDS, ["report_id", "check"])
    specs["issues"] = TableSpec("issues", "Extraction issues, one row each.", ISSUE_FIELDS, ["report_id", "issue_no"])
    specs["errors"] = TableSpec("errors", "One row per file that could not be read.", ERROR_FIELDS, ["file"], False)
    specs["crosschecks"] = TableSpec("crosschecks", "Checks across reports of one publisher.", CROSSCHECK_FIELDS, [])
    specs["sections"] = TableSpec("sections", "The prose of each report, one row per section found (searchable in SQLite: sections_fts).", SECTION_FIELDS, ["report_id", "section"])
    return MappingProxyType(specs)
