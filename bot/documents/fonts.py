"""The Chinese font embedded in every PDF: Debian's WenQuanYi Zen Hei (`make run` installs it),
or the TrueType file GONGYOU_DOCUMENT_FONT names."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Set

from bot import settings

NAME = "GongYouCJK"
CANDIDATES = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


class FontMissing(RuntimeError):
    """No Chinese font on this machine: documents cannot be drawn (the web side answers 503)."""


def font_path() -> Path:
    for candidate in (settings.document_font(), *CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("no Chinese TrueType font found; install fonts-wqy-zenhei or set GONGYOU_DOCUMENT_FONT")


@lru_cache(maxsize=1)
def registered() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(NAME, str(font_path()), subfontIndex=0))
    return NAME


def missing_glyphs(text: str) -> Set[str]:
    """Characters of `text` the font cannot draw (they would print as empty boxes)."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(registered()).face
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in face.charToGlyph}
