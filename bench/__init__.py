"""The project's benchmarks (``make bench``, ``python -m bench``).

Every run builds a private workspace (database seeded with thousands of
articles, static files), starts gunicorn the way production does and drives
it with a local load generator; each scenario is reported against a baseline
measured in the same run. Scenarios are listed in ``bench.__main__.SCENARIOS``;
results go to ``bench/results/`` and ``docs/benchmarks.md``.
"""
