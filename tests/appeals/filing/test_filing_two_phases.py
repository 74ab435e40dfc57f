"""Filing objections through NCALayer (issue 14): the table drawn up awaits its head's signature,
the head signs it in two phases, and only the verified completion files it — within the window,
judged at that moment (docs/appeals.md, "The window"). An abandoned preparation does not block a
later filing; a table left unsigned past the window lapses with its reason, recorded as a
refused filing (p.111). The CMS comes from a Kazakh-layout test key bound to the head by the IIN
(tests/worlds/ncalayer.py), posted as the sign page's script posts it.
"""

from __future__ import annotations

import base64
from datetime import date

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from appeals import services as appeals
from appeals.models import Objection, ObjectionRefusal
from assessments.kernel import access
from assessments.kernel.errors import DomainError
from assessments.kernel.validators import make_iin
from assessments.models import Notification
from reporting.models import Signature, SigningCredential, SigningPreparation
from reporting.signing import ca
from reporting.signing.errors import SigningRefused
from reporting.signing.services import Complete, Prepare, preparation_data, signed_document_verify
from tests.worlds.appeal_steps import ROW_K1, ROW_LATE, fresh
from tests.worlds.ncalayer import detached_cms, kazakh_certificate

pytestmark = pytest.mark.django_db

HEAD_IIN = make_iin("70010150041")


@pytest.fixture
def c(aw):
    """The akimat's services conclusion, issued (signed with the demo keys) today."""
    return aw.issued()


@pytest.fixture
def head_key(aw, c, signing_demo_ca, settings):
    """Then the NCALayer deployment; the akimat's head with an IIN and a key issued to it."""
    settings.SIGNING_METHOD = "ncalayer"
    aw.local_head.iin = HEAD_IIN
    aw.local_head.save(update_fields=["iin"])
    return kazakh_certificate(ca.demo_ca(signing_demo_ca), iin=HEAD_IIN, surname="Сейтқали",
                              given="Ерболат", bin_=aw.akimat.bin, organisation="АКИМАТ")


def _cms(key, preparation, extra: bytes = b"") -> str:
    return base64.b64encode(detached_cms(key, preparation_data(preparation) + extra)).decode()


def _draw_up(aw, c) -> Objection:
    return appeals.objection_file(conclusion=c, actor=aw.local_head, rows=[ROW_LATE, ROW_K1])


def test_the_head_signs_the_table_in_two_phases_and_the_completion_files_it(
        aw, c, head_key, clock):
    o = _draw_up(aw, c)
    # Drawn up: frozen for the head's signature, not filed — the conclusion is not under appeal,
    # the evaluating body neither sees nor hears of it.
    assert o.state == "awaiting_signature" and o.filed_on is None and o.decision_due is None
    assert o.filed_signed_document.state == "frozen"
    assert fresh(c).state == "issued"
    assert not access.visible(aw.assessor, Objection).filter(pk=o.pk).exists()
    assert access.visible(aw.akimat_staff[0], Objection).filter(pk=o.pk).exists()
    assert not Notification.objects.filter(user=aw.assessor,
                                           text__contains="Поступили возражения").exists()
    assert appeals.objection_actions(aw.local_head, o) == {"sign_filed"}
    assert appeals.objection_actions(aw.akimat_staff[0], o) == frozenset()

    clock.set_now("2026-03-31T23:57:00")  # the last day of the window
    step = Prepare()
    appeals.objection_filed_sign(objection=o, user=aw.local_head, passphrase=step)
    preparation = step.preparation
    # a CMS over other bytes: refused, nothing changes
    with pytest.raises(SigningRefused, match="не над этим документом"):
        appeals.objection_filed_sign(objection=o, user=aw.local_head, passphrase=Complete(
            preparation.pk, _cms(head_key, preparation, b"x")))
    assert fresh(o).state == "awaiting_signature"
    assert not Signature.objects.filter(signed_document=o.filed_signed_document).exists()

    clock.set_now("2026-03-31T23:59:30")  # completed before the end of the last day
    appeals.objection_filed_sign(objection=o, user=aw.local_head,
                                 passphrase=Complete(preparation.pk, _cms(head_key, preparation)))
    o = fresh(o)
    assert o.state == "filed" and fresh(c).state == "under_appeal"
    # arrived when the signature was completed; the stamp carries the preparation's time
    assert o.filed_at == clock.now() and o.filed_on == date(2026, 3, 31)
    assert o.decision_due == date(2026, 4, 15)
    signature = Signature.objects.get(signed_document=o.filed_signed_document)
    assert signature.signed_at == preparation.signing_time != o.filed_at
    assert signature.credential.source == SigningCredential.Source.NCALAYER
    assert signature.credential.iin == HEAD_IIN and signature.credential.pkcs12 is None
    assert signed_document_verify(o.filed_signed_document).is_valid_trusted
    log = StateLog.objects.for_(o).get(transition="file")
    assert (log.source_state, log.state, log.by) == ("awaiting_signature", "filed",
                                                     aw.local_head)
    assert "подписана руководителем органа" in log.description
    assert access.visible(aw.assessor, Objection).filter(pk=o.pk).exists()
    assert Notification.objects.filter(user=aw.assessor,
                                       text__contains="Поступили возражения").exists()
    with pytest.raises(DomainError, match="уже поданы"):
        _draw_up(aw, c)


def test_the_window_is_judged_when_the_signature_completes(aw, c, head_key, clock):
    o = _draw_up(aw, c)
    clock.set_now("2026-03-31T23:58:00")
    step = Prepare()
    appeals.objection_filed_sign(objection=o, user=aw.local_head, passphrase=step)
    clock.set_now("2026-04-01T00:01:00")  # prepared in the window, completed after it
    with pytest.raises(DomainError, match="31 марта 2026") as refused:
        appeals.objection_filed_sign(objection=o, user=aw.local_head, passphrase=Complete(
            step.preparation.pk, _cms(head_key, step.preparation)))
    assert refused.value.code == "window_closed" and "п.111" in refused.value.message
    o = fresh(o)
    assert o.state == "lapsed" and "не подписана" in o.closed_reason
    assert not Signature.objects.filter(signed_document=o.filed_signed_document).exists()
    assert fresh(c).state == "issued"
    refusal = ObjectionRefusal.objects.get(conclusion=c)
    assert refusal.message == o.closed_reason and refusal.deadline == date(2026, 3, 31)
    log = StateLog.objects.for_(o).get(transition="lapse")
    assert log.description == o.closed_reason
    # the signing hook holds the same rule whatever page completes the signature
    from reporting.signing.services import signed_document_complete

    with pytest.raises(SigningRefused):
        signed_document_complete(preparation=SigningPreparation.objects.get(pk=step.preparation.pk),
                                 user=aw.local_head, cms=_cms(head_key, step.preparation))


def test_an_abandoned_preparation_does_not_block_a_later_filing(aw, c, head_key, clock,
                                                                client):
    first = _draw_up(aw, c)
    abandoned = Prepare()
    appeals.objection_filed_sign(objection=first, user=aw.local_head, passphrase=abandoned)
    clock.advance(minutes=30)  # the preparation expired; the head comes back to file anew
    client.force_login(aw.local_head)
    form = client.get(reverse("appeals:objection_file", args=[c.pk])).content.decode()
    assert 'data-testid="unsigned-table"' in form and 'name="passphrase"' not in form
    second = _draw_up(aw, c)
    first = fresh(first)
    assert first.state == "withdrawn" and "Заменены новой таблицей" in first.closed_reason
    assert StateLog.objects.for_(first).get(transition="withdraw").by == aw.local_head
    # the abandoned preparation can no longer complete
    with pytest.raises(DomainError, match="Заменены новой таблицей"):
        appeals.objection_filed_sign(objection=first, user=aw.local_head, passphrase=Complete(
            abandoned.preparation.pk, _cms(head_key, abandoned.preparation)))
    # the new table, through its sign page's two phases (JSON, as the page's script posts)
    url = reverse("appeals:objection_file_sign", args=[second.pk])
    page = client.get(url).content.decode()
    assert 'data-signing="ncalayer"' in page and "ncalayer-client.js" in page
    prepared = client.post(url, {"phase": "prepare"}).json()
    assert prepared["ok"], prepared
    data = base64.b64decode(prepared["data"])
    done = client.post(url, {"phase": "complete", "preparation": prepared["preparation"],
                             "cms": base64.b64encode(detached_cms(head_key, data)).decode()})
    assert done.json() == {"ok": True, "signed_by": done.json()["signed_by"],
                           "redirect": reverse("appeals:objection_detail", args=[second.pk])}
    assert fresh(second).state == "filed" and fresh(c).state == "under_appeal"
    assert Objection.objects.filter(conclusion=c).count() == 2  # the withdrawn one is kept
    # another body head may not sign it; an outsider does not see it
    client.force_login(aw.assessor)
    assert client.get(url).status_code in (302, 403)


def test_a_table_left_unsigned_lapses_with_the_window_and_says_why(aw, c, head_key, clock,
                                                                   client):
    o = _draw_up(aw, c)
    assert appeals.objections_lapse_job() == {"lapsed": 0}
    clock.set_now("2026-04-01T01:00:00")
    assert appeals.objections_lapse_job() == {"lapsed": 1}
    assert appeals.objections_lapse_job() == {"lapsed": 0}  # once
    o = fresh(o)
    assert o.state == "lapsed" and "31 марта 2026" in o.closed_reason
    assert ObjectionRefusal.objects.filter(conclusion=c).count() == 1
    assert Notification.objects.filter(user=aw.local_head, text=o.closed_reason).exists()
    client.force_login(aw.local_head)
    page = client.get(reverse("appeals:objection_detail", args=[o.pk])).content.decode()
    assert 'data-testid="closed-reason"' in page and "не подписана" in page
    assert 'data-testid="action-sign-filed"' not in page
    sign = client.get(reverse("appeals:objection_file_sign", args=[o.pk]))
    assert sign.status_code == 302  # nothing to sign: back to the table and its reason
    # the conclusion's window closed with no objection filed: final by the clock (silent)
    from assessments.conclusions.services import conclusion_windows_close

    conclusion_windows_close()
    assert fresh(c).state == "final" and fresh(c).window_outcome == "silent"
