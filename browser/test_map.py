"""The world map and public prices in a real browser: colours and prices come from the API."""
import gzip
import os

import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from conftest import URL, api, screenshot, sign_in, visible, wait

PUBLIC_SITE = os.environ.get("TARIFF_PUBLIC_SITE", "")


def map_source(driver):
    return URL + driver.find_element(By.ID, "map").get_attribute("data-src")


def priced_paths(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#map-figure path.priced")


def test_the_map_colours_each_priced_country_and_shows_its_price(page):
    sign_in(page)
    wait(page, lambda d: len(priced_paths(d)) > 0)
    summary = api("/v1/countries/summary?product=sms-outbound")
    world = requests.get(map_source(page), timeout=60).json()
    on_map = {country["iso2"] for country in world["countries"]}
    expected = {line["iso2"]: line for line in summary["countries"] if line["iso2"] in on_map}
    assert len(expected) >= 3, summary
    paths = priced_paths(page)
    assert {path.get_attribute("data-iso") for path in paths} == set(expected)
    for path in paths:
        fill = page.execute_script("return getComputedStyle(arguments[0]).fill", path)
        assert fill not in ("", "none", "rgb(244, 244, 244)", "rgb(0, 0, 0)"), (path.get_attribute("data-iso"), fill)
    unpriced = page.find_elements(By.CSS_SELECTOR, "#map-figure path.unpriced")
    assert len(unpriced) + len(paths) == len(world["countries"])
    # The cheapest country is in the cheapest class, the dearest in a dearer one.
    by_price = sorted(expected.values(), key=lambda line: float(line["lowest"]))
    cheapest = page.find_element(By.CSS_SELECTOR, f"path[data-iso='{by_price[0]['iso2']}']").get_attribute("class")
    dearest = page.find_element(By.CSS_SELECTOR, f"path[data-iso='{by_price[-1]['iso2']}']").get_attribute("class")
    assert "c0" in cheapest.split() and "c0" not in dearest.split(), (cheapest, dearest)

    spain = page.find_element(By.CSS_SELECTOR, "path[data-iso='ES']")
    ActionChains(page).move_to_element(spain).perform()
    line = expected["ES"]
    tip = wait(page, lambda d: d.find_element(By.ID, "map-tip").text if d.find_element(By.ID, "map-tip").text.startswith("Spain:") else None)
    assert line["lowest"].rstrip("0").rstrip(".") in tip and line["highest"].rstrip("0").rstrip(".") in tip, tip
    assert summary["currency"] in tip
    assert "Natural Earth" in page.find_element(By.ID, "map-attribution").text
    legend = page.find_elements(By.CSS_SELECTOR, "#map-legend li")
    assert len(legend) >= 2 and legend[-1].text == "no price"
    page.execute_script("arguments[0].scrollIntoView()", page.find_element(By.ID, "map"))
    screenshot(page, "world-map")

    # Choosing a country opens its prices.
    spain.click()
    wait(page, visible(By.CSS_SELECTOR, "tr[data-product='sms-outbound']"))
    assert "Spain" in page.find_element(By.ID, "sheet").text

    # Voice from an international origin colours the voice countries instead.
    page.find_element(By.CSS_SELECTOR, "#map-product option[value='voice-outbound']").click()
    page.find_element(By.CSS_SELECTOR, "#map-list option[value='international']").click()
    page.find_element(By.CSS_SELECTOR, "#map-form button[type=submit]").click()
    voice = api("/v1/countries/summary?product=voice-outbound&list=international")
    want = {line["iso2"] for line in voice["countries"] if line["iso2"] in on_map}
    wait(page, lambda d: {p.get_attribute("data-iso") for p in priced_paths(d)} == want)


def test_the_map_is_loaded_lazily_and_gzipped_when_the_browser_takes_it(page):
    first = page.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert not any("/console/world." in name for name in first), first
    sign_in(page)
    wait(page, lambda d: len(priced_paths(d)) > 0)
    source = map_source(page)
    plain = requests.get(source, headers={"Accept-Encoding": "identity"}, timeout=60)
    packed = requests.get(source, headers={"Accept-Encoding": "gzip, deflate"}, timeout=60, stream=True)
    raw = packed.raw.read(decode_content=False)
    assert plain.headers.get("Content-Encoding") is None and packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding" and packed.headers["ETag"] != plain.headers["ETag"]
    assert gzip.decompress(raw) == plain.content
    print(f"map: {len(plain.content)} bytes, {len(raw)} gzipped")
    assert len(raw) < len(plain.content) / 2
    refused = requests.get(source, headers={"Accept-Encoding": "gzip;q=0"}, timeout=60)
    assert refused.headers.get("Content-Encoding") is None


def test_public_prices_without_a_key(browser):
    assert PUBLIC_SITE, "run.sh starts a server with --public-prices"
    browser.get(PUBLIC_SITE + "/")
    wait(browser, visible(By.ID, "explorer"))
    assert "public prices" in browser.find_element(By.ID, "account").text
    assert not browser.find_element(By.ID, "lookup").is_displayed()
    assert not browser.find_element(By.ID, "account-console").is_displayed()
    browser.find_element(By.ID, "country-search").send_keys("Spain")
    wait(browser, visible(By.CSS_SELECTOR, "#country-matches button")).click()
    wait(browser, visible(By.CSS_SELECTOR, "tr[data-product='sms-outbound']"))
    sheet = requests.get(PUBLIC_SITE + "/v1/countries/ES/prices?limit=200", timeout=60).json()
    assert sheet["currency"] == "USD"
    expected = {line["network"]: line["price"] for line in sheet["rates"] if line["product"] == "sms-outbound" and line.get("network")}
    shown = {}
    for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-product='sms-outbound']"):
        if row.get_attribute("data-network"):
            shown[row.get_attribute("data-network")] = row.find_elements(By.CSS_SELECTOR, "td.money")[0].text.split("\n")[0].strip()
    assert shown == expected
    wait(browser, lambda d: len(priced_paths(d)) > 0)
    screenshot(browser, "public-prices")
    # The other server publishes nothing: its page asks for a key.
    assert requests.get(URL + "/v1/countries", timeout=60).status_code == 401
    assert requests.get(PUBLIC_SITE + "/v1/balance", timeout=60).status_code == 401
