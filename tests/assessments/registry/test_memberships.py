"""Roles through memberships: validation per role, audit, ending."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Membership, Organisation
from assessments.registry.services.memberships import membership_end, membership_grant
from tests.worlds.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_grant_creates_the_role_with_an_audit_row_and_is_idempotent(personas):
    user = UserFactory()
    r = personas.registry
    m = membership_grant(actor=personas.admin, user=user, organisation=r.miod, role="assessor",
                         direction="openness", reason="order No. 5")
    again = membership_grant(actor=personas.admin, user=user, organisation=r.miod,
                             role="assessor", direction="openness")
    assert m.pk == again.pk
    entries = AuditEntry.objects.for_object(m)
    assert entries.count() == 1 and entries.get().reason == "order No. 5"
    assert access.principal(user).evaluator_scopes == {(r.miod.pk, "openness")}


@pytest.mark.parametrize(
    "org, role, direction, annexes, message",
    [
        ("agency", "assessor", "", (), "направление"),
        ("ministry", "assessor", "services", (), "уполномоченном"),
        ("presidential", "body_submitter", "", (), "оцениваемом"),
        ("agency", "signatory", "", (5,), "3, 4, 15"),
        ("miod", "signatory", "", (), "8"),
        ("agency", "coordinator", "", (3,), "подписантам"),
        ("agency", "coordinator", "services", (), "Направление"),
    ],
)
def test_roles_are_checked_against_the_organisation(personas, org, role, direction, annexes,
                                                    message):
    with pytest.raises(DomainError, match=message):
        membership_grant(actor=None, user=UserFactory(), organisation=getattr(personas.registry,
                                                                               org),
                         role=role, direction=direction, annexes=annexes)


@pytest.mark.parametrize(
    "role, annexes",
    [("agency", (3, 4, 15)), ("digital_ministry", (5,)), ("information_ministry", (8,)),
     ("legal_statistics", (12,))],
)
def test_signatories_sign_the_annexes_of_the_methodology(personas, role, annexes):
    """METHODOLOGY.md §7: 3, 4, 15 the Agency; 5 the Ministry; 8 MIOD; 12 the Committee."""
    org = Organisation.objects.get(evaluator_role=role)
    m = membership_grant(actor=None, user=UserFactory(), organisation=org, role="signatory",
                         annexes=annexes)
    assert m.annexes == sorted(annexes)


def test_end_keeps_the_row_and_removes_the_access(personas):
    m = Membership.objects.get(user=personas.submitter)
    membership_end(actor=personas.admin, membership=m, active_to=date(2000, 1, 1),
                   reason="left the body")
    assert Membership.objects.get(pk=m.pk).active_to == date(2000, 1, 1)
    assert access.visible(personas.submitter, Organisation).count() == 0
    assert AuditEntry.objects.for_object(m).get().changes == {"active_to": [None, "2000-01-01"]}


def test_only_administrators_grant_roles(personas):
    with pytest.raises(PermissionDenied):
        membership_grant(actor=personas.coordinator, user=UserFactory(),
                         organisation=personas.registry.agency, role="assessor",
                         direction="services")
