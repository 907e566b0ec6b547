"""The delivery engine: the outbox written with each publication, and the
claim → send → record cycle a worker runs for a message's deliveries.

- ``outbox``: the deliveries a publication (update, correction, takedown)
  writes in its own transaction, and the messages that nudge the workers.
- ``worker``: what a worker does for one message (a story's channels).
- ``rows``: writing a message's rows in one round trip.
- ``channels``: a channel's health and switches, and telling its unit's
  publishers.
- ``actions``: what people do with a delivery on the dashboard.
- ``transitions``: every change of a delivery's state, for all of the above
  and the newsletter digests.

Callers outside the app go through ``publishing.services``.

Guarantees, and how:
- Nothing lost: deliveries are rows written in the publication's own
  transaction (a rolled-back publication leaves none); the Celery message is
  only a nudge sent after commit. A broker outage at that moment is logged
  and survived, and the sweeper (beat) re-sends nudges for rows left waiting
  (broker down, message lost, worker killed mid-send).
- Nothing twice: a worker claims a row under a row lock (PostgreSQL
  ``SELECT … FOR UPDATE``; SQLite's IMMEDIATE transactions serialize
  writers) with a lease before it talks to the platform, and
  records the outcome only while its claim holds. A create that got no
  answer (timeout, dropped connection, worker killed) is never blindly sent
  again: adapters that can search the platform (``can_lookup``) look first;
  for the others the delivery becomes "unknown" and a person decides.
- Current and in order: one row per (story, channel) for the story's life;
  later events (update, correction, takedown) only raise its ``generation``
  and set what the platform should show (the story, or nothing); the worker
  always sends the story as it is now, and a worker that finishes an older
  generation queues the row again. An update edits the remote post (or, on
  a platform without edit, replaces it when the channel allows, otherwise
  leaves it); a takedown, unpublication or deletion removes it.
- Polite: a per-channel rate limit of our own, the platform's Retry-After
  on 429 (every delivery of the channel waits), exponential backoff with
  jitter and a cap, 4xx other than 408/425/429 fail at once with the
  platform's message, repeated authentication errors pause the channel and
  notify the unit's publishers (it takes new stories, which wait for it to
  be enabled).
- Quick: a publication's deliveries (its story's channels) travel in one
  worker message: one claim transaction, one read of what the posts are
  made of (the story rendered once for all its channels), the requests
  sent at the same time from the publishing worker's send threads, one
  outcome transaction (tests/publishing/test_engine_round_trips.py holds
  the statements); each delivery keeps its own row, claim and outcome.
  Connections to the database and, for a moment, to the platforms are kept
  between messages.
- ``process`` never raises; log lines name the delivery, never credentials.
"""
