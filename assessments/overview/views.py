"""The Agency's view of the cycle: the overview, the rankings, a body across cycles, exports and
the cycle report. Thin views: who may see it (the access registry), a selector, a template."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.kernel import access
from assessments.models import BackgroundJob, Cycle, Organisation
from assessments.overview import charts, exports, report, selectors, services
from assessments.overview.forms import OverviewFilterForm, RankingFilterForm

PAGE_SIZE = 50
RANKING_PAGE_SIZE = 50


def _cycle(request: HttpRequest) -> Cycle:
    access.require_section(request.user, "overview")
    cycle = selectors.cycle_for(request.user, request.GET.get("cycle"))
    if cycle is None:
        raise Http404
    return cycle


def _body_base() -> str:
    """The body pages' path without the id (``reverse`` once, not once per row)."""
    return reverse("overview:body", args=[0])[:-2]


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()


def overview_filters(request: HttpRequest, cycle: Cycle):
    """The user's overview rows, the filter form bound to the URL, its valid filters and sort."""
    rows = selectors.overview_rows(request.user, cycle)
    evaluators, regions = selectors.choices(rows)
    form = OverviewFilterForm(request.GET or None, evaluators=evaluators, regions=regions)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    sort = filters.pop("sort", "") or "urgent"
    return rows, form, filters, sort


@login_required
def overview_page(request: HttpRequest) -> HttpResponse:
    cycle = _cycle(request)
    rows, form, filters, sort = overview_filters(request, cycle)
    data = selectors.overview(request.user, cycle, filters=filters, sort=sort, rows=rows)
    page = Paginator(data.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/overview/overview.html", {
        "cycle": cycle, "cycles": access.visible(request.user, Cycle).order_by("-year", "code"),
        "form": form, "data": data, "page": page, "query": _query(request),
        "stages": [(key, label, data.counts[key]) for key, label in selectors.STAGES.items()],
        "stage_query": _query(request, "stage"), "body_base": _body_base(),
    })


@login_required
def rankings_page(request: HttpRequest) -> HttpResponse:
    cycle = _cycle(request)
    form = RankingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    direction = filters.get("direction") or "overall"
    group = filters.get("group") or "central"
    ranking = selectors.ranking(request.user, cycle, direction, group)
    page = Paginator(ranking.rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/overview/rankings.html", {
        "cycle": cycle, "cycles": access.visible(request.user, Cycle).order_by("-year", "code"),
        "form": form, "ranking": ranking, "page": page, "query": _query(request),
        "body_base": _body_base(),
    })


# --- A body across cycles ----------------------------------------------------------------------


@login_required
def body_page(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_visible_or_404(request.user, Organisation, pk=pk)
    history = selectors.body_history(request.user, body)
    if body.kind not in ("central", "local") or not selectors.may_view(request.user):
        raise Http404
    return render(request, "assessments/overview/body.html", {
        "body": body, "history": history,
        "directions": (*selectors.DIRECTIONS, "overall"),
        "chart": charts.body_history_chart(body, history),
        "criteria_charts": _criteria_charts(body, history),
    })


def _criteria_charts(body: Organisation, history) -> list:
    """The latest scored cycle's criteria of each direction against the edition's maxima."""
    from reporting.annexes.common import complaints_maxima, openness_maxima, services_maxima

    entry = next((e for e in history if e.sheets), None)
    if entry is None:
        return []
    edition, labels = entry.cycle.edition, _labels()
    maxima = {"services": lambda: services_maxima(edition, body.kind),
              "openness": lambda: openness_maxima(edition, body.kind),
              "complaints": lambda: complaints_maxima(edition)}
    out = []
    for direction in selectors.DIRECTIONS:
        sheet = entry.sheets.get(direction)
        if sheet is None or sheet.final is None:
            continue
        tops = {code: float(top) for code, top in maxima[direction]().items()
                if code not in ("penalty", "total") and top > 0}
        out.append(charts.body_criteria(sheet, tops, labels.get(direction, {})))
    return out


# --- Exports -----------------------------------------------------------------------------------


def _download_name(what: str, cycle: Cycle, ext: str) -> str:
    return f"{what}-{cycle.code}.{ext}"


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The overview or the rankings as shown (the URL's filters), XLSX or CSV, streamed."""
    cycle = _cycle(request)
    what = request.GET.get("what") or "rankings"
    fmt = request.GET.get("format") or "xlsx"
    if what not in ("overview", "rankings") or fmt not in ("xlsx", "csv"):
        return HttpResponseBadRequest(_("Неизвестный вид выгрузки: %(what)s, %(format)s.")
                                      % {"what": what, "format": fmt})
    if what == "overview":
        rows, _form, filters, sort = overview_filters(request, cycle)
        data = selectors.overview(request.user, cycle, filters=filters, sort=sort, rows=rows)
        tables = exports.overview_tables(data)
        provisional = selectors.ranking_status(cycle)
    else:
        form = RankingFilterForm(request.GET or None)
        group = (form.cleaned_data.get("group") if form.is_valid() else "") or "central"
        rankings = [selectors.ranking(request.user, cycle, d, group)
                    for d in selectors.RANKING_DIRECTIONS]
        tables = exports.ranking_tables(rankings)
        provisional = any(r.provisional for r in rankings)
    info = services.export_info(cycle, provisional)
    if what == "rankings":
        info.append((_("Группа органов"), str(selectors.group_label(group))))
    name = _download_name(what, cycle, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(tables, info=info),
                                         content_type="text/csv; charset=utf-8")
    else:
        handle = tempfile.TemporaryFile()
        exports.write_xlsx(tables, handle, info=info)
        handle.seek(0)
        response = FileResponse(handle, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def exports_page(request: HttpRequest) -> HttpResponse:
    """Exports and the cycle report; the export of all scores runs as a background job."""
    cycle = _cycle(request)
    if request.method == "POST":
        job = services.scores_export_start(cycle=cycle, actor=request.user,
                                           language=get_language() or "ru")
        return redirect(f"{reverse('overview:exports')}?cycle={cycle.code}&job={job.pk}")
    jobs = access.visible(request.user, BackgroundJob.objects.filter(
        kind=services.EXPORT_KIND, started_by=request.user)).order_by("-created_at")[:5]
    return render(request, "assessments/overview/exports.html", {
        "cycle": cycle, "cycles": access.visible(request.user, Cycle).order_by("-year", "code"),
        "jobs": jobs, "provisional": selectors.ranking_status(cycle),
        "can_report": access.may_open(request.user, "cycle_report"),
    })


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_visible_or_404(request.user, BackgroundJob.objects.filter(
        kind=services.EXPORT_KIND), pk=pk)
    path = services.export_path(job.pk)
    if job.state != BackgroundJob.State.DONE or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=job.result.get("name") or path.name, content_type=XLSX)


# --- Charts and the cycle report ---------------------------------------------------------------


def _labels() -> dict[str, dict]:
    from assessments.scores.selectors import sheet_labels

    return {d: {k: str(v) for k, v in labels.items()} for d, labels in sheet_labels().items()}


@login_required
def charts_page(request: HttpRequest) -> HttpResponse:
    """Bands per direction and the spread of each criterion (counts and figures across bodies,
    no names: for everyone who may see the overview)."""
    cycle = _cycle(request)
    labels = _labels()
    return render(request, "assessments/overview/charts.html", {
        "cycle": cycle, "cycles": access.visible(request.user, Cycle).order_by("-year", "code"),
        "bands": charts.band_distribution(cycle, selectors.band_distribution(cycle)),
        "criteria": [charts.criterion_distribution(cycle, d, labels.get(d, {}))
                     for d in selectors.DIRECTIONS],
    })


@login_required
def cycle_report(request: HttpRequest) -> HttpResponse:
    """The cycle report (PDF, Russian or Kazakh): rankings with bands per group, the charts,
    a summary per direction, every body with its final scores. For those who see every body."""
    from reporting.rendering import render_pdf

    cycle = _cycle(request)
    access.require_section(request.user, "cycle_report")
    language = request.GET.get("lang") if request.GET.get("lang") in ("ru", "kk") else "ru"
    with translation.override(language):
        context = report.cycle_report_context(request.user, cycle)
        pdf = render_pdf("pdf/overview/cycle_report.html", context, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"cycle-report-{cycle.code}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
