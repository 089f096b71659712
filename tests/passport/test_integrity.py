"""Versions, digests and signatures: any altered byte of a sealed passport fails verification."""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.passport.access import view
from compliance.passport.canonical import canonical_json
from compliance.passport.integrity import canonical_bytes, seal, seal_bytes, verify
from compliance.passport.model import AccessLevel, Passport

# A fixed key (RFC 8032 test vector 1 secret key): signatures are deterministic.
KEY = Ed25519PrivateKey.from_private_bytes(
    bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
)
PUBLIC = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _bytes(passport: Passport, **kwargs: object) -> bytes:
    return canonical_bytes(seal(passport, **kwargs).model_dump(mode="json"))  # type: ignore[arg-type]


def test_digest_is_sha256_of_the_rfc8785_form(example_passports: dict[str, Passport]) -> None:
    p = example_passports["nmc811-m1-ev"]
    document = seal(p)
    body: dict[str, Any] = {
        "passport": p.model_dump(mode="json"),
        "version": 1,
        "previousDigest": None,
    }
    expected = hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    assert document.digest == f"sha256:{expected}"
    assert document.version == 1
    assert document.previous_digest is None
    result = verify(_bytes(p))
    assert result.ok
    assert result.reasons == ()


def test_versions_link_to_their_predecessor(example_passports: dict[str, Passport]) -> None:
    p = example_passports["nmc811-m1-ev"]
    first = seal(p)
    second = seal(p, previous=first, key=KEY)
    assert second.version == 2
    assert second.previous_digest == first.digest
    assert second.digest != first.digest
    third = seal(p, previous=second)
    assert (third.version, third.previous_digest) == (3, second.digest)


def test_signed_document_verifies_against_the_trusted_key(
    example_passports: dict[str, Passport],
) -> None:
    data = _bytes(example_passports["nmc811-m1-ev"], key=KEY)
    assert verify(data, trusted_key=PUBLIC).ok
    document = json.loads(data)
    assert document["signature"]["publicKey"] == base64.b64encode(PUBLIC).decode()


def test_another_trusted_key_fails(example_passports: dict[str, Passport]) -> None:
    data = _bytes(example_passports["nmc811-m1-ev"], key=KEY)
    other = Ed25519PrivateKey.from_private_bytes(bytes(32)).public_key()
    result = verify(data, trusted_key=other.public_bytes(Encoding.Raw, PublicFormat.Raw))
    assert not result.ok
    assert "signed with another key than the trusted one" in result.reasons


def test_unsigned_document_fails_when_a_key_is_required(
    example_passports: dict[str, Passport],
) -> None:
    result = verify(_bytes(example_passports["nmc811-m1-ev"]), trusted_key=PUBLIC)
    assert result.reasons == ("the document is not signed",)


def test_re_signing_with_a_forged_embedded_key_is_caught_by_the_trusted_key(
    example_passports: dict[str, Passport],
) -> None:
    forger = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    data = _bytes(example_passports["nmc811-m1-ev"], key=forger)
    assert verify(data).ok  # self-consistent: integrity, not origin
    assert not verify(data, trusted_key=PUBLIC).ok


def test_pretty_printed_copy_is_not_the_sealed_bytes(
    example_passports: dict[str, Passport],
) -> None:
    data = _bytes(example_passports["nmc811-m1-ev"])
    pretty = json.dumps(json.loads(data), indent=2).encode()
    result = verify(pretty)
    assert not result.ok
    assert result.reasons[0].startswith("the file is not in canonical form")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe", "not a JSON document"),
        (b"[1,2]", "not a passport document (JSON object expected)"),
        (b'{"version":1}', "not a valid passport document"),
    ],
)
def test_garbage_is_a_reason_not_a_traceback(data: bytes, reason: str) -> None:
    result = verify(data)
    assert not result.ok
    assert result.reasons[-1].startswith(reason)


@pytest.fixture(scope="module")
def sealed_views(example_passports: dict[str, Passport]) -> list[bytes]:
    p = example_passports["nmc811-m1-ev"]
    return [
        _bytes(p, key=KEY),
        _bytes(view(p, AccessLevel.PUBLIC)),
        _bytes(view(p, AccessLevel.AUTHORITY), key=KEY),
    ]


@settings(max_examples=300, deadline=None)
@given(which=st.integers(0, 2), position=st.integers(min_value=0), delta=st.integers(1, 255))
def test_any_altered_byte_fails_verification(
    sealed_views: list[bytes], which: int, position: int, delta: int
) -> None:
    original = sealed_views[which]
    assert verify(original, trusted_key=PUBLIC if which != 1 else None).ok
    index = position % len(original)
    tampered = bytearray(original)
    tampered[index] = (tampered[index] + delta) % 256
    result = verify(bytes(tampered), trusted_key=PUBLIC if which != 1 else None)
    assert not result.ok
    assert result.reasons


@settings(max_examples=100, deadline=None)
@given(position=st.integers(min_value=0), length=st.integers(1, 40))
def test_removing_bytes_fails_verification(
    sealed_views: list[bytes], position: int, length: int
) -> None:
    original = sealed_views[0]
    index = position % len(original)
    assert not verify(original[:index] + original[index + length :], trusted_key=PUBLIC).ok


KEYS = ["\ue000", "\U0001f600", "a\ue000", "a\U0001f600", "\x000", "b"]
"""Keys whose UTF-16 order differs from their code-point order, and a marker look-alike.
Values: floats the fast path respells (integral, rare) and strings spelt like their ends."""
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1e-7, 5e-5, 5e-6, -5e-6, 1.5e-6, 1e16, 1e21, -0.0, 480.0, -480.0, 2.0**53])
    | st.just(123456789012345680000.0)
    | st.text()
    | st.sampled_from(["\x000", "\x001", "\u2028", "\x7f", "\ue000", "\U0001f600"])
    | st.sampled_from(["1.0,", "x.0]", "-0.0}", "5e-6,", ":1.5e-6]"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=6) | st.sampled_from(KEYS), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(json_values)
def test_fast_canonical_json_equals_the_reference(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        with pytest.raises(rfc8785.CanonicalizationError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_canonical_json_leaves_its_argument_alone(value: Any) -> None:
    """Nothing is rewritten in place: the value may be shared between threads."""
    before = copy.deepcopy(value)
    with contextlib.suppress(rfc8785.CanonicalizationError):
        canonical_json(value)
    assert repr(value) == repr(before)  # same floats, same types (1.0 stays 1.0)


def test_sealed_bytes_are_the_canonical_document(example_passports: dict[str, Passport]) -> None:
    for previous in (None, seal(example_passports["lmt-ebike"])):
        for key in (None, KEY):
            sealed = seal_bytes(example_passports["nmc811-m1-ev"], previous=previous, key=key)
            assert sealed.data == rfc8785.dumps(sealed.document.model_dump(mode="json"))
            assert verify(sealed.data).ok


def test_the_signature_algorithm_is_checked(example_passports: dict[str, Passport]) -> None:
    """The algorithm name is not covered by the digest: only Ed25519 verifies."""
    data = seal_bytes(example_passports["nmc811-m1-ev"], key=KEY).data
    tampered = data.replace(b'"algorithm":"Ed25519"', b'"algorithm":"Fd25519"')
    assert verify(data, trusted_key=PUBLIC).ok
    assert tampered != data
    assert not verify(tampered, trusted_key=PUBLIC).ok


def test_the_signature_base64_has_one_spelling(example_passports: dict[str, Passport]) -> None:
    """A base64 twin (an unused trailing bit set) decodes alike but is an altered byte."""
    data = seal_bytes(example_passports["nmc811-m1-ev"], key=KEY).data
    value = json.loads(data)["signature"]["value"]
    body = value.rstrip("=")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    twin = body[:-1] + alphabet[alphabet.index(body[-1]) ^ 1] + value[len(body) :]
    assert base64.b64decode(twin) == base64.b64decode(value)
    tampered = data.replace(value.encode(), twin.encode())
    assert tampered != data
    assert not verify(tampered, trusted_key=PUBLIC).ok


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 2**53, 2**70])
def test_what_the_reference_refuses_is_refused(bad: Any) -> None:
    """orjson would write a NaN as null; the fast path must not."""
    for value in ({"a": [1.0, bad]}, [bad], {"b": {"c": bad}}):
        with pytest.raises(rfc8785.CanonicalizationError):
            canonical_json(value)


def test_the_example_passports_take_the_fast_path(example_passports: dict[str, Passport]) -> None:
    """Their integral and rare floats (heavy metals at 1e-7 and 5e-6) are respelt, not handed
    to the reference implementation: that is what keeps sealing fast."""
    from compliance.passport.canonical import _fast

    for passport in example_passports.values():
        data = passport.model_dump(mode="json")
        assert _fast(data) == rfc8785.dumps(data)
