"""``manage.py demo_cycle --out DIR`` against its contract (DEMO_MANIFEST.md).

The command runs twice, once beside the other (a second cycle of its own), on a database that
already holds ``seed_demo``'s data, in a module-scoped fixture (the run commits, like the
command does: its tasks run on commit); the database is flushed afterwards. Every check reads
what the command wrote — the manifest, the files and ``trust-root.pem`` — and asks the
application's calendar and ``score_case`` independently.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from assessments.kernel import calendar
from tests.worlds.pdfcheck import pdfsig_report

DIRECTIONS = ("services", "openness", "complaints")
# Signatures per annex (the seed's signature blocks): the act and annex 14 by both sides.
SIGNATURES = {1: 2, 3: 2, 4: 2, 5: 2, 8: 1, 12: 1, 14: 2, 15: 2}
REFERENCE = (2, 6, 7, 11, 13)  # the edition's reference forms

# Every test reads the database the module's runs committed (and sets it up).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def runs(tmp_path_factory, django_db_setup, django_db_blocker):
    """seed_demo, then demo_cycle twice into two directories: [(DIR, manifest), …]."""
    from config.celery import app

    base = tmp_path_factory.mktemp("demo-cycle")
    ca_dir = base / "ca"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # seed_demo's tasks too (demo_cycle sees to its own)
    with django_db_blocker.unblock(), override_settings(
        MEDIA_ROOT=str(base / "media"), SIGNING_CA_DIR=ca_dir,
        SIGNING_TRUST_ROOTS=[str(ca_dir / "root-ca.pem")],
    ):
        try:
            call_command("seed_demo", stdout=io.StringIO())
            result = []
            for name in ("first", "second"):
                out = base / name
                call_command("demo_cycle", "--out", str(out), stdout=io.StringIO())
                result.append((out, json.loads((out / "manifest.json").read_text("utf-8"))))
            yield result
        finally:
            app.conf.task_always_eager = eager
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def out(runs) -> Path:
    return runs[0][0]


@pytest.fixture(scope="module")
def manifest(runs) -> dict:
    return runs[0][1]


def body_of(manifest: dict, kind: str) -> dict:
    """The central body, or "the other body" (the first local one: it reports everything and
    notifies that it has no objections)."""
    return [b for b in manifest["bodies"] if b["kind"] == kind][0]


def third_body(manifest: dict) -> dict:
    """Wave 2's third body: local, one report closed as not submitted."""
    [body] = [b for b in manifest["bodies"]
              if any(r["state"] == "not_submitted" for r in b["reports"])]
    return body


def iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def fifth_working_day_after(day: date) -> date:
    """Counted here day by day with the calendar's own notion of a working day."""
    count = 0
    while count < 5:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return day


# --- Shape --------------------------------------------------------------------------------------


def test_manifest_has_every_required_key(manifest):
    assert manifest["cycle"] == "2025"
    assert manifest["edition"] == "2023"
    assert {"cycle", "edition", "documents", "bodies"} <= set(manifest)
    assert sorted(b["kind"] for b in manifest["bodies"]) == ["central", "local", "local"]
    for document in manifest["documents"]:
        assert {"annex", "body", "direction", "version", "state", "signed", "sha256",
                "file"} <= set(document)
        assert document["direction"] in {*DIRECTIONS, "automation", "block", "reference"}
        if document["direction"] == "reference":  # the edition's forms, once per run
            assert document["body"] == ""
        else:
            assert document["body"] in {b["name"] for b in manifest["bodies"]}
    for body in manifest["bodies"]:
        assert {"name", "kind", "reports", "reverifications", "conclusions", "objections",
                "case", "scores", "penalties"} <= set(body)
        assert set(body["scores"]) >= {*DIRECTIONS, "overall", "band"}
        for report in body["reports"]:
            assert {"direction", "state", "late", "returned_times",
                    "missing_elements"} <= set(report)
            assert isinstance(report["missing_elements"], int)
        for conclusion in body["conclusions"]:
            assert {"direction", "version", "state", "final_score", "received_on",
                    "objection_deadline"} <= set(conclusion)
            assert conclusion["direction"] in DIRECTIONS  # not annexes 5 and 15
        for rv in body["reverifications"]:
            assert {"direction", "facts_unreliable", "facts_incomplete", "deduction",
                    "act_state"} <= set(rv)
        for objection in body["objections"]:
            assert {"direction", "rows", "accepted_rows", "state", "filed_on", "decision_due",
                    "decided_on"} <= set(objection)


def test_every_file_exists_with_its_sha256(out, manifest):
    names = [d["file"] for d in manifest["documents"]]
    assert len(names) == len(set(names))
    for document in manifest["documents"]:
        data = (out / document["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document["sha256"]
        assert data.startswith(b"%PDF-")
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(names)
    assert (out / "trust-root.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")


def test_every_signed_document_is_intact_and_trusted_against_the_root_alone(out, manifest):
    root = load_cert_from_pemder(str(out / "trust-root.pem"))
    context = ValidationContext(trust_roots=[root], allow_fetching=False,
                                revocation_mode="soft-fail")
    signed = [d for d in manifest["documents"] if d["signed"]]
    # every document is signed, the disagreement table as the body's head filed it included,
    # but annexes 9 and 10 and the reference forms, which nobody signs
    unsigned = [d for d in manifest["documents"] if not d["signed"]]
    assert {d["annex"] for d in unsigned} <= {9, 10, *REFERENCE}
    assert [d for d in signed if d["annex"] in (9, 10, *REFERENCE)] == []
    for document in signed:
        reader = PdfFileReader(io.BytesIO((out / document["file"]).read_bytes()))
        signatures = reader.embedded_signatures
        expected = 1 if (document["annex"], document["version"]) == (14, 1) else SIGNATURES[
            document["annex"]]  # the filed table: the head's signature alone
        assert len(signatures) == expected, document["file"]
        for number, signature in enumerate(signatures, start=1):
            status = validate_pdf_signature(signature, context)
            assert status.intact and status.valid and status.trusted, (document["file"], number)
        # nothing was appended after the last signature
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE, document["file"]


def _signature_widgets(data: bytes) -> list[dict]:
    """Every signature field of the file with its page (by /P) and widget rectangle."""
    reader = PdfFileReader(io.BytesIO(data))
    pages = [reader.find_page_for_modification(i)[0].idnum
             for i in range(int(reader.root["/Pages"]["/Count"]))]
    found = []
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/FT") != "/Sig":
            continue
        rect = [float(v) for v in field.get("/Rect", (0, 0, 0, 0))]
        page = field.raw_get("/P").idnum if "/P" in field else None
        on_page = page in pages and any(
            a.idnum == ref.idnum
            for a in reader.find_page_for_modification(pages.index(page))[0]
            .get_object().get("/Annots", ())
            if hasattr(a, "idnum")
        ) if page in pages else False
        found.append({"name": str(field["/T"]), "rect": rect, "on_page": on_page,
                      "appearance": "/AP" in field and "/N" in field["/AP"]})
    return found


def test_every_signature_shows_as_a_visible_stamp(out, manifest):
    """DEMO_MANIFEST, wave 2: each signature of a signed document is a visible stamp — its
    widget has a non-empty rectangle on a page of the document, with an appearance."""
    for document in (d for d in manifest["documents"] if d["signed"]):
        data = (out / document["file"]).read_bytes()
        widgets = _signature_widgets(data)
        assert len(widgets) == len(PdfFileReader(io.BytesIO(data)).embedded_signatures)
        for widget in widgets:
            x1, y1, x2, y2 = widget["rect"]
            assert x2 - x1 > 100 and y2 - y1 > 30, (document["file"], widget)
            assert widget["on_page"] and widget["appearance"], (document["file"], widget)


@pytest.mark.pdfsig
def test_pdfsig_reads_every_signed_document_as_intact(out, manifest, tmp_path):
    """An independent reader (poppler's ``pdfsig``): every signature valid over its ranges, the
    last one over the whole document."""
    for document in (d for d in manifest["documents"] if d["signed"]):
        data = (out / document["file"]).read_bytes()
        report = pdfsig_report(data, tmp_path)
        count = len(PdfFileReader(io.BytesIO(data)).embedded_signatures)
        assert report.count("Signature is Valid.") == count, (document["file"], report)
        assert "Total document signed" in report, (document["file"], report)


def test_the_documents_cover_the_whole_cycle(manifest):
    central, local = body_of(manifest, "central"), body_of(manifest, "local")
    third = third_body(manifest)
    by = {}
    for d in manifest["documents"]:
        by.setdefault((d["body"], d["annex"], d["direction"]), []).append(d)
    c, m = central["name"], local["name"]
    assert [d["state"] for d in by[(c, 1, "services")]] == ["signed"]  # the act
    assert sorted((d["version"], d["state"]) for d in by[(c, 3, "services")]) == [
        (1, "superseded"), (2, "final")]
    assert sorted((d["version"], d["state"]) for d in by[(c, 5, "automation")]) == [
        (1, "superseded"), (2, "final")]  # corrected by the digital ministry's commission
    for direction in ("services", "automation"):  # the Agency's table and the ministry's
        assert sorted((d["version"], d["state"], d["signed"])
                      for d in by[(c, 14, direction)]) == [
            (1, "acknowledged", True), (2, "acknowledged", True)]  # the objection's state
    for body in (c, m, third["name"]):
        assert [d["state"] for d in by[(body, 8, "openness")]] == ["final"]
        assert [d["state"] for d in by[(body, 12, "complaints")]] == ["final"]
        assert [d["state"] for d in by[(body, 15, "block")]] == ["final"]
    assert [d["state"] for d in by[(m, 4, "services")]] == ["final"]
    assert [d["state"] for d in by[(third["name"], 4, "services")]] == ["final"]


# --- The cycle's steps --------------------------------------------------------------------------


def test_reports_of_every_direction_accepted_one_after_a_return(manifest):
    returned = 0
    third = third_body(manifest)
    for body in manifest["bodies"]:
        states = {r["direction"]: r["state"] for r in body["reports"]}
        for direction in DIRECTIONS:
            expected = ("not_submitted" if (body is third and direction == "complaints")
                        else "accepted")
            assert states[direction] == expected
        returned += sum(r["returned_times"] >= 1 for r in body["reports"])
        assert not any(r["late"] for r in body["reports"])
    assert returned >= 1


def test_one_body_reverified_with_an_act_of_at_least_two_facts(manifest):
    acts = [rv for b in manifest["bodies"] for rv in b["reverifications"]]
    assert len(acts) >= 1
    rv = acts[0]
    assert rv["facts_unreliable"] + rv["facts_incomplete"] >= 2
    assert rv["act_state"] in {"signed", "act_signed", "closed"}
    expected = min(Decimal(5), Decimal("0.2") * rv["facts_unreliable"]
                   + 2 * rv["facts_incomplete"])
    assert Decimal(rv["deduction"]) == expected


def test_conclusions_versions_and_the_correction(manifest):
    central = body_of(manifest, "central")
    services = sorted((c for c in central["conclusions"] if c["direction"] == "services"),
                      key=lambda c: c["version"])
    v1, v2 = services
    assert (v1["version"], v1["state"]) == (1, "superseded")
    assert (v2["version"], v2["state"]) == (2, "final")
    assert v1["final_score"] != v2["final_score"]
    assert v2["objection_deadline"] is None
    assert central["scores"]["services"] == v2["final_score"]
    for body in manifest["bodies"]:
        for direction in DIRECTIONS:
            versions = [c for c in body["conclusions"] if c["direction"] == direction]
            finals = [c for c in versions if c["state"] == "final"]
            assert len(finals) == 1
            assert body["scores"][direction] == finals[0]["final_score"]
            assert all(c["state"] in {"final", "superseded"} for c in versions)


def test_recommendations_are_written_per_direction(out, manifest):
    """Each conclusion's "Выводы и рекомендации" recommends on its own direction: the services
    sentence appears in the services conclusions only, in the database and in the PDFs."""
    from assessments.models import Conclusion
    from demo.cycle.plan import RECOMMENDATIONS
    from tests.worlds.pdfcheck import pdf_text

    conclusions = Conclusion.objects.filter(cycle__code__startswith="demo-2025-")
    assert {c.direction for c in conclusions} == set(RECOMMENDATIONS)
    for c in conclusions:
        assert RECOMMENDATIONS[c.direction] in c.recommendations, c
        for other, sentence in RECOMMENDATIONS.items():
            if other != c.direction:
                assert sentence not in c.recommendations, (c, other)
    services_words = "расширить проактивный формат"  # from the services sentence alone
    assert services_words in RECOMMENDATIONS["services"]
    assert all(services_words not in RECOMMENDATIONS[d] for d in RECOMMENDATIONS
               if d != "services")
    for document in manifest["documents"]:
        if document["annex"] in (5, 8, 12, 15):
            text = " ".join(pdf_text((out / document["file"]).read_bytes()).split())
            assert services_words not in text, document["file"]


def test_objection_two_rows_one_accepted_decided_within_fifteen_days(manifest):
    central, local = body_of(manifest, "central"), body_of(manifest, "local")
    [objection] = [o for o in central["objections"] if o["direction"] == "services"]
    assert objection["commission"] == "agency"
    assert (objection["rows"], objection["accepted_rows"]) == (2, 1)
    assert objection["state"] == "acknowledged"
    filed_on = iso(objection["filed_on"])
    assert iso(objection["decision_due"]) == filed_on + timedelta(days=15)
    assert filed_on <= iso(objection["decided_on"]) <= iso(objection["decision_due"])
    v1 = next(c for c in central["conclusions"]
              if c["direction"] == "services" and c["version"] == 1)
    assert iso(v1["received_on"]) <= filed_on <= iso(v1["objection_deadline"])
    v2 = next(c for c in central["conclusions"]
              if c["direction"] == "services" and c["version"] == 2)
    assert iso(v2["received_on"]) >= iso(objection["decided_on"])
    assert local["objections"] == []
    assert sorted(n["direction"] for n in local["no_objections"]) == sorted(DIRECTIONS)


def test_every_window_ends_recorded_and_a_silent_one_as_silent(manifest):
    """Issue 13 item 4: each version 1 records how its window ended — the objection, the notice,
    or neither by the last day (silent, p.111); corrections have no window. The central body's
    openness and complaints windows, and every window of a body that neither objects nor
    notifies, close silently."""
    silent_bodies = []
    for body in manifest["bodies"]:
        objected = {o["direction"] for o in body["objections"]}
        notified = {n["direction"] for n in body["no_objections"]}
        for c in body["conclusions"]:
            if c["version"] > 1:
                assert c["window"] is None
                continue
            expected = ("objection" if c["direction"] in objected
                        else "no_objections" if c["direction"] in notified else "silent")
            assert c["window"] == expected, (body["name"], c["direction"])
            if expected == "silent":
                assert c["state"] == "final"
                assert c["objection_deadline"] is not None
        if not objected & set(DIRECTIONS) and not notified:
            silent_bodies.append(body)
            assert sorted(c["direction"] for c in body["conclusions"]
                          if c["window"] == "silent") == sorted(DIRECTIONS)
    central = body_of(manifest, "central")
    assert {c["direction"]: c["window"] for c in central["conclusions"] if c["version"] == 1} == {
        "services": "objection", "openness": "silent", "complaints": "silent"}
    # Wave 2's third body neither objects nor notifies: every window of it closes silently
    third = third_body(manifest)
    assert third in silent_bodies
    assert {c["direction"]: (c["window"], c["state"]) for c in third["conclusions"]
            if c["version"] == 1} == {d: ("silent", "final") for d in DIRECTIONS}


def test_the_automation_score_objected_to_the_digital_ministry(out, manifest):
    """Wave 2: a one-row table on the automation criterion (annex 14, direction "automation")
    filed to the digital ministry, whose commission accepts it: annex 5 v1 superseded, v2 final
    with another K3, and the last annex 3 version (its PDF too) carries the corrected K3."""
    import re

    from pypdf import PdfReader

    central = body_of(manifest, "central")
    assert sorted(o["commission"] for o in central["objections"]) == ["agency",
                                                                      "digital_ministry"]
    for body in manifest["bodies"]:
        assert all(o["commission"] in {"agency", "digital_ministry"} for o in body["objections"])
    [automation] = [o for o in central["objections"] if o["direction"] == "automation"]
    assert automation["commission"] == "digital_ministry"
    assert (automation["rows"], automation["accepted_rows"]) == (1, 1)
    assert (automation["state"], automation["outcome"]) == ("acknowledged", "corrected")
    filed_on = iso(automation["filed_on"])
    assert iso(automation["decision_due"]) == filed_on + timedelta(days=15)
    assert filed_on <= iso(automation["decided_on"]) <= iso(automation["decision_due"])
    services = sorted((c for c in central["conclusions"] if c["direction"] == "services"),
                      key=lambda c: c["version"])
    # filed within annex 3's window: annex 5 opens none of its own
    assert iso(services[0]["received_on"]) <= filed_on <= iso(services[0]["objection_deadline"])
    v1, v2 = sorted(central["automation"], key=lambda a: a["version"])
    assert (v1["state"], v2["state"]) == ("superseded", "final")
    assert v1["score"] != v2["score"] == automation["overall_after_appeal"]
    assert services[0]["automation_score"] == v1["score"]
    assert services[-1]["state"] == "final" and services[-1]["automation_score"] == v2["score"]
    assert iso(services[-1]["received_on"]) >= iso(v2["received_on"])  # annex 5 first
    # The PDFs say the same: annex 5 v2 and the last annex 3 print the corrected K3.
    printed = v2["score"].replace(".", ",")
    files = {(d["annex"], d["version"]): d["file"] for d in manifest["documents"]
             if d["body"] == central["name"] and d["direction"] in ("services", "automation")
             and d["annex"] in (3, 5)}

    def text(name):
        reader = PdfReader(str(out / name))
        return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))

    assert printed in text(files[(5, 2)])
    assert printed in text(files[(3, services[-1]["version"])])
    assert v1["score"].replace(".", ",") in text(files[(5, 1)])


def test_final_openness_and_complaints_are_handed_over_before_the_block(manifest):
    """Issue item 6 (p.116–121): the final conclusions of evaluators other than the Agency are
    handed over to it, on time, before the block conclusions are drafted; the Agency's own
    services conclusions need none (p.121)."""
    from demo.cycle import DAYS

    for body in manifest["bodies"]:
        handovers = body["handovers"]
        assert sorted(h["direction"] for h in handovers) == ["complaints", "openness"]
        for h in handovers:
            assert h["version"] == 1 and h["handed_on"] is not None
            assert iso(h["handed_on"]) <= iso(h["due_on"]) < DAYS["block"]


def test_the_third_body_reports_imperfectly_and_still_reaches_every_conclusion(manifest):
    """Wave 2: openness submitted without one table of annex 9 (accepted after confirmation),
    complaints never submitted (closed after the deadline); not re-verified, no objection nor
    notice; a final conclusion in every direction and a block conclusion all the same."""
    third = third_body(manifest)
    assert third["kind"] == "local"
    reports = {r["direction"]: r for r in third["reports"]}
    assert {d: (r["state"], r["missing_elements"]) for d, r in reports.items()} == {
        "services": ("accepted", 0), "openness": ("accepted", 1),
        "complaints": ("not_submitted", 1)}
    assert third["reverifications"] == [] and third["objections"] == []
    assert third["no_objections"] == []
    penalties = {p["direction"]: p for p in third["penalties"]}
    assert penalties == {
        "services": {"direction": "services", "facts_unreliable": 0, "facts_incomplete": 0,
                     "deduction": "0.00"},
        "openness": {"direction": "openness", "facts_unreliable": 0, "facts_incomplete": 1,
                     "deduction": "2.00"},
        "complaints": {"direction": "complaints", "facts_unreliable": 0,
                       "facts_incomplete": 1, "deduction": "2.00"},
    }
    for direction in DIRECTIONS:
        finals = [c for c in third["conclusions"]
                  if c["direction"] == direction and c["state"] == "final"]
        assert len(finals) == 1 and finals[0]["final_score"] == third["scores"][direction]
    assert third["scores"]["overall"] is not None and third["scores"]["band"]
    assert [d["state"] for d in manifest["documents"]
            if d["body"] == third["name"] and d["annex"] == 15] == ["final"]


def test_penalties_count_every_fact_of_each_direction(manifest):
    """Each body's penalties: all the facts that counted per direction, re-verification and
    submission together, as its case holds them; deduction = min(5, 0.2 × u + 2 × i)."""
    for body in manifest["bodies"]:
        assert [p["direction"] for p in body["penalties"]] == list(DIRECTIONS)
        acts = {rv["direction"]: rv for rv in body["reverifications"]}
        missing = {}
        for report in body["reports"]:
            direction = "services" if report["direction"] == "automation" \
                else report["direction"]
            missing[direction] = missing.get(direction, 0) + report["missing_elements"]
        for entry in body["penalties"]:
            direction = entry["direction"]
            case = body["case"]["penalties"][direction]
            assert (entry["facts_unreliable"], entry["facts_incomplete"]) == (
                case["unreliable_facts"], case["incomplete_facts"])
            rv = acts.get(direction, {"facts_unreliable": 0, "facts_incomplete": 0})
            assert entry["facts_unreliable"] == rv["facts_unreliable"]
            assert entry["facts_incomplete"] == rv["facts_incomplete"] + missing[direction]
            expected = min(Decimal(5), Decimal("0.2") * entry["facts_unreliable"]
                           + 2 * entry["facts_incomplete"])
            assert entry["deduction"] == f"{expected:.2f}"
    central = {p["direction"]: p for p in body_of(manifest, "central")["penalties"]}
    assert (central["services"]["facts_unreliable"], central["services"]["deduction"]) == (
        3, "0.60")


def test_deadlines_are_the_calendar_at_work(manifest):
    crossing = []
    for body in manifest["bodies"]:
        for c in body["conclusions"]:
            received = iso(c["received_on"])
            assert received is not None
            if c["version"] > 1:
                assert c["objection_deadline"] is None
                continue
            deadline = iso(c["objection_deadline"])
            assert deadline == fifth_working_day_after(received)
            assert deadline == calendar.add_working_days(received, 5)
            holidays = [received + timedelta(days=n) for n in range(1, (deadline - received).days)
                        if (received + timedelta(days=n)).weekday() < 5
                        and not calendar.is_working_day(received + timedelta(days=n))]
            if holidays:
                crossing.append((received, deadline, holidays))
    assert crossing, "no objection window crosses a public holiday on a weekday"
    # the contract's example: received on Thursday 19 March 2026, Nauryz, ends Tuesday 31 March
    assert (date(2026, 3, 19), date(2026, 3, 31)) in [(r, d) for r, d, _h in crossing]


def test_score_case_reproduces_the_scores(manifest, tmp_path):
    for number, body in enumerate(manifest["bodies"]):
        path = tmp_path / f"{number}-{body['kind']}.json"
        path.write_text(json.dumps(body["case"], ensure_ascii=False), encoding="utf-8")
        printed = io.StringIO()
        call_command("score_case", str(path), stdout=printed)
        result = json.loads(printed.getvalue())
        scores = body["scores"]
        for direction in DIRECTIONS:
            assert result[direction]["final"] == scores[direction], (body["kind"], direction)
        assert (result["overall"], result["band"]) == (scores["overall"], scores["band"])


def test_a_second_run_beside_the_first_collides_with_nothing(runs):
    from assessments.models import Cycle, Membership, Organisation

    (out1, first), (out2, second) = runs
    assert first["cycle"] == second["cycle"] == "2025"
    assert first["cycle_code"] != second["cycle_code"]
    names1 = {b["name"] for b in first["bodies"]}
    names2 = {b["name"] for b in second["bodies"]}
    assert not names1 & names2
    assert {b["bin"] for b in first["bodies"]}.isdisjoint({b["bin"] for b in second["bodies"]})
    for code in (first["cycle_code"], second["cycle_code"]):
        assert Cycle.objects.filter(code=code).exists()
    # seed_demo's current cycle and people are untouched
    assert Cycle.objects.filter(is_current=True).exclude(code__startswith="demo-").exists()
    for manifest in (first, second):
        for body in manifest["bodies"]:
            org = Organisation.objects.get(bin=body["bin"])
            usernames = set(Membership.objects.filter(organisation=org).values_list(
                "user__username", flat=True))
            assert usernames and all(u.startswith("dc") for u in usernames)
    # the two tables (services to the Agency, automation to the digital ministry), each as
    # filed (1) and completed (2)
    assert sorted((d["direction"], d["version"], d["state"]) for d in second["documents"]
                  if d["annex"] == 14 and d["signed"]) == [
        ("automation", 1, "acknowledged"), ("automation", 2, "acknowledged"),
        ("services", 1, "acknowledged"), ("services", 2, "acknowledged")]
    assert (out2 / "trust-root.pem").exists() and out1 != out2


# --- Wave 2: annexes 9 and 10, the reference forms, the annexes as the seed's forms -------------


def _text(out: Path, document: dict) -> str:
    import re

    from tests.worlds.pdfcheck import pdf_text

    data = (out / document["file"]).read_bytes()
    return re.sub(r"\s+", " ", pdf_text(data).replace("\u00a0", " ")).strip()


def test_every_body_has_annex_9_at_its_reports_version_and_annex_10_of_its_own(out, manifest):
    from assessments.models import Report

    for body in manifest["bodies"]:
        docs = [d for d in manifest["documents"] if d["body"] == body["name"]]
        [annex9] = [d for d in docs if d["annex"] == 9]
        [annex10] = [d for d in docs if d["annex"] == 10]
        report = Report.objects.get(body__name_ru=body["name"], direction="openness",
                                    cycle__code=manifest["cycle_code"])
        assert (annex9["direction"], annex9["version"], annex9["state"], annex9["signed"]) == (
            "openness", report.version, "accepted", False)
        assert report.version == report.returned_times + 1 >= 1
        assert (annex10["direction"], annex10["signed"]) == ("openness", False)
        [annex8] = [d for d in docs if d["annex"] == 8 and d["state"] == "final"]
        assert annex10["version"] == annex8["version"] and annex10["state"] == "final"
        assert annex10["sha256"] != annex8["sha256"]  # its own file
        text9 = _text(out, annex9)
        assert 'Отчет по направлению "Открытость государственного органа"' in text9
        assert f"версия отчета {report.version}" in text9
        assert "На государственном языке:" in text9 and "На русском языке:" in text9
        tables = ("1", "2", "4", "5", "5-1", "6") if body["kind"] == "central" else (
            "1", "3", "4", "5", "5-1")
        for number in tables:
            assert f"Таблица {number}. Отчетные данные" in text9, (body["kind"], number)
        text10 = _text(out, annex10)
        assert 'Операционная оценка по критериям наполнения портала "Открытого правительства"' in (
            text10)
        assert body["scores"]["openness"].replace(".", ",") in _text(out, annex8)
        # annex 8 names annex 10 of its version as its supporting tables
        assert f"(приложение 10 к Методике, версия {annex8['version']})" in _text(out, annex8)


def test_the_reference_forms_once_per_run(out, manifest):
    reference = [d for d in manifest["documents"] if d["direction"] == "reference"]
    assert sorted(d["annex"] for d in reference) == list(REFERENCE)
    for d in reference:
        assert (d["body"], d["version"], d["signed"]) == ("", 1, False)
        assert f"Приложение {d['annex']} к Методике" in _text(out, d)
    [annex13] = [d for d in reference if d["annex"] == 13]
    assert "если доля количество фактов привлечения к ответственности" in _text(out, annex13)


def test_the_annexes_are_the_seeds_forms(out, manifest):
    """Issue 13, item 6, read in the run's own files."""
    import re

    central = body_of(manifest, "central")
    by = {}
    for d in manifest["documents"]:
        by.setdefault((d["body"], d["annex"]), []).append(d)
    # every number with a decimal comma: no "46.88" anywhere (the seed's row numbers "1.1" are
    # not scores, a score has two places; dates "08.03.2025" are not numbers)
    for d in manifest["documents"]:
        found = re.findall(r"(?<![\d.])\d+\.\d\d(?![\d.])", _text(out, d))
        assert not found, (d["file"], found)
    # annex 8: no satisfaction note on the open-data row; 0 in the maximum column for the
    # subordinates' penalty and the deduction
    for body in manifest["bodies"]:
        [annex8] = [d for d in by[(body["name"], 8)] if d["state"] == "final"]
        text = _text(out, annex8)
        assert "удовлетворенност" not in text
        assert re.search(r"Открытость подведомственных организаций[^\d−]*−?\d+,\d\d 0 ", text)
        assert re.search(r"Вычет штрафных баллов \d+,\d\d 0 ", text)
    # annex 1: each block prints the signer's position and name
    act = by[(central["name"], 1)][0]
    text = _text(out, act)
    from assessments.models import ReconciliationAct

    act_row = ReconciliationAct.objects.get(
        reverification__cycle__code=manifest["cycle_code"], version=act["version"],
        reverification__body__name_ru=central["name"],
        reverification__direction=act["direction"])
    assert str(act_row.issued_by) in text
    assert act_row.issued_by.position in text
    # annex 14: four columns; the filed table signed by its filer, the acknowledgment only after
    filed, decided = sorted((d for d in by[(central["name"], 14)]
                             if d["direction"] == "services"), key=lambda d: d["version"])
    filed_text, decided_text = _text(out, filed), _text(out, decided)
    for text in (filed_text, decided_text):
        assert ("№ Заключение уполномоченного на оценку государственного органа Возражение "
                "оцениваемого государственного органа Примечание 1 2 3 4") in text
    assert "Таблицу разногласий направил:" in filed_text
    assert "С итогами обжалования ознакомлен" not in filed_text
    assert "С итогами обжалования ознакомлен:" in decided_text
    assert "Решение специальной комиссии: Возражение принято" in decided_text
