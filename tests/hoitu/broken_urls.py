"""The project's URLs and one address whose view fails, for the tests of
the server-error page."""

from django.urls import path

from hoitu.urls import handler404, handler500  # noqa: F401
from hoitu.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("hong/", broken), *project_urlpatterns]
