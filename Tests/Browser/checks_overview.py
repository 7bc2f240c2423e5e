"""The overview (/): every station with its status and latest values, the city's day so far, the
schematic map with a link per station, active alerts with their age."""
from datetime import datetime
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By


def check(s):
    # The demo city's stations keep Beijing time. In the first hour of their day no hour of it
    # has ended: the day-so-far tables are empty by design (the run fell between 16:00 and 17:00
    # UTC). In the second, one hour has ended, and a site whose only hour is flagged (the demo
    # flags about one hour in twenty: maintenance, calibration, fault) has no valid hour and no
    # row. The hour is read before and after the page's loads, which take a few seconds.
    hour_before = datetime.now(ZoneInfo("Asia/Shanghai")).hour
    d = s.open("/", name="overview")
    hours = {hour_before, datetime.now(ZoneInfo("Asia/Shanghai")).hour}
    text = s.text()
    # The demo city's stations by name, each row with a status.
    for name in ("Qinghe Environmental Monitoring Centre", "Qinghe Paper Co. wastewater outlet", "Baisha River"):
        assert name in text, f"the overview does not name {name}"
    rows = s.find_all("[data-test=station-row]")
    assert len(rows) >= 8, f"only {len(rows)} station rows"
    statuses = {r.get_attribute("data-status") for r in rows}
    assert statuses <= {"online", "late", "offline"} and "online" in statuses, f"statuses: {statuses}"
    # A latest value with its class against the limit, and a number in it.
    values = s.find_all("[data-test=value]")
    assert values, "no latest value is shown"
    assert all(v.get_attribute("data-class") in ("ok", "warn", "over", "nodata") for v in values)
    paper = s.find("[data-test=station-row][data-station=qinghe-paper-mill-outlet]")
    cod = paper.find_element(By.CSS_SELECTOR, "[data-test=value][data-parameter=COD]")
    number = cod.find_element(By.TAG_NAME, "b").text
    float(number)  # a reading, not a dash
    assert "COD" in (cod.get_attribute("title") or ""), "the value's title names its limit"
    # The city's day so far: the AQI of the live ambient sites, the class of the river section.
    if 0 in hours:
        print("  note: the first hour of the stations' local day: no day-so-far rows to check")
    else:
        sites = d.find_elements(By.CSS_SELECTOR, "[data-test=site-aqi][data-station=qinghe-aq-monitoring-centre]")
        if sites or 1 not in hours:
            aqi = s.find("[data-test=site-aqi][data-station=qinghe-aq-monitoring-centre]")
            int(aqi.find_element(By.CSS_SELECTOR, "[data-test=aqi-value]").text)
        else:
            print("  note: the second local hour, and the centre's one hour so far is not valid")
        section = s.find("[data-test=section-class][data-station=qinghe-baisha-river-boundary]")
        # The class is the second cell (the first holds the name, never empty).
        cells = section.find_elements(By.TAG_NAME, "td")
        assert len(cells) >= 2 and cells[1].text.strip(), "the river section has no class cell today"
    # The map: a dot per placed station, each a link to its page with a title.
    dots = s.find_all("[data-test=overview-map] [data-test=map-station]")
    ids = {a.get_attribute("data-station") for a in dots}
    assert "qinghe-wwtp-outlet" in ids and len(ids) >= 8, f"map stations: {sorted(ids)}"
    title = d.find_element(By.CSS_SELECTOR, "[data-station=qinghe-wwtp-outlet] circle title").get_attribute("textContent")
    assert "Qinghe Chengbei WWTP" in title, f"map title: {title}"
    # Active alerts with their age, and the way to the alerts page.
    ages = s.find_all("[data-test=alert-age]")
    assert ages and any(ch.isdigit() for ch in ages[0].text), "no active alert with its age"
    assert s.find("[data-test=alert-count]").get_attribute("href").endswith("/alerts")
    # A station's link leads to its page.
    link = paper.find_element(By.CSS_SELECTOR, "a[href='/stations/qinghe-paper-mill-outlet']")
    assert link.text, "the station's link has no name"
    # In Chinese too.
    s.driver.get(s.base + "/?lang=zh-CN")
    zh = s.text()
    assert "今日累计" in zh and "清河市环境监测站" in zh, "the Chinese overview lacks its words"
    s.driver.get(s.base + "/?lang=en")
