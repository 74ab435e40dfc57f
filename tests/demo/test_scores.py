"""The demo's scores step (demo/scores.py): every evaluated body scored, the peer averages
written, a second run changing nothing."""

from __future__ import annotations

from assessments.models import BackgroundJob, ScoreSheet, ScoringInput
from tests.worlds.scores import make_body


def test_demo_scores_step_is_idempotent(scores_cycle):
    from demo.scores import seed_scores

    bodies = [
        make_body("A"),
        make_body("B", kind="local"),
        make_body("NB", special="national_bank"),
        make_body("MoD", special="ministry_of_defence"),
    ]
    seed_scores()
    counts = (
        ScoringInput.objects.count(),
        ScoreSheet.objects.count(),
        BackgroundJob.objects.count(),
    )
    assert ScoreSheet.objects.filter(is_current=True, direction="overall").exclude(
        final=None
    ).count() == len(bodies)
    # the averages were written (a second version for the National Bank and the MoD)
    assert ScoringInput.objects.filter(version=2).count() == 2
    seed_scores()
    assert counts == (
        ScoringInput.objects.count(),
        ScoreSheet.objects.count(),
        BackgroundJob.objects.count(),
    )
