"""The DD scorer: questionnaire checks, facts, evidence, scores, flags, risk and the result.

Catalogue checks of a questionnaire, facts, evidence, contradictions, question and step scores,
red flags, gates, risk and the result (``score_questionnaire``).
"""
