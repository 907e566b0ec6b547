# Each area registers its own admin hooks (menus, URLs, buttons, scoping,
# log actions) in its module under workflows/hooks/.
from .hooks import audit, board, comments, notifications, planning, scoping, security, security_level, sessions, stories, two_factor  # noqa: F401
