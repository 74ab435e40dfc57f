"""Scores in the menu."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu


@access.section("scores", reason=_(
    "Оценки видят оцениваемые органы (свои), оценивающие органы (по своим направлениям) и "
    "координатор."))
def _scores(p: access.Principal) -> bool:
    return p.sees_every_body or bool(p.body_ids) or bool(p.evaluator_scopes)


menu.entry("scores", _("Оценки"), "scores:scores_current", order=30, section="scores",
           current=("scores:*",))
