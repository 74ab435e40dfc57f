"""The demo conclusions: every state of the flow, idempotent, signed with demo credentials."""

from __future__ import annotations

import pytest

from assessments.models import Conclusion
from demo import seed as demo
from demo.conclusions import seed_conclusions
from demo.steps import DEMO_STEPS


@pytest.fixture
def seeded(db, settings, clock, demo_ca_dir, tasks_in_process):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for step in DEMO_STEPS:
        step()


def test_demo_conclusions_in_various_states_and_idempotent(seeded):
    from reporting.signing.services import signed_document_verify

    assert seed_conclusions in DEMO_STEPS
    states = {(c.body.bin, c.direction): c.state for c in Conclusion.objects.select_related("body")}
    moj, karaganda = demo.body("moj").bin, demo.body("akimat-karaganda").bin
    assert states[(moj, "automation")] == "final"
    assert states[(moj, "services")] == "issued"
    assert states[(moj, "openness")] == "in_review"
    assert states[(moj, "complaints")] == "draft"
    assert states[(karaganda, "services")] == "approved"
    assert states[(karaganda, "openness")] == "signed"
    returned = Conclusion.objects.get(body__bin=karaganda, direction="complaints")
    assert returned.state == "draft" and returned.review_comments
    issued = Conclusion.objects.get(body__bin=moj, direction="services")
    assert issued.objection_deadline is not None
    assert signed_document_verify(issued.signed_document).status.value == "valid_trusted"
    # Drafted from accepted reports, and still current once the assembly the acceptances
    # queued has run (and the recompute after it): nothing waits for a redraft.
    from assessments.conclusions.services import stale_scores_reason
    from assessments.models import Report
    from assessments.scores.services.assembly import scoring_input_assemble
    from assessments.scores.services.sheets import score_body

    for key in ("moj", "akimat-karaganda"):
        scoring_input_assemble(cycle=issued.cycle, body=demo.body(key), actor=None)
        score_body(cycle=issued.cycle, body=demo.body(key))

    for c in Conclusion.objects.select_related("body"):
        assert Report.objects.get(cycle=c.cycle, body=c.body, direction=c.direction).state \
            == "accepted"
        assert stale_scores_reason(c) == "", c
    before = list(Conclusion.objects.order_by("pk").values_list("pk", "state", "revision"))
    seed_conclusions()
    assert list(Conclusion.objects.order_by("pk").values_list("pk", "state", "revision")) == before
