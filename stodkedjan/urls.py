"""Top-level URLs. Public and staff pages live under /<lang>/; health and admin do not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from stodkedjan.accounts import oidc
from stodkedjan.core import views as core_views
from stodkedjan.finder import views as finder_views
from stodkedjan.hsds.api import api as hsds_api
from stodkedjan.surveys import openrosa

admin.site.site_header = "Stödkedjan – administration"
admin.site.site_title = "Stödkedjan"
admin.site.index_title = "Administration"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/hsds/", hsds_api.urls),
    # Outside the language prefix: the identity provider knows one fixed return address.
    path("oidc/start/", oidc.start, name="oidc_start"),
    path("oidc/callback/", oidc.callback, name="oidc_callback"),
    # ODK Collect and Enketo (OpenRosa): one fixed address per app user, set up once on the device.
    path("openrosa/key/<str:key>/formList", openrosa.form_list, name="openrosa_form_list"),
    path("openrosa/key/<str:key>/form.xml", openrosa.form_download, name="openrosa_form"),
    path("openrosa/key/<str:key>/manifest", openrosa.manifest, name="openrosa_manifest"),
    path("openrosa/key/<str:key>/media/<str:filename>", openrosa.media, name="openrosa_media"),
    path("openrosa/key/<str:key>/submission", openrosa.submission, name="openrosa_submission"),
]

urlpatterns += i18n_patterns(
    path("", finder_views.home, name="home"),
    path("", include("stodkedjan.finder.urls")),
    path("", include("stodkedjan.directory.urls")),
    path("", include("stodkedjan.core.urls")),
    path("", include("stodkedjan.accounts.urls")),
    path("", include("stodkedjan.hsds.urls")),
    path("", include("stodkedjan.plans.urls")),
    path("", include("stodkedjan.surveys.urls")),
    path("", include("stodkedjan.meetings.urls")),
    path("", include("stodkedjan.knowledge.urls")),
    path("", include("stodkedjan.network.urls")),
    path("", include("stodkedjan.insights.urls")),
    prefix_default_language=True,
)

handler403 = "stodkedjan.core.views.permission_denied"
handler404 = "stodkedjan.core.views.page_not_found"
handler500 = "stodkedjan.core.views.server_error"
