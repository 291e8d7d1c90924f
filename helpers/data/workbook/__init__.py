"""The Excel round trip: the template and export written, a filled workbook imported, CSVs written back in style."""
