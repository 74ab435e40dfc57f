"""The directions of the operational assessment (p.4) and the automation criterion (p.24).

``automation`` is a criterion inside "Quality of public services" (K3, annex 5) but it has its own
evaluating body (the Ministry of digital development, p.24), its own conclusion and its own
signatories, so the registry of who evaluates whom treats it as a direction of its own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    SERVICES = "services", _("Качество оказания государственных услуг")
    AUTOMATION = "automation", _("Автоматизация государственных услуг")
    OPENNESS = "openness", _("Открытость государственного органа")
    COMPLAINTS = "complaints", _("Качество рассмотрения жалоб и заявлений")


# The three directions of p.4 (automation is inside services).
MAIN_DIRECTIONS = (Direction.SERVICES, Direction.OPENNESS, Direction.COMPLAINTS)
