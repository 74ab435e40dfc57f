"""The pieces of every transition's shape: lock the row, require the permission, refuse the
state with the state's label."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assessments.kernel.errors import DomainError
from assessments.kernel.transitions import lock, require, state_refused
from assessments.models import Direction, Organisation, Report, Role
from tests.worlds.factories import CycleFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_lock_reads_the_row_again_under_select_for_update():
    org = OrganisationFactory(name_ru="Старое наименование")
    Organisation.objects.filter(pk=org.pk).update(name_ru="Новое наименование")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = lock(org)
    assert locked is not org and locked.pk == org.pk
    assert locked.name_ru == "Новое наименование" and org.name_ru == "Старое наименование"
    assert len(queries) == 1
    if connection.vendor == "postgresql":
        assert queries[0]["sql"].rstrip().endswith("FOR UPDATE")


def test_lock_joins_the_related_rows(clock):
    report = Report.objects.create(cycle=CycleFactory(), body=OrganisationFactory(),
                                   direction="services")
    fresh = Report.objects.get(pk=report.pk)
    with transaction.atomic():
        locked = lock(fresh, "body", "cycle")
        with CaptureQueriesContext(connection) as queries:
            assert locked.body.pk == report.body_id and locked.cycle.pk == report.cycle_id
    assert len(queries) == 0


def test_require_refuses_nobody_and_a_user_without_the_right(clock):
    cycle = CycleFactory()
    org = OrganisationFactory()
    coordinator, assessor = UserFactory(), UserFactory()
    MembershipFactory(user=coordinator, organisation=org, role=Role.COORDINATOR)
    MembershipFactory(user=assessor, organisation=org, role=Role.ASSESSOR, direction="services")
    message = "Изменять график может администратор или координатор."
    for actor in (None, assessor):
        with pytest.raises(PermissionDenied) as refused:
            require(actor, "edit_schedule", cycle, message=message)
        assert str(refused.value) == message
    assert require(coordinator, "edit_schedule", cycle, message=message) is None


def test_require_passes_the_context_to_the_rule(clock):
    cycle, agency = CycleFactory(), OrganisationFactory()
    unit_head = UserFactory()
    MembershipFactory(user=unit_head, organisation=agency, role=Role.ASSESSOR_UNIT_HEAD,
                      direction="services")
    other = OrganisationFactory()
    # no evaluator rules: the Agency evaluates nobody, so a named body is refused
    with pytest.raises(PermissionDenied):
        require(unit_head, "assign_assessor", cycle, message="Нет", body=other,
                direction="services")
    assert require(unit_head, "assign_assessor", cycle, message="Нет") is None


def test_state_refused_names_the_state_by_its_label(clock):
    report = Report(direction="services")
    error = state_refused(report, doing="представить",
                          message="Нельзя %(doing)s: отчёт в состоянии «%(state)s».")
    assert isinstance(error, DomainError)
    assert error.message == "Нельзя представить: отчёт в состоянии «Черновик»."
    assert error.code == "state"
    by_field = state_refused(report, doing="x", message="%(doing)s %(state)s", field="direction")
    assert by_field.message == f"x {Direction.SERVICES.label}"
