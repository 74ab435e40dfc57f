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
``assessments.services.assignments.participants`` so that other parts see it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from assessments.models import AuditEntry, Cycle, Membership, Organisation, Role
from assessments.services import clock
from assessments.services.assignments import participation_source

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


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _date(moment) -> str:
    return formats.date_format(moment.astimezone(clock.ZONE), "SHORT_DATE_FORMAT")


def _objects(body: Organisation, direction: str, cycle: Cycle):
    """``[(content type, [ids], label)]`` of the objects of body × direction × cycle."""
    result = []
    for app_label, name, prefix in PARTICIPATION_OBJECTS:
        model = _model(app_label, name)
        if model is None:
            continue
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

    objects = _objects(body, direction, cycle)
    for content_type, ids, label in objects:
        for actor_id, action, at in (
            AuditEntry.objects.filter(content_type=content_type, object_id__in=ids)
            .exclude(actor=None)
            .order_by("at")
            .values_list("actor_id", "action", "at")
        ):
            add(actor_id, _("совершал(а) действие «%(action)s» с объектом «%(object)s» "
                            "(%(date)s)") % {"action": action, "object": label, "date": _date(at)})
    from django_fsm_log.models import StateLog

    for content_type, ids, label in objects:
        for by_id, transition, at in (
            StateLog.objects.filter(content_type=content_type, object_id__in=ids)
            .exclude(by=None)
            .order_by("timestamp")
            .values_list("by_id", "transition", "timestamp")
        ):
            add(by_id, _("совершал(а) действие «%(action)s» с объектом «%(object)s» "
                         "(%(date)s)") % {"action": transition, "object": label,
                                          "date": _date(at)})
    signature_model = _model("reporting", "Signature")
    if signature_model is not None:
        for content_type, ids, label in objects:
            for signer_id, at in signature_model.objects.filter(
                signed_document__subject_type=content_type, signed_document__subject_id__in=ids
            ).values_list("signer_id", "signed_at"):
                add(signer_id, _("подписал(а) документ по объекту «%(object)s» (%(date)s)")
                    % {"object": label, "date": _date(at)})
    scoring_input = _model("assessments", "ScoringInput")
    if scoring_input is not None:
        ids = list(
            scoring_input.objects.filter(cycle=cycle, body=body).values_list("pk", flat=True)
        )
        if ids:
            prefixes = (f"{direction}.", f"penalties.{direction}")
            for actor_id, changes, at in (
                AuditEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(scoring_input),
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
        active = (Q(active_from__isnull=True) | Q(active_from__lte=day)) & (
            Q(active_to__isnull=True) | Q(active_to__gte=day)
        )
        memberships = Membership.objects.filter(active)
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

