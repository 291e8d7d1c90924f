"""Data in, as it flows: the contract (schema), reading, normalise, validation, township; report_profile; workbook."""
