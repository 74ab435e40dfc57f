"""The scores pages: who sees what, the what-if page (no writes), the case upload, the recompute
button and its progress, query counts of the list at two sizes."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from assessments.models import AuditEntry, BackgroundJob, ScoreSheet, ScoringInput
from assessments.scores.services.scoring_inputs import scoring_input_load_case
from assessments.scores.services.sheets import score_body
from tests.worlds.factories import OrganisationFactory, Personas, Registry
from tests.worlds.scores import case_for


@pytest.fixture
def people(db) -> Personas:
    return Personas.build(Registry.build())


@pytest.fixture
def scored(people, scores_cycle):
    """The ministry (the submitter's body) with a stored case and its sheets."""
    ministry = people.registry.ministry
    case = case_for(ministry)
    case["services"]["late"] = 100  # T1 = 12 − 100 / 1000 × 10000 → 0
    case["penalties"] = {"complaints": {"unreliable_facts": 3}}
    scoring_input_load_case(cycle=scores_cycle, body=ministry, case=case, actor=None,
                            reason="тест")  # fmt: skip
    score_body(cycle=scores_cycle, body=ministry)
    return ministry


def _url(name, cycle, body, **extra):
    return reverse(name, kwargs={"code": cycle.code, "pk": body.pk, **extra})


# --- A body's scores -------------------------------------------------------------------------


def test_staff_see_every_direction_with_its_explanation(client, people, scores_cycle, scored):
    client.force_login(people.submitter)
    page = client.get(_url("scores:body_scores", scores_cycle, scored)).content.decode()
    for direction in ("services", "openness", "complaints", "overall"):
        assert f'data-testid="sheet-{direction}"' in page
    assert 'data-testid="final-complaints">99.40<' in page  # 100 − 3 × 0.2
    # "why" for T1: the formula, its inputs and the seed paragraph
    assert "max(0, k − a / b × 10000)" in page
    assert "p.41" in page


def test_an_evaluator_sees_only_its_direction(client, people, scores_cycle, scored):
    client.force_login(people.assessor_other_direction)  # MIOD, openness
    page = client.get(_url("scores:body_scores", scores_cycle, scored)).content.decode()
    assert 'data-testid="sheet-openness"' in page
    assert 'data-testid="sheet-services"' not in page
    assert 'data-testid="sheet-overall"' not in page
    client.force_login(people.assessor)  # the Agency, services: also the overall row
    page = client.get(_url("scores:body_scores", scores_cycle, scored)).content.decode()
    assert 'data-testid="sheet-services"' in page and 'data-testid="sheet-overall"' in page
    assert 'data-testid="sheet-complaints"' not in page


@pytest.mark.parametrize("name", ["scores:body_scores", "scores:scoring_input", "scores:whatif"])
def test_outsiders_get_404(client, people, scores_cycle, scored, name):
    for user in (people.outsider, people.other_submitter, people.local_submitter):
        client.force_login(user)
        assert client.get(_url(name, scores_cycle, scored)).status_code == 404


def test_a_body_without_an_input_shows_an_empty_page(client, people, scores_cycle):
    client.force_login(people.head)
    response = client.get(_url("scores:body_scores", scores_cycle, people.registry.ministry))
    assert response.status_code == 200
    assert "Оценок пока нет" in response.content.decode()


# --- The stored input, its sources and versions -------------------------------------------


def test_input_page_shows_sources_versions_and_diff(client, people, scores_cycle, scored):
    from assessments.scores.services.scoring_inputs import scoring_input_set

    scoring_input_set(
        cycle=scores_cycle, body=scored, values={"complaints.handled_late": 2},
        sources={"complaints.handled_late": {"kind": "finding", "ref": "act-7",
                                             "label": "Акт сверки № 7"}},
        actor=people.admin, reason="перепроверка",
    )  # fmt: skip
    client.force_login(people.head)
    page = client.get(_url("scores:scoring_input", scores_cycle, scored)).content.decode()
    assert 'data-testid="input-version">2' in page
    assert "Акт сверки № 7" in page and "Перепроверка" in page
    assert "Администратор" in page  # the loaded case's source
    diff = page.split('data-testid="input-diff"')[1].split("</table>")[0]
    assert "complaints.handled_late" in diff and ">0<" in diff and ">2<" in diff
    v1 = client.get(_url("scores:scoring_input_version", scores_cycle, scored, version=1))
    assert v1.status_code == 200 and "прежняя" in v1.content.decode()
    assert (
        client.get(_url("scores:scoring_input_version", scores_cycle, scored,
                        version=9)).status_code
        == 404
    )


def test_evaluators_see_only_their_directions_of_the_input(client, people, scores_cycle, scored):
    client.force_login(people.committee_assessor)
    page = client.get(_url("scores:scoring_input", scores_cycle, scored)).content.decode()
    assert 'data-testid="input-complaints"' in page
    assert 'data-testid="input-services"' not in page
    assert "services.rendered" not in page


# --- The administrator's upload ------------------------------------------------------------


def test_admin_loads_a_case_and_errors_name_the_path(client, people, scores_cycle, scored):
    url = _url("scores:scoring_input_load", scores_cycle, scored)
    client.force_login(people.admin)
    case = case_for(scored)
    case["complaints"]["handled_late"] = 101
    case["complaints"]["handled"] = 100
    response = client.post(url, {"case_text": json.dumps(case), "reason": "исправление"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "complaints.handled_late" in page and "Значение больше допустимого" in page
    assert ScoringInput.objects.filter(body=scored).count() == 1
    response = client.post(url, {"case_text": "{not json", "reason": "x"})
    assert "Это не JSON" in response.content.decode()
    case["complaints"]["handled_late"] = 7
    response = client.post(url, {"case_text": json.dumps(case), "reason": "исправление"})
    assert response.status_code == 302
    latest = ScoringInput.objects.filter(body=scored).order_by("-version").first()
    assert latest.version == 2 and latest.case["complaints"]["handled_late"] == 7
    assert latest.sources[""]["kind"] == "admin"


def test_only_administrators_load_cases(client, people, scores_cycle, scored):
    for user in (people.coordinator, people.submitter, people.assessor):
        client.force_login(user)
        assert client.get(_url("scores:scoring_input_load", scores_cycle,
                               scored)).status_code == 403


# --- What-if ---------------------------------------------------------------------------------


def _counts():
    return (ScoringInput.objects.count(), ScoreSheet.objects.count(), AuditEntry.objects.count(),
            BackgroundJob.objects.count())  # fmt: skip


def test_whatif_get_starts_from_the_current_input(client, people, scores_cycle, scored):
    client.force_login(people.submitter)
    page = client.get(_url("scores:whatif", scores_cycle, scored)).content.decode()
    assert 'name="services.late" value="100"' in page
    assert 'data-testid="final-services"' in page


def test_whatif_post_recomputes_without_saving(client, people, scores_cycle, scored):
    client.force_login(people.submitter)
    url = _url("scores:whatif", scores_cycle, scored)
    data = _form_data(client, url)
    data["services.late"] = "0"
    before = _counts()
    page = client.post(url, data).content.decode()
    assert _counts() == before
    # T1 is back to its maximum: services 100 − … the perfect case gives 100.00 again
    assert 'data-testid="final-services">100.00<' in page
    assert "сейчас" in page  # compared with the stored sheet


def test_whatif_htmx_returns_the_partial(client, people, scores_cycle, scored):
    client.force_login(people.head)
    url = _url("scores:whatif", scores_cycle, scored)
    data = _form_data(client, url)
    data["complaints.handled_late"] = "1,0"  # a decimal comma is read as a point
    before = _counts()
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert page.startswith('<div id="whatif"')
    assert 'data-testid="final-complaints">' in page
    assert _counts() == before


def test_whatif_shows_the_engine_error_next_to_the_field(client, people, scores_cycle, scored):
    client.force_login(people.submitter)
    url = _url("scores:whatif", scores_cycle, scored)
    data = _form_data(client, url)
    data["services.late"] = "5000"  # more than rendered (1000)
    before = _counts()
    page = client.post(url, data).content.decode()
    assert _counts() == before
    assert 'data-testid="whatif-error-path">services.late<' in page
    field_row = page.split('id="f-services-late"')[1].split("</tr>")[0]
    assert 'data-testid="field-error"' in field_row and "Значение больше допустимого" in field_row
    assert 'name="services.late" value="5000"' in page  # what was typed stays in the field


def test_whatif_for_an_evaluator_edits_only_its_direction(client, people, scores_cycle, scored):
    client.force_login(people.committee_assessor)
    page = client.get(_url("scores:whatif", scores_cycle, scored)).content.decode()
    assert 'name="complaints.handled"' in page
    assert 'name="services.rendered"' not in page
    assert 'data-testid="sheet-overall"' not in page


def _form_data(client, url) -> dict:
    """The what-if form's fields as the GET page fills them."""
    import re

    page = client.get(url).content.decode()
    data = {}
    for name, value in re.findall(r'<input type="text"[^>]*name="([^"]+)" value="([^"]*)"', page):
        data[name] = value.replace("&quot;", '"')
    for name in re.findall(r'<input type="checkbox"[^>]*name="([^"]+)" value="1" checked', page):
        data[name] = "1"
    return data


# --- The cycle's scores, the recompute and its progress -------------------------------------


def test_recompute_button_starts_a_job_and_shows_progress(
    client, people, scores_cycle, scored, tasks_inline, django_capture_on_commit_callbacks
):
    client.force_login(people.coordinator)
    assert client.get(reverse("scores:cycle_recompute",
                              args=[scores_cycle.code])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scores:cycle_recompute", args=[scores_cycle.code]),
                               {"reason": "после импорта"})  # fmt: skip
    job = BackgroundJob.objects.get(kind="recompute_cycle")  # every queued task is a job row
    assert response.status_code == 302 and response["Location"] == reverse(
        "scores:job_detail", args=[job.pk]
    )
    assert job.state == "done" and job.total == 1 and job.done == 1
    partial = client.get(reverse("scores:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "<html" not in text and 'data-testid="job-state"' in text and "hx-get" not in text
    assert AuditEntry.objects.filter(action="recompute_cycle", reason="после импорта").exists()


def test_a_running_job_polls_itself(client, people, scores_cycle):
    from assessments.kernel.jobs import job_create, job_start

    job = job_create(kind="recompute_cycle", label="x", subject=scores_cycle,
                     actor=people.coordinator)  # fmt: skip
    job_start(job.pk, total=10)
    client.force_login(people.coordinator)
    text = client.get(reverse("scores:job_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in text and 'value="0"' in text
    client.force_login(people.submitter)
    assert client.get(reverse("scores:job_detail", args=[job.pk])).status_code == 404


def test_recompute_is_refused_to_others(client, people, scores_cycle):
    for user in (people.submitter, people.assessor, people.unit_head):
        client.force_login(user)
        assert client.post(reverse("scores:cycle_recompute",
                                   args=[scores_cycle.code])).status_code == 403
    assert not BackgroundJob.objects.exists()


def _bodies_with_sheets(cycle, n):
    for i in range(n):
        body = OrganisationFactory(name_ru=f"Орган {i:03d}")
        scoring_input_load_case(cycle=cycle, body=body, case=case_for(body), actor=None,
                                reason="")  # fmt: skip
        score_body(cycle=cycle, body=body)


@pytest.mark.parametrize("who", ["admin", "assessor"])
def test_cycle_scores_query_count_does_not_grow(
    client, people, scores_cycle, django_assert_num_queries, who
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = getattr(people, who)
    client.force_login(user)
    url = reverse("scores:cycle_scores", args=[scores_cycle.code])
    counts = []
    for n in (3, 12):
        _bodies_with_sheets(scores_cycle, n if not counts else n - 3)
        client.get(url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        rows = response.content.decode().count('data-testid="scores-row"')
        assert rows == n
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url)


def test_cycle_scores_lists_what_each_may_see(client, people, scores_cycle, scored):
    client.force_login(people.assessor_other_direction)
    page = client.get(reverse("scores:cycle_scores", args=[scores_cycle.code])).content.decode()
    row = page.split('data-testid="scores-row"')[1].split("</tr>")[0]
    assert scored.name_ru in row
    # MIOD sees the openness column only: services, complaints and the overall show a dash
    assert row.count("—") >= 3
    client.force_login(people.outsider)
    page = client.get(reverse("scores:cycle_scores", args=[scores_cycle.code])).content.decode()
    assert 'data-testid="scores-row"' not in page
