from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Site

from .models import ArticlePage, HomePage

NEWS_SITEMAP_WINDOW = timedelta(hours=48)
NEWS_SITEMAP_LIMIT = 1000


def _home(request):
    site = Site.find_for_request(request)
    return site.root_page.specific if site and isinstance(site.root_page.specific, HomePage) else None


@require_GET
def robots_txt(request):
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*?q=",
        f"Sitemap: {base}/sitemap.xml",
        f"Sitemap: {base}/sitemap-news.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def news_sitemap(request):
    """Google News sitemap: the unit's articles of the last 48 hours."""
    home = _home(request)
    articles = []
    if home is not None:
        since = timezone.now() - NEWS_SITEMAP_WINDOW
        articles = list(
            ArticlePage.objects.descendant_of(home)
            .live()
            .public()
            .filter(first_published_at__gte=since)
            .exclude(embargo_until__gt=timezone.now())
            .defer_streamfields()
            .only("id", "title", "url_path", "first_published_at", "language", "path", "depth")
            .order_by("-first_published_at")[:NEWS_SITEMAP_LIMIT]
        )
    unit = getattr(request, "unit", None)
    context = {
        "articles": [(a.get_full_url(request), a) for a in articles],
        "publication_name": unit.news_publication_name if unit else "",
        "language": unit.language if unit else "vi",
    }
    return render(request, "newsroom/news_sitemap.xml", context, content_type="application/xml; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", {"unit": getattr(request, "unit", None)}, status=404)


def server_error(request):
    # Rendered with no database access: the error may be the database.
    return render(request, "500.html", {"request_id": getattr(request, "id", "")}, status=500)
