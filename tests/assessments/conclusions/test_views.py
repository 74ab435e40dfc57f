"""The conclusions' pages: who sees what, the editor, the confirmations, the body's window."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.conclusions import services as svc
from assessments.models import AssessorAssignment, Conclusion
from tests.worlds.conclusion_steps import (
    ANALYSIS,
    approved,
    draft,
    fresh,
    issued,
    signed,
    submitted,
)
from tests.worlds.conclusions import PASSPHRASE


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_editor_shows_scores_with_explanations_and_saves(world, client):
    w = world
    c = draft(w, w.ministry, "services")
    page = get(client, w.assessor, "conclusions:conclusion_detail", c.pk)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="editor"' in html and 'data-testid="score-T1"' in html
    assert "min(max, max(0, T + V + C − P + D + S))" in html  # K3's formula from the engine
    assert f'>{c.values["final"].replace(".", ",")}<' in html  # printed with a decimal comma
    response = client.post(reverse("conclusions:conclusion_edit", args=[c.pk]), {
        "revision": c.revision, "analysis_K1": "Удовлетворённость высокая",
        "analysis_K2": "", "analysis_K3": "", "recommendations": "Выводы",
    })
    assert response.status_code == 302
    assert fresh(c).analysis["K1"] == "Удовлетворённость высокая"


def test_a_stale_edit_is_refused_and_the_typed_text_kept(world, client):
    w = world
    c = draft(w, w.ministry, "openness")
    svc.conclusion_update(conclusion=c, actor=w.miod_unit_head, analysis={"P1": "Первое"},
                          recommendations="", revision=c.revision)
    client.force_login(w.miod_assessor)
    response = client.post(reverse("conclusions:conclusion_edit", args=[c.pk]), {
        "revision": 1, "analysis_P1": "Моё изменение", "recommendations": "Мои выводы",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "уже изменено другим пользователем" in html
    assert "Моё изменение" in html and "Мои выводы" in html
    assert fresh(c).analysis["P1"] == "Первое"


def test_body_does_not_see_drafts_and_outsiders_get_404(world, client):
    w = world
    c = draft(w, w.ministry, "services")
    assert get(client, w.head, "conclusions:conclusion_detail", c.pk).status_code == 404
    assert get(client, w.outsider, "conclusions:conclusion_detail", c.pk).status_code == 404
    assert get(client, w.miod_assessor, "conclusions:conclusion_detail", c.pk).status_code == 404
    assert get(client, w.deputy, "conclusions:conclusion_detail", c.pk).status_code == 200
    assert get(client, w.deputy, "conclusions:conclusion_submit", c.pk).status_code == 403


def test_review_through_the_pages(world, client):
    w = world
    c = submitted(w, draft(w, w.akimat, "services"))
    queue = get(client, w.unit_head, "conclusions:conclusion_review_queue")
    assert str(c.body) in queue.content.decode()
    assert get(client, w.assessor, "conclusions:conclusion_approve", c.pk).status_code == 403
    client.force_login(w.unit_head)
    response = client.post(reverse("conclusions:conclusion_return", args=[c.pk]), {"comments": ""})
    assert response.status_code == 400 and "Укажите замечания" in response.content.decode()
    assert fresh(c).state == "in_review"
    client.post(reverse("conclusions:conclusion_return", args=[c.pk]), {"comments": "Уточните K2"})
    page = get(client, w.assessor, "conclusions:conclusion_detail", c.pk).content.decode()
    assert 'data-testid="review-comments"' in page and "Уточните K2" in page


def test_signed_conclusion_page_offers_no_edit(signing_world, client):
    w = signing_world
    c = signed(w, draft(w, w.ministry, "complaints"))
    html = get(client, w.committee_assessor, "conclusions:conclusion_detail", c.pk).content.decode()
    assert 'data-testid="editor"' not in html and 'data-testid="action-submit"' not in html
    assert 'data-testid="action-issue"' in html
    assert 'data-status="valid_trusted"' in html
    response = client.post(reverse("conclusions:conclusion_edit", args=[c.pk]), {
        "revision": fresh(c).revision, "analysis_R1": "x", "recommendations": "x"})
    assert response.status_code == 403
    assert fresh(c).analysis == ANALYSIS[12]


def test_sign_page_in_turn_and_out_of_turn(signing_world, client):
    w = signing_world
    c = approved(w, draft(w, w.akimat, "services"))
    response = get(client, w.unit_head, "conclusions:conclusion_sign", c.pk)
    assert response.status_code == 403  # not their turn: the page says why
    assert "Сейчас документ подписывает" in response.content.decode() or \
        "не ваша очередь" in response.content.decode()
    client.force_login(w.deputy)
    response = client.post(reverse("conclusions:conclusion_sign", args=[c.pk]),
                           {"passphrase": "wrong"})
    assert response.status_code == 400
    response = client.post(reverse("conclusions:conclusion_sign", args=[c.pk]),
                           {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert fresh(c).signed_document.signatures.count() == 1


def test_body_page_shows_the_window_and_time_left(signing_world, client):
    w = signing_world
    c = issued(w, draft(w, w.ministry, "openness"))
    html = get(client, w.submitter, "conclusions:conclusion_detail", c.pk).content.decode()
    assert 'datetime="2026-03-31"' in html and "31.03.2026" in html
    assert 'data-testid="time-left"' in html and "12 дн. 13 ч." in html
    listing = get(client, w.submitter, "conclusions:conclusion_list").content.decode()
    assert 'data-testid="download"' in listing and "31.03.2026" in listing
    download = client.get(reverse("reporting:signed_document_file", args=[c.signed_document_id]))
    assert download.status_code == 200 and download["X-Signature-Status"] == "valid_trusted"


def test_preview_is_a_draft_pdf(world, client, django_capture_on_commit_callbacks):
    from tests.worlds.pdfcheck import pdf_text

    w = world
    c = draft(w, w.ministry, "complaints")
    client.force_login(w.committee_assessor)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(reverse("conclusions:conclusion_preview", args=[c.pk]))
    assert first.status_code == 200 and b"preview-pending" in first.content
    response = client.get(reverse("conclusions:conclusion_preview", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "ПРОЕКТ" in pdf_text(response.content)


def test_assessor_drafts_from_an_assignment(world, client):
    w = world
    assignment = AssessorAssignment.objects.get(  # the world assigns him (issue 16)
        cycle=w.cycle, body=w.ministry, direction="openness", assessor=w.miod_assessor)
    listing = get(client, w.miod_assessor, "conclusions:conclusion_list").content.decode()
    assert f'data-testid="draft-{w.ministry.pk}-openness"' in listing
    response = client.post(reverse("conclusions:conclusion_create"), {"assignment": assignment.pk})
    c = Conclusion.objects.get(body=w.ministry, direction="openness")
    assert response.status_code == 302 and response["Location"].endswith(f"/{c.pk}/")


@pytest.mark.parametrize("n", [1, 4])
def test_conclusion_list_query_count_is_flat(world, client, django_assert_num_queries, n):
    from tests.worlds.conclusions import org

    w = world
    for i in range(n):
        body = org(f"Министерство {i}")
        Conclusion.objects.create(
            cycle=w.cycle, body=body, direction="openness", annex=8, evaluator=w.miod,
            values={"final": "50.00"}, created_at=w.cycle.created_at,
            updated_at=w.cycle.created_at,
        )
    client.force_login(w.miod_assessor)
    client.get(reverse("conclusions:conclusion_list"))  # warm the session and the caches
    with django_assert_num_queries(QUERIES_LIST):
        assert client.get(reverse("conclusions:conclusion_list")).status_code == 200


QUERIES_LIST = 11  # + the principal's assignments and the world's assignments (issue 16); + the
#                   menu's unread notifications (issue 21)


def _approved_rows(w, n: int) -> None:
    """``n`` bodies, each scored, with an approved and an in-review openness conclusion drafted
    from its current scores (a conclusion whose scores changed would wait instead)."""
    from assessments.models import ScoreSheet
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import score_body
    from assessments.scoring.samples import perfect_case
    from tests.worlds.conclusions import org

    for i in range(n):
        body = org(f"Министерство {i}")
        case = perfect_case("central")
        case["body"] = {"kind": "central", "special": []}
        scoring_input_load_case(cycle=w.cycle, body=body, case=case, actor=None, reason="test")
        score_body(cycle=w.cycle, body=body)
        values = ScoreSheet.objects.get(cycle=w.cycle, body=body, direction="openness",
                                        is_current=True).values
        Conclusion.objects.create(
            cycle=w.cycle, body=body, direction="openness", annex=8, evaluator=w.miod,
            state="approved", values=values, created_at=w.cycle.created_at,
            updated_at=w.cycle.created_at,
        )
        Conclusion.objects.create(
            cycle=w.cycle, body=body, direction="openness", annex=8, evaluator=w.miod,
            state="in_review", version=2, values=values,
            created_at=w.cycle.created_at, updated_at=w.cycle.created_at,
        )


@pytest.mark.parametrize("n", [1, 4])
def test_queues_query_counts_are_flat(world, client, django_assert_num_queries, n):
    w = world
    _approved_rows(w, n)
    client.force_login(w.miod_head)
    page = client.get(reverse("conclusions:conclusion_signing_queue"))
    assert page.content.decode().count('data-testid="sign-') == n
    with django_assert_num_queries(QUERIES_SIGNING):
        client.get(reverse("conclusions:conclusion_signing_queue"))
    client.force_login(w.miod_unit_head)
    assert client.get(reverse("conclusions:conclusion_review_queue")).content.decode().count(
        "/conclusions/") >= n
    with django_assert_num_queries(QUERIES_REVIEW):
        client.get(reverse("conclusions:conclusion_review_queue"))


QUERIES_SIGNING = 9  # + the bodies' current score sheets, read at once; + the signer's active
#                      credential (the expiry warning); + the menu's unread notifications
QUERIES_REVIEW = 6  # with the menu's unread notifications
