"""Secrets at rest: password hashes (scrypt), and SHA-256 digests of high-entropy keys and tokens.

Passwords are low-entropy, so they get a salted, memory-hard hash (``hashlib.scrypt``, RFC 7914).
Client secrets, API keys, bearer tokens and session ids are 256-bit random values: their SHA-256
is stored and compared in constant time (``hmac.compare_digest``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = [
    "hash_password",
    "matches",
    "new_secret",
    "sha256_hex",
    "verify_password",
]

_N, _R, _P = 2**14, 8, 1


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random secret of ``nbytes`` bytes of entropy."""
    return secrets.token_urlsafe(nbytes)


def sha256_hex(value: str) -> str:
    """SHA-256 (hex) of a UTF-8 string."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def matches(value: str, stored_hash: str) -> bool:
    """Whether ``value`` hashes to ``stored_hash`` (constant-time comparison).

    >>> matches("k", sha256_hex("k")), matches("x", sha256_hex("k"))
    (True, False)
    """
    return hmac.compare_digest(sha256_hex(value), stored_hash)


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64) of a password."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encoded = [base64.b64encode(x).decode() for x in (salt, digest)]
    return f"scrypt${_N}${_R}${_P}${encoded[0]}${encoded[1]}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a :func:`hash_password` value.

    >>> verify_password("pw", hash_password("pw")), verify_password("no", hash_password("pw"))
    (True, False)
    """
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))
