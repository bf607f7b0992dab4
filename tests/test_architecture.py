"""The layout rules of docs/architecture.md, checked on the import graph (grimp) and the files.

- no import cycle inside ``verify``;
- the libraries (``verify.text``, ``verify.extraction``, ``verify.evidence``, ``verify.fetch``)
  import no Django, and no other part of verify but each other;
- services import models and the libraries, never views, forms, admin, tasks or Celery;
- no module over 600 lines outside migrations, and no ``exec(`` anywhere in verify.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("verify.text", "verify.extraction", "verify.evidence", "verify.fetch")
MAX_LINES = 600


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("verify", include_external_packages=True, cache_dir=None)


def own_modules() -> list[str]:
    return sorted(m for m in graph().modules if m == "verify" or m.startswith("verify."))


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_verify_has_no_import_cycle():
    g = graph()
    cycles = []
    for module in own_modules():
        for imported in g.find_modules_directly_imported_by(module):
            if imported.startswith("verify") and g.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> … -> {module}")
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_libraries_import_no_django_and_nothing_of_verify_but_libraries(library):
    g = graph()
    wrong = []
    for module in own_modules():
        if not in_package(module, library):
            continue
        for imported in g.find_modules_directly_imported_by(module):
            top = imported.split(".")[0]
            if top in {"django", "celery", "kombu", "django_htmx"}:
                wrong.append(f"{module} imports {imported}")
            elif top == "verify" and not any(in_package(imported, lib) for lib in LIBRARIES):
                wrong.append(f"{module} imports {imported}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("library", LIBRARIES)
def test_importing_a_library_loads_no_django(library):
    code = f"import sys, {library}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'django'}}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_services_never_import_views_forms_admin_tasks_or_celery():
    g = graph()
    forbidden = ("verify.views", "verify.forms", "verify.admin", "verify.tasks", "verify.celery", "celery")
    wrong = [
        f"{module} imports {imported}"
        for module in own_modules()
        if in_package(module, "verify.services")
        for imported in g.find_modules_directly_imported_by(module)
        if any(in_package(imported, f) for f in forbidden)
    ]
    assert not wrong, "\n".join(wrong)


def python_files() -> list[Path]:
    return sorted(p for p in (ROOT / "verify").rglob("*.py") if "migrations" not in p.parts)


def test_no_module_passes_600_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in python_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_exec_in_verify():
    users = [str(p.relative_to(ROOT)) for p in python_files() if "exec(" in p.read_text(encoding="utf-8")]
    assert not users, users
