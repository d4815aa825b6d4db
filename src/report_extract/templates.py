"""Which template a report follows, decided from data: ``data/templates.csv``.

Every template has the labels only it prints (from ``cells.csv`` and ``aliases.csv``, plus the
``detection_labels`` of its row). A document's evidence for a template is how many of them it
prints; the template with the most evidence wins, and a tie goes to the template whose report
years cover the report's year, else to the row marked ``default``. So a third template is rows in
the CSV files, not code.
"""

from __future__ import annotations

from functools import cache, lru_cache

from .grid import Document
from .matching import similarity
from .schema import TemplateInfo, _labels, specific_labels, template_schema, templates
from .textnorm import label_key

ROW_TABLES = ("proactive", "requests")
DETECT_SIMILARITY = 0.9  # a printed label this similar to a template's own label counts as evidence
MIN_TEXT_LABEL = 4  # in running text, labels shorter than this are too common to count


def template_ids() -> tuple[str, ...]:
    """The template ids, in the order of ``data/templates.csv``."""
    return tuple(t.template for t in templates())


def best_template(evidence: dict[str, int], year: int | None) -> str:
    """The template with the most evidence; a tie goes to the one covering ``year``, else the default."""
    top = max(evidence.values())
    tied = [t for t in templates() if evidence.get(t.template) == top]
    if len(tied) == 1:
        return tied[0].template
    if year is not None:
        covering = [t for t in tied if t.covers(year)]
        if covering:
            return covering[0].template
    return next((t.template for t in tied if t.default), tied[0].template)


def _default() -> TemplateInfo:
    return next((t for t in templates() if t.default), templates()[0])


def default_template() -> str:
    """The template marked ``default`` in ``data/templates.csv`` (else its first row)."""
    return _default().template


def detect_template(doc: Document, year: int | None) -> tuple[str | None, dict[str, int]]:
    """The template whose own labels the document's tables print most (None when the tables hold no
    template label at all), with the evidence: the number of its own labels each template matched."""
    texts = {c.text for t in doc.tables for r in t.rows for c in r}  # each printed text once
    found = [h for h in map(_text_hits, texts) if h is not None]
    evidence = {info.template: len(frozenset().union(*[h[i] for h in found])) for i, info in enumerate(templates())}
    if not any(evidence.values()) and not _has_any_template_label(_label_keys(texts)):
        return None, evidence
    return best_template(evidence, year), evidence


def _label_keys(texts: set[str]) -> set[str]:
    """The label keys of printed texts (none empty)."""
    keys = {label_key(text) for text in texts if text.strip()}
    keys.discard("")
    return keys


@lru_cache(maxsize=1 << 14)
def _text_hits(text: str) -> tuple[frozenset[int], ...] | None:
    """For each template (in :func:`templates` order), the indexes of its own labels a printed text
    matches (:func:`_specific_hits` of its label key); None when it matches none (most texts). Kept
    per text: cell texts recur across reports."""
    key = label_key(text) if text.strip() else ""
    if not key:
        return None
    hits = tuple(_specific_hits(info.template, key) for info in templates())
    return hits if any(hits) else None


@cache
def _specific(template: str) -> tuple[str, ...]:
    return tuple(specific_labels(template))


@lru_cache(maxsize=1 << 14)
def _specific_hits(template: str, key: str) -> frozenset[int]:
    """Indexes (in :func:`_specific`) of the template's own labels a printed label key matches
    (kept per key: labels recur across reports)."""
    return frozenset(i for i, s in enumerate(_specific(template)) if key == s or similarity(key, s) >= DETECT_SIMILARITY)


def _has_any_template_label(keys: set[str]) -> bool:
    """Whether at least two printed labels are labels of the default template's row tables."""
    schema = template_schema(_default().template)
    aliases = [a for t in ROW_TABLES for r in schema.rows[t].values() for a in r.leaf_aliases]
    aliases += [a for t in ROW_TABLES for al in schema.columns[t].values() for a in al]
    return sum(1 for k in keys if any(similarity(k, a) >= DETECT_SIMILARITY for a in aliases)) >= 2


def detect_in_text(text_key: str, year: int | None) -> tuple[str, dict[str, int]]:
    """The template of running text (``text_key``: the text as one label key), by the labels only
    it prints that are long enough and not part of another template's labels."""
    evidence = {tpl: sum(1 for k in _text_labels(tpl) if k in text_key) for tpl in template_ids()}
    return best_template(evidence, year), evidence


@cache
def _text_labels(tpl: str) -> tuple[str, ...]:
    """The labels of :func:`detect_in_text` for template ``tpl``."""
    ids = template_ids()
    other = set().union(*(_labels(t) for t in ids if t != tpl))
    return tuple(k for k in specific_labels(tpl) if len(k) >= MIN_TEXT_LABEL and not any(k in o for o in other))


def undecided(evidence: dict[str, int]) -> bool:
    """Whether the labels leave the templates tied (the year or the default decided)."""
    return bool(evidence) and len(set(evidence.values())) == 1


__all__ = [
    "template_ids", "default_template", "best_template", "detect_template", "detect_in_text", "undecided",
]
