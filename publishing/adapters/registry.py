"""Channel kinds. Adding a platform is one adapter module plus its line in
``KINDS``; nothing else in the project names a platform."""

from importlib import import_module

KINDS = {
    "zalo": "publishing.adapters.zalo.ZaloAdapter",
    "facebook": "publishing.adapters.facebook.FacebookAdapter",
    "telegram": "publishing.adapters.telegram.TelegramAdapter",
    "x": "publishing.adapters.x.XAdapter",
    "youtube": "publishing.adapters.youtube.YouTubeAdapter",
    "wordpress": "publishing.adapters.wordpress.WordPressAdapter",
    "webhook": "publishing.adapters.webhook.WebhookAdapter",
    "newsletter": "publishing.adapters.newsletter.NewsletterAdapter",
}

_loaded = {}


def get(kind):
    if kind not in _loaded:
        if kind not in KINDS:
            raise LookupError(f"unknown channel kind {kind!r}")
        module, _dot, name = KINDS[kind].rpartition(".")
        _loaded[kind] = getattr(import_module(module), name)
    return _loaded[kind]


def available():
    """Every adapter class, in registry order."""
    return [get(kind) for kind in KINDS]


def choices():
    return [(adapter.kind, adapter.label) for adapter in available()]
