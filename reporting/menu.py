"""Documents to sign and the methodology's reference forms in the menu."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu
from assessments.models import Role


@access.section("signing", reason=_(
    "Документы на подпись видят те, кто подписывает: руководители органов, подписанты и эксперты "
    "оценивающих органов, специальные комиссии."))
def _signing(p: access.Principal) -> bool:
    return (p.is_admin or bool(p.evaluator_scopes) or bool(p.commission_org_ids)
            or Role.BODY_HEAD in p.roles or p.sees_every_body)


menu.entry("documents", _("Документы на подпись"), "reporting:signed_document_list", order=60,
           section="signing", current=("reporting:signed_document_*", "reporting:signing_*",
                                       "reporting:rendered_*"))
menu.entry("reference", _("Формы Методики"), "reporting:reference_annexes", order=90,
           current=("reporting:reference_*",))
