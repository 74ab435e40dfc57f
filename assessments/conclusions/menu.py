"""Conclusions in the menu: the bodies (their delivered conclusions), the evaluators, the special
commissions (the conclusions before them), those who see every body."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu


@access.section("conclusions", reason=_(
    "Заключения видят оцениваемые органы, оценивающие органы и специальные комиссии."))
def _conclusions(p: access.Principal) -> bool:
    return (p.sees_every_body or bool(p.body_ids) or bool(p.evaluator_scopes)
            or bool(p.commission_org_ids))


menu.entry("conclusions", _("Заключения"), "conclusions:conclusion_list", order=40,
           section="conclusions", current=("conclusions:*",))
