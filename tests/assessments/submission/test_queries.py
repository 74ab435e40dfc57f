"""The submission's list pages run a fixed number of queries whatever the number of rows: the
assessors' report queue, a body's reports, the import list and the notification list are each
measured at two sizes and pinned to the same count."""

import re

import pytest
from django.urls import reverse

from assessments.kernel import clock as app_clock
from assessments.models import ImportBatch, Notification, Report, ReportSection
from tests.worlds.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


@pytest.fixture
def current(cycle):
    cycle.is_current = True
    cycle.save()
    return cycle


def _reports(cycle, direction, n):
    for _i in range(n):
        body = OrganisationFactory()
        report = Report.objects.create(cycle=cycle, body=body, direction=direction,
                                       deadline=app_clock.today())
        ReportSection.objects.create(report=report, key="services", data={"rows": []})


def _measure(client, url, expected, django_assert_num_queries):
    client.get(url)  # warm the session and the caches
    with django_assert_num_queries(expected):
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_report_queue(clock, assigned, current, schedule, client, django_assert_num_queries, n):
    _reports(current, "services", n)
    client.force_login(assigned.assessor)
    text = _measure(client, reverse("submission:report_queue"), QUERIES_REPORT_QUEUE,
                    django_assert_num_queries)
    assert len(re.findall(r'href="/reports/\d+/"', text)) == n


@pytest.mark.parametrize("n", SIZES)
def test_body_reports(clock, assigned, current, schedule, client, django_assert_num_queries, n):
    """The body's own page: its reports (one per direction), however many other bodies and
    filled sections there are."""
    _reports(current, "services", n)
    body = assigned.registry.ministry
    for direction in ("services", "automation", "openness", "complaints"):
        report = Report.objects.create(cycle=current, body=body, direction=direction)
        for i in range(n):
            ReportSection.objects.create(report=report, key=f"s{i}", data={"fields": {}})
    client.force_login(assigned.head)
    text = _measure(client, reverse("submission:body_reports", args=[current.code, body.pk]),
                    QUERIES_BODY_REPORTS, django_assert_num_queries)
    assert text.count('data-testid="report-') == 4


@pytest.mark.parametrize("n", SIZES)
def test_import_list(clock, assigned, current, client, django_assert_num_queries, n):
    for i in range(n):
        ImportBatch.objects.create(
            kind="monitoring", cycle=current, file=f"imports/m/{i}.csv",
            original_name=f"file-{i}.csv", file_format="csv", size=10, sha256=f"{i:064d}",
            state="applied" if i % 2 else "validated", created_by=assigned.assessor,
            created_at=app_clock.now(), applied_by=assigned.assessor if i % 2 else None,
            applied_at=app_clock.now() if i % 2 else None)
    client.force_login(assigned.assessor)
    text = _measure(client, reverse("submission:import_list"), QUERIES_IMPORT_LIST,
                    django_assert_num_queries)
    assert len(re.findall(r'href="/imports/\d+/"', text)) == n


@pytest.mark.parametrize("n", SIZES)
def test_notification_list(clock, assigned, client, django_assert_num_queries, n):
    Notification.objects.bulk_create(
        Notification(user=assigned.head, text=f"Уведомление {i}", link="/reports/",
                     created_at=app_clock.now()) for i in range(n))
    client.force_login(assigned.head)
    text = _measure(client, reverse("portal:notification_list"), QUERIES_NOTIFICATIONS,
                    django_assert_num_queries)
    assert text.count("Уведомление ") == n


# Every page's menu counts the unread notifications: one query (issue 21).
QUERIES_REPORT_QUEUE = 7
QUERIES_BODY_REPORTS = 7
QUERIES_IMPORT_LIST = 6
QUERIES_NOTIFICATIONS = 5


@pytest.mark.parametrize("n", SIZES)
def test_report_detail_with_a_long_services_table(clock, assigned, current, schedule, client,
                                                  django_assert_num_queries, n):
    """The services table lists every service the body renders: checking the rows' service
    codes (what is missing, shown on the page) is one query, not one per row."""
    from assessments.models import PublicService

    body = assigned.registry.ministry
    PublicService.objects.bulk_create(
        PublicService(code=f"{i:08d}", name_ru=f"Услуга {i}", name_kk=f"Қызмет {i}")
        for i in range(n))
    rows = [{"service": f"{i:08d}", "basis": "own_records", "rendered": 10, "late": 0,
             "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 0} for i in range(n)]
    report = Report.objects.create(cycle=current, body=body, direction="services")
    ReportSection.objects.create(report=report, key="services", data={"rows": rows},
                                 complete=True, version=1)
    client.force_login(assigned.head)
    text = _measure(client, reverse("submission:report_detail", args=[report.pk]),
                    QUERIES_REPORT_DETAIL,
                    django_assert_num_queries)
    assert f"{n - 1:08d}" in text


# … and the incompleteness facts of its version; the menu's unread count; the viewer's refused
# uploads (the quarantine's list)
QUERIES_REPORT_DETAIL = 14


@pytest.mark.parametrize("n", SIZES)
def test_services_section_form(clock, assigned, current, schedule, client,
                               django_assert_num_queries, n):
    """The services table's form: the register's services are read once for all the rows."""
    from assessments.models import PublicService

    PublicService.objects.bulk_create(
        PublicService(code=f"{i:08d}", name_ru=f"Услуга {i}", name_kk=f"Қызмет {i}")
        for i in range(n))
    rows = [{"service": f"{i:08d}", "basis": "own_records", "rendered": 10, "late": 0,
             "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 0} for i in range(n)]
    report = Report.objects.create(cycle=current, body=assigned.registry.ministry,
                                   direction="services")
    ReportSection.objects.create(report=report, key="services", data={"rows": rows}, version=1)
    client.force_login(assigned.head)
    text = _measure(client, reverse("submission:report_section_edit", args=[report.pk, "services"]),
                    QUERIES_SECTION_FORM, django_assert_num_queries)
    assert f'name="rows-TOTAL_FORMS" value="{n + 3}"' in text


QUERIES_SECTION_FORM = 7  # with the menu's unread notifications
