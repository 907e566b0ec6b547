"""The dashboard's list of a unit's live stories that show an archive item
whose licence ends within the notice period, has ended, or is under
embargo again (workflows.rights), for the unit's editors."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from ..membership import units_for
from ..rights import EDITORS, live_stories_at_risk


class StoriesAtRiskPanel(Component):
    name = "hoitu_archive_rights"
    template_name = "workflows/rights/panel.html"
    order = 95

    def __init__(self, units):
        self.units = units

    def get_context_data(self, parent_context):
        return {"rows": live_stories_at_risk(self.units)}


@hooks.register("construct_homepage_panels")
def add_panel(request, panels):
    units = units_for(request.user, EDITORS)
    if units:
        panels.append(StoriesAtRiskPanel(units))
