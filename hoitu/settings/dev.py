from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS, SECRET_KEY, STATIC_ROOT, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
# The demo newsroom, runstack and the fake platforms: development only.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# WhiteNoise warns at start-up when STATIC_ROOT does not exist yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
