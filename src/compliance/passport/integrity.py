"""Versions, digests and signatures of passports.

Every version of a passport is an immutable document: the passport, its version number, the
digest of the previous version, its own SHA-256 digest over the canonical JSON (RFC 8785, JSON
Canonicalization Scheme) of everything but the digest and signature, and an optional Ed25519
signature of that digest. The document is stored in its canonical form, so verification can
detect any altered byte: a file that is not exactly the canonical serialisation of its content
fails, as does a wrong digest or signature.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Annotated, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import Field, ValidationError

from compliance.models.base import WireModel
from compliance.passport.canonical import CanonicalizationError, canonical_json
from compliance.passport.model import Passport
from compliance.passport.small_order import is_small_order

__all__ = [
    "PassportDocument",
    "Sealed",
    "Signature",
    "Verification",
    "canonical_bytes",
    "digest_of",
    "seal",
    "seal_bytes",
    "verify",
]

Digest = Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]


class Signature(WireModel):
    """An Ed25519 signature of the document digest."""

    algorithm: str = "Ed25519"
    public_key: str
    """Raw 32-byte public key, base64."""
    value: str
    """64-byte signature of the UTF-8 digest string, base64."""


class PassportDocument(WireModel):
    """One immutable version of a passport."""

    passport: Passport
    version: Annotated[int, Field(ge=1)]
    previous_digest: Digest | None = None
    digest: Digest
    signature: Signature | None = None


def canonical_bytes(data: Any) -> bytes:
    """RFC 8785 canonical JSON of JSON-compatible data."""
    return canonical_json(data)


def digest_of(data: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``data``."""
    return "sha256:" + hashlib.sha256(canonical_bytes(data)).hexdigest()


def _content(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in ("digest", "signature")}


@dataclass(frozen=True, slots=True)
class Sealed:
    """A sealed version and its canonical bytes (what is stored and verified)."""

    document: PassportDocument
    data: bytes


def seal_bytes(
    passport: Passport,
    *,
    previous: PassportDocument | None = None,
    key: Ed25519PrivateKey | None = None,
) -> Sealed:
    """A new version and its stored bytes, canonicalising the passport only once.

    The document's members in JCS order are digest, passport, previousDigest, signature and
    version, so the canonical texts of the body (what the digest covers) and of the whole
    document are spliced from one canonical passport text.
    """
    version = previous.version + 1 if previous else 1
    link = previous.digest if previous else None
    passport_text = canonical_json(passport.model_dump(mode="json"))
    link_text = canonical_bytes(link)
    tail = b',"version":' + str(version).encode() + b"}"
    body = hashlib.sha256(b'{"passport":')  # the body's text, fed in pieces (no copies)
    for piece in (passport_text, b',"previousDigest":', link_text, tail):
        body.update(piece)
    digest = "sha256:" + body.hexdigest()
    signature = None
    signature_text = b',"signature":null'
    if key is not None:
        raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        signature = Signature(
            public_key=base64.b64encode(raw).decode(),
            value=base64.b64encode(key.sign(digest.encode())).decode(),
        )
        signature_text = b',"signature":' + canonical_bytes(signature.model_dump(mode="json"))
    data = b"".join(
        (
            b'{"digest":"',
            digest.encode(),
            b'","passport":',
            passport_text,
            b',"previousDigest":',
            link_text,
            signature_text,
            tail,
        )
    )
    document = PassportDocument(
        passport=passport,
        version=version,
        previous_digest=link,
        digest=digest,
        signature=signature,
    )
    return Sealed(document, data)


def seal(
    passport: Passport,
    *,
    previous: PassportDocument | None = None,
    key: Ed25519PrivateKey | None = None,
) -> PassportDocument:
    """A new version: number and link follow ``previous``; digest and optional signature."""
    return seal_bytes(passport, previous=previous, key=key).document


@dataclass(frozen=True)
class Verification:
    """Outcome of :func:`verify`: ``ok`` and every reason it is not."""

    ok: bool
    reasons: tuple[str, ...]
    document: PassportDocument | None


def verify(data: bytes, *, trusted_key: bytes | None = None) -> Verification:
    """Check a stored passport document byte for byte, digest and signature.

    Args:
        data: The file content.
        trusted_key: Raw Ed25519 public key that must have signed it (otherwise the embedded
            key is checked for consistency only, which proves integrity, not origin).
    """
    import json

    try:
        raw = json.loads(data.decode("utf-8"), parse_int=_jcs_number)
    except (UnicodeDecodeError, ValueError) as exc:
        return Verification(False, (f"not a JSON document: {exc}",), None)
    except RecursionError:
        return Verification(False, ("not a passport document: nested too deeply",), None)
    if not isinstance(raw, dict):
        return Verification(False, ("not a passport document (JSON object expected)",), None)
    reasons: list[str] = []
    try:
        if canonical_bytes(raw) != data:
            reasons.append("the file is not in canonical form (bytes were altered or reformatted)")
    except (TypeError, ValueError, CanonicalizationError) as exc:
        return Verification(False, (f"cannot canonicalise the document: {exc}",), None)
    except RecursionError:
        return Verification(False, ("not a passport document: nested too deeply",), None)
    try:
        document = PassportDocument.model_validate(raw, by_alias=True, by_name=False)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = "/".join(str(p) for p in first["loc"])
        return Verification(
            False, (*reasons, f"not a valid passport document: {where}: {first['msg']}"), None
        )
    expected = digest_of(_content(raw))
    if expected != document.digest:
        reasons.append(
            f"digest mismatch: content hashes to {expected}, document says {document.digest}"
        )
    reasons += _check_signature(document, trusted_key)
    return Verification(not reasons, tuple(reasons), document)


def _jcs_number(text: str) -> int | float:
    """An integer literal as RFC 8785 reads it: an IEEE 754 double (section 3.2.2.3).

    The canonical form writes a double from 2**53 up to 1e21 in integer digits
    (``43200000000007620``); read back as a Python ``int`` it left the safe integer domain and a
    passport the engine had just sealed could never verify (issue 14, item 9). Integers within
    the domain stay exact ``int`` values.
    """
    if len(text) < 16:  # fewer than 16 digits (sign included): inside +/-(2**53 - 1)
        return int(text)
    value = int(text)
    return value if -_SAFE_INTEGER <= value <= _SAFE_INTEGER else float(text)


_SAFE_INTEGER = 2**53 - 1


def _strict_b64(text: str) -> bytes:
    """The bytes of base64 ``text`` in its one canonical spelling, else ``ValueError``.

    Unused trailing bits must be zero: the signature is not covered by the digest, so no byte
    of it may vary.
    """
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        raise ValueError("base64 text not in canonical form")
    return raw


def _check_signature(document: PassportDocument, trusted_key: bytes | None) -> list[str]:
    signature = document.signature
    if signature is None:
        return ["the document is not signed"] if trusted_key is not None else []
    if signature.algorithm != "Ed25519":
        return [f"unsupported signature algorithm {signature.algorithm!r} (Ed25519 expected)"]
    try:
        embedded = _strict_b64(signature.public_key)
        value = _strict_b64(signature.value)
        key = Ed25519PublicKey.from_public_bytes(trusted_key or embedded)
    except (ValueError, TypeError) as exc:
        return [f"unreadable signature or key: {exc}"]
    if is_small_order(trusted_key or embedded):
        return ["the public key is a small-order point, which any forger can sign for"]
    reasons = []
    if trusted_key is not None and embedded != trusted_key:
        reasons.append("signed with another key than the trusted one")
    try:
        key.verify(value, document.digest.encode())
    except InvalidSignature:
        reasons.append("the signature does not match the digest")
    return reasons
