"""Content negotiation of the web pages: media type (``Accept``) and language.

RFC 9110 section 12.5.1 (``Accept``) and 12.5.4 (``Accept-Language``): a list of ranges with
optional quality values ``q`` (0 to 1, 0 meaning "not acceptable"); the most specific matching
range gives a type its quality. Language tags match by prefix (``ja-JP`` is ``ja``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["HTML", "JSON", "MediaRange", "choose_language", "choose_media_type", "parse_accept"]

HTML = "text/html"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One range of an ``Accept``/``Accept-Language`` header and its quality."""

    value: str
    quality: float


def _quality(params: Sequence[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0  # a malformed weight is not an acceptance
    return 1.0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The ranges of a header, lowercased, in the order given (empty for a missing header).

    >>> parse_accept("text/html;q=0.8, application/json")
    [MediaRange(value='text/html', quality=0.8), MediaRange(value='application/json', quality=1.0)]
    """
    ranges: list[MediaRange] = []
    for item in (header or "").split(","):
        value, *params = item.split(";")
        value = value.strip().lower()
        if value:
            ranges.append(MediaRange(value, _quality(params)))
    return ranges


def _type_quality(media_type: str, ranges: Sequence[MediaRange]) -> float:
    main = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for item in ranges:
        if item.value == media_type:
            specificity = 2
        elif item.value == f"{main}/*":
            specificity = 1
        elif item.value == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, item.quality)
    return best[1]


def choose_media_type(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered type the client prefers (ties: the first offered); ``None``: none acceptable.

    A missing or empty header accepts anything (RFC 9110 12.5.1): the first offered type.

    >>> choose_media_type("application/json", [HTML, JSON])
    'application/json'
    >>> choose_media_type("text/html,application/xhtml+xml,*/*;q=0.8", [JSON, HTML])
    'text/html'
    >>> choose_media_type(None, [HTML, JSON])
    'text/html'
    >>> choose_media_type("image/png", [HTML, JSON]) is None
    True
    """
    ranges = parse_accept(header)
    if not ranges:
        return offered[0] if offered else None
    scored = [
        (_type_quality(media_type, ranges), -index, media_type)
        for index, media_type in enumerate(offered)
    ]
    quality, _, media_type = max(scored)
    return media_type if quality > 0 else None


def choose_language(
    query: str | None, header: str | None, supported: Sequence[str], default: str
) -> str:
    """The page language: ``?lang=`` when supported, else the best ``Accept-Language`` match.

    >>> choose_language(None, "ja-JP,ja;q=0.9,en;q=0.8", ["en", "ja"], "en")
    'ja'
    >>> choose_language("en", "ja", ["en", "ja"], "en")
    'en'
    >>> choose_language(None, "fr, de;q=0.5", ["en", "ja"], "en")
    'en'
    """
    if query is not None and query in supported:
        return query
    best: tuple[float, int, str] | None = None
    for index, item in enumerate(parse_accept(header)):
        primary = item.value.split("-")[0]
        if primary in supported and item.quality > 0:
            candidate = (item.quality, -index, primary)
            best = candidate if best is None or candidate > best else best
    return best[2] if best is not None else default
