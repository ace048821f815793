"""Text as the Latin letters it shows, for reading answer keys and free text.

A key or a note may be written with letters that look Latin but are not
(Cyrillic "а", Greek "ρ", small capitals), in compatibility forms (full-width,
mathematical bold), or with characters that draw nothing (a zero-width space, a
combining accent). Read as they are, a "yes" under them named nothing; folded here,
every reader sees the word a person sees.
"""

from __future__ import annotations

import unicodedata

# Letters of other scripts that look like the Latin ones in question ids (Cyrillic and
# Greek, lower case after casefold). NFKC already maps full-width, mathematical and
# other compatibility forms; these are distinct letters that NFKC keeps, so a key
# written with them would otherwise be a different key that looks the same.
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "ғ": "f", "һ": "h",
        "і": "i", "ї": "i", "ј": "j", "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o",
        "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t", "ц": "u", "ѵ": "v", "ԝ": "w",
        "х": "x", "у": "y", "з": "3", "ь": "b", "п": "n",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "μ": "u", "ϲ": "c",
        # Latin small capitals, which NFKC leaves as they are ("ꜱᴀᴅᴅʟᴇ_ɴᴜᴍʙɴᴇꜱꜱ": read
        # as an unknown key, a yes was "not sure", one level lower: check 38, L2)
        "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h",
        "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
        "ꞯ": "q", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y",
        "ᴢ": "z",
        # Latin letters that read as others, and dashes and spaces that read as '_'
        "ı": "i", "ɡ": "g", "ℓ": "l", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-",
        "−": "-", "＿": "_",
    }
)  # fmt: skip


# Marks that stand for an apostrophe ("can´t", "don`t", "it’s"): an apostrophe before
# NFKC, which makes the acute accent a space and a combining mark ("can t": a "Can´t
# pee?" was read as "Can ... pee?" and its yes cleared; check 58, H4).
_APOSTROPHE_LIKE = str.maketrans(
    dict.fromkeys("\u00b4\u0060\u2018\u2019\u02bc\u2032\u02b9\u02bb\ua78c\u05f3\u2035\uff07", "'")
)


def latin_letters(text: str) -> str:
    """Text as the Latin letters it shows: compatibility forms made plain (NFKC),
    lower case, look-alike letters of other scripts read as Latin, accents and
    characters that draw nothing left out, marks that stand for an apostrophe as
    one."""
    text = text.translate(_APOSTROPHE_LIKE)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LOOKALIKES)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not _invisible(c))


# Unicode's default-ignorable characters that are letters in name only (Hangul fillers).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def _invisible(char: str) -> bool:
    """A character that draws nothing of its own: a format character (zero-width space
    and joiners, soft hyphen, byte-order mark, word joiner), a combining mark (an
    accent once NFKD has split it off, the grapheme joiner, variation selectors)."""
    return unicodedata.category(char) in ("Cf", "Mn", "Me") or char in _BLANK_LETTERS
