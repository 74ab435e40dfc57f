"""The base of the demo data: the registry, one person per role, the current cycle; the demo
password and the logins ``make run`` prints.

Every step must be idempotent: a second run neither fails nor duplicates. ``demo.steps`` lists
the steps of every part in the order ``seed_demo`` runs them.

This part loads the registry of bodies with their real names (the 17 oblasts and 3 cities of
republican significance as of 2022 and later, their akimats, central bodies named as in the seed),
who evaluates whom (p.5–6, 24, 26), one person per role, and the current cycle with its schedule
and assessor assignments. BINs are fictitious (valid checksums, not the bodies' real numbers);
people's names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DEMO_PASSWORD = "demo-pass-2026"

# (username, role description) shown by `make run`.
DEMO_LOGINS: list[tuple[str, str]] = [("admin", "Администратор / administrator")]


def seed_admin() -> None:
    from assessments.models import User

    user, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "full_name": "Администратор системы",
            "position": "Администратор",
            "email": "admin@example.kz",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()


# --- The registry --------------------------------------------------------------------------

# (code, kind, name_ru, name_kk, akimat_ru, akimat_kk, active_from)
REGIONS: tuple[tuple[str, str, str, str, str, str, date | None], ...] = (
    ("abai", "oblast", "Абайская область", "Абай облысы",
     "Акимат Абайской области", "Абай облысының әкімдігі", date(2022, 6, 8)),
    ("akmola", "oblast", "Акмолинская область", "Ақмола облысы",
     "Акимат Акмолинской области", "Ақмола облысының әкімдігі", None),
    ("aktobe", "oblast", "Актюбинская область", "Ақтөбе облысы",
     "Акимат Актюбинской области", "Ақтөбе облысының әкімдігі", None),
    ("almaty-oblast", "oblast", "Алматинская область", "Алматы облысы",
     "Акимат Алматинской области", "Алматы облысының әкімдігі", None),
    ("atyrau", "oblast", "Атырауская область", "Атырау облысы",
     "Акимат Атырауской области", "Атырау облысының әкімдігі", None),
    ("east-kazakhstan", "oblast", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы",
     "Акимат Восточно-Казахстанской области", "Шығыс Қазақстан облысының әкімдігі", None),
    ("zhambyl", "oblast", "Жамбылская область", "Жамбыл облысы",
     "Акимат Жамбылской области", "Жамбыл облысының әкімдігі", None),
    ("zhetysu", "oblast", "Жетысуская область", "Жетісу облысы",
     "Акимат Жетысуской области", "Жетісу облысының әкімдігі", date(2022, 6, 8)),
    ("west-kazakhstan", "oblast", "Западно-Казахстанская область", "Батыс Қазақстан облысы",
     "Акимат Западно-Казахстанской области", "Батыс Қазақстан облысының әкімдігі", None),
    ("karaganda", "oblast", "Карагандинская область", "Қарағанды облысы",
     "Акимат Карагандинской области", "Қарағанды облысының әкімдігі", None),
    ("kostanay", "oblast", "Костанайская область", "Қостанай облысы",
     "Акимат Костанайской области", "Қостанай облысының әкімдігі", None),
    ("kyzylorda", "oblast", "Кызылординская область", "Қызылорда облысы",
     "Акимат Кызылординской области", "Қызылорда облысының әкімдігі", None),
    ("mangystau", "oblast", "Мангистауская область", "Маңғыстау облысы",
     "Акимат Мангистауской области", "Маңғыстау облысының әкімдігі", None),
    ("pavlodar", "oblast", "Павлодарская область", "Павлодар облысы",
     "Акимат Павлодарской области", "Павлодар облысының әкімдігі", None),
    ("north-kazakhstan", "oblast", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы",
     "Акимат Северо-Казахстанской области", "Солтүстік Қазақстан облысының әкімдігі", None),
    ("turkistan", "oblast", "Туркестанская область", "Түркістан облысы",
     "Акимат Туркестанской области", "Түркістан облысының әкімдігі", None),
    ("ulytau", "oblast", "Улытауская область", "Ұлытау облысы",
     "Акимат Улытауской области", "Ұлытау облысының әкімдігі", date(2022, 6, 8)),
    ("astana", "capital", "город Астана", "Астана қаласы",
     "Акимат города Астаны", "Астана қаласының әкімдігі", None),
    ("almaty", "republican_city", "город Алматы", "Алматы қаласы",
     "Акимат города Алматы", "Алматы қаласының әкімдігі", None),
    ("shymkent", "republican_city", "город Шымкент", "Шымкент қаласы",
     "Акимат города Шымкента", "Шымкент қаласының әкімдігі", date(2018, 6, 19)),
)

# Renamings kept in the name history: (region code, [(name_ru, name_kk, from, basis), …]) —
# the akimat's names in order, the last being the current one.
NAME_HISTORY = {
    "turkistan": [
        ("Акимат Южно-Казахстанской области", "Оңтүстік Қазақстан облысының әкімдігі", None, ""),
        ("Акимат Туркестанской области", "Түркістан облысының әкімдігі", date(2018, 6, 19),
         "Указ Президента РК от 19 июня 2018 года № 702"),
    ],
    "astana": [
        ("Акимат города Астаны", "Астана қаласының әкімдігі", None, ""),
        ("Акимат города Нур-Султана", "Нұр-Сұлтан қаласының әкімдігі", date(2019, 3, 23),
         "Переименование столицы в Нур-Султан (2019)"),
        ("Акимат города Астаны", "Астана қаласының әкімдігі", date(2022, 9, 17),
         "Возвращение столице наименования Астана (2022)"),
    ],
}


@dataclass
class BodySpec:
    key: str
    name_ru: str
    name_kk: str
    kind: str = "central"
    central_type: str = ""
    level: str = ""
    parent: str = ""
    region: str = ""
    is_evaluated: bool = True
    evaluator_role: str = ""
    special: str = ""
    short_name_ru: str = ""
    short_name_kk: str = ""
    extra: dict = field(default_factory=dict)


CENTRAL_BODIES: tuple[BodySpec, ...] = (
    BodySpec("agency", "Агентство Республики Казахстан по делам государственной службы",
             "Қазақстан Республикасының Мемлекеттік қызмет істері агенттігі",
             central_type="agency", evaluator_role="agency", special="civil_service_agency",
             short_name_ru="АДГС", short_name_kk="МҚІА"),
    BodySpec("mdd", "Министерство цифрового развития, инноваций и аэрокосмической промышленности "
             "Республики Казахстан",
             "Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі "
             "министрлігі",
             central_type="ministry", evaluator_role="digital_ministry", special="digital_ministry",
             short_name_ru="МЦРИАП", short_name_kk="ЦДИАӨМ"),
    BodySpec("miod", "Министерство информации и общественного развития Республики Казахстан",
             "Қазақстан Республикасының Ақпарат және қоғамдық даму министрлігі",
             central_type="ministry", evaluator_role="information_ministry",
             special="information_ministry", short_name_ru="МИОР", short_name_kk="АҚДМ"),
    BodySpec("gp", "Генеральная прокуратура Республики Казахстан",
             "Қазақстан Республикасының Бас прокуратурасы",
             central_type="other_body", special="prosecutor_general"),
    BodySpec("committee", "Комитет по правовой статистике и специальным учетам Генеральной "
             "прокуратуры Республики Казахстан",
             "Қазақстан Республикасы Бас прокуратурасының Құқықтық статистика және арнайы есепке "
             "алу жөніндегі комитеті",
             central_type="committee", parent="gp", is_evaluated=False,
             evaluator_role="legal_statistics", short_name_ru="КПСиСУ", short_name_kk="ҚСжАЕК"),
    BodySpec("pa", "Администрация Президента Республики Казахстан",
             "Қазақстан Республикасы Президентінің Әкімшілігі",
             kind="other", is_evaluated=False, evaluator_role="presidential_administration"),
    BodySpec("pmo", "Канцелярия Премьер-Министра Республики Казахстан",
             "Қазақстан Республикасы Премьер-Министрінің Кеңсесі",
             kind="other", is_evaluated=False, evaluator_role="prime_minister_office"),
    BodySpec("nit", "Акционерное общество «Национальные информационные технологии»",
             "«Ұлттық ақпараттық технологиялар» акционерлік қоғамы",
             kind="other", is_evaluated=False, evaluator_role="service_integrator",
             short_name_ru="АО «НИТ»", short_name_kk="«ҰАТ» АҚ"),
    BodySpec("mod", "Министерство обороны Республики Казахстан",
             "Қазақстан Республикасының Қорғаныс министрлігі",
             central_type="ministry", special="ministry_of_defence"),
    BodySpec("mfa", "Министерство иностранных дел Республики Казахстан",
             "Қазақстан Республикасының Сыртқы істер министрлігі",
             central_type="ministry", special="ministry_of_foreign_affairs"),
    BodySpec("nb", "Национальный Банк Республики Казахстан",
             "Қазақстан Республикасының Ұлттық Банкі",
             central_type="other_body", special="national_bank"),
    BodySpec("supreme-court", "Департамент по обеспечению деятельности судов при Верховном Суде "
             "Республики Казахстан (аппарат Верховного Суда Республики Казахстан)",
             "Қазақстан Республикасы Жоғарғы Сотының жанындағы Соттардың қызметін қамтамасыз ету "
             "департаменті (Қазақстан Республикасы Жоғарғы Сотының аппараты)",
             central_type="other_body", special="supreme_court_office"),
    BodySpec("mf", "Министерство финансов Республики Казахстан",
             "Қазақстан Республикасының Қаржы министрлігі", central_type="ministry"),
    BodySpec("mf-sgd", "Комитет государственных доходов Министерства финансов Республики "
             "Казахстан",
             "Қазақстан Республикасы Қаржы министрлігінің Мемлекеттік кірістер комитеті",
             central_type="committee", parent="mf", is_evaluated=False),
    BodySpec("mf-sgd-astana", "Департамент государственных доходов по городу Астане Комитета "
             "государственных доходов Министерства финансов Республики Казахстан",
             "Қазақстан Республикасы Қаржы министрлігі Мемлекеттік кірістер комитетінің Астана "
             "қаласы бойынша Мемлекеттік кірістер департаменті",
             central_type="territorial", parent="mf-sgd", region="astana", is_evaluated=False),
    BodySpec("moj", "Министерство юстиции Республики Казахстан",
             "Қазақстан Республикасының Әділет министрлігі", central_type="ministry"),
    BodySpec("mia", "Министерство внутренних дел Республики Казахстан",
             "Қазақстан Республикасының Ішкі істер министрлігі", central_type="ministry"),
    BodySpec("moh", "Министерство здравоохранения Республики Казахстан",
             "Қазақстан Республикасының Денсаулық сақтау министрлігі", central_type="ministry"),
    BodySpec("moe", "Министерство просвещения Республики Казахстан",
             "Қазақстан Республикасының Оқу-ағарту министрлігі", central_type="ministry"),
    BodySpec("mlsp", "Министерство труда и социальной защиты населения Республики Казахстан",
             "Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі",
             central_type="ministry"),
    BodySpec("moa", "Министерство сельского хозяйства Республики Казахстан",
             "Қазақстан Республикасының Ауыл шаруашылығы министрлігі", central_type="ministry"),
)

# Lower-level local bodies (assessed with their oblast or city, p.23), to show the levels.
LOCAL_SUBUNITS: tuple[BodySpec, ...] = (
    BodySpec("kokshetau", "Акимат города Кокшетау", "Көкшетау қаласының әкімдігі",
             kind="local", level="oblast_city", parent="akimat-akmola", region="akmola",
             is_evaluated=False),
    BodySpec("burabay", "Акимат Бурабайского района", "Бурабай ауданының әкімдігі",
             kind="local", level="district", parent="akimat-akmola", region="akmola",
             is_evaluated=False),
    BodySpec("shchuchinsk", "Акимат города Щучинска", "Щучинск қаласының әкімдігі",
             kind="local", level="town", parent="burabay", region="akmola", is_evaluated=False),
    BodySpec("katarkol", "Аппарат акима Катаркольского сельского округа",
             "Қатаркөл ауылдық округі әкімінің аппараты",
             kind="local", level="rural_okrug", parent="burabay", region="akmola",
             is_evaluated=False),
    BodySpec("astana-esil", "Акимат района Есиль города Астаны",
             "Астана қаласы Есіл ауданының әкімдігі",
             kind="local", level="city_district", parent="akimat-astana", region="astana",
             is_evaluated=False),
    BodySpec("almaty-medeu", "Акимат Медеуского района города Алматы",
             "Алматы қаласы Медеу ауданының әкімдігі",
             kind="local", level="city_district", parent="akimat-almaty", region="almaty",
             is_evaluated=False),
)


def demo_bin(serial: int) -> str:
    """A fictitious BIN with a valid control digit: registered 99/02, resident legal entity."""
    from assessments.kernel.validators import bin_control_digit

    while True:
        head = f"990240{serial:05d}"
        if bin_control_digit(head) is not None:
            return head + str(bin_control_digit(head))
        serial += 1


def _bins() -> dict[str, str]:
    """A stable BIN per body key (so re-runs find the same bodies)."""
    keys = [f"akimat-{code}" for code, *_ in REGIONS]
    keys += [spec.key for spec in CENTRAL_BODIES + LOCAL_SUBUNITS]
    result, serial = {}, 1000
    for key in keys:
        bin_value = demo_bin(serial)
        result[key] = bin_value
        serial = int(bin_value[6:11]) + 1
    return result


def body(key: str):
    """The demo body with ``key`` (for the other demo steps and for tests)."""
    from assessments.models import Organisation

    return Organisation.objects.get(bin=_bins()[key])


def seed_registry() -> None:
    from assessments.models import Organisation, Region
    from assessments.registry.services.organisations import organisation_create, organisation_rename

    bins = _bins()
    regions = {}
    for code, kind, name_ru, name_kk, *_rest in REGIONS:
        active_from = _rest[2]
        regions[code], _created = Region.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "name_ru": name_ru, "name_kk": name_kk,
                      "active_from": active_from},
        )
    made: dict[str, Organisation] = {
        org_key: org
        for org_key, org in (
            (key, Organisation.objects.filter(bin=value).first()) for key, value in bins.items()
        )
        if org is not None
    }
    level = {"oblast": "oblast", "capital": "capital", "republican_city": "republican_city"}
    for code, kind, _name_ru, _name_kk, akimat_ru, akimat_kk, active_from in REGIONS:
        key = f"akimat-{code}"
        if key in made:
            continue
        history = NAME_HISTORY.get(code)
        first_ru, first_kk = (history[0][0], history[0][1]) if history else (akimat_ru, akimat_kk)
        org = organisation_create(
            actor=None,
            reason="demo",
            kind="local",
            level=level[kind],
            region=regions[code],
            name_ru=first_ru,
            name_kk=first_kk,
            bin=bins[key],
            is_evaluated=True,
            active_from=active_from,
        )
        for name_ru, name_kk, since, basis in (history or [])[1:]:
            org = organisation_rename(actor=None, organisation=org, name_ru=name_ru,
                                      name_kk=name_kk, effective_on=since, basis=basis)
        made[key] = org
    for spec in CENTRAL_BODIES + LOCAL_SUBUNITS:
        if spec.key in made:
            continue
        made[spec.key] = organisation_create(
            actor=None,
            reason="demo",
            kind=spec.kind,
            central_type=spec.central_type,
            level=spec.level,
            parent=made[spec.parent] if spec.parent else None,
            region=regions[spec.region] if spec.region else None,
            name_ru=spec.name_ru,
            name_kk=spec.name_kk,
            short_name_ru=spec.short_name_ru,
            short_name_kk=spec.short_name_kk,
            bin=bins[spec.key],
            is_evaluated=spec.is_evaluated and spec.kind != "other",
            evaluator_role=spec.evaluator_role,
            special=spec.special,
        )


def seed_evaluator_rules() -> None:
    from assessments.registry.services.evaluators import evaluator_rules_seed

    evaluator_rules_seed(actor=None)


# --- People: one per role ------------------------------------------------------------------

@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    position: str
    body: str  # demo body key
    role: str
    direction: str = ""
    annexes: tuple[int, ...] = ()
    label: str = ""


PERSONAS: tuple[Persona, ...] = (
    Persona("cgo-submitter", "Жұмабекова Айгерім Серікқызы", "Главный эксперт", "mf",
            "body_submitter", label="ЦГО: ответственный за отчётность / central body submitter"),
    Persona("cgo-head", "Оспанов Ерлан Маратович", "Ответственный секретарь", "mf", "body_head",
            label="ЦГО: руководитель / central body head"),
    Persona("mio-submitter", "Ким Наталья Викторовна", "Главный специалист", "akimat-akmola",
            "body_submitter", label="МИО: ответственный за отчётность / local body submitter"),
    Persona("mio-head", "Сейткали Нурлан Бахытович", "Руководитель аппарата акима",
            "akimat-akmola", "body_head", label="МИО: руководитель / local body head"),
    Persona("agency-assessor", "Тулегенова Динара Асхатовна", "Эксперт", "agency", "assessor",
            "services", label="Эксперт Агентства (госуслуги) / Agency assessor"),
    Persona("miod-assessor", "Абдрахманов Тимур Ержанович", "Главный эксперт", "miod",
            "assessor", "openness", label="Эксперт МИОР (открытость) / MIOD assessor"),
    Persona("committee-assessor", "Байжанова Салтанат Кайратовна", "Прокурор управления",
            "committee", "assessor", "complaints",
            label="Эксперт Комитета (жалобы) / Committee assessor"),
    Persona("mdd-assessor", "Ибраев Аслан Муратович", "Главный эксперт", "mdd", "assessor",
            "automation", label="Эксперт МЦРИАП (автоматизация) / digital ministry assessor"),
    Persona("agency-unit-head", "Сарсенбаев Данияр Болатович", "Директор департамента",
            "agency", "assessor_unit_head", "services",
            label="Руководитель подразделения Агентства / head of assessor unit"),
    Persona("mdd-unit-head", "Жумагулов Ренат Серикович", "Директор департамента", "mdd",
            "assessor_unit_head", "automation",
            label="Руководитель подразделения МЦРИАП / digital ministry head of unit"),
    Persona("miod-unit-head", "Калиева Айжан Маратовна", "Директор департамента", "miod",
            "assessor_unit_head", "openness",
            label="Руководитель подразделения МИОР / MIOD head of unit"),
    Persona("committee-unit-head", "Мусин Ерлан Болатович", "Начальник управления", "committee",
            "assessor_unit_head", "complaints",
            label="Руководитель подразделения Комитета / Committee head of unit"),
    Persona("agency-deputy", "Нургалиева Гульнара Жумабековна", "Заместитель Председателя",
            "agency", "signatory", annexes=(3, 4, 15),
            label="Подписант: заместитель Председателя Агентства / Agency deputy chair"),
    Persona("mdd-head", "Касымов Берик Ермекович", "Министр", "mdd", "signatory", annexes=(5,),
            label="Подписант: руководитель Министерства / digital ministry head"),
    Persona("miod-head", "Ахметов Арман Серикович", "Министр", "miod", "signatory",
            annexes=(8,), label="Подписант: руководитель МИОР / MIOD head"),
    Persona("committee-head", "Жакупов Марат Каиргельдинович", "Председатель Комитета",
            "committee", "signatory", annexes=(12,),
            label="Подписант: руководитель Комитета / Committee head"),
    Persona("commission-chair", "Смагулов Ерболат Кенесович", "Заместитель Председателя",
            "agency", "commission_chair",
            label="Председатель специальной комиссии / commission chair"),
    Persona("commission-secretary", "Есенова Мадина Талгатовна", "Главный эксперт", "agency",
            "commission_secretary", label="Секретарь специальной комиссии / commission secretary"),
    Persona("commission-member", "Куанышев Алмас Ринатович", "Эксперт", "agency",
            "commission_member", label="Член специальной комиссии / commission member"),
    Persona("working-body", "Бекова Жанар Нурлановна", "Консультант", "pa", "working_body_rep",
            label="Представитель рабочего органа Комиссии / working-body representative"),
    Persona("coordinator", "Омарова Асель Бауыржановна", "Главный эксперт", "agency",
            "coordinator", label="Координатор Агентства / Agency coordinator"),
)

DEMO_LOGINS.extend((p.username, p.label) for p in PERSONAS)


def seed_people() -> None:
    from assessments.models import User
    from assessments.registry.services.memberships import membership_grant

    for persona in PERSONAS:
        user, created = User.objects.get_or_create(
            username=persona.username,
            defaults={
                "full_name": persona.full_name,
                "position": persona.position,
                "email": f"{persona.username}@example.kz",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership_grant(
            actor=None,
            user=user,
            organisation=body(persona.body),
            role=persona.role,
            direction=persona.direction,
            annexes=persona.annexes,
            reason="demo",
        )


# --- The current cycle --------------------------------------------------------------------

# (assessor username, body key, direction)
ASSIGNMENTS = (
    ("agency-assessor", "mf", "services"),
    ("agency-assessor", "akimat-akmola", "services"),
    ("mdd-assessor", "mf", "automation"),
    ("miod-assessor", "mf", "openness"),
    ("miod-assessor", "akimat-akmola", "openness"),
    ("committee-assessor", "mf", "complaints"),
    ("committee-assessor", "akimat-akmola", "complaints"),
    # the bodies of the conclusions demo (demo/conclusions.py): only assigned assessors write
    # a body's drafts, findings and scores (issue 16)
    ("agency-assessor", "moj", "services"),
    ("mdd-assessor", "moj", "automation"),
    ("miod-assessor", "moj", "openness"),
    ("committee-assessor", "moj", "complaints"),
    ("agency-assessor", "akimat-karaganda", "services"),
    ("miod-assessor", "akimat-karaganda", "openness"),
    ("committee-assessor", "akimat-karaganda", "complaints"),
)


def demo_cycle_year(today: date) -> int:
    """The reporting period whose schedule is running or next: the schedule of year N runs from
    January to May of N + 1, so from June on the demo shows the current year's period."""
    return today.year if today.month >= 6 else today.year - 1


def seed_cycle() -> None:
    from assessments.kernel import clock
    from assessments.models import Cycle, User
    from assessments.registry.services.assignments import assessor_assign
    from assessments.registry.services.cycles import cycle_create, cycle_set_current

    year = demo_cycle_year(clock.today())
    cycle = Cycle.objects.filter(code=str(year)).first()
    if cycle is None:
        cycle = cycle_create(
            actor=None,
            code=str(year),
            year=year,
            edition="2023",
            reason="demo",
        )
    if not Cycle.objects.filter(is_current=True).exists():
        cycle_set_current(actor=None, cycle=cycle, reason="demo")
    for username, body_key, direction in ASSIGNMENTS:
        assessor_assign(
            actor=None,
            cycle=cycle,
            body=body(body_key),
            direction=direction,
            assessor=User.objects.get(username=username),
        )
