from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

# Styled, translated error pages that say why and link back (assessments/portal/views/errors.py).
handler403 = "assessments.portal.views.errors.permission_denied"
handler404 = "assessments.portal.views.errors.page_not_found"
handler500 = "assessments.portal.views.errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("assessments.portal.auth_urls")),
    path("documents/", include("reporting.urls")),
    path("appeals/", include("appeals.urls")),
    path("api/v1/", include("assessments.api.urls")),
    path("", include("assessments.urls")),
]


def media(request, path):
    """The development server's media: never to an anonymous visitor (issue 16), and only to
    administrators — everyone else reaches a stored file through the view that checks who may
    read it (evidence, signed documents, imports). Production serves no media route at all."""
    from django.contrib.auth.views import redirect_to_login
    from django.http import Http404

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_superuser or request.user.is_staff):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", media)]
