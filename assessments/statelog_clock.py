"""State-change log rows stamped by the application clock.

django-fsm-log stamps a transition's ``StateLog`` row with the machine's time (the field's
default). Every other record of the application (audit entries, receipts, deadlines) takes "now"
from the clock service, which tests and ``demo_cycle`` move; without this, a history page would
show a transition of 8 April 2026 beside the day the demo was run. In production the clock is
the machine's time, so nothing changes there; an explicit timestamp is kept as given.
"""

from django_fsm_log.models import StateLog

from assessments.services import clock


def use_the_clock() -> None:
    field = StateLog._meta.get_field("timestamp")
    field.default = clock.now
    field.__dict__.pop("_get_default", None)  # Django caches the default's callable
