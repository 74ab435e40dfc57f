"""Factories for the project's models, and the named personas tests speak of.

``Personas.build()`` makes a small registry (the evaluating bodies of p.5–6, two central bodies,
a local body with a district, the General Prosecutor's Office and the Committee) with the rules of
who evaluates whom, and one person per role:

    submitter, head            — a central body (a ministry): its submitter and head
    local_submitter, local_head — a local body (an oblast akimat)
    other_submitter            — another ministry's submitter (an outsider to the first)
    assessor                   — the Agency's assessor on services
    assessor_other_direction   — MIOD's assessor on openness
    committee_assessor         — the Committee's assessor on complaints
    digital_assessor           — the Ministry of digital development's assessor on automation
    unit_head                  — head of the Agency's assessor unit (services)
    signatory                  — the Agency's deputy chair (annexes 3, 4, 15)
    commission_chair           — chair of the Agency's special commission
    coordinator                — the Agency's coordinator
    admin                      — a superuser
    outsider                   — a user with no role anywhere
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import factory
from factory.django import DjangoModelFactory

from assessments.kernel.validators import bin_control_digit
from assessments.models import (
    Cycle,
    Membership,
    Milestone,
    Organisation,
    Region,
    User,
)

PASSWORD = "test-pass-2026"
PASSPHRASE = "sign-pass-2026"  # of every signing credential the tests issue
_serials = itertools.count(1)


def next_bin() -> str:
    """A fresh valid BIN (fictitious: registered 05/2001, resident legal entity); one sequence
    for every world, so bodies of different worlds never collide."""
    while True:
        head = f"010540{next(_serials):05d}"
        control = bin_control_digit(head)
        if control is not None:
            return head + str(control)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Тестов Тест {n}")
    position = "Главный эксперт"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    kind = Region.Kind.OBLAST
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_kk = factory.Sequence(lambda n: f"{n} облысы")


class OrganisationFactory(DjangoModelFactory):
    """A central body (a ministry) by default; written straight to the table, no history."""

    class Meta:
        model = Organisation

    kind = Organisation.Kind.CENTRAL
    central_type = Organisation.CentralType.MINISTRY
    name_ru = factory.Sequence(lambda n: f"Министерство № {n}")
    name_kk = factory.Sequence(lambda n: f"№ {n} министрлігі")
    bin = factory.LazyFunction(next_bin)
    is_evaluated = True


class LocalBodyFactory(OrganisationFactory):
    kind = Organisation.Kind.LOCAL
    central_type = ""
    level = Organisation.Level.OBLAST
    region = factory.SubFactory(RegionFactory)
    name_ru = factory.Sequence(lambda n: f"Акимат области {n}")
    name_kk = factory.Sequence(lambda n: f"{n} облысының әкімдігі")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "body_submitter"
    direction = ""
    annexes = factory.LazyFunction(list)


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"c{2025 + n}")
    year = 2025
    edition = "2023"


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    cycle = factory.SubFactory(CycleFactory)
    code = Milestone.Code.SUBMISSION
    name_ru = "Представление отчётной информации"
    name_kk = "Есептік ақпаратты ұсыну"
    due_on = factory.Faker("date_between", start_date="+1d", end_date="+60d")


@dataclass
class Registry:
    agency: Organisation
    digital: Organisation
    miod: Organisation
    integrator: Organisation
    prosecutor: Organisation
    committee: Organisation
    presidential: Organisation
    prime_minister: Organisation
    ministry: Organisation
    ministry_committee: Organisation
    other_ministry: Organisation
    akimat: Organisation
    district: Organisation
    supreme_court: Organisation

    @classmethod
    def build(cls) -> Registry:
        from assessments.registry.services.evaluators import evaluator_rules_seed

        R, S = Organisation.EvaluatorRole, Organisation.Special
        agency = OrganisationFactory(
            name_ru="Агентство по делам государственной службы", central_type="agency",
            evaluator_role=R.AGENCY, special=S.CIVIL_SERVICE_AGENCY,
        )
        digital = OrganisationFactory(
            name_ru="Министерство цифрового развития", evaluator_role=R.DIGITAL_MINISTRY,
            special=S.DIGITAL_MINISTRY,
        )
        miod = OrganisationFactory(
            name_ru="Министерство информации и общественного развития",
            evaluator_role=R.INFORMATION_MINISTRY, special=S.INFORMATION_MINISTRY,
        )
        prosecutor = OrganisationFactory(
            name_ru="Генеральная прокуратура", central_type="other_body",
            special=S.PROSECUTOR_GENERAL,
        )
        committee = OrganisationFactory(
            name_ru="Комитет по правовой статистике", central_type="committee",
            parent=prosecutor, is_evaluated=False, evaluator_role=R.LEGAL_STATISTICS,
        )
        other = {"kind": "other", "central_type": "", "is_evaluated": False}
        presidential = OrganisationFactory(
            name_ru="Администрация Президента", evaluator_role=R.PRESIDENTIAL_ADMINISTRATION,
            **other,
        )
        prime_minister = OrganisationFactory(
            name_ru="Канцелярия Премьер-Министра", evaluator_role=R.PRIME_MINISTER_OFFICE, **other
        )
        integrator = OrganisationFactory(
            name_ru="Сервисный интегратор", evaluator_role=R.SERVICE_INTEGRATOR, **other
        )
        supreme_court = OrganisationFactory(
            name_ru="Аппарат Верховного Суда", central_type="other_body",
            special=S.SUPREME_COURT_OFFICE,
        )
        ministry = OrganisationFactory(name_ru="Министерство финансов")
        ministry_committee = OrganisationFactory(
            name_ru="Комитет государственных доходов", central_type="committee", parent=ministry,
            is_evaluated=False,
        )
        other_ministry = OrganisationFactory(name_ru="Министерство юстиции")
        akimat = LocalBodyFactory(name_ru="Акимат Акмолинской области")
        district = LocalBodyFactory(
            name_ru="Акимат Бурабайского района", level="district", parent=akimat,
            region=akimat.region, is_evaluated=False,
        )
        evaluator_rules_seed()
        return cls(
            agency=agency, digital=digital, miod=miod, integrator=integrator,
            prosecutor=prosecutor, committee=committee, presidential=presidential,
            prime_minister=prime_minister, ministry=ministry,
            ministry_committee=ministry_committee, other_ministry=other_ministry, akimat=akimat,
            district=district, supreme_court=supreme_court,
        )


def member(organisation: Organisation, role: str, username: str, **extra) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role, **extra)
    return user


@dataclass
class Personas:
    registry: Registry
    submitter: User
    head: User
    local_submitter: User
    local_head: User
    other_submitter: User
    assessor: User
    assessor_other_direction: User
    committee_assessor: User
    digital_assessor: User
    unit_head: User
    signatory: User
    commission_chair: User
    coordinator: User
    admin: User
    outsider: User

    @classmethod
    def build(cls, registry: Registry | None = None) -> Personas:
        r = registry or Registry.build()
        admin = UserFactory(username="root", is_staff=True, is_superuser=True)
        return cls(
            registry=r,
            submitter=member(r.ministry, "body_submitter", "submitter"),
            head=member(r.ministry, "body_head", "head"),
            local_submitter=member(r.akimat, "body_submitter", "local_submitter"),
            local_head=member(r.akimat, "body_head", "local_head"),
            other_submitter=member(r.other_ministry, "body_submitter", "other_submitter"),
            assessor=member(r.agency, "assessor", "assessor", direction="services"),
            assessor_other_direction=member(
                r.miod, "assessor", "assessor_openness", direction="openness"
            ),
            committee_assessor=member(
                r.committee, "assessor", "committee_assessor", direction="complaints"
            ),
            digital_assessor=member(
                r.digital, "assessor", "digital_assessor", direction="automation"
            ),
            unit_head=member(r.agency, "assessor_unit_head", "unit_head", direction="services"),
            signatory=member(r.agency, "signatory", "deputy_chair", annexes=[3, 4, 15]),
            commission_chair=member(r.agency, "commission_chair", "commission_chair"),
            coordinator=member(r.agency, "coordinator", "coordinator"),
            admin=admin,
            outsider=UserFactory(username="outsider"),
        )
