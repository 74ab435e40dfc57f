"""The contract: schemathesis against the live schema (``/api/v1/schema/``, served by the
application itself through WSGI) with the tokens of several roles — a body's head, another
body's submitter, an assessor, the coordinator, an administrator — finds no server error, no
response that violates the schema (status, content type, body), and no object of another body
in what a body's token reads. Examples are capped (``MAX_EXAMPLES`` per operation and role) so
the run stays within a couple of minutes; ``derandomize`` keeps CI reproducible.

Besides, the scores the API answers are the engine's exact strings, to the cent the same as
``manage.py score_case`` prints for the same case."""

import io
import json
import sys
from decimal import Decimal

import pytest
import schemathesis
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.kernel import clock
from assessments.models import Conclusion
from assessments.scores.services.scoring_inputs import scoring_input_load_case
from assessments.scores.services.sheets import score_body
from assessments.submission.imports.pipeline import import_upload
from assessments.submission.services.reports import report_get_or_create
from tests.assessments.api.helpers import api, token_for
from tests.worlds.samples import MONITORING_HEADER, csv_bytes

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _case() -> dict:
    with open("tests/assessments/scoring/example_case.json") as source:
        case = json.load(source)
    case["body"] = {"kind": "central", "special": []}
    return case


@pytest.fixture
def scene(personas, assigned, cycle, services_register, django_capture_on_commit_callbacks):
    """Something of each kind for the ministry and the akimat: reports, score sheets, a
    delivered conclusion, an import with a row error."""
    from assessments.conclusions.services import annex_for
    from assessments.registry.services.evaluators import evaluator_for

    r = personas.registry
    for body, direction in ((r.ministry, "services"), (r.akimat, "openness")):
        report_get_or_create(cycle=cycle, body=body, direction=direction)
    scoring_input_load_case(cycle=cycle, body=r.ministry, case=_case(), actor=None,
                            reason="test")
    sheets = score_body(cycle=cycle, body=r.ministry)
    now = clock.now()
    Conclusion.objects.create(
        cycle=cycle, body=r.ministry, direction="services", version=1, state="issued",
        annex=annex_for("services", r.ministry),
        evaluator=evaluator_for(r.ministry, "services", cycle),
        values=sheets["services"].values, analysis={}, created_at=now, updated_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        import_upload(actor=personas.assessor, cycle=cycle, kind="monitoring",
                      upload=io.BytesIO(csv_bytes([
                          MONITORING_HEADER, [r.ministry.bin, "00101001", "2025-03-14", 9, 1,
                                              0, 0, 0],
                          [r.akimat.bin, "00101001", "bad", 9, 1, 0, 0, 0]])),
                      original_name="m.csv")
    return personas


@pytest.fixture
def wsgi_in_test():
    """The application called through WSGI within the test's transaction: as Django's test client
    does, no request closes the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _bins(value, found: set) -> set:
    if isinstance(value, dict):
        if isinstance(value.get("bin"), str):
            found.add(value["bin"])
        for item in value.values():
            _bins(item, found)
    elif isinstance(value, list):
        for item in value:
            _bins(item, found)
    return found


def _runner(operation, role, own_bins, headers, problems, calls):
    """Up to ``MAX_EXAMPLES`` generated requests to ``operation`` with the role's token: each
    answer checked against the schema, and a body's token shown no other body's objects."""

    @examples(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers=headers)
        calls.append(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as failure:  # schemathesis' failures (a group of them)
            problems.append(f"{role}: {case.method} {case.formatted_path}: "
                            f"{str(failure)[:600]}")
            return
        if own_bins is not None and "json" in response.headers.get("Content-Type", [""])[0]:
            foreign = _bins(response.json(), set()) - own_bins
            if foreign:
                problems.append(f"{role}: {case.method} {case.formatted_path}: objects of "
                                f"other bodies {sorted(foreign)}")

    return run


def test_schemathesis_finds_no_server_error_no_schema_violation_and_no_foreign_body(
        scene, settings, wsgi_in_test):
    application = wsgi_in_test
    settings.API_THROTTLE_RATE = "100000/min"
    p, r = scene, scene.registry
    roles = {
        "ministry head": (p.head, {r.ministry.bin, r.ministry_committee.bin}),
        "akimat submitter": (p.local_submitter, {r.akimat.bin, r.district.bin}),
        "assessor": (p.assessor, None),
        "coordinator": (p.coordinator, None),
        "administrator": (p.admin, None),
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17, [o.label for o in operations]
    problems: list[str] = []
    calls: list[int] = []
    for role, (user, own_bins) in roles.items():
        headers = {"Authorization": f"Bearer {token_for(user, p.admin)}",
                   "Accept-Language": "kk"}
        for operation in operations:
            _runner(operation, role, own_bins, headers, problems, calls)()
    assert len(calls) >= len(roles) * len(operations)
    assert not problems, "\n".join(problems[:30])


def test_scores_are_the_engines_exact_strings_as_score_case_prints(scene, cycle):
    p, r = scene, scene.registry
    client = api(token_for(p.head, p.admin, scopes=["scores:read"]))
    listed = client.get(reverse("api:score_list"), {"cycle": cycle.code, "bin": r.ministry.bin})
    sheets = {s["direction"]: s for s in listed.json()["results"]}
    assert set(sheets) == {"services", "openness", "complaints", "overall"}
    out, stdin = io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(json.dumps(_case()))
    try:
        call_command("score_case", "-", stdout=out)
    finally:
        sys.stdin = stdin
    printed = json.loads(out.getvalue())
    for direction in ("services", "openness", "complaints"):
        assert sheets[direction]["values"] == printed[direction]
        assert sheets[direction]["final"] == printed[direction]["final"]  # a string, exact
        assert isinstance(sheets[direction]["final"], str)
    assert sheets["overall"]["final"] == str(Decimal(printed["overall"]))
    detail = client.get(reverse("api:score_detail", args=[sheets["services"]["id"]])).json()
    explained = {row["key"]: row for row in detail["explained"]}
    assert explained["final"]["value"] == printed["services"]["final"]
    assert explained["T1"]["explanation"] == printed["explain"]["services.T1"]
