"""Helpers of the fault tests (test_fault_matrix.py, test_fault_schedules.py):
one unit per platform, each with one channel on the fake platforms, a
story whose publication can be judged (exactly one post, a delivery that
says what the platform shows), the engine run until nothing is left to do
with time moved on, and what a person does with an unknown outcome."""

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from assets.models import Media
from publishing import services
from publishing.adapters import registry
from publishing.models import Channel, Delivery, DeliveryState
from tests.helpers import make_article, make_image, make_section, make_staff, make_unit, paragraph
from tests.publishing.conftest import make_channel
from workflows.models import Role
from workflows.services import take_down

S = DeliveryState
KINDS = sorted(adapter.kind for adapter in registry.available() if not adapter.batched)
AT_REST = (S.DELIVERED, S.REMOVED, S.UNKNOWN, S.FAILED, S.CANCELLED)
# Each fault, as the fake server injects it on one request.
FAULTS = {
    "lost": {"drop_after_handling": True},  # the platform acted; we never hear
    "dropped": {"drop": True},  # the connection drops before the platform acts
    "5xx": {"status": 503},
    "429": {"status": 429, "retry_after": 1},
}


def build_newsrooms(fake):
    """One unit per platform, each with one channel on the fake, so that a
    story goes to exactly one platform."""
    newsrooms = {}
    for kind in KINDS:
        unit, home = make_unit(f"don-vi-{kind}", f"Đơn vị {kind}", default=kind == KINDS[0])
        newsrooms[kind] = SimpleNamespace(
            unit=unit,
            section=make_section(home, "Thời sự"),
            channel=make_channel(unit, kind, fake, rate_limit_per_minute=0),
            publisher=make_staff(unit, Role.EDITOR_IN_CHIEF, f"{kind}.tbt"),
        )
    return newsrooms


class Case:
    """One story on one platform, with what the test needs to judge it."""

    counter = 0

    def __init__(self, newsroom, fake, kind):
        Case.counter += 1
        self.kind, self.fake, self.newsroom = kind, fake, newsroom
        self.marker = f"Tin thử {kind} số {Case.counter}"
        video = Media.objects.create(title="Clip", kind=Media.Kind.VIDEO, file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2048, name="clip.mp4"))
        self.story = make_article(
            newsroom.section,
            title=self.marker,
            sapo=f"Sapo của {self.marker}.",
            body=[paragraph(f"Nội dung {self.marker}."), ("video", {"video": video})],
            cover_image=make_image("Ảnh bìa", size=(640, 360)),
        )
        self.delivery = Delivery.objects.get(story=self.story, channel=newsroom.channel)

    # --- what the platform shows -------------------------------------------
    def posts(self):
        """The platform's live posts of this story."""
        return {key: post for key, post in self.fake.live_posts(self.kind).items() if self.marker in repr(post)}

    def requests(self):
        return len(self.fake.requests_to(self.kind))

    # --- the engine, until nothing is left to do ------------------------------
    def settle(self, rounds=40):
        for _round in range(rounds):
            delivery = Delivery.objects.get(pk=self.delivery.pk)
            if delivery.state in AT_REST:
                return delivery
            # The clock moves on: what waits is due, the channel's rate window over.
            Delivery.objects.filter(pk=delivery.pk, state__in=(S.PENDING, S.RETRYING)).update(next_attempt_at=None)
            Delivery.objects.filter(pk=delivery.pk, state=S.SENDING).update(lease_until=timezone.now() - timedelta(seconds=1))
            Channel.objects.filter(pk=delivery.channel_id).update(rate_limited_until=None)
            services.process(delivery.pk)
        raise AssertionError(f"{self.kind}: still {Delivery.objects.get(pk=self.delivery.pk)} after {rounds} rounds")

    def inject(self, fault, after):
        self.fake.inject(platform=self.kind, after=after, times=1, **FAULTS[fault])

    # --- the judgement --------------------------------------------------------
    def assert_one_post_matching_the_delivery(self, label):
        delivery = Delivery.objects.get(pk=self.delivery.pk)
        posts = self.posts()
        assert len(posts) <= 1, f"{label}: {len(posts)} posts of one story on {self.kind}"
        if delivery.state == S.UNKNOWN:
            # Only where the platform cannot be searched; a person looks.
            assert not self.newsroom.channel.adapter_class.can_lookup, f"{label}: left unknown, yet {self.kind} can be searched"
            self.resolve_as_a_person(delivery, posts)
            delivery.refresh_from_db()
            posts = self.posts()
        assert delivery.state == S.DELIVERED, f"{label}: {delivery.state} ({delivery.error}) with {len(posts)} post(s) on {self.kind}"
        assert len(posts) == 1, f"{label}: delivered, yet {len(posts)} posts on {self.kind}"
        assert not delivery.needs_lookup and not delivery.create_key
        return delivery

    def resolve_as_a_person(self, delivery, posts):
        """What the README asks of a person with an unknown outcome: look on
        the platform, then retry (not posted) or mark as resolved with the
        post's address (posted)."""
        if not posts:
            services.retry_delivery(delivery, self.newsroom.publisher)
            self.settle()
            return
        post_id, post = next(iter(posts.items()))
        services.resolve_delivery(delivery, self.newsroom.publisher, post=self.post_address(post_id, post))

    def post_address(self, post_id, post):
        adapter = self.newsroom.channel.get_adapter()
        if self.kind == "telegram":
            return f"https://t.me/{adapter.config.get('channel_username') or 'kenhthu'}/{post_id}"
        return post.get("permalink_url") or post.get("url") or str(post_id)

    def assert_edits_and_takedown_reach_the_post(self, label):
        delivery = Delivery.objects.get(pk=self.delivery.pk)
        draft = self.story.get_latest_revision_as_object()
        draft.sapo = f"Đã cập nhật: {self.marker}."
        draft.save_revision().publish()
        self.story.refresh_from_db()
        delivery = self.settle()
        posts = self.posts()
        assert delivery.state == S.DELIVERED and len(posts) == 1, f"{label}: after the edit {delivery.state}, {len(posts)} posts"
        take_down(self.story, self.newsroom.publisher, "Sai sự thật")
        delivery = self.settle()
        assert delivery.state == S.REMOVED, f"{label}: after the takedown {delivery.state} ({delivery.error})"
        assert not self.posts(), f"{label}: the takedown left the post on {self.kind}"
