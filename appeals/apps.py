from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Обжалование")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The participation rule of p.113 registers itself with the assignments service; the
        # corrected conclusion's rule and follow-up (p.115) answer the conclusions' events; the
        # appeal's panel joins the conclusion's page.
        from appeals import composition, panels, receivers  # noqa: F401

        receivers.connect()
