"""URLs of submission: reports and their sections and evidence, the openness workspace, imports."""

from django.urls import path

from assessments.submission.views import imports, openness, quarantine, reports

app_name = "submission"
urlpatterns = [
    path("reports/", reports.report_queue, name="report_queue"),
    path("cycles/<slug:code>/bodies/<int:pk>/reports/", reports.body_reports,
         name="body_reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/sections/<slug:key>/", reports.report_section_edit,
         name="report_section_edit"),
    path("reports/<int:pk>/sections/<slug:key>/template.xlsx", reports.report_table_template,
         name="report_table_template"),
    path("reports/<int:pk>/sections/<slug:key>/import/", reports.report_table_import,
         name="report_table_import"),
    path("reports/<int:pk>/sections/<slug:key>/evidence/", reports.evidence_add,
         name="evidence_add"),
    path("reports/<int:pk>/submit/", reports.report_submit_view, name="report_submit"),
    path("reports/<int:pk>/review/", reports.report_review_view, name="report_review"),
    path("reports/<int:pk>/return/", reports.report_return_view, name="report_return"),
    path("reports/<int:pk>/accept/", reports.report_accept_view, name="report_accept"),
    path("reports/<int:pk>/annex9.pdf", reports.report_annex9, name="report_annex9"),
    path("reports/<int:pk>/close/", reports.report_close_view, name="report_close"),
    path("reports/<int:pk>/reopen/", reports.report_reopen_view, name="report_reopen"),
    path("evidence/<int:pk>/", reports.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/confirm/", reports.evidence_confirm, name="evidence_confirm"),
    path("quarantine/<slug:kind>/<int:pk>/confirm/", quarantine.document_confirm,
         name="document_confirm"),
    path("quarantine/<slug:kind>/<int:pk>/remove/", quarantine.document_remove,
         name="document_remove"),
    path("cycles/<slug:code>/bodies/<int:pk>/openness/", openness.openness_workspace,
         name="openness_workspace"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/templates/<slug:kind>.<slug:fmt>", imports.import_template,
         name="import_template"),
]
