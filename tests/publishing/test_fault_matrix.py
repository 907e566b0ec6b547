"""The fault matrix of the delivery engine: every adapter against its fake
platform, with each fault a real platform throws put on each request of a
story's publication in turn — the answer lost after the work was done, the
connection dropped before it, a 5xx, a 429 with Retry-After — then a lost
create followed by a fault on the lookup or verify that comes next, and a
worker killed before, during or after its request while another one takes
over on a rate-limited channel.

Whatever happened, the platform ends with exactly one post for the story,
the delivery says what the platform shows (delivered with that post's id;
unknown only where the platform cannot be searched, and then a person's
"mark as resolved" with the post's address settles it), and the edit and
the takedown that follow reach that post.

The engine runs in this process (``services.process``), the platforms
are real HTTP servers (demo/fakes), and time is moved on by making every
waiting delivery due. The same cases with real worker processes, on
PostgreSQL, are in test_worker_delivery.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing import services
from publishing.models import Channel, Delivery, DeliveryAttempt
from publishing.views.dashboard import channel_health
from tests.publishing.faults import FAULTS, KINDS, Case, S
from workflows.services import take_down

# The engine runs in this process, one step at a time: the database only
# stores what it decides. Real workers on PostgreSQL: test_worker_delivery.py.
pytestmark = pytest.mark.once


def happy_path_requests(fault_newsrooms, fault_platforms, kind):
    """How many requests one publication makes to ``kind`` with no fault."""
    case = Case(fault_newsrooms[kind], fault_platforms, kind)
    before = case.requests()
    case.settle()
    case.assert_one_post_matching_the_delivery("no fault")
    return case.requests() - before


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_on_each_request_of_a_publication(fault_newsrooms, fault_platforms, kind, fault, settings):
    if fault == "429":
        settings.PUBLISHING_QUICK_RETRY_MAX_WAIT = 1  # the platform's second is waited in the worker
    calls = happy_path_requests(fault_newsrooms, fault_platforms, kind)
    assert calls >= 1
    for index in range(calls):
        label = f"{kind}: {fault} on request {index + 1} of {calls}"
        case = Case(fault_newsrooms[kind], fault_platforms, kind)
        case.inject(fault, after=index)
        case.settle()
        case.assert_one_post_matching_the_delivery(label)
        case.assert_edits_and_takedown_reach_the_post(label)
        fault_platforms.clear_faults()


@pytest.mark.parametrize("then", ["5xx", "5xx x3", "429", "dropped", "lost"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_lost_create_then_a_fault_on_the_check_that_follows(fault_newsrooms, fault_platforms, kind, then):
    """The create's answer is lost; the next request (the lookup, or
    Zalo's verify) meets another fault, three times in a row for "x3"."""
    calls = happy_path_requests(fault_newsrooms, fault_platforms, kind)
    # The create is the last request of a publication (uploads come first).
    case = Case(fault_newsrooms[kind], fault_platforms, kind)
    case.inject("lost", after=calls - 1)
    fault = then.split()[0]
    for _time in range(3 if then.endswith("x3") else 1):
        fault_platforms.inject(platform=kind, after=calls, times=1, **FAULTS[fault])
    case.settle()
    label = f"{kind}: create lost, then {then}"
    case.assert_one_post_matching_the_delivery(label)
    case.assert_edits_and_takedown_reach_the_post(label)


@pytest.mark.parametrize("killed", ["before the request", "during the request", "after the request"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_while_creating_and_a_takeover_during_a_rate_limit(fault_newsrooms, fault_platforms, kind, killed):
    """Worker A claims the create and dies (its outcome is never recorded);
    its lease runs out while the channel is rate-limited, so worker B's
    claim only postpones the delivery; a later claim sends. The mark that a
    post may exist must survive all of it."""
    calls = happy_path_requests(fault_newsrooms, fault_platforms, kind)
    case = Case(fault_newsrooms[kind], fault_platforms, kind)
    claim = services.claim_delivery(case.delivery.pk)
    assert claim is not None
    if killed == "during the request":
        case.inject("lost", after=calls - 1)
    if killed != "before the request":
        services.perform(claim)  # the platform acts; the worker dies before recording
    Delivery.objects.filter(pk=case.delivery.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    Channel.objects.filter(pk=case.delivery.channel_id).update(rate_limited_until=timezone.now() + timedelta(minutes=5))
    services.process(case.delivery.pk)  # worker B: the channel waits
    assert Delivery.objects.get(pk=case.delivery.pk).state in (S.PENDING, S.RETRYING, S.UNKNOWN)
    # A's attempt was on record before it sent anything, with its create's
    # key; B marked it interrupted, and the channel's health counts it.
    attempt = DeliveryAttempt.objects.get(pk=claim.attempt)
    assert attempt.outcome == "interrupted" and attempt.idempotency_key
    health = {channel.pk: channel for channel in channel_health(case.newsroom.unit, timezone.now())}
    assert health[case.newsroom.channel.pk].failures_24h >= 1
    assert len(case.posts()) <= 1
    case.settle()
    label = f"{kind}: worker killed {killed}, taken over during a rate limit"
    case.assert_one_post_matching_the_delivery(label)
    case.assert_edits_and_takedown_reach_the_post(label)


@pytest.mark.parametrize("kind", KINDS)
def test_a_takedown_of_a_post_whose_create_was_lost(fault_newsrooms, fault_platforms, kind):
    """The create's answer is lost, then the story is taken down before the
    engine knows whether the post exists: the post is found and removed
    (a person gives its address where the platform cannot be searched)."""
    calls = happy_path_requests(fault_newsrooms, fault_platforms, kind)
    case = Case(fault_newsrooms[kind], fault_platforms, kind)
    case.inject("lost", after=calls - 1)
    services.process(case.delivery.pk)
    assert len(case.posts()) == 1, "the lost create reached the platform"
    take_down(case.story, case.newsroom.publisher, "Sai sự thật")
    delivery = case.settle()
    if delivery.state == S.UNKNOWN:
        assert not case.newsroom.channel.adapter_class.can_lookup
        case.resolve_as_a_person(delivery, case.posts())
        delivery = case.settle()
    assert delivery.state == S.REMOVED, f"{kind}: {delivery.state} ({delivery.error})"
    assert not case.posts(), f"{kind}: the taken-down story's post is still on the platform"
