"""What one running app holds: settings, database, signing key, loaded CFP choices, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Request

from compliance.service.database import Database
from compliance.service.settings import ServiceSettings

if TYPE_CHECKING:
    from compliance.pipeline import CfpSetup

__all__ = ["DEFAULT_RULESET", "Service", "get_service", "load_setup"]

DEFAULT_RULESET = "eu-da-2024-draft"


def _now() -> datetime:
    return datetime.now(UTC)


@lru_cache(maxsize=32)
def load_setup(ruleset: str, gwp: str | None, choices: tuple[tuple[str, str], ...]) -> CfpSetup:
    """The CFP setup of bundled choices (cached; the setups are immutable).

    Raises:
        UnknownRulesetError, UnknownGwpSetError, ChoiceError: an unknown choice (the caller
            answers 422).
    """
    from compliance.cfp.datasets import FactorLibrary
    from compliance.cfp.gwp import load_gwp_set
    from compliance.cfp.rulesets import compose_ruleset, load_ruleset
    from compliance.pipeline import CfpSetup

    base = compose_ruleset(load_ruleset(ruleset), dict(choices))
    return CfpSetup(base, FactorLibrary.bundled(), load_gwp_set(gwp) if gwp else None)


@dataclass
class Service:
    """The state of one app (``app.state.service``)."""

    settings: ServiceSettings
    db: Database
    key: Ed25519PrivateKey
    clock: Callable[[], datetime] = field(default=_now)

    def now(self) -> datetime:
        """The current time (UTC)."""
        return self.clock()

    def today(self) -> date:
        """Today's date (UTC): the default ``as_of`` of validation and calculations."""
        return self.now().date()


def get_service(request: Request) -> Service:
    """Dependency: the app's :class:`Service`."""
    service = request.app.state.service
    assert isinstance(service, Service)
    return service
