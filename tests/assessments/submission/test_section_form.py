"""The section form (annex 9 and the other report sections): a concurrent edit by two people
is detected and said, never silently overwritten; a table takes any number of rows (an "add
rows" button keeps what was typed, without JavaScript)."""

import re

import pytest
from django.urls import reverse

from assessments.kernel import clock as app_clock
from assessments.models import ReportSection
from assessments.submission.services.reports import report_get_or_create

pytestmark = pytest.mark.django_db

COMPLAINTS = {"received": 5000, "handled": 4800, "handled_late": 30, "redirected_late": 10,
              "court_upheld": 0, "disciplinary_actions": 35, "excused": 2}


def _form_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_two_people_edit_the_same_section_the_second_is_told_and_keeps_their_values(
        clock, assigned, cycle, schedule, client):
    from django.test import Client

    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="complaints")
    url = reverse("submission:report_section_edit", args=[report.pk, "complaints"])
    first, second = client, Client()
    first.force_login(assigned.submitter)
    second.force_login(assigned.head)
    # both open the form (version 0)
    version = _form_version(first.get(url).content.decode())
    assert _form_version(second.get(url).content.decode()) == version == "0"
    saved = first.post(url, {"version": version, **COMPLAINTS})
    assert saved.status_code == 302
    app_clock.advance(minutes=7)
    theirs = {**COMPLAINTS, "received": 9999}
    refused = second.post(url, {"version": version, **theirs})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert 'data-testid="form-errors"' in text
    assert "Раздел уже изменил(а)" in text and str(assigned.submitter) in text
    assert "10:00" in text  # when the first person saved
    assert 'value="9999"' in text  # what the second typed stays in the form
    row = ReportSection.objects.get(report=report, key="complaints")
    assert (row.version, row.data["fields"]["received"], row.updated_by) == (
        1, 5000, assigned.submitter)
    # reopened, the form carries the new version and the second person's save goes through
    version = _form_version(second.get(url).content.decode())
    assert version == "1"
    assert second.post(url, {"version": version, **theirs}).status_code == 302
    row.refresh_from_db()
    assert (row.version, row.data["fields"]["received"]) == (2, 9999)


def _row(i: int) -> dict:
    return {"title": f"Набор данных {i}", "column": "kk" if i % 2 else "ru",
            "due_on": "2025-03-08", "published_on": "2025-03-10",
            "link": f"https://data.egov.kz/set-{i}"}


def _post_rows(rows: list[dict], total: int, extra: dict | None = None) -> dict:
    data = {"version": "0", "rows-TOTAL_FORMS": str(total), "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "1000",
            "published__kk": "https://data.egov.kz/kk", "published__ru": ""}
    for i, row in enumerate(rows):
        data.update({f"rows-{i}-{key}": value for key, value in row.items()})
    data.update(extra or {})
    return data


def _row_count(html: str) -> int:
    return int(re.search(r'name="rows-TOTAL_FORMS" value="(\d+)"', html).group(1))


def test_openness_table_takes_any_number_of_rows_typed_values_kept(
        clock, assigned, cycle, schedule, client):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="openness")
    url = reverse("submission:report_section_edit", args=[report.pk, "t1_open_data"])
    client.force_login(assigned.submitter)
    page = client.get(url).content.decode()
    assert _row_count(page) == 3 and 'data-testid="add-rows"' in page
    assert 'hx-post="%s"' % url in page  # htmx swaps the form in place where it runs
    # three rows typed, then "add rows" (the default: the table's extra rows)
    typed = [_row(i) for i in range(3)]
    more = client.post(url, _post_rows(typed, 3, {"add_rows": "1"}))
    assert more.status_code == 200
    text = more.content.decode()
    assert _row_count(text) == 6
    assert all(f'value="Набор данных {i}"' in text for i in range(3))
    assert ">\nhttps://data.egov.kz/kk</textarea>" in text  # the section's other fields too
    assert not ReportSection.objects.filter(report=report).exists()  # nothing saved yet
    # as many as asked for at once, again keeping everything
    typed += [_row(i) for i in range(3, 6)]
    text = client.post(url, _post_rows(typed, 6, {"add_rows": "1", "add_count": "20"})
                       ).content.decode()
    assert _row_count(text) == 26 and 'value="Набор данных 5"' in text
    # 25 rows filled, saved in one go: all kept, the empty ones dropped
    typed += [_row(i) for i in range(6, 25)]
    saved = client.post(url, _post_rows(typed, 26))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    stored = ReportSection.objects.get(report=report, key="t1_open_data")
    assert [r["title"] for r in stored.data["rows"]] == [f"Набор данных {i}" for i in range(25)]
    # reopened: the stored rows and the table's extra empty rows to go on
    assert _row_count(client.get(url).content.decode()) == 25 + 3


def test_add_rows_keeps_invalid_values_and_says_nothing_was_saved(
        clock, assigned, cycle, schedule, client):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="openness")
    url = reverse("submission:report_section_edit", args=[report.pk, "t1_open_data"])
    client.force_login(assigned.submitter)
    bad = {**_row(1), "link": "не ссылка"}
    text = client.post(url, _post_rows([bad], 3, {"add_rows": "1", "add_count": "1000"})
                       ).content.decode()
    assert _row_count(text) == 3 + 100  # at most a hundred rows per press
    assert 'value="не ссылка"' in text
    assert not ReportSection.objects.filter(report=report).exists()
