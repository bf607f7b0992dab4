"""Frozen copy of the integrity triggers as migration 0002 installs them (0005 and 0006 lift and
put back the same ones around their SQLite table rebuilds).

History: do not edit. A migration that changes a trigger adds its own frozen module
(``_NNNN_triggers.py``) and ``verify/db_triggers.py`` then points at that one. The migration
loader skips modules whose names start with "_", so this is no migration of its own.
(Databases migrated before commit 770f4fe got a verdict trigger on every column from 0002 and
0005; 0006 installs this version everywhere, so the end state is the same.)

- A claim's text is exactly ``article.body[start:end]`` (and so inside the body).
- An article's body cannot change while claims point into it.
- Verdicts are append-only: no UPDATE but of the claim they belong to (merges); deleting an
  article still removes its history with it.
"""

from __future__ import annotations

from django.db import migrations

# Every column of a verdict but claim_id: merging two claims moves the second one's history to
# the merged claim (each entry keeps the claim text it was given for); nothing else may change.
VERDICT_FROZEN = "status, note, reviewer_id, claim_text, evidence_urls, created_at"

SQLITE_CLAIM_CHECK = """
SELECT RAISE(ABORT, 'claim text must be exactly article.body[start:end]')
WHERE NEW."end" > (SELECT length(body) FROM verify_article WHERE id = NEW.article_id)
   OR NEW.text IS NOT (SELECT substr(body, NEW.start + 1, NEW."end" - NEW.start)
                       FROM verify_article WHERE id = NEW.article_id);
"""

SQLITE_FORWARD = [
    f"CREATE TRIGGER verify_claim_text_insert BEFORE INSERT ON verify_claim BEGIN {SQLITE_CLAIM_CHECK} END;",
    f'CREATE TRIGGER verify_claim_text_update BEFORE UPDATE OF text, start, "end", article_id ON verify_claim '
    f"BEGIN {SQLITE_CLAIM_CHECK} END;",
    """CREATE TRIGGER verify_article_body_frozen BEFORE UPDATE OF body ON verify_article
       WHEN NEW.body IS NOT OLD.body AND EXISTS (SELECT 1 FROM verify_claim WHERE article_id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'article body cannot change while claims point into it'); END;""",
    f"""CREATE TRIGGER verify_verdict_append_only BEFORE UPDATE OF {VERDICT_FROZEN} ON verify_verdict
       BEGIN SELECT RAISE(ABORT, 'verdict history is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS verify_claim_text_insert;",
    "DROP TRIGGER IF EXISTS verify_claim_text_update;",
    "DROP TRIGGER IF EXISTS verify_article_body_frozen;",
    "DROP TRIGGER IF EXISTS verify_verdict_append_only;",
]

POSTGRES_FORWARD = [
    """CREATE FUNCTION verify_claim_text_check() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE b text;
    BEGIN
      SELECT body INTO b FROM verify_article WHERE id = NEW.article_id;
      IF NEW."end" > char_length(b)
         OR NEW.text IS DISTINCT FROM substr(b, NEW.start + 1, NEW."end" - NEW.start) THEN
        RAISE EXCEPTION 'claim text must be exactly article.body[start:end] (offsets % to %)',
          NEW.start, NEW."end" USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;""",
    """CREATE TRIGGER verify_claim_text BEFORE INSERT OR UPDATE OF text, start, "end", article_id
       ON verify_claim FOR EACH ROW EXECUTE FUNCTION verify_claim_text_check();""",
    """CREATE FUNCTION verify_article_body_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.body IS DISTINCT FROM OLD.body
         AND EXISTS (SELECT 1 FROM verify_claim WHERE article_id = NEW.id) THEN
        RAISE EXCEPTION 'article body cannot change while claims point into it'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$;""",
    """CREATE TRIGGER verify_article_body_frozen BEFORE UPDATE OF body ON verify_article
       FOR EACH ROW EXECUTE FUNCTION verify_article_body_frozen();""",
    """CREATE FUNCTION verify_verdict_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'verdict history is append-only' USING ERRCODE = 'integrity_constraint_violation';
    END $$;""",
    f"""CREATE TRIGGER verify_verdict_append_only BEFORE UPDATE OF {VERDICT_FROZEN} ON verify_verdict
       FOR EACH ROW EXECUTE FUNCTION verify_verdict_append_only();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS verify_claim_text ON verify_claim;",
    "DROP FUNCTION IF EXISTS verify_claim_text_check();",
    "DROP TRIGGER IF EXISTS verify_article_body_frozen ON verify_article;",
    "DROP FUNCTION IF EXISTS verify_article_body_frozen();",
    "DROP TRIGGER IF EXISTS verify_verdict_append_only ON verify_verdict;",
    "DROP FUNCTION IF EXISTS verify_verdict_append_only();",
]


def _statements(vendor: str, forward: bool) -> list[str]:
    table = {
        ("sqlite", True): SQLITE_FORWARD,
        ("sqlite", False): SQLITE_BACKWARD,
        ("postgresql", True): POSTGRES_FORWARD,
        ("postgresql", False): POSTGRES_BACKWARD,
    }
    if (vendor, forward) not in table:
        raise RuntimeError(f"verify supports SQLite and PostgreSQL, not {vendor}")
    return table[(vendor, forward)]


def create_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in _statements(vendor, False) + _statements(vendor, True):
        # params=None: the PL/pgSQL bodies contain "%" that must not be read as placeholders.
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor) -> None:
    for sql in _statements(schema_editor.connection.vendor, False):
        schema_editor.execute(sql, params=None)


def create_triggers_op() -> migrations.RunPython:
    return migrations.RunPython(create_triggers, drop_triggers)


def drop_triggers_op() -> migrations.RunPython:
    return migrations.RunPython(drop_triggers, create_triggers)
