"""The publishing app's service facade: the operations the rest of the
project (signal handlers, views, tasks, the demo, the benchmarks, the
tests) calls, named in one place. They live in ``publishing.engine``
(the delivery engine, whose guarantees its package docstring states):
the outbox, the worker, the channels' switches and people's actions."""

from .engine.actions import cancel_delivery, resolve_delivery, retry_delivery
from .engine.channels import disable_channel, enable_channel, notify_delivery_failure
from .engine.outbox import channels_for, enqueue, enqueue_on_commit, plan_publication, plan_removal, story_moved, sweep
from .engine.worker import claim_deliveries, claim_delivery, extend_claim, perform, process, process_many, record_outcome, stop_sending

__all__ = [
    "cancel_delivery",
    "channels_for",
    "claim_deliveries",
    "claim_delivery",
    "disable_channel",
    "enable_channel",
    "enqueue",
    "enqueue_on_commit",
    "extend_claim",
    "notify_delivery_failure",
    "perform",
    "plan_publication",
    "plan_removal",
    "process",
    "process_many",
    "record_outcome",
    "resolve_delivery",
    "retry_delivery",
    "stop_sending",
    "story_moved",
    "sweep",
]
