"""Forms and next steps (issue 21): one error style (a summary linking to each field), table
cells labelled, link fields validated, files to choose again named; a certificate read as name,
position and organisation; no "2026 г.." in documents; the body's submission to-do opens the
report and a submitter who may not submit is told who does."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(cycle):
    cycle.is_current = True
    cycle.save()
    return cycle


def test_certificate_owner_reads_the_distinguished_name():
    from reporting.templatetags.certificates import certificate_owner

    who = certificate_owner("CN=Иванов Иван,2.5.4.12=Заместитель Председателя,O=Агентство,C=KZ")
    assert (who["name"], who["position"], who["organisation"]) == (
        "Иванов Иван", "Заместитель Председателя", "Агентство")
    assert certificate_owner("not a dn ===")["name"]


def test_no_double_dot_after_a_year():
    from reporting.rendering import tidy_punctuation

    assert tidy_punctuation("до «08» декабря 2026 г.. Далее") == "до «08» декабря 2026 г. Далее"
    assert tidy_punctuation("2026 ж..") == "2026 ж."
    assert tidy_punctuation("и так далее...") == "и так далее..."


def test_link_fields_take_links_only():
    from assessments.submission.forms import SectionForm
    from assessments.submission.report_schema import sections_for

    section = next(s for s in sections_for("openness", "central")
                   if any(f.type == "links" for f in s.fields_for("central")))
    form = SectionForm(section=section, kind="central", data={})
    key = form.link_keys[0]
    form = SectionForm(section=section, kind="central",
                       data={f"{key}__ru": "https://gov.kz/a\nне ссылка"})
    assert not form.is_valid()
    assert "Строка 2: «не ссылка» — не ссылка" in str(form.errors[f"{key}__ru"])
    form = SectionForm(section=section, kind="central", data={f"{key}__ru": "https://gov.kz/a"})
    form.is_valid()
    assert f"{key}__ru" not in form.errors


def test_the_error_summary_links_each_field_and_names_the_file_to_choose_again():
    from django import forms
    from django.template import Context, Template

    class Upload(forms.Form):
        title = forms.CharField(label="Название")
        file = forms.FileField(label="Файл")

    from django.utils.datastructures import MultiValueDict

    form = Upload(data={"title": ""}, files=MultiValueDict(
        {"file": [SimpleUploadedFile("act.pdf", b"%PDF")]}))
    html = Template("{% load form_tags %}{% error_summary form %}{% cell form.title 'Название' 3 %}"
                    ).render(Context({"form": form}))
    assert 'data-testid="error-summary"' in html and 'href="#id_title"' in html
    assert "Файл «act.pdf» не сохранён" in html
    assert 'aria-label="Название, строка 3"' in html and 'aria-invalid="true"' in html


def test_services_form_cells_are_labelled_and_the_table_scrolls(assigned, current, client):
    from assessments.models import Report

    report = Report.objects.create(cycle=current, body=assigned.registry.ministry,
                                   direction="services")
    client.force_login(assigned.head)
    html = client.get(reverse("submission:report_section_edit",
                              args=[report.pk, "services"])).content.decode()
    table = html.split('data-testid="rows"', 1)[1].split("</table>", 1)[0]
    inputs = re.findall(r"<(?:input|select)[^>]*>", table)
    assert inputs and all("aria-label=" in i for i in inputs if 'type="hidden"' not in i)
    assert 'class="table-scroll" role="region"' in html


def test_the_submission_to_do_opens_the_report_and_names_who_submits(assigned, current,
                                                                    schedule, client, clock):
    from assessments.kernel.todos import todos_for
    from assessments.models import Report

    clock.set_now("2026-01-10T09:00:00")
    report = Report.objects.create(cycle=current, body=assigned.registry.ministry,
                                   direction="openness")
    [todo] = [t for t in todos_for(assigned.submitter, current, clock.today())
              if t.title.startswith("Представить отчётную информацию")]
    assert todo.url == reverse("submission:report_detail", args=[report.pk])
    client.force_login(assigned.submitter)
    html = client.get(todo.url).content.decode()
    assert 'data-testid="who-submits"' in html and assigned.head.display_name in html
    client.force_login(assigned.head)
    assert 'data-testid="who-submits"' not in client.get(todo.url).content.decode()
    Report.objects.filter(pk=report.pk).update(state="submitted")
    assert not [t for t in todos_for(assigned.submitter, current, clock.today())
                if t.title.startswith("Представить отчётную информацию")]
