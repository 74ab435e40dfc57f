"""URLs of conclusions, under ``conclusions/``: lists and queues, the editor, one confirmation
page per transition, the preview PDF."""

from django.urls import path

from assessments.conclusions import views

app_name = "conclusions"
urlpatterns = [
    path("", views.conclusion_list, name="conclusion_list"),
    path("new/", views.conclusion_create, name="conclusion_create"),
    path("review/", views.conclusion_review_queue, name="conclusion_review_queue"),
    path("signing/", views.conclusion_signing_queue, name="conclusion_signing_queue"),
    path("<int:pk>/", views.conclusion_detail, name="conclusion_detail"),
    path("<int:pk>/edit/", views.conclusion_edit, name="conclusion_edit"),
    path("<int:pk>/submit/", views.conclusion_submit, name="conclusion_submit"),
    path("<int:pk>/approve/", views.conclusion_approve, name="conclusion_approve"),
    path("<int:pk>/return/", views.conclusion_return, name="conclusion_return"),
    path("<int:pk>/sign/", views.conclusion_sign, name="conclusion_sign"),
    path("<int:pk>/issue/", views.conclusion_issue, name="conclusion_issue"),
    path("<int:pk>/redraft/", views.conclusion_redraft, name="conclusion_redraft"),
    path("<int:pk>/preview/", views.conclusion_preview, name="conclusion_preview"),
    path("<int:pk>/annex10.pdf", views.conclusion_annex10, name="conclusion_annex10"),
]
