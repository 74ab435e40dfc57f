"""Pages of the reporting app, under ``documents/`` (see config/urls.py)."""

from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("signed/", views.signed_document_list, name="signed_document_list"),
    path("signed/<int:pk>/", views.signed_document_detail, name="signed_document_detail"),
    path("signed/<int:pk>/sign/", views.signed_document_sign_page, name="signed_document_sign"),
    path("signed/<int:pk>/file/", views.signed_document_file, name="signed_document_file"),
    path("signed/<int:pk>/file/<int:order>/", views.signed_document_file,
         name="signed_document_file_version"),
    path("signing/credentials/", views.signing_credentials, name="signing_credentials"),
    path("signing/trust-root.pem", views.trust_root, name="trust_root"),
    path("reference/", views.reference_annexes, name="reference_annexes"),
    path("reference/<slug:code>/annex<int:number>.pdf", views.reference_annex_file,
         name="reference_annex_file"),
]
