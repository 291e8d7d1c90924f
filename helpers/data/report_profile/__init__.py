"""The report profile (report.yaml): a township's areas, their sections, its rules and how it names itself."""
