"""Who may act on a unit's pages is decided above the content app: the
workflow app registers a permission tester for each page type from its
``AppConfig.ready()``. A page type without one gets Wagtail's own tester."""

from wagtail.models import PagePermissionTester

_testers = {}


def register_permission_tester(page_class, tester_class):
    """``tester_class(user, page)`` answers for pages of ``page_class`` and
    its subclasses."""
    _testers[page_class] = tester_class


def permission_tester(page, user):
    for page_class in type(page).__mro__:
        if page_class in _testers:
            return _testers[page_class](user, page)
    return PagePermissionTester(user, page)


class RegisteredPermissionsMixin:
    """Page types whose permissions come from the registered tester."""

    def permissions_for_user(self, user):
        return permission_tester(self, user)
