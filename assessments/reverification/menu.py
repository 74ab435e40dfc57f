"""Re-verification in the menu: the evaluators who re-verify, the bodies that answer, those who
see every body."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu


@access.section("reverification", reason=_(
    "Перепроверку ведут эксперты оценивающих органов; орган видит перепроверку своих сведений."))
def _reverification(p: access.Principal) -> bool:
    return p.sees_every_body or bool(p.evaluator_scopes) or bool(p.body_ids)


menu.entry("reverification", _("Перепроверка"), "reverification:reverification_list", order=20,
           section="reverification", current=("reverification:*",))
