"""Fuzz harness: mutated submissions and questionnaires through every command's library entry point.

See :mod:`tests.fuzz.test_fuzz_pipeline` for the properties checked and how to run a long campaign.
"""
