from .assignments import (
    Assignment,
    AssignmentComment,
    AssignmentPriority,
    AssignmentStatus,
)
from .notifications import Notification, NotificationKind
from .records import PublicationRecord, Takedown
from .roles import Role, UnitGroup
from .steps import (
    ChecklistTask,
    ChecklistTaskState,
    NamedReviewerTask,
    UnitApprovalTask,
)

__all__ = [
    "Assignment",
    "AssignmentComment",
    "AssignmentPriority",
    "AssignmentStatus",
    "ChecklistTask",
    "ChecklistTaskState",
    "NamedReviewerTask",
    "Notification",
    "NotificationKind",
    "PublicationRecord",
    "Role",
    "Takedown",
    "UnitApprovalTask",
    "UnitGroup",
]
