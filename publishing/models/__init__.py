from .channels import Channel, ChannelCopy
from .deliveries import (
    OPEN_STATES,
    Delivery,
    DeliveryAction,
    DeliveryAttempt,
    DeliveryState,
    StoryEvent,
)
from .newsletters import NewsletterIssue, Subscriber
from .partners import Partner, hash_token

__all__ = [
    "Channel",
    "ChannelCopy",
    "Delivery",
    "DeliveryAction",
    "DeliveryAttempt",
    "DeliveryState",
    "NewsletterIssue",
    "OPEN_STATES",
    "Partner",
    "StoryEvent",
    "Subscriber",
    "hash_token",
]
