"""One call for the web side: a case and a kind in, the file's bytes, type and name out."""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, Tuple

from bot.documents import content, pdf, word

FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def document_file(case: Dict[str, Any], kind: str, fmt: str, today: date) -> Tuple[bytes, str, str]:
    """(bytes, content type, file name). The name holds the case number only, nothing personal."""
    if fmt not in FORMATS:
        raise KeyError(fmt)
    document = content.build(kind, case, today)
    data = pdf.render(document) if fmt == "pdf" else word.render(document)
    return data, FORMATS[fmt], f"{case['case_no']}-{kind}.{fmt}"
