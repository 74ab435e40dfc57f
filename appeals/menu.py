"""Appeals in the menu: the bodies that may object, the commissions that hear objections, the
evaluators whose conclusions are disputed, the working body and the coordinator."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu


@access.section("appeals", reason=_(
    "Обжалование доступно оцениваемым органам, специальным комиссиям, оценивающим органам и "
    "рабочему органу Комиссии."))
def _appeals(p: access.Principal) -> bool:
    return (p.sees_every_body or bool(p.body_ids) or bool(p.commission_org_ids)
            or bool(p.evaluator_scopes))


menu.entry("appeals", _("Обжалование"), "appeals:appeal_list", order=50, section="appeals",
           current=("appeals:*",))
