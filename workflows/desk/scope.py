"""Who sees what of a unit on the desk board and the daily plan: the
roles that open them, the part of the unit each person sees (section heads:
their sections), and the unit's stories, sections and people.

A unit's stories are selected by a range on the tree path (see
``newsroom.models.pages.tree_range``), never ``path LIKE 'prefix%'``."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page

from newsroom.models import ArticlePage, SectionPage
from newsroom.models.pages import tree_range

from ..membership import membership
from ..models import Role

# what is approved, scheduled or published).
BOARD_ROLES = {Role.DESK_EDITOR, Role.SECTION_HEAD, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
PLAN_ROLES = BOARD_ROLES | {Role.DISTRIBUTION}
RELEASE_ONLY_ROLES = {Role.DISTRIBUTION}


def scope_paths(user, unit, roles):
    """Tree paths under which ``user`` sees the unit's stories: the whole
    unit for unit-wide roles, only their sections for section heads."""
    home_path = unit.site.root_page.path
    m = membership(user)
    if m.superuser:
        return [home_path]
    paths = [path for role, path in m.scopes if role in roles and path.startswith(home_path)]
    return [home_path] if home_path in paths else sorted(set(paths))


def release_only(user, unit):
    """Distribution staff without an editorial role in the unit see only
    approved, scheduled and published items."""
    m = membership(user)
    if m.superuser:
        return False
    roles = m.roles.get(unit.pk, set())
    return bool(roles & RELEASE_ONLY_ROLES) and not roles & BOARD_ROLES


def _stories_q(unit, paths):
    home = unit.site.root_page
    depth = home.depth + 2
    q = Q(pk__in=[])
    for path in paths:
        q |= tree_range(path, depth - len(path) // Page.steplen)
    return q & Q(depth=depth)


def unit_stories(unit, paths):
    return ArticlePage.objects.filter(_stories_q(unit, paths))


def unit_story_pages(unit, paths):
    """The same stories as plain pages: counting and ranking them needs no
    join to the article table (twice as fast at 20,000 stories)."""
    return Page.objects.filter(_stories_q(unit, paths), content_type=ContentType.objects.get_for_model(ArticlePage))


def unit_sections(unit, paths=None):
    """The unit's sections in tree order, limited to ``paths`` when given."""
    home = unit.site.root_page
    sections = SectionPage.objects.of_units([unit]).only("id", "title", "path", "depth", "slug", "url_path")
    if paths and home.path not in paths:
        sections = sections.filter(path__in=paths)
    return list(sections)


def unit_people(unit):
    """Staff of the unit (members of any of its groups)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__unit_role__unit=unit)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
