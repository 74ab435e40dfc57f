"""The registry of the project's object URLs, for the access matrix test.

``tests/assessments/kernel/test_access_matrix.py`` walks every URL pattern of the project. Each
pattern that takes an object id or slug must have at least one case here, saying how to reach an
object of the demo data and which demo personas (``demo.seed.DEMO_LOGINS``) may open it:

* ``allowed``   — get the page (200);
* ``forbidden`` — see the object but may not do this with it (403);
* everyone else — 404: an outsider learns nothing about other bodies' objects.

To register a new object URL, add a case next to the others, e.g. for a report's page:

    register(
        "submission:report_detail", "a central body's services report",
        build=lambda w: {"pk": w.report("mf", "services").pk},
        allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS,
    )

``build`` receives a ``World`` (the demo data after ``seed_demo``) and returns the URL's kwargs;
it may create what the demo data lacks. URLs that take parameters but are not object pages (a
token, a file path) go in ``EXEMPT`` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# --- Persona groups (usernames of demo.seed.PERSONAS) ----------------------------------

GLOBAL = frozenset({"admin", "coordinator", "working-body"})
CGO_STAFF = frozenset({"cgo-submitter", "cgo-head"})
MIO_STAFF = frozenset({"mio-submitter", "mio-head"})
AGENCY_EVALUATORS = frozenset({"agency-assessor", "agency-unit-head", "agency-deputy"})
AGENCY_COMMISSION = frozenset({"commission-chair", "commission-secretary", "commission-member"})
MIOD = frozenset({"miod-assessor", "miod-unit-head", "miod-head"})
COMMITTEE = frozenset({"committee-assessor", "committee-unit-head", "committee-head"})
DIGITAL = frozenset({"mdd-assessor", "mdd-unit-head", "mdd-head"})


def everyone() -> frozenset[str]:
    from demo.seed import DEMO_LOGINS

    return frozenset(username for username, _label in DEMO_LOGINS)


class World:
    """The demo data, for building objects of the cases."""

    def body(self, key: str):
        from demo.seed import body

        return body(key)

    @property
    def cycle(self):
        from assessments.models import Cycle

        return Cycle.objects.get(is_current=True)

    def user(self, username: str):
        from assessments.models import User

        return User.objects.get(username=username)

    def signed_document(self):
        """A frozen one-page PDF for the Agency's deputy chair and head of unit to sign."""
        from io import BytesIO

        from pypdf import PdfWriter

        from reporting.signing.services import signed_document_freeze

        buffer = BytesIO()
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.write(buffer)
        return signed_document_freeze(
            signatories=[self.user("agency-deputy"), self.user("agency-unit-head")],
            pdf=buffer.getvalue(), kind="access-matrix", title="Access matrix",
        )

    def conclusion(self, body_key: str, direction: str, state: str):
        """A conclusion of the body on ``direction`` in ``state`` (version 1), made directly
        (the demo's own conclusions are of other bodies; pages need no scores to show it)."""
        from assessments.conclusions.services import annex_for
        from assessments.kernel import clock
        from assessments.models import Conclusion
        from assessments.registry.services.evaluators import evaluator_for

        body = self.body(body_key)
        existing = Conclusion.objects.filter(cycle=self.cycle, body=body, direction=direction,
                                             version=1).first()
        if existing is not None:
            assert existing.state == state, (existing, existing.state, state)
            return existing
        now = clock.now()
        return Conclusion.objects.create(
            cycle=self.cycle, body=body, direction=direction, version=1, state=state,
            annex=annex_for(direction, body), evaluator=evaluator_for(body, direction, self.cycle),
            values=_current_values(body, direction, self.cycle), analysis={},
            created_at=now, updated_at=now,
        )

    def assignment(self, username: str, body_key: str, direction: str):
        from assessments.models import AssessorAssignment

        return AssessorAssignment.objects.get(
            cycle=self.cycle, assessor__username=username, body=self.body(body_key),
            direction=direction,
        )


def _current_values(body, direction: str, cycle) -> dict:
    """What a conclusion drafted now would print: the body's current scores (so the stale-scores
    guard lets the approve and sign pages offer their action); a fixed score when the demo has
    none for the direction."""
    from assessments.conclusions.services.guard_scores import current_values
    from assessments.models import Conclusion

    probe = Conclusion(cycle=cycle, body=body, direction=direction, state="draft", values={})
    return current_values(probe) or {"final": "80.00"}


@dataclass(frozen=True)
class Case:
    url_name: str
    label: str
    build: Callable[[World], dict]
    allowed: frozenset[str] | Callable[[], frozenset[str]]
    forbidden: frozenset[str] | Callable[[], frozenset[str]] = frozenset()

    def allowed_set(self) -> frozenset[str]:
        return self.allowed() if callable(self.allowed) else self.allowed

    def forbidden_set(self) -> frozenset[str]:
        return self.forbidden() if callable(self.forbidden) else self.forbidden


CASES: list[Case] = []

# URL names (or namespace prefixes ending in ":") that take parameters but are not object pages.
EXEMPT: dict[str, str] = {
    "admin:": "Django admin: staff only, with its own permission checks (tested separately)",
    "password_reset_confirm": "a one-time token from the reset e-mail, not an object",
    "api:report_section": "a write-only API endpoint (PUT): replayed with every persona's token "
                          "by tests/worlds/api_replay.py (called by the access matrix test)",
    "api:report_submit": "a write-only API endpoint (POST): replayed with every persona's token "
                         "by tests/worlds/api_replay.py (called by the access matrix test)",
    "api:import_confirm": "a write-only API endpoint (POST): replayed with every persona's token "
                          "by tests/worlds/api_replay.py (called by the access matrix test)",
    "api:not_found": "the API's catch-all: any unknown path under api/v1/ answers a 404 problem",
    "portal:job_action": "a POST action (retry, cancel) of the operators' jobs page, not an object "
                         "page; who may use it: tests/assessments/kernel/test_leases.py",
}


def register(url_name: str, label: str, *, build, allowed, forbidden=frozenset()) -> None:
    CASES.append(Case(url_name, label, build, allowed, forbidden))


# --- assessments ---------------------------------------------------------------------------

register("registry:organisation_detail", "a ministry (central body)",
         build=lambda w: {"pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS | MIOD | COMMITTEE | DIGITAL)
register("registry:organisation_detail", "a territorial unit of a ministry's committee",
         build=lambda w: {"pk": w.body("mf-sgd-astana").pk},
         allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS | MIOD | COMMITTEE | DIGITAL)
register("registry:organisation_detail", "an oblast akimat (local body, no automation)",
         build=lambda w: {"pk": w.body("akimat-akmola").pk},
         allowed=GLOBAL | MIO_STAFF | AGENCY_EVALUATORS | MIOD | COMMITTEE)
register("registry:organisation_detail", "a rural okrug three levels below the akimat",
         build=lambda w: {"pk": w.body("katarkol").pk},
         allowed=GLOBAL | MIO_STAFF | AGENCY_EVALUATORS | MIOD | COMMITTEE)
register("registry:organisation_detail", "another oblast's akimat",
         build=lambda w: {"pk": w.body("akimat-ulytau").pk},
         allowed=GLOBAL | AGENCY_EVALUATORS | MIOD | COMMITTEE)
register("registry:organisation_detail",
         "the General Prosecutor's Office (the Administration's, p.5)",
         build=lambda w: {"pk": w.body("gp").pk},
         allowed=GLOBAL)
register("registry:organisation_detail", "the Agency (services by the Administration, p.5)",
         build=lambda w: {"pk": w.body("agency").pk},
         allowed=GLOBAL | AGENCY_EVALUATORS | AGENCY_COMMISSION | MIOD | COMMITTEE)
register("registry:organisation_detail", "MIOD (openness by the Prime Minister's Office, p.5)",
         build=lambda w: {"pk": w.body("miod").pk},
         allowed=GLOBAL | MIOD | AGENCY_EVALUATORS | COMMITTEE | DIGITAL)
register("registry:organisation_detail", "the Presidential Administration (not evaluated)",
         build=lambda w: {"pk": w.body("pa").pk},
         allowed=GLOBAL)

register("registry:cycle_detail", "the current cycle and its schedule",
         build=lambda w: {"code": w.cycle.code}, allowed=everyone)
register("registry:cycle_assignments", "the cycle's assessor assignments (filtered per person)",
         build=lambda w: {"code": w.cycle.code}, allowed=everyone)
register("registry:milestone_edit", "a milestone of the schedule (the coordinator edits it)",
         build=lambda w: {"code": w.cycle.code, "pk": w.cycle.milestones.first().pk},
         allowed=frozenset({"admin", "coordinator"}),
         forbidden=lambda: everyone() - {"admin", "coordinator"})
register("registry:assignment_remove", "the Agency assessor's assignment to a ministry's services",
         build=lambda w: {"pk": w.assignment("agency-assessor", "mf", "services").pk},
         allowed=frozenset({"admin", "coordinator", "agency-unit-head", "agency-deputy"}),
         forbidden=frozenset({"working-body", "agency-assessor"}) | CGO_STAFF)
register("registry:assignment_remove", "MIOD's assessor's assignment to an akimat's openness",
         build=lambda w: {"pk": w.assignment("miod-assessor", "akimat-akmola", "openness").pk},
         allowed=frozenset({"admin", "coordinator", "miod-unit-head", "miod-head"}),
         forbidden=frozenset({"working-body", "miod-assessor"}) | MIO_STAFF)

# --- reporting: signed documents (visible to staff and to the people in the signature block) --

SIGNATORIES = frozenset({"admin", "agency-deputy", "agency-unit-head"})
register("reporting:signed_document_detail", "a document frozen for two Agency signatories",
         build=lambda w: {"pk": w.signed_document().pk}, allowed=SIGNATORIES)
register("reporting:signed_document_sign", "the signing page of that document",
         build=lambda w: {"pk": w.signed_document().pk}, allowed=SIGNATORIES)
register("reporting:signed_document_file", "its current PDF",
         build=lambda w: {"pk": w.signed_document().pk}, allowed=SIGNATORIES)
register("reporting:signed_document_file_version", "its frozen source PDF (version 0)",
         build=lambda w: {"pk": w.signed_document().pk, "order": 0}, allowed=SIGNATORIES)

# --- reports, evidence, openness scoring, imports -------------------------------------------


def _report(w: World, body_key: str, direction: str):
    from assessments.models import Report

    return Report.objects.get(cycle=w.cycle, body=w.body(body_key), direction=direction)


def _evidence(w: World):
    """A document attached by the akimat's submitter to its draft openness report, checked
    and accepted (out of quarantine: the evaluators see it)."""
    from assessments.models import Evidence
    from assessments.submission.services.evidence import evidence_check, evidence_upload
    from tests.worlds.samples import pdf_bytes

    report = _report(w, "akimat-akmola", "openness")
    existing = Evidence.objects.filter(report=report, indicator="published").first()
    if existing:
        return existing
    evidence = evidence_upload(actor=w.user("mio-submitter"), report=report,
                               section_key="t1_open_data", indicator="published",
                               title="Протокол", upload=pdf_bytes("Протокол публикации"),
                               original_name="protocol.pdf", classification="open")
    return evidence_check(evidence_id=evidence.pk)


def _held_evidence(w: World):
    """A picture attached by the akimat's submitter, held for the head's confirmation."""
    from assessments.models import Evidence
    from assessments.submission.services.evidence import evidence_check, evidence_upload
    from tests.worlds.samples import png_bytes

    report = _report(w, "akimat-akmola", "openness")
    existing = Evidence.objects.filter(report=report, indicator="screenshot").first()
    if existing:
        return existing
    evidence = evidence_upload(actor=w.user("mio-submitter"), report=report,
                               section_key="t1_open_data", indicator="screenshot",
                               title="Скриншот", upload=png_bytes(), original_name="shot.png",
                               classification="open")
    return evidence_check(evidence_id=evidence.pk)


def _import(w: World):
    from assessments.models import ImportBatch

    return ImportBatch.objects.filter(cycle=w.cycle, kind="monitoring").first()


EVALUATORS_OF_MF = AGENCY_EVALUATORS | MIOD | COMMITTEE | DIGITAL
register("submission:body_reports", "a ministry's reports (each evaluator sees its direction's)",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | EVALUATORS_OF_MF)
register("submission:report_detail", "a ministry's accepted services report",
         build=lambda w: {"pk": _report(w, "mf", "services").pk},
         allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS)
register("submission:report_section_edit", "a section of an akimat's draft openness report",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk,
                          "key": "t1_open_data"},
         allowed=MIO_STAFF, forbidden=GLOBAL | MIOD)
register("submission:report_table_import",
         "filling a table of the akimat's draft openness report from a spreadsheet",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk,
                          "key": "t1_open_data"},
         allowed=MIO_STAFF, forbidden=GLOBAL | MIOD)
register("submission:report_table_template",
         "the XLSX template of a table of the akimat's draft openness report",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk,
                          "key": "t1_open_data"},
         allowed=MIO_STAFF, forbidden=GLOBAL | MIOD)


def _automation_under_review(w: World):
    """The ministry's automation report, under review by the digital-government ministry."""
    from assessments.models import Report

    report = _report(w, "mf", "automation")
    if report.state != Report.State.UNDER_REVIEW:
        Report.objects.filter(pk=report.pk).update(state=Report.State.UNDER_REVIEW)
    return report


register("submission:report_section_edit",
         "completing a ministry's automation data under review (annex 5): the assigned "
         "assessor and the unit head, not the ministry's signatory (issue 16)",
         build=lambda w: {"pk": _automation_under_review(w).pk, "key": "automation"},
         allowed=frozenset({"admin", "mdd-assessor", "mdd-unit-head"}),
         forbidden=frozenset({"coordinator", "working-body", "mdd-head"}) | CGO_STAFF)
register("submission:evidence_add", "attaching a document to the akimat's draft openness report",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk,
                          "key": "t1_open_data"},
         allowed=MIO_STAFF, forbidden=GLOBAL | MIOD)
register("submission:report_submit",
         "submitting the akimat's draft (the head; submitters if allowed)",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk},
         allowed=frozenset({"mio-head"}), forbidden=GLOBAL | MIOD | {"mio-submitter"})
register("submission:report_close",
         "closing the akimat's draft as not submitted (its evaluator's unit head, p.18)",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk},
         allowed=frozenset({"admin", "miod-unit-head"}),
         forbidden=(GLOBAL - {"admin"}) | MIO_STAFF | frozenset({"miod-assessor", "miod-head"}))
register("submission:report_reopen", "reopening the akimat's draft: nobody (it is not closed)",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk},
         allowed=frozenset(), forbidden=GLOBAL | MIO_STAFF | MIOD)
register("submission:report_review",
         "starting the review of a ministry's submitted complaints report",
         build=lambda w: {"pk": _report(w, "mf", "complaints").pk},
         allowed=frozenset({"admin", "committee-assessor", "committee-unit-head"}),
         forbidden=frozenset({"coordinator", "working-body", "committee-head"}) | CGO_STAFF)
register("submission:report_return", "returning a ministry's openness report under review",
         build=lambda w: {"pk": _report(w, "mf", "openness").pk},
         allowed=frozenset({"admin", "miod-assessor", "miod-unit-head"}),
         forbidden=frozenset({"coordinator", "working-body", "miod-head"}) | CGO_STAFF)
register("submission:report_accept", "accepting a ministry's openness report under review",
         build=lambda w: {"pk": _report(w, "mf", "openness").pk},
         allowed=frozenset({"admin", "miod-assessor", "miod-unit-head"}),
         forbidden=frozenset({"coordinator", "working-body", "miod-head"}) | CGO_STAFF)
register("submission:evidence_download", "a document of the akimat's openness report",
         build=lambda w: {"pk": _evidence(w).pk}, allowed=GLOBAL | MIO_STAFF | MIOD)
register("submission:evidence_confirm",
         "confirming a held picture of the akimat's openness report (its head)",
         build=lambda w: {"pk": _held_evidence(w).pk}, allowed=frozenset({"admin", "mio-head"}),
         forbidden=frozenset({"mio-submitter"}))
register("submission:openness_workspace", "scoring a ministry's openness (annex 10)",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("mf").pk},
         allowed=frozenset({"admin", "miod-assessor", "miod-unit-head"}),
         forbidden=(GLOBAL | CGO_STAFF | EVALUATORS_OF_MF)
         - {"admin", "miod-assessor", "miod-unit-head"})
register("scores:scoring_input_page", "a ministry's assembled scoring input and scores",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | EVALUATORS_OF_MF)
register("submission:import_detail", "the Agency's applied 'Мониторинг' import",
         build=lambda w: {"pk": _import(w).pk}, allowed=GLOBAL | AGENCY_EVALUATORS)
register("submission:import_template", "the 'Мониторинг' template (the Agency imports it)",
         build=lambda w: {"kind": "monitoring", "fmt": "csv"},
         allowed=frozenset({"admin"}) | AGENCY_EVALUATORS,
         forbidden=lambda: everyone() - {"admin"} - AGENCY_EVALUATORS)
def _accepted_openness(w: World):
    """Another oblast's openness report, accepted (a copy of the akimat's draft: annex 9 is
    rendered from whatever it holds)."""
    from assessments.models import Report

    body = w.body("akimat-ulytau")
    existing = Report.objects.filter(cycle=w.cycle, body=body, direction="openness").first()
    if existing is not None:
        return existing
    report = _report(w, "akimat-akmola", "openness")
    report.pk = None
    report.body = body
    report.save()
    Report.objects.filter(pk=report.pk).update(state=Report.State.ACCEPTED)
    return Report.objects.get(pk=report.pk)


register("submission:report_annex9", "annex 9 of another oblast's accepted openness report",
         build=lambda w: {"pk": _accepted_openness(w).pk}, allowed=GLOBAL | MIOD)
register("reporting:reference_annex_file", "a reference form of the current cycle's edition",
         build=lambda w: {"code": w.cycle.code, "number": 2}, allowed=everyone)
# --- re-verification: the demo's ministry re-verified by the Agency on services ------

AGENCY_WORKERS = frozenset({"admin"}) | AGENCY_EVALUATORS
# who does the re-verification's work (requests, checks, findings, the act): the assessor
# assigned to the body and the unit head (issue 16); the deputy (a signatory) reads it
AGENCY_DOERS = frozenset({"admin", "agency-assessor", "agency-unit-head"})
SEES_REVERIFICATION = GLOBAL | CGO_STAFF | AGENCY_EVALUATORS


def _demo_reverification(w: World):
    from assessments.models import Reverification

    return Reverification.objects.get(cycle=w.cycle, body=w.body("mf"), direction="services")


def _demo_request(w: World):
    """The demo's request (made here when the schedule's window had closed at seeding)."""
    from assessments.kernel import clock
    from assessments.models import DocumentRequest

    rv = _demo_reverification(w)
    request = rv.requests.first()
    if request is None:
        request = DocumentRequest.objects.create(
            reverification=rv, document_kind="letter", title="Письма", classification="open",
            due_on=clock.today(), requested_by=w.user("agency-assessor"),
            requested_at=clock.now(),
        )
    return request


def _demo_document(w: World):
    from django.core.files.base import ContentFile

    from assessments.kernel import clock
    from assessments.models import ConfirmingDocument

    request = _demo_request(w)
    document = request.documents.filter(check_state="accepted").first()
    if document is None:
        document = ConfirmingDocument(
            request=request, original_name="letter.pdf", file_type="pdf", size=9,
            sha256="0" * 64, classification="open", uploaded_by=w.user("cgo-submitter"),
            uploaded_at=clock.now(), check_state="accepted",
        )
        document.file.save("letter.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
    return document


def _quarantined_document(w: World, state: str):
    """A document the ministry's submitter sent for the demo's request, left ``state`` by its
    check: "held" (a picture for the head) or "failed" (the check's job failed for good)."""
    from django.core.files.base import ContentFile

    from assessments.kernel import clock
    from assessments.models import ConfirmingDocument

    request = _demo_request(w)
    name = f"{state}.png"
    document = ConfirmingDocument.objects.filter(request=request, original_name=name).first()
    if document is None:
        document = ConfirmingDocument(
            request=request, original_name=name, file_type="png", size=8,
            sha256=(state[0] * 64), classification="open", uploaded_by=w.user("cgo-submitter"),
            uploaded_at=clock.now(), check_state=state,
            check_reason={"code": "error"} if state == "failed" else {},
        )
        document.file.save(name, ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
        document.save()
    return document


register("submission:document_confirm",
         "confirming a held picture the ministry sent for a re-verification request (its head; "
         "the uploader sees it but does not confirm it; nobody else sees it)",
         build=lambda w: {"kind": "confirming", "pk": _quarantined_document(w, "held").pk},
         allowed=frozenset({"cgo-head"}), forbidden=frozenset({"cgo-submitter"}))
register("submission:document_remove",
         "removing a document whose check failed: its uploader only (nobody else sees it)",
         build=lambda w: {"kind": "confirming", "pk": _quarantined_document(w, "failed").pk},
         allowed=frozenset({"cgo-submitter"}))

register("reverification:reverification_selection", "the Agency's risk-based selection on services",
         build=lambda w: {"code": w.cycle.code, "direction": "services"},
         allowed=GLOBAL | AGENCY_EVALUATORS)
register("reverification:reverification_detail",
         "the ministry's re-verification (workspace / body's page)",
         build=lambda w: {"pk": _demo_reverification(w).pk}, allowed=SEES_REVERIFICATION)
register("reverification:reverification_action", "reopening its act for a new version",
         build=lambda w: {"pk": _demo_reverification(w).pk, "action": "reopen"},
         allowed=AGENCY_DOERS,
         forbidden=frozenset({"coordinator", "working-body", "agency-deputy"}) | CGO_STAFF)
register("reverification:reverification_request", "withdrawing a document request",
         build=lambda w: {"pk": _demo_request(w).pk}, allowed=AGENCY_DOERS,
         forbidden=frozenset({"coordinator", "working-body", "agency-deputy"}) | CGO_STAFF)
register("reverification:reverification_document_file", "a document the ministry uploaded",
         build=lambda w: {"pk": _demo_document(w).pk}, allowed=SEES_REVERIFICATION)
register("reverification:reverification_finding", "a finding (the evaluator's working paper)",
         build=lambda w: {"pk": _demo_reverification(w).findings.first().pk},
         allowed=AGENCY_DOERS,
         forbidden=frozenset({"coordinator", "working-body", "agency-deputy"}))
register("reverification:reverification_act", "the reconciliation act with its signatures' status",
         build=lambda w: {"pk": _demo_reverification(w).acts.first().pk},
         allowed=SEES_REVERIFICATION)
register("reverification:reverification_act_pdf", "the act's PDF, verified at download",
         build=lambda w: {"pk": _demo_reverification(w).acts.first().pk},
         allowed=SEES_REVERIFICATION)


def _closed_act(w: World):
    """The demo's act with a closure record, as when the evaluating body closed it past the
    body's term (made directly: the demo's act is signed by both sides)."""
    act = _demo_reverification(w).acts.first()
    if act.closure_document_id is None:
        type(act).objects.filter(pk=act.pk).update(
            closure_document=_stored_pdf("access-matrix-act-closure", act))
    return act


register("reverification:reverification_act_closure_pdf",
         "the act's closure record (annex 1 closed without the body's signature)",
         build=lambda w: {"pk": _closed_act(w).pk}, allowed=SEES_REVERIFICATION)


# --- scores: stored scoring inputs, score sheets, what-if, the cycle recompute -----


def _recompute_job(w: World):
    """A recompute job the coordinator started (only they, admins and the coordinator see it)."""
    from assessments.kernel.jobs import job_create

    return job_create(kind="recompute_cycle", label="Access matrix", subject=w.cycle,
                      actor=w.user("coordinator"))


MIO_EVALUATORS = AGENCY_EVALUATORS | MIOD | COMMITTEE  # no automation for a local body
register("scores:cycle_scores", "the cycle's scores (each persona sees the sheets it may)",
         build=lambda w: {"code": w.cycle.code}, allowed=everyone)
register("scores:cycle_recompute", "the cycle's recompute (coordinator, administrator)",
         build=lambda w: {"code": w.cycle.code}, allowed=frozenset({"admin", "coordinator"}),
         forbidden=lambda: everyone() - {"admin", "coordinator"})
register("scores:body_scores", "a ministry's scores explained",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | EVALUATORS_OF_MF)
register("scores:body_scores", "an akimat's scores explained",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("akimat-akmola").pk},
         allowed=GLOBAL | MIO_STAFF | MIO_EVALUATORS)
register("scores:scoring_input", "a ministry's stored scoring input with its sources",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | EVALUATORS_OF_MF)
register("scores:scoring_input_version", "version 1 of an akimat's scoring input and its diff",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("akimat-akmola").pk, "version": 1},
         allowed=GLOBAL | MIO_STAFF | MIO_EVALUATORS)
register("scores:scoring_input_load", "loading a ministry's whole case (administrators)",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("mf").pk},
         allowed=frozenset({"admin"}),
         forbidden=(GLOBAL | CGO_STAFF | EVALUATORS_OF_MF) - {"admin"})
register("scores:whatif", "a ministry's what-if page",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | EVALUATORS_OF_MF)
register("scores:whatif", "another oblast's what-if page (its evaluators, not the Akmola akimat)",
         build=lambda w: {"code": w.cycle.code, "pk": w.body("akimat-ulytau").pk},
         allowed=GLOBAL | MIO_EVALUATORS)
register("scores:job_detail", "the coordinator's recompute job",
         build=lambda w: {"pk": _recompute_job(w).pk},
         allowed=frozenset({"admin", "coordinator"}))
# --- assessments: the cycle's overview ------------------------------------------------------
# A body across cycles: whoever sees the body and has something to see in the overview (the
# Agency's commission sees the Agency's own organisation only, and no overview).
register("overview:body", "a ministry across cycles",
         build=lambda w: {"pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS | MIOD | COMMITTEE | DIGITAL)
register("overview:body", "an oblast akimat across cycles",
         build=lambda w: {"pk": w.body("akimat-akmola").pk},
         allowed=GLOBAL | MIO_STAFF | AGENCY_EVALUATORS | MIOD | COMMITTEE)
register("overview:export_download", "the coordinator's finished export of all scores",
         build=lambda w: {"pk": _export_job(w).pk},
         allowed=frozenset({"admin", "coordinator"}))


def _export_job(w: World):
    """A finished export the coordinator started, its file written."""
    from assessments.kernel.jobs import job_create
    from assessments.models import BackgroundJob
    from assessments.overview.services import EXPORT_KIND, export_path

    job = job_create(kind=EXPORT_KIND, label="Access matrix", subject=w.cycle,
                     actor=w.user("coordinator"))
    BackgroundJob.objects.filter(pk=job.pk).update(state="done", result={"name": "x.xlsx"})
    path = export_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK")
    return job


# --- assessments: conclusions ----------------------------------------------------------------
# The evaluating body's people see its conclusions on their direction; the body's staff only
# delivered ones (issued and after); the Agency's commission the Agency's delivered ones. Each
# action page answers 200 to whom it offers the action now, 403 to the others who see it.

AGENCY_ALL = AGENCY_EVALUATORS | AGENCY_COMMISSION
ISSUED_SERVICES = lambda w: {"pk": w.conclusion("mf", "services", "issued").pk}  # noqa: E731
DRAFT_OPENNESS = lambda w: {"pk": w.conclusion("mf", "openness", "draft").pk}  # noqa: E731
REVIEW_OPENNESS = lambda w: {"pk": w.conclusion("akimat-akmola", "openness", "in_review").pk}  # noqa: E731, E501
APPROVED_COMPLAINTS = lambda w: {"pk": w.conclusion("mf", "complaints", "approved").pk}  # noqa: E731, E501
SIGNED_COMPLAINTS = lambda w: {"pk": w.conclusion("akimat-akmola", "complaints", "signed").pk}  # noqa: E731, E501
MIOD_WRITERS = frozenset({"miod-assessor", "miod-unit-head"})

register("conclusions:conclusion_detail", "a ministry's issued services conclusion (annex 3)",
         build=ISSUED_SERVICES, allowed=GLOBAL | CGO_STAFF | AGENCY_ALL)
register("conclusions:conclusion_preview", "its draft-marked PDF",
         build=ISSUED_SERVICES, allowed=GLOBAL | CGO_STAFF | AGENCY_ALL)
for _name in ("conclusions:conclusion_edit", "conclusions:conclusion_submit",
              "conclusions:conclusion_approve", "conclusions:conclusion_return",
              "conclusions:conclusion_sign", "conclusions:conclusion_issue",
              "conclusions:conclusion_redraft"):
    register(_name, f"{_name} of an issued conclusion: nobody",
             build=ISSUED_SERVICES, allowed=frozenset(),
             forbidden=GLOBAL | CGO_STAFF | AGENCY_ALL)
register("conclusions:conclusion_detail",
         "a ministry's openness conclusion in draft (not the body's yet)",
         build=DRAFT_OPENNESS, allowed=GLOBAL | MIOD)
register("conclusions:conclusion_edit", "its editor: MIOD's assessor and head of unit",
         build=DRAFT_OPENNESS, allowed=MIOD_WRITERS, forbidden=GLOBAL | {"miod-head"})
register("conclusions:conclusion_submit", "its submission for review",
         build=DRAFT_OPENNESS, allowed=MIOD_WRITERS, forbidden=GLOBAL | {"miod-head"})
register("conclusions:conclusion_approve",
         "an akimat's openness conclusion in review: the head of unit",
         build=REVIEW_OPENNESS, allowed=frozenset({"miod-unit-head"}),
         forbidden=GLOBAL | {"miod-assessor", "miod-head"})
register("conclusions:conclusion_return", "its return with comments: the head of unit",
         build=REVIEW_OPENNESS, allowed=frozenset({"miod-unit-head"}),
         forbidden=GLOBAL | {"miod-assessor", "miod-head"})
register("conclusions:conclusion_sign",
         "an approved complaints conclusion (annex 12): the Committee's head",
         build=APPROVED_COMPLAINTS, allowed=frozenset({"committee-head"}),
         forbidden=GLOBAL | {"committee-assessor", "committee-unit-head"})
register("conclusions:conclusion_issue",
         "a signed complaints conclusion: the Committee's people issue it",
         build=SIGNED_COMPLAINTS, allowed=COMMITTEE, forbidden=GLOBAL)

def _stored_pdf(kind: str, subject=None):
    """A rendered document with a stored one-line PDF (the cases need its existence, not its
    content)."""
    import hashlib

    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from reporting.models import RenderedDocument

    data = b"%PDF-1.4\n% access matrix\n"
    doc = RenderedDocument(kind=kind, state=RenderedDocument.State.RENDERED,
                           sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    if subject is not None:
        doc.subject_type = ContentType.objects.get_for_model(subject)
        doc.subject_id = subject.pk
    doc.file.save("x.pdf", ContentFile(data), save=False)
    doc.save()
    return doc


def _final_openness(w: World):
    """Another oblast's final openness conclusion (annex 8) with its score sheet and PDF, the
    subject of annex 10."""
    from assessments.models import ScoreSheet

    c = w.conclusion("akimat-ulytau", "openness", "final")
    if c.rendered_document_id is None:
        sheet = ScoreSheet.objects.filter(cycle=c.cycle, body=c.body, direction="openness",
                                          is_current=True).first()
        type(c).objects.filter(pk=c.pk).update(
            score_sheet=sheet, rendered_document=_stored_pdf("access-matrix-annex8", c))
        c = type(c).objects.get(pk=c.pk)
    return c


register("conclusions:conclusion_annex10",
         "annex 10 beside another oblast's final openness conclusion (its evaluators)",
         build=lambda w: {"pk": _final_openness(w).pk}, allowed=GLOBAL | MIOD)


# --- appeals (p.109–121): objections, the special commission, the coordinator's overview ---------
# Objects are made directly (the demo has no appeal yet); each objection is on a body the Agency
# evaluates on services, so the Agency's people and its commission see it. The Agency's
# commission: chair "commission-chair", secretary "commission-secretary".


def _window_open(w: World):
    """The ministry's issued services conclusion, received today: its window is open."""
    from appeals import rules
    from assessments.kernel import clock

    c = w.conclusion("mf", "services", "issued")
    if c.objection_deadline is None:
        type(c).objects.filter(pk=c.pk).update(
            received_at=clock.now(), objection_deadline=rules.window_last_day(clock.today()))
        c = type(c).objects.get(pk=c.pk)
    return c


def _commission(w: World):
    from appeals.models import SpecialCommission
    from assessments.kernel import clock

    commission, _created = SpecialCommission.objects.get_or_create(
        cycle=w.cycle, evaluator=w.body("agency"),
        defaults={"chair": w.user("commission-chair"),
                  "secretary": w.user("commission-secretary"), "created_at": clock.now()},
    )
    return commission


def _objection(w: World, body_key: str, state: str):
    """An objection of ``body_key`` on its services conclusion (under appeal) in ``state``,
    with one row; from ``under_consideration`` on, a sitting of the Agency's commission."""
    from appeals import rules
    from appeals.models import DisagreementRow, Objection, Sitting, SittingMember
    from assessments.kernel import clock

    conclusion = w.conclusion(body_key, "services", "under_appeal")
    existing = Objection.objects.filter(conclusion=conclusion).first()
    if existing is not None:
        return existing
    head = {"akimat-akmola": "mio-head", "mf": "cgo-head"}.get(body_key, "admin")
    today = clock.today()
    objection = Objection.objects.create(
        cycle=w.cycle, body=w.body(body_key), direction="services", conclusion=conclusion,
        evaluator=conclusion.evaluator, state=state, filed_at=clock.now(), filed_on=today,
        filed_by=w.user(head), decision_due=rules.decision_due(today),
        decided_on=today if state in ("decided", "signed_by_chair") else None,
    )
    DisagreementRow.objects.create(
        objection=objection, number=1, subject="K2. Обеспечение качества",
        evaluator_conclusion="Сроки нарушены.", objection_text="Сроки соблюдены.",
        input_path="services.late", proposed_value=0,
        decision="rejected" if state in ("decided", "signed_by_chair") else "",
        reasoning="Не подтверждено." if state in ("decided", "signed_by_chair") else "",
    )
    if state != "filed":
        sitting = Sitting.objects.create(
            commission=_commission(w), objection=objection, held_on=today,
            state="planned" if state == "under_consideration" else "held",
        )
        for username in ("commission-chair", "commission-secretary", "commission-member",
                         "working-body", "coordinator"):
            SittingMember.objects.create(sitting=sitting, user=w.user(username),
                                         capacity="working_body" if username == "working-body"
                                         else "evaluator", present=True)
    return objection


def _signed_objection(w: World):
    """The Akmola akimat's objection taken through the real services: filed by its head within
    the window, heard by the Agency's commission (five members, every row rejected), the
    completed table signed by the chair — waiting for the akimat's acknowledgement."""
    from appeals import rules
    from appeals import services as svc
    from appeals.models import Objection
    from assessments.kernel import clock
    from demo.seed import DEMO_PASSWORD
    from reporting.signing.services import active_credential, issue_demo_credential

    existing = Objection.objects.filter(conclusion__body=w.body("akimat-akmola"),
                                        conclusion__direction="services").first()
    if existing is not None:
        return existing
    c = w.conclusion("akimat-akmola", "services", "issued")
    type(c).objects.filter(pk=c.pk).update(
        received_at=clock.now(), objection_deadline=rules.window_last_day(clock.today()))
    c = type(c).objects.get(pk=c.pk)
    if active_credential(w.user("mio-head")) is None:
        issue_demo_credential(w.user("mio-head"), DEMO_PASSWORD)
    objection = svc.objection_file(conclusion=c, actor=w.user("mio-head"),
                                   passphrase=DEMO_PASSWORD, rows=[
        {"subject": "K2", "objection_text": "Сроки соблюдены.", "input_path": "services.late",
         "proposed_value": 0}])
    _commission(w)
    members = [(w.user(name), capacity) for name, capacity in (
        ("commission-chair", "evaluator"), ("commission-secretary", "evaluator"),
        ("commission-member", "evaluator"), ("mio-head", "body"),
        ("working-body", "working_body"))]
    secretary = w.user("commission-secretary")
    sitting = svc.sitting_convene(objection=objection, members=members, held_on=clock.today(),
                                  actor=secretary)
    svc.sitting_attendance(sitting=sitting, present={u.pk for u, _c in members},
                           actor=secretary)
    row = objection.rows.get()
    objection = svc.objection_decide(
        objection=Objection.objects.get(pk=objection.pk), actor=secretary,
        rulings={row.pk: {"reasoning": "Не подтверждено.", "applied_value": None}},
        votes={row.pk: {u.pk: "reject" for u, _c in members}})
    chair = w.user("commission-chair")
    if active_credential(chair) is None:
        issue_demo_credential(chair, DEMO_PASSWORD)
    return svc.objection_chair_sign(objection=Objection.objects.get(pk=objection.pk), user=chair,
                                    passphrase=DEMO_PASSWORD)


def _unsigned_objection(w: World):
    """The ministry's table drawn up by its head within the window and not signed yet
    (``awaiting_signature``): its sign page is the head's; the body's staff and those who see
    every body see it, the Agency does not (nothing was filed)."""
    from appeals import services as svc
    from appeals.models import Objection

    c = _window_open(w)
    existing = Objection.objects.awaiting().filter(conclusion=c).first()
    return existing or svc.objection_file(conclusion=c, actor=w.user("cgo-head"), rows=[
        {"subject": "K2", "objection_text": "Сроки соблюдены."}])


def _row_document(w: World):
    from django.core.files.base import ContentFile

    from appeals.models import RowDocument
    from assessments.kernel import clock

    row = _signed_objection(w).rows.first()
    document = RowDocument.objects.filter(row=row).first()
    if document is None:
        document = RowDocument(row=row, original_name="letter.pdf", file_type="pdf", size=9,
                               sha256="1" * 64, classification="open",
                               uploaded_by=w.user("mio-head"), uploaded_at=clock.now(),
                               check_state="accepted")
        document.file.save("letter.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
    return document


def _result_check(w: World):
    from appeals.models import ResultCheck
    from assessments.kernel import clock

    check = ResultCheck.objects.filter(cycle=w.cycle, body=w.body("akimat-akmola")).first()
    return check or ResultCheck.objects.create(
        cycle=w.cycle, body=w.body("akimat-akmola"), lodged_on=clock.today(),
        last_day=clock.today(), text="Прошу проверить K1.", opened_by=w.user("working-body"),
        opened_at=clock.now(),
    )


def _handover(w: World):
    from appeals.models import Handover
    from assessments.kernel import clock

    conclusion = w.conclusion("akimat-ulytau", "openness", "final")
    handover = Handover.objects.filter(conclusion=conclusion).first()
    return handover or Handover.objects.create(
        conclusion=conclusion, to=w.body("agency"), route="МИОР (п.119)",
        due_on=clock.today(), created_at=clock.now(),
    )


SEES_MF_SERVICES = GLOBAL | CGO_STAFF | AGENCY_ALL
CHAIR_AND_SECRETARY = frozenset({"commission-chair", "commission-secretary"})
SEES_AKMOLA_OBJECTION = GLOBAL | MIO_STAFF | AGENCY_ALL
SEES_AGENCY_OBJECTION = GLOBAL | AGENCY_ALL  # a body without staff among the personas

register("appeals:objection_file", "the ministry's head files objections within the window",
         build=lambda w: {"pk": _window_open(w).pk}, allowed=frozenset({"cgo-head"}),
         forbidden=SEES_MF_SERVICES - {"cgo-head"})
register("appeals:no_objection", "the ministry's head notifies that there are no objections",
         build=lambda w: {"pk": _window_open(w).pk}, allowed=frozenset({"cgo-head"}),
         forbidden=SEES_MF_SERVICES - {"cgo-head"})
register("appeals:evaluator_conclusion", "the prefill of a row (htmx), for the filing head",
         build=lambda w: {"pk": _window_open(w).pk}, allowed=frozenset({"cgo-head"}),
         forbidden=SEES_MF_SERVICES - {"cgo-head"})
register("appeals:objection_detail", "an akimat's objection, its table signed by the chair",
         build=lambda w: {"pk": _signed_objection(w).pk},
         allowed=SEES_AKMOLA_OBJECTION)
register("appeals:objection_file_sign", "the head signs (and so files) the table they drew up",
         build=lambda w: {"pk": _unsigned_objection(w).pk}, allowed=frozenset({"cgo-head"}),
         forbidden=GLOBAL | CGO_STAFF - {"cgo-head"})
register("appeals:annex14_pdf", "its annex 14 PDF",
         build=lambda w: {"pk": _signed_objection(w).pk},
         allowed=SEES_AKMOLA_OBJECTION)
register("appeals:objection_acknowledge", "its acknowledgement: the akimat's head",
         build=lambda w: {"pk": _signed_objection(w).pk},
         allowed=frozenset({"mio-head"}), forbidden=SEES_AKMOLA_OBJECTION - {"mio-head"})
register("appeals:row_document", "a supporting document of its row",
         build=lambda w: {"pk": _row_document(w).pk}, allowed=SEES_AKMOLA_OBJECTION)
register("appeals:row_document_add", "attaching a document to a filed objection's row: its "
         "body's staff (none among the personas for this akimat)",
         build=lambda w: {"pk": _objection(w, "akimat-ulytau", "filed").rows.first().pk},
         allowed=frozenset(), forbidden=SEES_AGENCY_OBJECTION)
register("appeals:sitting_convene", "convening the sitting on a filed objection",
         build=lambda w: {"pk": (_commission(w), _objection(w, "akimat-ulytau", "filed"))[1].pk},
         allowed=CHAIR_AND_SECRETARY, forbidden=SEES_AGENCY_OBJECTION - CHAIR_AND_SECRETARY)
register("appeals:sitting_attendance", "the attendance of a planned sitting",
         build=lambda w: {"pk": _objection(w, "akimat-abai", "under_consideration").pk},
         allowed=CHAIR_AND_SECRETARY, forbidden=SEES_AGENCY_OBJECTION - CHAIR_AND_SECRETARY)
register("appeals:objection_decide", "the decision of the sitting (votes, rulings)",
         build=lambda w: {"pk": _objection(w, "akimat-abai", "under_consideration").pk},
         allowed=CHAIR_AND_SECRETARY, forbidden=SEES_AGENCY_OBJECTION - CHAIR_AND_SECRETARY)
register("appeals:objection_sign", "the chair's signature of a decided table",
         build=lambda w: {"pk": _objection(w, "akimat-aktobe", "decided").pk},
         allowed=frozenset({"commission-chair"}),
         forbidden=SEES_AGENCY_OBJECTION - {"commission-chair"})
register("appeals:commission_detail", "the Agency's special commission",
         build=lambda w: {"pk": _commission(w).pk}, allowed=GLOBAL | AGENCY_ALL)
register("appeals:result_check", "a check of an akimat's results (p.110)",
         build=lambda w: {"pk": _result_check(w).pk}, allowed=GLOBAL | MIO_STAFF)
register("appeals:handover_record", "recording the hand-over of a final openness conclusion",
         build=lambda w: {"pk": _handover(w).pk},
         allowed=frozenset({"admin", "coordinator"}) | MIOD,
         forbidden=frozenset({"working-body"}))


# --- the REST API (issue 19): the same access registry as the pages' -------------------------
# Signed in (the documentation page's session) and with each persona's token alike
# (tests/worlds/api_replay.py replays these cases with tokens): the API's object endpoints
# answer exactly whom the corresponding pages answer.


def _sheet(w: World, body_key: str, direction: str):
    from assessments.models import ScoreSheet

    return ScoreSheet.objects.filter(cycle=w.cycle, body=w.body(body_key), direction=direction,
                                     is_current=True).first()


def _signed_conclusion(w: World):
    """The akimat's delivered services conclusion (annex 4, the demo's) with a frozen PDF as its
    signed document where it has none."""
    from assessments.models import Conclusion

    c = Conclusion.objects.filter(cycle=w.cycle, body=w.body("akimat-akmola"),
                                  direction="services").order_by("-version").first()
    assert c is not None and c.state in ("issued", "final"), c
    if c.signed_document_id is None:
        c.signed_document = w.signed_document()
        c.save(update_fields=["signed_document"])
    return c


register("api:cycle_detail", "the current cycle", build=lambda w: {"code": w.cycle.code},
         allowed=everyone)
register("api:body_detail", "a ministry (central body)", build=lambda w: {"pk": w.body("mf").pk},
         allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS | MIOD | COMMITTEE | DIGITAL)
register("api:body_detail", "another oblast's akimat",
         build=lambda w: {"pk": w.body("akimat-ulytau").pk},
         allowed=GLOBAL | AGENCY_EVALUATORS | MIOD | COMMITTEE)
register("api:score_detail", "a ministry's services score sheet, explained",
         build=lambda w: {"pk": _sheet(w, "mf", "services").pk},
         allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS | DIGITAL)
register("api:score_detail", "an akimat's openness score sheet, explained",
         build=lambda w: {"pk": _sheet(w, "akimat-akmola", "openness").pk},
         allowed=GLOBAL | MIO_STAFF | MIOD)
register("api:conclusion_detail", "a ministry's issued services conclusion (annex 3)",
         build=ISSUED_SERVICES, allowed=GLOBAL | CGO_STAFF | AGENCY_ALL)
register("api:conclusion_detail", "a ministry's openness conclusion in draft (not the body's)",
         build=DRAFT_OPENNESS, allowed=GLOBAL | MIOD)
register("api:conclusion_pdf", "an akimat's issued services conclusion's signed PDF",
         build=lambda w: {"pk": _signed_conclusion(w).pk}, allowed=GLOBAL | MIO_STAFF | AGENCY_ALL)
register("api:report_detail", "a ministry's accepted services report",
         build=lambda w: {"pk": _report(w, "mf", "services").pk},
         allowed=GLOBAL | CGO_STAFF | AGENCY_EVALUATORS)
register("api:report_detail", "an akimat's draft openness report",
         build=lambda w: {"pk": _report(w, "akimat-akmola", "openness").pk},
         allowed=GLOBAL | MIO_STAFF | MIOD)
register("api:import_detail", "the Agency's applied 'Мониторинг' import",
         build=lambda w: {"pk": _import(w).pk}, allowed=GLOBAL | AGENCY_EVALUATORS)
register("api:import_errors", "its row errors",
         build=lambda w: {"pk": _import(w).pk}, allowed=GLOBAL | AGENCY_EVALUATORS)
