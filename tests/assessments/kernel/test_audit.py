"""The audit trail: one writer, rows never edited or deleted, histories merging state logs."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from assessments.kernel.audit import audit_record, changes_between, object_history, snapshot
from assessments.models import AuditEntry, Region
from assessments.models.audit import AuditImmutable

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_who_when_what_and_why(personas, clock):
    org = personas.registry.ministry
    entry = audit_record(
        actor=personas.admin, obj=org, action="update",
        changes={"active_to": (None, date(2024, 1, 1)), "region": (None, org.region)},
        reason="merger decree",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == personas.admin and stored.at == clock.now()
    assert stored.subject == org and stored.object_repr == str(org)
    assert stored.changes == {"active_to": [None, "2024-01-01"], "region": [None, None]}
    assert stored.reason == "merger decree"


def test_entries_are_never_edited_or_deleted(personas):
    entry = audit_record(actor=None, obj=personas.registry.ministry, action="create")
    entry.reason = "rewritten"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_snapshot_and_changes_between_report_only_what_changed(personas):
    org = personas.registry.ministry
    before = snapshot(org, ["name_ru", "is_evaluated"])
    org.is_evaluated = False
    assert changes_between(before, org, ["name_ru", "is_evaluated"]) == {
        "is_evaluated": (True, False)
    }


def test_object_history_merges_audit_rows_and_state_transitions(personas, clock):
    org = personas.registry.ministry
    audit_record(actor=personas.admin, obj=org, action="update", reason="first")
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(org), object_id=org.pk,
        source_state="draft", state="submitted", transition="submit", by=personas.submitter,
        description="on time", timestamp=clock.now() + timedelta(minutes=5),
    )
    history = object_history(org)
    assert [(row.kind, row.action) for row in history] == [("state", "submit"),
                                                           ("audit", "update")]
    assert history[0].changes == [("state", "draft", "submitted")]
    assert history[0].actor == personas.submitter and history[0].reason == "on time"


def test_the_admin_shows_the_trail_read_only(personas, client):
    entry = audit_record(actor=None, obj=personas.registry.ministry, action="create")
    client.force_login(personas.admin)
    assert client.get("/admin/assessments/auditentry/").status_code == 200
    page = client.get(f"/admin/assessments/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(f"/admin/assessments/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/django_fsm_log/statelog/").status_code == 200


def test_admin_edits_of_reference_data_are_audited_with_their_reason(personas, client):
    region = personas.registry.akimat.region
    client.force_login(personas.admin)
    url = f"/admin/assessments/region/{region.pk}/change/"
    data = {"code": region.code, "kind": region.kind, "name_ru": region.name_ru,
            "name_kk": "Жаңа атауы", "active_from": "", "active_to": ""}
    refused = client.post(url, data)
    assert refused.status_code == 200  # the form asks for the reason
    assert Region.objects.get(pk=region.pk).name_kk != "Жаңа атауы"
    response = client.post(url, {**data, "audit_reason": "typo"})
    assert response.status_code == 302
    entry = AuditEntry.objects.for_object(region).get()
    assert entry.changes == {"name_kk": [region.name_kk, "Жаңа атауы"]}
    assert (entry.actor, entry.reason) == (personas.admin, "typo")


def test_renaming_in_the_admin_keeps_the_name_history(personas, client):
    org = personas.registry.other_ministry
    client.force_login(personas.admin)
    url = f"/admin/assessments/organisation/{org.pk}/change/"
    data = {
        "kind": org.kind, "central_type": org.central_type, "level": "", "parent": "",
        "region": "", "name_ru": "Министерство юстиции и права", "name_kk": org.name_kk,
        "short_name_ru": "", "short_name_kk": "", "bin": org.bin, "is_evaluated": "on",
        "evaluator_role": "", "special": "", "active_from": "", "active_to": "",
        "successor": "", "audit_reason": "Указ", "names-TOTAL_FORMS": "0",
        "names-INITIAL_FORMS": "0",
    }
    no_date = client.post(url, data)
    assert no_date.status_code == 200
    assert client.post(url, {**data, "names_effective_on": "2024-02-01"}).status_code == 302
    org.refresh_from_db()
    assert org.name_ru == "Министерство юстиции и права"
    assert sorted(org.names.values_list("name_ru", "valid_to")) == [
        ("Министерство юстиции", date(2024, 1, 31)),
        ("Министерство юстиции и права", None),
    ]
