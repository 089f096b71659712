"""Emission-factor datasets: factors with id, value, source and validity, under one licence.

A dataset is a document (JSON or YAML, schema ``schemas/factor-dataset/1.0.0``) with an id, a
version, a licence and the GWP set its factors were characterised with. The bundled datasets live
in ``rules/cfp/datasets/``; users pass their own (``--factors FILE``). Lines refer to a factor as
``{"dataset": "<id>", "factorId": "<id>"}``; every result lists the datasets it used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Annotated

from pydantic import Field, PrivateAttr

from compliance.errors import ComplianceError, Issue
from compliance.models.base import IsoDate, LongText, Text, Url, WireModel
from compliance.models.quality import DataQuality
from compliance.models.quantity import QuantityField
from compliance.models.uncertainty import Uncertainty
from compliance.resources import list_resources, read_resource_bytes
from compliance.units import Dimension, Quantity
from compliance.validation.documents import load_document

__all__ = [
    "CO2_ONLY",
    "DatasetError",
    "DatasetFactor",
    "DatasetSource",
    "FactorDataset",
    "FactorLibrary",
    "bundled_datasets",
    "load_bundled_dataset",
    "parse_dataset",
]

DATASET_DIR = "rules/cfp/datasets"
DATASET_SCHEMA = "schemas/factor-dataset/1.0.0/schema.json"
CO2_ONLY = "co2-only"
"""GWP basis of datasets holding CO2-only factors (valid under every GWP set)."""

FactorValue = Annotated[
    Quantity,
    QuantityField(
        Dimension.EMISSION_PER_MASS,
        Dimension.EMISSION_PER_ENERGY,
        Dimension.EMISSION_PER_VOLUME,
        Dimension.EMISSION_PER_ITEM,
        Dimension.EMISSION_PER_TRANSPORT,
        signed=True,
    ),
]


class DatasetFactor(WireModel):
    """One factor of a dataset."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")]
    value: FactorValue
    source: LongText
    geography: Text | None = None
    valid_from: IsoDate | None = None
    valid_until: IsoDate | None = None
    data_quality: DataQuality | None = None
    uncertainty: Uncertainty | None = None


class DatasetSource(WireModel):
    """A file a dataset was imported from (an LCA database export the user licenses).

    Written by ``compliance factors import`` (:mod:`compliance.cfp.factor_import`); every CFP
    result that uses the dataset repeats it, so the export's digest travels with the numbers.
    """

    file: Text
    """The export's file name as given to the importer."""
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    """SHA-256 of the export's bytes."""
    layout: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")]
    """The export layout read, e.g. ``ecoinvent-cumulative-lcia`` or ``openlca-result-xlsx``."""
    indicator: Text
    """The impact indicator the factors were read from, as the export names it."""
    database: Text | None = None
    """The database and system model as the user declared it, e.g. "ecoinvent 3.10 cut-off"."""
    importer: Text
    """The program that converted it, e.g. "compliance 0.9.0"."""


class FactorDataset(WireModel):
    """A versioned, licensed collection of emission factors."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    version: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S+$")]
    title: Text
    publisher: Text | None = None
    licence: Text
    """SPDX identifier or the name of the terms (e.g. CC-BY-4.0)."""
    licence_url: Url | None = None
    attribution: LongText | None = None
    gwp_set: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")]
    """GWP100 set the factors were characterised with, or ``co2-only``."""
    notes: LongText | None = None
    imported_from: tuple[DatasetSource, ...] = ()
    """The LCA-database exports the dataset was converted from (empty for curated datasets)."""
    factors: tuple[DatasetFactor, ...]

    _origin: str = PrivateAttr(default="constructed in code")
    _sha256: str | None = PrivateAttr(default=None)

    @property
    def origin(self) -> str:
        """``bundled <path>``, ``file <name>`` or ``constructed in code``."""
        return self._origin

    @property
    def sha256(self) -> str | None:
        """SHA-256 of the bytes the dataset was parsed from (``None`` if built in code)."""
        return self._sha256

    @cached_property
    def index(self) -> dict[str, DatasetFactor]:
        """Factors by id."""
        return {factor.id: factor for factor in self.factors}

    @property
    def label(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"


class DatasetError(ComplianceError, ValueError):
    """A factor dataset file is broken (the issues say where)."""

    def __init__(self, name: str, issues: list[Issue]) -> None:
        super().__init__(f"factor dataset {name!r} is invalid: {issues[0].message}")
        self.name = name
        self.issues = issues


def _duplicate_ids(dataset: FactorDataset) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for i, factor in enumerate(dataset.factors):
        if factor.id in seen:
            issues.append(
                Issue(
                    "cfp.dataset-duplicate-id",
                    f"/factors/{i}/id",
                    f"factor id {factor.id!r} appears twice",
                )
            )
        seen.add(factor.id)
    return issues


def parse_dataset(data: bytes, name: str, *, origin: str | None = None) -> FactorDataset:
    """Parse a factor dataset (JSON or YAML) against the published ``factor-dataset`` schema.

    The dataset carries the SHA-256 of ``data`` and its origin (``file <name>`` unless given);
    every result that uses it records both.

    Raises:
        DatasetError: with every located issue.
    """
    dataset, issues = load_document(data, name=name, model=FactorDataset, schema=DATASET_SCHEMA)
    if dataset is not None:
        issues = _duplicate_ids(dataset)
    if dataset is None or issues:
        raise DatasetError(name, issues)
    dataset._origin = origin or f"file {name}"
    dataset._sha256 = hashlib.sha256(data).hexdigest()
    return dataset


def bundled_datasets() -> list[str]:
    """File names of the bundled datasets."""
    return list_resources(DATASET_DIR, (".json", ".yaml", ".yml"))


@lru_cache(maxsize=16)
def load_bundled_dataset(file_name: str) -> FactorDataset:
    """A bundled dataset by file name (cached)."""
    name = f"{DATASET_DIR}/{file_name}"
    return parse_dataset(read_resource_bytes(name), name, origin=f"bundled {name}")


class FactorLibrary:
    """The datasets available to one calculation, looked up by id (and optional version)."""

    def __init__(self, datasets: Iterable[FactorDataset]) -> None:
        self.datasets: dict[str, FactorDataset] = {}
        for dataset in datasets:
            self.datasets[dataset.id] = dataset  # later datasets (user files) win

    @classmethod
    def bundled(cls, extra: Iterable[FactorDataset] = ()) -> FactorLibrary:
        """The bundled datasets, overridden by ``extra`` datasets with the same id."""
        return cls([*(load_bundled_dataset(n) for n in bundled_datasets()), *extra])

    def get(self, dataset_id: str) -> FactorDataset | None:
        """A dataset by id."""
        return self.datasets.get(dataset_id)
