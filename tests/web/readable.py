"""What counts as an identifier a reader should not see, for the pages' language tests."""

from __future__ import annotations

import re

from web.conftest import USERS

#: snake_case words (field names, codes such as rural_station) and dotted ids (water.facility_idle).
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:[_.][a-z0-9]+)*_[a-z0-9]+\b|\b[a-z]+\.[a-z]+_[a-z0-9_]+\b")
#: Words that look like identifiers but are what people typed or named themselves: account
#: names (the signed-in user's own, in the header) and the agencies' file names (evidence
#: rows say which file they came from, so a data officer can find them again).
ALLOWED = re.compile(r"\b[\w.-]+\.(?:csv|xlsx|parquet)\b")


def identifiers(text: str) -> list[str]:
    """The identifiers a page's visible ``text`` shows, other than the allowed ones."""
    found = set(IDENTIFIER.findall(ALLOWED.sub(" ", text)))
    return sorted(found - set(USERS))
