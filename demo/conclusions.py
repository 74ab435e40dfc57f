"""Demo conclusions: two bodies of the current cycle with conclusions in every state.

A step of ``demo.steps.DEMO_STEPS``, after re-verification; idempotent (a conclusion already past
a step is left where it is). The bodies are the Ministry of Justice and
the akimat of Karaganda oblast — not the bodies whose reports the submission demo plays — scored
from a sample case loaded by the system (source ``admin``). Everything goes through the same
services as the pages, with the demo people (signatories sign with their demo credentials and the
demo password):

* Ministry of Justice: automation (annex 5) final; services (annex 3) issued, its objection window
  open; openness (annex 8) waiting for review; complaints (annex 12) a draft;
* Karaganda akimat: services (annex 4) approved, waiting for the Agency's deputy chair; openness
  half-way (annex 8, signed, not yet issued); complaints (annex 12) returned with comments.
"""

from __future__ import annotations

DEMO_BODIES = ("moj", "akimat-karaganda")

ANALYSIS = {
    "K1": "Уровень удовлетворённости услугополучателей высокий; жалоб на качество мало.",
    "K2": "Выявлены нарушения сроков оказания отдельных услуг.",
    "K3": "Большинство услуг автоматизировано; доступность в мобильном приложении растёт.",
    "P1": "Наборы открытых данных опубликованы своевременно.",
    "P2": "Отчёты об исполнении бюджета размещены.",
    "P3": "Проекты НПА размещаются с пояснительными записками.",
    "P4": "Блог-платформа ведётся регулярно.",
    "P5": "Интернет-ресурс наполнен.",
    "P6": "Взаимодействие со СМИ налажено.",
    "P7": "Подведомственные организации без нарушений.",
    "R1": "Сроки рассмотрения в основном соблюдаются.",
    "R2": "Доля жалоб, удовлетворённых судом, низкая.",
    "R3": "Перенаправление своевременное.",
    "R4": "Внутренний контроль организован.",
}
# "Выводы и рекомендации" per direction (p.21): each conclusion recommends on its own direction.
RECOMMENDATIONS = {
    "services": "Рекомендуется сократить сроки оказания услуг и расширить проактивный формат.",
    "automation": "Рекомендуется завершить автоматизацию частично автоматизированных услуг.",
    "openness": "Рекомендуется своевременно обновлять наборы открытых данных.",
    "complaints": "Рекомендуется соблюдать сроки рассмотрения жалоб и заявлений.",
}

# (body key, direction, target state)
PLAN = (
    ("moj", "automation", "final"),
    ("moj", "services", "issued"),
    ("moj", "openness", "in_review"),
    ("moj", "complaints", "draft"),
    ("akimat-karaganda", "services", "approved"),
    ("akimat-karaganda", "openness", "signed"),
    ("akimat-karaganda", "complaints", "returned"),
)
# Who does what, per direction: (writer, reviewer, signatories in the seed's order).
PEOPLE = {
    "services": ("agency-assessor", "agency-unit-head", ("agency-deputy", "agency-unit-head")),
    "automation": ("mdd-assessor", "mdd-unit-head", ("mdd-head", "mdd-unit-head")),
    "openness": ("miod-assessor", "miod-unit-head", ("miod-head",)),
    "complaints": ("committee-assessor", "committee-unit-head", ("committee-head",)),
}
ORDER = ("draft", "returned", "in_review", "approved", "signed", "issued", "final")


def _score(cycle, body) -> None:
    from assessments.scores.services.scoring_inputs import (
        case_skeleton,
        scoring_input_current,
        scoring_input_load_case,
    )
    from assessments.scores.services.sheets import score_body
    from assessments.scoring.samples import perfect_case

    if scoring_input_current(cycle=cycle, body=body) is None:
        case = perfect_case(body.kind)
        case["body"] = case_skeleton(cycle, body)["body"]
        case["edition"] = cycle.edition
        case["services"]["late"] = 120  # a realistic score below the maximum
        case["complaints"]["handled_late"] = 3
        scoring_input_load_case(cycle=cycle, body=body, case=case, actor=None,
                                reason="Демонстрационные данные")
    score_body(cycle=cycle, body=body)


# The heads of the bodies whose conclusions the demo shows (they submit the bodies' reports).
BODY_HEADS = {"moj": "Жанибеков Асхат Серикович", "akimat-karaganda": "Абенова Гульмира Кайратовна"}
# Who reviews each direction's report (the evaluating bodies' assessors).
REPORT_REVIEWERS = {"services": "agency-assessor", "automation": "mdd-assessor",
                    "openness": "miod-assessor", "complaints": "committee-assessor"}


def _reports_accepted(cycle, key: str) -> None:
    """A conclusion is drafted only from an accepted report: the body's head (a demo member of
    its own, ``<key>-head``) submits each direction of PLAN with the sample sections and the
    evaluating body's assessor accepts it; the scoring input is assembled here at once, so the
    conclusions are drafted from the scores the reports give (the assembly queued by the
    acceptance then finds nothing new)."""
    from assessments.models import User
    from assessments.registry.services.memberships import membership_grant
    from assessments.scores.services.assembly import scoring_input_assemble
    from assessments.submission.services.reports import report_get_or_create
    from demo.seed import DEMO_PASSWORD, body
    from demo.submission import _advance as report_advance

    organisation = body(key)
    head, created = User.objects.get_or_create(
        username=f"{key}-head",
        defaults={"full_name": BODY_HEADS[key], "position": "Руководитель аппарата",
                  "email": f"{key}-head@example.kz"})
    if created:
        head.set_password(DEMO_PASSWORD)
        head.save()
        membership_grant(actor=None, user=head, organisation=organisation, role="body_head",
                         reason="demo")
    for direction in dict.fromkeys(d for k, d, _t in PLAN if k == key):
        report = report_get_or_create(cycle=cycle, body=organisation, direction=direction)
        report_advance(report, "accepted", head=head,
                       assessor=User.objects.get(username=REPORT_REVIEWERS[direction]))
    scoring_input_assemble(cycle=cycle, body=organisation, actor=None)


def _advance(c, target: str, users: dict) -> None:
    from assessments.conclusions import services as svc
    from assessments.models import Conclusion
    from demo.seed import DEMO_PASSWORD

    writer, reviewer, signers = (users[n] if isinstance(n, str) else [users[x] for x in n]
                                 for n in PEOPLE[c.direction])
    wanted = ORDER.index(target)

    def at() -> int:
        c_now = Conclusion.objects.get(pk=c.pk)
        if c_now.state == "draft" and c_now.review_comments:
            return ORDER.index("returned")
        return ORDER.index(c_now.state) if c_now.state in ORDER else len(ORDER)

    if at() == 0 and wanted >= 1:
        fresh = Conclusion.objects.get(pk=c.pk)
        svc.conclusion_update(
            conclusion=fresh, actor=writer,
            analysis={code: ANALYSIS.get(code, "") for code in svc.CRITERIA[fresh.annex]},
            recommendations=(fresh.recommendations + "\n"
                             + RECOMMENDATIONS[fresh.direction]).strip(),
            revision=fresh.revision,
        )
        svc.conclusion_submit(conclusion=fresh, actor=writer)
        if target == "returned":
            svc.conclusion_return(conclusion=fresh, actor=reviewer,
                                  comments="Дополните анализ по критерию R1 данными за год.")
            return
    if at() == ORDER.index("returned") and wanted > ORDER.index("returned"):
        svc.conclusion_submit(conclusion=c, actor=writer)
    if at() == ORDER.index("in_review") and wanted >= ORDER.index("approved"):
        svc.conclusion_approve(conclusion=c, actor=reviewer)
    if at() == ORDER.index("approved") and wanted >= ORDER.index("signed"):
        for user in signers:
            fresh = Conclusion.objects.get(pk=c.pk)
            if fresh.state == "approved":
                try:
                    svc.conclusion_sign(conclusion=fresh, user=user, passphrase=DEMO_PASSWORD)
                except Exception:  # already signed by this person on an earlier run
                    continue
    if at() == ORDER.index("signed") and wanted >= ORDER.index("issued"):
        svc.conclusion_issue(conclusion=c, actor=writer)


def seed_conclusions() -> None:
    from assessments.conclusions import services as svc
    from assessments.models import User
    from assessments.registry.services.cycles import current_cycle
    from demo.seed import DEMO_PASSWORD, PERSONAS, body
    from reporting.signing.services import active_credential, issue_demo_credential

    cycle = current_cycle()
    if cycle is None:
        return
    users = {u.username: u for u in User.objects.filter(
        username__in=[p.username for p in PERSONAS])}
    for names in PEOPLE.values():
        for username in names[2]:
            if active_credential(users[username]) is None:
                issue_demo_credential(users[username], DEMO_PASSWORD)
    for key in DEMO_BODIES:
        _score(cycle, body(key))
        _reports_accepted(cycle, key)
        _score(cycle, body(key))
    for key, direction, target in PLAN:
        writer = users[PEOPLE[direction][0]]
        c = svc.conclusion_draft(cycle=cycle, body=body(key), direction=direction, actor=writer)
        _advance(c, target, users)
