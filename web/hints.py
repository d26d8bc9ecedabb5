"""The ledger's refusals in the web's words: each field it names is the label of the form
field that gives it, and each next step it suggests is what to do on these pages (or, for
what only an administrator can do, who to ask)."""

from __future__ import annotations

from ledger.errors import Field, Fix, Hint, LedgerError

#: The label of the form field that gives each field (or, for what no form gives, who does).
LABELS: dict[Field, str] = {
    Field.ON: "On",
    Field.PUBLISHED: "the publication date",
    Field.MAKES: "the number of recommendations",
    Field.TITLE: "the title",
    Field.NAME: "the name",
    Field.HOLDER: "the name of who holds the role",
    Field.PAPER: "the paper's reference",
    Field.ACTS_FOR: "who the owner acts for",
    Field.EVIDENCE: "Evidence",
    Field.NOTE: "Note",
    Field.TEXT: "the text",
    Field.OWNER: "the owner",
    Field.LEAD: "the lead",
    Field.REASON: "Reason (or Justification)",
    Field.TO: "New due date",
    Field.LINK: "Link",
    Field.STORE: "the ledger's location (set by whoever runs the service)",
    Field.ENCRYPTION_KEY: "the encryption key (set by whoever runs the service)",
    Field.ACTOR: "the name you signed in with",
    Field.FIELDWORK: "the fieldwork's days",
    Field.DEBRIEF: "the debrief's date",
    Field.EXPECTED: "when the report is expected",
}

#: Each next step in the web's words (``{key}`` and the like: the hint's values).
STEPS: dict[Fix, str] = {
    Fix.GIVE_REASON: 'fill in the reason ("{why}")',
    Fix.GIVE_EVIDENCE: "fill in Evidence with what was done",
    Fix.CLAIM_COMPLETION: "claim completion of {key} with its Evidence, on the item's page",
    Fix.CLOSE: "a closure of {key} with its reason",
    Fix.EXTEND: "an extension of {key} (Extend, with a New due date and a Justification)",
    Fix.SET_DUE: "a due date for {key}",
    Fix.SIGN_OFF: "a sign-off of {key} (Sign off, on the item's page)",
    Fix.DECIDE_REQUEST: "signed off or rejected (with a reason) on the item's page",
    Fix.CORRECT: "a correction of the closure, with a reason (event ids in the history of {key})",
    Fix.CORRECT_ANY: "a correction",
    Fix.SEE_PENDING: "the requests awaiting sign-off (Requests)",
    Fix.SEE_HISTORY: "see the history on the page of {key}",
    Fix.SEE_EVENT_IDS: "see the history on an item's page",
    Fix.SEE_REPORT: "see the board of report {code}",
    Fix.REGISTER_REPORT: "ask governance to register it first (see the board)",
    Fix.SEE_COMMITTEES: "see the committees",
    Fix.ADD_COMMITTEE: "ask governance to add the committee {code} first",
    Fix.ADD_MEETING: "ask governance to add the meeting of {code} on {day} first",
    Fix.SEE_MEETINGS: "see the meetings of {code}",
    Fix.SEE_ROLES: "ask governance which roles you hold",
    Fix.SEE_USERS: "ask whoever runs the service which users there are",
    Fix.GRANT_GOVERNANCE: "governance granted to {name} (ask governance)",
    Fix.ASK_FOR_A_ROLE: "an owner's role for {name}, acting for an owner (ask governance)",
    Fix.GIVE_ACTS_FOR: "an owner's role for {name} acting for an owner (ask governance)",
    Fix.VERIFY: "see Verify",
    Fix.VERIFY_ORG: "see Verify in {code}'s ledger",
    Fix.NEW_KEY: "a new key (ask whoever runs the service)",
    Fix.RECORD_FIRST: "ask whoever runs the service to open an existing ledger",
    Fix.NEW_SHEET: "the requests of an owner, as an update sheet (ask governance)",
    Fix.NEW_SHEET_FOR_OWNER: "a new update sheet for the owner (ask governance)",
    Fix.CREATE_COMMITTEE: "ask governance to add the committee {code} with its name",
    Fix.ISSUE_PAPER: "ask governance to issue the paper for {code}'s meeting on {day}",
    Fix.REBUILD: "ask whoever runs the service to derive the read model again from the events",
    Fix.EXPORT_BACKUP: "an export of a ledger's events (ask whoever runs the service)",
    Fix.FOLLOW_AS_FOLLOWER: "the follower, run as a follower's login (ask whoever runs the service)",
    Fix.INIT_ROLES: "the database's owner sets up its roles (again)",
    Fix.EXPORT_IN_CLEAR: "ask for plain text",
    Fix.ADD_INSPECTION: "ask governance to add the inspection {code} first",
    Fix.SEE_INSPECTIONS: "see the inspections (ask governance)",
    Fix.MAP_COLUMNS: 'map each as "Column in file=field" on the command line',
}


def step(hint: Hint) -> str:
    """The web's wording of ``hint``."""
    return hint.words(STEPS[hint.fix])


def web_text(error: LedgerError) -> str:
    """``error`` as a page shows it, on one line."""
    return " ".join(error.render(LABELS, step).split())
