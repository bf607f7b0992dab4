"""The embedded broker writes each message whole before a consumer can see it."""

from __future__ import annotations

from queue import Empty

import pytest
from kombu import Connection


@pytest.fixture
def channel(tmp_path):
    conn = Connection(
        "filesystem://",
        transport="verify.broker:Transport",
        transport_options={"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)},
    )
    yield conn.default_channel, tmp_path
    conn.release()


def test_a_message_appears_only_under_its_final_name(channel):
    chan, folder = channel
    chan._put("verify", {"body": "पेस्कोव"})
    names = [p.name for p in folder.iterdir()]
    assert len(names) == 1 and names[0].endswith(".verify.msg")
    assert chan._get("verify") == {"body": "पेस्कोव"}


def test_a_message_still_being_written_is_not_taken(channel):
    chan, folder = channel
    (folder / "writing-0123abcd").write_bytes(b'{"body": "half')  # a writer is still at it
    with pytest.raises(Empty):
        chan._get("verify")
    assert (folder / "writing-0123abcd").exists()


def test_the_settings_select_it_for_the_embedded_broker(settings):
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        assert settings.CELERY_BROKER_TRANSPORT == "verify.broker:Transport"
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["polling_interval"] == 0.1
    else:
        assert not hasattr(settings, "CELERY_BROKER_TRANSPORT")
