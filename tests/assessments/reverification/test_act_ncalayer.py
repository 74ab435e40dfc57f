"""The act's page in the NCALayer deployment: the body's head signs with remarks in two phases.

The remarks go into the prepared signature (its reason) and are stored on the act only with the
signature itself: a preparation that is never completed leaves the act as it was. The CMS comes
from a Kazakh-layout test key bound to the head by the IIN (tests/worlds/ncalayer.py).
"""

from __future__ import annotations

import base64
import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from assessments.kernel.validators import make_iin
from assessments.models import ReconciliationAct, Reverification
from assessments.reverification.services import findings_complete, reconciliation_act_issue
from reporting.models import Signature, SigningCredential
from reporting.signing import ca
from reporting.signing.services import signed_document_sign, signed_document_verify
from tests.worlds.ncalayer import detached_cms, kazakh_certificate
from tests.worlds.reverification import PASSPHRASE, record

pytestmark = pytest.mark.django_db

HEAD_IIN = make_iin("75061040031")


def test_the_body_signs_the_act_with_remarks_through_ncalayer(
    signing_demo_ca, client, personas, selected, credentials, settings
):
    p = personas
    record(selected, p.assessor, "unreliable", 1, section="Таблица T1")
    findings_complete(actor=p.assessor, reverification=selected)
    act = reconciliation_act_issue(actor=p.assessor, reverification=selected)
    signed_document_sign(signed_document=act.signed_document, user=p.assessor,
                         passphrase=PASSPHRASE)  # the evaluator, with the demo key
    settings.SIGNING_METHOD = "ncalayer"
    p.head.iin = HEAD_IIN
    p.head.save(update_fields=["iin"])
    key = kazakh_certificate(ca.demo_ca(signing_demo_ca), iin=HEAD_IIN, surname="Ахметов",
                             given="Ерлан", bin_=p.registry.ministry.bin,
                             organisation="МИНИСТЕРСТВО")
    url = reverse("reverification:reverification_act", args=[act.pk])
    client.force_login(p.head)
    page = client.get(url).content.decode()
    assert 'data-signing="ncalayer"' in page and 'name="remarks"' in page
    remarks = "Факт по таблице T1 оспариваем."
    prepared = client.post(url, {"phase": "prepare", "remarks": remarks}).json()
    assert prepared["ok"]
    act = ReconciliationAct.objects.get(pk=act.pk)
    assert act.body_remarks == "", "remarks are stored with the signature, not before"
    data = base64.b64decode(prepared["data"])
    done = client.post(url, {"phase": "complete", "preparation": prepared["preparation"],
                             "remarks": remarks,
                             "cms": base64.b64encode(detached_cms(key, data)).decode()}).json()
    assert done["ok"], done
    act = ReconciliationAct.objects.get(pk=act.pk)
    assert act.body_remarks == remarks
    assert Reverification.objects.get(pk=selected.pk).state == "act_signed"
    signature = Signature.objects.get(signed_document=act.signed_document, signer=p.head)
    assert signature.credential.source == SigningCredential.Source.NCALAYER
    report = signed_document_verify(act.signed_document)
    assert report.is_valid_trusted and len(report.signatures) == 2
    with act.signed_document.current_file.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
    assert remarks in str(reader.embedded_signatures[1].sig_object["/Reason"])
