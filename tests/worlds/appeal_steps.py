"""The appeals tests' shorthand: file, convene, attend, vote, decide with the right people."""

from __future__ import annotations

from appeals import services as appeals
from appeals.models import Objection, Sitting
from tests.worlds.factories import PASSPHRASE

ROW_LATE = {
    "subject": "K2. Соблюдение сроков оказания государственных услуг (T1)",
    "objection_text": "30 нарушений сроков учтены ошибочно: сроки продлены по закону.",
    "input_path": "services.late",
    "proposed_value": 0,
}
ROW_K1 = {
    "subject": "K1. Удовлетворенность услугополучателей",
    "objection_text": "Опрос проведён на нерепрезентативной выборке.",
}


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def file(aw, conclusion, rows=None, **extra) -> Objection:
    extra.setdefault("passphrase", PASSPHRASE)
    return appeals.objection_file(conclusion=conclusion, actor=aw.local_head,
                                  rows=rows or [ROW_LATE, ROW_K1], **extra)


def convene(aw, objection, members=None, held_on=None) -> Sitting:
    from assessments.kernel import clock

    if aw.commission is None:
        aw.form_commission()
    people = members if members is not None else aw.sitting_people()
    return appeals.sitting_convene(objection=objection, members=[(u, "") for u in people],
                                   held_on=held_on or clock.today(),
                                   actor=aw.commission.secretary)


def attend(aw, sitting, present=None) -> Sitting:
    people = present if present is not None else aw.sitting_people()
    return appeals.sitting_attendance(sitting=sitting, present={u.pk for u in people},
                                      actor=aw.commission.secretary)


def decide(aw, objection, choices: dict, *, applied=None, actor=None,
           no_number_change=()) -> Objection:
    """``choices``: ``{row number: {user: "accept"|"reject"}}``; ``no_number_change``: the
    numbers of rows accepted without changing a number."""
    rows = {r.number: r for r in objection.rows.all()}
    votes = {rows[n].pk: {u.pk: v for u, v in by.items()} for n, by in choices.items()}
    rulings = {rows[n].pk: {"reasoning": f"Обоснование по строке {n}.",
                            "applied_value": (applied or {}).get(n),
                            "no_number_change": n in no_number_change} for n in choices}
    return appeals.objection_decide(objection=objection,
                                    actor=actor or aw.commission.secretary,
                                    rulings=rulings, votes=votes)


def everyone(people, choice: str) -> dict:
    return {u: choice for u in people}


def decided(aw, *, accept: bool):
    o = file(aw, aw.issued())
    attend(aw, convene(aw, o))
    people = aw.sitting_people()
    return decide(aw, o, {1: everyone(people, "accept" if accept else "reject"),
                          2: everyone(people, "reject")})
