"""Template includes other pages reuse: a cycle's schedule, an object's history, and the panels
other apps contribute to a page (``assessments.kernel.panels``)."""

from django import template

from assessments.kernel import clock, panels
from assessments.kernel.audit import object_history
from assessments.kernel.leases import job_status, reason_text
from assessments.registry.services.cycles import cycle_schedule

register = template.Library()


@register.inclusion_tag("assessments/partials/schedule.html")
def schedule_panel(cycle, upcoming_only=True, limit=None, heading_level=2, rows=None):
    """The cycle's milestones with their dates and days left: include it on every page whose
    work depends on the schedule (``{% schedule_panel cycle %}``); a view that built the rows
    already passes them (``rows=schedule``) rather than having them built twice."""
    if rows is None:
        rows = (
            cycle_schedule(cycle, today=clock.today(), upcoming_only=upcoming_only, limit=limit)
            if cycle
            else []
        )
    return {"cycle": cycle, "rows": rows, "heading_level": heading_level}


@register.inclusion_tag("assessments/partials/history.html")
def history_panel(obj, heading_level=2):
    """An object's audit trail and state transitions (``{% history_panel obj %}``)."""
    return {"rows": object_history(obj), "heading_level": heading_level}


@register.simple_tag(takes_context=True)
def page_panels(context, slot, obj):
    """The panels registered for ``slot`` (``{% page_panels "conclusion_detail" c %}``)."""
    return panels.render_panels(slot, context["request"], obj)


@register.filter
def job_status_text(job) -> str:
    """A background job's status in words: waiting for the task service, its worker silent …"""
    return job_status(job)


@register.filter
def job_reason_text(job) -> str:
    """Why a job was resumed, failed or cancelled, in the reader's language."""
    return reason_text(job.reason) if job.reason else ""

