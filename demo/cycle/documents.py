"""The demo cycle's documents that nobody signs (DEMO_MANIFEST.md, "Wave 2"): for every body its
annex 9 (the openness report as accepted, at the report's version) and annex 10 (the assessors'
tables behind its final openness conclusion, its own file), and once per run the reference forms
of the cycle's edition (annexes 2, 6, 7, 11, 13) with ``"body": ""`` and ``"direction":
"reference"``. Annexes 9 and 10 are the workflow's own documents (rendered when the report was
accepted and when the conclusion was approved); the reference forms are rendered here, as the
reference page would render them.
"""

from __future__ import annotations

from demo.cycle.plan import Run, sha256_hex

REFERENCE_ANNEXES = (2, 6, 7, 11, 13)


def _entry(run: Run, *, annex: int, body_name: str, direction: str, version: int, state: str,
           rendered, name: str) -> None:
    if rendered is None or rendered.state != "rendered" or not rendered.file:
        raise RuntimeError(f"annex {annex} of {body_name or 'the cycle'} was not rendered: "
                           f"{getattr(rendered, 'error', '') or 'not requested'}")
    with rendered.file.open("rb") as handle:
        data = handle.read()
    (run.out / name).write_bytes(data)
    run.documents.append({
        "annex": annex, "body": body_name, "direction": direction, "version": version,
        "state": state, "signed": False, "sha256": sha256_hex(data), "file": name,
    })


def collect_cycle_documents(run: Run, slug) -> None:
    """Add annexes 9, 10 and the reference forms to DIR and the manifest."""
    from assessments.conclusions.documents import annex10_document, annex10_request
    from assessments.models import Conclusion, Report
    from assessments.submission.documents import annex9_document, annex9_request
    from reporting.services import document_request

    for key, body in run.bodies.items():
        stem = slug(run, key)
        report = Report.objects.filter(cycle=run.cycle, body=body, direction="openness",
                                       state=Report.State.ACCEPTED).first()
        if report is not None:
            rendered = annex9_document(report) or annex9_request(report, render_now=True)
            _entry(run, annex=9, body_name=body.name_ru, direction="openness",
                   version=rendered.version, state=report.state, rendered=rendered,
                   name=f"{stem}-annex9-openness-v{rendered.version}.pdf")
        conclusion = (Conclusion.objects.filter(cycle=run.cycle, body=body, annex=8)
                      .exclude(rendered_document=None).order_by("-version").first())
        if conclusion is not None:
            rendered = annex10_document(conclusion) or annex10_request(conclusion,
                                                                       render_now=True)
            _entry(run, annex=10, body_name=body.name_ru, direction="openness",
                   version=rendered.version, state=conclusion.state, rendered=rendered,
                   name=f"{stem}-annex10-openness-v{rendered.version}.pdf")
    for number in REFERENCE_ANNEXES:
        rendered = document_request(kind=f"annex{number}", subject=run.cycle, version=1,
                                    render_now=True)
        _entry(run, annex=number, body_name="", direction="reference", version=1,
               state=rendered.state, rendered=rendered,
               name=f"reference-dc{run.number}-annex{number}-edition-{run.cycle.edition}.pdf")
