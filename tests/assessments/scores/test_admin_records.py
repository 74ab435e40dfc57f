"""The read-only admin of the scores' records (scoring inputs, score sheets, background jobs):
listed and shown to the superuser, never added, changed or deleted there (every change goes
through a service). Re-verification's records have their own test beside re-verification's;
tests/assessments/kernel/test_admin.py checks every record admin is the kernel's read-only one."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import BackgroundJob, ScoringInput
from tests.worlds.factories import CycleFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

RECORDS = ["scoringinput", "scoresheet", "backgroundjob"]


@pytest.mark.parametrize("model", RECORDS)
def test_each_record_is_listed_read_only(client, root, model):
    response = client.get(reverse(f"admin:assessments_{model}_changelist"))
    assert response.status_code == 200
    assert client.get(reverse(f"admin:assessments_{model}_add")).status_code == 403


def test_a_scoring_input_is_shown_but_cannot_be_changed_or_deleted(client, root):
    body = OrganisationFactory()
    si = ScoringInput.objects.create(
        cycle=CycleFactory(), body=body, version=1, case={"body": {"kind": "central"}},
        reason="import", created_at=timezone.now(),
    )
    listing = client.get(reverse("admin:assessments_scoringinput_changelist"))
    assert body.name_ru in listing.content.decode()
    change = reverse("admin:assessments_scoringinput_change", args=[si.pk])
    shown = client.get(change)
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()  # view only
    client.post(change, {"version": 9, "reason": "edited"})
    si.refresh_from_db()
    assert (si.version, si.reason) == (1, "import")
    delete = reverse("admin:assessments_scoringinput_delete", args=[si.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ScoringInput.objects.filter(pk=si.pk).exists()


def test_a_background_job_shows_its_progress(client, root):
    BackgroundJob.objects.create(kind="recompute", label="Пересчёт 2025", state="running",
                                 total=10, done=4, created_at=timezone.now())
    html = client.get(reverse("admin:assessments_backgroundjob_changelist")).content.decode()
    assert "Пересчёт 2025" in html
