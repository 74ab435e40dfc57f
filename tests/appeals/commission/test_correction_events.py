"""The corrected conclusion's rule (p.115) travels by the conclusions' events: conclusions send
``correction_issue_check`` and ``correction_issued`` and know nothing of appeals; the appeals
app's receivers (connected by ``AppealsConfig.ready``) hold the issue until the chair signed the
objection's table, and send the table to the body with the correction."""

from __future__ import annotations

import pytest

from appeals import receivers
from appeals import services as appeals
from assessments.conclusions import services as conclusion_services
from assessments.conclusions import signals
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion, Notification
from tests.worlds.appeal_steps import decided, fresh
from tests.worlds.conclusion_steps import signed
from tests.worlds.conclusions import PASSPHRASE

pytestmark = pytest.mark.django_db

TABLE_SENT = "Вместе со скорректированным заключением"


@pytest.fixture
def without_appeals_receivers():
    receivers.disconnect()
    try:
        yield
    finally:
        receivers.connect()


def test_the_appeals_receivers_are_connected_once_at_start_up():
    for signal, receiver, _uid in receivers.CONNECTIONS:
        live = [r() for _key, r, _async in signal.receivers]
        assert live.count(receiver) == 1
    receivers.connect()  # idempotent (dispatch_uid)
    assert len(signals.correction_issue_check.receivers) == 1


def test_without_the_receivers_a_correction_is_issued_without_the_table_check(
        aw, without_appeals_receivers):
    o = decided(aw, accept=True)
    v2 = signed(aw.w, o.correction)
    assert fresh(o).state == "decided"  # the chair has not signed the table
    assert conclusion_services.issue_blocker(v2) == ""
    assert "issue" in conclusion_services.conclusion_actions(aw.assessor, v2)
    v2 = conclusion_services.conclusion_issue(conclusion=v2, actor=aw.assessor)
    assert v2.state == "final" and fresh(o.conclusion).state == "superseded"
    # nobody heard correction_issued: no table sent with it
    assert not Notification.objects.filter(user=aw.local_head,
                                           text__contains=TABLE_SENT).exists()


def test_with_the_receivers_the_p115_rule_refuses_then_the_table_goes_with_it(aw):
    o = decided(aw, accept=True)
    v2 = signed(aw.w, o.correction)
    answers = signals.correction_issue_check.send(sender=Conclusion, correction=v2)
    assert [(r, text) for r, text in answers] == [
        (receivers.on_correction_issue_check, appeals.correction_issue_blocker(v2))]
    assert "п.115" in conclusion_services.issue_blocker(v2)
    assert "issue" not in conclusion_services.conclusion_actions(aw.assessor, v2)
    with pytest.raises(DomainError, match="п.115") as refused:
        conclusion_services.conclusion_issue(conclusion=v2, actor=aw.assessor)
    assert refused.value.code == "table_unsigned"
    assert fresh(v2).state == "signed" and fresh(o.conclusion).state == "under_appeal"
    appeals.objection_chair_sign(objection=o, user=aw.chair, passphrase=PASSPHRASE)
    v2 = conclusion_services.conclusion_issue(conclusion=fresh(v2), actor=aw.assessor)
    assert v2.state == "final" and fresh(o.conclusion).state == "superseded"
    assert Notification.objects.filter(user=aw.local_head, text__contains=TABLE_SENT).exists()


def test_a_receiver_of_correction_issued_that_fails_rolls_the_issue_back(aw):
    o = decided(aw, accept=True)
    appeals.objection_chair_sign(objection=o, user=aw.chair, passphrase=PASSPHRASE)
    v2 = signed(aw.w, o.correction)

    def failing(sender, **kwargs):
        raise DomainError("stop")

    signals.correction_issued.connect(failing, sender=Conclusion, dispatch_uid="test.failing")
    try:
        with pytest.raises(DomainError, match="stop"):
            conclusion_services.conclusion_issue(conclusion=v2, actor=aw.assessor)
    finally:
        signals.correction_issued.disconnect(sender=Conclusion, dispatch_uid="test.failing")
    assert fresh(v2).state == "signed" and fresh(o.conclusion).state == "under_appeal"
