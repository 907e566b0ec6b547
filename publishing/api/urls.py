"""The partners' content API (IPTC ninjs) under /api/ninjs/."""

app_name = "ninjs"
urlpatterns = []
