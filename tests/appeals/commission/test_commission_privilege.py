"""Least privilege (issue 16): only the evaluating body's signatory, the coordinator or an
administrator form a special commission (docs/appeals.md) — on the service and on the page. The
commission's secretary cannot create it and appoint themselves chair, and a chair who was
replaced cannot take the chair back."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from appeals import services as appeals
from appeals.models import SpecialCommission

pytestmark = pytest.mark.django_db


def _form(aw, *, chair, secretary, actor):
    return appeals.commission_get_or_create(cycle=aw.cycle, evaluator=aw.agency, chair=chair,
                                            secretary=secretary, actor=actor)


def test_the_secretary_cannot_create_the_commission_and_chair_it(aw):
    with pytest.raises(PermissionDenied):
        _form(aw, chair=aw.secretary, secretary=aw.member, actor=aw.secretary)
    assert not SpecialCommission.objects.exists()


def test_a_replaced_chair_cannot_take_the_chair_back(aw):
    _form(aw, chair=aw.chair, secretary=aw.secretary, actor=aw.deputy)
    replaced = _form(aw, chair=aw.member, secretary=aw.secretary, actor=aw.coordinator)
    assert replaced.chair == aw.member
    for actor in (aw.chair, aw.secretary, aw.member):
        with pytest.raises(PermissionDenied):
            _form(aw, chair=aw.chair, secretary=aw.secretary, actor=actor)
    assert SpecialCommission.objects.get().chair == aw.member


def test_the_page_offers_no_form_to_the_secretary_and_refuses_a_post(aw, client):
    client.force_login(aw.secretary)
    url = reverse("appeals:commission_list")
    assert b'name="chair"' not in client.get(url).content
    response = client.post(url, {"evaluator": aw.agency.pk, "chair": aw.secretary.pk,
                                 "secretary": aw.member.pk})
    assert response.status_code == 403
    assert not SpecialCommission.objects.exists()
    client.force_login(aw.deputy)
    assert b'name="chair"' in client.get(url).content
