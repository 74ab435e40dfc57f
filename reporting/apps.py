from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Документы и отчёты")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The demo CA and the demo people's signing credentials join `make run`'s demo data,
        # after the steps that create the people.
        from assessments import demo
        from reporting.signing.demo import seed_demo_signing

        if seed_demo_signing not in demo.DEMO_STEPS:
            demo.DEMO_STEPS.append(seed_demo_signing)

        # Register the annexes' document kinds (annex1 … annex15) with the renderer registry.
        from reporting.annexes import registry  # noqa: F401
