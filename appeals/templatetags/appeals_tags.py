"""``{% appeal_panel conclusion %}``: the appeal's entry points on a conclusion's page (the body's
head files objections or notifies that there are none within the window; after it, the refusal
with the closing date; once filed, the objection's link for everyone who sees it)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("appeals/partials/conclusion_panel.html", takes_context=True)
def appeal_panel(context, conclusion):
    from appeals.models import NoObjectionNotice, Objection
    from appeals.views.filing import conclusion_appeal_actions, late_message, window_of
    from assessments.kernel import access

    user = context["request"].user
    objection = access.visible(user, Objection).filter(conclusion=conclusion).first()
    actions = conclusion_appeal_actions(user, conclusion) if objection is None else frozenset()
    return {
        "panel": {
            "c": conclusion,
            "objection": objection,
            "actions": actions,
            "window": window_of(conclusion),
            "late_message": late_message(conclusion) if "late" in actions else "",
            "notice": NoObjectionNotice.objects.filter(conclusion=conclusion).first(),
        }
    }
