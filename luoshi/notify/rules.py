"""Pure rules of messages (no ORM): whom a robot message may @.

A group robot @-mentions people by their mobile number (企业微信 mentioned_mobile_list, 钉钉 at.atMobiles). Only a
mainland mobile (11 digits, starting with 1) is mentioned: a desk phone (0531-…), an extension or anything else
typed into 电话 is left out, and nothing is ever turned into an @all.
"""

import re

MOBILE = re.compile(r"1[0-9]{10}")  # ASCII digits only (\d would take fullwidth ones)
MAX_MENTIONS = 20  # one message @s at most this many (a robot message, or a digest of several)


def mention_mobiles(phones, limit=MAX_MENTIONS):
    """The mainland mobiles among these phone fields, in their order, each once, at most `limit`. Spaces and dashes
    inside a number are allowed as typed (138 0000 1111, 138-0000-1111); "+86" or "86" before it is dropped."""
    out = []
    for phone in phones:
        digits = re.sub(r"[\s-]", "", str(phone or ""))
        if digits.startswith("+86"):
            digits = digits[3:]
        elif digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        if MOBILE.fullmatch(digits) and digits not in out:
            out.append(digits)
        if len(out) >= limit:
            break
    return out


def merged_mentions(lists, limit=MAX_MENTIONS):
    """The mentions of several messages (a digest), each once, in order, at most `limit`."""
    return mention_mobiles((m for mentions in lists for m in (mentions or [])), limit)
