"""The appeal pages under ``/appeals/`` (see config/urls.py)."""

from django.urls import path

from appeals.views import commission, filing, handover, objection

app_name = "appeals"

urlpatterns = [
    path("", filing.appeal_list, name="appeal_list"),
    path("overview/", handover.overview, name="overview"),
    path("conclusions/<int:pk>/object/", filing.objection_file, name="objection_file"),
    path("conclusions/<int:pk>/no-objection/", filing.no_objection, name="no_objection"),
    path("conclusions/<int:pk>/evaluator-conclusion/", filing.evaluator_conclusion,
         name="evaluator_conclusion"),
    path("objections/<int:pk>/", objection.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/sign-filed/", filing.objection_file_sign,
         name="objection_file_sign"),
    path("objections/<int:pk>/annex14.pdf", objection.annex14_pdf, name="annex14_pdf"),
    path("objections/<int:pk>/convene/", commission.sitting_convene, name="sitting_convene"),
    path("objections/<int:pk>/attendance/", commission.sitting_attendance,
         name="sitting_attendance"),
    path("objections/<int:pk>/decide/", commission.objection_decide, name="objection_decide"),
    path("objections/<int:pk>/sign/", commission.objection_chair_sign, name="objection_sign"),
    path("objections/<int:pk>/acknowledge/", commission.objection_acknowledge,
         name="objection_acknowledge"),
    path("rows/<int:pk>/documents/", filing.row_document_add, name="row_document_add"),
    path("documents/<int:pk>/", objection.row_document, name="row_document"),
    path("commissions/", commission.commission_list, name="commission_list"),
    path("commissions/<int:pk>/", commission.commission_detail, name="commission_detail"),
    path("checks/open/", handover.result_check_open, name="result_check_open"),
    path("checks/<int:pk>/", handover.result_check, name="result_check"),
    path("handovers/<int:pk>/record/", handover.handover_record, name="handover_record"),
]
