import pytest
from tests.browser.conftest import log_in

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_explore(page, reviewer, seed_article, editor):
    log_in(page, reviewer, seed_article.get_absolute_url())
    ids = list(seed_article.claims.order_by("order").values_list("pk", flat=True))
    note = page.locator(f"#claim-{ids[2]} textarea[name=note]")
    note.click()
    print("active:", page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.id"))
    page.keyboard.type("c")
    page.wait_for_timeout(500)
    print("note value", repr(note.input_value()), page.get_attribute(f"#claim-{ids[2]}", "class"))
    # tab into next row's button
    page.keyboard.press("Escape")
    print("active:", page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.id"))
