"""Battery passport: Annex XIII content, access levels, completeness, identifiers, integrity."""
