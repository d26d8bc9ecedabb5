"""The vocabulary of the ledger: every fact it can record, as frozen pydantic models.

Events are named in the past tense and carry what is needed to explain them later:
who recorded them (``actor``), the date they took effect in the world (``on``) and,
where a rule demands one, the reason. The moment of recording is the library's
``timestamp``; it is set when the event is created and never supplied by a user.
"""

from __future__ import annotations

from events.access import (
    AccessControlled,
    AccessEvent,
    PasswordChanged,
    Role,
    RoleGranted,
    RoleRevoked,
    UserAdded,
    UserDisabled,
)
from events.base import Kind, LedgerEvent, Scope, Status
from events.committee import (
    CommitteeEvent,
    CommitteeRegistered,
    MeetingReviewsChanged,
    MeetingScheduled,
    PaperIssued,
)
from events.inspection import (
    InspectionAdded,
    InspectionChanged,
    InspectionEvent,
    InspectionReported,
)
from events.national import Verdict, VerdictEvent, VerdictGiven, VerdictsBegun
from events.organisation import OrganisationAdded, OrganisationEvent
from events.owners import ContactsEvent, ContactsKept, OwnerContactSet, ReminderSent
from events.recommendation import (
    ClosureRequested,
    CompletionClaimed,
    DeadlineExtended,
    DeadlineSet,
    EventCorrected,
    ExtensionRequested,
    OwnerAssigned,
    ProgressNoted,
    RecommendationClosed,
    RecommendationEvent,
    RecommendationIssued,
    RelevanceChanged,
    Request,
    SignedOff,
    SignOffRejected,
    SignOffRequested,
    StatusChanged,
    Superseded,
    Supersedes,
)
from events.report import ReportEvent, ReportRegistered
from events.rules import RulesAdopted, RulesEvent, SignOffFor, SignOffRuleSet

__all__ = [
    "EVENT_TYPES",
    "AccessControlled",
    "AccessEvent",
    "ClosureRequested",
    "CommitteeEvent",
    "CommitteeRegistered",
    "CompletionClaimed",
    "ContactsEvent",
    "ContactsKept",
    "DeadlineExtended",
    "DeadlineSet",
    "EventCorrected",
    "ExtensionRequested",
    "InspectionAdded",
    "InspectionChanged",
    "InspectionEvent",
    "InspectionReported",
    "Kind",
    "LedgerEvent",
    "MeetingReviewsChanged",
    "MeetingScheduled",
    "OrganisationAdded",
    "OrganisationEvent",
    "OwnerAssigned",
    "OwnerContactSet",
    "PaperIssued",
    "PasswordChanged",
    "ProgressNoted",
    "RecommendationClosed",
    "RecommendationEvent",
    "RecommendationIssued",
    "RelevanceChanged",
    "ReminderSent",
    "ReportEvent",
    "ReportRegistered",
    "Request",
    "Role",
    "RoleGranted",
    "RoleRevoked",
    "RulesAdopted",
    "RulesEvent",
    "Scope",
    "SignOffFor",
    "SignOffRejected",
    "SignOffRequested",
    "SignOffRuleSet",
    "SignedOff",
    "Status",
    "StatusChanged",
    "Superseded",
    "Supersedes",
    "UserAdded",
    "UserDisabled",
    "Verdict",
    "VerdictEvent",
    "VerdictGiven",
    "VerdictsBegun",
]

#: Every concrete event by its type name, as exports write it.
EVENT_TYPES: dict[str, type[LedgerEvent]] = {
    cls.__name__: cls
    for cls in (
        ReportRegistered,
        CommitteeRegistered,
        MeetingScheduled,
        PaperIssued,
        RecommendationIssued,
        StatusChanged,
        DeadlineSet,
        DeadlineExtended,
        ProgressNoted,
        OwnerAssigned,
        RecommendationClosed,
        EventCorrected,
        CompletionClaimed,
        ClosureRequested,
        ExtensionRequested,
        SignedOff,
        SignOffRejected,
        AccessControlled,
        RoleGranted,
        RoleRevoked,
        UserAdded,
        PasswordChanged,
        UserDisabled,
        RulesAdopted,
        SignOffRuleSet,
        ContactsKept,
        OwnerContactSet,
        ReminderSent,
        InspectionAdded,
        InspectionChanged,
        InspectionReported,
        MeetingReviewsChanged,
        RelevanceChanged,
        Superseded,
        Supersedes,
        OrganisationAdded,
        VerdictsBegun,
        VerdictGiven,
    )
}
