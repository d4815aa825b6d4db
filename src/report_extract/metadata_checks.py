"""Sanity checks of a report's metadata (title, publisher, year, template) as warning issues.

* ``metadata_markup``: the title or publisher holds markup or an unexpanded entity (``&lol9;``,
  ``&#x4e0a;``, ``<span``): text a page meant to be expanded or hidden was read as is.
* ``implausible_year``: the report's year is before its template was issued (``issued_year``
  of ``data/templates.csv``: the 2019 template before 2019, the 2021 template before 2021).
* ``title_year_mismatch``: the year in the title differs from the statistics period in the body
  (统计期限自2021年1月1日…).
"""

from __future__ import annotations

import re

from .mapper import Issue
from .meta import parse_title, year_from_text
from .schema import templates

_MARKUP = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][\w.-]*);|<\s*/?\s*[A-Za-z!?][^>]{0,80}>?|\]\]>")


def markup_issues(title: str | None, agency: str | None) -> list[Issue]:
    """An issue for each of title/publisher that holds markup or an unexpanded entity."""
    out = []
    for name, value in (("title", title), ("publisher", agency)):
        m = _MARKUP.search(value or "")
        if m:
            out.append(Issue("metadata_markup", f"the {name} holds markup or an unexpanded entity ({m.group(0)[:40]!r}): {value[:80]!r}"))
    return out


def year_issues(template: str | None, year: int | None, title: str | None, body: str) -> list[Issue]:
    """A report year its template cannot have, and a title year contradicting the body's period."""
    out = []
    info = next((t for t in templates() if t.template == template), None)
    if info is not None and year is not None and info.issued_year is not None and year < info.issued_year:
        out.append(Issue("implausible_year", f"the report's year {year} is before {info.issued_year}, when the {template} template was issued"))
    title_year = parse_title(title)[1] if title else None
    # the body's period is read only when the title has a year to compare it with
    body_year = year_from_text(body) if body and title_year is not None else None
    if title_year is not None and body_year is not None and title_year != body_year:
        out.append(Issue("title_year_mismatch", f"the title says {title_year} but the statistics period in the text is {body_year}"))
    return out


__all__ = ["markup_issues", "year_issues"]
