"""An import batch's state is a protected django-fsm field: only its transitions change it, each
on the locked row with who (the user; none for the worker and the clock) and why, logged by
django-fsm-log and shown in the batch's history on its page."""

import io

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from assessments.models import ImportBatch, ImportRecord
from assessments.submission import tasks
from assessments.submission.imports import pipeline
from assessments.submission.imports.reasons import REASONS
from tests.worlds.samples import MONITORING_HEADER, csv_bytes

pytestmark = pytest.mark.django_db

N = pipeline.NOTES


def _upload(actor, cycle, content: bytes, capture, name="m.csv"):
    with capture(execute=True):
        batch = pipeline.import_upload(actor=actor, cycle=cycle, kind="monitoring",
                                       upload=io.BytesIO(content), original_name=name)
    return ImportBatch.objects.get(pk=batch.pk)


@pytest.fixture
def rows(assigned):
    mf = assigned.registry.ministry.bin
    return [MONITORING_HEADER, [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0],
            [mf, "00101001", "2025-03-15", 100, 0, 0, 0, 0]]


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.import_apply, "apply_async",
                        lambda args=(), kwargs=None, **options: calls.append(tuple(args)))
    return calls


def _log(batch) -> list[tuple]:
    return [(log.transition, log.source_state, log.state, log.by, log.description)
            for log in StateLog.objects.for_(batch).order_by("timestamp", "pk")]


def test_the_state_is_not_assigned_directly(clock, assigned, cycle, services_register, rows,
                                            django_capture_on_commit_callbacks):
    batch = _upload(assigned.assessor, cycle, csv_bytes(rows), django_capture_on_commit_callbacks)
    assert batch.state == "validated"
    with pytest.raises(AttributeError):
        batch.state = ImportBatch.State.APPLIED
    batch.refresh_from_db()  # reading it again is allowed (FSMModelMixin)
    assert batch.state == "validated"


def test_upload_validate_confirm_apply_each_log_who_and_why(
        clock, assigned, cycle, services_register, rows, client, queued,
        django_capture_on_commit_callbacks):
    actor = assigned.assessor
    batch = _upload(actor, cycle, csv_bytes(rows), django_capture_on_commit_callbacks)
    client.force_login(actor)
    url = reverse("submission:import_detail", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "apply"})
    assert queued == [(batch.pk, actor.pk)]
    clock.advance(minutes=5)
    tasks.import_apply(batch.pk, actor.pk)
    batch.refresh_from_db()
    assert batch.state == "applied" and ImportRecord.objects.count() == 2
    assert _log(batch) == [
        ("start_validation", "uploaded", "validating", None, str(N["validate"])),
        ("finish_validation", "validating", "validated", None, str(N["validated"])),
        ("confirm", "validated", "applying", actor, str(N["confirm"])),
        ("apply", "applying", "applied", actor, str(N["apply"])),
    ]
    logs = list(StateLog.objects.for_(batch).order_by("timestamp", "pk"))
    assert logs[-1].timestamp == clock.now()  # the application clock's time

    page = client.get(url).content.decode()
    history = page.split('data-testid="history"')[1]
    assert "Импорт подтверждён; применение поставлено в очередь" in history
    assert "Строки файла применены одной транзакцией" in history
    assert str(actor) in history and "система" in history  # the user, and the worker


def test_a_file_with_row_errors_is_validated_with_that_said(
        clock, assigned, cycle, services_register, rows, django_capture_on_commit_callbacks):
    bad = rows + [["990240099999", "00101001", "2025-03-16", 1, 0, 0, 0, 0]]
    batch = _upload(assigned.assessor, cycle, csv_bytes(bad), django_capture_on_commit_callbacks)
    assert batch.rows_invalid == 1
    assert _log(batch)[-1] == ("finish_validation", "validating", "validated", None,
                               str(N["validated_errors"]))


def test_an_unreadable_file_fails_its_validation_with_the_reason(
        clock, assigned, cycle, services_register, rows, django_capture_on_commit_callbacks):
    mf = assigned.registry.ministry.bin
    many = rows + [[mf, "00101001", f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}", 5, 0, 0, 0, 0]
                   for i in range(200)]  # the bad bytes come after the head read at upload
    content = csv_bytes(many) + b"\xff\xfe\xfa not utf-8\n"
    batch = _upload(assigned.assessor, cycle, content, django_capture_on_commit_callbacks)
    assert batch.state == "failed" and batch.reason == {"code": "encoding"}
    assert _log(batch) == [
        ("start_validation", "uploaded", "validating", None, str(N["validate"])),
        ("fail_validation", "validating", "failed", None, str(REASONS["encoding"])),
    ]


def test_a_failing_apply_is_logged_failed_by_the_worker(
        clock, assigned, cycle, services_register, rows, queued, monkeypatch,
        django_capture_on_commit_callbacks):
    actor = assigned.assessor
    batch = _upload(actor, cycle, csv_bytes(rows), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)

    def breaks(batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_apply_orm", breaks)
    monkeypatch.setattr(pipeline, "_apply_pg", breaks)
    assert tasks.import_apply(batch.pk, actor.pk)["state"] == "failed"
    assert _log(batch)[-2:] == [
        ("confirm", "validated", "applying", actor, str(N["confirm"])),
        ("fail_apply", "applying", "failed", None, str(REASONS["internal"])),
    ]


def test_lost_staged_rows_send_the_batch_back_to_validation_with_a_log_row(
        clock, assigned, cycle, services_register, rows, queued, monkeypatch,
        django_capture_on_commit_callbacks):
    actor = assigned.assessor
    batch = _upload(actor, cycle, csv_bytes(rows), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.import_confirm(batch_id=batch.pk, actor=actor)

    def lost(batch):  # what the apply finds after a crash emptied the unlogged staging table
        raise pipeline._refusal("restage")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "_apply_orm", lost)
        patch.setattr(pipeline, "_apply_pg", lost)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.import_apply(batch.pk, actor.pk)  # nothing applied; validated again
    batch.refresh_from_db()
    assert batch.state == "validated" and not ImportRecord.objects.exists()
    assert [entry[:4] for entry in _log(batch)[2:]] == [
        ("confirm", "validated", "applying", actor),
        ("restage", "applying", "uploaded", None),
        ("start_validation", "uploaded", "validating", None),
        ("finish_validation", "validating", "validated", None),
    ]
    assert _log(batch)[3][4] == str(REASONS["restage"])


def test_discard_by_the_user_and_expiry_by_the_clock_are_logged(
        clock, assigned, cycle, services_register, rows, client,
        django_capture_on_commit_callbacks):
    actor = assigned.assessor
    mf = assigned.registry.ministry.bin
    capture = django_capture_on_commit_callbacks
    cancelled = _upload(actor, cycle, csv_bytes(rows), capture)
    client.force_login(actor)
    client.post(reverse("submission:import_detail", args=[cancelled.pk]), {"action": "discard"})
    client.post(reverse("submission:import_detail", args=[cancelled.pk]),
                {"action": "discard"})  # twice
    assert _log(cancelled)[2:] == [
        ("discard", "validated", "discarded", actor, str(N["discard"]))]

    left = _upload(actor, cycle, csv_bytes([MONITORING_HEADER,
                                            [mf, "00101001", "2025-04-01", 1, 0, 0, 0, 0]]),
                   capture)
    clock.advance(days=2, hours=1)
    with capture(execute=True):
        assert tasks.import_staging_expire()["expired"] == [left.pk]
    assert _log(left)[2:] == [("expire", "validated", "discarded", None, str(N["expire"]))]
    assert StateLog.objects.for_(left).latest("pk").timestamp == clock.now()
