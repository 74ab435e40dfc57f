"""Steps that take a conclusion along its flow with the right people (the tests' shorthand)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from assessments.conclusions import services as svc
from assessments.models import Conclusion
from tests.worlds.conclusions import PASSPHRASE, World

ANALYSIS = {
    3: {"K1": "Удовлетворённость высокая.", "K2": "Есть нарушения сроков.",
        "K3": "Автоматизация полная."},
    4: {"K1": "Удовлетворённость высокая.", "K2": "Есть нарушения сроков."},
    5: {"K3": "Автоматизация государственных услуг полная."},
    8: {f"P{i}": f"Анализ критерия P{i}." for i in range(1, 8)},
    12: {f"R{i}": f"Анализ критерия R{i}." for i in range(1, 5)},
    15: {"services": "Услуги.", "openness": "Открытость.", "complaints": "Жалобы."},
}


def people(w: World, c: Conclusion) -> dict:
    """Writer, reviewer and signatories (in the seed's order) of ``c``'s annex."""
    return {
        3: (w.assessor, w.unit_head, [w.deputy, w.unit_head]),
        4: (w.assessor, w.unit_head, [w.deputy, w.unit_head]),
        15: (w.assessor, w.unit_head, [w.deputy, w.unit_head]),
        5: (w.digital_assessor, w.digital_unit_head, [w.digital_head, w.digital_unit_head]),
        8: (w.miod_assessor, w.miod_unit_head, [w.miod_head]),
        12: (w.committee_assessor, w.committee_unit_head, [w.committee_head]),
    }[c.annex]


def writer_for(w: World, direction: str):
    return {"services": w.assessor, "block": w.assessor, "automation": w.digital_assessor,
            "openness": w.miod_assessor, "complaints": w.committee_assessor}[direction]


def fresh(c: Conclusion) -> Conclusion:
    return Conclusion.objects.get(pk=c.pk)


def draft(w: World, body, direction: str) -> Conclusion:
    return svc.conclusion_draft(cycle=w.cycle, body=body, direction=direction,
                                actor=writer_for(w, direction))


def written(w: World, c: Conclusion) -> Conclusion:
    writer, _reviewer, _signers = people(w, c)
    return svc.conclusion_update(
        conclusion=c, actor=writer, analysis=ANALYSIS[c.annex],
        recommendations=(c.recommendations + "\nРекомендуется сократить сроки.").strip(),
        revision=c.revision,
    )


def submitted(w: World, c: Conclusion) -> Conclusion:
    writer, _reviewer, _signers = people(w, c)
    return svc.conclusion_submit(conclusion=written(w, c), actor=writer)


def approved(w: World, c: Conclusion) -> Conclusion:
    _writer, reviewer, _signers = people(w, c)
    return svc.conclusion_approve(conclusion=submitted(w, c), actor=reviewer)


def signed(w: World, c: Conclusion) -> Conclusion:
    c = approved(w, c)
    for user in people(w, c)[2]:
        c = svc.conclusion_sign(conclusion=c, user=user, passphrase=PASSPHRASE)
    return c


def issued(w: World, c: Conclusion) -> Conclusion:
    writer, _reviewer, _signers = people(w, c)
    return svc.conclusion_issue(conclusion=signed(w, c), actor=writer)


def logs(c: Conclusion) -> list[StateLog]:
    return list(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Conclusion), object_id=c.pk
        ).order_by("timestamp", "pk")
    )
