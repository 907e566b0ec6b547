"""The benchmark's Django side. Its modules import Django and the apps at
their top: only ``python -m bench.inside`` (after ``django.setup()``) and
the tests load them; the runner (``python -m bench``) never does."""
