"""Admin hooks, one module per area; ``workflows/wagtail_hooks.py`` imports
them all so Wagtail registers them."""
