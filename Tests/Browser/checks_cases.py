"""The case register (/cases): overdue cases first, a case's page with its history, a CSV link."""
from selenium.webdriver.common.by import By


def check(s):
    d = s.open("/cases", name="cases")
    rows = s.find_all("[data-test=case-row]")
    assert len(rows) >= 5, f"only {len(rows)} cases listed"
    flags = [r.get_attribute("data-overdue") == "true" for r in rows]
    # Overdue cases (if any) all come before the others.
    assert flags == sorted(flags, reverse=True), f"overdue cases are not first: {flags}"
    assert "ZY-2026-01" in s.text(), "the demo's first case is not listed"
    csv = s.find("[data-test=cases-csv]").get_attribute("href")
    assert "/cases.csv" in csv, f"CSV link: {csv}"
    s.open("/cases/ZY-2026-01", name="case")
    assert "ZY-2026-01" in s.find("[data-test=case-title]").text
    events = s.find_all("[data-test=case-event]")
    assert len(events) >= 2, "the case's history is missing"
    assert "下达限期整改通知书" in s.text(), "the case's notes are not shown"
    assert s.find("[data-test=case-csv]").get_attribute("href").endswith("/cases/ZY-2026-01/history.csv")
    d.get(s.base + "/cases?lang=en")
