"""The appeal pages' world: the conclusions world (tests/worlds/conclusions.py: the Agency, a
ministry and an akimat with scores, one person per role) plus the rest of the Agency's special
commission, the Commission's working body and the Agency's coordinator, and the ministry's
services conclusion issued today (its objection window open).

    secretary, member, member2   the Agency's commission (the chair is ``w.chair``)
    working_body                 the Commission's working body (Presidential Administration)
    coordinator                  the Agency's coordinator
    conclusion                   the ministry's services conclusion (annex 3), issued today
"""

from __future__ import annotations

from dataclasses import dataclass

from appeals import rules
from assessments.kernel import clock
from assessments.models import Conclusion, ScoreSheet, User
from tests.worlds.conclusions import PASSPHRASE, World, build_world, org, person

__all__ = ["PASSPHRASE", "PagesWorld", "build_pages_world", "issued_conclusion"]


@dataclass
class PagesWorld:
    w: World
    secretary: User
    member: User
    member2: User
    working_body: User
    coordinator: User
    conclusion: Conclusion

    def __getattr__(self, name):
        if name == "w":  # not set yet (copying, pickling)
            raise AttributeError(name)
        return getattr(self.w, name)


def issued_conclusion(w: World, body, direction: str = "services") -> Conclusion:
    """Version 1 of ``body``'s conclusion on ``direction``, issued now (drafted from its stored
    scores, so its criteria and values are the real ones)."""
    from assessments.conclusions.services import annex_for
    from assessments.registry.services.evaluators import evaluator_for

    sheet = ScoreSheet.objects.get(cycle=w.cycle, body=body, direction=direction,
                                   is_current=True)
    now = clock.now()
    return Conclusion.objects.create(
        cycle=w.cycle, body=body, direction=direction, version=1, state="issued",
        annex=annex_for(direction, body), evaluator=evaluator_for(body, direction, w.cycle),
        score_sheet=sheet, values=dict(sheet.values),
        analysis={"K1": "Удовлетворённость высокая.", "K2": "Есть нарушения сроков.",
                  "K3": "Автоматизация полная."},
        created_at=now, updated_at=now, received_at=now,
        objection_deadline=rules.window_last_day(clock.today()),
    )


def build_pages_world() -> PagesWorld:
    w = build_world()
    administration = org("Администрация Президента", central_type="other_body",
                         is_evaluated=False)
    return PagesWorld(
        w=w,
        secretary=person("secretary", w.agency, "commission_secretary",
                         full_name="Есенова Мадина"),
        member=person("member", w.agency, "commission_member", full_name="Куанышев Алмас"),
        member2=person("member2", w.agency, "commission_member", full_name="Бекенов Арман"),
        working_body=person("working_body", administration, "working_body_rep",
                            full_name="Бекова Жанар"),
        coordinator=person("coordinator", w.agency, "coordinator", full_name="Омарова Асель"),
        conclusion=issued_conclusion(w, w.ministry),
    )
