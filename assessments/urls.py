"""The assessment's pages, one namespaced URL module per feature package. Paths never change
(stored notifications and e-mails link to them); only the names carry their feature's namespace."""

from django.urls import include, path

urlpatterns = [
    path("", include("assessments.portal.urls")),
    path("", include("assessments.registry.urls")),
    path("", include("assessments.submission.urls")),
    path("", include("assessments.scores.urls")),
    path("reverification/", include("assessments.reverification.urls")),
    path("conclusions/", include("assessments.conclusions.urls")),
    path("overview/", include("assessments.overview.urls")),
]
