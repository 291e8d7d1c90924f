"""Data in: the contract (schema), reading CSV and Excel (sources, workbook), validation, the typed Township."""
