"""The appeal pages under ``/appeals/`` (see config/urls.py)."""

from django.urls import path

from appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="appeal_list"),
    path("overview/", views.overview, name="overview"),
    path("conclusions/<int:pk>/object/", views.objection_file, name="objection_file"),
    path("conclusions/<int:pk>/no-objection/", views.no_objection, name="no_objection"),
    path("conclusions/<int:pk>/evaluator-conclusion/", views.evaluator_conclusion,
         name="evaluator_conclusion"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/annex14.pdf", views.annex14_pdf, name="annex14_pdf"),
    path("objections/<int:pk>/convene/", views.sitting_convene, name="sitting_convene"),
    path("objections/<int:pk>/attendance/", views.sitting_attendance,
         name="sitting_attendance"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("objections/<int:pk>/sign/", views.objection_chair_sign, name="objection_sign"),
    path("objections/<int:pk>/acknowledge/", views.objection_acknowledge,
         name="objection_acknowledge"),
    path("rows/<int:pk>/documents/", views.row_document_add, name="row_document_add"),
    path("documents/<int:pk>/", views.row_document, name="row_document"),
    path("commissions/", views.commission_list, name="commission_list"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission_detail"),
    path("checks/open/", views.result_check_open, name="result_check_open"),
    path("checks/<int:pk>/", views.result_check, name="result_check"),
    path("handovers/<int:pk>/record/", views.handover_record, name="handover_record"),
]
