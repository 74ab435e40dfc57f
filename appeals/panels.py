"""The appeal's panel on a conclusion's page (``assessments.kernel.panels``, slot
``conclusion_detail``): the body's head files objections or says there are none within the
window; after it, the refusal with the closing date; once filed, the objection's link for everyone
who sees it (p.109–111)."""

from __future__ import annotations

from django.template.loader import render_to_string

from appeals.models import NoObjectionNotice, Objection
from assessments.kernel import access, panels


@panels.panel("conclusion_detail")
def appeal_panel(request, conclusion) -> str:
    from appeals.views.filing import conclusion_appeal_actions, late_message, window_of

    user = request.user
    objection = access.visible(user, Objection).filter(conclusion=conclusion).first()
    actions = conclusion_appeal_actions(user, conclusion) if objection is None else frozenset()
    return render_to_string("appeals/partials/conclusion_panel.html", {
        "panel": {
            "c": conclusion,
            "objection": objection,
            "actions": actions,
            "window": window_of(conclusion),
            "late_message": late_message(conclusion) if "late" in actions else "",
            "notice": NoObjectionNotice.objects.filter(conclusion=conclusion).first(),
        }
    }, request=request)
