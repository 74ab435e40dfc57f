"""Set-up of a demo cycle: the registry's evaluating bodies and rules (idempotent), then the
run's own cycle, central and local bodies, people, assessor assignments and signing credentials.
"""

from __future__ import annotations

from demo.cycle.plan import (
    ASSESSOR_OF,
    CODE_PREFIX,
    EDITION,
    FLOW,
    PEOPLE,
    YEAR,
    Run,
)
from demo.seed import DEMO_PASSWORD


def next_number() -> int:
    from assessments.models import Cycle

    taken = [int(code[len(CODE_PREFIX):]) for code in
             Cycle.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)
             if code[len(CODE_PREFIX):].isdigit()]
    return max(taken, default=0) + 1


def _new_bin(serial: int) -> tuple[str, int]:
    """A fictitious BIN (registered 99/03, resident legal entity) not in the registry yet."""
    from assessments.kernel.validators import bin_control_digit
    from assessments.models import Organisation

    while True:
        head = f"990340{serial:05d}"
        control = bin_control_digit(head)
        serial += 1
        if control is not None and not Organisation.objects.filter(
                bin=head + str(control)).exists():
            return head + str(control), serial


def setup(run: Run) -> None:
    """The registry's evaluating bodies and rules (idempotent), the cycle, bodies and people."""
    from django.contrib.auth.hashers import make_password

    from assessments.models import Organisation, Region, User
    from assessments.registry.services.assignments import assessor_assign
    from assessments.registry.services.cycles import cycle_create
    from assessments.registry.services.memberships import membership_grant
    from assessments.registry.services.organisations import organisation_create
    from demo.seed import seed_evaluator_rules, seed_registry
    from demo.submission import seed_public_services
    from reporting.signing.ca import demo_ca
    from reporting.signing.services import issue_demo_credential

    demo_ca()
    seed_registry()
    seed_evaluator_rules()
    seed_public_services()
    for role in ("agency", "digital_ministry", "information_ministry", "legal_statistics",
                 "presidential_administration"):
        run.evaluators[role] = Organisation.objects.filter(evaluator_role=role).order_by(
            "pk").first()
    run.cycle = cycle_create(
        actor=None, code=f"{CODE_PREFIX}{run.number}", year=YEAR, edition=EDITION,
        title=f"Демонстрационный цикл {run.number}: оценка за {YEAR} год",
        reason="demo_cycle",
    )
    label = f" (демо-цикл {run.number})"
    serial = 30000 + 100 * run.number
    bin_central, serial = _new_bin(serial)
    bin_local, serial = _new_bin(serial)
    bin_local2, serial = _new_bin(serial)
    run.bodies["central"] = organisation_create(
        actor=None, reason="demo_cycle", kind="central", central_type="ministry",
        name_ru="Министерство торговли и интеграции Республики Казахстан" + label,
        name_kk="Қазақстан Республикасының Сауда және интеграция министрлігі" + label,
        short_name_ru="МТИ", short_name_kk="СИМ", bin=bin_central, is_evaluated=True,
    )
    run.bodies["local"] = organisation_create(
        actor=None, reason="demo_cycle", kind="local", level="oblast_city",
        region=Region.objects.filter(code="almaty-oblast").first(),
        name_ru="Акимат города Конаев" + label,
        name_kk="Қонаев қаласының әкімдігі" + label,
        bin=bin_local, is_evaluated=True,
    )
    run.bodies["local2"] = organisation_create(
        actor=None, reason="demo_cycle", kind="local", level="oblast_city",
        region=Region.objects.filter(code="almaty-oblast").first(),
        name_ru="Акимат города Текели" + label,
        name_kk="Текелі қаласының әкімдігі" + label,
        bin=bin_local2, is_evaluated=True,
    )
    # One hash for everyone: they all log in with the demo password (hashing is slow on purpose).
    password = make_password(DEMO_PASSWORD)
    for key, full_name, position, org_key, role, direction, annexes in PEOPLE:
        organisation = run.bodies.get(org_key) or run.evaluators[org_key]
        user = User.objects.create(username=run.prefix + key, full_name=full_name,
                                   position=position, email=f"{run.prefix}{key}@example.kz",
                                   password=password)
        membership_grant(actor=None, user=user, organisation=organisation, role=role,
                         direction=direction, annexes=annexes, reason="demo_cycle")
        run.users[key] = user
    for body in run.bodies.values():
        for direction, username in ASSESSOR_OF.items():
            if direction == "automation" and body.kind != "central":
                continue
            assessor_assign(actor=None, cycle=run.cycle, body=body, direction=direction,
                            assessor=run.user(username))
    # Everyone who signs gets a credential of the demo CA (the passphrase: the demo password).
    signers = {"cgo-head", "mio-head", "commission-chair", "mdd-commission-chair",
               "agency-assessor"}
    for names in FLOW.values():
        signers |= set(names[2])
    for key in sorted(signers):
        issue_demo_credential(run.user(key), DEMO_PASSWORD)
