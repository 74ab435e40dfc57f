"""URLs of the cycle's overview: the overview, rankings, charts, a body across cycles, exports
and the cycle report. The cycle and the filters travel in the query string (a shared link
shows the same view)."""

from django.urls import path

from assessments.overview import views

app_name = "overview"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("rankings/", views.rankings_page, name="rankings"),
    path("charts/", views.charts_page, name="charts"),
    path("bodies/<int:pk>/", views.body_page, name="body"),
    path("export/", views.export, name="export"),
    path("exports/", views.exports_page, name="exports"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("report.pdf", views.cycle_report, name="cycle_report"),
]
