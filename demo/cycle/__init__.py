"""``manage.py demo_cycle --out DIR``: one assessment cycle played end to end (the contract:
DEMO_MANIFEST.md). One module per phase: ``plan`` (dates, people, numbers, the run's state),
``setup``, ``submission``, ``conclusions`` (with re-verification and the block conclusions),
``appeals`` (with the windows' close and hand-over), ``manifest``; ``run`` plays them in order."""

from demo.cycle.plan import DAYS
from demo.cycle.run import run_demo_cycle

__all__ = ["DAYS", "run_demo_cycle"]
