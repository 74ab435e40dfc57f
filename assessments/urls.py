from django.urls import include, path

from assessments.conclusions import views as conclusions
from assessments.portal.views import audit, home
from assessments.registry.views import cycles, organisations
from assessments.submission.views import imports, reports
from assessments.submission.views import openness as assessment

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", home.health, name="health"),
    path("bodies/", organisations.organisation_list, name="organisation_list"),
    path("bodies/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/<slug:code>/", cycles.cycle_detail, name="cycle_detail"),
    path(
        "cycles/<slug:code>/milestones/<int:pk>/edit/",
        cycles.milestone_edit,
        name="milestone_edit",
    ),
    path("cycles/<slug:code>/assessors/", cycles.cycle_assignments, name="cycle_assignments"),
    path(
        "assessors/<int:pk>/remove/",
        cycles.assignment_remove,
        name="assignment_remove",
    ),
    path("audit/", audit.audit_log, name="audit_log"),
    # reports, evidence, assessors' pages, imports, notifications (issue 5)
    path("reports/", reports.report_queue, name="report_queue"),
    path("cycles/<slug:code>/bodies/<int:pk>/reports/", reports.body_reports,
         name="body_reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/sections/<slug:key>/", reports.report_section_edit,
         name="report_section_edit"),
    path("reports/<int:pk>/sections/<slug:key>/evidence/", reports.evidence_add,
         name="evidence_add"),
    path("reports/<int:pk>/submit/", reports.report_submit_view, name="report_submit"),
    path("reports/<int:pk>/review/", reports.report_review_view, name="report_review"),
    path("reports/<int:pk>/return/", reports.report_return_view, name="report_return"),
    path("reports/<int:pk>/accept/", reports.report_accept_view, name="report_accept"),
    path("evidence/<int:pk>/", reports.evidence_download, name="evidence_download"),
    path("cycles/<slug:code>/bodies/<int:pk>/openness/", assessment.openness_workspace,
         name="openness_workspace"),
    path("cycles/<slug:code>/bodies/<int:pk>/scoring-input/", assessment.scoring_input_page,
         name="scoring_input_page"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/templates/<slug:kind>.<slug:fmt>", imports.import_template,
         name="import_template"),
    path("notifications/", imports.notification_list, name="notification_list"),
    path("reverification/", include("assessments.reverification.urls")),
    path("conclusions/", conclusions.conclusion_list, name="conclusion_list"),
    path("conclusions/new/", conclusions.conclusion_create, name="conclusion_create"),
    path("conclusions/review/", conclusions.conclusion_review_queue,
         name="conclusion_review_queue"),
    path("conclusions/signing/", conclusions.conclusion_signing_queue,
         name="conclusion_signing_queue"),
    path("conclusions/<int:pk>/", conclusions.conclusion_detail, name="conclusion_detail"),
    path("conclusions/<int:pk>/edit/", conclusions.conclusion_edit, name="conclusion_edit"),
    path("conclusions/<int:pk>/submit/", conclusions.conclusion_submit,
         name="conclusion_submit"),
    path("conclusions/<int:pk>/approve/", conclusions.conclusion_approve,
         name="conclusion_approve"),
    path("conclusions/<int:pk>/return/", conclusions.conclusion_return,
         name="conclusion_return"),
    path("conclusions/<int:pk>/sign/", conclusions.conclusion_sign, name="conclusion_sign"),
    path("conclusions/<int:pk>/issue/", conclusions.conclusion_issue, name="conclusion_issue"),
    path("conclusions/<int:pk>/preview/", conclusions.conclusion_preview,
         name="conclusion_preview"),
]

# The scores pages (issue 4) keep their patterns in their own module.
from assessments.scores.urls import urlpatterns as _scores_urlpatterns  # noqa: E402

urlpatterns += _scores_urlpatterns
