"""Who sees an objection and its parts, and who may act on it (appeals/access_rules.py)."""

from __future__ import annotations

import pytest

from appeals.models import DisagreementRow, Objection, SpecialCommission
from assessments.kernel import access
from tests.worlds.appeal_steps import convene, file

pytestmark = pytest.mark.django_db


def test_who_sees_an_objection(aw):
    o = file(aw, aw.issued())
    aw.form_commission()
    seeing = [aw.local_head, aw.akimat_staff[0], aw.assessor, aw.unit_head, aw.deputy, aw.chair,
              aw.secretary, aw.member, aw.coordinator, aw.working_body]
    for user in seeing:
        assert access.visible(user, Objection).filter(pk=o.pk).exists(), user
        assert access.visible(user, DisagreementRow).filter(objection=o).count() == 2, user
    for user in (aw.outsider, aw.head, aw.miod_assessor, aw.committee_head):
        assert not access.visible(user, Objection).exists(), user
    assert access.visible(aw.chair, SpecialCommission).exists()
    assert not access.visible(aw.local_head, SpecialCommission).exists()


def test_who_acts(aw):
    c = aw.issued()
    assert access.can(aw.local_head, "file_objection", c)
    assert not access.can(aw.akimat_staff[0], "file_objection", c)
    assert not access.can(aw.assessor, "file_objection", c)
    o = file(aw, c)
    aw.form_commission()
    for user in (aw.chair, aw.secretary):
        assert access.can(user, "convene", o) and access.can(user, "decide", o)
    for user in (aw.member, aw.local_head, aw.assessor, aw.coordinator):
        assert not access.can(user, "convene", o) and not access.can(user, "decide", o)
    assert access.can(aw.chair, "chair_sign", o) and not access.can(aw.secretary,
                                                                     "chair_sign", o)
    assert access.can(aw.local_head, "acknowledge", o)
    assert not access.can(aw.akimat_staff[0], "acknowledge", o)
    assert access.can(aw.akimat_staff[0], "documents", o)
    sitting = convene(aw, o)
    assert access.can(aw.secretary, "attendance", sitting)
    assert not access.can(aw.member, "attendance", sitting)
    # The conclusion's own actions for the hearing commission (confirm / correct).
    assert access.can(aw.secretary, "decide", c) and access.can(aw.secretary, "correct", c)
