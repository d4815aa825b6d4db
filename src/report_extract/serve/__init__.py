"""A local web page (and its JSON API) for people who don't program: drop reports in, see the
tables checked, take the data out. Start it with ``report-extract serve``; see docs/serve.md.

* :mod:`.settings` — the limits (upload size and count, per-file time) in one frozen object;
* :mod:`.uploads` — uploaded files and ZIP archives staged safely in a private temporary folder;
* :mod:`.records` — reports and errors as JSON-ready records;
* :mod:`.batches` — the batches read so far (for the comparison view and the downloads);
* :mod:`.app` — the Starlette application: the page, ``/api/read``, ``/api/dictionary``, downloads.
"""

from .settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]


def create_app(settings: ServeSettings | None = None):
    """The web application (a Starlette ASGI app); needs the ``serve`` extra."""
    from .app import create_app as _create

    return _create(settings)
