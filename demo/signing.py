"""Demo data of the signing service: the demo CA and one credential per person.

Registered in ``assessments.demo.DEMO_STEPS`` by ``ReportingConfig.ready()``, so it runs after the
steps that create people. Idempotent: the CA is created once, and only people without an active
credential get one. The passphrase of every demo credential is the demo password.
"""

from __future__ import annotations


def seed_demo_signing() -> None:
    from assessments.demo import DEMO_PASSWORD
    from assessments.models import User
    from reporting.signing.ca import demo_ca
    from reporting.signing.services import issue_demo_credential

    demo_ca()
    for user in User.objects.filter(is_active=True).exclude(signing_credentials__active=True):
        issue_demo_credential(user, DEMO_PASSWORD)
