"""Small-order Ed25519 public keys, which prove nothing about who signed.

The Ed25519 group (RFC 8032, section 5.1) has cofactor 8: eight points ``P`` satisfy
``[8]P = O`` (the identity ``(0, 1)``, the point ``(0, -1)`` of order 2, two points of order 4
and four of order 8). With such a public key ``A``, ``[k]A`` takes at most eight values whatever
the digest, so a "signature" can be forged without any private key: the identity key accepts
``R = O, S = 0`` for every message. Such keys are refused (as libsodium's
``crypto_sign_verify_detached`` does), whatever encoding of the point is used (either sign bit,
a y coordinate written as ``y + p``).
"""

from __future__ import annotations

__all__ = ["is_small_order"]

_P = 2**255 - 19
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

_Point = tuple[int, int]


def _decode(raw: bytes) -> _Point | None:
    """The point a 32-byte encoding names (RFC 8032, 5.1.3, ``y`` taken mod p), else ``None``."""
    number = int.from_bytes(raw, "little")
    sign = number >> 255
    y = (number & ((1 << 255) - 1)) % _P
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x = (u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P)) % _P
    if (v * x * x - u) % _P != 0:
        x = (x * _SQRT_M1) % _P
        if (v * x * x - u) % _P != 0:
            return None  # not on the curve
    if x % 2 != sign:
        x = (_P - x) % _P
    return x, y


def _double(point: _Point) -> _Point:
    """``2P`` on -x^2 + y^2 = 1 + d x^2 y^2 (the unified addition law with P = Q)."""
    x, y = point
    t = (_D * x * x * y * y) % _P
    x2 = (2 * x * y * pow(1 + t, _P - 2, _P)) % _P
    y2 = ((y * y + x * x) * pow(1 - t, _P - 2, _P)) % _P
    return x2, y2


def is_small_order(raw: bytes) -> bool:
    """Whether a 32-byte Ed25519 public key encodes a point of order 1, 2, 4 or 8.

    >>> is_small_order(bytes([1]) + bytes(31))  # the identity point
    True
    >>> is_small_order(bytes.fromhex(
    ...     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))  # RFC 8032 test 1
    False
    """
    if len(raw) != 32:
        return False
    point = _decode(raw)
    if point is None:
        return False
    for _ in range(3):
        point = _double(point)
    return point == (0, 1)
