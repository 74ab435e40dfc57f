"""Who may sit on the special commission's sitting on one objection (p.113).

Members come from three groups:

* employees of the objecting body (a membership in the body or one of its sub-units);
* employees of the evaluating body who took **no part** in assessing the objecting body in that
  cycle and direction;
* representatives of the Commission's working body.

"Took part" means: assigned to the body × direction in the cycle (an assignment removed later
still counts), or any logged action on the objects of that body × direction × cycle — an audit
entry, a state transition or a signature on its report, re-verification, findings, act,
conclusion, or a change of that direction's numbers in its scoring input. A person refused is
told why (:func:`eligibility`). The same participation is registered as a source of
``assessments.registry.services.assignments.participants`` so that other parts see it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.kernel import clock
from assessments.kernel.people import memberships_active
from assessments.models import AuditEntry, Cycle, Organisation, Role, ScoringInput
from assessments.registry.services.assignments import participation_source
from reporting.models import Signature

# Objects of one body × direction × cycle on which acting is taking part in the assessment:
# (app label, model name, lookup prefix to the object carrying cycle/body/direction). Models that
# are not installed yet are skipped.
PARTICIPATION_OBJECTS: tuple[tuple[str, str, str], ...] = (
    ("assessments", "Report", ""),
    ("assessments", "Evidence", "report__"),
    ("assessments", "Reverification", ""),
    ("assessments", "Finding", "reverification__"),
    ("assessments", "ReconciliationAct", "reverification__"),
    ("assessments", "Conclusion", ""),
    ("assessments", "ScoreSheet", ""),
)


# What a logged action or transition was, in words (the reason shown to a refused person never
# carries the internal codes). Audit actions and django-fsm transitions of the objects above.
ACTION_LABELS = {
    # audit entries
    "conclusion_draft": gettext_lazy("подготовил(а) проект заключения"),
    "conclusion_edit": gettext_lazy("редактировал(а) заключение"),
    "conclusion_signature": gettext_lazy("подписал(а) заключение"),
    "conclusion_correction": gettext_lazy("подготовил(а) скорректированное заключение"),
    "conclusion_handover": gettext_lazy("передал(а) заключение в Агентство"),
    "act_sign": gettext_lazy("подписал(а) акт сверки"),
    "act_supersede": gettext_lazy("заменил(а) акт сверки"),
    "finding_record": gettext_lazy("зафиксировал(а) факт повторной проверки"),
    "finding_update": gettext_lazy("изменил(а) факт повторной проверки"),
    "finding_withdraw": gettext_lazy("отозвал(а) факт повторной проверки"),
    "document_request": gettext_lazy("запросил(а) документы"),
    "document_request_withdraw": gettext_lazy("отозвал(а) запрос документов"),
    "reverification_select": gettext_lazy("отобрал(а) орган для повторной проверки"),
    "reverification_cancel": gettext_lazy("отменил(а) повторную проверку"),
    "score": gettext_lazy("выставил(а) баллы"),
    "scoring_input_set": gettext_lazy("изменил(а) исходные данные оценки"),
    "scoring_input_load": gettext_lazy("загрузил(а) исходные данные оценки"),
    "return": gettext_lazy("вернул(а) на доработку"),
    "review_note": gettext_lazy("оставил(а) замечание к отчёту"),
    "section": gettext_lazy("заполнял(а) раздел отчёта"),
    "evidence": gettext_lazy("работал(а) с подтверждающими документами"),
    # transitions
    "submit": gettext_lazy("направил(а) на рассмотрение"),
    "approve": gettext_lazy("согласовал(а)"),
    "send_back": gettext_lazy("вернул(а) на доработку"),
    "accept": gettext_lazy("принял(а)"),
    "issue": gettext_lazy("направил(а) органу"),
    "finalise": gettext_lazy("сделал(а) окончательным"),
    "supersede": gettext_lazy("заменил(а) новой версией"),
    "open_appeal": gettext_lazy("передал(а) на обжалование"),
    "reopen": gettext_lazy("возобновил(а)"),
    "request_documents": gettext_lazy("запросил(а) документы"),
    "receive_documents": gettext_lazy("принял(а) документы"),
    "record_findings": gettext_lazy("зафиксировал(а) результаты повторной проверки"),
    "issue_act": gettext_lazy("оформил(а) акт сверки"),
    "record_act_signed": gettext_lazy("зафиксировал(а) подписание акта сверки"),
    "complete_signing": gettext_lazy("завершил(а) подписание"),
    "cancel": gettext_lazy("отменил(а)"),
    "close": gettext_lazy("закрыл(а)"),
}


def action_label(code: str) -> str:
    """The words for a logged action or transition ``code``; an unknown one is "действовал(а)
    в системе" — never the code itself."""
    code = code or ""
    label = ACTION_LABELS.get(code, ACTION_LABELS.get(code.split(":", 1)[0]))
    return str(label) if label is not None else _("действовал(а) в системе")


def _date(moment) -> str:
    return formats.date_format(moment.astimezone(clock.ZONE), "SHORT_DATE_FORMAT")


def _objects(body: Organisation, direction: str, cycle: Cycle):
    """``[(content type, [ids], label)]`` of the objects of body × direction × cycle."""
    result = []
    for app_label, name, prefix in PARTICIPATION_OBJECTS:
        model = apps.get_model(app_label, name)
        ids = list(
            model._default_manager.filter(
                **{f"{prefix}cycle": cycle, f"{prefix}body": body, f"{prefix}direction": direction}
            ).values_list("pk", flat=True)
        )
        if ids:
            result.append((ContentType.objects.get_for_model(model), ids, model._meta.verbose_name))
    return result


def participation(body: Organisation, direction: str, cycle: Cycle) -> dict[int, str]:
    """``{user id: why they took part}`` in assessing ``body`` on ``direction`` in ``cycle``.

    Only the first reason found per person is kept (assignment first, then logged actions).
    """
    from assessments.models import AssessorAssignment

    reasons: dict[int, str] = {}

    def add(user_id: int | None, text: str) -> None:
        if user_id is not None and user_id not in reasons:
            reasons[user_id] = text

    # A removed assignment still counts: the person took part until then.
    for assessor_id in AssessorAssignment.objects.filter(
        cycle=cycle, body=body, direction=direction
    ).values_list("assessor_id", flat=True):
        add(assessor_id, _("был(а) назначен(а) экспертом по оценке этого органа по этому "
                           "направлению в этом цикле"))

    from django_fsm_log.models import StateLog

    objects = _objects(body, direction, cycle)
    # Every logged action on the body's objects: edits (audit entries), then transitions.
    for model, who, when in ((AuditEntry, "actor", "at"), (StateLog, "by", "timestamp")):
        what = "action" if model is AuditEntry else "transition"
        for content_type, ids, label in objects:
            for user_id, action, at in (
                model.objects.filter(content_type=content_type, object_id__in=ids)
                .exclude(**{who: None})
                .order_by(when)
                .values_list(f"{who}_id", what, when)
            ):
                add(user_id, _("%(action)s — «%(object)s» (%(date)s)")
                    % {"action": action_label(action), "object": label, "date": _date(at)})
    for content_type, ids, label in objects:
        for signer_id, at in Signature.objects.filter(
            signed_document__subject_type=content_type, signed_document__subject_id__in=ids
        ).values_list("signer_id", "signed_at"):
            add(signer_id, _("подписал(а) документ по объекту «%(object)s» (%(date)s)")
                % {"object": label, "date": _date(at)})
    ids = list(ScoringInput.objects.filter(cycle=cycle, body=body).values_list("pk", flat=True))
    if ids:
        prefixes = (f"{direction}.", f"penalties.{direction}")
        for actor_id, changes, at in (
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(ScoringInput),
                object_id__in=ids,
            )
            .exclude(actor=None)
            .order_by("at")
            .values_list("actor_id", "changes", "at")
        ):
            if any(str(path).startswith(prefixes) or path == direction
                   for path in (changes or {})):
                add(actor_id, _("изменял(а) исходные данные оценки по этому направлению "
                                "(%(date)s)") % {"date": _date(at)})
    return reasons


@participation_source
def _logged_participants(body: Organisation, direction: str, cycle: Cycle) -> set[int]:
    return set(participation(body, direction, cycle))


def body_subtree_ids(body: Organisation, depth: int = 3) -> list[int]:
    """The body and its sub-units (``depth`` levels), whose staff are the body's employees."""
    ids, level = [body.pk], [body.pk]
    for _level in range(depth):
        level = list(Organisation.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        if not level:
            break
        ids += level
    return ids


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may sit on the objection's sitting, in which group, and if not, why."""

    user_id: int
    group: str  # SittingMember.Group value, or "" when refused
    reason: str  # why refused ("" when eligible)

    @property
    def eligible(self) -> bool:
        return bool(self.group)


class CompositionContext:
    """Everything the rule needs for one objection, loaded once (a handful of queries)."""

    def __init__(self, *, body: Organisation, evaluator: Organisation, direction: str,
                 cycle: Cycle, day=None) -> None:
        self.body, self.evaluator, self.direction, self.cycle = body, evaluator, direction, cycle
        day = day or clock.today()
        memberships = memberships_active(day)
        subtree = body_subtree_ids(body)
        self.body_staff = set(
            memberships.filter(organisation_id__in=subtree).values_list("user_id", flat=True)
        )
        self.evaluator_staff = set(
            memberships.filter(organisation=evaluator).values_list("user_id", flat=True)
        )
        self.working_body = set(
            memberships.filter(role=Role.WORKING_BODY_REP).values_list("user_id", flat=True)
        )
        self.participants = participation(body, direction, cycle)

    def candidates(self) -> set[int]:
        return self.body_staff | self.evaluator_staff | self.working_body

    def check(self, user_id: int) -> Eligibility:
        if user_id in self.body_staff:
            return Eligibility(user_id, "body", "")
        if user_id in self.participants:
            return Eligibility(
                user_id, "",
                _("Не может входить в состав: принимал(а) участие в оценке органа (п.113) — "
                  "%(why)s.") % {"why": self.participants[user_id]},
            )
        if user_id in self.working_body:
            return Eligibility(user_id, "working_body", "")
        if user_id in self.evaluator_staff:
            return Eligibility(user_id, "evaluator", "")
        return Eligibility(
            user_id, "",
            _("Не может входить в состав: не является сотрудником органа, представившего "
              "возражения, сотрудником уполномоченного на оценку органа или представителем "
              "рабочего органа Комиссии (п.113)."),
        )

    def check_many(self, user_ids: Iterable[int]) -> list[Eligibility]:
        return [self.check(pk) for pk in user_ids]

