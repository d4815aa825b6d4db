"""The web app's JSON API (``report_extract.serve``) with Starlette's test client: the entries
are ``read_report``'s frames field for field, the limits are answered with 4xx JSON errors, ZIP
archives are unpacked safely and the private temporary folder is removed."""

from __future__ import annotations

import io
import json
import tempfile
import threading
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("starlette", reason="the web app needs the 'serve' extra: pip install 'report_extract[serve]'")
pytest.importorskip("httpx", reason="the test client needs httpx")

with warnings.catch_warnings():  # Starlette suggests httpx2 over httpx for its test client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

import report_extract as rx  # noqa: E402
from report_extract.report import SEVERITY  # noqa: E402
from report_extract.schema import template_schema  # noqa: E402
from report_extract.serve import ServeSettings, create_app  # noqa: E402
from report_extract.serve.uploads import display_name, extension  # noqa: E402
from report_synth import make_report  # noqa: E402
from report_synth.pdf import render_pdf  # noqa: E402
from report_synth.text import render_text  # noqa: E402


def _text(seed: int, **kw) -> bytes:
    return render_text(make_report(seed, **kw)).encode("utf-8")


def _client(**settings) -> TestClient:
    return TestClient(create_app(ServeSettings(jobs=1, **settings)))


def _as_json(frame: pd.DataFrame) -> list[dict]:
    """The frame as JSON records by pandas' own writer (NaN/NA -> null), independent of the app's."""
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def _post(client: TestClient, files: list[tuple[str, bytes]]):
    return client.post("/api/read", files=[("files", (name, data, "application/octet-stream")) for name, data in files])


def test_entries_are_read_report_frames(tmp_path):
    files = [("a.txt", _text(3)), ("b.pdf", render_pdf(make_report(5, publisher_error=True))), ("c.txt", _text(8, busy=0.6))]
    r = _post(_client(), files)
    assert r.status_code == 200
    assert r.headers["x-batch-id"]
    body = r.json()
    assert [e["name"] for e in body] == ["a.txt", "b.pdf", "c.txt"]
    for (name, data), entry in zip(files, body):
        p = tmp_path / name
        p.write_bytes(data)
        rep = rx.read_report(p)
        for key in ("cells", "checks", "issues"):
            frame = getattr(rep, key)
            assert list(entry[key][0]) == list(frame.columns) if entry[key] else frame.empty
            assert entry[key] == _as_json(frame), (name, key)
        meta = json.loads(json.dumps({k: v for k, v in rep.meta.items() if k != "path"}, ensure_ascii=False))
        assert {k: v for k, v in entry["meta"].items() if k != "path"} == meta
        assert entry["meta"]["path"] == name
        assert entry["report"]["agency"] == rep.meta["agency"]
        assert entry["report"]["n_failed_checks"] == len(rep.failed_checks)
    failed = [c["check"] for c in body[1]["checks"] if not c["passed"]]
    assert failed, "the publisher error shows as a failed check"


def test_unreadable_file_is_an_error_entry_and_the_others_still_show():
    r = _post(_client(), [("good.txt", _text(1)), ("broken.pdf", b"%PDF-1.7\nnot really"), ("empty.docx", b""),
                          ("other.txt", _text(2))])
    assert r.status_code == 200
    body = r.json()
    assert [e["name"] for e in body] == ["good.txt", "broken.pdf", "empty.docx", "other.txt"]
    assert "error" not in body[0] and "error" not in body[3]
    for e in body[1:3]:
        assert set(e) == {"name", "error"}
        assert e["error"]["code"] == "corrupt_input"
        assert e["error"]["reason"]


def test_limits_are_4xx_json_errors():
    client = _client(max_files=2, max_request_bytes=200_000, max_file_bytes=50_000)
    r = _post(client, [(f"{i}.txt", _text(i)) for i in range(3)])
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_many_files"
    r = _post(client, [("big.txt", b"x" * 250_000)])
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"
    r = _post(client, [("big.txt", b"x" * 60_000), ("ok.txt", _text(4))])
    assert r.status_code == 200
    big, ok = r.json()
    assert big["error"]["code"] == "input_too_large" and "meta" in ok
    r = client.post("/api/read", data={"other": "x"}, files=[("not_files", ("a.txt", b"a", "text/plain"))])
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_files"
    r = client.post("/api/read", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415 and r.json()["error"]["code"] == "not_multipart"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_is_unpacked_safely(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    archive = _zip({"../../escape.txt": _text(11), "/abs/root.txt": _text(12), "dir/ok.txt": _text(13),
                    "notes.bin": b"ignored", "__MACOSX/._ok.txt": b"junk"})
    r = _post(_client(), [("first.txt", _text(10)), ("bundle.zip", archive)])
    assert r.status_code == 200
    names = [e["name"] for e in r.json()]
    assert names == ["first.txt", "bundle.zip/escape.txt", "bundle.zip/abs/root.txt", "bundle.zip/dir/ok.txt"]
    assert all("meta" in e for e in r.json())
    assert not (tmp_path.parent / "escape.txt").exists() and not Path("/abs/root.txt").exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith("report-extract-serve-")] == []  # removed afterwards


def test_zip_limits_and_bad_archives():
    client = _client(max_files=3)
    r = _post(client, [("many.zip", _zip({f"{i}.txt": _text(i) for i in range(4)}))])
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_many_files"
    r = _post(client, [("none.zip", _zip({"a.bin": b"1"})), ("bad.zip", b"PK\x03\x04garbage")])
    assert [e["error"]["code"] for e in r.json()] == ["empty_archive", "bad_archive"]
    r = _post(_client(max_zip_bytes=30_000, max_file_bytes=20_000),
              [("big.zip", _zip({"a.txt": _text(1), "b.txt": b"9" * 25_000}))])
    assert [e.get("error", {}).get("code") for e in r.json()] == [None, "input_too_large"]


def test_uploaded_names_never_reach_the_file_system():
    assert display_name("../../etc/passwd", "x") == "etc/passwd"
    assert display_name("C:\\dir\\报告.pdf", "x") == "C:/dir/报告.pdf"
    assert display_name("a\x00b\n.pdf", "x") == "ab.pdf"
    assert display_name("..", "fallback") == "fallback"
    assert extension("../x.PDF") == ".pdf"
    assert extension("x.pdf/../../y") == ""
    assert extension("evil.sh") == ""


def _slow_read_one(path, options=None):
    import time

    time.sleep(60)


def test_per_file_time_limit(monkeypatch):
    import report_extract.serve.app as app_module

    monkeypatch.setattr(app_module, "read_one", _slow_read_one)  # the forked workers inherit it
    r = _post(_client(timeout=1), [("slow.txt", _text(1))])
    assert r.status_code == 200
    assert r.json()[0]["error"]["code"] == "timeout"


def _greedy_read_one(path, options=None):
    return path, bytearray(1 << 30), None  # 1 GB: over the cap below


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the memory cap needs Linux /proc")
def test_per_file_memory_limit(monkeypatch):
    import report_extract.serve.app as app_module

    monkeypatch.setattr(app_module, "read_one", _greedy_read_one)  # the forked workers inherit it
    r = _post(_client(max_memory_bytes=200 * 1024 * 1024), [("greedy.txt", _text(1))])
    assert r.status_code == 200
    assert r.json()[0]["error"]["code"] == "memory_limit"


def test_cli_serve_help():
    from click.testing import CliRunner

    from report_extract.cli import main

    out = CliRunner().invoke(main, ["serve", "--help"])
    assert out.exit_code == 0
    assert "--port" in out.output and "127.0.0.1" in out.output


def test_concurrent_uploads():
    client = _client()
    out: dict[int, list] = {}

    def post(i: int) -> None:
        out[i] = _post(client, [(f"r{i}.txt", _text(30 + i))]).json()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(3):
        assert [e["name"] for e in out[i]] == [f"r{i}.txt"]
        assert out[i][0]["meta"]["agency"] == make_report(30 + i).agency


def test_files_added_to_a_batch_one_request_each():
    openpyxl = pytest.importorskip("openpyxl")
    client = _client(max_files=3)
    first = _post(client, [("a.txt", _text(51))])
    bid = first.headers["x-batch-id"]
    second = client.post(f"/api/read?batch={bid}", files=[("files", ("a.txt", _text(52), "text/plain"))])
    assert second.headers["x-batch-id"] == bid
    assert [e["name"] for e in second.json()] == ["a.txt (2)"]  # unique within the batch
    assert second.json()[0]["report"]["report_id"] == "a.txt (2)"
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/batches/{bid}/download/xlsx").content))
    assert wb["reports"].max_row == 3
    r = client.post(f"/api/read?batch={bid}", files=[("files", (f"{i}.txt", _text(i), "text/plain")) for i in range(2)])
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_many_files"  # 2 + 2 > 3 in the batch
    r = client.post("/api/read?batch=unknown", files=[("files", ("x.txt", _text(1), "text/plain"))])
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_batch"


def test_downloads_and_comparison():
    openpyxl = pytest.importorskip("openpyxl")
    client = _client()
    r = _post(client, [("a.txt", _text(21)), ("b.txt", _text(22)), ("bad.txt", b"")])
    bid = r.headers["x-batch-id"]
    dl = client.get(f"/api/batches/{bid}/download/xlsx")
    assert dl.status_code == 200 and "reports.xlsx" in dl.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(dl.content))
    assert "reports" in wb.sheetnames
    assert wb["reports"].max_row == 3  # a header and the two reports
    for kind in ("csv", "datapackage"):
        z = zipfile.ZipFile(io.BytesIO(client.get(f"/api/batches/{bid}/download/{kind}").content))
        assert "cells.csv" in z.namelist()
    assert client.get(f"/api/batches/{bid}/download/sqlite").content.startswith(b"SQLite format 3")
    page = client.get(f"/api/batches/{bid}/compare")
    assert page.status_code == 200 and "<html" in page.text
    assert client.get("/api/batches/nope/download/xlsx").status_code == 404
    assert client.get(f"/api/batches/{bid}/download/exe").status_code == 404


def _leaves(header: list[list[dict]]) -> list[str]:
    """The leaf column labels of header rows (cells with colspan/rowspan), left to right: the
    labels of the cells that reach the last header row."""
    depth = len(header)
    taken: dict[tuple[int, int], str] = {}
    for level, row in enumerate(header):
        col = 0
        for h in row:
            while (level, col) in taken:
                col += 1
            for dl in range(h["rowspan"]):
                for k in range(h["colspan"]):
                    taken[(level + dl, col + k)] = h["label"]
            col += h["colspan"]
    width = max(c for _l, c in taken) + 1
    return [taken[(depth - 1, c)] for c in range(width)]


def _check_row_heads(block: dict) -> None:
    """The row labels (nested, with row spans) fill the label columns of every row exactly."""
    n = block["label_columns"]
    span = [0] * n  # per label column: the following rows a cell above still covers
    for row in block["rows"]:
        occupied = [k > 0 for k in span]
        assert sum(h["colspan"] for h in row["heads"]) == occupied.count(False), row["code"]
        span = [max(0, k - 1) for k in span]
        c = 0
        for h in row["heads"]:
            while occupied[c]:
                c += 1
            for k in range(h["colspan"]):
                span[c + k] = h["rowspan"] - 1
            c += h["colspan"]


def test_dictionary_covers_the_schema_and_every_code():
    d = _client().get("/api/dictionary").json()
    cells = pd.read_csv(Path(rx.__file__).parent / "data" / "cells.csv", dtype=str)
    for (t, table), part in cells.groupby(["template", "table"]):
        want = {f"{r}.{c}": label for r, c, label in zip(part["row"], part["column"], part["column_label"])}
        shown = {}
        for block in d["layouts"][t][table]:
            leaves = _leaves(block["header"])
            _check_row_heads(block)
            for row in block["rows"]:
                assert len(row["cells"]) == len(leaves)
                for key, leaf in zip(row["cells"], leaves):
                    if key is not None:
                        assert key not in shown, key  # each template cell once
                        shown[key] = leaf
        assert want.items() <= shown.items(), (t, table)  # every cell under its own Chinese column label
        variants = template_schema(t).rows[table]
        assert all(variants[k.split(".")[0]].variant for k in set(shown) - set(want))  # the rest: variant rows
    # the national template's grouped headers and nested row labels
    outcomes = {r["code"]: r["heads"] for r in d["layouts"]["2021"]["requests"][0]["rows"]}
    assert [h["label"] for h in outcomes["denied_state_secret"]] == ["（三）不予公开", "1.属于国家秘密"]
    assert outcomes["granted"][0] == {"label": "三、本年度办理结果", "colspan": 1, "rowspan": 22}
    req = d["layouts"]["2021"]["requests"][0]["header"]
    assert [h["label"] for h in req[0]] == ["申请人情况"] and "法人或其他组织" in [h["label"] for h in req[1]]
    review = d["layouts"]["2021"]["review_litigation"]
    assert len(review) == 1 and len(review[0]["rows"]) == 1 and len(review[0]["rows"][0]["cells"]) == 15
    assert set(SEVERITY) <= set(d["messages"]["issue"])
    assert {c["family"] for c in d["checks"]} <= set(d["messages"]["check"])
    assert {"corrupt_input", "not_a_report", "timeout"} <= set(d["messages"]["error"])


def test_page_and_static_assets_are_local():
    client = _client()
    page = client.get("/").text
    assert 'src="/static/app.js"' in page and "http://" not in page and "https://" not in page
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "/api/read" in js.text and "https://" not in js.text
