"""Rules that span tables or forbid edits, enforced by the database itself.

- A claim's text is exactly ``article.body[start:end]`` (and so inside the body).
- An article's body cannot change while claims point into it.
- Verdicts are append-only: no UPDATE (deleting an article still removes its history with it).
"""

from django.db import migrations

SQLITE_CLAIM_CHECK = """
SELECT RAISE(ABORT, 'claim text must be exactly article.body[start:end]')
WHERE NEW."end" > (SELECT length(body) FROM verify_article WHERE id = NEW.article_id)
   OR NEW.text IS NOT (SELECT substr(body, NEW.start + 1, NEW."end" - NEW.start)
                       FROM verify_article WHERE id = NEW.article_id);
"""

SQLITE_FORWARD = [
    f'CREATE TRIGGER verify_claim_text_insert BEFORE INSERT ON verify_claim BEGIN {SQLITE_CLAIM_CHECK} END;',
    f'CREATE TRIGGER verify_claim_text_update BEFORE UPDATE OF text, start, "end", article_id ON verify_claim '
    f"BEGIN {SQLITE_CLAIM_CHECK} END;",
    """CREATE TRIGGER verify_article_body_frozen BEFORE UPDATE OF body ON verify_article
       WHEN NEW.body IS NOT OLD.body AND EXISTS (SELECT 1 FROM verify_claim WHERE article_id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'article body cannot change while claims point into it'); END;""",
    """CREATE TRIGGER verify_verdict_append_only BEFORE UPDATE ON verify_verdict
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
    """CREATE TRIGGER verify_verdict_append_only BEFORE UPDATE ON verify_verdict
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


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(f"verify supports SQLite and PostgreSQL, not {schema_editor.connection.vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}[schema_editor.connection.vendor]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("verify", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
