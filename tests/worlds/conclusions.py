"""The conclusions world: the evaluating bodies, a ministry and an akimat with scores, and
one named person per role of the conclusions' flow.

    assessor            the Agency's assessor on services (writes annexes 3, 4)
    unit_head           the head of the Agency's services unit (reviews; co-signs 3, 4, 15)
    deputy              the Agency's deputy chair (signs 3, 4, 15 first)
    digital_assessor    the Ministry of digital development's assessor (writes annex 5)
    digital_unit_head   the head of the Ministry's unit (reviews; co-signs annex 5)
    digital_head        the head of the Ministry (signs annex 5 first)
    miod_assessor, miod_unit_head, miod_head               openness (annex 8: the head alone)
    committee_assessor, committee_unit_head, committee_head complaints (annex 12)
    submitter, head     the ministry's staff (receive its conclusions)
    local_head          the akimat's head
    outsider            nobody
    chair               the Agency's special commission chair

Every signatory has a credential of the tests' demo CA with ``PASSPHRASE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Cycle, Membership, Organisation, User
from assessments.scoring.samples import perfect_case
from tests.worlds.factories import PASSPHRASE, next_bin

__all__ = ["PASSPHRASE", "World", "build_world", "org", "person", "reports_accepted"]


def org(name: str, **extra) -> Organisation:
    defaults = {"kind": "central", "central_type": "ministry", "is_evaluated": True,
                "name_kk": name}
    defaults.update(extra)
    return Organisation.objects.create(name_ru=name, bin=next_bin(), **defaults)


def person(username: str, organisation: Organisation, role: str, *, full_name: str = "",
           position: str = "Главный эксперт", **membership) -> User:
    user = User(username=username, full_name=full_name or f"Тестов {username}",
                position=position, email=f"{username}@example.kz")
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role, **membership)
    return user


@dataclass
class World:
    cycle: Cycle
    agency: Organisation
    digital: Organisation
    miod: Organisation
    committee: Organisation
    ministry: Organisation
    akimat: Organisation
    assessor: User
    unit_head: User
    deputy: User
    digital_assessor: User
    digital_unit_head: User
    digital_head: User
    miod_assessor: User
    miod_unit_head: User
    miod_head: User
    committee_assessor: User
    committee_unit_head: User
    committee_head: User
    submitter: User
    head: User
    local_head: User
    chair: User
    outsider: User

    def credentials(self) -> None:
        """Signing credentials for every signatory (slow: one key pair each)."""
        from reporting.signing.services import issue_demo_credential

        for user in (self.deputy, self.unit_head, self.digital_head, self.digital_unit_head,
                     self.miod_head, self.committee_head):
            issue_demo_credential(user, PASSPHRASE)


def reports_accepted(cycle: Cycle, body: Organisation, directions=None) -> None:
    """The body's reports as the evaluating bodies accepted them (a conclusion is drafted only
    for a direction whose report is accepted or closed as not submitted). Rows of the world, not
    a walk through submission: its tests play that."""
    from django.utils import timezone

    from assessments.models import Report

    if directions is None:
        directions = (("services", "automation", "openness", "complaints")
                      if body.kind == "central" else ("services", "openness", "complaints"))
    for direction in directions:
        Report.objects.create(cycle=cycle, body=body, direction=direction,
                              state=Report.State.ACCEPTED, accepted_at=timezone.now())


def build_world() -> World:
    from assessments.registry.services.evaluators import evaluator_rules_seed
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import score_body
    agency = org("Агентство по делам государственной службы", central_type="agency",
                 evaluator_role=Organisation.EvaluatorRole.AGENCY, special="civil_service_agency")
    digital = org("Министерство цифрового развития",
                  evaluator_role=Organisation.EvaluatorRole.DIGITAL_MINISTRY,
                  special="digital_ministry")
    miod = org("Министерство информации и общественного развития",
               evaluator_role=Organisation.EvaluatorRole.INFORMATION_MINISTRY,
               special="information_ministry")
    prosecutor = org("Генеральная прокуратура", central_type="other_body",
                     special="prosecutor_general")
    committee = org("Комитет по правовой статистике", central_type="committee",
                    parent=prosecutor, is_evaluated=False,
                    evaluator_role=Organisation.EvaluatorRole.LEGAL_STATISTICS)
    ministry = org("Министерство финансов", name_kk="Қаржы министрлігі")
    akimat = org("Акимат Акмолинской области", name_kk="Ақмола облысының әкімдігі",
                 kind="local", central_type="", level="oblast")
    evaluator_rules_seed()
    cycle = Cycle.objects.create(code="2025", year=2025, edition="2023", is_current=True)
    for body in (ministry, akimat):
        case = perfect_case(body.kind)
        case["body"] = {"kind": body.kind, "special": []}
        case["services"]["late"] = 30  # a score below the maximum, printed 11.xx
        scoring_input_load_case(cycle=cycle, body=body, case=case, actor=None, reason="test")
        score_body(cycle=cycle, body=body)
        reports_accepted(cycle, body)
    world = World(
        cycle=cycle, agency=agency, digital=digital, miod=miod, committee=committee,
        ministry=ministry, akimat=akimat,
        assessor=person("assessor", agency, "assessor", direction="services"),
        unit_head=person("unit_head", agency, "assessor_unit_head", direction="services",
                         full_name="Сәрсенбаев Данияр", position="Директор департамента"),
        deputy=person("deputy", agency, "signatory", annexes=[3, 4, 15],
                      full_name="Нұрғалиева Гүлнара", position="Заместитель Председателя"),
        digital_assessor=person("digital_assessor", digital, "assessor",
                                direction="automation"),
        digital_unit_head=person("digital_unit_head", digital, "assessor_unit_head",
                                 direction="automation", full_name="Ибраев Аслан Өмірұлы"),
        digital_head=person("digital_head", digital, "signatory", annexes=[5],
                            full_name="Қасымов Берік", position="Министр"),
        miod_assessor=person("miod_assessor", miod, "assessor", direction="openness"),
        miod_unit_head=person("miod_unit_head", miod, "assessor_unit_head",
                              direction="openness"),
        miod_head=person("miod_head", miod, "signatory", annexes=[8],
                         full_name="Әхметов Арман", position="Министр"),
        committee_assessor=person("committee_assessor", committee, "assessor",
                                  direction="complaints"),
        committee_unit_head=person("committee_unit_head", committee, "assessor_unit_head",
                                   direction="complaints"),
        committee_head=person("committee_head", committee, "signatory", annexes=[12],
                              full_name="Жақыпов Марат", position="Председатель Комитета"),
        submitter=person("submitter", ministry, "body_submitter"),
        head=person("head", ministry, "body_head"),
        local_head=person("local_head", akimat, "body_head"),
        chair=person("chair", agency, "commission_chair"),
        outsider=User.objects.create(username="outsider"),
    )
    # Each assessor is assigned to both bodies on their direction (automation: central bodies
    # only): only assigned assessors write a body's drafts (issue 16).
    from assessments.kernel import clock
    from assessments.models import AssessorAssignment

    for assessor, direction, bodies in ((world.assessor, "services", (ministry, akimat)),
                                        (world.digital_assessor, "automation", (ministry,)),
                                        (world.miod_assessor, "openness", (ministry, akimat)),
                                        (world.committee_assessor, "complaints",
                                         (ministry, akimat))):
        for body in bodies:
            AssessorAssignment.objects.create(cycle=cycle, body=body, direction=direction,
                                              assessor=assessor, assigned_at=clock.now())
    return world
