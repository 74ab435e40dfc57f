from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Документы и отчёты")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the annexes' document kinds (annex1 … annex15) with the renderer registry.
        from reporting.annexes import registry  # noqa: F401
