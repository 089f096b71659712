"""Exports of a passport to third-party models (Battery Pass 1.2.0, Catena-X battery_pass 6.1.0)."""

from compliance.passport.exports.batterypass import export_batterypass
from compliance.passport.exports.catenax import export_catenax
from compliance.passport.exports.common import Deviation, DeviationKind, ExportResult

__all__ = ["Deviation", "DeviationKind", "ExportResult", "export_batterypass", "export_catenax"]
