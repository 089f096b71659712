"""The DD rule language: rule files, their compilation, reference tables, lint and rule cases.

Rule files (loader) compiled into a catalogue (compiler, conditions, answers, policies), the
reference tables, the catalogue lint and rule cases. Nothing here scores a questionnaire;
``compliance.dd.engine`` does (rule cases run it).
"""
