from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from newsroom import views as newsroom_views
from workflows.views import reports as scoped_reports
from workflows.views import tags as scoped_tags

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(settings.CSP_REPORT_PATH.lstrip("/"), views.csp_report, name="csp_report"),
    path("robots.txt", newsroom_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap-news.xml", newsroom_views.news_sitemap, name="news_sitemap"),
    # Reports and tag suggestions scoped to the user's units, matched before
    # Wagtail's own.
    path("admin/reports/", include(scoped_reports.urlpatterns)),
    path("admin/tag-autocomplete/", include(scoped_tags.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("", include("publishing.urls")),
    path("", include("reader_comments.urls")),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.MEDIA_URL.startswith("/"):
    # Uploaded files: originals, video and audio always through Django,
    # which checks who may see them; renditions too while SERVE_MEDIA is on
    # (a web server in front serves them in production).
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.serve_media)]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
