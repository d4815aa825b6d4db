"""The Starlette application: the page, the JSON API and the dataset downloads.

Routes (documented in docs/serve.md):

* ``GET /`` — the page (``static/index.html``; scripts and styles under ``/static``, nothing from
  the network);
* ``POST /api/read`` — multipart form, field ``files`` (one or more; ZIP archives unpacked): a
  JSON list, one entry per file in upload order (see :mod:`.records`); the batch id in the
  ``X-Batch-Id`` header; ``?batch=ID`` adds the files to that batch;
* ``GET /api/dictionary`` — the template layouts with Chinese labels (:mod:`.layout`), the checks, the issue and
  error codes with their plain-Chinese messages, and the data dictionary (Markdown);
* ``GET /api/batches/{id}/compare`` — the comparison page of a batch (rankings, time series, data
  quality; :mod:`report_extract.html_report`);
* ``GET /api/batches/{id}/download/{csv|xlsx|sqlite|datapackage}`` — the whole dataset.
"""

from __future__ import annotations

import csv
import tempfile
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import batch
from ..batch import Result
from ..checks import check_families
from ..dictionary import data_dictionary
from ..pipeline import read_one
from ..report import SEVERITY
from ..schema import TEMPLATES
from ..sections import sections_info
from .batches import DOWNLOADS, BatchStore, dataset_download
from .layout import layouts
from .limits import read_limited
from .records import error_entry, records, report_entry
from .settings import ServeSettings
from .uploads import Staged, Stager, UploadLimitError

STATIC = Path(__file__).resolve().parent / "static"


def _error(status: int, code: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "reason": reason}}, status_code=status)


@cache
def messages_zh() -> dict[str, dict[str, str]]:
    """kind (``issue``, ``error``, ``check``) -> code -> plain-Chinese message (data/messages_zh.csv)."""
    out: dict[str, dict[str, str]] = {}
    with resources.files("report_extract.data").joinpath("messages_zh.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["kind"], {})[r["code"]] = r["zh"]
    return out


@cache
def dictionary() -> dict[str, Any]:
    """The body of ``GET /api/dictionary``."""
    tables = [{"table": s.table, "number": s.number, "title": s.title} for s in sections_info() if s.table]
    checks = [{"family": f.family, "template": f.template, "table": f.table, "axis": f.axis, "lhs": list(f.lhs),
               "rhs": list(f.rhs), "rule": f.rule} for f in check_families()]
    return {"templates": list(TEMPLATES), "tables": tables, "layouts": layouts(), "checks": checks,
            "severity": dict(SEVERITY), "messages": messages_zh(), "markdown": data_dictionary()}


def _unique(names: list[str], taken: set[str]) -> list[str]:
    out = []
    for n in names:
        name, k = n, 1
        while name in taken:
            k += 1
            name = f"{n} ({k})"
        taken.add(name)
        out.append(name)
    return out


def read_staged(staged: list[Staged], settings: ServeSettings, taken: set[str] = frozenset()) -> list[Result]:
    """Read the staged files in worker processes (per-file time limit): ``(name, report, error)``
    in order, names made unique within the batch (``taken``: the names it holds already)."""
    opts = settings.read_options()
    names = _unique([s.name for s in staged], set(taken))
    files = [str(s.path) for s in staged if s.path is not None]
    worker = partial(read_limited, read_one=partial(read_one, options=opts), memory_bytes=settings.max_memory_bytes)
    results = iter(batch.run(files, worker, min(settings.jobs, len(files)) or 1, timeout=opts.timeout) if files else [])
    items: list[Result] = []
    for name, s in zip(names, staged):
        if s.path is None:
            items.append((name, None, {"path": name, **(s.error or {})}))
            continue
        _path, rep, err = next(results)
        if rep is not None:
            rep.meta["path"] = name
        if err is not None:
            err = {**err, "path": name}
        items.append((name, rep, err))
    return items


def entries(items: list[Result], reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JSON entries of ``items``, each report with its row of the batch's ``reports`` table."""
    rows = {r["report_id"]: r for r in reports}
    return [report_entry(n, rep, rows.get(n)) if rep is not None else error_entry(n, err) for n, rep, err in items]


def create_app(settings: ServeSettings | None = None) -> Starlette:
    """The web application with ``settings`` (defaults when None)."""
    settings = settings or ServeSettings()
    store = BatchStore(settings.keep_batches)

    async def index(_request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def api_dictionary(_request: Request) -> Response:
        return JSONResponse(dictionary())

    async def api_read(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_request_bytes:
            return _error(413, "request_too_large", f"the upload is larger than {settings.max_request_bytes} bytes")
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return _error(415, "not_multipart", "send the files as multipart/form-data in the field 'files'")
        bid = request.query_params.get("batch")
        current = store.get(bid) if bid else None
        if bid and current is None:
            return _error(404, "unknown_batch", "no such batch (batches are kept in memory; read the files again)")
        try:
            form = await request.form(max_files=settings.max_files, max_fields=50)
        except Exception as exc:  # the multipart parser's own limits and errors
            detail = getattr(exc, "detail", None) or str(exc)
            code = "too_many_files" if "files" in str(detail).lower() else "bad_upload"
            return _error(413 if code == "too_many_files" else 400, code, str(detail))
        try:
            uploads = [f for f in form.getlist("files") if hasattr(f, "read")]
            if not uploads:
                return _error(400, "no_files", "no files in the field 'files'")
            if sum(f.size or 0 for f in uploads) > settings.max_request_bytes:
                return _error(413, "request_too_large", f"the upload is larger than {settings.max_request_bytes} bytes")
            held = len(current.items) if current is not None else 0
            with tempfile.TemporaryDirectory(prefix="report-extract-serve-") as tmp:
                stager = Stager(Path(tmp), settings, already=held)
                try:
                    for f in uploads:
                        await run_in_threadpool(stager.add, f.filename, f.file)
                except UploadLimitError as exc:
                    return _error(exc.status, exc.code, exc.reason)
                taken = current.names() if current is not None else set()
                items = await run_in_threadpool(read_staged, stager.staged, settings, taken)
        finally:
            await form.close()
        if current is None:
            bid, current = store.new()
        current.add(items)
        rs = await run_in_threadpool(current.report_set)
        return JSONResponse(entries(items, records(rs.reports)), headers={"X-Batch-Id": bid})

    async def _batch(request: Request):
        found = store.get(request.path_params["bid"])
        return await run_in_threadpool(found.report_set) if found is not None else None

    async def api_compare(request: Request) -> Response:
        rs = await _batch(request)
        if rs is None:
            return _error(404, "unknown_batch", "no such batch (batches are kept in memory; read the files again)")
        if rs.reports.empty:
            return HTMLResponse("<!DOCTYPE html><html lang='zh-CN'><meta charset='utf-8'><body><p>没有可比较的报告。</p></body></html>")
        html = await run_in_threadpool(_comparison_html, rs)
        return HTMLResponse(html)

    async def api_download(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            return _error(404, "unknown_format", f"downloads: {', '.join(DOWNLOADS)}")
        rs = await _batch(request)
        if rs is None:
            return _error(404, "unknown_batch", "no such batch (batches are kept in memory; read the files again)")
        dl = await run_in_threadpool(dataset_download, rs, kind)
        return Response(dl.content, media_type=dl.media_type,
                        headers={"Content-Disposition": f'attachment; filename="{dl.filename}"'})

    routes = [
        Route("/", index),
        Route("/api/dictionary", api_dictionary),
        Route("/api/read", api_read, methods=["POST"]),
        Route("/api/batches/{bid}/compare", api_compare),
        Route("/api/batches/{bid}/download/{kind}", api_download),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.settings = settings
    app.state.batches = store
    return app


def _comparison_html(rs) -> str:
    from ..html_report import build_report, render_html

    try:
        cmp = build_report(rs)
    except Exception:  # charts need the 'report' extra: the tables still show
        cmp = build_report(rs, with_charts=False)
    return render_html(cmp)
