"""Reading a township folder's files as text: CSV, one Excel workbook in their place, and guarded YAML."""
