"""DOCX: Word 2007+ documents (also what LibreOffice makes of .doc and .wps files).

A regular package is opened with ``zipfile`` and plain lxml: the package relationships name the
main part and the core properties, and only those are read (python-docx builds just the core
properties); an unusual one (no core properties, a ``w:altChunk`` import, a damaged main part ...)
is opened by python-docx itself, whose object layer costs as much again. The body is then walked at
the XML level so that

* paragraphs and tables come out in BODY ORDER (the section splitter sees the document as it reads);
* content controls (``w:sdt``), ``w:customXml`` wrappers and text boxes (``w:txbxContent``, the
  ``mc:Choice`` branch only, never its duplicate ``mc:Fallback``) are read where they stand;
* tables become grids with horizontal (``w:gridSpan``, legacy ``w:hMerge``) and vertical
  (``w:vMerge`` restart/continue) merges resolved, ``w:gridBefore``/``w:gridAfter`` leaving padding
  positions; a single-column table (a frame) and a table whose cells hold tables (a layout table)
  are read as their content, cell by cell, so nested tables stand in reading order;
* cell text is its paragraphs joined by newlines, with space and U+3000 padding stripped;
* ``w:altChunk`` imports (HTML, DOCX or text parts, as CMS exports write them) are read in place.

Title candidates are the lead paragraphs (the core properties' title as the fallback); core
properties (title, author, created, modified ...) go into ``Document.properties``.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..errors import (
    CorruptInputError,
    EncryptedInputError,
    InputTooLargeError,
    ReportError,
    UnsupportedFormatError,
)
from ..grid import Block, Document, GridCell, Paragraph, Table, TitleCandidate
from ..options import DEFAULT_OPTIONS, ReadOptions
from ..textnorm import clean_cell
from .sniff import ENCRYPTED_PACKAGE, OLE_MAGIC

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml"))
T, TAB, BR, CR, TXBX = (_W + t for t in ("t", "tab", "br", "cr", "txbxContent"))
PPR, RPR, TCPR, TRPR, DEL, MOVE_FROM = (_W + t for t in ("pPr", "rPr", "tcPr", "trPr", "del", "moveFrom"))
NO_BREAK_HYPHEN, SOFT_HYPHEN = _W + "noBreakHyphen", _W + "softHyphen"
ALTERNATE, CHOICE, FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"
VAL = _W + "val"
ALT_CHUNK = _W + "altChunk"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
GRID_SPAN, V_MERGE, H_MERGE = _W + "gridSpan", _W + "vMerge", _W + "hMerge"
_SKIP = frozenset({PPR, RPR, DEL, MOVE_FROM, FALLBACK, _W + "instrText", _W + "delText", _W + "sectPr"})
_WRAPPERS = frozenset({SDT_CONTENT, CUSTOM_XML, _W + "ins", _W + "moveTo", _W + "smartTag"})

MAX_TITLE_LEAD = 12


def read_docx(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read a DOCX file's bytes into a :class:`Document` (paragraphs and tables in body order)."""
    if data[:8] == OLE_MAGIC and ENCRYPTED_PACKAGE not in data:  # a .doc handed over as DOCX
        raise UnsupportedFormatError(path, "a Word 97-2003 document, not a DOCX package; read it as format 'doc'")
    body, core, part = _open(data, path, options.docx.max_uncompressed)
    walker = _Walker(chunks=_ChunkReader(part, path, options))
    walker.container(body)
    blocks = walker.blocks
    for i, table in enumerate(b for b in blocks if isinstance(b, Table)):
        table.index = i
    props = _properties(core)
    props["paragraphs"] = sum(isinstance(b, Paragraph) for b in blocks)
    props["tables"] = sum(isinstance(b, Table) for b in blocks)
    candidates = lead_candidates(blocks)
    if props.get("title"):
        candidates.append(TitleCandidate(props["title"], "fallback"))
    return Document(blocks=blocks, source_format="docx", path=path, properties=props, title_candidates=candidates)


# -- opening ------------------------------------------------------------------------------------


def _open(data: bytes, path: str | None, max_uncompressed: int):
    """The body element, the core properties (or None) and the main part (None when read
    without python-docx's object layer) of a DOCX package."""
    if data[:8] == OLE_MAGIC:
        raise EncryptedInputError(path, "the document is password-protected (encrypted); save an unprotected copy")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
            strict = "_rels/.rels" in names and b"purl.oclc.org/ooxml" in zf.read("_rels/.rels")
            if total <= max_uncompressed and "[Content_Types].xml" in names and not strict:
                fast = _open_plain(zf)
                if fast is not None:
                    return fast
    except zipfile.BadZipFile:
        raise CorruptInputError(path, "not a valid DOCX file: the ZIP container is damaged or truncated") from None
    if total > max_uncompressed:
        raise InputTooLargeError(path, f"the DOCX unpacks to {total / 1e6:.0f} MB; refusing to read it")
    if "[Content_Types].xml" not in names:
        raise CorruptInputError(path, "not a valid DOCX file: [Content_Types].xml is missing")
    if strict:
        raise UnsupportedFormatError(path, "a Strict Open XML document; save it as a standard Word document (.docx)")
    try:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.package import OpcPackage
        from docx.oxml import parse_xml

        package = OpcPackage.open(io.BytesIO(data))
        part = package.part_related_by(RT.OFFICE_DOCUMENT)
        element = getattr(part, "element", None)
        if element is None:  # a content type python-docx does not map (.docm, .dotx ...)
            element = parse_xml(part.blob)
        core = None
        try:
            core = package.core_properties
        except Exception:  # noqa: BLE001 - damaged docProps must not lose the document
            core = None
    except KeyError as exc:
        raise CorruptInputError(path, f"not a valid DOCX file: a part is missing ({exc})") from None
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise CorruptInputError(path, f"the DOCX file is damaged or truncated ({exc})") from None
    except Exception as exc:  # lxml syntax errors, zlib errors, python-docx errors on damaged parts
        raise CorruptInputError(path, f"cannot parse the DOCX file: {type(exc).__name__}: {exc}") from None
    body = element.find(_W + "body")
    if body is None:
        raise CorruptInputError(path, "not a Word document: word/document.xml has no body")
    return body, core, part


_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_RT = "http://schemas.openxmlformats.org/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument/2006/relationships/officeDocument"
RT_CORE_PROPERTIES = _RT + "package/2006/relationships/metadata/core-properties"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _open_plain(zf: zipfile.ZipFile):
    """The body, core properties and (no) main part of a regular package, read with ``zipfile``
    and plain lxml: the package's relationships name the main part and the core properties, and
    only those two parts are read (the main part parsed with python-docx's parser options, without
    its element classes; the core properties built by python-docx). Parts the reader does not use
    (styles, numbering, images ...) are not read, so damage there does not lose the document. None
    when anything is unusual (no core properties, an external or repeated relationship id, an
    ``altChunk``, a main part that fails to parse ...): the caller then opens the package with
    python-docx itself, which gives the same result or the error to report."""
    try:
        from docx.opc.coreprops import CoreProperties
        from docx.oxml import parse_xml
        from lxml import etree

        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
        targets: dict[str, list[str]] = {RT_OFFICE_DOCUMENT: [], RT_CORE_PROPERTIES: []}
        ids: set[str | None] = set()
        for el in etree.fromstring(zf.read("_rels/.rels"), parser).iterchildren(_REL_NS + "Relationship"):
            rid = el.get("Id")
            if rid in ids or el.get("TargetMode", "Internal") == "External":
                return None
            ids.add(rid)
            if el.get("Type") in targets:  # targets resolved as python-docx resolves them
                targets[el.get("Type")].append(posixpath.abspath(posixpath.join("/", el.get("Target"))))
        if len(targets[RT_OFFICE_DOCUMENT]) != 1 or len(targets[RT_CORE_PROPERTIES]) != 1:
            return None
        main_name, core_name = targets[RT_OFFICE_DOCUMENT][0], targets[RT_CORE_PROPERTIES][0]
        if main_name == core_name or _content_type(zf, core_name, parser) != _CORE_TYPE:
            return None
        blob = zf.read(main_name[1:])
        if b"altChunk" in blob:
            return None
        body = _child(etree.fromstring(blob, parser), _W + "body")
        if body is None:
            return None
        return body, CoreProperties(parse_xml(zf.read(core_name[1:]))), None
    except Exception:  # noqa: BLE001 - python-docx's own reading gives the error
        return None


def _content_type(zf: zipfile.ZipFile, partname: str, parser) -> str | None:
    """A part's content type in ``[Content_Types].xml``, looked up as python-docx looks it up (an
    override of the part's name, else the default of its extension, both without regard to case)."""
    from lxml import etree

    types = etree.fromstring(zf.read("[Content_Types].xml"), parser)
    overrides = {el.get("PartName").lower(): el.get("ContentType") for el in types.iterchildren(_CT_NS + "Override")}
    if partname.lower() in overrides:
        return overrides[partname.lower()]
    defaults = {el.get("Extension").lower(): el.get("ContentType") for el in types.iterchildren(_CT_NS + "Default")}
    return defaults.get(posixpath.splitext(partname)[1][1:].lower())


def _properties(core) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if core is None:
        return props
    for key, attr in (
        ("title", "title"), ("author", "author"), ("created", "created"), ("modified", "modified"),
        ("last_modified_by", "last_modified_by"), ("subject", "subject"), ("keywords", "keywords"),
    ):
        try:
            value = getattr(core, attr)
        except Exception:  # noqa: BLE001 - a malformed date in docProps
            continue
        if value in (None, ""):
            continue
        props[key] = value.isoformat() if hasattr(value, "isoformat") else clean_cell(str(value))
    return props


# -- walking the body ---------------------------------------------------------------------------


@dataclass
class _Spec:
    text: str
    rowspan: int
    colspan: int
    source: dict[str, Any] = field(default_factory=dict)


class _ChunkReader:
    """Blocks of ``w:altChunk`` parts (HTML, a whole DOCX or plain text imported into the body)."""

    def __init__(self, part, path: str | None, options: ReadOptions = DEFAULT_OPTIONS):
        self.part = part
        self.path = path
        self.options = options
        self.depth = 0

    def blocks(self, rid: str | None) -> list[Block]:
        try:
            chunk = self.part.related_parts[rid]
        except (KeyError, AttributeError):
            return []
        ctype = (getattr(chunk, "content_type", "") or "").lower()
        blob = chunk.blob
        if self.depth > 3:
            return []
        self.depth += 1
        try:
            if "html" in ctype:
                from .html import read_html

                return read_html(blob, self.path, self.options).blocks
            if "wordprocessingml" in ctype or blob[:4] == b"PK\x03\x04":
                return read_docx(blob, self.path, self.options).blocks
            if ctype.startswith("text/plain"):
                from .text import read_text

                return read_text(blob, self.path, self.options).blocks
        except ReportError:
            return []
        finally:
            self.depth -= 1
        return []


class _Walker:
    """Collects blocks from block-level containers (body, cell, content control, text box)."""

    def __init__(self, depth: int = 0, chunks: _ChunkReader | None = None):
        self.blocks: list[Block] = []
        self.depth = depth
        self.n_paragraphs = 0
        self.chunks = chunks

    def container(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag == TBL:
                self.table(child)
            elif tag == SDT:
                content = _child(child, SDT_CONTENT)
                if content is not None:
                    self.container(content)
            elif tag in _WRAPPERS:
                self.container(child)
            elif tag == ALTERNATE:
                choice = _child(child, CHOICE)
                if choice is None:
                    choice = _child(child, FALLBACK)
                if choice is not None:
                    self.container(choice)
            elif tag == ALT_CHUNK and self.chunks is not None:
                self.blocks.extend(self.chunks.blocks(child.get(_R_ID)))

    def paragraph(self, p) -> None:
        out: list[str] = []
        boxes: list = []
        _collect(p, out, boxes)
        self.n_paragraphs += 1
        for line in "".join(out).split("\n"):
            text = line.strip()
            if text:
                self.blocks.append(Paragraph(text, source={"paragraph": self.n_paragraphs, "style": _style(p)}))
        for box in boxes:
            self.container(box)

    def table(self, tbl) -> None:
        rows = [tr for tr in _children(tbl, TR) if not _deleted(tr)]
        cells = [(tr, list(_children(tr, TC))) for tr in rows]
        frame = all(len(tcs) <= 1 and not any(_grid_skip(tr)) for tr, tcs in cells)
        layout = next(tbl.iterdescendants(TBL), None) is not None and any(  # a table anywhere below first
            next(_children(tc, TBL), None) is not None for _tr, tcs in cells for tc in tcs
        )
        if frame or layout:
            for _tr, tcs in cells:  # a frame or a layout table: read it as its content, cell by cell
                for tc in tcs:
                    self.container(tc)
            return
        specs: dict[tuple[int, int], _Spec] = {}
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        nested: list[Block] = []
        width = 0
        for r, (tr, tcs) in enumerate(cells):
            before, after = _grid_skip(tr)
            c = before
            for k, tc in enumerate(tcs):
                span, vmerge, hmerge, text = _cell(tc)
                if text is None:  # the cell holds more than paragraphs: walk it as a container
                    sub = _Walker(self.depth + 1, self.chunks)
                    sub.container(tc)
                    text = "\n".join(b.text for b in sub.blocks if isinstance(b, Paragraph))
                    nested.extend(b for b in sub.blocks if isinstance(b, Table))
                above = owner.get((r - 1, c)) if vmerge == "continue" else None
                left = owner.get((r, c - 1)) if hmerge == "continue" else None
                if above is not None:
                    o = above
                    specs[o].rowspan = max(specs[o].rowspan, r - o[0] + 1)
                elif left is not None and left[0] == r:
                    o = left
                    specs[o].colspan = max(specs[o].colspan, c + span - o[1])
                else:
                    o = (r, c)
                    specs[o] = _Spec(text.strip(), 1, span, {"docx_row": r + 1, "docx_cell": k + 1})
                for dc in range(span):
                    owner.setdefault((r, c + dc), o)
                c += span
            width = max(width, c + after)
        grid: list[list[GridCell]] = []
        for r in range(len(cells)):
            row = []
            for c in range(width):
                o = owner.get((r, c))
                if o is None:
                    row.append(GridCell("", r, c, (r, c), padding=True))
                    continue
                s = specs[o]
                row.append(GridCell(s.text, r, c, o, s.rowspan, s.colspan, s.source))
            grid.append(row)
        if grid and width:
            self.blocks.append(Table(rows=grid, source={"docx_depth": self.depth} if self.depth else {}))
        self.blocks.extend(nested)


def _cell(tc) -> tuple[int, str | None, str | None, str | None]:
    """(gridSpan, vMerge, hMerge, text) of a cell in one pass over its children: the merge
    properties of its (first) ``w:tcPr``, the text of a cell holding only paragraphs (lines joined
    by newlines) or None when it holds more."""
    span, vmerge, hmerge = 1, None, None
    lines: list[str] | None = []
    seen_props = False
    for child in tc:
        tag = child.tag
        if tag == P:
            if lines is None:
                continue
            out: list[str] = []
            boxes: list = []
            _collect(child, out, boxes)
            if boxes:
                lines = None
                continue
            text = "".join(out)
            if "\n" in text:
                lines.extend(x.strip() for x in text.split("\n"))
            else:
                lines.append(text.strip())
        elif tag == TCPR:
            if not seen_props:  # the first one counts, as find() finds it
                seen_props = True
                span, vmerge, hmerge = _merge_props_of(child)
        else:
            lines = None
    return span, vmerge, hmerge, None if lines is None else "\n".join(x for x in lines if x)


def _child(el, tag: str):
    """The first direct child with ``tag`` (``el.find(tag)`` without ElementPath's cost), or None."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _children(el, tag: str):
    """Direct children with ``tag``, looking through content controls and customXml wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = _child(child, SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _collect(el, out: list[str], boxes: list) -> None:
    """Text of a paragraph's runs (text boxes collected aside, deleted text and field codes skipped)."""
    for child in el:
        tag = child.tag
        if tag == T:
            out.append(child.text or "")
        elif tag in _SKIP:
            continue
        elif tag == TAB:
            out.append(" ")
        elif tag == BR or tag == CR:
            out.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            out.append("-")
        elif tag == TXBX:
            boxes.append(child)
        elif len(child):
            _collect(child, out, boxes)


def _style(p) -> str | None:
    ppr = _child(p, PPR)
    if ppr is None:
        return None
    st = _child(ppr, _W + "pStyle")
    return st.get(VAL) if st is not None else None


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(VAL, default)))
    except (TypeError, ValueError):
        return default


def _deleted(tr) -> bool:
    """True for a table row deleted with tracked changes on."""
    trpr = _child(tr, TRPR)
    return trpr is not None and _child(trpr, DEL) is not None


def _grid_skip(tr) -> tuple[int, int]:
    """(gridBefore, gridAfter) of a row: grid columns the row leaves out at its start and end."""
    trpr = _child(tr, TRPR)
    if trpr is None:
        return 0, 0
    return _int_val(_child(trpr, _W + "gridBefore"), 0), _int_val(_child(trpr, _W + "gridAfter"), 0)


def _merge_props_of(pr) -> tuple[int, str | None, str | None]:
    """(gridSpan, vMerge, hMerge) of a cell's ``w:tcPr``; a merge element without ``w:val`` means
    continue."""
    span, vmerge, hmerge = 1, None, None
    for el in pr:
        tag = el.tag
        if tag == GRID_SPAN:
            span = max(1, _int_val(el, 1))
        elif tag == V_MERGE:
            vmerge = el.get(VAL) or "continue"
        elif tag == H_MERGE:
            hmerge = el.get(VAL) or "continue"
    return span, vmerge, hmerge


# -- title candidates ---------------------------------------------------------------------------


def lead_candidates(blocks: list[Block]) -> list[TitleCandidate]:
    """The lead paragraphs (tables before them skipped, a table after them ends the lead) as title
    candidates of kind ``"line"``."""
    lead: list[TitleCandidate] = []
    for b in blocks:
        if isinstance(b, Table):
            if lead:
                break
            continue
        lead.append(TitleCandidate(clean_cell(b.text)))
        if len(lead) >= MAX_TITLE_LEAD:
            break
    return lead
