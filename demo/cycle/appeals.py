"""Appeals and hand-over of a demo cycle (p.109–122, annex 14): no objections from the local
body, the central body's two-row disagreement table to the Agency and its one-row table on the
automation criterion to the digital ministry, both commissions' decisions and the corrected
conclusions (annex 5, then annex 3); the windows closed and the final conclusions handed over to
the Agency.
"""

from __future__ import annotations

from demo.cycle.conclusions import conclusion_through
from demo.cycle.plan import APPEAL_DIRECTION, ASSESSOR_OF, DAYS, Run, at, iso
from demo.seed import DEMO_PASSWORD

SITTING_MEMBERS = (  # (person, capacity): the Agency's commission, the working body, the body
    ("commission-chair", "evaluator"), ("commission-secretary", "evaluator"),
    ("commission-member-1", "evaluator"), ("commission-member-2", "evaluator"),
    ("working-body", "working_body"), ("cgo-deputy", "body"),
)
# The digital ministry's commission on the automation table (p.113: the ministry's employees who
# took no part in assessing the body, the working body, the body's employees).
MINISTRY_SITTING_MEMBERS = (
    ("mdd-commission-chair", "evaluator"), ("mdd-commission-secretary", "evaluator"),
    ("mdd-commission-member", "evaluator"), ("working-body", "working_body"),
    ("cgo-deputy", "body"), ("cgo-submitter", "body"),
)
AUTOMATION_RECOUNTED = 8  # kinds of services the ministry's commission finds fully automated


def objection_rows(run: Run, conclusion) -> list[dict]:
    """The central body's disagreement table on its services conclusion: two rows, each
    claiming a number of the scoring input (the first is accepted, the second rejected)."""
    from assessments.scores.services.scoring_inputs import scoring_input_current

    case = scoring_input_current(cycle=run.cycle, body=conclusion.body).case
    late, refusals = case["services"]["late"], case["services"]["unjustified_refusals"]
    return [
        {"subject": "K2, T1: услуги, оказанные с нарушением сроков",
         "input_path": "services.late", "proposed_value": late - 11,
         "objection_text": (
             f"Из {late} услуг, учтённых как оказанные с нарушением сроков, 11 оказаны в срок: "
             "срок был приостановлен на время межведомственного запроса (письма прилагаются).")},
        {"subject": "K2, T2: необоснованные отказы",
         "input_path": "services.unjustified_refusals", "proposed_value": refusals - 3,
         "objection_text": (
             "Три отказа основаны на отрицательном заключении согласующего органа и являются "
             "обоснованными.")},
    ]


def automation_rows(run: Run, annex5) -> list[dict]:
    """The central body's table on its automation score (annex 5), filed to the digital
    ministry: one row claiming more kinds of services fully automated."""
    from assessments.scores.services.scoring_inputs import scoring_input_current

    case = scoring_input_current(cycle=run.cycle, body=annex5.body).case
    fully = case["services"]["automation"]["fully_automated"]
    return [
        {"subject": "K3, T: степень автоматизации государственных услуг",
         "input_path": "services.automation.fully_automated",
         "proposed_value": fully + AUTOMATION_RECOUNTED,
         "objection_text": (
             f"{AUTOMATION_RECOUNTED} видов услуг переведены в полностью автоматизированный "
             "формат до конца отчётного периода (акты ввода в эксплуатацию прилагаются), но "
             "учтены как частично автоматизированные.")},
    ]


def _sit_and_decide(run: Run, objection, *, former_key: str, chair_key: str,
                    secretary_key: str, members: tuple, rulings, votes):
    """The commission of the objection's evaluating body formed (by its signatory,
    ``former_key``), its sitting convened on the
    sitting day with ``members`` (p.113), attendance recorded and the decision taken
    (``rulings``/``votes`` are functions of the rows and the present members' ids)."""
    from appeals import services as ap
    from appeals.models import Objection
    from assessments.kernel import clock

    chair, secretary = run.user(chair_key), run.user(secretary_key)
    ap.commission_get_or_create(cycle=run.cycle, evaluator=objection.evaluator, chair=chair,
                                secretary=secretary, actor=run.user(former_key))
    people = [(run.user(key), capacity) for key, capacity in members]
    sitting = ap.sitting_convene(objection=objection, members=people, held_on=DAYS["sitting"],
                                 actor=secretary)
    clock.advance(minutes=30)
    present = {user.pk for user, _capacity in people}
    ap.sitting_attendance(sitting=sitting, present=present, actor=secretary)
    rows = list(Objection.objects.get(pk=objection.pk).rows.order_by("number"))
    return ap.objection_decide(objection=objection, actor=chair, rulings=rulings(rows),
                               votes=votes(rows, present))


def _entry(objection) -> dict:
    """The objection as the manifest lists it; ``commission`` is the role key of the evaluating
    body whose special commission ruled it (``agency`` or ``digital_ministry``)."""
    rows = list(objection.rows.order_by("number"))
    return {
        "direction": objection.direction, "state": objection.state,
        "commission": objection.evaluator.evaluator_role,
        "rows": len(rows), "accepted_rows": sum(r.decision == "accepted" for r in rows),
        "outcome": objection.outcome,
        "filed_on": iso(objection.filed_on), "decision_due": iso(objection.decision_due),
        "decided_on": iso(objection.decided_on),
        "overall_after_appeal": objection.overall_after_appeal or None,
    }


def appeals(run: Run, issued: dict) -> None:
    """The local body notifies that it has no objections (p.112); the central body objects to
    its services conclusion with a two-row disagreement table (annex 14) to the Agency on Friday
    27 March, the 3rd working day of the window (20 March, then Nauryz and the weekend, 26 and
    27 March), and to its automation score with a one-row table of its own to the digital
    ministry (p.109: objections go to the body that set the score); its other windows close (the
    clock's job) and the final openness and complaints conclusions are handed over to the
    Agency. On 8 April the Agency's special commission (≥ 5 members, composition rule of p.113)
    accepts one row and rejects the other, and the ministry's commission accepts its row:
    annex 5 version 2 is drafted, the ministry's chair signs its table, version 2 is reviewed,
    signed and issued (version 1 superseded); then annex 3's next version is drafted from the
    current scores (both decisions, the corrected K3), the Agency's chair signs its table and
    version 2 of annex 3 is issued with it (p.115) — version 1 is superseded. The body's head
    acknowledges both tables the next day."""
    from appeals import services as ap
    from appeals.models import Objection
    from assessments.kernel import clock
    from assessments.models import Conclusion

    clock.set_now(at(DAYS["no_objections"], 11))
    for direction in ("services", "openness", "complaints"):
        clock.advance(minutes=10)
        ap.no_objection_notify(conclusion=issued[("local", direction)],
                               actor=run.user("mio-head"))
    clock.set_now(at(DAYS["objection"], 16, 30))
    appealed = issued[("central", APPEAL_DIRECTION)]
    objection = ap.objection_file(conclusion=appealed, actor=run.user("cgo-head"),
                                  rows=objection_rows(run, appealed), passphrase=DEMO_PASSWORD)
    clock.set_now(at(DAYS["objection"], 16, 45))
    annex5 = issued[("central", "automation")]
    automation = ap.objection_file(conclusion=annex5, actor=run.user("cgo-head"),
                                   rows=automation_rows(run, annex5), passphrase=DEMO_PASSWORD)
    windows_close(run)
    handovers(run)

    clock.set_now(at(DAYS["sitting"], 9))
    deputy = run.user("cgo-deputy").pk
    objection = _sit_and_decide(
        run, objection, former_key="agency-deputy", chair_key="commission-chair",
        secretary_key="commission-secretary",
        members=SITTING_MEMBERS,
        rulings=lambda rows: {
            rows[0].pk: {"reasoning": (
                "Приостановление срока на время межведомственного запроса подтверждено "
                "письмами: 11 услуг оказаны в срок."), "applied_value": rows[0].proposed_value},
            rows[1].pk: {"reasoning": (
                "Заключение согласующего органа не является основанием для отказа, "
                "предусмотренным Законом «О государственных услугах»."), "applied_value": None},
        },
        votes=lambda rows, present: {
            rows[0].pk: {pk: "accept" for pk in present},
            rows[1].pk: {pk: ("accept" if pk == deputy else "reject") for pk in present},
        })
    clock.set_now(at(DAYS["sitting"], 10))
    automation = _sit_and_decide(
        run, automation, former_key="mdd-head", chair_key="mdd-commission-chair",
        secretary_key="mdd-commission-secretary", members=MINISTRY_SITTING_MEMBERS,
        rulings=lambda rows: {rows[0].pk: {"reasoning": (
            "Ввод услуг в эксплуатацию в полностью автоматизированном формате до конца "
            "отчётного периода подтверждён актами."), "applied_value": rows[0].proposed_value}},
        votes=lambda rows, present: {rows[0].pk: {pk: "accept" for pk in present}})
    # One chain (README, "where we decide"): annex 5 first — its table signed by the ministry's
    # chair (p.115), version 2 issued — then annex 3's next version with the corrected K3.
    clock.set_now(at(DAYS["sitting"], 11))
    ap.objection_chair_sign(objection=automation, user=run.user("mdd-commission-chair"),
                            passphrase=DEMO_PASSWORD)
    clock.set_now(at(DAYS["sitting"], 11, 30))
    conclusion_through(run, Objection.objects.get(pk=automation.pk).correction, until="issued")
    correction = Conclusion.objects.get(supersedes=appealed)
    clock.set_now(at(DAYS["sitting"], 14))
    ap.objection_chair_sign(objection=objection, user=run.user("commission-chair"),
                            passphrase=DEMO_PASSWORD)
    clock.set_now(at(DAYS["sitting"], 14, 30))
    conclusion_through(run, correction, until="issued")
    clock.set_now(at(DAYS["acknowledged"], 10))
    for o in (objection, automation):
        clock.advance(minutes=15)
        o = ap.objection_acknowledge(objection=Objection.objects.get(pk=o.pk),
                                     user=run.user("cgo-head"), passphrase=DEMO_PASSWORD)
        o = Objection.objects.select_related("evaluator").get(pk=o.pk)
        run.objections.setdefault("central", []).append(
            (_entry(o), o.filed_signed_document, o.table_document))


def windows_close(run: Run) -> None:
    """The clock's job the day after the windows' last day: conclusions with no objection
    become final (p.111)."""
    from assessments.conclusions.services import conclusion_windows_close
    from assessments.kernel import clock

    clock.set_now(at(DAYS["windows_closed"], 0, 5))
    conclusion_windows_close()


def handovers(run: Run) -> None:
    """Hand-over (p.116–121) once the windows closed: the clock's job creates the
    missing hand-overs of the final openness and complaints conclusions (their evaluators are
    not the Agency; the Agency's own services conclusions need none, p.121), and each
    evaluating body's assessor records that it handed its conclusions over to the Agency — on
    the day, before the block conclusions are drafted."""
    from appeals import services as ap
    from appeals.models import Handover
    from assessments.kernel import clock

    clock.set_now(at(DAYS["windows_closed"], 10))
    ap.handovers_job(cycle=run.cycle)
    for h in (Handover.objects.filter(conclusion__cycle=run.cycle, handed_at__isnull=True)
              .select_related("conclusion").order_by("conclusion__body_id",
                                                     "conclusion__direction")):
        clock.advance(minutes=10)
        ap.handover_record(handover=h, actor=run.user(ASSESSOR_OF[h.conclusion.direction]))
