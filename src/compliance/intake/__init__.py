"""Readers of supplier data in other formats, turned into the project's own documents.

Readers sit beside validation: they take bytes and the reference data they need (passed in),
and return a document plus located issues. ``rmi`` reads RMI EMRT / CMRT / CRT workbooks.
"""
