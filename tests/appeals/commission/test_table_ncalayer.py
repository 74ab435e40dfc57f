"""The completed disagreement table through NCALayer's two phases (issue 14): the chair's
signature and the body's acknowledgement ("С итогами обжалования ознакомлен") on their own sign
pages, as the pages' script posts them (JSON ``prepare`` → a detached CMS from a Kazakh-layout
test key bound by the IIN → ``complete``); the objection follows each verified signature."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from assessments.kernel.validators import make_iin
from reporting.models import SigningCredential
from reporting.signing import ca
from reporting.signing.services import signed_document_verify
from tests.worlds.appeal_steps import decided, fresh
from tests.worlds.ncalayer import detached_cms, kazakh_certificate

pytestmark = pytest.mark.django_db

CHAIR_IIN = make_iin("68020250051")
HEAD_IIN = make_iin("70010150041")


def _sign_over_json(client, url, key) -> dict:
    page = client.get(url).content.decode()
    assert 'data-signing="ncalayer"' in page and 'name="passphrase"' not in page
    prepared = client.post(url, {"phase": "prepare"}).json()
    assert prepared["ok"], prepared
    cms = detached_cms(key, base64.b64decode(prepared["data"]))
    return client.post(url, {"phase": "complete", "preparation": prepared["preparation"],
                             "cms": base64.b64encode(cms).decode()}).json()


def test_chair_and_body_sign_the_completed_table_through_ncalayer(aw, signing_demo_ca,
                                                                  settings, client):
    o = decided(aw, accept=False)  # filed and decided with the demo keys
    settings.SIGNING_METHOD = "ncalayer"
    authority = ca.demo_ca(signing_demo_ca)
    for user, iin in ((aw.chair, CHAIR_IIN), (aw.local_head, HEAD_IIN)):
        user.iin = iin
        user.save(update_fields=["iin"])
    chair_key = kazakh_certificate(authority, iin=CHAIR_IIN, surname="Төрағаев", given="Асхат",
                                   bin_=aw.agency.bin, organisation="АГЕНТСТВО")
    head_key = kazakh_certificate(authority, iin=HEAD_IIN, surname="Сейтқали",
                                  given="Ерболат", organisation="АКИМАТ")

    client.force_login(aw.chair)
    # a key issued to someone else is refused; nothing moves
    url = reverse("appeals:objection_sign", args=[o.pk])
    refused = _sign_over_json(client, url, head_key)
    assert not refused["ok"] and "другому лицу" in refused["error"]
    assert fresh(o).state == "decided"
    done = _sign_over_json(client, url, chair_key)
    assert done["ok"] and done["redirect"] == reverse("appeals:objection_detail", args=[o.pk])
    o = fresh(o)
    assert o.state == "signed_by_chair"

    client.force_login(aw.local_head)
    done = _sign_over_json(client, reverse("appeals:objection_acknowledge", args=[o.pk]),
                           head_key)
    assert done["ok"], done
    o = fresh(o)
    assert o.state == "acknowledged" and o.acknowledged_by == aw.local_head
    report = signed_document_verify(o.table_document)
    assert report.is_valid_trusted and len(report.signatures) == 2
    sources = {s.signer: s.credential.source for s in o.table_document.signatures.all()}
    assert sources == {aw.chair: SigningCredential.Source.NCALAYER,
                       aw.local_head: SigningCredential.Source.NCALAYER}
