"""URLs of the pages every user shares: home, health, notifications, the audit log."""

from django.urls import path

from assessments.portal.views import audit, home, jobs, notifications

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("health/", home.health, name="health"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<int:pk>/action/", jobs.job_action, name="job_action"),
]
