"""The audit trail: one append-only, hash-chained record of who did what,
where from and when (sign-ins, account and permission changes, exports and
every action Wagtail logs). Other apps call ``audit.record``."""


def record(action, *, request=None, actor=None, obj=None, unit=None, **extra):
    """Appends one event to the trail; see ``audit.recorder.record``."""
    # Imported on call: this package is imported before Django's models are ready.
    from .recorder import record as append_event

    return append_event(action, request=request, actor=actor, obj=obj, unit=unit, **extra)
