"""Confirming an import: the page queues the apply (state APPLYING, who and when recorded) and
polls until it is applied or failed; a failed apply leaves the batch failed with its reason and
nothing applied; a second confirmation is refused. Reasons (row errors, a failure) are shown in
the reader's language. Staged rows of batches left unapplied expire; a cancelled batch's go."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.kernel.errors import DomainError
from assessments.models import (
    AuditEntry,
    BackgroundJob,
    ImportBatch,
    ImportRecord,
    ImportStagingRow,
)
from assessments.submission import tasks
from assessments.submission.imports import pipeline
from tests.worlds.samples import MONITORING_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


def _validated(actor, cycle, rows, capture, name="m.csv"):
    with capture(execute=True):
        batch = pipeline.import_upload(actor=actor, cycle=cycle, kind="monitoring",
                                       upload=io.BytesIO(csv_bytes(rows)), original_name=name)
    return ImportBatch.objects.get(pk=batch.pk)


@pytest.fixture
def rows(assigned):
    mf = assigned.registry.ministry.bin
    return [MONITORING_HEADER, [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0],
            [mf, "00101001", "2025-03-15", 100, 0, 0, 0, 0]]


@pytest.fixture
def queued(monkeypatch):
    """The apply tasks queued (not run)."""
    calls = []
    monkeypatch.setattr(tasks.import_apply, "apply_async",
                        lambda args=(), kwargs=None, **options: calls.append(tuple(args)))
    return calls


def _status(html: str) -> str:
    match = re.search(r'<div id="import-status"[^>]*>', html)
    assert match, html[:500]
    return match.group(0)


def test_confirm_queues_the_apply_and_the_page_polls_until_applied(
        clock, assigned, cycle, services_register, rows, client, queued,
        django_capture_on_commit_callbacks):
    actor = assigned.assessor
    batch = _validated(actor, cycle, rows, django_capture_on_commit_callbacks)
    client.force_login(actor)
    url = reverse("submission:import_detail", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"action": "apply"})
    assert response.status_code == 302
    assert len(callbacks) == 1 and queued == [(batch.pk, actor.pk)]  # queued, not applied
    batch.refresh_from_db()
    assert batch.state == "applying" and batch.applied_by == actor
    assert batch.confirmed_at == clock.now() and batch.applied_at is None
    assert not ImportRecord.objects.exists()
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == 2
    confirm = AuditEntry.objects.get(action="import:confirm", object_id=batch.pk)
    assert confirm.actor == actor and confirm.at == clock.now()

    page = client.get(url).content.decode()
    assert "Импорт подтверждён и применяется" in page
    poll = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in poll and 'hx-trigger="every 1s"' in _status(poll)
    assert 'data-testid="import-state">Применяется<' in poll
    assert 'data-testid="apply-progress"' in poll
    assert re.search(r'data-testid="import-confirmed">Подтвердил: [^<]*19\.03\.2026', poll)
    assert 'data-testid="apply-import"' not in poll  # no second button while it runs

    clock.advance(minutes=1)
    assert tasks.import_apply(batch.pk, actor.pk) == {"state": "applied", "created": 2,
                                                      "updated": 0}
    final = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in _status(final) and "<progress" not in final
    assert 'data-testid="import-state">Применён<' in final
    assert re.search(r'data-testid="rows-applied">2 / 0<', final)
    assert ImportRecord.objects.count() == 2
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_in_process_celery_applies_within_the_confirming_request(
        clock, assigned, cycle, services_register, rows, client):
    """The embedded default (Celery eager), real commits: the same path, the apply runs as the
    confirmation commits, within the request; the page shows the result."""
    actor = assigned.assessor
    batch = pipeline.import_upload(actor=actor, cycle=cycle, kind="monitoring",
                                   upload=io.BytesIO(csv_bytes(rows)), original_name="m.csv")
    assert ImportBatch.objects.get(pk=batch.pk).state == "validated"
    client.force_login(actor)
    page = client.post(reverse("submission:import_detail", args=[batch.pk]), {"action": "apply"},
                       follow=True).content.decode()
    assert "Импорт применён: добавлено 2, обновлено 0." in page
    assert 'data-testid="import-state">Применён<' in page
    assert ImportRecord.objects.count() == 2


def test_double_confirm_is_refused(clock, assigned, cycle, services_register, rows, client,
                                   queued, django_capture_on_commit_callbacks):
    actor = assigned.assessor
    batch = _validated(actor, cycle, rows, django_capture_on_commit_callbacks)
    client.force_login(actor)
    url = reverse("submission:import_detail", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "apply"})
        page = client.post(url, {"action": "apply"}, follow=True).content.decode()
    assert len(queued) == 1  # one apply only
    assert "Импорт уже подтверждён" in page and "повторно он не применяется" in page
    with pytest.raises(DomainError) as again:
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)
    assert again.value.code == "confirmed"
    tasks.import_apply(batch.pk, actor.pk)
    tasks.import_apply(batch.pk, actor.pk)  # a redelivered task changes nothing
    batch.refresh_from_db()
    assert (batch.state, batch.rows_created) == ("applied", 2)
    assert ImportRecord.objects.count() == 2
    with pytest.raises(DomainError) as applied:
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)
    assert applied.value.code == "confirmed"


def test_a_failing_apply_leaves_the_batch_failed_with_its_reason_and_nothing_applied(
        clock, assigned, cycle, services_register, rows, client, queued, monkeypatch,
        django_capture_on_commit_callbacks):
    actor = assigned.assessor
    batch = _validated(actor, cycle, rows, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)
    written = pipeline._apply_orm if not pipeline._pg() else pipeline._apply_pg

    def breaks_after_writing(batch):
        written(batch)  # the rows are written, then the apply fails: all rolled back
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_apply_orm", breaks_after_writing)
    monkeypatch.setattr(pipeline, "_apply_pg", breaks_after_writing)
    assert tasks.import_apply(batch.pk, actor.pk)["state"] == "failed"  # recorded, not raised
    batch.refresh_from_db()
    assert batch.state == "failed" and batch.reason == {"code": "internal"}
    assert "disk full" in batch.message and batch.applied_at is None
    assert not ImportRecord.objects.exists()
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()
    assert AuditEntry.objects.filter(action="import:apply_failed", object_id=batch.pk).exists()

    client.force_login(actor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    poll = client.get(reverse("submission:import_detail", args=[batch.pk]),
                      HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in _status(poll)
    assert 'data-testid="import-state">Failed<' in poll
    assert 'data-testid="import-reason"' in poll and "disk full" not in poll


def test_two_confirmations_of_one_file_the_second_fails_as_a_duplicate_in_any_language(
        clock, assigned, cycle, services_register, rows, client, queued,
        django_capture_on_commit_callbacks):
    """The same file uploaded twice and both confirmed before either is applied: the second
    apply is refused (applied once), the batch failed with the reason, shown translated."""
    actor = assigned.assessor
    first = _validated(actor, cycle, rows, django_capture_on_commit_callbacks)
    second = _validated(actor, cycle, rows, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.import_confirm(batch_id=first.pk, actor=actor)
        pipeline.import_confirm(batch_id=second.pk, actor=actor)
    tasks.import_apply(first.pk, actor.pk)
    tasks.import_apply(second.pk, actor.pk)
    second.refresh_from_db()
    assert second.state == "failed" and second.reason["code"] == "duplicate"
    assert ImportRecord.objects.count() == 2 and set(
        ImportRecord.objects.values_list("batch_id", flat=True)) == {first.pk}
    client.force_login(actor)
    url = reverse("submission:import_detail", args=[second.pk])
    for language, state, reason in (
            ("ru", "Ошибка", "Этот файл уже импортирован; повторно он не применяется."),
            ("kk", "Қате", "Бұл файл импортталған; ол қайта қолданылмайды."),
            ("en", "Failed", "This file has already been imported; it is not applied again.")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(url).content.decode()
        assert f'data-testid="import-state">{state}<' in page
        assert f'data-testid="import-reason">{reason}<' in page


def test_row_errors_are_shown_in_the_readers_language(
        clock, assigned, cycle, services_register, client, django_capture_on_commit_callbacks):
    """Validated by a worker in Russian (the default), stored as codes: read in Kazakh and in
    English, the reasons are in Kazakh and in English."""
    rows = [MONITORING_HEADER, ["990240099999", "00101001", "2025-03-14", 1, 0, 0, 0, 0],
            [assigned.registry.ministry.bin, "00101001", "2024-12-31", 1, 0, 0, 0, 0]]
    batch = _validated(assigned.assessor, cycle, rows, django_capture_on_commit_callbacks)
    assert [e["code"] for e in batch.errors] == ["bin_unknown", "date_period"]
    client.force_login(assigned.assessor)
    url = reverse("submission:import_detail", args=[batch.pk])
    for language, texts in (
            ("kk", ["БСН 990240099999 орган тізілімде жоқ", "күн есептік кезеңнен тыс (2025 жыл)"]),
            ("en", ["no body with BIN 990240099999 in the register",
                    "the date is outside the reporting period (2025)"]),
            ("ru", ["органа с БИН 990240099999 нет в реестре",
                    "дата вне отчётного периода (2025 год)"])):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        table = client.get(url).content.decode().split('data-testid="import-errors"')[1]
        for text in texts:
            assert f"<td>{text}</td>" in table, (language, text)


def test_stale_staging_expires_once_and_spares_the_others(
        clock, assigned, cycle, services_register, rows, queued,
        django_capture_on_commit_callbacks):
    actor = assigned.assessor
    mf = assigned.registry.ministry.bin
    capture = django_capture_on_commit_callbacks
    stale = _validated(actor, cycle, rows, capture)
    applying = _validated(actor, cycle, [MONITORING_HEADER,
                                         [mf, "00101001", "2025-04-01", 1, 0, 0, 0, 0]], capture)
    with capture(execute=True):
        pipeline.import_confirm(batch_id=applying.pk, actor=actor)
    failed = _validated(actor, cycle, [MONITORING_HEADER,
                                       [mf, "00101001", "2025-04-02", 1, 0, 0, 0, 0]], capture)
    ImportBatch.objects.filter(pk=failed.pk).update(state="failed")  # its rows left behind
    # confirmed before the jobs' leases: no apply job is left to resume it
    BackgroundJob.objects.filter(kind="import_apply").delete()
    clock.advance(days=2, hours=1)
    fresh = _validated(actor, cycle, [MONITORING_HEADER,
                                      [mf, "00101001", "2025-04-03", 1, 0, 0, 0, 0]], capture)

    with capture(execute=True):
        result = tasks.import_staging_expire()
    assert result == {"expired": [stale.pk], "staged_rows_deleted": 3,  # 2 + the failed one's
                      "requeued": [applying.pk]}  # confirmed two days ago, still applying
    assert queued == [(applying.pk, actor.pk)] * 2  # its apply queued again
    stale.refresh_from_db()
    assert stale.state == "discarded" and stale.reason == {"code": "expired",
                                                           "params": {"days": 2}}
    entry = AuditEntry.objects.get(action="import:expire", object_id=stale.pk)
    assert entry.actor is None and entry.at == clock.now()
    assert set(ImportStagingRow.objects.values_list("batch_id", flat=True)) == {
        applying.pk, fresh.pk}
    assert ImportBatch.objects.get(pk=fresh.pk).state == "validated"
    tasks.import_apply(applying.pk, actor.pk)
    assert tasks.import_staging_expire() == {"expired": [], "staged_rows_deleted": 0,
                                             "requeued": []}
    with pytest.raises(DomainError):  # an expired batch is not applied
        pipeline.import_confirm(batch_id=stale.pk, actor=actor)


def test_cancelling_a_batch_deletes_its_staged_rows(
        clock, assigned, cycle, services_register, rows, client,
        django_capture_on_commit_callbacks):
    batch = _validated(assigned.assessor, cycle, rows, django_capture_on_commit_callbacks)
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == 2
    client.force_login(assigned.assessor)
    page = client.post(reverse("submission:import_detail", args=[batch.pk]), {"action": "discard"},
                       follow=True).content.decode()
    assert "Импорт отменён." in page and 'data-testid="import-state">Отменён<' in page
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()
    assert AuditEntry.objects.filter(action="import:discard", object_id=batch.pk).exists()


@pytest.mark.postgres
def test_staged_rows_lost_before_the_confirmed_apply_check_the_file_again(
        clock, assigned, cycle, services_register, rows, queued,
        django_capture_on_commit_callbacks):
    """The unlogged staging table emptied (a crash) between the confirmation and the task:
    nothing is applied, the file is validated again and waits for a new confirmation."""
    actor = assigned.assessor
    batch = _validated(actor, cycle, rows, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)
    ImportStagingRow.objects.filter(batch_id=batch.pk, line=3).delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.import_apply(batch.pk, actor.pk)["state"] == "uploaded"
    assert len(callbacks) == 1  # the validation queued (and run in-process)
    batch.refresh_from_db()
    assert (batch.state, batch.rows_valid) == ("validated", 2) and not ImportRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)
    assert tasks.import_apply(batch.pk, actor.pk) == {"state": "applied", "created": 2,
                                                      "updated": 0}
