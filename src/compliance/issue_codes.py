"""The catalogue of issue codes. Codes are API: stable, documented, and listed in the docs.

``schema.<keyword>`` codes keep the JSON Schema keyword spelling; ``model.<type>`` codes are
pydantic error types (they only appear if the models reject something the schema accepted);
everything else is ours, lower-case kebab after the layer prefix. ``tests/contract/test_docs.py``
checks that ``docs/reference/issue-codes.md`` (generated from this table) lists every code, and
the tests check that they never see a code missing here.
"""

from __future__ import annotations

__all__ = ["ISSUE_CODES", "is_documented"]

ISSUE_CODES: dict[str, str] = {
    # io: reading the input
    "io.too-large": "The file is larger than the configured limit (--max-file-size).",
    "io.unreadable": "The file could not be read (permissions, I/O error).",
    "internal.error": "An unexpected engine error on this file (please report it).",
    # document kind (issue 17)
    "document.wrong-kind": "The document is of another kind than the command reads (a DD questionnaire given to cfp ...); the message names the command to use.",
    # xlsx: the Excel submission and questionnaire templates (issue 17)
    "xlsx.unreadable": "The workbook cannot be opened (damaged, encrypted, legacy .xls, too large).",
    "xlsx.missing-sheet": "A sheet of the template is missing (renamed or deleted), or its header row was changed.",
    "xlsx.bad-value": "A cell holds a value of the wrong type (text in a number column, an unknown unit); the cell is named.",
    "xlsx.unknown-column": "A column header the template does not have; its cells would be lost, so they are refused.",
    "xlsx.unknown-field": "A form row whose pointer the template does not have (its value would be lost).",
    "xlsx.unknown-sheet": "A sheet the template does not have, with content (it would be lost).",
    # parse
    "parse.empty": "The file is empty.",
    "parse.binary": "The file is binary (contains NUL bytes).",
    "parse.encoding": "The file is not UTF-8 (UTF-16/32, Latin-1 ...), or a JSON string escapes a lone surrogate.",
    "parse.invalid-json": "Malformed JSON, with line and column.",
    "parse.invalid-yaml": "Malformed YAML, with line and column.",
    "parse.duplicate-key": "A key appears twice in one object.",
    "parse.yaml-alias": "YAML anchors/aliases (refused; also stops alias bombs).",
    "parse.too-deep": "Nesting deeper than the configured depth limit.",
    "parse.non-finite": "NaN, Infinity or a number too large for a float.",
    "parse.unsafe-integer": "An integer outside +/-(2**53 - 1), the I-JSON range a sealed passport can hold.",
    "parse.non-string-key": "A YAML mapping key that is not a string.",
    "parse.unsupported-type": "A YAML value JSON cannot represent (timestamp, binary, set).",
    # schema (JSON Schema keywords)
    "schema.type": "Wrong JSON type (e.g. a number given as a string).",
    "schema.required": "A required field is missing; the pointer and the message name the field (wire name and label).",
    "schema.additionalProperties": "An unknown field, with a did-you-mean hint.",
    "schema.enum": "A value outside the allowed list, with a did-you-mean hint.",
    "schema.const": "A fixed value differs (e.g. an unsupported schemaVersion).",
    "schema.pattern": "A string of the wrong form (quantity, identifier, date).",
    "schema.format": "An invalid date.",
    "schema.minimum": "A number below its minimum (e.g. a negative mass).",
    "schema.maximum": "A number above its maximum (e.g. a share above 1).",
    "schema.exclusiveMinimum": "A number at or below an exclusive minimum (e.g. zero cycles per year).",
    "schema.minItems": "A list with fewer items than required.",
    "schema.maxItems": "A list with more items than allowed.",
    "schema.minLength": "An empty string.",
    "schema.maxLength": "A string longer than allowed.",
    "schema.oneOf": "A value matching none of the alternatives.",
    "schema.anyOf": "A value matching none of the alternatives.",
    # units and quantities (model layer)
    "units.undefined": "A unit the project registry does not define (e.g. 'kgs', 'furlong').",
    "units.dimensionality": "A unit of the wrong dimension (e.g. 'kWh' for a mass).",
    "units.invalid": "A unit string that is not a unit expression.",
    "quantity.not-finite": "A quantity value that is not a finite number.",
    "quantity.format": "A quantity string that is not '<number> <unit>'.",
    "quantity.type": "A quantity given as neither a string nor a {value, unit} object.",
    "quantity.negative": "A negative value where only zero or more is allowed.",
    "quantity.missing": "A quantity object without 'value' or 'unit'.",
    "quantity.extra": "A quantity object with keys other than 'value' and 'unit'.",
    "quantity.value-type": "A quantity value that is not a number.",
    "quantity.unit-type": "A quantity unit that is not a non-empty string.",
    "quantity.too-long": "A quantity string or unit longer than allowed (200 / 100 characters).",
    "quantity.out-of-range": "A quantity whose size in its canonical unit is not 0 or within 1e-15 to 1e15.",
    "country.unknown": "Not an ISO 3166-1 alpha-2 country code.",
    "country.type": "A country code that is not a string.",
    # semantic
    "semantic.zero-quantity": "A rating or warranty that must be above zero is zero.",
    "semantic.usable-energy-exceeds-nominal": "Usable BoL energy above the nominal energy.",
    "semantic.nominal-energy-mismatch": "Nominal energy differs from capacity x voltage (warning).",
    "semantic.implausible-specific-energy": "Energy per mass outside 15-400 Wh/kg (warning).",
    "semantic.vehicle-class-missing": "An EV battery without its vehicle class.",
    "semantic.vehicle-class-not-applicable": "A vehicle class on a non-EV battery (warning).",
    "semantic.chemistry-description-missing": "Chemistry 'other' without a description.",
    "semantic.external-storage-not-applicable": "externalStorageOnly on a non-industrial battery.",
    "semantic.warranty-missing": "No warranty period or distance (error for EV, else warning).",
    "semantic.period-order": "A period that ends before it starts.",
    "semantic.duplicate-id": "A line id used twice in the document.",
    "semantic.empty-inventory": "Neither bill-of-materials lines nor purchased components.",
    "semantic.bom-mass-exceeds-battery": "BOM lines weigh more than the battery (warning).",
    "semantic.cff-rates-exceed-one": "CFF R2 + R3 above 1.",
    "semantic.cff-allocation-outside-range": "CFF A outside the PEF range 0.2-0.8 (warning).",
    "semantic.stage-split-sum": "A PCF stage split that does not sum to the PCF.",
    "semantic.negative-stage": "A negative PCF stage other than end of life.",
    "semantic.electricity-factor-missing": "On-site/direct-line electricity without a factor.",
    "semantic.schema-hint": "The $schema editor hint names another schema or version (warning).",
    "semantic.eol-factor-missing": "An end-of-life treatment without a treatment factor or recycler's result.",
    "semantic.eol-factor-and-result": "An end-of-life treatment with both a treatment factor and a recycler's result.",
    "semantic.eol-double-count": "Material CFF end of life and whole-battery treatment both given (warning).",
    "semantic.override-unjustified": "A functional-unit override without a justification.",
    "semantic.conformity-id-mismatch": "The CFP declaration and the passport name different EU declarations of conformity.",
    "semantic.uncertainty-bounds": "A uniform/triangular spread whose bounds are not ordered.",
    # carbon footprint calculation
    "cfp.factor-missing": "A line (or CFF parameter) needs an emission factor that is not given or not in the dataset.",
    "cfp.dataset-unknown": "A factor reference names a dataset that is not loaded.",
    "cfp.dataset-version": "A factor reference pins another dataset version than the one loaded.",
    "cfp.dataset-duplicate-id": "A factor dataset lists the same factor id twice.",
    "cfp.default-factor": "A ruleset default factor was used for a line without its own (warning).",
    "cfp.gwp-mixed": "A factor characterised with another GWP set than the study's.",
    "cfp.gwp-basis-tolerated": "A dataset on another GWP basis, tolerated by the ruleset (warning).",
    "cfp.gwp-override": "The study uses another GWP set than the ruleset's (warning).",
    "cfp.gwp-missing": "The GWP set has no value for a gas.",
    "cfp.factor-outdated": "A factor whose validity ended before the calculation date.",
    "cfp.input-not-used": "A given field the method does not use, and why (info; warning for a grid line's own factor).",
    "cfp.choice-override": "A method choice taken from another ruleset than the one named (warning).",
    "cfp.eol-credits-not-allowed": "A recycler's result with credits under a cut-off ruleset.",
    "cfp.factor-not-yet-valid": "An inline factor whose validity starts after the calculation date (warning).",
    "cfp.specific-factor-missing": "On-site/direct-line electricity without its factor: grid mix used (warning).",
    "cfp.instrument-ignored": "A PPA/GO/contract counted at the grid mix under the ruleset (info).",
    "cfp.residual-mix-unavailable": "No residual-mix dataset: grid mix used instead (warning).",
    "cfp.component-split-missing": "A PCF without stage split assigned whole to one stage (warning).",
    "cfp.eol-not-modelled": "Material lines without end-of-life parameters (warning).",
    "cfp.category-not-covered": "The ruleset does not cover the battery category (error unless justified).",
    "cfp.ruleset-not-effective": "The calculation date is outside the ruleset's effective dates (warning).",
    "cfp.fu-cycles-missing": "No cycles per year: vehicle class missing and no justified override.",
    "cfp.fu-service-life-missing": "No warranty period or distance for the service life.",
    "cfp.fu-conversion-missing": "A km warranty cannot be converted to years (no vehicle class/constant).",
    "cfp.fu-input-missing": "An input the ruleset's functional unit needs is missing.",
    "cfp.fu-override": "A justified functional-unit override was applied (warning).",
    "cfp.fu-zero": "The functional unit is zero.",
    "cfp.non-finite": "A sum or result beyond the range of a number (a guard behind validation's bounds).",
    "cfp.outside-envelope": "The declared value is outside the ruleset's plausible range (warning).",
    "passport.item-missing": "A passport needs the individual battery (passport.item: serial number, date, status).",
    "passport.identity-conflict": "Contradictory identity data (two values for one identifier scheme, battery id vs GTIN and serial, CFP result of another model, self-predecessor).",
    "passport.gtin-invalid": "A GTIN with a wrong check digit.",
    "passport.gtin-serial-unusable": "With a GTIN, a serial GS1 AI (21) cannot hold (over 20 characters or outside character set 82): no GS1 identifier is made (warning).",
    "passport.predecessor-missing": "A repurposed, re-used or remanufactured battery without its predecessor passport(s) (Art. 77(7)).",
    "passport.predecessor-unexpected": "An original battery listing predecessor passports.",
    "passport.export-identifier-missing": "A Catena-X export without the BPNL/BPNA numbers it needs.",
    "rules.id-mismatch": "A bundled rule file's id differs from its file name.",
    "validation.semantic-skipped": "Cross-field checks skipped: structural errors first (info).",
    # dd: questionnaire checks against the catalogue, and scoring
    "dd.unknown-question": (
        "An answer to a question id the catalogue does not have (did-you-mean hint)."
    ),
    "dd.question-not-answerable": (
        "A step-0 item (S-01...) answered in /answers instead of its section."
    ),
    "dd.question-not-in-force": (
        "A question not in force on the scoring date; the answer is ignored (warning)."
    ),
    "dd.answer-type": "An answer of the wrong type (a number for a choice, a string for a list).",
    "dd.answer-out-of-range": "A percentage outside 0-100 or a negative number.",
    "dd.unknown-option": "A choice or list option the question does not offer (did-you-mean hint).",
    "dd.not-applicable-not-allowed": (
        "'not applicable' for a question that cannot be (e.g. child labour)."
    ),
    "dd.justification-missing": "'not-applicable' without a justification in the comment.",
    "dd.duplicate-answer": "The same question (and material) answered twice.",
    "dd.material-not-allowed": "A material on a question answered once for the company.",
    "dd.material-not-declared": "An answer, processor or mine for a material not in /materials.",
    "dd.material-not-in-scope": "An answer for a material declared absent (present: 'no').",
    "dd.absent-material-details": "A material declared absent with forms or a recycled share.",
    "dd.unknown-evidence": (
        "An evidence id that is not in the evidence register (did-you-mean hint)."
    ),
    "dd.duplicate-id": "An evidence, processor or mine id used twice.",
    "dd.duplicate-material": "A material declared twice in /materials.",
    "dd.date-in-future": "An effective, period-end or issue date after the scoring date.",
    "dd.period-order": "A reporting period that ends before it starts.",
    "dd.evidence-dates": "Evidence valid until a date before it was issued.",
    "dd.unknown-processor": "A mine referring to a processor id that is not listed.",
    "dd.percent-fraction": "A percentage between 0 and 1, probably a fraction (warning).",
    "dd.answer-missing": "A required question left unanswered: 0 points, incomplete (warning).",
    # rules: rule files, rule cases, lint
    "rules.unreadable": "A rule file cannot be read.",
    "rules.wrong-kind": "A rule file holds another kind of file than the catalogue expects there.",
    "rules.step-mismatch": "A step file's 'step' differs from the catalogue's list.",
    "rules.answer-type": "A question's answer type is unknown or its adjustments do not fit it.",
    "rules.unknown-source": "A source that does not start with a reference key of catalogue.yaml.",
    "rules.unknown-tag": "A question tagged with an unknown risk category.",
    "rules.condition": (
        "A condition naming an unknown question, fact or option, or a misfit operator."
    ),
    "rules.duplicate-id": "A question, red-flag or contradiction id defined twice.",
    "rules.unknown-question": "A binding or effect naming an unknown question.",
    "rules.levels": "Maturity levels not numbered 1, 2, ... with increasing minimum scores.",
    "rules.risk-bands": "Risk bands without increasing limits and a last open band.",
    "rules.weights": "Category-score weights that do not add up to 1.",
    "rules.evidence-order": (
        "Evidence factors not ordered third-party > documentary > self-declared >= invalid."
    ),
    "rules.weight-sum": (
        "Question weights of a step that do not add up to its weight (lint warning)."
    ),
    "rules.unused": "An answer type or category nothing uses (lint warning).",
    "rules.unmapped": "A cell chemistry missing from the chemistry table (lint warning).",
    "rules.translation-unknown-question": "A translation of a question not in the catalogue.",
    "rules.translation-missing": "Questions without a translation (lint warning).",
    "rules.translation-version": "A translation made for another catalogue version (lint warning).",
    "rules.case-invalid": "A malformed rule case (missing keys, bad date, not a list).",
    # rmi: RMI EMRT/CMRT/CRT workbook import (located at sheet and cell)
    "rmi.not-a-workbook": "The file is not an .xlsx workbook.",
    "rmi.encrypted": "The workbook is password-protected (encrypted).",
    "rmi.legacy-format": "A legacy .xls (OLE) workbook; save as .xlsx.",
    "rmi.too-large": "The workbook inflates beyond 64 MiB or holds more than 600,000 cells (bomb protection).",
    "rmi.corrupted": "The workbook is damaged, its XML malformed, or it cannot be read.",
    "rmi.unknown-template": "Not an RMI EMRT, CMRT or CRT workbook (another template or file).",
    "rmi.unknown-version": "The template revision cannot be found.",
    "rmi.prerelease-version": (
        "A pre-release template (letters in the version), refused as RMI advises."
    ),
    "rmi.unsupported-version": "A template or version without a layout (e.g. AMRT, CMRT 5.x, a future major).",
    "rmi.required-cell": "A required cell is empty (sheet and cell given).",
    "rmi.unknown-value": "An answer that is not one of the template's spellings; left out (warning).",
    "rmi.unknown-mineral": "A mineral or metal name that is not recognised (warning).",
    "rmi.unknown-country": "A country name that is not recognised; left out (warning).",
    "rmi.invalid-email": "A cell that should hold an e-mail address does not (warning).",
    "rmi.date": "A date that cannot be read unambiguously, or after the scoring date.",
    "rmi.missing-url": "Question B is 'Yes' without a policy URL in the comment (warning).",
    "rmi.not-mapped": "Information the template does not give (e.g. the supplier's role) (info).",
    "rmi.invalid-output": "The imported data do not form a valid questionnaire.",
    "rmi.unsafe-xml": "A workbook part declares a DOCTYPE or entities (external entities); refused unread.",
    "rmi.not-applicable": "An answer in a row the template greys out (RMI's gating); ignored, not scored (info).",
    "rmi.unverified-version": "A later revision of a known major version, read with the newest layout (warning).",
    "rmi.older-template": "An older template (EMRT 1.x, CRT): what it lacks is blank, the import incomplete (info).",
}
"""Every issue code the engine emits, with a one-line description."""


def is_documented(code: str) -> bool:
    """True for catalogued codes and for the ``model.<pydantic type>`` family."""
    return code in ISSUE_CODES or code.startswith("model.")
