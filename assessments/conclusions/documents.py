"""The conclusions' PDFs: context providers from a ``Conclusion`` to the annexes' builders.

The annex templates and their plain-data context builders live in ``reporting.annexes``; this
module maps a conclusion (its body, cycle, printed scores, the engine's explanations, analysis,
"Выводы и рекомендации", the people of its signature block) to the builder of its annex and
registers that as the context provider of the document kinds ``annex3``, ``annex4``, ``annex5``,
``annex8``, ``annex12`` and ``annex15``. Rendering itself is the reporting service's
(``document_request`` → the Celery task ``render_document``; idempotent, SHA-256 stored).

Annex 10 — the assessors' scores per indicator and language version, the tables behind an
openness conclusion — is its own document of kind ``annex10``: requested whenever the
conclusion's final annex 8 is (approval, the first signature), built from the same score sheet's
``explain`` (each indicator's applied score per column, from the assessors' ``OpennessScore``
rows through the scoring input), and named by annex 8 as its supporting tables. Its subject is
that score sheet (immutable) and its version the conclusion's, so a conclusion redrafted from
changed scores gets the tables of its new sheet, never the stored ones of the old.

A conclusion's own annex is keyed by its content too (``content_key``: the SHA-256 of its drafted
payload — values, score sheet, analysis, "Выводы и рекомендации"), not by its version alone: a
conclusion redrafted from changed scores keeps its version number, so without the key approving it
again would hand the signatories the file rendered before the redraft. The earlier file, and the
signed document that may refer to it, stay as they are beside the new one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from assessments.models import Conclusion, ScoreSheet
from assessments.registry.selectors import name_on

CONCLUSION_KINDS = {3: "annex3", 4: "annex4", 5: "annex5", 8: "annex8", 12: "annex12",
                    15: "annex15"}
SUPPORTING_KIND = "annex10"  # the openness conclusion's supporting tables


def content_key(conclusion: Conclusion) -> str:
    """The SHA-256 of what the conclusion's annex is rendered from that its writers and a redraft
    change (the signature block's people are not part of it)."""
    payload = {
        "annex": conclusion.annex,
        "score_sheet": conclusion.score_sheet_id,
        "supersedes": conclusion.supersedes_id,
        "values": conclusion.values,
        "analysis": conclusion.analysis,
        "recommendations": conclusion.recommendations,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    if conclusion.annex == 8:
        context["supporting"] = (
            "Приложение: операционная оценка по критериям наполнения портала \"Открытого "
            f"правительства\" (приложение 10 к Методике, версия {conclusion.version}) — "
            "баллы экспертов по каждому индикатору на государственном и русском языках."
        )
    return context


def annex10_context(conclusion: Conclusion, *, draft: bool) -> dict[str, Any]:
    """Annex 10's context for an openness ``conclusion``: the same score sheet's scores and
    ``explain`` as its annex 8, per indicator and language column."""
    from reporting.annexes import Body, openness_scores_context

    if conclusion.annex != 8:
        raise ValueError(f"annex 10 supports the openness conclusion (annex 8), not annex "
                         f"{conclusion.annex}")
    cycle = conclusion.cycle
    name_ru, name_kk = name_on(conclusion.body, cycle.names_on)
    evaluator_ru, _evaluator_kk = name_on(conclusion.evaluator, cycle.names_on)
    explain = conclusion.score_sheet.explain if conclusion.score_sheet_id else {}
    return openness_scores_context(
        body=Body(name_ru=name_ru, kind=conclusion.body.kind, name_kk=name_kk or ""),
        period=cycle.year, scores=conclusion.values, explain=explain, evaluator=evaluator_ru,
        version=conclusion.version,
        replaces_version=conclusion.supersedes.version if conclusion.supersedes_id else None,
        draft=draft, edition=cycle.edition,
    )


def annex10_request(conclusion: Conclusion, *, requested_by=None, render_now: bool = False):
    """Request annex 10 of an openness conclusion's version — its score sheet's tables —
    (rendered after commit, or now)."""
    from reporting.services import document_request

    if conclusion.annex != 8 or conclusion.score_sheet_id is None:
        raise ValueError("annex 10 is requested for an openness conclusion with its score sheet")
    return document_request(kind=SUPPORTING_KIND, subject=conclusion.score_sheet,
                            version=conclusion.version, requested_by=requested_by,
                            render_now=render_now)


def annex10_document(conclusion: Conclusion):
    """The stored annex 10 of the conclusion's version and score sheet, if requested."""
    from django.contrib.contenttypes.models import ContentType

    from reporting.models import RenderedDocument

    if conclusion.score_sheet_id is None:
        return None
    return RenderedDocument.objects.filter(
        kind=SUPPORTING_KIND, subject_type=ContentType.objects.get_for_model(ScoreSheet),
        subject_id=conclusion.score_sheet_id, version=conclusion.version, draft=False,
        language="ru",
    ).first()


def _provider(document) -> dict[str, Any]:
    conclusion = (
        Conclusion.objects.select_related("cycle", "body", "evaluator", "score_sheet",
                                          "supersedes")
        .get(pk=document.subject_id)
    )
    if document.content_key and document.content_key != content_key(conclusion):
        # requested for content since redrafted or edited: never print the new text under it
        raise LookupError(f"conclusion {conclusion.pk} changed since this document was requested")
    return annex_context(conclusion, draft=document.draft)


def _annex10_provider(document) -> dict[str, Any]:
    """The document's subject is the score sheet; its version the openness conclusion's."""
    conclusion = (
        Conclusion.objects.select_related("cycle", "body", "evaluator", "score_sheet",
                                          "supersedes")
        .filter(score_sheet_id=document.subject_id, annex=8, version=document.version)
        .order_by("-pk").first()
    )
    if conclusion is None:
        raise LookupError(f"no openness conclusion of version {document.version} stands on "
                          f"score sheet {document.subject_id}")
    return annex10_context(conclusion, draft=document.draft)


def _register() -> None:
    from reporting.annexes import provide_context

    for kind in CONCLUSION_KINDS.values():
        provide_context(kind)(_provider)
    provide_context(SUPPORTING_KIND)(_annex10_provider)


_register()
