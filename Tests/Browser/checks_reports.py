"""Report pages: each with a chart, a table and a CSV download, in both languages."""
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By


def csv_of(s, d, href):
    """The CSV behind a page's link, fetched with the browser's session cookie."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    request = urllib.request.Request(href if href.startswith("http") else s.base + href, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers.get("Content-Type", "").startswith("text/csv"), response.headers.get("Content-Type")
        return response.read().decode("utf-8-sig")


def check(s):
    d = s.open("/reports", name="reports")
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "[data-test=report-link]")]
    assert len(links) == 4, f"the reports index lists {len(links)} reports"

    # The year of yesterday in Beijing: on 1 January the new year holds no whole day yet.
    year = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).year
    d = s.open("/reports/air?year=%d" % year, name="report-air")
    assert d.find_elements(By.CSS_SELECTOR, "[data-test=air-daily-aqi] [data-test=bar]"), "the air year has no daily AQI bar"
    assert "Qinghe" in s.text() or "清河" in s.text(), "no site named in the air table"
    csv = csv_of(s, d, d.find_element(By.CSS_SELECTOR, "[data-test=report-csv]").get_attribute("href"))
    assert csv.startswith("site,period,days"), f"the air CSV is not envmon report air's: {csv[:80]}"

    d = s.open("/reports/section", name="report-section")
    assert not d.find_elements(By.CSS_SELECTOR, "[data-test=report-error]"), d.find_element(By.CSS_SELECTOR, "[data-test=report-error]").text
    assert d.find_elements(By.CSS_SELECTOR, "[data-test=section-classes]"), "the section month has no chart"
    rows = d.find_elements(By.CSS_SELECTOR, "[data-test=report-table] tr")
    assert len(rows) >= 2, "the section month's table is empty"
    csv = csv_of(s, d, d.find_element(By.CSS_SELECTOR, "[data-test=report-csv]").get_attribute("href"))
    assert csv.startswith("section,month,class"), csv[:80]

    d = s.open("/reports/loads", name="report-loads")
    assert not d.find_elements(By.CSS_SELECTOR, "[data-test=report-error]"), d.find_element(By.CSS_SELECTOR, "[data-test=report-error]").text
    chart = d.find_element(By.CSS_SELECTOR, "[data-test=loads-progress], [data-test=loads-totals]")
    assert chart.find_elements(By.CSS_SELECTOR, "[data-test=bar]"), "the loads chart has no bar"
    csv = csv_of(s, d, d.find_element(By.CSS_SELECTOR, "[data-test=report-csv]").get_attribute("href"))
    assert csv.startswith("group,pollutant"), csv[:80]

    d = s.open("/reports/scorecard", name="report-scorecard")
    assert not d.find_elements(By.CSS_SELECTOR, "[data-test=report-error]"), d.find_element(By.CSS_SELECTOR, "[data-test=report-error]").text
    assert d.find_elements(By.CSS_SELECTOR, "[data-test=scorecard-tally] [data-test=bar]"), "the scorecard has no chart"
    assert len(d.find_elements(By.CSS_SELECTOR, "[data-test=report-table] tr")) >= 2, "the scorecard's table is empty"
    csv = csv_of(s, d, d.find_element(By.CSS_SELECTOR, "[data-test=report-csv]").get_attribute("href"))
    assert csv.startswith("id,indicator,target"), csv[:80]
