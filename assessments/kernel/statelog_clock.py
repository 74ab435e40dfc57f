"""State-change log rows stamped by the application clock.

django-fsm-log stamps a transition's ``StateLog`` row with the machine's time. Every other record
of the application (audit entries, receipts, deadlines) takes "now" from the clock service, which
tests and ``demo_cycle`` move; without this, a history page would show a transition of 8 April
2026 beside the day the demo was run. This storage backend (``DJANGO_FSM_LOG_STORAGE_METHOD``)
is django-fsm-log's simple one with the clock's "now" as the timestamp. In production the clock
is the machine's time, so nothing changes there.
"""

from django_fsm_log.backends import SimpleBackend, _pre_transition_callback

from assessments.kernel import clock


class _StampedByTheClock:
    """The manager django-fsm-log creates the row with, adding the clock's timestamp."""

    def create(self, **values):
        from django_fsm_log.models import StateLog

        values.setdefault("timestamp", clock.now())
        return StateLog.objects.create(**values)


class ClockBackend(SimpleBackend):
    @staticmethod
    def post_transition_callback(sender, instance, name, source, target, **kwargs):
        return _pre_transition_callback(
            sender, instance, name, source, target, _StampedByTheClock(), **kwargs
        )
