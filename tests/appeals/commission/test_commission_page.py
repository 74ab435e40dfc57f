"""The commission's page lists the members whose membership is active today, not those whose
membership ended (the same "active on a day" query as every notice)."""

from datetime import timedelta

from django.urls import reverse

from assessments.kernel import clock
from assessments.models import Membership, Role, User


def test_the_commission_page_lists_only_current_members(aw, client):
    commission = aw.form_commission()
    former = User.objects.create(username="former-member", full_name="Бывший Член Комиссии",
                                 email="former@example.kz")
    Membership.objects.create(user=former, organisation=aw.agency, role=Role.COMMISSION_MEMBER,
                              active_to=clock.today() - timedelta(days=1))
    client.force_login(aw.coordinator)
    page = client.get(reverse("appeals:commission_detail", args=[commission.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert aw.member.full_name in html
    assert "Бывший Член Комиссии" not in html
