"""Make any text the NLU can read: one script, no control characters, a bounded length.

Plain Python (no Rasa). `normalise_script` only does what keeps every character's position, so
annotated entity offsets stay valid (it also folds names for matching: employer keys, places);
`clean_for_parse` may also drop and cut.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from functools import lru_cache
from typing import List, Tuple

from bot.text.typos import fix_typos

# A worker's complaint is told in its first sentences; parsing 100 KB would only cost time.
DEFAULT_MAX_CHARS = 1000
# The longest message a channel passes on (bot/channels/rest.py cuts there): the actions read it all.
WHOLE_MESSAGE_CHARS = 2000

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(rf"[{_CJK}]")


@lru_cache(maxsize=1)
def _translation_table() -> dict:
    table: dict = {}
    # Traditional → simplified, one character for one, so offsets never move.
    source = importlib.resources.files("opencc").joinpath("dictionary/TSCharacters.txt")
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            trad, simp = parts[0], parts[1].split(" ")[0]
            if len(trad) == 1 and len(simp) == 1:
                table[ord(trad)] = simp
    # Full-width ASCII (１２３, ＡＢＣ) → half-width; the ideographic space → space.
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for ch in _ZERO_WIDTH:
        table[ord(ch)] = " "
    return table


def _replace_unprintable(text: str) -> str:
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        # Cc control, Cs lone surrogates (from broken JSON), Co private use: never meaningful.
        if cat in ("Cc", "Cs", "Co") and ch not in "\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalise_script(text: str) -> str:
    """Simplified script, half-width digits; same length as the input."""
    if not text:
        return ""
    return _replace_unprintable(text.translate(_translation_table()))


def clean_with_offsets(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> Tuple[str, List[int]]:
    """What the NLU reads of a user's message, and where each of its characters came from.

    Cleaned as `normalise_script`, spaces inside Chinese dropped, other runs of spaces made
    one, cut to `max_chars`. `offsets[i]` is the index in `text` of the cleaned text's i-th
    character, so an entity found in the cleaned text can be given back as the user wrote it.
    """
    if not text:
        return "", []
    text = str(text)[: max_chars * 4]
    # Typo fixes keep every position, so the offsets below still point into the worker's text.
    converted = fix_typos(normalise_script(text))
    chars: List[str] = []
    offsets: List[int] = []
    i, n = 0, len(converted)
    while i < n:
        if not converted[i].isspace():
            chars.append(converted[i])
            offsets.append(i)
            i += 1
            continue
        j = i
        while j < n and converted[j].isspace():
            j += 1
        between_cjk = chars and j < n and _is_cjk(chars[-1]) and _is_cjk(converted[j])
        if chars and j < n and not between_cjk:
            chars.append(" ")
            offsets.append(i)
        i = j
    return "".join(chars[:max_chars]), offsets[:max_chars]


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def clean_for_parse(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """What the NLU reads of a user's message: cleaned, spaces inside Chinese dropped, cut."""
    return clean_with_offsets(text, max_chars)[0]
