"""The page that asks a person of several units which one to open; a
person of one unit goes straight to it. Shared by every per-unit area of
the admin (unit staff and workflows, the publishing dashboard)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..membership import units_for


class ChooseUnitView(WagtailAdminTemplateMixin, TemplateView):
    """Subclasses say which ``roles`` open the area, the ``url_name`` of a
    unit's page (it takes ``unit_slug``) and what the list is for
    (``help_text``)."""

    template_name = "workflows/choose_unit.html"
    header_icon = "site"
    roles = ()
    url_name = ""
    help_text = ""

    def get_units(self):
        return units_for(self.request.user, self.roles)

    def get(self, request, *args, **kwargs):
        self.units = self.get_units()
        if not self.units:
            raise PermissionDenied
        if len(self.units) == 1:
            return redirect(self.url_name, unit_slug=self.units[0].slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(units=self.units, url_name=self.url_name, help_text=self.help_text, **kwargs)
