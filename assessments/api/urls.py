"""URLs of the API, under ``api/v1/``; paths never change (integrations depend on them)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assessments.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema",
                                                      permission_classes=[]), name="docs"),
    path("cycles/", views.CycleList.as_view(), name="cycle_list"),
    path("cycles/<slug:code>/", views.CycleDetail.as_view(), name="cycle_detail"),
    path("bodies/", views.BodyList.as_view(), name="body_list"),
    path("bodies/<int:pk>/", views.BodyDetail.as_view(), name="body_detail"),
    path("scores/", views.ScoreList.as_view(), name="score_list"),
    path("scores/<int:pk>/", views.ScoreDetail.as_view(), name="score_detail"),
    path("conclusions/", views.ConclusionList.as_view(), name="conclusion_list"),
    path("conclusions/<int:pk>/", views.ConclusionDetail.as_view(), name="conclusion_detail"),
    path("conclusions/<int:pk>/pdf/", views.ConclusionPdf.as_view(), name="conclusion_pdf"),
    path("reports/", views.ReportList.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report_detail"),
    path("reports/<int:pk>/sections/<slug:key>/", views.ReportSectionWrite.as_view(),
         name="report_section"),
    path("reports/<int:pk>/submit/", views.ReportSubmit.as_view(), name="report_submit"),
    path("imports/", views.ImportList.as_view(), name="import_list"),
    path("imports/<int:pk>/", views.ImportDetail.as_view(), name="import_detail"),
    path("imports/<int:pk>/errors/", views.ImportErrors.as_view(), name="import_errors"),
    path("imports/<int:pk>/confirm/", views.ImportConfirm.as_view(), name="import_confirm"),
    # anything else under api/v1/ (an unknown path, an id that is not a number): a problem, not
    # the pages' HTML 404
    re_path(r"^(?P<rest>.*)$", views.NotFound.as_view(), name="not_found"),
]
