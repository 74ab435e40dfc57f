"""The conclusions' PDFs: context providers from a ``Conclusion`` to the annexes' builders.

The annex templates and their plain-data context builders live in ``reporting.annexes``; this
module maps a conclusion (its body, cycle, printed scores, the engine's explanations, analysis,
"Выводы и рекомендации", the people of its signature block) to the builder of its annex and
registers that as the context provider of the document kinds ``annex3``, ``annex4``, ``annex5``,
``annex8``, ``annex12`` and ``annex15``. Rendering itself is the reporting service's
(``document_request`` → the Celery task ``render_document``; idempotent, SHA-256 stored).
"""

from __future__ import annotations

from typing import Any

from assessments.models import Conclusion
from assessments.registry.selectors import name_on

CONCLUSION_KINDS = {3: "annex3", 4: "annex4", 5: "annex5", 8: "annex8", 12: "annex12",
                    15: "annex15"}


def _signatories(conclusion: Conclusion) -> list[dict[str, Any]]:
    """The people expected in each slot (the first holder of the role), printed under the
    block's text; the signature itself carries who actually signed."""
    from assessments.conclusions.signing import slot_holders

    out = []
    for role, _position, holders in slot_holders(conclusion):
        if holders:
            person = holders[0]
            out.append({"role": role, "full_name": str(person),
                        "position": getattr(person, "position", "") or ""})
    return out


def annex_context(conclusion: Conclusion, *, draft: bool) -> dict[str, Any]:
    """The annex's context for ``conclusion`` (plain data only, from the annexes' builders)."""
    from reporting.annexes import (
        Body,
        block_conclusion_context,
        direction_conclusion_context,
    )

    cycle = conclusion.cycle
    name_ru, name_kk = name_on(conclusion.body, cycle.names_on)
    body = Body(name_ru=name_ru, kind=conclusion.body.kind, name_kk=name_kk or "")
    evaluator_ru, _evaluator_kk = name_on(conclusion.evaluator, cycle.names_on)
    common = {
        "body": body,
        "period": cycle.year,
        "evaluator": evaluator_ru,
        "analysis": dict(conclusion.analysis),
        "recommendations": conclusion.recommendations,
        "signatories": _signatories(conclusion),
        "version": conclusion.version,
        "replaces_version": conclusion.supersedes.version if conclusion.supersedes_id else None,
        "draft": draft,
        "edition": cycle.edition,
    }
    values = conclusion.values
    if conclusion.annex == 15:
        context = block_conclusion_context(
            finals={d: values[d] for d in ("services", "openness", "complaints")},
            overall=values["overall"], band=values["band"], **common,
        )
    else:
        explain = conclusion.score_sheet.explain if conclusion.score_sheet_id else {}
        context = direction_conclusion_context(
            conclusion.annex, scores=values, explain=explain, **common
        )
    # The body's name in both state and Russian languages under the heading (our decision: a
    # document addressed to a Kazakh state body names it in the state language too).
    context["bilingual"] = bool(name_kk)
    return context


def _provider(document) -> dict[str, Any]:
    conclusion = (
        Conclusion.objects.select_related("cycle", "body", "evaluator", "score_sheet",
                                          "supersedes")
        .get(pk=document.subject_id)
    )
    return annex_context(conclusion, draft=document.draft)


def _register() -> None:
    from reporting.annexes import provide_context

    for kind in CONCLUSION_KINDS.values():
        provide_context(kind)(_provider)


_register()
