"""Admin menu items shown only to the people who may open what they lead to."""

from wagtail.admin.menu import MenuItem

from .membership import membership


class RoleMenuItem(MenuItem):
    """Shown to whoever holds one of ``roles`` in some unit (any role when
    None); asked on every admin page, answered without a query."""

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        m = membership(request.user)
        return m.superuser or bool(m.roles) if self.roles is None else m.holds_any(self.roles)
