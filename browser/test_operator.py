"""The operator console in a real browser: a deck with a bad row is refused with its FILE:LINE,
a good one is checked, imported, and its price shows on the explorer."""
import os
import tempfile

from selenium.webdriver.common.by import By

from conftest import api, screenshot, sign_in, visible, wait

TOKEN = os.environ.get("TARIFF_OPERATOR_TOKEN", "")
HEADER = "product,country,network,prefix,number_type,price,currency,increment,description,effective_from\n"


def deck_file(name, text):
    folder = tempfile.mkdtemp(prefix="tariff-browser-deck-")
    path = os.path.join(folder, name)
    with open(path, "w") as file:
        file.write(text)
    return path


def operator_sign_in(driver, token=TOKEN):
    driver.find_element(By.ID, "operator-token").send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "#operator-signin button[type=submit]").click()
    wait(driver, lambda d: d.find_element(By.ID, "operator-status").text.strip() != "")


def test_a_wrong_token_is_refused(page):
    operator_sign_in(page, "tariff_op_00000000_not-a-token")
    assert "Operator sign-in failed" in page.find_element(By.ID, "operator-status").text
    assert not page.find_element(By.ID, "operator").is_displayed()
    assert page.execute_script("return window.localStorage.length + window.sessionStorage.length") == 0


def test_a_bad_row_then_a_good_deck_changes_the_explorers_price(page):
    assert TOKEN, "run.sh makes an operator token"
    operator_sign_in(page)
    wait(page, visible(By.CSS_SELECTOR, "#deck-versions tr[data-version]"))
    assert page.find_elements(By.CSS_SELECTOR, "#accounts tr[data-account]")

    bad = deck_file("bad-deck.csv", HEADER + "sms-outbound,ES,21407,,mobile,0.07,EUR,,Spain Movistar,2026-01-01\nsms-outbound,ES,21403,,mobile,cheap,EUR,,Spain Orange,2026-01-01\n")
    page.find_element(By.ID, "deck-file").send_keys(bad)
    page.find_element(By.CSS_SELECTOR, "#deck-form button[type=submit]").click()
    problem = wait(page, visible(By.CSS_SELECTOR, "#deck-result li.problem")).text
    assert problem.startswith("bad-deck.csv:3: price"), problem
    assert page.find_element(By.ID, "deck-import").get_attribute("disabled") is not None
    screenshot(page, "operator-bad-row")

    before = next(line["price"] for line in api("/v1/countries/ES/prices?product=sms-outbound")["rates"] if line.get("network") == "21407")
    # A decrease: a rise at less than the notice the server asks for would be refused.
    new_price = f"{float(before) - 0.005:.8f}"
    good = deck_file("good-deck.csv", HEADER + f"sms-outbound,ES,21407,,mobile,{new_price},EUR,,Spain Movistar,2026-01-01\n")
    chooser = page.find_element(By.ID, "deck-file")
    chooser.clear()  # chromedriver adds to a file input's list; a person's new choice replaces it
    chooser.send_keys(good)
    page.find_element(By.CSS_SELECTOR, "#deck-form button[type=submit]").click()
    result = wait(page, lambda d: "good-deck.csv" in d.find_element(By.ID, "deck-result").text and d.find_element(By.ID, "deck-result"))
    assert result.text.startswith("good-deck.csv: 1 rows"), result.text
    page.find_element(By.ID, "deck-import").click()
    stored = wait(page, visible(By.ID, "imported")).text
    assert "deck version" in stored and "stored" in stored

    # The server applies a new version off the request path; ask again until it has.
    sign_in(page)
    def shown(driver):
        search = driver.find_element(By.ID, "country-search")
        search.clear()
        search.send_keys("ES")
        driver.find_element(By.CSS_SELECTOR, "#country-form button[type=submit]").click()
        rows = driver.find_elements(By.CSS_SELECTOR, "tr[data-product='sms-outbound'][data-network='21407'] td.money")
        try:
            return rows and rows[0].text.split("\n")[0] == new_price
        except Exception:
            return False
    wait(page, shown)
    screenshot(page, "explorer-after-import")
