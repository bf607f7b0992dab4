"""Shared by the extractor's unit tests."""

from verify.extraction import extract


def only(text: str, **kwargs):
    """The one claim ``extract`` finds in ``text`` (failing, with the claims, if there are more)."""
    claims = extract(text, **kwargs).claims
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]
