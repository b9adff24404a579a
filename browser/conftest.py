"""A headless Chromium per test session, and the server's address and account from run.sh."""
import os

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ.get("TARIFF_URL", "http://127.0.0.1:8080")
KEY = os.environ.get("TARIFF_KEY", "browser-key")
SECRET = os.environ.get("TARIFF_SECRET", "browser-secret-1")
ARTIFACTS = os.environ.get("BROWSER_ARTIFACTS", "ci-artifacts/screenshots")


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
        options.add_argument(argument)
    # The driver Debian installs: selenium must not fetch one.
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
    yield driver
    driver.quit()


@pytest.fixture
def page(browser):
    """The explorer, freshly loaded (signed out)."""
    browser.get(URL + "/")
    return browser


def wait(driver, condition, timeout=60):
    """Waits for an event on the page; the timeout only bounds a hung run, it is not a figure."""
    return WebDriverWait(driver, timeout).until(condition)


def sign_in(driver, key=KEY, secret=SECRET):
    driver.find_element(By.ID, "api-key").send_keys(key)
    driver.find_element(By.ID, "api-secret").send_keys(secret)
    driver.find_element(By.CSS_SELECTOR, "#signin button[type=submit]").click()
    wait(driver, lambda d: d.find_element(By.ID, "account").text.strip() != "")


def api(path):
    response = requests.get(URL + path, auth=(KEY, SECRET), headers={"User-Agent": "tariff-browser-tests"}, timeout=60)
    response.raise_for_status()
    return response.json()


def screenshot(driver, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))


def visible(by, value):
    return EC.visibility_of_element_located((by, value))
