"""Appeals and hand-over of a demo cycle (p.109–122, annex 14): no objections from the local
body, the central body's two-row disagreement table, the special commission's decision and the
corrected conclusion; the windows closed and the final conclusions handed over to the Agency.
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


def appeals(run: Run, issued: dict) -> None:
    """The local body notifies that it has no objections (p.112); the central body objects to
    its services conclusion with a two-row disagreement table (annex 14) on Friday 27 March,
    the 3rd working day of the window (20 March, then Nauryz and the weekend, 26 and 27 March);
    its other windows close (the clock's job) and the final openness and complaints conclusions
    are handed over to the Agency; the Agency's special commission (≥ 5 members, composition
    rule of p.113) accepts one row and rejects the other; the corrected conclusion (version 2)
    is drafted from the recomputed scores; the chair signs the completed table; version 2 is
    reviewed, signed and issued with it (p.115) — version 1 is superseded; the body's head
    acknowledges the table the next day."""
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
    windows_close(run)
    handovers(run)
    chair, secretary = run.user("commission-chair"), run.user("commission-secretary")
    clock.set_now(at(DAYS["sitting"], 9))
    ap.commission_get_or_create(cycle=run.cycle, evaluator=appealed.evaluator, chair=chair,
                                secretary=secretary, actor=run.user("agency-deputy"))
    members = [(run.user(key), capacity) for key, capacity in SITTING_MEMBERS]
    sitting = ap.sitting_convene(objection=objection, members=members, held_on=DAYS["sitting"],
                                 actor=secretary)
    clock.set_now(at(DAYS["sitting"], 11))
    present = {user.pk for user, _capacity in members}
    ap.sitting_attendance(sitting=sitting, present=present, actor=secretary)
    rows = list(Objection.objects.get(pk=objection.pk).rows.order_by("number"))
    accepted, rejected = rows[0], rows[1]
    rulings = {
        accepted.pk: {"reasoning": (
            "Приостановление срока на время межведомственного запроса подтверждено письмами: "
            "11 услуг оказаны в срок."), "applied_value": accepted.proposed_value},
        rejected.pk: {"reasoning": (
            "Заключение согласующего органа не является основанием для отказа, "
            "предусмотренным Законом «О государственных услугах»."), "applied_value": None},
    }
    votes = {
        accepted.pk: {pk: "accept" for pk in present},
        rejected.pk: {pk: ("accept" if pk == run.user("cgo-deputy").pk else "reject")
                      for pk in present},
    }
    objection = ap.objection_decide(objection=objection, actor=chair, rulings=rulings,
                                    votes=votes)
    correction = objection.correction or Conclusion.objects.filter(
        supersedes=appealed).order_by("-version").first()
    # p.115: the corrected conclusion goes to the body together with the completed table, so
    # the chair signs the table before version 2 is issued.
    clock.set_now(at(DAYS["sitting"], 13))
    ap.objection_chair_sign(objection=objection, user=chair, passphrase=DEMO_PASSWORD)
    clock.set_now(at(DAYS["sitting"], 14))
    conclusion_through(run, correction, until="issued")
    clock.set_now(at(DAYS["acknowledged"], 10))
    objection = ap.objection_acknowledge(objection=Objection.objects.get(pk=objection.pk),
                                         user=run.user("cgo-head"), passphrase=DEMO_PASSWORD)
    objection = Objection.objects.get(pk=objection.pk)
    rows = list(objection.rows.order_by("number"))
    run.objections.setdefault("central", []).append(({
        "direction": objection.direction, "state": objection.state,
        # the evaluating body whose special commission ruled it (the code's role key)
        "commission": objection.evaluator.evaluator_role,
        "rows": len(rows), "accepted_rows": sum(r.decision == "accepted" for r in rows),
        "outcome": objection.outcome,
        "filed_on": iso(objection.filed_on), "decision_due": iso(objection.decision_due),
        "decided_on": iso(objection.decided_on),
        "overall_after_appeal": objection.overall_after_appeal or None,
    }, objection.filed_signed_document, objection.table_document))


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
