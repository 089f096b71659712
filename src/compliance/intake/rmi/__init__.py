"""RMI EMRT / CMRT / CRT workbook -> DD questionnaire document (see :mod:`.importer`)."""

from compliance.intake.rmi.importer import ImportResult, read_rmi_workbook

__all__ = ["ImportResult", "read_rmi_workbook"]
