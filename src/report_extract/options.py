"""One validated settings object for reading reports: :class:`ReadOptions`.

In the style of pdfplumber's ``TableSettings``: every tuning knob of the pipeline lives here (no
module globals, no environment variables read deep inside a module), grouped by the part of the
pipeline that uses it. The object is frozen, validated on creation, travels unchanged through the
pipeline (reader → layout pass → mapper → solvers → checks) and is part of the batch cache key
(:meth:`ReadOptions.cache_key`), so a cached result is reused only under the same settings.

>>> opts = ReadOptions(format="html", pdf=PdfSettings(snap=2.0))
>>> opts.replace(template="2021").template
'2021'
>>> ReadOptions.from_flat({"pdf.snap": 2.5}).pdf.snap
2.5
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("text", "html", "pdf", "docx", "doc", "xlsx", "xls")


def _check(cond: bool, name: str, value: Any, want: str) -> None:
    if not cond:
        raise ValueError(f"{name} must be {want}, not {value!r}")


def _positive(obj: Any, *names: str) -> None:
    for n in names:
        v = getattr(obj, n)
        _check(isinstance(v, int | float) and not isinstance(v, bool) and v > 0, f"{type(obj).__name__}.{n}", v, "a positive number")


def _share(obj: Any, *names: str) -> None:
    for n in names:
        v = getattr(obj, n)
        _check(isinstance(v, int | float) and 0 < v <= 1, f"{type(obj).__name__}.{n}", v, "a number in (0, 1]")


@dataclass(frozen=True)
class TextSettings:
    """Decoding and plain-text layout."""

    max_bad_ratio: float = 0.02  # share of undecodable bytes tolerated before a text is refused
    max_header_lines: int = 30  # lines searched for a table header in text renderings
    max_bytes: int = 32 * 1024 * 1024  # size of a text document, checked before decoding
    max_bad_bytes: int = 64  # undecodable bytes replaced (with a warning issue) before a text is refused

    def __post_init__(self) -> None:
        _share(self, "max_bad_ratio")
        _positive(self, "max_header_lines", "max_bytes")
        _check(self.max_bad_bytes >= 0, "TextSettings.max_bad_bytes", self.max_bad_bytes, ">= 0")


@dataclass(frozen=True)
class HtmlSettings:
    """HTML tables and containers."""

    max_colspan: int = 1000
    max_rowspan: int = 65534
    max_grid_cells: int = 250_000
    max_container_growth: float = 1.5
    max_container_depth: int = 6
    min_data_cells: int = 8
    max_stray_bytes: int = 8
    max_bytes: int = 32 * 1024 * 1024  # size of an HTML page, checked before parsing
    max_cell_tags: int = 200_000  # count of <tr and <td/<th tags, checked before parsing

    def __post_init__(self) -> None:
        _positive(self, "max_bytes", "max_cell_tags")
        _positive(self, "max_colspan", "max_rowspan", "max_grid_cells", "max_container_growth", "max_container_depth", "min_data_cells")
        _check(self.max_stray_bytes >= 0, "HtmlSettings.max_stray_bytes", self.max_stray_bytes, ">= 0")


@dataclass(frozen=True)
class PdfSettings:
    """Born-digital PDF tables (ruling lines, fragments continued across pages)."""

    snap: float = 3.0  # pt: edges closer than this are one line
    column_tol: float = 5.0  # pt: column boundaries of two fragments closer than this are the same
    prose_chars: int = 24  # a full-width cell this long (or holding a sentence end) is framed prose
    bad_glyph_share: float = 0.1  # a page with more unmapped glyphs than this has an unusable text layer
    min_text_chars: int = 10  # fewer characters than this on a page with a large image: a scanned page
    margin_share: float = 0.1  # top/bottom share of the page where running headers and footers live
    max_pages: int = 200  # pages of one PDF (limit_exceeded beyond)

    def __post_init__(self) -> None:
        _positive(self, "max_pages")
        _positive(self, "snap", "column_tol", "prose_chars", "min_text_chars")
        _share(self, "bad_glyph_share", "margin_share")


@dataclass(frozen=True)
class OcrSettings:
    """Scanned pages (the ``ocr`` extra)."""

    enabled: bool = True  # False: a scanned PDF is refused instead of OCR'd
    resolution: int = 200  # dpi of the rendered page
    min_line_pt: float = 12.0  # ruling shorter than this (in points) is not a table line
    straddle_pt: float = 4.0  # a text box reaching this far past a cell's rule holds text of the next cell

    def __post_init__(self) -> None:
        _positive(self, "resolution", "min_line_pt", "straddle_pt")


@dataclass(frozen=True)
class DocxSettings:
    """DOCX/XLSX packages (zip containers)."""

    max_uncompressed: int = 256 * 1024 * 1024  # bytes unpacked, all members together, against zip bombs
    max_part_bytes: int = 8 * 1024 * 1024  # bytes unpacked of one XML part (document.xml, a sheet; not images)

    def __post_init__(self) -> None:
        _positive(self, "max_uncompressed", "max_part_bytes")


@dataclass(frozen=True)
class SheetSettings:
    """Spreadsheets."""

    prose_chars: int = 40
    # limits, checked before a sheet is expanded (a report's sheets hold a few thousand cells)
    max_sheets: int = 256  # sheets of one workbook
    max_rows: int = 50_000  # rows of one table (a run of rows holding content) of a sheet
    max_cols: int = 2_000  # columns of one table of a sheet
    max_cells: int = 250_000  # cells a sheet stores; positions its merged ranges cover; positions of one table (as html.max_grid_cells)
    max_merged: int = 50_000  # merged ranges of one sheet

    def __post_init__(self) -> None:
        _positive(self, "prose_chars", "max_sheets", "max_rows", "max_cols", "max_cells", "max_merged")


@dataclass(frozen=True)
class LegacySettings:
    """DOC/WPS/RTF converted by LibreOffice headless."""

    soffice: str | None = None  # path of soffice/libreoffice; None: looked up on PATH
    timeout: float = 120.0  # seconds allowed for one conversion

    def __post_init__(self) -> None:
        _positive(self, "timeout")


@dataclass(frozen=True)
class MatchSettings:
    """Label matching, header detection and section headings."""

    match_threshold: float = 0.75  # similarity a label needs to match a schema label
    header_threshold: float = 0.8
    max_heading_chars: int = 40

    def __post_init__(self) -> None:
        _share(self, "match_threshold", "header_threshold")
        _positive(self, "max_heading_chars")


@dataclass(frozen=True)
class FlatSettings:
    """The glued-text solver (table cells flattened into runs of digits)."""

    min_table_cells: int = 20  # the label mapper's result is kept when it found at least this many cells
    min_request_rows: int = 12  # rows of section 三 that must be found for the text to count as a report
    max_product: int = 20_000
    row_budget: int = 60_000  # search steps allowed to cut one row's run
    review_budget: int = 100_000
    max_keep: int = 60
    max_alternatives: int = 200  # readings of one run kept for other reports to settle
    max_gap: int = 1500  # label-form characters allowed between two consecutive rows
    fuzzy_ratio: float = 0.75
    max_combinations: int = 20_000  # cross-year: readings tried together for one identity
    review_window: int = 800  # characters searched for section 四's run after its header words

    def __post_init__(self) -> None:
        _positive(self, "min_table_cells", "min_request_rows", "max_product", "row_budget", "review_budget",
                  "max_keep", "max_alternatives", "max_gap", "max_combinations", "review_window")
        _share(self, "fuzzy_ratio")


@dataclass(frozen=True)
class PublisherSettings:
    """The publisher's division code (:func:`report_extract.publishers.publisher_info`)."""

    # names of the province/city/county the publishers sit in (the site crawled, e.g. "广东" or
    # "怀化市 芷江侗族自治县"): settles a name several divisions bear (太平镇) among those inside it
    region: str | None = None

    def __post_init__(self) -> None:
        _check(self.region is None or isinstance(self.region, str), "PublisherSettings.region", self.region, "a text or None")
        if self.region:
            from .publishers import region_codes  # loads the division table only when a region is given

            region_codes(self.region)  # ValueError naming a name that is no division


@dataclass(frozen=True)
class ReadOptions:
    """Everything that decides how one report is read.

    ``format``: one of :data:`FORMATS` or None (sniffed from the content and extension).
    ``template``: a template id of ``data/templates.csv`` (``"2021"``, ``"2019"``) or None (detected).
    ``max_bytes``: inputs larger than this are refused (``InputTooLargeError``).
    ``timeout``: seconds allowed for one file, or None for no limit: in a batch its worker
    process is killed; :func:`~report_extract.read_report` in the calling process stops with
    :class:`~report_extract.errors.ReadTimeoutError` (a timer signal in the main thread, and a
    deadline checked between pipeline steps and pages everywhere).
    The groups (``text``, ``html``, ``pdf`` …) hold each stage's tuning; defaults are the values
    the accuracy benchmark is measured with.
    """

    format: str | None = None
    template: str | None = None
    max_bytes: int = 512 * 1024 * 1024
    timeout: float | None = 300.0
    text: TextSettings = field(default_factory=TextSettings)
    html: HtmlSettings = field(default_factory=HtmlSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    docx: DocxSettings = field(default_factory=DocxSettings)
    sheet: SheetSettings = field(default_factory=SheetSettings)
    legacy: LegacySettings = field(default_factory=LegacySettings)
    match: MatchSettings = field(default_factory=MatchSettings)
    flat: FlatSettings = field(default_factory=FlatSettings)
    publisher: PublisherSettings = field(default_factory=PublisherSettings)

    def __post_init__(self) -> None:
        _check(self.format is None or self.format in FORMATS, "format", self.format, f"one of {FORMATS} or None")
        _check(self.template is None or isinstance(self.template, str), "template", self.template, "a template id or None")
        _positive(self, "max_bytes")
        _check(self.timeout is None or (isinstance(self.timeout, int | float) and self.timeout > 0),
               "timeout", self.timeout, "a positive number of seconds or None")

    def replace(self, **changes: Any) -> ReadOptions:
        """A copy with ``changes`` (top-level fields, or dotted ``group.field`` keys via :meth:`from_flat`)."""
        if all(name in _TOP_FIELDS for name in changes):  # whole fields only: the groups kept are valid as they are
            return dataclasses.replace(self, **changes)
        flat = self.to_flat()
        for group in changes:  # a whole group replaced: its old dotted keys go
            flat = {k: v for k, v in flat.items() if not k.startswith(group + ".")}
        return ReadOptions.from_flat({**flat, **changes})

    def to_flat(self) -> dict[str, Any]:
        """Every setting as ``{"format": …, "pdf.snap": …}`` (the CLI's ``--set KEY=VALUE`` keys)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if dataclasses.is_dataclass(v):
                for g in dataclasses.fields(v):
                    out[f"{f.name}.{g.name}"] = getattr(v, g.name)
            else:
                out[f.name] = v
        return out

    @classmethod
    def from_flat(cls, flat: dict[str, Any]) -> ReadOptions:
        """Build from ``{"format": …, "pdf.snap": …}``; unknown keys raise ``ValueError``."""
        top: dict[str, Any] = {}
        groups: dict[str, dict[str, Any]] = {}
        kinds = {f.name: f for f in dataclasses.fields(cls)}
        for key, value in flat.items():
            name, _, sub = key.partition(".")
            if name not in kinds:
                raise ValueError(f"unknown read option {key!r}")
            if sub:
                groups.setdefault(name, {})[sub] = value
            else:
                top[name] = value
        for name, subs in groups.items():
            base = top.get(name) or kinds[name].default_factory()  # type: ignore[misc]
            names = {g.name for g in dataclasses.fields(base)}
            bad = sorted(set(subs) - names)
            if bad:
                raise ValueError(f"unknown read option {name}.{bad[0]!r}")
            top[name] = dataclasses.replace(base, **subs)
        return cls(**top)

    def cache_key(self) -> str:
        """A short stable digest of every setting that can change a result (``timeout`` excluded)."""
        flat = {k: v for k, v in self.to_flat().items() if k != "timeout"}
        return hashlib.sha256(json.dumps(flat, sort_keys=True, default=str).encode()).hexdigest()[:16]


DEFAULT_OPTIONS = ReadOptions()
_TOP_FIELDS = frozenset(f.name for f in dataclasses.fields(ReadOptions))  # see ReadOptions.replace
DEFAULT_JOBS = 0  # worker processes of a batch (API and CLI): 0 (or None) is one per CPU


def batch_options(options: ReadOptions, timeout: float | None) -> ReadOptions:
    """``options`` with a batch's ``timeout`` argument applied (None: keep; 0: no limit)."""
    return options if timeout is None else options.replace(timeout=timeout or None)

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def parse_setting(key: str, text: str) -> Any:
    """The value of the setting ``key`` (a :meth:`ReadOptions.to_flat` key) written as ``text``,
    converted to the type of its default (``none`` or an empty text: None where a setting may be
    None). Raises ``ValueError`` for an unknown key or a value of the wrong type."""
    defaults = DEFAULT_OPTIONS.to_flat()
    if key not in defaults:
        raise ValueError(f"unknown read option {key!r}; known: {', '.join(defaults)}")
    default = defaults[key]
    t = text.strip()
    if t.lower() in ("none", "") and (default is None or key in _OPTIONAL):
        return None
    try:
        if isinstance(default, bool):
            if t.lower() not in _TRUE + _FALSE:
                raise ValueError
            return t.lower() in _TRUE
        if isinstance(default, int):
            return int(t)
        if isinstance(default, float):
            return float(t)
    except ValueError:
        raise ValueError(f"read option {key} needs a {type(default).__name__}, not {text!r}") from None
    return t


# settings whose default is a value but that may also be None
_OPTIONAL = ("timeout",)

__all__ = [
    "ReadOptions", "TextSettings", "HtmlSettings", "PdfSettings", "OcrSettings", "DocxSettings",
    "SheetSettings", "LegacySettings", "MatchSettings", "FlatSettings", "PublisherSettings", "DEFAULT_OPTIONS", "DEFAULT_JOBS",
    "FORMATS", "batch_options", "parse_setting",
]
