"""Names across scripts (verify.evidence.names): the romaniser, the phonetic key, similar keys."""

from __future__ import annotations

import pytest

from verify.evidence import name_key, romanize
from verify.evidence.names import similar, skeleton


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [
        ("किम जोंग-उन", "Kim Jong Un"),
        ("किम जोंग-उन", "Kim Jong-un"),
        ("पुतिन", "Putin"),
        ("व्लादिवोस्तोक", "Vladivostok"),
        ("लावरोव", "Lavrov"),
        ("योनहाप", "Yonhap"),
        ("क्रेमलिन", "Kremlin"),
        ("प्योंगयांग", "Pyongyang"),
        ("वोस्तोचनी", "Vostochny"),
        ("पेस्कोव", "Peskov"),
        ("पेसकोव", "Peskov"),
    ],
)
def test_name_keys_agree_across_scripts(devanagari, latin):
    def keys(s):
        return [name_key(w) for w in s.replace("-", " ").split()]

    assert keys(devanagari) == keys(latin)


def test_romanization_scheme():
    assert romanize("किम जोंग-उन") == "kim jong-un"
    assert romanize("पुतिन") == "putin"
    assert romanize("लावरोव") == "laavrov"
    assert romanize("योनहाप") == "yonhaap"
    assert romanize("व्लादिवोस्तोक") == "vlaadivostok"
    assert romanize("मित्र") == "mitra"
    assert romanize("ज़ेलेंस्की") == "zelenskii"
    assert romanize("१४") == "14"


def test_similar_keys_one_edit_from_five_letters_two_from_eight():
    assert similar(name_key("Sergei"), name_key("सर्गेई"))  # sergei / sargei
    assert skeleton(name_key("Dmitry")) == skeleton(name_key("दिमित्री"))
    assert similar(name_key("Dmitry"), name_key("दिमित्री"))
    assert similar("kim", "kim")
    assert not similar("kima", "kimo")  # shorter than five letters: equal only
    assert similar("abcde", "abcda") and not similar("abcde", "abfgh")
    assert similar("abcdefgh", "abcdefxx") and not similar("abcdefg", "abcdexx")
    assert not similar("abcdefgh", "abcdexyz")
    assert skeleton("peskov") == "pskv" and skeleton("पेस्कोव") == "पेस्कोव"


def test_cyrillic_and_accents_fold_into_the_same_key():
    assert name_key("Песков") == name_key("Peskov") == name_key("पेस्कोव")
    assert name_key("Zelenskyy") == name_key("Zélenskyy")
