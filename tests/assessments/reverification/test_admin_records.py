"""The read-only admin of re-verification's records: listed to the superuser, never added there
(every change goes through a service)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

RECORDS = [
    "riskmethod", "risksample", "reverification", "documentrequest", "confirmingdocument",
    "systemcheck", "reconciliationact",
]


@pytest.mark.parametrize("model", RECORDS)
def test_each_record_is_listed_read_only(client, root, model):
    response = client.get(reverse(f"admin:assessments_{model}_changelist"))
    assert response.status_code == 200
    assert client.get(reverse(f"admin:assessments_{model}_add")).status_code == 403
