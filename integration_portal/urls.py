from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from two_factor.urls import urlpatterns as two_factor_urls

from discovery.urls import i18n_urlpatterns as discovery_i18n_urls
from editorial.errors import permission_denied
from operations.media import media_urlpatterns
from operations.outage import server_error
from pages.embed_urls import root_urlpatterns as embed_root_urls

admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME

urlpatterns = [
    # The second factor's pages (setup, backup codes) under the admin's address; the admin
    # login itself is two_factor's (editorial.sites.PortalAdminSite.login).
    path("admin/", include(two_factor_urls)),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # /healthz and /readyz, without a language prefix.
    path("", include("operations.urls")),
    # robots.txt, the sitemap and /favicon.ico, where crawlers and browsers look for them.
    path("", include("discovery.urls")),
    # The script beside an embedded widget on other sites: a stable address for snippets.
    path("", include(embed_root_urls)),
    # The open-data API (Open Referral HSDS 3.0): one address for every language, chosen
    # by ?lang= or Accept-Language.
    path("api/hsds/", include("opendata.urls")),
]

# Public pages carry their language in the address. A request for "/" (or any address
# without a language) is redirected by LocaleMiddleware to the language the browser asks
# for, falling back to German.
urlpatterns += i18n_patterns(
    path("offers/", include("offers.urls")),
    path("cities/", include("pages.city_urls")),
    path("providers/", include("pages.provider_urls")),
    path("events/", include("events.urls")),
    path("embed/", include("pages.embed_urls")),
    path("open-data/", include("opendata.page_urls")),
    path("", include(discovery_i18n_urls)),
    path("", include("pages.urls")),
    prefix_default_language=True,
)

# Uploaded files, with the headers that keep them from acting as pages of the portal, in
# development and production alike (unless nginx serves them: PORTAL_SERVE_MEDIA=false).
urlpatterns += media_urlpatterns()

# The staff side's "access denied" page says why and leads back to the admin; public
# addresses get templates/403.html as before.
handler403 = permission_denied

# The 500 page in the visitor's language, rendered without the database; a database outage
# gets the 503 page instead (operations/outage.py).
handler500 = server_error
