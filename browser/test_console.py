"""The price explorer and the account console in a real browser: what they show is what the API answers."""
import datetime
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import KEY, SECRET, URL, api, screenshot, sign_in, visible, wait


def cell_price(cell):
    """A money cell's own price, without the scheduled-change note under it."""
    return cell.text.split("\n")[0].strip()


def test_a_networks_sms_price_on_the_page_is_the_apis(page):
    sign_in(page)
    assert "Signed in as " + KEY in page.find_element(By.ID, "account").text
    search = page.find_element(By.ID, "country-search")
    search.send_keys("Spain")
    wait(page, visible(By.CSS_SELECTOR, "#country-matches button")).click()
    wait(page, visible(By.CSS_SELECTOR, "tr[data-product='sms-outbound']"))
    sheet = api("/v1/countries/ES/prices?limit=200")
    expected = {line["network"]: line["price"] for line in sheet["rates"] if line["product"] == "sms-outbound" and line.get("network")}
    assert expected, "the deck has Spanish networks"
    shown = {}
    for row in page.find_elements(By.CSS_SELECTOR, "tr[data-product='sms-outbound']"):
        network = row.get_attribute("data-network")
        if network:
            shown[network] = cell_price(row.find_elements(By.CSS_SELECTOR, "td.money")[0])
    assert shown == expected
    screenshot(page, "explorer-spain")


def test_a_country_by_calling_code_or_iso_code(page):
    sign_in(page)
    for text in ["+49", "de"]:
        search = page.find_element(By.ID, "country-search")
        search.clear()
        search.send_keys(text)
        names = [button.text for button in wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#country-matches button"))]
        assert names[0].startswith("Germany (DE"), (text, names)


def test_number_lookup_answers_as_the_price_route(page):
    sign_in(page)
    number = page.find_element(By.ID, "lookup-number")
    number.send_keys("+44 20 7946 0000")
    page.find_element(By.ID, "lookup-quantity").send_keys("90")
    number.send_keys(Keys.ENTER)
    price = wait(page, visible(By.ID, "lookup-price")).text
    quote = api("/v1/prices/voice?to=%2B442079460000&seconds=90")
    assert price.startswith(quote["converted"]["price"] + " " + quote["converted"]["currency"])
    assert page.find_element(By.ID, "lookup-cost").text.startswith(quote["converted"]["total"])
    assert page.find_element(By.ID, "lookup-e164").text == quote["number"]
    elapsed = page.find_element(By.ID, "lookup-elapsed").get_attribute("data-ms")
    print(f"number lookup answered in {elapsed} ms (measured by the browser, not asserted)")
    screenshot(page, "number-lookup")


def test_a_wrong_secret_is_refused_and_nothing_leaks_into_the_address(page):
    sign_in(page, secret="not-the-secret")
    assert "Sign-in failed" in page.find_element(By.ID, "account").text
    assert not page.find_element(By.ID, "explorer").is_displayed()
    assert page.find_element(By.ID, "api-secret").get_attribute("value") == ""
    assert "not-the-secret" not in page.current_url and page.current_url.rstrip("/") == URL
    sign_in(page)
    assert SECRET not in page.current_url
    assert page.execute_script("return document.cookie") == ""
    assert page.execute_script("return window.localStorage.length + window.sessionStorage.length") == 0
    screenshot(page, "signed-in")


def test_the_first_load_is_small_and_same_origin(page):
    resources = page.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(e => [e.name, e.transferSize || e.encodedBodySize || 0])"
    )
    assert all(name.startswith(URL) for name, _ in resources), resources
    total = sum(size for _, size in resources)
    print(f"first load: {total} bytes in {len(resources)} requests")
    assert total < 300_000


def test_a_charge_made_through_the_api_shows_in_the_account(page):
    reference = "browser-" + uuid.uuid4().hex
    # Now, so that the chart of the last 30 days counts it whenever the test runs.
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    charged = requests.post(
        URL + "/v1/usage",
        auth=(KEY, SECRET),
        json={"id": reference, "product": "sms", "to": "+34606123456", "messages": 3, "occurred_at": now},
        timeout=60,
    )
    assert charged.status_code in (200, 201), charged.text
    transaction = charged.json()
    transaction = transaction.get("transaction", transaction)
    sign_in(page)
    row = wait(page, visible(By.CSS_SELECTOR, f"#transactions tr[data-reference='{reference}']"))
    assert row.find_element(By.CSS_SELECTOR, "td.amount").text == transaction["amount"]
    balance = api("/v1/balance")
    assert wait(page, visible(By.ID, "balance-amount")).text == balance["balance"] + " " + balance["currency"]
    # The usage chart counts it: a bar for the charge's day.
    bars = wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#usage svg rect.bar"))
    assert len(bars) >= 30 and any(float(bar.get_attribute("height")) > 0 for bar in bars)
    words = page.find_element(By.TAG_NAME, "main").text.split()
    assert "null" not in words and "undefined" not in words and "NaN" not in words
    screenshot(page, "account")
