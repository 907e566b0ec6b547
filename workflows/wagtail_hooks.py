# Each area registers its own admin hooks (menus, URLs, buttons, scoping,
# log actions) in its module under workflows/hooks/.
from .hooks import board, notifications, planning, scoping, sessions, stories  # noqa: F401
