"""Scores pages: a cycle's scores with the recompute, a body's scores explained, its scoring
input with the source of each number and its versions, the administrator's case upload, the
what-if page, and the progress of background jobs. Thin views: access check, selector or service
call, a message."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.kernel.jobs import job_active
from assessments.models import (
    BackgroundJob,
    Cycle,
    Organisation,
    Report,
    ScoreSheet,
    ScoringInput,
)
from assessments.scores import selectors as score_selectors
from assessments.scores.access import visible_directions
from assessments.scores.fields import (
    DIRECTION_LABELS,
    case_fields,
    error_text,
    form_initial,
    read_whatif_form,
)
from assessments.scores.forms import CaseUploadForm, RecomputeForm, ScoreFilterForm
from assessments.scores.services.assembly import assembly_failure, case_from_values, scoring_values
from assessments.scores.services.scoring_inputs import (
    case_skeleton,
    full_case,
    scoring_input_current,
    scoring_input_load_case,
)
from assessments.scores.services.sheets import (
    RECOMPUTE_KIND,
    recompute_cycle_start,
    sheets_from_result,
)
from assessments.scoring import ScoringError, score_case_dict
from assessments.submission.services.reports import body_kind

PAGE_SIZE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _cycle_body(request: HttpRequest, code: str, pk: int):
    """The cycle, the body and the directions of it the user may see; 404 for outsiders."""
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    body = access.get_visible_or_404(
        request.user, Organisation.objects.select_related("parent__parent__parent"), pk=pk
    )
    directions = visible_directions(request.user, body)
    if not directions or body.kind not in ("central", "local"):
        raise Http404
    return cycle, body, directions


# --- The cycle's scores and its recompute ----------------------------------------------------


@login_required
def cycle_scores(request: HttpRequest, code: str) -> HttpResponse:
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    form = ScoreFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = score_selectors.scored_bodies(
        request.user, cycle, search=(filters.get("q") or "").strip(),
        kind=filters.get("kind") or "", order=filters.get("order") or "name",
    )  # fmt: skip
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    sheets = score_selectors.current_sheets(request.user, cycle, [b.pk for b in page])
    rows = [(body, sheets.get(body.pk, {})) for body in page]
    can_recompute = access.can(request.user, "recompute", cycle)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/scores/cycle_scores.html",
        {
            "cycle": cycle,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_recompute": can_recompute,
            "job": job_active(kind=RECOMPUTE_KIND, subject=cycle) if can_recompute else None,
        },
    )


@login_required
def scores_current(request: HttpRequest) -> HttpResponse:
    """The current cycle's scores (the navigation's entry)."""
    cycle = access.visible(request.user, Cycle).filter(is_current=True).first()
    if cycle is None:
        raise Http404
    return redirect("scores:cycle_scores", code=cycle.code)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_recompute(request: HttpRequest, code: str) -> HttpResponse:
    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    access.require(request.user, "recompute", cycle)
    form = RecomputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = recompute_cycle_start(
            cycle=cycle, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Пересчёт оценок запущен."))
        return redirect("scores:job_detail", pk=job.pk)
    return render(
        request,
        "assessments/scores/recompute_confirm.html",
        {"cycle": cycle, "form": form,
         "job": job_active(kind=RECOMPUTE_KIND, subject=cycle)},
    )  # fmt: skip


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job's progress; an htmx request gets the bar alone (it polls itself)."""
    job = access.get_visible_or_404(request.user, BackgroundJob, pk=pk)
    if _is_htmx(request):
        return render(request, "assessments/partials/job_progress.html", {"job": job})
    cycle = job.subject if isinstance(job.subject, Cycle) else None
    return render(request, "assessments/scores/job_detail.html", {"job": job, "cycle": cycle})


# --- A body's scores ---------------------------------------------------------------------------


@login_required
def body_scores(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cycle, body, directions = _cycle_body(request, code, pk)
    si = access.visible(request.user, ScoringInput).filter(cycle=cycle, body=body)
    si = si.order_by("-version").first()
    return render(
        request,
        "assessments/scores/body_scores.html",
        {
            "cycle": cycle,
            "body": body,
            "sheets": score_selectors.body_sheets(request.user, cycle, body),
            "history": score_selectors.sheet_history(request.user, cycle, body),
            "scoring_input": si,
            "directions": directions,
        },
    )


@login_required
def scoring_input_detail(
    request: HttpRequest, code: str, pk: int, version: int | None = None
) -> HttpResponse:
    cycle, body, directions = _cycle_body(request, code, pk)
    versions = score_selectors.input_versions(cycle, body)
    if version is None:
        if not versions:
            si = None
        else:
            si = ScoringInput.objects.get(pk=versions[0].pk)
    else:
        si = access.get_visible_or_404(
            request.user, ScoringInput.objects.filter(cycle=cycle, body=body), version=version
        )
    previous = None
    if si is not None and si.version > 1:
        previous = ScoringInput.objects.filter(cycle=cycle, body=body,
                                               version=si.version - 1).first()  # fmt: skip
    return render(
        request,
        "assessments/scores/scoring_input.html",
        {
            "cycle": cycle,
            "body": body,
            "si": si,
            "is_current": si is not None and versions and si.pk == versions[0].pk,
            "sections": score_selectors.input_sections(si, directions) if si else [],
            "versions": versions,
            "diff": score_selectors.version_diff(si, previous, directions) if si else [],
            "previous": previous,
            "can_load": access.can(request.user, "load_case", cycle),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring_input_load(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cycle, body, _directions = _cycle_body(request, code, pk)
    access.require(request.user, "load_case", cycle)
    current = scoring_input_current(cycle=cycle, body=body)
    initial = {}
    if current is not None:
        initial["case_text"] = json.dumps(current.case, ensure_ascii=False, indent=2)
    form = CaseUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            si = scoring_input_load_case(
                cycle=cycle, body=body, case=form.cleaned_data["case"], actor=request.user,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ScoringError as e:
            form.add_error(
                "case_text",
                _("%(what)s Поле: %(path)s — %(message)s")
                % {"what": error_text(e), "path": e.path or "—", "message": e.message},
            )
        else:
            if current is not None and si.pk == current.pk:
                messages.info(request, _("Данные не изменились: новая версия не создана."))
            else:
                messages.success(
                    request, _("Сохранена версия %(v)s исходных данных.") % {"v": si.version}
                )
            return redirect("scores:scoring_input", code=cycle.code, pk=body.pk)
    return render(
        request,
        "assessments/scores/scoring_input_load.html",
        {"cycle": cycle, "body": body, "form": form, "current": current},
    )


# --- What-if ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def whatif(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Change numbers of the body's current input and see the scores and their explanations
    (htmx: on every change; without JavaScript: on submit). Nothing is saved."""
    cycle, body, directions = _cycle_body(request, code, pk)
    si = access.visible(request.user, ScoringInput).filter(cycle=cycle, body=body)
    si = si.order_by("-version").first()
    base = full_case(si) if si is not None else case_skeleton(cycle, body)
    kind = base["body"]["kind"]
    groups = [g for g in case_fields(kind, cycle.edition) if g.direction in directions]
    if request.method == "POST":
        case = read_whatif_form(base, groups, request.POST, directions)
        values = {f.name: (bool(request.POST.get(f.name)) if f.kind in ("flag", "bool")
                           else request.POST.get(f.name, "")) for g in groups for f in g.fields}
    else:
        case = base
        values = form_initial(base, groups)
    error = None
    result_sheets = []
    try:
        result = score_case_dict(case)
    except ScoringError as e:
        error = e
    else:
        current = {
            s.direction: s
            for s in access.visible(
                request.user, ScoreSheet.objects.filter(cycle=cycle, body=body, is_current=True)
            ).defer("explain")
        }
        shown = list(directions) + (["overall"] if len(directions) == 3 else [])
        for direction, data in sheets_from_result(result).items():
            if direction not in shown:
                continue
            sheet = ScoreSheet(direction=direction, values=data.values, explain=data.explain,
                               final=data.final, band=data.band)  # fmt: skip
            result_sheets.append((score_selectors.explain_sheet(sheet), current.get(direction)))
    fields, error_placed = [], False
    for g in groups:
        row = []
        for f in g.fields:
            here = error is not None and not error_placed and _matches(f, error)
            error_placed = error_placed or here
            row.append((f, values.get(f.name), error if here else None))
        fields.append((g, row))
    context = {
        "cycle": cycle,
        "body": body,
        "si": si,
        "fields": fields,
        "error": error,
        "error_text": error_text(error) if error is not None else "",
        "error_placed": error_placed,
        "result_sheets": result_sheets,
        "submitted": request.method == "POST",
    }
    if _is_htmx(request):
        return render(request, "assessments/scores/partials/whatif_form.html", context)
    return render(request, "assessments/scores/whatif.html", context)


def _matches(field, error: ScoringError) -> bool:
    """Whether the engine's error belongs next to ``field`` (its path, or an item of it)."""
    path = error.path
    return path == field.path or path.startswith(field.path + "[") or (
        field.kind == "flag" and path.startswith(field.path)
    )


# --- a body's scoring input: stored, with sources, and a live preview -------------------------


def _engine_error(body: Organisation, cycle: Cycle, path: str, message: str) -> dict:
    """An engine refusal in the reader's language: the generic wording, the field's label and
    its path; the engine's own (English) message kept as a technical detail."""
    label = score_selectors.path_labels(body_kind(body), cycle.edition).get(path, "")
    return {"text": error_text(ScoringError(path, message)), "label": label, "path": path,
            "engine": message}


def _failure_context(cycle: Cycle, body: Organisation) -> dict | None:
    failure = assembly_failure(cycle=cycle, body=body)
    if failure is None:
        return None
    return {"at": failure.finished_at or failure.created_at,
            **_engine_error(body, cycle, failure.result.get("path", ""),
                            failure.result.get("message", ""))}


def _enter_input(request: HttpRequest, cycle: Cycle, body: Organisation) -> HttpResponse:
    """An assessor enters a number no source holds, with its source (p.18: never a silent
    zero); back to the page with the outcome."""
    from assessments.scores.forms import EnteredInputForm
    from assessments.scores.services.entered import entered_input_set

    form = EnteredInputForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            entered_input_set(actor=request.user, cycle=cycle, body=body,
                              path=form.cleaned_data["path"], value=form.cleaned_data["value"],
                              source=form.cleaned_data["source"])
        except DomainError as error:
            messages.error(request, error.message)
        except PermissionDenied:
            messages.error(request, _("У вас нет права на это действие."))
        else:
            messages.success(request, _("Значение внесено; исходные данные оценки собираются "
                                        "заново."))
    return redirect("scores:scoring_input_page", code=cycle.code, pk=body.pk)


@login_required
@require_http_methods(["GET", "POST"])
def scoring_input_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The body's STORED scoring input (each number with its source) and its STORED current
    score sheets with their explanations (re-verification deductions and commission decisions
    are only there), the last assembly's refusal if any, the inputs no source holds (an
    assessor of the direction enters them here, POST, with their source), and — clearly apart —
    a live preview of what the accepted data would assemble to now (not stored, not what the
    body is scored on)."""
    from assessments.scores.access import CASE_DIRECTIONS_FOR
    from assessments.scores.services.scoring_inputs import scoring_input_current

    cycle = access.get_visible_or_404(request.user, Cycle, code=code)
    body = access.get_visible_or_404(request.user, Organisation, pk=pk, is_evaluated=True)
    reports = access.visible(request.user, Report).filter(cycle=cycle, body=body)
    if not reports.exists():
        raise PermissionDenied
    if request.method == "POST":
        return _enter_input(request, cycle, body)
    directions = visible_directions(request.user, body)
    if not directions:  # sees the body's reports without evaluating it: their directions
        seen = {d for r in reports.values_list("direction", flat=True)
                for d in CASE_DIRECTIONS_FOR.get(r, ())}
        directions = tuple(d for d in ("services", "openness", "complaints") if d in seen)
    stored = scoring_input_current(cycle=cycle, body=body)
    sheets = score_selectors.body_sheets(request.user, cycle, body)
    # the live preview
    assembled = scoring_values(cycle=cycle, body=body)
    case = case_from_values(assembled.values, body=body, edition=cycle.edition)
    result, error = None, None
    try:
        result = score_case_dict(case)
    except ScoringError as exc:
        error = _engine_error(body, cycle, exc.path, exc.message)
    rows = [(path, value, assembled.sources.get(path, {}))
            for path, value in sorted(assembled.values.items())
            if path.split(".", 1)[0] in directions
            or (path.startswith("penalties.") and path.split(".")[1] in directions)]
    from assessments.scores.services.entered import can_enter, missing_inputs

    missing = [(m, can_enter(request.user, body, m.direction))
               for m in missing_inputs(cycle=cycle, body=body)
               if m.path.split(".", 1)[0] in directions]
    return render(request, "assessments/scores/scoring_input_page.html", {
        "cycle": cycle, "body": body, "stored": stored, "missing_inputs": missing,
        "sections": score_selectors.input_sections(stored, directions) if stored else [],
        "sheets": sheets,
        "stale": [x for x in sheets if stored is not None
                  and x.sheet.scoring_input_id != stored.pk],
        "can_see_scores": bool(visible_directions(request.user, body)),
        "failure": _failure_context(cycle, body),
        "rows": rows, "notes": assembled.notes, "result": result, "error": error,
        "preview": [(d, DIRECTION_LABELS.get(d, d), result[d].get("final"))
                    for d in directions if (result or {}).get(d)],
        "preview_overall": (result or {}).get("overall") if len(directions) == 3 else None,
        "preview_band": (result or {}).get("band"),
    })

