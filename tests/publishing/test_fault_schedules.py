"""Random fault schedules against the delivery engine (Hypothesis, stateful):
for each platform, a story is published and then, in any order, faults
are put on the platform's next requests (a lost answer, a dropped
connection, a 5xx, a 429), workers try again at once or not, a worker
takes one step, a worker dies before,
during or after its request, the channel is rate-limited, the story is
edited or taken down. At every step the platform holds at most one post
of the story; at the end, with the faults gone and time moved on, it
holds exactly one (none after a takedown) and the delivery says so.

The fixed cases are in test_fault_matrix.py; this finds the orders nobody
wrote down. Hypothesis shrinks a failure to the shortest schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from publishing import services
from publishing.models import Channel, Delivery
from tests.publishing.faults import FAULTS, KINDS, Case, S
from workflows.services import take_down

# As test_fault_matrix.py: the engine in this process, one step at a time.
pytestmark = pytest.mark.once

SCHEDULES = settings(
    max_examples=8,
    stateful_step_count=14,
    deadline=None,
    derandomize=True,  # the same schedules on every run: CI stays repeatable
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def schedules_for(kind, newsroom, fake, django_settings):
    class FaultSchedule(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            fake.clear_faults()
            self.case = Case(newsroom, fake, kind)
            self.edits = 0
            self.taken_down = False

        @rule(fault=st.sampled_from(sorted(FAULTS)), after=st.integers(min_value=0, max_value=2))
        def fault_on_a_coming_request(self, fault, after):
            fake.inject(platform=kind, after=after, times=1, **FAULTS[fault])

        @rule()
        def a_worker_takes_a_step(self):
            Delivery.objects.filter(pk=self.case.delivery.pk, state__in=(S.PENDING, S.RETRYING)).update(next_attempt_at=None)
            services.process(self.case.delivery.pk)

        @rule(moment=st.sampled_from(["before", "during", "after"]))
        def a_worker_dies(self, moment):
            Delivery.objects.filter(pk=self.case.delivery.pk, state__in=(S.PENDING, S.RETRYING)).update(next_attempt_at=None)
            claim = services.claim_delivery(self.case.delivery.pk)
            if claim is None:
                return
            if moment == "during":
                fake.inject(platform=kind, times=1, **FAULTS["lost"])
            if moment != "before":
                services.perform(claim)
            # Its lease runs out: another worker may take the delivery over.
            Delivery.objects.filter(pk=claim.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

        @rule(retries=st.sampled_from([0, 1, 2]))
        def workers_try_again_at_once(self, retries):
            django_settings.PUBLISHING_QUICK_RETRIES = retries

        @rule()
        def the_channel_is_rate_limited(self):
            Channel.objects.filter(pk=newsroom.channel.pk).update(rate_limited_until=timezone.now() + timedelta(minutes=5))

        @rule()
        def the_rate_window_passes(self):
            Channel.objects.filter(pk=newsroom.channel.pk).update(rate_limited_until=None)

        @precondition(lambda self: not self.taken_down and self.edits < 2)
        @rule()
        def an_editor_updates_the_story(self):
            self.edits += 1
            draft = self.case.story.get_latest_revision_as_object()
            draft.sapo = f"Bản cập nhật {self.edits}: {self.case.marker}."
            draft.save_revision().publish()
            self.case.story.refresh_from_db()

        @precondition(lambda self: not self.taken_down)
        @rule()
        def the_story_is_taken_down(self):
            self.taken_down = True
            take_down(self.case.story, newsroom.publisher, "Theo yêu cầu của cơ quan chức năng")

        @invariant()
        def never_two_posts(self):
            posts = self.case.posts()
            assert len(posts) <= 1, f"{kind}: {len(posts)} posts of one story"

        def teardown(self):
            fake.clear_faults()
            Channel.objects.filter(pk=newsroom.channel.pk).update(rate_limited_until=None)
            delivery = self.case.settle()
            if self.taken_down:
                if delivery.state == S.UNKNOWN:
                    self.case.resolve_as_a_person(delivery, self.case.posts())
                    delivery = self.case.settle()
                assert not self.case.posts(), f"{kind}: taken down, yet the post is still there ({delivery.state}: {delivery.error})"
                assert delivery.state in (S.REMOVED, S.CANCELLED), f"{kind}: taken down, delivery {delivery.state} ({delivery.error})"
            else:
                delivery = self.case.assert_one_post_matching_the_delivery(f"{kind}: random schedule")
                assert delivery.done_generation == delivery.generation

    return FaultSchedule


@pytest.mark.parametrize("kind", KINDS)
def test_random_fault_schedules_leave_exactly_one_post(fault_newsrooms, fault_platforms, kind, settings):
    run_state_machine_as_test(schedules_for(kind, fault_newsrooms[kind], fault_platforms, settings), settings=SCHEDULES)
