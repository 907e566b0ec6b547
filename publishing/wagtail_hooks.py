# Each area registers its own admin hooks (menus, URLs, panels, log actions)
# in its module under publishing/hooks/.
from .hooks import channels, dashboard, menu, newsletter, partners, story  # noqa: F401
