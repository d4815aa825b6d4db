"""``python -m report_extract``: the ``report-extract`` command."""

from .launch import main

main()
