"""The completed disagreement table (annex 14) signed by the chair and acknowledged by the body
(PAdES, valid and trusted), and the corrected conclusion issued with the table (version 1
superseded, p.115)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from appeals import services as appeals
from appeals.models import Handover
from assessments.conclusions import services as conclusion_services
from assessments.kernel.errors import DomainError
from assessments.models import Notification
from reporting.signing.errors import SigningError
from reporting.signing.services import signed_document_verify
from tests.worlds.appeal_steps import decided, fresh
from tests.worlds.conclusion_steps import issued
from tests.worlds.conclusions import PASSPHRASE
from tests.worlds.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


def test_chair_signs_and_the_body_acknowledges_a_valid_trusted_pades_table(aw):
    o = decided(aw, accept=True)
    assert appeals.objection_actions(aw.chair, o) == {"chair_sign"}
    with pytest.raises(PermissionDenied):
        appeals.objection_chair_sign(objection=o, user=aw.secretary, passphrase=PASSPHRASE)
    with pytest.raises(DomainError, match="Решение принято"):  # not signed by the chair yet
        appeals.objection_acknowledge(objection=o, user=aw.local_head, passphrase=PASSPHRASE)
    with pytest.raises(SigningError):
        appeals.objection_chair_sign(objection=o, user=aw.chair, passphrase="wrong")
    o = appeals.objection_chair_sign(objection=o, user=aw.chair, passphrase=PASSPHRASE)
    assert o.state == "signed_by_chair"
    document = o.table_document
    assert document.kind == "annex14" and document.version == 2
    text = " ".join(pdf_text(document.source_file.open("rb").read()).split())
    assert "Общий балл с учетом итогов обжалования составил" in text
    assert o.overall_after_appeal.replace(".", ",") in text or o.overall_after_appeal in text
    assert "Возражение принято" in text and "Возражение не принято" in text
    # the seed's four columns; the decision inside the note; the acknowledgment slot names the
    # body's head, after the chair's block
    assert ("№ Заключение уполномоченного на оценку государственного органа Возражение "
            "оцениваемого государственного органа Примечание 1 2 3 4") in text
    assert "Решение специальной комиссии: Возражение принято" in text
    chair = text.index("Председатель комиссии")
    ack = text.index("С итогами обжалования ознакомлен:")
    assert chair < text.index(str(aw.chair), chair) < ack < text.index(str(aw.local_head), ack)
    assert "Таблицу разногласий направил" not in text
    assert Notification.objects.filter(user=aw.local_head,
                                       text__contains="подписана председателем").exists()
    assert appeals.objection_actions(aw.local_head, o) == {"acknowledge"}
    with pytest.raises(PermissionDenied):
        appeals.objection_acknowledge(objection=o, user=aw.akimat_staff[0],
                                      passphrase=PASSPHRASE)
    o = appeals.objection_acknowledge(objection=o, user=aw.local_head, passphrase=PASSPHRASE)
    assert o.state == "acknowledged" and o.acknowledged_by == aw.local_head
    report = signed_document_verify(fresh(document))
    assert report.status.value == "valid_trusted" and len(report.signatures) == 2
    assert [s.signer for s in document.signatures.order_by("order")] == [aw.chair,
                                                                          aw.local_head]
    assert appeals.objection_actions(aw.local_head, o) == frozenset()


def test_the_correction_is_issued_with_the_table_and_supersedes_version_1(aw):
    o = decided(aw, accept=True)
    v1, v2 = fresh(o.conclusion), o.correction
    assert v2.values["final"] != v1.values["final"]
    o = appeals.objection_chair_sign(objection=o, user=aw.chair, passphrase=PASSPHRASE)
    v2 = issued(aw.w, v2)  # written, reviewed, signed and issued like any version
    assert v2.state == "final" and v2.objection_deadline is None  # p.115: no new window
    assert fresh(v1).state == "superseded"
    assert appeals.objection_window(v2)["open"] is False
    table = Notification.objects.filter(user=aw.local_head,
                                        text__contains="таблица разногласий").latest("pk")
    assert f"/appeals/objections/{o.pk}/" in table.link or str(o.pk) in table.link
    assert v2.values["final"] in table.text
    assert fresh(o).correction == v2
    # The Agency evaluates services itself (p.121): no hand-over row.
    assert not Handover.objects.filter(conclusion=v2).exists()


def test_the_correction_waits_for_the_table_signed_by_the_chair(aw):
    """p.115: version 2 goes to the body together with the completed table — not before the
    chair has signed it."""
    from tests.worlds.conclusion_steps import signed

    o = decided(aw, accept=True)
    v2 = signed(aw.w, o.correction)
    assert v2.state == "signed"
    assert "issue" not in conclusion_services.conclusion_actions(aw.assessor, v2)
    with pytest.raises(DomainError, match="п.115") as refused:
        conclusion_services.conclusion_issue(conclusion=v2, actor=aw.assessor)
    assert refused.value.code == "table_unsigned"
    assert fresh(v2).state == "signed" and fresh(o.conclusion).state == "under_appeal"
    appeals.objection_chair_sign(objection=o, user=aw.chair, passphrase=PASSPHRASE)
    assert "issue" in conclusion_services.conclusion_actions(aw.assessor, fresh(v2))
    v2 = conclusion_services.conclusion_issue(conclusion=fresh(v2), actor=aw.assessor)
    assert v2.state == "final" and fresh(o.conclusion).state == "superseded"
    # the body then acknowledges the table it received with the correction
    o = appeals.objection_acknowledge(objection=o, user=aw.local_head, passphrase=PASSPHRASE)
    assert o.state == "acknowledged"
