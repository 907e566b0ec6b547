"""Where a person starts a story: the sections of their units they may add
stories to. The roles give the rights (workflows.roles); Wagtail's page
permissions answer for each section, so a section head is offered their
own section and a reporter every section of their unit."""

from django.urls import reverse

from newsroom.models import ArticlePage, SectionPage

from .membership import membership
from .roles import SPECS

# The roles whose page rights include adding a story.
WRITERS = tuple(spec.role for spec in SPECS.values() if "add" in spec.page_actions)


def sections_to_write_in(user):
    """[(section, its unit, the editor of a new story there)] the person may
    add a story to, by unit then the sections' order on the site."""
    held = membership(user)
    units = [unit for pk, unit in held.units.items() if held.has_role(pk, *WRITERS)]
    found = []
    for unit in sorted(units, key=lambda unit: unit.name):
        home = unit.site.root_page
        for section in SectionPage.objects.child_of(home).order_by("path"):
            if section.permissions_for_user(user).can_add_subpage():
                found.append((section, unit, new_story_url(section)))
    return found


def new_story_url(section):
    return reverse("wagtailadmin_pages:add", args=(ArticlePage._meta.app_label, ArticlePage._meta.model_name, section.pk))
