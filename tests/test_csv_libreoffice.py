"""The CSV export opened by a real spreadsheet: LibreOffice Calc (headless) imports it with each
common separator — comma, semicolon (the default of many European locales), tab — and no cell
becomes a formula, whatever a title, a claim, a speaker's name, a note or a username holds.

One conversion per separator (each soffice run takes seconds), to flat ODS, where a formula
cell carries a ``table:formula`` attribute. Skipped only when ``soffice`` is missing (CI
installs libreoffice-calc-nogui, and there a skip is a failure).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.base import make_user
from verify import export
from verify.models import Source, Verdict

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
)

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
SEPARATORS = {"comma": 44, "semicolon": 59, "tab": 9}

PAYLOADS = [
    "The talks failed;=1+1;",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1;1)",
    '=HYPERLINK("http://evil.example";"click")',
    "＝1+1",
    "＋1+1",
    "＠SUM(1;1)",
    "\u200b=1+1",
    "\ufeff=1+1",
    " =1+1",
    "\t=1+1",
    "x\t=1+1",
    'x\t"=1+1"',
    ";=1+1",
    '";=1+1',
    '"";=1+1',
    'a";=1+1;"',
    '"\t=1+1',
    "\n=1+1",
    '"\nx\n=1+1',
    "a\n=1+1",
    "a,=1+1",
    "x; =1+1",
    "x\n =1+1",
    "x;\u200b=1+1",
    "First look:\n- KCNA\n-1+1",
    '"""',
]


def _text(element: ET.Element) -> str:
    """A text:p's text as shown: <text:s> is spaces, <text:tab> a tab, <text:line-break> a newline."""
    out = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "s":
            out.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        else:
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def read_fods(path: Path) -> list[list[dict]]:
    """The first sheet's rows as lists of cells {"text", "formula", "type"}; empty rows dropped."""
    sheet = next(ET.parse(path).getroot().iter(f"{{{TABLE}}}table"))
    rows = []
    for row in sheet.iter(f"{{{TABLE}}}table-row"):
        cells = []
        for cell in row:
            repeat = min(int(cell.get(f"{{{TABLE}}}number-columns-repeated", "1")), 100)
            info = {
                "text": "\n".join(_text(p) for p in cell.findall(f"{{{TEXT}}}p")),
                "formula": cell.get(f"{{{TABLE}}}formula"),
                "type": cell.get(f"{{{OFFICE}}}value-type"),
            }
            cells += [info] * repeat
        while cells and not cells[-1]["text"] and not cells[-1]["formula"]:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def soffice_import(csv_path: Path, separator: int, work: Path) -> list[list[dict]]:
    """Import the CSV into Calc with this separator (UTF-8, '"' quotes) and save it as flat ODS."""
    out = work / f"out-{separator}"
    out.mkdir()
    home = work / "home"
    home.mkdir(exist_ok=True)
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            f"--infilter=CSV:{separator},34,76,1",
            "--convert-to",
            "fods",
            "--outdir",
            str(out),
            str(csv_path),
        ],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    result = out / (csv_path.stem + ".fods")
    assert result.exists(), f"soffice did not convert ({done.returncode}): {done.stdout} {done.stderr}"
    return read_fods(result)


@pytest.fixture
def hostile_csv(seed_article, tmp_path) -> tuple[Path, list[list[str]]]:
    """A history export whose text columns hold every payload: verdict notes and the text each
    verdict was given for, reviewers' usernames, speakers' names, the article's title."""
    claims = list(seed_article.claims.order_by("order"))
    for i, payload in enumerate(PAYLOADS):
        claim = claims[i % len(claims)]
        speaker = Source.objects.create(name=f"{payload} #{i}", kind=Source.Kind.PERSON)
        type(claim).objects.filter(pk=claim.pk).update(speaker=speaker)
        Verdict.objects.create(
            claim=claim,
            status="disputed",
            reviewer=make_user(f"{payload[:100]}#{i}"),
            note=payload,
            claim_text=payload,
        )
    type(seed_article).objects.filter(pk=seed_article.pk).update(title=PAYLOADS[0])
    text = "".join(export.iter_csv_rows(export.claims_for_export(), history=True))
    path = tmp_path / "verdicts.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path, list(csv.reader(io.StringIO(text, newline="")))


def test_no_cell_is_a_formula_whichever_separator_calc_imports_with(hostile_csv, tmp_path):
    path, records = hostile_csv
    notes = {row[12] for row in records[1:]}
    assert {export.neutralise(p) for p in PAYLOADS} <= notes, "every payload is in the file"
    for name, separator in SEPARATORS.items():
        rows = soffice_import(path, separator, tmp_path)
        formulas = [(i, c["text"], c["formula"]) for i, r in enumerate(rows) for c in r if c["formula"]]
        assert not formulas, f"{name}: cells evaluated as formulas: {formulas[:5]}"
        errors = [c["text"] for r in rows for c in r if c["text"].startswith(("Err:", "#NAME", "#VALUE"))]
        assert not errors, f"{name}: formula errors: {errors[:5]}"
        if name == "comma":
            # Read with the file's own separator, every text cell is the exported literal.
            assert len(rows) == len(records), f"{name}: {len(rows)} rows for {len(records)} records"
            for row, record in zip(rows, records, strict=True):
                for column in (1, 5, 6, 12, 13):
                    assert row[column]["text"] == record[column].replace("\r\n", "\n"), (name, record[column])
        # Read with another separator the lines are garbled (Calc ends a record at a line break
        # inside a quoted cell and splits what follows at each separator), but inert.
