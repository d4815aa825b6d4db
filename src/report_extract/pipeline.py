"""The reading pipeline of one report, as an explicit list of steps.

::

    load → read_document → layout pass → sections → identify (title, agency, year)
         → template detection → label mapping → glued-text solver → checks → Report

:func:`read_report` loads the bytes and runs the reader; :func:`report_from_document` runs the
format-independent steps (:data:`STEPS`) on the reader's :class:`~report_extract.grid.Document`.
Each step is a function ``(Draft) -> Draft`` that returns a new :class:`Draft` (:meth:`Draft.but`)
and never changes an earlier step's values in place; settings come from the one
:class:`~report_extract.options.ReadOptions` the draft carries. :func:`read_one` is the per-file
worker of a batch (:func:`report_extract.api.read_reports`): it turns every failure into an error row.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from typing import IO, Any

import pandas as pd

from .checks import check_rows, checks_frame
from .completeness import completeness_issues
from .deadline import check as check_deadline
from .deadline import time_limit
from .errors import (
    CorruptInputError,
    InputTooLargeError,
    NotAReportError,
    ReportError,
    UnsupportedFormatError,
)
from .flat import flattened_step
from .grid import Block, Document
from .layout import document_title, layout_pass
from .mapper import Issue, Mapping, map_document
from .meta import from_filename, parse_title, year_from_text
from .metadata_checks import markup_issues, year_issues
from .options import DEFAULT_OPTIONS, FORMATS, ReadOptions
from .publishers import place_spans
from .readers import read_document
from .report import LazyFrame, Report, frame_of_cells, issues_frame, severity_of
from .schema import template_schema
from .sections import SECTION_NAMES, Section, split_sections
from .templates import default_template, detect_template, template_ids, undecided

PathOrFile = str | os.PathLike | IO[bytes] | bytes
# One file's result in a batch: (report_id, report or None, error row or None).
Result = tuple[str, Report | None, dict | None]


def make_options(options: ReadOptions | None = None, **overrides: Any) -> ReadOptions:
    """``options`` (or the defaults) with ``overrides`` applied; None values mean "not given".

    Keys are :class:`ReadOptions` fields (``format``, ``template``, ``max_bytes``, ``timeout``, a
    whole group such as ``pdf=PdfSettings(...)``) or dotted ``"group.field"`` keys.
    """
    if options is not None and not isinstance(options, ReadOptions):
        raise TypeError(f"options must be a ReadOptions, not {type(options).__name__}")
    base = options if options is not None else DEFAULT_OPTIONS
    given = {k: v for k, v in overrides.items() if v is not None}
    return base.replace(**given) if given else base


# --------------------------------------------------------------------------------------------
# load and read


def load(source: PathOrFile, max_bytes: int) -> tuple[bytes, str | None]:
    """The input's bytes and its path (None for bytes or a nameless file object)."""
    if isinstance(source, bytes | bytearray):
        return bytes(source), None
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
        except FileNotFoundError:
            raise ReportError(path, "no such file") from None
        except OSError as exc:
            raise ReportError(path, f"cannot read the file ({exc.strerror or exc})") from None
        if os.path.isdir(path):
            raise ReportError(path, "is a directory; use read_reports() for folders")
        if size > max_bytes:
            raise InputTooLargeError(path, f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit")
        if size == 0:
            raise CorruptInputError(path, "the file is empty")
        try:
            with open(path, "rb") as fh:
                return fh.read(), path
        except OSError as exc:
            raise ReportError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        data = source.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > max_bytes:
            raise InputTooLargeError(name, f"input is over the {max_bytes / 1e6:.0f} MB limit")
        return data, (str(name) if name else None)
    raise TypeError(f"read_report() takes a path, bytes or a binary file object, not {type(source).__name__}")


def read(data: bytes, path: str | None, options: ReadOptions) -> Document:
    """Run the reader of the input's format; a library failing on damaged input is a ReportError."""
    try:
        return read_document(data, path, options)
    except ReportError:
        check_deadline()  # a timeout rewrapped by a reader as a damaged file is still a timeout
        raise
    except (MemoryError, RecursionError) as exc:
        check_deadline()  # a timeout caught and rewrapped by a library is still a timeout
        raise CorruptInputError(path, f"the document is too complex to read ({type(exc).__name__})") from None
    except Exception as exc:  # a reader's library failing on damaged input
        check_deadline()
        raise CorruptInputError(path, f"cannot parse the document: {type(exc).__name__}: {exc}") from None


# --------------------------------------------------------------------------------------------
# the format-independent steps


@dataclass(frozen=True)
class Draft:
    """What the steps know so far about one report; each step returns a new Draft."""

    doc: Document
    options: ReadOptions
    properties: dict[str, Any] = field(default_factory=dict)  # the reader's, plus what steps learn
    preamble: tuple[Block, ...] = ()
    sections: dict[int, Section] = field(default_factory=dict)
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    evidence: dict[str, int] = field(default_factory=dict)
    mapping: Mapping | None = None
    issues: tuple[Issue, ...] = ()  # the pipeline's own issues (the mapper's travel in ``mapping``)
    publisher_region: str | None = None  # the region hint the publisher's division was looked up with
    publisher_places: str | None = None  # stretches of the text that may name the publisher's county or city
    cells: LazyFrame | None = None  # rows until a frame is asked for
    checks: LazyFrame | None = None

    def but(self, **changes: Any) -> Draft:
        """A copy of this draft with ``changes`` (field names) made: ``dataclasses.replace``
        without running ``__init__`` again (every step makes one; a Draft has no ``__post_init__``)."""
        if not _DRAFT_FIELDS.issuperset(changes):
            raise TypeError(f"Draft has no field {sorted(set(changes) - _DRAFT_FIELDS)[0]!r}")
        new = object.__new__(Draft)
        new.__dict__.update(self.__dict__, **changes)
        return new


_DRAFT_FIELDS = frozenset(f.name for f in fields(Draft))


Step = Callable[[Draft], Draft]


def layout_step(d: Draft) -> Draft:
    """The format-neutral layout pass (:func:`report_extract.layout.layout_pass`): title
    candidates, tables split at section-heading rows, the not-a-report decision."""
    return d.but(doc=layout_pass(d.doc, d.options))


def sections_step(d: Draft) -> Draft:
    """The preamble and the six sections, by their headings."""
    preamble, sections = split_sections(d.doc, d.options.match.max_heading_chars)
    return d.but(preamble=tuple(preamble), sections=sections)


def identify_step(d: Draft) -> Draft:
    """The report's title, publisher and year (from the title, the text, else the file name)."""
    doc = d.doc
    title = document_title(doc, list(d.preamble))
    agency, year = parse_title(title) if title else (None, None)
    if year is None:
        year = year_from_text("\n".join(b.text for b in doc.paragraphs[:40]))
    fa, fy = from_filename(doc.path)
    return d.but(title=title, agency=agency or fa, year=year or fy)


def template_step(d: Draft) -> Draft:
    """The template: forced by ``options.template`` or the best match of ``data/templates.csv``."""
    forced = d.options.template
    if forced is not None:
        if forced not in template_ids():
            raise ValueError(f"template must be one of {template_ids()}, not {forced!r}")
        return d.but(template=forced, evidence={})
    template, evidence = detect_template(d.doc, d.year)
    return d.but(template=template, evidence=evidence)


def label_step(d: Draft) -> Draft:
    """Map the tables' cells to the template by their row and column labels."""
    if d.template is None:  # no template label in the tables: only the glued-text solver may find cells
        return d.but(mapping=Mapping(default_template()))
    mapping = map_document(d.doc, d.sections, d.template, d.options.match)
    return d.but(mapping=mapping)


def glued_step(d: Draft) -> Draft:
    """When the label mapper found (almost) no cells, solve the cells glued into running text."""
    assert d.mapping is not None
    solved = flattened_step(d.doc, d.sections, d.template, d.mapping, d.options)
    if solved is None:
        return d
    mapping, found = solved
    sections = dict(d.sections)
    for n, sec in found.items():
        sections.setdefault(n, sec)  # headings the block-level splitter could not see
    # cells were cut from running text (meta["properties"]["table_layout"])
    return d.but(mapping=mapping, sections=sections, properties={**d.properties, "table_layout": "flattened"})


def report_step(d: Draft) -> Draft:
    """Refuse a document with no template table; note the template guess and missing sections."""
    assert d.mapping is not None
    if not d.mapping.cells:
        reason = d.doc.not_a_report_reason or (
            "no table of the national annual-report template (国办公开办函〔2021〕30号 or the 2019 "
            "format) was found; reports before 2019 have no national template"
        )
        raise NotAReportError(d.doc.path, reason)
    template = d.mapping.template or d.template
    issues: list[Issue] = []
    if undecided(d.evidence) and d.year is None:
        issues.append(Issue("template_guess", "the labels do not tell the templates apart and no year was found; assumed " + template))
    for n, name in SECTION_NAMES.items():
        if n not in d.sections:
            issues.append(Issue("missing_section", f"section {n} ({name}) heading not found"))
    return d.but(template=template, issues=tuple(issues))


def completeness_step(d: Draft) -> Draft:
    """Account for every table and row of the detected template: a table that yielded no cell is
    an error ``table_not_found``, a missing row a warning ``row_not_found`` (:mod:`.completeness`)."""
    assert d.mapping is not None and d.template is not None
    found = completeness_issues(d.template, {(c.table, c.row) for c in d.mapping.cells})
    return d.but(issues=d.issues + tuple(found))


def metadata_step(d: Draft) -> Draft:
    """Warnings on implausible metadata: markup in the title or publisher, a year its template
    cannot have, a title year contradicting the body (:mod:`.metadata_checks`)."""
    body = "\n".join(b.text for b in d.doc.paragraphs[:40])
    found = markup_issues(d.title, d.agency) + year_issues(d.template, d.year, d.title, body)
    return d.but(issues=d.issues + tuple(found)) if found else d


def publisher_step(d: Draft) -> Draft:
    """Evidence for the publisher's division code beyond its name, for the publisher columns
    (:func:`~report_extract.publishers.publisher_info` in ``reports``): the region hint of
    ``options.publisher.region`` and the stretches of the report's own text that may name its county
    or city (:func:`~report_extract.publishers.place_spans`: an address, a contact section), kept in
    ``meta`` as ``publisher_region`` and ``publisher_places``. The division table is not loaded here."""
    text = "\n".join(b.text for b in d.doc.paragraphs)
    return d.but(publisher_region=d.options.publisher.region, publisher_places=place_spans(text) if d.agency else None)


def checks_step(d: Draft) -> Draft:
    """The cells and the template's arithmetic checks on them, as rows (frames when asked for)."""
    assert d.mapping is not None and d.template is not None
    rows = cell_rows(d.mapping, d.template)
    checks = check_rows(rows, d.template)  # rows start (table, row, column, value)
    return d.but(cells=LazyFrame(rows, frame_of_cells), checks=LazyFrame(checks, checks_frame))


STEPS: tuple[Step, ...] = (
    layout_step,
    sections_step,
    identify_step,
    template_step,
    label_step,
    glued_step,
    report_step,
    completeness_step,
    metadata_step,
    publisher_step,
    checks_step,
)


def to_report(d: Draft) -> Report:
    """The finished :class:`Report` of a draft that went through every step."""
    assert d.mapping is not None and d.cells is not None and d.checks is not None
    doc, mapping = d.doc, d.mapping
    # problems a reader found (e.g. a PDF's unreadable pages)
    reader_issues = [Issue(i.code, i.message, i.where) for i in doc.reader_issues]
    issues = reader_issues + mapping.issues + list(d.issues)
    issue_frame = LazyFrame(
        [{"code": i.code, "severity": severity_of(i.code), "message": i.message, "where": i.where} for i in issues],
        issues_frame,
    )
    meta: dict[str, Any] = {
        "path": doc.path,
        "title": d.title,
        "agency": d.agency,
        "year": d.year,
        "template": d.template,
        "source_format": doc.source_format,
        "template_evidence": d.evidence,
        "properties": d.properties,
        "section_headings": {n: s.heading for n, s in d.sections.items()},
        "alternatives": mapping.alternatives,
        "publisher_region": d.publisher_region,
        "publisher_places": d.publisher_places,
    }
    section_text = {n: s.text for n, s in d.sections.items()}
    return Report(cells=d.cells, checks=d.checks, issues=issue_frame, meta=meta, sections=section_text)


def cells_frame(mapping: Mapping, template: str) -> pd.DataFrame:
    """The mapped cells as the ``cells`` frame, in template order."""
    return frame_of_cells(cell_rows(mapping, template))


def cell_rows(mapping: Mapping, template: str) -> list[tuple]:
    """The mapped cells as plain rows (tuples in :data:`CELL_COLUMNS` order), in template order."""
    place = _template_order(template).get
    cells = mapping.cells
    keys = [place((c.table, c.row, c.column), 10_000 + n) for n, c in enumerate(cells)]
    # one comprehension, no call per cell; the last five columns are where the cell was read
    # (``MappedCell.source`` keys named as the columns)
    rows = [
        (
            c.table, c.row, c.column, c.value, c.raw, c.unit, c.confidence, c.row_label, c.column_label,
            s.get("table_index"), s.get("grid_row"), s.get("grid_col"), s.get("page"), s.get("line"),
        )
        for c in cells
        for s in (c.source,)
    ]
    # stable: cells of one place keep the mapper's order
    return [rows[i] for i in sorted(range(len(rows)), key=keys.__getitem__)]


@cache
def _template_order(template: str) -> dict[tuple[str, str, str], int]:
    return {(c.table, c.row, c.column): i for i, c in enumerate(template_schema(template).cells)}


# --------------------------------------------------------------------------------------------
# entry points


def report_from_document(doc: Document, template: str | None = None, *, options: ReadOptions | None = None) -> Report:
    """Run the format-independent steps (:data:`STEPS`) on a reader's :class:`Document`."""
    opts = make_options(options, template=template)
    props = {**doc.properties, **({"table_layout": doc.table_layout} if doc.table_layout else {})}
    draft = Draft(doc=doc, options=opts, properties=props)
    for step in STEPS:
        check_deadline()
        try:
            draft = step(draft)
        except ReportError:
            raise
        except Exception:  # a timeout caught inside a step and turned into another error is a timeout
            check_deadline()
            raise
    return to_report(draft)


def read_report(
    path_or_file: PathOrFile,
    format: str | None = None,
    *,
    template: str | None = None,
    options: ReadOptions | None = None,
    **overrides: Any,
) -> Report:
    """Read one annual report into a :class:`~report_extract.report.Report`.

    Parameters
    ----------
    path_or_file : path, bytes or binary file object
    format : ``"text"``, ``"html"``, ``"pdf"``, ``"docx"``, ``"doc"``, ``"xlsx"``, ``"xls"`` or None
        None sniffs the format from the content and the file extension.
    template : a template id of ``data/templates.csv`` (``"2021"``, ``"2019"``) to force it
        instead of detecting it from the labels.
    options : :class:`~report_extract.options.ReadOptions`, the settings of every step (defaults
        when None); ``format``, ``template`` and ``overrides`` (any ReadOptions field, e.g.
        ``max_bytes=``, ``timeout=``) take precedence over it. ``options.timeout`` (default 300 s,
        the same as a batch's; None for no limit) bounds the whole call: past it,
        :class:`~report_extract.errors.ReadTimeoutError` (code ``timeout``).

    Raises
    ------
    ReportError
        (or a subclass) naming the file and the reason when the input cannot be read or is not a
        national-template annual report.
    """
    if format is not None and format not in FORMATS:
        name = os.fspath(path_or_file) if isinstance(path_or_file, str | os.PathLike) else None
        raise UnsupportedFormatError(name, f"unknown format {format!r}; known formats: {', '.join(FORMATS)}")
    opts = make_options(options, format=format, template=template, **overrides)
    name = os.fspath(path_or_file) if isinstance(path_or_file, str | os.PathLike) else getattr(path_or_file, "name", None)
    with time_limit(opts.timeout, str(name) if name else None):
        data, path = load(path_or_file, opts.max_bytes)
        doc = read(data, path, opts)
        return report_from_document(doc, options=opts)


def read_one(path: str, options: ReadOptions = DEFAULT_OPTIONS) -> Result:
    """The per-file worker of a batch: ``(path, report, None)`` or ``(path, None, error row)``."""
    try:
        return path, read_report(path, options=options), None
    except ReportError as exc:
        return path, None, {"path": path, "error": exc.code, "reason": exc.reason}
    except Exception as exc:  # never lose the batch to one file
        return path, None, {"path": path, "error": "internal_error", "reason": f"{type(exc).__name__}: {exc}"}


__all__ = [
    "read_report", "report_from_document", "read_one", "make_options", "load", "read",
    "Draft", "STEPS", "to_report", "cells_frame", "cell_rows", "frame_of_cells", "Result",
]
