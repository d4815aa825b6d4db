"""The reader seam: readers stop at layout (no imports of the domain modules), and a new format is
one reader class handed to the public read path, with no other change to the package."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from conftest import cell_mismatches
from report_extract.api import report_from_document
from report_extract.grid import CellSpec, Document, Paragraph, TitleCandidate, build_table
from report_extract.layout import layout_pass
from report_extract.options import ReadOptions
from report_extract.readers import READERS, Reader, read_document
from report_synth import SECTION_HEADINGS, make_report, prose, standard_layout

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "report_extract"
DOMAIN = ("sections", "meta", "values", "schema", "mapper", "checks", "flat", "api", "layout")


def _resolve(src: str, package: list[str]) -> set[str]:
    """Absolute names of every module ``src`` (a module of ``package``) imports, at module level
    or inside functions; ``from .. import meta`` counts as importing ``report_extract.meta``."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join([*base, *([node.module] if node.module else [])])
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
    return out


def _imports(path: Path) -> set[str]:
    return _resolve(path.read_text(encoding="utf-8"), ["report_extract", *path.relative_to(PACKAGE).parent.parts])


def _domain(name: str) -> bool:
    return any(name == f"report_extract.{d}" or name.startswith(f"report_extract.{d}.") for d in DOMAIN)


def test_readers_import_no_domain_module():
    files = sorted((PACKAGE / "readers").rglob("*.py"))
    assert len(files) >= 10
    bad = {f"{f.name} imports {name}" for f in files for name in _imports(f) if _domain(name)}
    assert bad == set()


def test_the_import_check_sees_imports_inside_functions():
    src = "import os\n\ndef f():\n    from ..meta import find_title\n    from .. import values\n    from .html import read_html\n"
    names = _resolve(src, ["report_extract", "readers"])
    assert {n for n in names if _domain(n)} == {"report_extract.meta", "report_extract.meta.find_title", "report_extract.values"}
    assert "report_extract.readers.html" in names and "os" in names


def test_reader_modules_import_each_other_without_cycles():
    mods = {f"report_extract.readers.{f.stem}": f for f in (PACKAGE / "readers").glob("*.py") if f.stem != "__init__"}
    graph = {m: {n for n in _imports(f) if n in mods and n != m} for m, f in mods.items()}
    done: set[str] = set()

    def visit(m: str, path: tuple[str, ...]) -> None:
        assert m not in path, " -> ".join((*path, m))
        if m in done:
            return
        for n in graph[m]:
            visit(n, (*path, m))
        done.add(m)

    for m in graph:
        visit(m, ())


def test_registry_is_an_immutable_tuple_of_reader_classes():
    assert isinstance(READERS, tuple)
    assert all(isinstance(r, type) and issubclass(r, Reader) for r in READERS)
    assert {r.format for r in READERS} == {"text", "html", "pdf", "docx", "doc", "xlsx", "xls"}
    by_format = {r.format: r for r in READERS}
    assert by_format["pdf"].sniff(b"%PDF-1.7\n", "") and not by_format["pdf"].sniff(b"<html>", ".html")
    assert by_format["html"].sniff(b"<!DOCTYPE html><html>", "") and by_format["xls"].sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls")
    assert ".wps" in by_format["doc"].extensions and ".pdf" not in by_format["doc"].extensions


# -- a new format: a JSON grid ------------------------------------------------------------------


class JsonGridReader(Reader):
    """``{"blocks": [{"p": "text"} | {"table": [[{"text": …, "rowspan": 1, "colspan": 1}, …], …]}]}``."""

    format = "jsongrid"
    extensions = (".json",)

    @classmethod
    def sniff(cls, head: bytes, ext: str) -> bool:
        return head.lstrip().startswith(b"{") and b'"blocks"' in head[:200]

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        blocks = []
        for b in json.loads(data)["blocks"]:
            if "p" in b:
                blocks.append(Paragraph(b["p"]))
            else:
                rows = [[CellSpec(c["text"], c.get("rowspan", 1), c.get("colspan", 1)) for c in row] for row in b["table"]]
                blocks.append(build_table(rows))
        lead = [TitleCandidate(b.text) for b in blocks[:3] if isinstance(b, Paragraph)]
        return Document(blocks=blocks, source_format=self.format, path=path, title_candidates=lead)


def _render_json(rep) -> bytes:
    tables = standard_layout(rep)
    blocks: list[dict] = [{"p": rep.title}]
    for n in range(1, 7):
        blocks.append({"p": SECTION_HEADINGS[n]})
        blocks += [{"p": t} for t in prose(rep, n)]
        if n in tables:
            rows = [[{"text": s.text, "rowspan": s.rowspan, "colspan": s.colspan} for s in row] for row in tables[n]]
            blocks.append({"table": rows})
    return json.dumps({"blocks": blocks}, ensure_ascii=False).encode("utf-8")


def test_a_reader_passed_in_reads_a_generated_report_end_to_end():
    for seed, template in ((0, "2021"), (2, "2019")):
        rep = make_report(seed, template)
        data = _render_json(rep)
        doc = read_document(data, "report.json", readers=(JsonGridReader, *READERS))
        assert doc.source_format == "jsongrid"
        r = report_from_document(layout_pass(doc))
        assert cell_mismatches(r, rep.truth()) == []
        assert r.meta["template"] == template
        assert (r.meta["title"], r.meta["agency"], r.meta["year"]) == (rep.title, rep.agency, rep.year)
        assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]


def test_without_the_reader_the_same_bytes_are_not_read_as_a_json_grid():
    data = _render_json(make_report(0, "2021"))
    # the registry was not changed: the built-in sniffing decides (no markup in the bytes: text)
    assert read_document(data, "report.json").source_format == "text"
    assert JsonGridReader.format not in {r.format for r in READERS}
