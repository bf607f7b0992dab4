"""The interface speaks English and Hindi; the choice is remembered."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.base import PASSWORD

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "hi" / "LC_MESSAGES"


def test_every_hindi_entry_is_translated():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$', e, flags=re.M)]
    assert entries and not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po


@pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed (apt-get install gettext)"
)
def test_the_compiled_catalogue_is_current(tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(out), str(LOCALE / "django.po")], check=True)
    assert out.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages` and commit the .mo"


def test_switching_to_hindi_is_remembered_across_pages(seed_article, reviewer):
    client = Client()
    client.login(username=reviewer.username, password=PASSWORD)
    english = client.get(seed_article.get_absolute_url()).content.decode()
    assert "Corroborated" in english and '<html lang="en">' in english
    response = client.post(
        reverse("set_language"), {"language": "hi", "next": seed_article.get_absolute_url()}
    )
    assert response.status_code == 302
    page = client.get(seed_article.get_absolute_url()).content.decode()
    assert '<html lang="hi">' in page
    assert "पुष्ट" in page and "विवादित" in page and "असत्यापनीय" in page and "कीबोर्ड शॉर्टकट" in page
    assert ">Corroborated<" not in page
    listing = client.get(reverse("verify:article_list")).content.decode()
    assert "लेख" in listing and "प्रगति" in listing


def test_the_login_page_can_switch_language_before_login(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "hi", "next": "/accounts/login/"})
    assert "लॉग इन" in client.get(reverse("login")).content.decode()


def test_service_errors_reach_the_user_in_hindi(editor):
    client = Client()
    client.login(username=editor.username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    response = client.post(reverse("verify:article_new"), {"text": "  "})
    assert "लेख खाली है" in response.content.decode()
