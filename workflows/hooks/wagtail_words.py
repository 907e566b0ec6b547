"""Wagtail screens whose words pass through no catalogue: the sites list
names three of its columns after the fields ("Port", "Site name", "Root
page") instead of their translated labels, and the workflow form and the
group form's page permissions their page field after its name ("Page")."""

from django.utils.text import capfirst
from wagtail.admin.forms.workflows import WorkflowPageForm
from wagtail.models import Site, WorkflowPage
from wagtail.sites import views as site_views
from wagtail.users.forms import PagePermissionsForm

for form in (WorkflowPageForm, PagePermissionsForm):
    form.base_fields["page"].label = capfirst(WorkflowPage._meta.get_field("page").verbose_name)

for column in site_views.IndexView.columns:
    if column.name in ("port", "site_name", "root_page"):
        column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
