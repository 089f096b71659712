"""Excel forms of the supplier submission and the DD questionnaire: write, and read back."""
