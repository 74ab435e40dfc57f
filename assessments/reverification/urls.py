"""URLs of re-verification, under ``reverification/`` (included by assessments/urls.py)."""

from django.urls import path

from assessments.reverification import views

app_name = "reverification"
urlpatterns = [
    path("", views.reverification_list, name="reverification_list"),
    path("selection/<slug:code>/<slug:direction>/", views.reverification_selection,
         name="reverification_selection"),
    path("<int:pk>/", views.reverification_detail, name="reverification_detail"),
    path("<int:pk>/<slug:action>/", views.reverification_action, name="reverification_action"),
    path("requests/<int:pk>/", views.reverification_request, name="reverification_request"),
    path("documents/<int:pk>/", views.reverification_document_file,
         name="reverification_document_file"),
    path("findings/<int:pk>/", views.reverification_finding, name="reverification_finding"),
    path("acts/<int:pk>/", views.reverification_act, name="reverification_act"),
    path("acts/<int:pk>/pdf/", views.reverification_act_pdf, name="reverification_act_pdf"),
    path("acts/<int:pk>/closure-pdf/", views.reverification_act_closure_pdf,
         name="reverification_act_closure_pdf"),
]
