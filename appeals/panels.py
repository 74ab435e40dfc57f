"""The appeal's panel on a conclusion's page (``assessments.kernel.panels``, slot
``conclusion_detail``): the body's head files objections or says there are none within the
window; after it, the refusal with the closing date; once filed, the objection's link for everyone
who sees it (p.109–111)."""

from __future__ import annotations

from django.template.loader import render_to_string

from appeals.models import Handover, NoObjectionNotice, Objection
from assessments.kernel import access, panels, stages


@panels.panel("conclusion_detail")
def appeal_panel(request, conclusion) -> str:
    from appeals.services import automation_conclusion_of
    from appeals.services import conclusion_appeal_actions as offered
    from appeals.views.filing import conclusion_appeal_actions, late_message, window_of

    user = request.user
    objection = access.visible(user, Objection).lodged().filter(conclusion=conclusion).first()
    # a table drawn up and not signed yet: the body sees it, with the way to sign it
    unsigned = (access.visible(user, Objection).awaiting().filter(conclusion=conclusion).first()
                if objection is None else None)
    actions = conclusion_appeal_actions(user, conclusion) if objection is None else frozenset()
    # A central body's annex 3 prints K3: the separate table on it goes to the digital
    # ministry (filed on annex 5), shown here too.
    annex5 = automation_conclusion_of(conclusion) if conclusion.annex == 3 else None
    automation = (access.visible(user, Objection).lodged().filter(conclusion=annex5).first()
                  if annex5 is not None else None)
    if objection is not None and "object_automation" in offered(user, conclusion):
        actions = frozenset({"object_automation"})
    elif objection is None and "object_automation" in offered(user, conclusion):
        actions = actions | {"object_automation"}
    return render_to_string("appeals/partials/conclusion_panel.html", {
        "panel": {
            "c": conclusion,
            "objection": objection,
            "unsigned": unsigned,
            "automation_objection": automation,
            "annex5": annex5,
            "actions": actions,
            "window": window_of(conclusion),
            "late_message": late_message(conclusion) if "late" in actions else "",
            "notice": NoObjectionNotice.objects.filter(conclusion=conclusion).first(),
        }
    }, request=request)


@panels.panel("overview_conclusion")
def objection_outcome_panel(request, conclusion) -> str:
    """A body's page across cycles (the overview): the objection to this conclusion version, its
    state and outcome, for whoever sees it (a table never filed is not an objection)."""
    objection = (access.visible(request.user, Objection).lodged()
                 .filter(conclusion=conclusion).first())
    if objection is None:
        return ""
    return render_to_string("appeals/partials/overview_objection.html",
                            {"objection": objection}, request=request)


@stages.stage_source
def handover_stages(user, cycle) -> dict:
    """The overview's last stages (p.116–121): a final direction conclusion awaiting its hand-over
    to the Agency (due on its term, if any), or handed over. One query."""
    rows = access.visible(user, Handover).filter(conclusion__cycle=cycle).values_list(
        "conclusion__body_id", "conclusion__direction", "due_on", "handed_at")
    return {(body, direction): stages.StageFact("handed_over" if handed else "handover_due",
                                                None if handed else due)
            for body, direction, due, handed in rows}
