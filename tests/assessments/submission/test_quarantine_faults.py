"""A document's check that fails for good never leaves it "Проверяется" (issue 16): a checker
process killed (a real SIGKILL of the capped subprocess) refuses the file with its reason, and a
check whose job is lost past its last attempt (the real sweep on the state a killed worker leaves)
leaves it *failed* with its reason — the uploader told, the document removable and uploaded
again."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.kernel import leases
from assessments.models import BackgroundJob, Evidence, Notification, RefusedUpload
from assessments.submission.services.evidence import evidence_check, evidence_upload
from assessments.submission.services.reports import report_get_or_create
from tests.worlds.samples import pdf_bytes

pytestmark = pytest.mark.django_db


def _checker_children() -> list[int]:
    """This process's children running the upload checker."""
    found = []
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        try:
            with open(f"/proc/{os.getpid()}/task/{task}/children") as handle:
                pids = [int(p) for p in handle.read().split()]
        except OSError:
            continue
        for pid in pids:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    if b"upload_checks.py" in handle.read():
                        found.append(pid)
            except OSError:
                continue
    return found


def _kill_the_checker(killed: list, stop: threading.Event) -> None:
    deadline = time.monotonic() + 120
    while not stop.is_set() and time.monotonic() < deadline:
        for pid in _checker_children():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            return
        time.sleep(0.002)


def _upload(assigned, report, capture, text="Протокол публичного обсуждения", **kwargs):
    with capture(execute=False):
        return evidence_upload(actor=assigned.submitter, report=report, section_key="complaints",
                               indicator="court_decisions", title="Протокол",
                               upload=pdf_bytes(text), original_name="protocol.pdf",
                               classification="open", **kwargs)


def test_a_killed_checker_refuses_the_file_with_its_reason_and_tells_the_uploader(
        assigned, cycle, schedule, client, django_capture_on_commit_callbacks):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    evidence = _upload(assigned, report, django_capture_on_commit_callbacks)
    killed: list[int] = []
    stop = threading.Event()
    killer = threading.Thread(target=_kill_the_checker, args=(killed, stop), daemon=True)
    killer.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert evidence_check(evidence_id=evidence.pk) is None  # refused, deleted
    finally:
        stop.set()
        killer.join(timeout=10)
    assert killed, "the checker process was not seen"
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    refused = RefusedUpload.objects.get()
    assert (refused.code, refused.hostile, refused.subject_id) == ("killed", True, report.pk)
    assert "Процесс проверки файла был остановлен" in refused.reason_text
    assert Notification.objects.filter(user=assigned.submitter,
                                       text__contains="не принят").exists()
    client.force_login(assigned.submitter)
    page = client.get(reverse("submission:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="refused-upload"' in page and "Процесс проверки файла" in page
    with django_capture_on_commit_callbacks(execute=True):  # the same file again: accepted
        again = evidence_upload(actor=assigned.submitter, report=report,
                                section_key="complaints", indicator="court_decisions",
                                title="Протокол", upload=pdf_bytes("Протокол публичного "
                                                                   "обсуждения"),
                                original_name="protocol.pdf", classification="open")
    again.refresh_from_db()
    assert again.check_state == "accepted"


def _lost_worker(job, *, attempts: int) -> None:
    """What a worker killed mid-job leaves: the job running, its heartbeat old."""
    BackgroundJob.objects.filter(pk=job.pk).update(
        state="running", lease_owner="dead", attempts=attempts,
        heartbeat_at=timezone.now() - timedelta(seconds=leases.lease_seconds() + 5))


def test_a_check_lost_past_its_last_attempt_leaves_the_file_failed_visible_and_removable(
        personas, cycle2025, client, tasks_in_process, django_capture_on_commit_callbacks):
    """A document answering a re-verification request whose check's job is lost on its last
    attempt: failed with the reason (never "Проверяется" for good), its uploader told, the
    request still open; the uploader removes it and sends it again, which answers the request.
    (A report's evidence is refused instead — ``probe`` — by ``evidence_check_abandoned``.)"""
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment, ConfirmingDocument, DocumentRequest
    from assessments.reverification.services import (
        confirming_document_upload,
        document_request_create,
        reverification_select,
    )
    from tests.worlds.reverification import upload

    r = personas.registry
    AssessorAssignment.objects.create(cycle=cycle2025, body=r.ministry, direction="services",
                                      assessor=personas.assessor, assigned_at=clock.now())
    rv = reverification_select(actor=personas.assessor, cycle=cycle2025, body=r.ministry,
                               direction="services", evaluator=r.agency)
    request = document_request_create(actor=personas.assessor, reverification=rv,
                                      document_kind="letter", title="Письма",
                                      classification="open")
    with django_capture_on_commit_callbacks(execute=False):  # the check never runs
        document = confirming_document_upload(actor=personas.submitter, request=request,
                                              upload=upload(pdf_bytes("Письмо № 5")),
                                              original_name="letter.pdf",
                                              classification="open")
    job = BackgroundJob.objects.get(kind="confirming_check", object_id=document.pk)
    _lost_worker(job, attempts=3)  # its worker killed on the last attempt
    with django_capture_on_commit_callbacks(execute=True):
        assert leases.jobs_sweep()["failed"] == [job.pk]
    document.refresh_from_db()
    assert document.check_state == "failed" and document.check_reason == {
        "code": "lease_lapsed_final", "params": {"attempts": 3}}
    assert "пропадал 3 раз(а)" in document.check_reason_text
    assert Notification.objects.filter(user=personas.submitter,
                                       text__contains="не завершена").exists()
    assert DocumentRequest.objects.get(pk=request.pk).state == "open"
    url = reverse("reverification:reverification_detail", args=[rv.pk])
    client.force_login(personas.submitter)
    page = client.get(url).content.decode()
    assert 'data-testid="document-failed-reason"' in page and "пропадал 3 раз(а)" in page
    remove = reverse("submission:document_remove", args=["confirming", document.pk])
    assert remove in page
    client.force_login(personas.assessor)  # never accepted: nobody else sees it
    assert client.get(remove).status_code == 404
    client.force_login(personas.submitter)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not ConfirmingDocument.objects.filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = confirming_document_upload(actor=personas.submitter, request=request,
                                           upload=upload(pdf_bytes("Письмо № 5")),
                                           original_name="letter.pdf", classification="open")
    again.refresh_from_db()
    assert again.check_state == "accepted"
    assert DocumentRequest.objects.get(pk=request.pk).state == "answered"
