"""The registry page (search, filters, pagination, pinned query counts) and a body's page."""

import pytest
from django.urls import reverse

from assessments.models import Organisation
from tests.worlds.factories import LocalBodyFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [org.name_ru for org in response.context["page"].object_list]


def test_the_registry_shows_only_visible_bodies(personas, client):
    r = personas.registry
    client.force_login(personas.submitter)
    response = client.get(reverse("registry:organisation_list"))
    assert response.status_code == 200
    assert set(_names(response)) == {r.ministry.name_ru, r.ministry_committee.name_ru}


def test_search_and_filters(personas, client):
    r = personas.registry
    client.force_login(personas.coordinator)
    url = reverse("registry:organisation_list")
    assert _names(client.get(url, {"q": "Бурабай"})) == [r.district.name_ru]
    assert _names(client.get(url, {"q": r.ministry.bin})) == [r.ministry.name_ru]
    assert set(_names(client.get(url, {"kind": "local"}))) == {r.akimat.name_ru,
                                                                r.district.name_ru}
    assert _names(client.get(url, {"level": "district"})) == [r.district.name_ru]
    assert set(_names(client.get(url, {"region": r.akimat.region_id}))) == {
        r.akimat.name_ru, r.district.name_ru}
    evaluated = _names(client.get(url, {"evaluated": "on", "kind": "central"}))
    assert r.ministry.name_ru in evaluated and r.ministry_committee.name_ru not in evaluated
    bad = client.get(url, {"level": "galaxy"})  # an invalid filter shows the form error
    assert bad.status_code == 200 and bad.context["form"].errors


def test_pagination_keeps_the_filters(personas, client):
    region = RegionFactory()
    for _ in range(30):
        LocalBodyFactory(region=region)
    client.force_login(personas.admin)
    first = client.get(reverse("registry:organisation_list"), {"region": region.pk})
    assert len(first.context["page"].object_list) == 25
    assert f"region={region.pk}&amp;page=2".encode() in first.content
    second = client.get(reverse("registry:organisation_list"), {"region": region.pk, "page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("persona", ["admin", "assessor", "submitter"])
def test_the_registry_s_query_count_does_not_grow_with_the_data(
    personas, client, django_assert_max_num_queries, persona
):
    user = getattr(personas, persona)
    client.force_login(user)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("registry:organisation_list")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    region = RegionFactory()
    for n in range(40):
        parent = LocalBodyFactory(region=region)
        OrganisationFactory(parent=personas.registry.ministry, is_evaluated=False,
                            central_type="committee", name_ru=f"Комитет {n}")
        LocalBodyFactory(parent=parent, level="district", region=region, is_evaluated=False)
    large = count()
    assert small == large
    with django_assert_max_num_queries(9):
        client.get(reverse("registry:organisation_list"))


def test_a_body_s_page_shows_its_evaluators_and_history(personas, client):
    r = personas.registry
    client.force_login(personas.submitter)
    response = client.get(reverse("registry:organisation_detail", args=[r.ministry.pk]))
    assert response.status_code == 200
    evaluators = dict(response.context["evaluators"])
    assert evaluators["Автоматизация государственных услуг"] == r.digital
    assert evaluators["Качество оказания государственных услуг"] == r.agency
    content = response.content.decode()
    assert r.ministry.bin in content and r.ministry_committee.name_ru in content
    assert 'data-testid="history"' in content or "Изменений не было" in content


def test_another_body_s_page_is_404(personas, client):
    client.force_login(personas.submitter)
    url = reverse("registry:organisation_detail", args=[personas.registry.other_ministry.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("registry:organisation_detail", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(personas, client):
    url = reverse("registry:organisation_detail", args=[personas.registry.ministry.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("registry:organisation_list")).status_code == 302


def test_the_body_page_of_a_renamed_body_shows_the_cycle_s_name(personas, client):
    from datetime import date

    from assessments.registry.services.cycles import cycle_create, cycle_set_current
    from assessments.registry.services.organisations import organisation_rename

    org = personas.registry.akimat
    Organisation.objects.filter(pk=org.pk)  # created without history by the factory
    organisation_rename(actor=None, organisation=org, name_ru="Акимат новой области",
                        name_kk="Жаңа облыстың әкімдігі", effective_on=date(2026, 2, 1))
    cycle = cycle_create(actor=None, code="2025", year=2025, edition="2023", schedule=())
    cycle_set_current(actor=None, cycle=cycle)
    client.force_login(personas.local_head)
    response = client.get(reverse("registry:organisation_detail", args=[org.pk]))
    assert response.context["names_then"] == (org.name_ru, org.name_kk)
    assert "Наименование в отчётном периоде 2025" in response.content.decode()
