"""The scorer's rules (../shared/tools/score_extraction.py), applied in-process to ``extract``.

Gold format: {"article", "language", "noise": [...], "aliases": {canonical: [...]},
"claims": [{"contains", "attribution", "speaker"?, "outlet"?, "optional"?}]}.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from verify.extraction import extract

ARTICLES = Path(__file__).with_name("articles")

ALIASES = {  # the scorer's built-in aliases; a gold file may add its own under "aliases"
    "AFP": ["afp", "एएफपी", "agence france-presse"],
    "TASS": ["tass", "टीएएसएस", "तास"],
    "KCNA": ["kcna", "केसीएनए", "korean central news agency", "कोरियन सेंट्रल न्यूज एजेंसी"],
    "Sputnik": ["sputnik", "स्पुतनिक"],
    "Yonhap": ["yonhap", "योनहाप"],
}


def norm(s: str | None) -> str:
    s = (
        unicodedata.normalize("NFC", s or "")
        .replace("\u093c", "")
        .replace("\u200c", "")
        .replace("\u200d", "")
    )
    return re.sub(r"\s+", " ", s).strip().casefold()


def outlet_is(extracted: str | None, canonical: str | None, extra: dict | None = None) -> bool:
    if canonical is None:
        return not extracted
    if not extracted:
        return False
    e = norm(extracted)
    for a in [canonical, *ALIASES.get(canonical, []), *(extra or {}).get(canonical, [])]:
        a = norm(a)
        if e == a or re.search(r"(?<![\w])" + re.escape(a) + r"(?![\w])", e):
            return True
    return False


def as_list(v):
    return v if isinstance(v, list) else [v]


@dataclass
class Score:
    article: str
    correct: int = 0
    total: int = 0
    spurious: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.article}: {self.correct}/{self.total}; " + " | ".join(
            self.problems + [f"spurious {x!r}" for x in self.spurious] + [f"noise {x!r}" for x in self.noise]
        )


def score_claims(claims: list[dict], gold: dict) -> Score:
    """Score extracted claims (``as_dict`` form) against a gold file, as the shared scorer does."""
    result = Score(gold["article"])
    used: set[int] = set()
    for g in gold["claims"]:
        key = norm(g["contains"])
        hits = [i for i, c in enumerate(claims) if key in norm(c.get("text"))]
        if not hits:
            if not g.get("optional"):
                result.total += 1
                result.problems.append(f"missing «{g['contains']}»")
            continue
        result.total += 1
        i = hits[0]
        used.add(i)
        c = claims[i]
        why = []
        if any(o is not g and norm(o["contains"]) in norm(c.get("text")) for o in gold["claims"]):
            why.append("merged with another sentence")
        if c.get("attribution") not in as_list(g["attribution"]):
            why.append(f"attribution {c.get('attribution')!r} not in {as_list(g['attribution'])}")
        if g["attribution"] == "none":
            if c.get("speaker") or c.get("outlet"):
                why.append(f"expected no source, got speaker={c.get('speaker')!r} outlet={c.get('outlet')!r}")
        else:
            if "speaker" in g:
                sp = norm(c.get("speaker"))
                if not sp or not any(norm(k) in sp for k in g["speaker"]):
                    why.append(f"speaker {c.get('speaker')!r} lacks {g['speaker']}")
            if "outlet" in g and not any(
                outlet_is(c.get("outlet"), o, gold.get("aliases")) for o in as_list(g["outlet"])
            ):
                why.append(f"outlet {c.get('outlet')!r} is not {g['outlet']}")
        if why:
            result.problems.append(f"«{g['contains']}»: " + "; ".join(why))
        else:
            result.correct += 1
    result.noise = [
        c.get("text") for c in claims if any(norm(x) in norm(c.get("text")) for x in gold.get("noise", []))
    ]
    result.spurious = [
        c.get("text") for i, c in enumerate(claims) if i not in used and c.get("text") not in result.noise
    ]
    return result


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def score_article(gold_path: Path, **kwargs) -> Score:
    gold = load_gold(gold_path)
    text = (gold_path.parent / gold["article"]).read_text(encoding="utf-8")
    return score_claims(extract(text, **kwargs).as_dict()["claims"], gold)
