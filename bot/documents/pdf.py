"""A Document as an A4 PDF a worker can sign and hand in (reportlab; the font is embedded)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from bot.documents import fonts
from bot.documents.content import ROSTER_NOTE, Document

LINE = "＿＿＿＿"


def render(document: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = fonts.registered()
    body = ParagraphStyle("body", fontName=font, fontSize=11.5, leading=18, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=9.5, leading=14, textColor=colors.HexColor("#444444"))
    title = ParagraphStyle("title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=8)
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=8, spaceAfter=2)

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text), style)

    story = [p(document.title, title)]
    for party in document.parties:
        story.append(p(party.role, heading))
        rows = [[p(label, small), p(value or LINE * 3)] for label, value in party.fields]
        table = Table(rows, colWidths=[42 * mm, 128 * mm])
        table.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        )
        story.append(table)
    story.append(p("请求事项", heading))
    for i, claim in enumerate(document.claims, start=1):
        story += [p(f"{i}. {claim.text}"), p(f"依据：{claim.basis}", small)]
    story += [p("事实和理由", heading), p(document.facts)]
    story += [p("证据和证据来源", heading), *[p(e) for e in document.evidence]]
    story += [p("证人", heading), *[p(w) for w in document.witnesses]]
    story.append(Spacer(1, 6 * mm))
    signed = ParagraphStyle("signed", parent=body, alignment=TA_RIGHT, spaceBefore=4)
    story += [p(document.addressee)]
    story += [p(line, small if line.startswith("附") else signed) for line in document.closing]
    if document.roster:
        story += [PageBreak(), p("劳动者名单", heading), p(ROSTER_NOTE, small)]
        header = ["序号", "姓名", "电话", "金额（元）", "月数", "代表"]
        rows = [[p(h, small) for h in header]]
        for n, worker in enumerate(document.roster, start=1):
            rows.append(
                [
                    p(str(n)),
                    p(worker.get("name") or LINE),
                    p(worker.get("phone") or LINE),
                    p(f"{worker['amount']:g}" if worker.get("amount") else LINE),
                    p(f"{worker['months']:g}" if worker.get("months") else LINE),
                    p("是" if worker.get("representative") else ""),
                ]
            )
        table = Table(rows, colWidths=[14 * mm, 32 * mm, 38 * mm, 32 * mm, 18 * mm, 16 * mm])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey)]))
        story.append(table)
    story += [PageBreak()] + [p(line, heading if i == 0 else body) for i, line in enumerate(document.how_to_file)]

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=document.title,
        author="工友助手",
    ).build(story)
    return out.getvalue()
