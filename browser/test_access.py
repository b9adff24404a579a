"""The console on a phone-sized screen, by keyboard alone, and with text that passes WCAG AA contrast."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import KEY, SECRET, URL, screenshot, sign_in, visible, wait

# For each visible element with its own text: its colour against the first opaque background
# behind it, as WCAG 2 computes contrast. Large text (24px, or 18.66px bold) needs 3:1, the rest 4.5:1.
CONTRAST = """
function rgb(text) { const m = text.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
  const p = m[1].split(',').map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; }
function lum(c) { return [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
function background(node) { for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
  const c = rgb(getComputedStyle(n).backgroundColor); if (c && c.a >= 1) return c; } return { r: 255, g: 255, b: 255, a: 1 }; }
const failures = []; let checked = 0;
for (const node of document.querySelectorAll('body *')) {
  if (node.closest('svg') || !node.getClientRects().length) continue;
  const own = Array.from(node.childNodes).some(c => c.nodeType === 3 && c.textContent.trim());
  if (!own) continue;
  const style = getComputedStyle(node);
  if (style.visibility === 'hidden' || node.closest('.visually-hidden')) continue;
  const fg = rgb(style.color), bg = background(node);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  const ratio = (a + 0.05) / (b + 0.05);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  checked++;
  if (ratio < need) failures.push(node.tagName + '#' + node.id + '.' + node.className + ' "' + node.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
}
return [checked, failures];
"""


def open_spain(driver):
    search = driver.find_element(By.ID, "country-search")
    search.clear()
    search.send_keys("Spain", Keys.ENTER)
    wait(driver, visible(By.CSS_SELECTOR, "tr[data-product='sms-outbound']"))


def test_a_phone_sized_screen_scrolls_only_down(browser):
    browser.set_window_size(390, 844)
    try:
        browser.get(URL + "/")
        sign_in(browser)
        open_spain(browser)
        wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#map-figure path.priced"))
        width = browser.execute_script("return window.innerWidth")
        page_width = browser.execute_script("return document.documentElement.scrollWidth")
        wide = browser.execute_script(
            "return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
            ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"
        )
        assert page_width <= width, f"the page is {page_width}px wide on a {width}px screen: {wide}"
        for element in browser.find_elements(By.CSS_SELECTOR, "input, select, button"):
            if element.is_displayed():
                right = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return r.right", element)
                assert right <= width + 1, (element.get_attribute("id"), right)
        screenshot(browser, "phone-explorer")
    finally:
        browser.set_window_size(1280, 1000)


def test_signing_in_and_finding_prices_by_keyboard_alone(page):
    actions = ActionChains(page)
    # From the top of the page, Tab reaches the key field first.
    actions.send_keys(Keys.TAB).perform()
    assert page.switch_to.active_element.get_attribute("id") == "api-key"
    actions.send_keys(KEY, Keys.TAB, SECRET, Keys.ENTER).perform()
    wait(page, lambda d: "Signed in as" in d.find_element(By.ID, "account").text)
    # Signing in leaves the focus in the country search.
    assert page.switch_to.active_element.get_attribute("id") == "country-search"
    ActionChains(page).send_keys("Spain", Keys.ENTER).perform()
    wait(page, visible(By.CSS_SELECTOR, "tr[data-product='sms-outbound']"))
    # The map's countries are reached with Tab and opened with Enter.
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#map-figure path.priced"))
    page.execute_script("document.getElementById('map-form').querySelector('button').focus()")
    reached = None
    for _ in range(20):
        ActionChains(page).send_keys(Keys.TAB).perform()
        active = page.switch_to.active_element
        if active.tag_name == "path":
            reached = active.get_attribute("data-iso")
            break
    assert reached, "Tab never reached a country on the map"
    tip = page.find_element(By.ID, "map-tip").text
    assert tip.split(":")[0] in page.find_element(By.CSS_SELECTOR, f"path[data-iso='{reached}'] title").get_attribute("textContent")
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait(page, lambda d: reached in d.find_element(By.ID, "sheet").text)
    # Every control has a label a screen reader reads.
    unlabelled = page.execute_script(
        "return Array.from(document.querySelectorAll('input, select')).filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id)"
    )
    assert unlabelled == []


def test_text_contrast_passes_wcag_aa(page):
    sign_in(page)
    open_spain(page)
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#map-figure path.priced"))
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#transactions table, #transactions p"))
    checked, failures = page.execute_script(CONTRAST)
    print(f"contrast: {checked} text elements checked")
    assert checked > 50 and failures == []
