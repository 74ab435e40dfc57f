"""Who evaluates whom, the read side: the rules in force on a day (``RuleTable``) and the chain
of a body up to the one evaluated in its own right (p.5–6, p.24, p.26).

The kernel's access registry asks these questions for every evaluating body's people; the
registry's services (``assessments.registry.services.evaluators``) answer for pages and keep the
rules' writes (the seed of p.5–6, 24, 26).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from assessments.kernel import clock
from assessments.kernel.people import active_q
from assessments.models import Cycle, EvaluatorRule, Organisation

# How many levels below an evaluated body its sub-units may sit (ministry → committee →
# territorial unit → its department; oblast → district → rural okrug → village).
MAX_SUBUNIT_DEPTH = 3


def reference_day(cycle: Cycle | None = None, on: date | None = None) -> date:
    """The day whose rules apply: given, else the cycle's reporting period's end, else today."""
    if on is not None:
        return on
    if cycle is not None:
        return cycle.period_end
    return clock.today()


@dataclass
class RuleTable:
    """The rules in force on a day, loaded once (a few dozen rows) and asked many times."""

    day: date
    by_kind: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, dir) -> evaluator
    by_body: dict[tuple[int, str], int] = field(default_factory=dict)  # (body, dir) -> evaluator

    @classmethod
    def load(cls, day: date) -> RuleTable:
        table = cls(day=day)
        rows = EvaluatorRule.objects.filter(active_q(day)).values_list(
            "evaluated_id", "evaluated_kind", "direction", "evaluator_id"
        )
        for evaluated_id, kind, direction, evaluator_id in rows:
            if evaluated_id:
                table.by_body[(evaluated_id, direction)] = evaluator_id
            else:
                table.by_kind[(kind, direction)] = evaluator_id
        return table

    def evaluator_id(self, chain: list[Organisation], direction: str) -> int | None:
        """``chain`` is the body followed by its ancestors, nearest first."""
        for node in chain:
            named = self.by_body.get((node.pk, direction))
            if named:
                return named
            if node.is_evaluated:
                return self.by_kind.get((node.kind, direction))
        return None

    def bodies_q(self, evaluator_id: int, direction: str, prefix: str = "") -> Q:
        """A filter on Organisation (through ``prefix``, e.g. ``"body__"``) selecting the bodies
        that ``evaluator_id`` evaluates on ``direction``, with their sub-units."""
        kinds = [k for (k, d), e in self.by_kind.items() if d == direction and e == evaluator_id]
        own = [b for (b, d), e in self.by_body.items() if d == direction and e == evaluator_id]
        other = [b for (b, d), e in self.by_body.items() if d == direction and e != evaluator_id]

        def root(path: str) -> Q:
            q = Q(**{f"{path}pk__in": own}) if own else Q(pk__in=[])
            if kinds:
                by_kind = Q(**{f"{path}is_evaluated": True, f"{path}kind__in": kinds})
                if other:
                    by_kind &= ~Q(**{f"{path}pk__in": other})
                q |= by_kind
            return q

        result = root(prefix)
        # A sub-unit counts when every level between it and a matching evaluated body is a
        # non-evaluated sub-unit that no rule names.
        path = prefix
        chain_ok = Q()
        for _level in range(MAX_SUBUNIT_DEPTH):
            chain_ok &= Q(**{f"{path}is_evaluated": False})
            if own or other:
                chain_ok &= ~Q(**{f"{path}pk__in": own + other})
            path += "parent__"
            result |= chain_ok & root(path)
        return result


def chain(body: Organisation) -> list[Organisation]:
    """``body`` followed by its ancestors, nearest first (as far as a sub-unit may sit)."""
    nodes, node, seen = [], body, set()
    while node is not None and node.pk not in seen and len(nodes) < MAX_SUBUNIT_DEPTH + 1:
        nodes.append(node)
        seen.add(node.pk)
        node = node.parent
    return nodes
