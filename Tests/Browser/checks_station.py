"""Station pages as a duty officer reads them: the outlet's trend with its discharge limit, the
range buttons, the custom range form, an ambient site's daily AQI on HJ 633's colours, a section's
daily class against its target."""
from selenium.webdriver.common.by import By


def check(s):
    # The WWTP outlet: a chart per parameter, COD's limit line (GB 18918-2002 1A, 50 mg/L).
    d = s.open("/stations/qinghe-wwtp-outlet?range=week", name="station-outlet")
    assert "清河市城北污水处理厂" in s.text(), "the station's name is not shown"
    charts = d.find_elements(By.CSS_SELECTOR, "[data-test=trend-chart]")
    assert len(charts) >= 2, f"expected a chart per parameter, found {len(charts)}"
    cod = d.find_element(By.CSS_SELECTOR, "[data-test=station-series][data-parameter=COD]")
    limit = cod.find_element(By.CSS_SELECTOR, "[data-test=limit-line]")
    assert limit.get_attribute("data-value") == "50", f"COD's limit line is at {limit.get_attribute('data-value')}, not 50"
    assert "GB 18918-2002" in cod.text, "the limit's source is not written beside the chart"
    line = cod.find_element(By.CSS_SELECTOR, "[data-test=mean-line]")
    assert len(line.get_attribute("d")) > 20, "the COD chart draws no line: the demo's week has readings"
    assert cod.find_element(By.CSS_SELECTOR, "[data-test=latest-value]").text.strip(), "no latest value"
    # The range buttons: Day is a link that switches the charts to a day.
    s.follow(d.find_element(By.CSS_SELECTOR, "[data-test=station-ranges] a[href*='range=day']").click, "the day range")
    assert "range=day" in d.current_url, f"the day range link led to {d.current_url}"
    active = d.find_element(By.CSS_SELECTOR, "[data-test=station-ranges] a.active").text
    assert active == "Day", f"the day range is not the active one: {active}"
    # The custom form: from/to dates and a step.
    form = d.find_element(By.CSS_SELECTOR, "[data-test=station-range-form]")
    form.find_element(By.NAME, "from").send_keys("now-3d")
    form.find_element(By.NAME, "step").send_keys("1h")
    s.follow(form.find_element(By.CSS_SELECTOR, "button[type=submit]").click, "the step form")
    assert "step=1h" in d.current_url, f"the step form led to {d.current_url}"
    assert "aggregates by the step" in s.text(), "the step asked for is not said"
    # The ambient site: daily AQI bars in HJ 633's colours.
    d = s.open("/stations/qinghe-aq-monitoring-centre?range=week", name="station-ambient")
    bars = d.find_elements(By.CSS_SELECTOR, "[data-test=daily-aqi-chart] [data-test=bar]")
    assert bars, "the ambient site shows no daily AQI bar"
    colours = {b.get_attribute("fill") for b in bars}
    hj633 = {"rgb(0,228,0)", "rgb(255,255,0)", "rgb(255,126,0)", "rgb(255,0,0)", "rgb(153,0,76)", "rgb(126,0,35)"}
    assert colours <= hj633, f"AQI bars not in HJ 633's colours: {colours - hj633}"
    assert d.find_elements(By.CSS_SELECTOR, "[data-test=hourly-aqi-chart] [data-test=colour-band]"), "no AQI colour bands behind the hourly AQI"
    # The river section: its daily class against the target.
    d = s.open("/stations/qinghe-baisha-river-boundary?range=week", name="station-section")
    assert d.find_elements(By.CSS_SELECTOR, "[data-test=daily-class-chart]"), "the section shows no daily class chart"
