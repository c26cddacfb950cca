"""A Document as .docx, for a station to edit before printing (python-docx)."""

from __future__ import annotations

import io

from bot.documents.content import ROSTER_NOTE, Document

LINE = "＿＿＿＿＿＿"
FONT = "宋体"


def render(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Docx()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    # Word picks the East Asian font from its own attribute, not from font.name.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(document.title)
    run.bold, run.font.size = True, Pt(20)
    for party in document.parties:
        doc.add_paragraph().add_run(party.role).bold = True
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in party.fields:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value or LINE
    doc.add_paragraph().add_run("请求事项").bold = True
    for i, claim in enumerate(document.claims, start=1):
        doc.add_paragraph(f"{i}. {claim.text}")
        doc.add_paragraph(f"依据：{claim.basis}").runs[0].font.size = Pt(10)
    doc.add_paragraph().add_run("事实和理由").bold = True
    doc.add_paragraph(document.facts)
    doc.add_paragraph().add_run("证据和证据来源").bold = True
    for line in document.evidence:
        doc.add_paragraph(line)
    doc.add_paragraph().add_run("证人").bold = True
    for line in document.witnesses:
        doc.add_paragraph(line)
    doc.add_paragraph(document.addressee)
    for line in document.closing:
        doc.add_paragraph(line)
    if document.roster:
        doc.add_page_break()
        doc.add_paragraph().add_run("劳动者名单").bold = True
        doc.add_paragraph(ROSTER_NOTE).runs[0].font.size = Pt(10)
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ["序号", "姓名", "电话", "金额（元）", "月数", "代表"]):
            cell.text = text
        for n, worker in enumerate(document.roster, start=1):
            cells = table.add_row().cells
            values = [
                str(n),
                worker.get("name") or "",
                worker.get("phone") or "",
                f"{worker['amount']:g}" if worker.get("amount") else "",
                f"{worker['months']:g}" if worker.get("months") else "",
                "是" if worker.get("representative") else "",
            ]
            for cell, text in zip(cells, values):
                cell.text = text
    doc.add_page_break()
    for i, line in enumerate(document.how_to_file):
        paragraph = doc.add_paragraph()
        paragraph.add_run(line).bold = i == 0
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
