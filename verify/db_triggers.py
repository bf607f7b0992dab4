"""Rules that span tables or forbid edits, enforced by the database itself (SQLite, PostgreSQL).

- A claim's text is exactly ``article.body[start:end]`` (and so inside the body).
- An article's body cannot change while claims point into it.
- Verdicts are append-only: no UPDATE but of the claim they belong to (merges); deleting an
  article still removes its history with it.

The triggers in force are those of the latest migration that installed them; their SQL is
written once, in that migration's frozen module, and this module names it for the code of
today. Migrations never import this module: they import a frozen module, which history keeps.

SQLite rebuilds a table for most schema changes (new table, copy, drop, rename), which drops the
triggers on it and trips over triggers that name it. A migration that alters ``verify_claim``,
``verify_article`` or ``verify_verdict`` must therefore wrap its operations, with the ops of the
frozen module this one points at:
``operations = [drop_triggers_op(), ...schema changes..., create_triggers_op()]``.
To change a trigger, add a migration with its own frozen ``verify/migrations/_NNNN_triggers.py``
and point the import below at it.
"""

from __future__ import annotations

from verify.migrations._0002_triggers import (
    POSTGRES_BACKWARD,
    POSTGRES_FORWARD,
    SQLITE_BACKWARD,
    SQLITE_FORWARD,
    VERDICT_FROZEN,
    create_triggers,
    create_triggers_op,
    drop_triggers,
    drop_triggers_op,
)

__all__ = [
    "POSTGRES_BACKWARD",
    "POSTGRES_FORWARD",
    "SQLITE_BACKWARD",
    "SQLITE_FORWARD",
    "VERDICT_FROZEN",
    "create_triggers",
    "create_triggers_op",
    "drop_triggers",
    "drop_triggers_op",
]
