"""PACT v3 events (CloudEvents 1.0, structured mode) and their delivery to partners.

Incoming (``POST /3/events``, PACT v3 section 5; interop.md section 1.5): ``PublishedEvent.3``
(``data.pfIds``: UUIDs), ``RequestCreatedEvent.3`` (filters; answered asynchronously with a
``RequestFulfilledEvent.3`` carrying the matching footprints, or a ``RequestRejectedEvent.3`` with
``NotFound``), and the Fulfilled/Rejected answers to our own requests. Outgoing events are stored
in the outbox first, then delivered by an :class:`EventSender` (injectable; the default one
authenticates at the partner's ``/auth/token`` with client credentials, then POSTs the event to
the partner's ``/3/events``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from compliance.exchange.pact.values import parse_datetime
from compliance.service.pact.errors import PactCode, PactError

__all__ = [
    "FULFILLED",
    "PUBLISHED",
    "REJECTED",
    "REQUEST",
    "DeliveryError",
    "EventSender",
    "HttpEventSender",
    "check_event",
    "events_url",
    "new_event",
]

_PREFIX = "org.wbcsd.pact.ProductFootprint."
PUBLISHED = _PREFIX + "PublishedEvent.3"
REQUEST = _PREFIX + "RequestCreatedEvent.3"
FULFILLED = _PREFIX + "RequestFulfilledEvent.3"
REJECTED = _PREFIX + "RequestRejectedEvent.3"
TYPES = (PUBLISHED, REQUEST, FULFILLED, REJECTED)
MEDIA_TYPES = ("application/cloudevents+json", "application/json")


class DeliveryError(Exception):
    """An event could not be delivered (the message says why)."""


class EventSender(Protocol):
    """Delivers one event to a partner; raises :class:`DeliveryError` on failure."""

    def send(self, target: str, event: Mapping[str, Any]) -> None:
        """POST ``event`` to the partner named by ``target`` (a request event's ``source``)."""


def _bad(message: str) -> PactError:
    return PactError(PactCode.BAD_REQUEST, message)


def check_event(body: bytes, content_type: str | None) -> dict[str, Any]:
    """The event of a request body, or :class:`PactError` ``BadRequest`` saying what is wrong."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise _bad("send the event as application/cloudevents+json (structured mode)")
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _bad("the body is not JSON") from None
    if not isinstance(event, dict):
        raise _bad("the event must be a JSON object")
    if event.get("specversion") != "1.0":
        raise _bad("specversion must be '1.0'")
    for name in ("id", "source", "type"):
        if not isinstance(event.get(name), str) or not event[name].strip():
            raise _bad(f"{name} must be a non-empty string")
    if parse_datetime(event.get("time")) is None:
        raise _bad("time must be an RFC 3339 date-time (required by PACT v3)")
    if event["type"] not in TYPES:
        raise _bad(f"unsupported event type {event['type']!r}; this host takes {', '.join(TYPES)}")
    if not isinstance(event.get("data"), dict):
        raise _bad("data must be an object")
    data = event["data"]
    if event["type"] == PUBLISHED:
        ids = data.get("pfIds")
        if not isinstance(ids, list) or not ids:
            raise _bad("data.pfIds must be a non-empty list of footprint ids")
        for value in ids:
            try:
                uuid.UUID(str(value))
            except ValueError:
                raise _bad(f"data.pfIds: {value!r} is not a UUID") from None
    elif event["type"] in (FULFILLED, REJECTED):
        if not isinstance(data.get("requestEventId"), str):
            raise _bad("data.requestEventId must be a string")
        if event["type"] == FULFILLED and (
            not isinstance(data.get("pfs"), list) or not data["pfs"]
        ):
            raise _bad("data.pfs must be a non-empty list of footprints")
        if event["type"] == REJECTED:
            error = data.get("error")
            if not isinstance(error, dict) or not isinstance(error.get("code"), str):
                raise _bad("data.error must be an object with a code")
    return event


def events_url(source: str, *, https_only: bool) -> str:
    """Where to send the answer to a request event from ``source``; BadRequest if unusable."""
    parts = urlsplit(source)
    allowed = ("https",) if https_only else ("https", "http")
    if parts.scheme not in allowed or not parts.netloc or parts.username or parts.password:
        raise _bad(
            f"source {source!r} is not an absolute {' or '.join(allowed)} URL this host can answer"
        )
    base = source.rstrip("/")
    return base if base.endswith("/3/events") else f"{base}/3/events"


def new_event(kind: str, source: str, data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A new outgoing event."""
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "type": kind,
        "datacontenttype": "application/json",
        "data": dict(data),
    }


class HttpEventSender:
    """Delivers events over HTTPS: token from the partner, then ``POST .../3/events``.

    The partner's token endpoint is found by OpenID discovery (``/.well-known/openid-
    configuration``) with ``/auth/token`` as the fallback (PACT v2.1+ authentication flow).
    """

    def __init__(
        self, client_id: str | None, client_secret: str | None, *, timeout: float = 10.0
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout

    def _token(self, client: Any, base: str) -> str:
        token_url = f"{base}/auth/token"
        discovery = client.get(f"{base}/.well-known/openid-configuration")
        if discovery.status_code == 200:
            found = discovery.json().get("token_endpoint")
            if isinstance(found, str):
                token_url = found
        answer = client.post(
            token_url,
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.client_secret),
        )
        if answer.status_code != 200:
            raise DeliveryError(f"{token_url} answered {answer.status_code} to our credentials")
        token = answer.json().get("access_token")
        if not isinstance(token, str):
            raise DeliveryError(f"{token_url} gave no access_token")
        return token

    def send(self, target: str, event: Mapping[str, Any]) -> None:
        """Deliver one event (no retry here; the outbox keeps a failed one)."""
        import httpx

        if not self.client_id or not self.client_secret:
            raise DeliveryError(
                "no credentials for partners' token endpoints: set COMPLIANCE_PACT_CALLBACK_"
                "CLIENT_ID and COMPLIANCE_PACT_CALLBACK_CLIENT_SECRET"
            )
        base = target[: -len("/3/events")] if target.endswith("/3/events") else target
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
                token = self._token(client, base)
                answer = client.post(
                    target,
                    content=json.dumps(event).encode("utf-8"),
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/cloudevents+json; charset=UTF-8",
                    },
                )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{target}: {exc}") from None
        if not 200 <= answer.status_code < 300:
            raise DeliveryError(f"{target} answered {answer.status_code}")
