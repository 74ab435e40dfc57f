"""Reminders run by Celery beat (idempotent: each reminder is keyed, sent once per person).

* Bodies: 5 and 1 working days before the submission deadline, for each report not yet
  submitted (p.4 График).
* Assessors: reports submitted and waiting for review, once per report and submission.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import calendar, clock
from assessments.kernel.notifications import notify
from assessments.models import Organisation, Report
from assessments.registry.services.cycles import current_cycle
from assessments.submission.report_schema import report_directions
from assessments.submission.services.reports import (
    body_kind,
    body_staff,
    report_assessors,
    report_deadline,
)

REMIND_WORKING_DAYS_BEFORE = (5, 1)


def send_reminders() -> dict:
    cycle = current_cycle()
    if cycle is None:
        return {"bodies": 0, "assessors": 0}
    today = clock.today()
    sent_bodies = sent_assessors = 0
    bodies = list(Organisation.objects.filter(is_evaluated=True))
    reports = {(r.body_id, r.direction): r for r in Report.objects.filter(cycle=cycle)}
    due: dict[str, tuple | None] = {}  # direction → (deadline, n) when today is a reminder day

    def reminder_day(direction: str) -> tuple | None:
        """The same for every body: worked out once per direction, not once per body."""
        if direction not in due:
            deadline = report_deadline(cycle, direction)
            left = (calendar.working_days_between(today, deadline)
                    if deadline is not None and deadline >= today else None)
            due[direction] = (deadline, left) if left in REMIND_WORKING_DAYS_BEFORE else None
        return due[direction]

    for body in bodies:
        staff = None
        for direction in report_directions(body_kind(body)):
            reminder = reminder_day(direction)
            if reminder is None:
                continue
            deadline, n = reminder  # n working days before the deadline
            report = reports.get((body.pk, direction))
            if report is not None and report.state not in (Report.State.DRAFT,
                                                            Report.State.RETURNED):
                continue
            staff = staff if staff is not None else body_staff(body)
            link = reverse("submission:body_reports", args=[cycle.code, body.pk])
            sent_bodies += len(notify(
                staff,
                _("Напоминание: отчёт «%(d)s» нужно представить до %(date)s "
                  "(осталось рабочих дней: %(n)s).")
                % {"d": dict(Report._meta.get_field("direction").choices)[direction],
                   "date": deadline.strftime("%d.%m.%Y"), "n": n},
                link, key=f"deadline:{cycle.pk}:{body.pk}:{direction}:{deadline}:{n}",
            ))
    for report in Report.objects.filter(cycle=cycle, state=Report.State.SUBMITTED).select_related(
        "body", "cycle"
    ):
        sent_assessors += len(notify(
            report_assessors(report),
            _("Ожидает рассмотрения: %(r)s (представлен %(d)s).")
            % {"r": report, "d": report.submitted_on.strftime("%d.%m.%Y")},
            reverse("submission:report_detail", args=[report.pk]),
            key=f"waiting:{report.pk}:{report.submitted_at.isoformat()}",
        ))
    return {"bodies": sent_bodies, "assessors": sent_assessors}
