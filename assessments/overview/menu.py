"""The cycle's overview in the menu, and who may open it (the access registry's sections)."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu


@access.section("overview", reason=_(
    "Ход оценки видят координатор, оценивающие органы (по своим направлениям) и оцениваемые "
    "органы (только свои строки)."))
def _overview(p: access.Principal) -> bool:
    return p.sees_every_body or bool(p.body_ids) or bool(p.evaluator_scopes)


@access.section("cycle_report", reason=_(
    "Отчёт об итогах цикла со списком всех органов формируют координатор, рабочий орган Комиссии "
    "и администраторы."))
def _cycle_report(p: access.Principal) -> bool:
    return p.sees_every_body


menu.entry("overview", _("Ход оценки"), "overview:overview", order=35, section="overview",
           current=("overview:*",))
