"""What a reader sees: charts, tables, wording, prose, the notebook views, the Word copy, the Excel summary."""
