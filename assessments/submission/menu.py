"""Reports and imports in the menu, and who may open them."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu
from assessments.submission.access import import_kinds_for


@access.section("reports", reason=_(
    "Отчёты видят сотрудники оцениваемых органов, эксперты оценивающих органов и координатор."))
def _reports(p: access.Principal) -> bool:
    return p.sees_every_body or bool(p.body_ids) or bool(p.evaluator_scopes)


@access.section("imports", reason=_(
    "Импорт данных доступен экспертам направлений, которые загружают сведения из внешних "
    "источников, координатору и администраторам."))
def _imports(p: access.Principal) -> bool:
    return bool(import_kinds_for(p))


menu.entry("reports", _("Отчёты"), "submission:report_queue", order=10, section="reports",
           current=("submission:report_*", "submission:section_*", "submission:evidence_*",
                    "submission:body_reports", "submission:openness_*"))
menu.entry("imports", _("Импорт данных"), "submission:import_list", order=70, section="imports",
           current=("submission:import_*",))
