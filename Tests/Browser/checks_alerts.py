"""The alerts page (/alerts): submit an acknowledgement and a silence through the forms and see
them take effect, then expire the silence."""
from selenium.webdriver.common.by import By


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
    forms[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "done=ack" in d.current_url, f"after the ack: {d.current_url}"
    assert s.find("[data-test=notice]").text, "no notice after the ack"
    selector = f"[data-test=active-alert][data-rule='{rule}'][data-station='{station}'][data-parameter='{parameter}']"
    acked = d.find_element(By.CSS_SELECTOR, selector + " [data-test=acked-by]")
    assert "✓" in acked.text, f"the acknowledged alert does not say who: {acked.text}"
    # Silence that alert's station and rule for the default time from its row.
    d.find_element(By.CSS_SELECTOR, selector + " [data-test=act] summary").click()
    silence = d.find_element(By.CSS_SELECTOR, selector + " [data-test=silence-alert-form]")
    silence.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "done=silence" in d.current_url, f"after the silence: {d.current_url}"
    silences = s.find_all("[data-test=silence]")
    texts = [x.text for x in silences]
    assert any(f'station="{station}"' in t and f'alertname="{rule}"' in t for t in texts), f"silences: {texts}"
    # A silence from the free form, then expire it.
    d.find_element(By.ID, "matchers").send_keys('station="qinghe-cement-kiln-stack"')
    d.find_element(By.ID, "comment").send_keys("kiln maintenance")
    d.find_element(By.CSS_SELECTOR, "[data-test=silence-form] button[type=submit]").click()
    row = [x for x in s.find_all("[data-test=silence]") if "qinghe-cement-kiln-stack" in x.text]
    assert row and "kiln maintenance" in row[0].text, "the free-form silence is not listed"
    row[0].find_element(By.CSS_SELECTOR, "[data-test=expire-form] button").click()
    assert "done=expire" in d.current_url
    left = [x.text for x in s.find_all("[data-test=silence]")]
    assert not any("qinghe-cement-kiln-stack" in t for t in left), f"the expired silence is still listed: {left}"
    # The notifier's side: what is undelivered is a number.
    int(s.find("[data-test=undelivered]").text)
