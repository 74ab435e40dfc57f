"""The registry's writes: create, update, rename with history, close — each audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from assessments.kernel.errors import DomainError
from assessments.models import AuditEntry, Organisation, OrganisationName
from assessments.registry.selectors import name_on, names_on
from assessments.registry.services.organisations import (
    organisation_close,
    organisation_create,
    organisation_rename,
    organisation_update,
)
from tests.worlds.factories import RegionFactory, next_bin

pytestmark = pytest.mark.django_db


def _create(actor=None, **extra):
    fields = {
        "kind": "local", "level": "oblast", "region": RegionFactory(), "bin": next_bin(),
        "name_ru": "Акимат Южно-Казахстанской области",
        "name_kk": "Оңтүстік Қазақстан облысының әкімдігі", "is_evaluated": True,
    }
    fields.update(extra)
    return organisation_create(actor=actor, reason="registry import", **fields)


def test_create_records_the_first_name_period_and_an_audit_row(personas):
    org = _create(personas.admin, active_from=date(1992, 1, 1))
    period = OrganisationName.objects.get(organisation=org)
    assert (period.name_ru, period.valid_from, period.valid_to) == (org.name_ru,
                                                                    date(1992, 1, 1), None)
    entry = AuditEntry.objects.for_object(org).get()
    assert entry.actor == personas.admin and entry.action == "create"
    assert entry.changes["name_ru"] == [None, org.name_ru]
    assert entry.reason == "registry import"


def test_a_bad_bin_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        _create(personas.admin, bin="123456789012")
    assert "bin" in error.value.message_dict


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"level": ""}, "уровень"),
        ({"kind": "central", "central_type": "ministry"}, "Уровень указывается"),
    ],
)
def test_kind_and_level_must_agree(personas, extra, message):
    with pytest.raises(DomainError, match=message):
        _create(personas.admin, **extra)


def test_rename_keeps_the_old_name_for_earlier_cycles(personas):
    """Bodies are renamed; a cycle prints the names of its reporting period."""
    org = _create(personas.admin)
    organisation_rename(
        actor=personas.admin, organisation=org, name_ru="Акимат Туркестанской области",
        name_kk="Түркістан облысының әкімдігі", effective_on=date(2018, 6, 19),
        basis="Указ № 702",
    )
    org = Organisation.objects.get(pk=org.pk)
    assert org.name_ru == "Акимат Туркестанской области"
    assert name_on(org, date(2017, 12, 31)) == (
        "Акимат Южно-Казахстанской области", "Оңтүстік Қазақстан облысының әкімдігі"
    )
    assert name_on(org, date(2018, 6, 19))[0] == "Акимат Туркестанской области"
    periods = list(org.names.order_by(F("valid_from").asc(nulls_first=True)).values_list(
        "valid_to", flat=True))
    assert periods == [date(2018, 6, 18), None]
    entry = AuditEntry.objects.for_object(org).filter(action="rename").get()
    assert entry.changes["name_ru"] == ["Акимат Южно-Казахстанской области",
                                        "Акимат Туркестанской области"]
    assert entry.reason == "Указ № 702"


def test_names_on_answers_for_many_bodies_in_one_query(personas, django_assert_num_queries):
    orgs = [_create(personas.admin) for _ in range(3)]
    with django_assert_num_queries(1):
        result = names_on(orgs, date(2020, 1, 1))
    assert set(result) == {org.pk for org in orgs}


def test_a_rename_must_come_after_the_current_name(personas):
    org = _create(personas.admin, active_from=date(2000, 1, 1))
    with pytest.raises(DomainError):
        organisation_rename(actor=personas.admin, organisation=org, name_ru="X", name_kk="Х",
                            effective_on=date(1999, 1, 1))


def test_update_records_before_and_after_and_refuses_names(personas):
    org = _create(personas.admin)
    organisation_update(actor=personas.admin, organisation=org, reason="found in the decree",
                        is_evaluated=False)
    entry = AuditEntry.objects.for_object(org).filter(action="update").get()
    assert entry.changes == {"is_evaluated": [True, False]}
    assert entry.reason == "found in the decree"
    with pytest.raises(DomainError):
        organisation_update(actor=personas.admin, organisation=org, reason="x", name_ru="Y")


def test_update_without_a_change_writes_nothing(personas):
    org = _create(personas.admin)
    organisation_update(actor=personas.admin, organisation=org, reason="x", is_evaluated=True)
    assert not AuditEntry.objects.for_object(org).filter(action="update").exists()


def test_close_with_a_successor(personas):
    old, new = _create(personas.admin), _create(personas.admin)
    organisation_close(actor=personas.admin, organisation=old, active_to=date(2023, 9, 1),
                       successor=new, reason="merged")
    old = Organisation.objects.get(pk=old.pk)
    assert (old.active_to, old.successor) == (date(2023, 9, 1), new)
    assert not old.is_active_on(date(2023, 9, 2)) and old.is_active_on(date(2023, 9, 1))
    with pytest.raises(DomainError):
        organisation_close(actor=personas.admin, organisation=new, active_to=date(2024, 1, 1),
                           successor=new, reason="self")


def test_a_hierarchy_loop_is_refused(personas):
    r = personas.registry
    with pytest.raises(DomainError):
        organisation_update(actor=personas.admin, organisation=r.ministry, reason="x",
                            parent=r.ministry_committee)


def test_only_administrators_write_the_registry(personas):
    for user in (personas.coordinator, personas.submitter, personas.assessor):
        with pytest.raises(PermissionDenied):
            _create(user)
