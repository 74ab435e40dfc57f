"""URLs of the pages every user shares: home, health, notifications, the audit log."""

from django.urls import path

from assessments.portal.views import audit, home, notifications

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("health/", home.health, name="health"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("audit/", audit.audit_log, name="audit_log"),
]
