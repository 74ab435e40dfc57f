"""An import's page polls its own progress with htmx while the file is processed and stops
once it is done; the polled endpoint (the same URL with ``HX-Request``) answers the progress bar
alone with the current percentage."""

import re

import pytest
from django.urls import reverse

from assessments.kernel import clock as app_clock
from assessments.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(assigned, cycle):
    return ImportBatch.objects.create(
        kind="monitoring", cycle=cycle, file="imports/monitoring/x.csv",
        original_name="monitoring-2025.csv", file_format="csv", size=1000, sha256="a" * 64,
        state=ImportBatch.State.VALIDATING, created_by=assigned.assessor,
        created_at=app_clock.now())


def _status(html: str) -> str:
    match = re.search(r'<div id="import-status"[^>]*>', html)
    assert match, html[:500]
    return match.group(0)


def test_running_import_polls_and_reports_progress_until_done(clock, assigned, batch, client):
    client.force_login(assigned.assessor)
    url = reverse("submission:import_detail", args=[batch.pk])
    ImportBatch.objects.filter(pk=batch.pk).update(bytes_done=370)
    page = client.get(url).content.decode()
    tag = _status(page)
    assert f'hx-get="{url}"' in tag and 'hx-trigger="every 1s"' in tag
    assert 'hx-swap="outerHTML"' in tag
    assert "<html" in page and 'value="37"' in page
    assert "js/htmx.min.js" in page  # the page loads htmx, which does the polling

    # the poll: the fragment only, with the progress as it is now
    ImportBatch.objects.filter(pk=batch.pk).update(bytes_done=820)
    poll = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in poll
    assert 'hx-trigger="every 1s"' in _status(poll)
    assert 'value="82"' in poll and "82%" in poll
    assert 'data-testid="import-state">Проверяется<' in poll

    # applying is still running: the page keeps polling
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.VALIDATED, rows_total=12, rows_valid=12)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.APPLYING)
    assert "hx-get" in _status(client.get(url, HTTP_HX_REQUEST="true").content.decode())

    # done: the last poll shows the final state and counts, and no longer polls
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.APPLIED, rows_created=10, rows_updated=2,
        applied_by=assigned.assessor, applied_at=app_clock.now())
    final = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    tag = _status(final)
    assert "hx-get" not in tag and "hx-trigger" not in tag
    assert 'data-testid="import-state">Применён<' in final
    assert re.search(r'data-testid="rows-applied">10 / 2<', final)
    assert "<progress" not in final
    assert "hx-get" not in _status(client.get(url).content.decode())


def test_failed_import_stops_polling_and_says_why(clock, assigned, batch, client):
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.FAILED, message="Файл не читается как CSV.")
    client.force_login(assigned.assessor)
    poll = client.get(reverse("submission:import_detail", args=[batch.pk]),
                      HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in _status(poll)
    assert 'data-testid="import-state">Ошибка<' in poll and "Файл не читается как CSV." in poll


def test_progress_is_visible_only_to_who_may_see_the_import(clock, assigned, batch, client):
    client.force_login(assigned.submitter)
    response = client.get(reverse("submission:import_detail", args=[batch.pk]),
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 404
