"""The registry of bodies: who is evaluated, who evaluates, and how they relate (p.5–7, p.23).

An ``Organisation`` is any body the system knows: an evaluated central state body (ЦГО) or local
executive body (МИО), one of their sub-units (committees, territorial units, subordinate
organisations, district and rural akimats), or an evaluating body that is not itself evaluated
(the Presidential Administration, the Prime Minister's Office, the service integrator).

Names change and bodies merge; ``OrganisationName`` keeps the history so that a cycle prints the
names the bodies had in its reporting period (see ``selectors.names_on``).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.kernel.validators import validate_bin

from .directions import Direction


class Region(models.Model):
    """A first-level administrative unit: an oblast, a city of republican significance, the capital.

    Used to filter the registry and to place local bodies and territorial units.
    """

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("Область")
        REPUBLICAN_CITY = "republican_city", _("Город республиканского значения")
        CAPITAL = "capital", _("Столица")

    code = models.SlugField(_("Код"), max_length=40, unique=True)
    kind = models.CharField(_("Вид"), max_length=20, choices=Kind.choices)
    name_ru = models.CharField(_("Наименование (рус.)"), max_length=255)
    name_kk = models.CharField(_("Наименование (каз.)"), max_length=255)
    active_from = models.DateField(_("Действует с"), null=True, blank=True)
    active_to = models.DateField(_("Действует по"), null=True, blank=True)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_kk if get_language() == "kk" and self.name_kk else self.name_ru


class Organisation(models.Model):
    """A body in the registry (p.5, p.23). ``parent`` gives the hierarchy.

    ``is_evaluated`` marks a body assessed in its own right (a ministry, an agency, the akimat of
    an oblast or of a city of republican significance); its sub-units are assessed with it.
    ``evaluator_role`` marks the evaluating bodies of p.5–6, ``special`` the bodies the
    methodology treats specially (annex 7 notes, annex 10 tables 2 and 6, p.5).
    """

    class Kind(models.TextChoices):
        CENTRAL = "central", _("Центральный государственный орган")
        LOCAL = "local", _("Местный исполнительный орган")
        OTHER = "other", _("Иная организация")

    class CentralType(models.TextChoices):
        MINISTRY = "ministry", _("Министерство")
        AGENCY = "agency", _("Агентство")
        OTHER_BODY = "other_body", _("Иной центральный государственный орган")
        COMMITTEE = "committee", _("Ведомство (комитет)")
        TERRITORIAL = "territorial", _("Территориальное подразделение")
        SUBORDINATE = "subordinate", _("Подведомственная организация")

    class Level(models.TextChoices):
        """Levels of local executive bodies, in the order of p.23."""

        OBLAST = "oblast", _("Область")
        REPUBLICAN_CITY = "republican_city", _("Город республиканского значения")
        CAPITAL = "capital", _("Столица")
        DISTRICT = "district", _("Район")
        OBLAST_CITY = "oblast_city", _("Город областного значения")
        CITY_DISTRICT = "city_district", _("Район в городе")
        TOWN = "town", _("Город районного значения")
        SETTLEMENT = "settlement", _("Поселок")
        VILLAGE = "village", _("Село")
        RURAL_OKRUG = "rural_okrug", _("Сельский округ")

    class EvaluatorRole(models.TextChoices):
        """The evaluating bodies of p.5–6."""

        AGENCY = "agency", _("Агентство по делам государственной службы")
        DIGITAL_MINISTRY = "digital_ministry", _("Министерство цифрового развития")
        SERVICE_INTEGRATOR = (
            "service_integrator",
            _("Сервисный интегратор «электронного правительства»"),
        )
        INFORMATION_MINISTRY = (
            "information_ministry",
            _("Министерство информации и общественного развития"),
        )
        LEGAL_STATISTICS = (
            "legal_statistics",
            _("Комитет по правовой статистике и специальным учетам"),
        )
        PRESIDENTIAL_ADMINISTRATION = "presidential_administration", _("Администрация Президента")
        PRIME_MINISTER_OFFICE = "prime_minister_office", _("Канцелярия Премьер-Министра")

    class Special(models.TextChoices):
        """Bodies the methodology names. The first three are the scoring contract's codes."""

        MINISTRY_OF_DEFENCE = "ministry_of_defence", _("Министерство обороны")
        MINISTRY_OF_FOREIGN_AFFAIRS = (
            "ministry_of_foreign_affairs",
            _("Министерство иностранных дел"),
        )
        NATIONAL_BANK = "national_bank", _("Национальный Банк")
        PROSECUTOR_GENERAL = "prosecutor_general", _("Генеральная прокуратура")
        CIVIL_SERVICE_AGENCY = (
            "civil_service_agency",
            _("Агентство по делам государственной службы"),
        )
        DIGITAL_MINISTRY = "digital_ministry", _("Министерство цифрового развития")
        INFORMATION_MINISTRY = (
            "information_ministry",
            _("Министерство информации и общественного развития"),
        )
        SUPREME_COURT_OFFICE = "supreme_court_office", _("Аппарат Верховного Суда")

    kind = models.CharField(_("Вид органа"), max_length=10, choices=Kind.choices)
    central_type = models.CharField(
        _("Тип центрального органа"), max_length=20, choices=CentralType.choices, blank=True
    )
    level = models.CharField(_("Уровень МИО"), max_length=20, choices=Level.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Вышестоящий орган"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("Регион"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    name_ru = models.CharField(_("Наименование (рус.)"), max_length=500)
    name_kk = models.CharField(_("Наименование (каз.)"), max_length=500)
    short_name_ru = models.CharField(_("Краткое наименование (рус.)"), max_length=120, blank=True)
    short_name_kk = models.CharField(_("Краткое наименование (каз.)"), max_length=120, blank=True)
    bin = models.CharField(_("БИН"), max_length=12, unique=True, validators=[validate_bin])
    is_evaluated = models.BooleanField(_("Оценивается"), default=False)
    evaluator_role = models.CharField(
        _("Роль уполномоченного органа"),
        max_length=30,
        choices=EvaluatorRole.choices,
        blank=True,
    )
    special = models.CharField(
        _("Особый статус в Методике"), max_length=30, choices=Special.choices, blank=True
    )
    active_from = models.DateField(_("Действует с"), null=True, blank=True)
    active_to = models.DateField(_("Действует по"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("Правопреемник"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    created_at = models.DateTimeField(_("Создано"), auto_now_add=True)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        indexes = [
            models.Index(fields=["kind", "level"]),
            models.Index(fields=["region", "kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator_role"],
                condition=~models.Q(evaluator_role=""),
                name="organisation_one_body_per_evaluator_role",
            ),
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="organisation_active_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The current name in the active language (Kazakh where set, else Russian)."""
        return self.name_kk if get_language() == "kk" and self.name_kk else self.name_ru

    @property
    def short_name(self) -> str:
        if get_language() == "kk" and self.short_name_kk:
            return self.short_name_kk
        return self.short_name_ru or self.name

    def is_active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )


class OrganisationName(models.Model):
    """One period of a body's name: bodies are renamed, and a cycle prints the names it had."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="names", verbose_name=_("Организация")
    )
    name_ru = models.CharField(_("Наименование (рус.)"), max_length=500)
    name_kk = models.CharField(_("Наименование (каз.)"), max_length=500)
    valid_from = models.DateField(_("С"), null=True, blank=True)
    valid_to = models.DateField(_("По"), null=True, blank=True)
    basis = models.CharField(_("Основание"), max_length=500, blank=True)

    class Meta:
        ordering = ["organisation", "valid_from"]
        verbose_name = _("наименование организации")
        verbose_name_plural = _("история наименований")

    def __str__(self) -> str:
        return f"{self.name_ru} ({self.valid_from or '…'} – {self.valid_to or '…'})"


class EvaluatorRule(models.Model):
    """One line of "evaluated body × direction → evaluating body" (p.5, p.24, p.26).

    A rule either names a body (an exception: the Presidential Administration for the General
    Prosecutor's Office, …) or a kind of body (every central / local body). A body's own rule wins
    over its kind's rule. No rule means "not evaluated on this direction".
    """

    direction = models.CharField(_("Направление"), max_length=20, choices=Direction.choices)
    evaluated = models.ForeignKey(
        Organisation,
        verbose_name=_("Оцениваемый орган"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluator_rules",
    )
    evaluated_kind = models.CharField(
        _("Вид оцениваемых органов"), max_length=10, choices=Organisation.Kind.choices, blank=True
    )
    evaluator = models.ForeignKey(
        Organisation,
        verbose_name=_("Уполномоченный на оценку орган"),
        on_delete=models.PROTECT,
        related_name="evaluates",
    )
    basis = models.CharField(_("Основание (пункт Методики)"), max_length=255, blank=True)
    active_from = models.DateField(_("Действует с"), null=True, blank=True)
    active_to = models.DateField(_("Действует по"), null=True, blank=True)

    class Meta:
        ordering = ["direction", "evaluated_kind", "evaluated__name_ru"]
        verbose_name = _("правило «кто кого оценивает»")
        verbose_name_plural = _("кто кого оценивает")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(evaluated__isnull=False) & models.Q(evaluated_kind=""))
                | (models.Q(evaluated__isnull=True) & ~models.Q(evaluated_kind="")),
                name="evaluator_rule_body_or_kind",
            ),
        ]

    def __str__(self) -> str:
        target = self.evaluated or self.get_evaluated_kind_display()
        return f"{target} × {self.get_direction_display()} → {self.evaluator}"
