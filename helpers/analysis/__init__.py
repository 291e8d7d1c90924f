"""Analysis: pure functions from a Township and a month to frames and facts; no wording, no display."""
