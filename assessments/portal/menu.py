"""The shared pages' menu entries: home, notifications (with the unread count), background jobs,
the audit log, the administration site."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import access, menu


@access.section("jobs", reason=_("Фоновые задания видят администраторы и координатор Агентства."))
def _jobs(p: access.Principal) -> bool:
    return p.is_admin or p.is_coordinator


@access.section("audit", reason=_("Журнал изменений доступен только администраторам."))
def _audit(p: access.Principal) -> bool:
    return p.is_admin


@access.section("admin", reason=_("Администрирование доступно только администраторам."))
def _admin(p: access.Principal) -> bool:
    return bool(getattr(p.user, "is_staff", False))


def unread_notifications(user) -> int:
    from assessments.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()


menu.entry("home", _("Главная"), "portal:home", order=0, current=("portal:home",))
menu.entry("notifications", _("Уведомления"), "portal:notification_list", order=95,
           badge=unread_notifications)
menu.entry("jobs", _("Фоновые задания"), "portal:job_list", order=100, section="jobs",
           current=("portal:job_*", "scores:job_*"))
menu.entry("audit", _("Журнал изменений"), "portal:audit_log", order=110, section="audit")
menu.entry("admin", _("Администрирование"), "admin:index", order=120, section="admin",
           current=("admin:*",))
