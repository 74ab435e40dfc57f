"""The demo cycle's manifest (the contract: DEMO_MANIFEST.md): every document copied to DIR with
its SHA-256, and per body its reports, re-verifications, conclusions, objections, case and scores.
"""

from __future__ import annotations

from demo.cycle.plan import Run, iso, sha256_hex


def _body_slug(run: Run, key: str) -> str:
    return f"{key}-dc{run.number}"


def _document(run: Run, *, annex: int, body, direction: str, version: int, state: str,
              signed_document=None, rendered_document=None, name: str) -> None:
    """Copy a document's bytes to DIR and list them in the manifest: a signed document's
    current version (every signature), or a rendered one that is not signed."""
    field_file = (signed_document.current_file if signed_document is not None
                  else rendered_document.file)
    with field_file.open("rb") as handle:
        data = handle.read()
    (run.out / name).write_bytes(data)
    run.documents.append({
        "annex": annex, "body": body.name_ru, "direction": direction, "version": version,
        "state": state,
        "signed": signed_document is not None and signed_document.state == "signed",
        "sha256": sha256_hex(data), "file": name,
    })


def collect_documents(run: Run) -> None:
    from assessments.models import Conclusion, ReconciliationAct

    for key, body in run.bodies.items():
        stem = _body_slug(run, key)
        for act in ReconciliationAct.objects.filter(
            reverification__cycle=run.cycle, reverification__body=body
        ).select_related("reverification", "signed_document").order_by("pk"):
            rv = act.reverification
            _document(run, annex=1, body=body, direction=rv.direction, version=act.version,
                      state=act.signed_document.state, signed_document=act.signed_document,
                      name=f"{stem}-annex1-{rv.direction}-v{act.version}.pdf")
        for c in Conclusion.objects.filter(cycle=run.cycle, body=body).exclude(
            signed_document=None
        ).select_related("signed_document").order_by("annex", "direction", "version"):
            _document(run, annex=c.annex, body=body, direction=c.direction, version=c.version,
                      state=c.state, signed_document=c.signed_document,
                      name=f"{stem}-annex{c.annex}-{c.direction}-v{c.version}.pdf")
        for entry, filed, table in run.objections.get(key, []):
            direction = entry["direction"]
            if filed is not None:  # as the body's head signed and filed it
                _document(run, annex=14, body=body, direction=direction, version=filed.version,
                          state=entry["state"], signed_document=filed,
                          name=f"{stem}-annex14-{direction}-v{filed.version}.pdf")
            if table is not None:  # with the commission's decision, signed by both sides
                _document(run, annex=14, body=body, direction=direction, version=table.version,
                          state=entry["state"], signed_document=table,
                          name=f"{stem}-annex14-{direction}-v{table.version}.pdf")
    # annexes 9 and 10 of every body and the reference forms of the edition (nobody signs them)
    from demo.cycle.documents import collect_cycle_documents

    collect_cycle_documents(run, _body_slug)


def body_manifest(run: Run, key: str) -> dict:
    from assessments.models import Conclusion, IncompletenessFact, Report, Reverification
    from assessments.scores.services.scoring_inputs import scoring_input_current

    body = run.bodies[key]
    cycle = run.cycle
    result = {
        "name": body.name_ru,
        "kind": body.kind,
        "bin": body.bin,
        "reports": [
            {"direction": r.direction, "state": r.state, "late": r.late,
             "returned_times": r.returned_times,
             "missing_elements": IncompletenessFact.objects.filter(
                 report=r, report_version=r.version).count()}
            for r in Report.objects.filter(cycle=cycle, body=body).order_by("direction")
        ],
        "reverifications": [],
        "conclusions": [],
        "objections": [entry for entry, _filed, _table in run.objections.get(key, [])],
    }
    for rv in Reverification.objects.filter(cycle=cycle, body=body).order_by("direction"):
        act = rv.acts.order_by("-version").select_related("signed_document").first()
        result["reverifications"].append({
            "direction": rv.direction, "state": rv.state,
            "facts_unreliable": rv.unreliable_facts, "facts_incomplete": rv.incomplete_facts,
            "deduction": f"{rv.deduction:.2f}" if rv.deduction is not None else None,
            "act_version": act.version if act else None,
            "act_state": _act_state(act),
        })
    for c in Conclusion.objects.filter(
        cycle=cycle, body=body, direction__in=("services", "openness", "complaints")
    ).order_by("direction", "version"):
        entry = {
            "direction": c.direction, "annex": c.annex, "version": c.version, "state": c.state,
            "final_score": c.values.get("final"),
            "received_on": iso(c.received_at),
            "objection_deadline": iso(c.objection_deadline),
            # how its window ended (an extra key): objection, no_objections, or silent —
            # neither by the last day (p.111); null where there is no window
            "window": c.window_outcome or None,
        }
        if c.annex == 3:  # the automation criterion it prints (an extra key of the contract)
            entry["automation_score"] = c.values.get("K3")
        result["conclusions"].append(entry)
    # The automation conclusion's versions (annex 5; an extra key of the contract): its score K3.
    result["automation"] = [
        {"version": c.version, "state": c.state, "score": c.values.get("K3"),
         "received_on": iso(c.received_at)}
        for c in Conclusion.objects.filter(cycle=cycle, body=body, direction="automation")
        .order_by("version")
    ]
    result["no_objections"] = _no_objections(run, body)
    result["handovers"] = _handovers(run, body)
    sheets = _current_sheets(run, body)
    si = scoring_input_current(cycle=cycle, body=body)
    overall = sheets.get("overall")
    result["case"] = (overall.scoring_input.case if overall is not None else si.case)
    result["penalties"] = _penalties(result["case"])
    result["scores"] = {
        "services": _final(sheets.get("services")),
        "openness": _final(sheets.get("openness")),
        "complaints": _final(sheets.get("complaints")),
        "overall": overall.values.get("overall") if overall is not None else None,
        "band": overall.values.get("band") if overall is not None else None,
    }
    return result


def _act_state(act) -> str | None:
    """The act's state: the signed document's (``signed`` once both sides signed), or
    ``not_signed_by_body`` for an act closed past the body's term without its signature."""
    if act is None:
        return None
    if act.closure == "not_signed_by_body":
        return act.closure
    return act.signed_document.state if act.signed_document else None


def _penalties(case: dict) -> list[dict]:
    """Per direction, every fact that counted (re-verification and submission together, as the
    case the scores come from holds them) and the deduction min(5, 0.2 × u + 2 × i) (p.20)."""
    from decimal import Decimal

    result = []
    for direction in ("services", "openness", "complaints"):
        facts = (case.get("penalties") or {}).get(direction) or {}
        unreliable = int(facts.get("unreliable_facts", 0))
        incomplete = int(facts.get("incomplete_facts", 0))
        deduction = min(Decimal(5), Decimal("0.2") * unreliable + 2 * incomplete)
        result.append({"direction": direction, "facts_unreliable": unreliable,
                       "facts_incomplete": incomplete, "deduction": f"{deduction:.2f}"})
    return result


def _handovers(run: Run, body) -> list[dict]:
    """The body's final direction conclusions handed over to the Agency (an extra key of the
    contract): direction, version, due date, the day handed over."""
    from appeals.models import Handover

    return [
        {"direction": h.conclusion.direction, "version": h.conclusion.version,
         "to": h.to.name_ru, "due_on": iso(h.due_on), "handed_on": iso(h.handed_at)}
        for h in Handover.objects.filter(conclusion__cycle=run.cycle, conclusion__body=body)
        .select_related("conclusion", "to").order_by("conclusion__direction",
                                                     "conclusion__version")
    ]


def _no_objections(run: Run, body) -> list[dict]:
    from appeals.models import NoObjectionNotice

    return [
        {"direction": n.conclusion.direction, "version": n.conclusion.version,
         "sent_on": iso(n.sent_at)}
        for n in NoObjectionNotice.objects.filter(
            conclusion__cycle=run.cycle, body=body).select_related("conclusion").order_by(
            "conclusion__direction")
    ]


def _final(sheet) -> str | None:
    return sheet.values.get("final") if sheet is not None and sheet.values else None


def _current_sheets(run: Run, body) -> dict:
    from assessments.models import ScoreSheet

    return {s.direction: s for s in ScoreSheet.objects.filter(
        cycle=run.cycle, body=body, is_current=True).select_related("scoring_input")}


def manifest(run: Run) -> dict:
    return {
        "cycle": str(run.cycle.year),
        "cycle_code": run.cycle.code,
        "edition": run.cycle.edition,
        "documents": run.documents,
        "bodies": [body_manifest(run, key) for key in run.bodies],
    }
