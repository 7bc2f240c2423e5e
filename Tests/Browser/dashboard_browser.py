#!/usr/bin/env python3
"""Drives the envmon dashboard in a real headless Chromium (Debian's chromium and chromium-driver,
python3's selenium), against a running daemon.

    dashboard_browser.py BASE_URL TOKEN SCREENSHOT_DIR

Logs in with TOKEN (it needs the `operate` role: the checks submit forms), then runs the
foundation's own checks and every `check(s)` of the checks_*.py files beside this one. Each page
a check opens is loaded in zh-CN and en, at a laptop width (1366 px) and a phone width (390 px);
a page that scrolls sideways at either width, or that shows a catalogue key instead of its text,
fails. Screenshots go to SCREENSHOT_DIR as <page>-<lang>-<width>.png. Exit status 0 when every
check passed; every failure is printed with its check and page.
"""
import glob
import importlib.util
import json
import os
import re
import sys
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
STRINGS = os.path.join(HERE, "..", "..", "Sources", "EnvmonDashboard", "Strings")
WIDTHS = (1366, 390)


def catalogue_keys():
    keys = set()
    for path in glob.glob(os.path.join(STRINGS, "*.json")):
        with open(path, encoding="utf-8") as f:
            keys.update(json.load(f).keys())
    return keys


def follow(driver, action, what, timeout=30):
    """Does `action` (a click that leads to another page: a form's button, a link) and waits until
    a new document has replaced the current one and finished loading. The old document is marked
    first and the wait is for a document without the mark: selenium's staleness check and reading
    the URL right after click() both raced with the navigation on a busy machine (CI saw chromium's
    "Node with given id does not belong to the document" in the middle of one). Errors while the
    documents change are retried; a page that never comes fails with `what`."""
    driver.execute_script("window.__envmonLeft = true")
    action()

    def arrived(d):
        try:
            return d.execute_script("return !window.__envmonLeft && document.readyState === 'complete'")
        except WebDriverException:
            return False
    try:
        WebDriverWait(driver, timeout).until(arrived)
    except TimeoutException:
        raise AssertionError(f"{what}: no new page after {timeout} s (still at {driver.current_url})")


class Session:
    """What a check gets: the browser, logged in, and page loading with the common checks."""

    def __init__(self, driver, base, shots):
        self.driver = driver
        self.base = base.rstrip("/")
        self.shots = shots
        self.keys = catalogue_keys()
        self.pages = []

    def _metrics(self, width, height=900):
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def _load(self, path, lang):
        sep = "&" if "?" in path else "?"
        self.driver.get(self.base + path + sep + "lang=" + lang)

    def open(self, path, name=None, lang="en"):
        """Loads `path` in both languages at both widths (screenshots, sideways scrolling,
        untranslated keys), and leaves it loaded in `lang` at 1366 px. Returns the driver."""
        name = name or (re.sub(r"[^A-Za-z0-9]+", "-", path.split("?")[0]).strip("-") or "overview")
        self.pages.append(path)
        for language in ("zh-CN", "en"):
            for width in WIDTHS:
                self._metrics(width)
                self._load(path, language)
                html_lang = self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
                assert html_lang == language, f"{path}: the page is in {html_lang}, asked for {language}"
                scroll = self.driver.execute_script("return document.documentElement.scrollWidth")
                client = self.driver.execute_script("return document.documentElement.clientWidth")
                assert scroll <= client, f"{path} ({language}) scrolls sideways at {width} px: {scroll} > {client}"
                shown = self.text()
                leaked = sorted(k for k in self.keys if re.search(r"(?<![\w])" + re.escape(k) + r"(?![\w])", shown))
                assert not leaked, f"{path} ({language}) shows catalogue keys instead of text: {leaked[:5]}"
                height = self.driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
                self._metrics(width, max(height, 600))
                self.driver.save_screenshot(os.path.join(self.shots, f"{name}-{language}-{width}.png"))
        self._metrics(1366)
        self._load(path, lang)
        return self.driver

    def text(self):
        """The visible text of the page."""
        return self.driver.find_element(By.TAG_NAME, "body").text

    def follow(self, action, what):
        """Does `action` (a click leading to another page) and waits for that page (`follow`)."""
        follow(self.driver, action, what)

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def find_all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)


def login(driver, base, token):
    driver.get(base.rstrip("/") + "/login?lang=en")
    driver.find_element(By.ID, "token").send_keys(token)
    button = driver.find_element(By.CSS_SELECTOR, "[data-test=login-form] button[type=submit]")
    follow(driver, button.click, "the login form")
    if "/login" in driver.current_url:
        body = driver.find_element(By.TAG_NAME, "body").text
        raise AssertionError(f"login failed: still at {driver.current_url}; the page says: {body[:500]}")
    driver.get(base.rstrip("/") + "/login?lang=en")
    user = driver.find_element(By.CSS_SELECTOR, "[data-test=user]").text
    assert user, "the header does not say who is logged in"


def check_foundation(s):
    """The frame every page shares: navigation, the language switch, who is logged in."""
    d = s.open("/login", name="login")
    assert d.find_element(By.CSS_SELECTOR, "[data-test=login-form]"), "no login form"
    # The switch changes the language and the choice stays.
    d.get(s.base + "/login")
    follow(d, d.find_element(By.CSS_SELECTOR, "[data-test=language-switch] a").click, "the language switch")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN", "the switch did not change the language"
    d.get(s.base + "/login")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN", "the language was not remembered"
    d.get(s.base + "/login?lang=en")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    base, token, shots = sys.argv[1:]
    os.makedirs(shots, exist_ok=True)
    options = Options()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--disable-gpu")
    options.add_argument("--window-size=1366,900")
    for binary in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(binary):
            options.binary_location = binary
            break
    service = Service(executable_path="/usr/bin/chromedriver") if os.path.exists("/usr/bin/chromedriver") else Service()
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    failures = []
    try:
        login(driver, base, token)
        s = Session(driver, base, shots)
        checks = [("foundation", check_foundation)]
        for path in sorted(glob.glob(os.path.join(HERE, "checks_*.py"))):
            name = os.path.basename(path)[len("checks_"):-3]
            spec = importlib.util.spec_from_file_location("checks_" + name, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            checks.append((name, module.check))
        for name, check in checks:
            try:
                check(s)
                print(f"ok    {name}")
            except Exception as error:  # a failed assert or a missing element: report, go on
                failures.append(name)
                print(f"FAIL  {name} (at {driver.current_url}): {error}")
                traceback.print_exc(limit=3)
                try:
                    driver.save_screenshot(os.path.join(shots, f"FAILED-{name}.png"))
                except Exception:
                    pass
        print(f"{len(checks) - len(failures)} of {len(checks)} checks passed; pages: {', '.join(s.pages)}; screenshots in {shots}")
    finally:
        driver.quit()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
