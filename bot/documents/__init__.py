"""Ready-to-file documents from a case (contract §7): 劳动人事争议仲裁申请书, 劳动保障监察投诉书 and
调解申请书, as PDF (A4, Chinese font embedded) and .docx, each with a page on how to file it.

content.py decides what a document says (pure: a case in, a Document out); pdf.py and word.py
only lay it out. Nothing here reads a database or the network.
"""
