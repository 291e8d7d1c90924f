"""The report's prose: facts of the month, what each template is handed, the templates, the sections they make."""
