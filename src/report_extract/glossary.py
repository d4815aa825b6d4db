"""English names of the schema's row and column codes (what each Chinese label means).

Used by the data dictionary and the output specs' column descriptions."""

from __future__ import annotations

GLOSS = {
    # section 2 rows
    "rules": "rules (regulations issued by the government)",
    "normative_documents": "normative documents",
    "licensing": "administrative licensing",
    "other_services": "other external administrative services",
    "penalty": "administrative penalties",
    "coercion": "administrative coercive measures",
    "fees": "administrative fees",
    "procurement": "centralised government procurement",
    # section 2 columns
    "issued": "issued this year",
    "repealed": "repealed this year",
    "in_force": "currently in force",
    "decisions": "number of decisions made",
    "amount": "amount charged or procured",
    "produced": "newly produced this year",
    "published": "newly published this year",
    "total_published": "total published",
    "previous_year_items": "number of items the year before",
    "change": "increase/decrease this year",
    "projects": "number of procurement projects",
    # section 3 rows
    "new_received": "requests newly received this year",
    "carried_over": "requests carried over from the previous year",
    "granted": "disclosed",
    "partially_granted": "partially disclosed",
    "denied_state_secret": "not disclosed: state secret",
    "denied_prohibited_by_law": "not disclosed: prohibited by other laws or regulations",
    "denied_security_stability": "not disclosed: endangers security or stability",
    "denied_third_party_rights": "not disclosed: protects third-party rights",
    "denied_internal_affairs": "not disclosed: internal affairs",
    "denied_process_info": "not disclosed: process information",
    "denied_enforcement_files": "not disclosed: administrative enforcement files",
    "denied_query_matters": "not disclosed: administrative query matter",
    "unable_not_held": "cannot be provided: not held by this body",
    "unable_needs_creation": "cannot be provided: would need to be created",
    "unable_unclear": "cannot be provided: request still unclear after correction",
    "rejected_petition": "not processed: petition, report or complaint",
    "rejected_duplicate": "not processed: repeated request",
    "rejected_publication": "not processed: asks for a public publication",
    "rejected_excessive": "not processed: many repeated requests without good reason",
    "rejected_reconfirmation": "not processed: asks to confirm or reissue information already obtained",
    "other_overdue_correction": "other: applicant did not complete the request in time",
    "other_overdue_fee": "other: applicant did not pay the fee in time",
    "other_other": "other: other",
    "other": "other handling (one row)",
    "total_processed": "total handled",
    "carried_forward": "carried forward to the next year",
    # section 3 columns
    "natural_person": "natural persons",
    "commercial_enterprise": "commercial enterprises",
    "research_institution": "research institutions",
    "social_welfare_org": "social welfare organisations",
    "legal_service_org": "legal service organisations",
    "other_org": "other legal persons or organisations",
    "total": "total",
    # section 4
    "review": "administrative reconsideration",
    "litigation_direct": "administrative litigation without prior reconsideration",
    "litigation_after_review": "administrative litigation after reconsideration",
    "upheld": "decision upheld",
    "corrected": "decision corrected",
    "pending": "not yet concluded",
}


_TABLE_GLOSS = {("review_litigation", "other"): "other outcome"}


def english(code: str, table: str | None = None) -> str:
    """The English name of a schema code (a readable gloss of the code when it has none)."""
    if (table, code) in _TABLE_GLOSS:
        return _TABLE_GLOSS[(table, code)]
    if code in GLOSS:
        return GLOSS[code]
    for prefix in ("denied", "unable", "rejected", "other"):
        if code.startswith(prefix + "_"):
            return f"{prefix}: {code[len(prefix) + 1:].replace('_', ' ')}"
    return code.replace("_", " ")


__all__ = ["GLOSS", "english"]
