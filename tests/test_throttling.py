"""Login throttling: repeated wrong passwords lock the username out from that address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.base import PASSWORD

pytestmark = pytest.mark.throttling


def attempt(client: Client, username: str, password: str):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_out_and_say_so(reviewer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "reviewer", "wrong").status_code == 200
    locked = attempt(client, "reviewer", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Even the right password is refused while locked out.
    again = attempt(client, "reviewer", PASSWORD)
    assert again.status_code == 429 and "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_count(reviewer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "reviewer", "wrong")
    assert attempt(client, "reviewer", PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "reviewer", "wrong").status_code == 200, "the earlier failures were forgotten"
