"""Words shown for identifiers: question topics and red-flag levels.

Shared by the terminal views and the reports, so a topic or a level reads the same
everywhere. Pure data and functions.
"""

from __future__ import annotations

# Group ids that name two things read with "and"; any other id has its "_" as spaces.
TOPIC_LABELS = {
    "hips_back": "hips and back",
    "knees_feet": "knees and feet",
}

LEVEL_HEADINGS = {
    "emergency": "EMERGENCY: go to an emergency department now",
    "urgent": "URGENT: see a doctor today",
    "clinician": "SEE A CLINICIAN before you train again",
}


def topic_label(group: str) -> str:
    """How a question group is named to the lifter: ``hips_back`` → "hips and back"."""
    return TOPIC_LABELS.get(group, group.replace("_", " "))


def level_heading(level: str) -> str:
    """What a red flag's level tells the lifter to do, in capitals first."""
    return LEVEL_HEADINGS.get(level, level.upper())


# Said beside a flag raised by a "not sure": the contract asks every interface to say
# that the answer was uncertain (the flag's advice then says how to check it).
UNSURE_MARK = "answered 'not sure'"


def flag_heading(level: str, unsure: bool) -> str:
    """A red flag's heading: what to do, and whether the answer behind it was unsure."""
    heading = level_heading(level)
    return f"{heading} ({UNSURE_MARK})" if unsure else heading


# Beside each form fault listed in a referral: the contract allows it only as that.
FOR_THE_CLINICIAN = "Information for the clinician, not advice to train."
