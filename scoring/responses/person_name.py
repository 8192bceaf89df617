"""Does a client id look like a person's name? A warning, not a refusal.

Client feedback is linked to a pseudonymous id chosen by the service (``docs/privacy.md``), so
an id such as "Kari Nordmann" is almost certainly a mistake. Unlike a national identity number
(:mod:`scoring.responses.national_id`, refused) a name cannot be told apart from a pseudonym
with certainty ("Blå Fugl" may be a chosen code), so the page warns and stores what was typed.

The rule: two or more words separated by spaces, each word letters only (æ, ø, å and other
letters count), starting with a capital followed by small letters; a word may be hyphenated
("Anne-Lise Nordmann"), each part capitalised.
"""

from __future__ import annotations


def _capitalised(part: str) -> bool:
    return len(part) >= 2 and part.isalpha() and part[0].isupper() and part[1:].islower()


def looks_like_a_name(text: object) -> bool:
    """True if ``text`` reads like a person's name ("Kari Nordmann", "Ola Øvre-Ås").

    >>> looks_like_a_name("Kari Nordmann"), looks_like_a_name("Anne-Lise Ås")
    (True, True)
    >>> looks_like_a_name("hj2-017"), looks_like_a_name("Kari"), looks_like_a_name("KARI NORDMANN")
    (False, False, False)
    """
    words = str(text or "").split()
    return len(words) >= 2 and all(all(_capitalised(part) for part in word.split("-")) for word in words)
