"""Home-page to-dos of the appeals (p.109–121), discovered by ``AssessmentsConfig.ready``:

* the body's head: the conclusions whose window is open go to "Обжалование"; the completed
  tables signed by the commission's chair wait for the acknowledgement;
* the commission's chair and secretary: objections to convene a sitting on and to decide, with
  the decision's due date (p.114); the chair: decided tables to sign;
* the Agency's coordinator and the working body: overdue decisions, hand-overs to the Agency
  waiting, open result checks (p.110).

Each provider runs a constant number of queries through ``access.visible``.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.todos import Todo, todo_provider
from assessments.models import Cycle, Role


def _objections(p: access.Principal, cycle: Cycle):
    from appeals.models import Objection

    return access.visible(p, Objection.objects.filter(cycle=cycle))


@todo_provider
def _body_appeals(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The body's head: the window is open on a received conclusion; a decided table waits
    for the acknowledgement."""
    heads = p.org_ids(Role.BODY_HEAD)
    if cycle is None or not heads:
        return []
    from assessments.models import Conclusion

    items = []
    windows = list(
        access.visible(p, Conclusion.objects.filter(cycle=cycle))
        .filter(state="issued", body_id__in=sorted(heads), objection_deadline__gte=today)
        .order_by("objection_deadline").values_list("objection_deadline", flat=True)
    )
    if windows:
        items.append(Todo(
            title=_("Направить возражения или уведомление об их отсутствии по заключениям"),
            url=reverse("appeals:appeal_list"), count=len(windows), due_on=windows[0]))
    unsigned = _objections(p, cycle).filter(state="awaiting_signature",
                                            filed_by_id=p.user.pk).count()
    if unsigned:
        items.append(Todo(title=_("Подписать таблицу разногласий: без подписи возражения не "
                                  "направлены"),
                          url=reverse("appeals:appeal_list"), count=unsigned))
    signed = _objections(p, cycle).filter(state="signed_by_chair",
                                          body_id__in=sorted(heads)).count()
    if signed:
        items.append(Todo(title=_("Ознакомиться с итогами обжалования"),
                          url=reverse("appeals:appeal_list"), count=signed))
    return items


@todo_provider
def _commission_work(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The chair and secretary of a commission: objections before it, by what is to be done."""
    from appeals.models import SpecialCommission

    if cycle is None or not p.commission_org_ids:
        return []
    commissions = SpecialCommission.objects.filter(cycle=cycle).filter(
        Q(chair_id=p.user.pk) | Q(secretary_id=p.user.pk))
    evaluators = list(commissions.values_list("evaluator_id", flat=True))
    if not evaluators:
        return []
    chaired = set(commissions.filter(chair_id=p.user.pk).values_list("evaluator_id", flat=True))
    rows = (
        _objections(p, cycle).filter(evaluator_id__in=evaluators)
        .values("state", "evaluator_id").annotate(n=Count("pk"), due=Min("decision_due"))
    )
    todo = {"filed": [0, None], "under_consideration": [0, None], "decided": [0, None]}
    for row in rows:
        if row["state"] not in todo or (row["state"] == "decided"
                                        and row["evaluator_id"] not in chaired):
            continue
        entry = todo[row["state"]]
        entry[0] += row["n"]
        entry[1] = min(d for d in (entry[1], row["due"]) if d is not None)
    url = reverse("appeals:appeal_list")
    titles = {
        "filed": _("Назначить заседание специальной комиссии"),
        "under_consideration": _("Рассмотреть возражения на специальной комиссии"),
        "decided": _("Подписать таблицы разногласий с итогами обжалования"),
    }
    return [Todo(title=titles[state], url=url, count=n,
                 due_on=due if state != "decided" else None)
            for state, (n, due) in todo.items() if n]


@todo_provider
def _commission_to_form(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """Objections have arrived before an evaluating body with no special commission in the
    cycle yet (issue 21: the secretary saw "no urgent tasks"): whoever may form it (the body's
    signatory, the coordinator, an administrator) is asked to; its chair, secretary and members
    are told that it is the next step and who takes it."""
    from appeals.models import SpecialCommission

    if cycle is None:
        return []
    signatory_of = p.org_ids(Role.SIGNATORY)
    forms_any = p.is_admin or p.is_coordinator
    if not (forms_any or signatory_of or p.commission_org_ids):
        return []
    formed = SpecialCommission.objects.filter(cycle=cycle).values("evaluator_id")
    waiting = list(
        _objections(p, cycle).filter(state="filed").exclude(evaluator_id__in=formed)
        .values("evaluator_id").annotate(n=Count("pk"), due=Min("decision_due"))
    )
    url = reverse("appeals:commission_list")
    to_form = [w for w in waiting if forms_any or w["evaluator_id"] in signatory_of]
    informed = [w for w in waiting if w["evaluator_id"] in p.commission_org_ids
                and w not in to_form]
    items = []
    if to_form:
        dues = [w["due"] for w in to_form if w["due"]]
        items.append(Todo(title=_("Сформировать специальную комиссию: поступили возражения"),
                          url=url, count=sum(w["n"] for w in to_form),
                          due_on=min(dues) if dues else None))
    if informed:
        items.append(Todo(
            title=_("Поступили возражения: следующий шаг — сформировать специальную комиссию "
                    "(её формирует подписант оценивающего органа или координатор Агентства)"),
            url=url, count=sum(w["n"] for w in informed)))
    return items


@todo_provider
def _coordinator(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    """The coordinator and the working body: overdue decisions, hand-overs, result checks."""
    if cycle is None or not (p.is_coordinator or Role.WORKING_BODY_REP in p.roles):
        return []
    from appeals.models import Handover, ResultCheck

    url = reverse("appeals:overview")
    items = []
    overdue = _objections(p, cycle).filter(decided_on__isnull=True,
                                           decision_due__lt=today).count()
    if overdue:
        items.append(Todo(title=_("Просроченные решения специальных комиссий"), url=url,
                          count=overdue))
    handovers = access.visible(p, Handover).filter(
        conclusion__cycle=cycle, handed_at__isnull=True).aggregate(n=Count("pk"),
                                                                   due=Min("due_on"))
    if handovers["n"]:
        items.append(Todo(title=_("Внесение окончательных заключений в Агентство"), url=url,
                          count=handovers["n"], due_on=handovers["due"]))
    checks = access.visible(p, ResultCheck).filter(cycle=cycle, state="open").count()
    if checks:
        items.append(Todo(title=_("Проверки отдельных результатов оценки (п.110)"), url=url,
                          count=checks))
    return items
