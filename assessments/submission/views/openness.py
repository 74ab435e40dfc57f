"""The assessors' openness scoring workspace (annex 10): scores per indicator and language
column, the special-rule flags and the subordinate organisations' penalties."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.kernel.people import assigned_assessors
from assessments.models import (
    Cycle,
    Direction,
    OpennessAssessment,
    OpennessScore,
    Organisation,
    Report,
    ReportSection,
)
from assessments.scores.fields import (
    CRITERIA,
    DIALOGUE_RAW,
    FLAGS,
    INDICATORS,
    MEDIA,
    SUBORDINATE_PENALTIES,
)
from assessments.scores.services.assembly import scoring_values
from assessments.submission.report_schema import COLUMNS, sections_for
from assessments.submission.services.openness import (
    allowed_flags,
    criteria_for,
    indicator_rows,
    openness_assessment_update,
    openness_score_set,
    subordinate_penalty_keys,
)
from assessments.submission.services.reports import EditConflict, body_kind


def _links_by_score(report: Report | None, kind: str) -> dict[tuple[str, str], list]:
    """The body's links (per language) beside each scored indicator (annex 9 → annex 10)."""
    result: dict[tuple[str, str], list] = {}
    if report is None:
        return result
    stored = {s.key: s.data for s in ReportSection.objects.filter(report=report)}
    for section in sections_for(Direction.OPENNESS, kind):
        fields = (stored.get(section.key) or {}).get("fields") or {}
        for spec in section.link_fields(kind):
            for pair in spec.scores:
                result.setdefault(pair, []).append((spec.label, fields.get(spec.key) or {}))
    return result


def _same_value(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return Decimal(a.replace(",", ".")) == Decimal(b.replace(",", "."))
    except (InvalidOperation, ValueError):
        return False


def _posted_cell(post, name: str) -> dict:
    """One score cell as posted: what was typed and what was loaded (value, comment, version).
    A cell is sent to the service only when it differs from what was loaded."""
    value = post.get(name, "").strip()
    comment = post.get(f"{name}.comment", "").strip()
    loaded = post.get(f"{name}.loaded", "").strip()
    loaded_comment = post.get(f"{name}.loaded_comment", "").strip()
    version = post.get(f"{name}.version", "")
    return {"value": value, "comment": comment, "loaded": loaded,
            "loaded_comment": loaded_comment,
            "version": int(version) if version.isdigit() else None,
            "changed": not _same_value(value, loaded) or comment != loaded_comment}


def _posted_rules(post, cycle: Cycle, body: Organisation, kind: str) -> dict | None:
    """What the assessor changed in the rules block: items ticked and unticked against what
    the page was loaded with (None: nothing changed, the block is not sent)."""
    added: dict[str, set] = {}
    removed: dict[str, set] = {}

    def diff(key: str, name: str) -> None:
        now, then = set(post.getlist(name)), set(post.getlist(f"{name}.loaded"))
        if now - then:
            added[key] = now - then
        if then - now:
            removed[key] = then - now

    for criterion in allowed_flags(cycle, body):
        diff(f"flags.{criterion}", f"flags.{criterion}")
    diff("not_assessed", "not_assessed")
    if kind == "central":
        for key, _points in subordinate_penalty_keys(cycle):
            for column in COLUMNS:
                diff(f"penalty.{key}.{column}", f"penalty.{key}.{column}")
    return {"added": added, "removed": removed} if added or removed else None


def _merge_rules(current: OpennessAssessment | None, rules: dict, kind: str) -> dict:
    """The assessor's ticks and unticks applied to the rules as stored now, so that two
    assessors ticking different boxes both keep theirs (a box both changed from the same
    state was changed to the same value)."""
    flags = {c: set(v) for c, v in ((current.flags if current else {}) or {}).items()}
    not_assessed = set((current.not_assessed if current else []) or [])
    penalties = {k: {c for c, on in v.items() if on}
                 for k, v in ((current.subordinate_penalties if current else {}) or {}).items()}
    for key in set(rules["added"]) | set(rules["removed"]):
        plus, minus = rules["added"].get(key, set()), rules["removed"].get(key, set())
        if key == "not_assessed":
            not_assessed = (not_assessed - minus) | plus
        elif key.startswith("flags."):
            criterion = key.split(".", 1)[1]
            flags[criterion] = (flags.get(criterion, set()) - minus) | plus
        else:  # penalty.<key>.<column>: the box's value is "1"
            _p, penalty, column = key.split(".")
            columns = penalties.setdefault(penalty, set())
            if minus:
                columns.discard(column)
            else:
                columns.add(column)
    return {"flags": {c: sorted(v) for c, v in flags.items() if v},
            "not_assessed": sorted(not_assessed),
            "subordinate_penalties": {k: {c: c in v for c in COLUMNS}
                                      for k, v in penalties.items()} if kind == "central" else {}}


@login_required
@require_http_methods(["GET", "POST"])
def openness_workspace(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    body = access.get_visible_or_404(request.user, Organisation, pk=pk, is_evaluated=True)
    if not access.can(request.user, "score_openness", body):
        raise PermissionDenied
    # Only the assessors assigned to the body in the cycle and the unit head change its scores
    # (issue 16): the others see the workspace read-only, and a save from them is refused.
    editable = access.can(request.user, "score_openness", body, cycle=cycle)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    kind = body_kind(body)
    scores = {(s.criterion, s.indicator, s.column): s for s in OpennessScore.objects.filter(
        cycle=cycle, body=body).select_related("scored_by")}
    assessment = OpennessAssessment.objects.filter(cycle=cycle, body=body).first()
    errors: dict[str, str] = {}
    # Cells re-shown as the assessor typed them (an invalid value) and cells someone else
    # changed meanwhile (shown with that person's value; the assessor's own beside it).
    kept: dict[str, dict] = {}
    conflicts: dict[str, dict] = {}
    if request.method == "POST":
        for row in indicator_rows(cycle, body):
            if row.computed:
                continue
            for column in COLUMNS:
                name = f"{row.criterion}.{row.indicator}.{column}"
                posted = _posted_cell(request.POST, name)
                if not posted["changed"]:
                    continue  # untouched: never sent, so another assessor's value stands
                if posted["value"] == "":
                    errors[name] = _("Укажите балл (0, если показатель не выполнен).")
                    kept[name] = posted
                    continue
                try:
                    with transaction.atomic():
                        openness_score_set(
                            actor=request.user, cycle=cycle, body=body,
                            criterion=row.criterion, indicator=row.indicator, column=column,
                            value=posted["value"], comment=posted["comment"],
                            expected_version=posted["version"])
                except EditConflict as error:
                    errors[name] = error.message
                    conflicts[name] = posted
                except DomainError as error:
                    errors[name] = error.message
                    kept[name] = posted
        rules = _posted_rules(request.POST, cycle, body, kind)
        if rules is not None:
            current = OpennessAssessment.objects.filter(cycle=cycle, body=body).first()
            try:
                openness_assessment_update(
                    actor=request.user, cycle=cycle, body=body,
                    **_merge_rules(current, rules, kind),
                    expected_version=current.version if current else None)
            except DomainError as error:
                errors["rules"] = error.message
        if not errors:
            messages.success(request, _("Оценка сохранена."))
            return redirect("submission:openness_workspace", code=cycle.code, pk=body.pk)
        messages.error(request, _("Часть значений не сохранена: см. сообщения у полей."))
        scores = {(s.criterion, s.indicator, s.column): s for s in OpennessScore.objects.filter(
            cycle=cycle, body=body).select_related("scored_by")}
        assessment = OpennessAssessment.objects.filter(cycle=cycle, body=body).first()
    report = Report.objects.filter(cycle=cycle, body=body, direction=Direction.OPENNESS).first()
    links = _links_by_score(report, kind)
    criteria = criteria_for(cycle, body)
    table_rows = []
    for row in indicator_rows(cycle, body):
        cells = []
        for column in COLUMNS:
            name = f"{row.criterion}.{row.indicator}.{column}"
            score = scores.get((row.criterion, row.indicator, column))
            cell = {"name": name, "column": column, "score": score, "error": errors.get(name),
                    "mine": conflicts.get(name)}
            typed = kept.get(name)
            if typed is not None:  # as typed, still against the version it was loaded at
                cell.update(value=typed["value"], comment=typed["comment"],
                            loaded=typed["loaded"], loaded_comment=typed["loaded_comment"],
                            version=typed["version"] or 0)
            else:  # as stored now (after a conflict: the other person's value and version)
                value = format(score.value, "f") if score else ""
                cell.update(value=value, comment=score.comment if score else "",
                            loaded=value, loaded_comment=score.comment if score else "",
                            version=score.version if score else 0)
            cells.append(cell)
        table_rows.append({"row": row, "cells": cells,
                           "links": links.get((row.criterion, row.indicator), []),
                           "title": criteria[row.criterion].code,
                           # the short name in the interface's language; annex 10's wording
                           # (Russian) beside it
                           "label": INDICATORS.get(row.indicator, row.indicator),
                           "criterion_label": CRITERIA.get(row.criterion, row.criterion)})
    values = scoring_values(cycle=cycle, body=body)
    raw_labels = {**DIALOGUE_RAW, **MEDIA}
    computed = [(raw_labels.get(path.rsplit(".", 1)[-1], path), path, value)
                for path, value in sorted(values.values.items())
                if path.startswith(("openness.open_dialogue.", "openness.media."))]
    return render(request, "assessments/submission/openness_workspace.html", {
        "cycle": cycle, "body": body, "rows": table_rows, "assessment": assessment,
        "flags": [(criterion, CRITERIA.get(criterion, criterion),
                   [(flag, FLAGS.get(flag, flag)) for flag in items])
                  for criterion, items in allowed_flags(cycle, body).items()],
        "set_flags": (assessment.flags if assessment else {}) or {},
        "not_assessed_choices": [(i, INDICATORS.get(i, i))
                                 for i in sorted(criteria["open_budget"].scorable)],
        "not_assessed": (assessment.not_assessed if assessment else []) or [],
        "penalties": [(key, SUBORDINATE_PENALTIES.get(key, key), points)
                      for key, points in subordinate_penalty_keys(cycle)]
        if kind == "central" else [],
        "set_penalties": (assessment.subordinate_penalties if assessment else {}) or {},
        "computed": computed, "report": report, "errors": errors, "columns": COLUMNS,
        "editable": editable,
        "assigned": [] if editable else assigned_assessors(
            cycle_id=cycle.pk, body_id=body.pk, directions=[Direction.OPENNESS]),
    })
