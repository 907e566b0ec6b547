# Each area registers its own admin hooks (menus, URLs, buttons, scoping,
# log actions) in its module under workflows/hooks/.
from .hooks import (  # noqa: F401
    api_tokens,
    audit,
    board,
    comments,
    notifications,
    offline,
    planning,
    rights,
    scoping,
    security,
    security_level,
    sessions,
    stories,
    two_factor,
    wagtail_words,
)
