"""The alerts page (/alerts): submit an acknowledgement and a silence through the forms and see
them take effect, then expire the silence."""
import time

from selenium.webdriver.common.by import By


def submit(s, button):
    """Clicks a form's button and waits for the page it leads to."""
    s.follow(button.click, "a form of the alerts page")


def check(s):
    d = s.open("/alerts", name="alerts")
    rows = s.find_all("[data-test=active-alert]")
    assert rows, "the demo has active alerts, the page lists none"
    assert s.find_all("[data-test=history]"), "no history section"
    assert s.find_all("[data-test=episodes]"), "no episodes section"
    # Acknowledge the first alert that has an ack form.
    forms = d.find_elements(By.CSS_SELECTOR, "[data-test=ack-form]")
    assert forms, "no alert can be acknowledged"
    row = forms[0].find_element(By.XPATH, "./ancestor::tr")
    row.find_element(By.CSS_SELECTOR, "[data-test=act] summary").click()
    rule, station, parameter = (row.get_attribute(a) for a in ("data-rule", "data-station", "data-parameter"))
    forms[0].find_element(By.NAME, "comment").send_keys("browser check: called the plant")
    submit(s, forms[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "done=ack" in d.current_url, f"after the ack: {d.current_url}"
    assert s.find("[data-test=notice]").text, "no notice after the ack"
    selector = f"[data-test=active-alert][data-rule='{rule}'][data-station='{station}'][data-parameter='{parameter}']"
    acked = d.find_element(By.CSS_SELECTOR, selector + " [data-test=acked-by]")
    assert "✓" in acked.text, f"the acknowledged alert does not say who: {acked.text}"
    # Silence that alert's station and rule for the default time from its row.
    d.find_element(By.CSS_SELECTOR, selector + " [data-test=act] summary").click()
    silence = d.find_element(By.CSS_SELECTOR, selector + " [data-test=silence-alert-form]")
    submit(s, silence.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "done=silence" in d.current_url, f"after the silence: {d.current_url}"
    silences = s.find_all("[data-test=silence]")
    texts = [x.text for x in silences]
    assert any(f'station="{station}"' in t and f'alertname="{rule}"' in t for t in texts), f"silences: {texts}"
    # A silence from the free form, then expire it.
    d.find_element(By.ID, "matchers").send_keys('station="qinghe-cement-kiln-stack"')
    marker = "kiln maintenance %d" % time.time_ns()
    d.find_element(By.ID, "comment").send_keys(marker)
    submit(s, d.find_element(By.CSS_SELECTOR, "[data-test=silence-form] button[type=submit]"))
    row = [x for x in s.find_all("[data-test=silence]") if marker in x.text]
    assert row and 'station="qinghe-cement-kiln-stack"' in row[0].text, "the free-form silence is not listed"
    submit(s, row[0].find_element(By.CSS_SELECTOR, "[data-test=expire-form] button"))
    assert "done=expire" in d.current_url
    left = [x.text for x in s.find_all("[data-test=silence]")]
    assert not any(marker in t for t in left), f"the expired silence is still listed: {left}"
    # The notifier's side: what is undelivered is a number.
    int(s.find("[data-test=undelivered]").text)
