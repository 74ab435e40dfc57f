"""People and their roles. A role is a membership in an organisation (p.5, p.113, annex signature
blocks); nobody's rights come from Django groups."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.kernel.validators import validate_iin

from .directions import Direction


class User(AbstractUser):
    """A person using the system. Full name and position are printed in signature blocks."""

    full_name = models.CharField(_("ФИО"), max_length=255, blank=True)
    position = models.CharField(_("Должность"), max_length=255, blank=True)
    # Entered by the administrator: binds the person's ЭЦП (NCALayer) to the account — a
    # certificate signs for this person only if its SERIALNUMBER carries this IIN.
    iin = models.CharField(
        _("ИИН"), max_length=12, blank=True, validators=[validate_iin],
        help_text=_("12 цифр; подпись через NCALayer принимается только сертификатом с этим ИИН."),
    )

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Role(models.TextChoices):
    """What a person does for an organisation in the cycle."""

    BODY_SUBMITTER = "body_submitter", _("Ответственный за отчётность органа")
    BODY_HEAD = "body_head", _("Руководитель органа")
    ASSESSOR = "assessor", _("Эксперт уполномоченного органа")
    ASSESSOR_UNIT_HEAD = "assessor_unit_head", _("Руководитель структурного подразделения")
    SIGNATORY = "signatory", _("Подписант уполномоченного органа")
    COMMISSION_MEMBER = "commission_member", _("Член специальной комиссии")
    COMMISSION_CHAIR = "commission_chair", _("Председатель специальной комиссии")
    COMMISSION_SECRETARY = "commission_secretary", _("Секретарь специальной комиссии")
    WORKING_BODY_REP = "working_body_rep", _("Представитель рабочего органа Комиссии")
    COORDINATOR = "coordinator", _("Координатор Агентства")
    ADMINISTRATOR = "administrator", _("Администратор")


# Roles held in an evaluated body, in an evaluating body (for a direction), on a commission.
BODY_ROLES = frozenset({Role.BODY_SUBMITTER, Role.BODY_HEAD})
EVALUATOR_ROLES = frozenset({Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD, Role.SIGNATORY})
COMMISSION_ROLES = frozenset(
    {Role.COMMISSION_MEMBER, Role.COMMISSION_CHAIR, Role.COMMISSION_SECRETARY}
)
# Roles whose membership needs a direction (an assessor works on one direction).
DIRECTED_ROLES = frozenset({Role.ASSESSOR, Role.ASSESSOR_UNIT_HEAD})


class Membership(models.Model):
    """A person's role in an organisation, optionally for one direction and some annexes.

    * body submitter / body head — in the evaluated body (the head approves and signs, annex 1, 14);
    * assessor / head of an assessor unit — in an evaluating body, for a direction;
    * signatory — the evaluating body's head or deputy, for the annexes in ``annexes``
      (METHODOLOGY.md §7: 3, 4, 15 the Agency's deputy chair; 5 the Ministry's head; 8 MIOD's
      head; 12 the Committee's head); the head of the unit co-signs as ``assessor_unit_head``;
    * commission chair / secretary / member — of the special commission formed in that
      evaluating body (p.113);
    * working-body representative, Agency coordinator, administrator.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Пользователь"),
    )
    organisation = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("Организация"),
    )
    role = models.CharField(_("Роль"), max_length=30, choices=Role.choices)
    direction = models.CharField(
        _("Направление"), max_length=20, choices=Direction.choices, blank=True
    )
    annexes = models.JSONField(_("Подписываемые приложения"), default=list, blank=True)
    active_from = models.DateField(_("Действует с"), null=True, blank=True)
    active_to = models.DateField(_("Действует по"), null=True, blank=True)
    created_at = models.DateTimeField(_("Создано"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name_ru", "role"]
        verbose_name = _("роль в организации")
        verbose_name_plural = _("роли в организациях")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "direction"],
                name="membership_unique_role",
            ),
        ]

    def __str__(self) -> str:
        direction = f" ({self.get_direction_display()})" if self.direction else ""
        return f"{self.user} — {self.get_role_display()}{direction}, {self.organisation}"
