from __future__ import annotations

import pytest

from compliance.service.web.negotiation import HTML, JSON, choose_language, choose_media_type

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),  # a machine without Accept gets JSON (offered first)
        ("", JSON),
        ("*/*", JSON),
        (BROWSER, HTML),
        ("application/json", JSON),
        ("application/*", JSON),
        ("text/*;q=0.5, application/json;q=0.4", HTML),
        ("application/json;q=0, */*", HTML),  # q=0: not acceptable
        ("text/html;q=0, application/json;q=0", None),
        ("image/png", None),
        ("text/html;q=bogus, application/json", JSON),  # a malformed weight accepts nothing
    ],
)
def test_media_type(accept: str | None, chosen: str | None) -> None:
    assert choose_media_type(accept, [JSON, HTML]) == chosen


@pytest.mark.parametrize(
    ("query", "header", "chosen"),
    [
        (None, None, "en"),
        (None, "ja", "ja"),
        (None, "ja-JP, en;q=0.5", "ja"),
        (None, "en-GB,en;q=0.9,ja;q=0.8", "en"),
        (None, "de, ja;q=0.3", "ja"),
        (None, "ja;q=0, en", "en"),
        ("ja", "en", "ja"),
        ("xx", "ja", "ja"),  # the route refuses an unsupported ?lang= before this is asked
    ],
)
def test_language(query: str | None, header: str | None, chosen: str) -> None:
    assert choose_language(query, header, ["en", "ja"], "en") == chosen
