"""The assessment engine (RULES §3–§5): scores, grades, rankings, exports."""
