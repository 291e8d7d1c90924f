"""The report as a Word document (report.docx) in 公文 form (GB/T 9704): how python-docx lays out the document model.

What the document says is :mod:`helpers.report.document`; here are its fonts and page (:mod:`.settings`), the
page set-up, styles and page numbers (:mod:`.page`), and the writer of the model's parts (:mod:`.writer`).
"""
