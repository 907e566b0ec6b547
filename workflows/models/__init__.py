from .accounts import AccountReview
from .api_tokens import StaffToken
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
from .two_factor import AuthenticatorApp, RecoveryCodes

__all__ = [
    "AccountReview",
    "Assignment",
    "AuthenticatorApp",
    "AssignmentComment",
    "AssignmentPriority",
    "AssignmentStatus",
    "ChecklistTask",
    "ChecklistTaskState",
    "NamedReviewerTask",
    "Notification",
    "NotificationKind",
    "PublicationRecord",
    "RecoveryCodes",
    "Role",
    "StaffToken",
    "Takedown",
    "UnitApprovalTask",
    "UnitGroup",
]
