"""Mobile numbers inside text that is not always a phone, masked.

A phone column is masked as a whole (``phone.mask``). Other text can hold
a phone too: a broadband account that is the customer's mobile number, a
note such as ``请打13800001111``, a name field someone typed a number into.
Such text is masked by what it holds: every run that reads as a mainland
mobile number (with ``+86``, spaces or dashes or not) becomes 138****1111;
everything else stays as it is.
"""

from __future__ import annotations

import re

from station_tui.domain.text import fold_width

# Not inside a longer run of letters or digits: SF13800001111 and a
# 14-digit tracking number are not phones.
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(?P<prefix>(?:\+86|0086|86)[ -]?)?"
    r"(?P<head>1[3-9]\d)[ -]?\d{4}[ -]?(?P<tail>\d{4})"
    r"(?![0-9A-Za-z])",
    re.ASCII,
)


def mask_phones(text: str | None) -> str:
    """``text`` with every mobile number in it shown as 138****1111."""
    if not text:
        return ""
    folded = fold_width(text)
    if not _MOBILE.search(folded):
        return text
    return _MOBILE.sub(
        lambda m: f"{m['prefix'] or ''}{m['head']}****{m['tail']}", folded)


def holds_mobile(text: str | None) -> bool:
    """``text`` is, or contains, something that reads as a mobile number."""
    return bool(text) and _MOBILE.search(fold_width(text or "")) is not None
