"""Demo data of the signing service: one credential per person, from the demo CA (the embedded
default's signer backend, ``reporting.signing.ca``).

Last of ``demo.steps.DEMO_STEPS``, after the steps that create people. Idempotent: the CA is
created once, and only people without an active credential get one. The passphrase of every demo
credential is the demo password.
"""

from __future__ import annotations


def seed_demo_signing() -> None:
    from assessments.models import User
    from demo.seed import DEMO_PASSWORD
    from reporting.signing.ca import demo_ca
    from reporting.signing.services import issue_demo_credential

    demo_ca()
    for user in User.objects.filter(is_active=True).exclude(signing_credentials__active=True):
        issue_demo_credential(user, DEMO_PASSWORD)
