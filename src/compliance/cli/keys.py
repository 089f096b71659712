"""Ed25519 key files of ``passport --sign``, ``passport verify --key`` and ``report --key``.

Key files are small: each is read through the bounded reader (64 KiB at most), whatever it is.
A public key that is a small-order point is refused: any forger can sign for it
(:mod:`compliance.passport.small_order`).
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from compliance.cli.fileio import InputTooLarge, read_limited
from compliance.passport.small_order import is_small_order

__all__ = ["KEY_FILE_LIMIT", "KeyFileError", "load_private_key", "load_public_key"]

KEY_FILE_LIMIT = 64 * 1024
"""Largest key file read (a PEM Ed25519 key has about 120 bytes)."""


class KeyFileError(Exception):
    """A key file that cannot be read or is not an acceptable Ed25519 key (message for stderr)."""


def _read_key_file(path: Path) -> bytes:
    try:
        return read_limited(path, KEY_FILE_LIMIT)
    except InputTooLarge:
        raise KeyFileError(f"{path}: larger than {KEY_FILE_LIMIT} bytes: not a key file") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read ({exc.strerror})") from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key of an unencrypted PEM file."""
    data = _read_key_file(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: an Ed25519 key is required")
    return key


def load_public_key(path: Path) -> bytes:
    """Raw 32-byte Ed25519 public key from a PEM file or a base64 text file."""
    data = _read_key_file(path)
    if data.lstrip().startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(data)
        except ValueError as exc:
            raise KeyFileError(f"{path}: not a PEM public key ({exc})") from None
        if not isinstance(key, Ed25519PublicKey):
            raise KeyFileError(f"{path}: an Ed25519 public key is required")
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    else:
        try:
            raw = base64.b64decode(data.strip(), validate=True)
        except ValueError:
            raise KeyFileError(f"{path}: neither PEM nor base64") from None
        if len(raw) != 32:
            raise KeyFileError(f"{path}: an Ed25519 public key has 32 bytes, not {len(raw)}")
    if is_small_order(raw):
        raise KeyFileError(f"{path}: a small-order point, not a usable public key")
    return raw
