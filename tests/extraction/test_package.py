"""The extractor is a pure library: importing and running it loads no Django."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import verify.extraction
assert not any(m.split(".")[0] == "django" for m in sys.modules), "import"
verify.extraction.extract("पेस्कोव ने कहा कि बातचीत उपयोगी रही। Reuters reported that talks lasted.")
assert not any(m.split(".")[0] == "django" for m in sys.modules), "extract"
"""


def test_the_extractor_imports_no_django():
    subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, check=True, timeout=60)
