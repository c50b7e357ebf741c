"""Every page under the site's Content-Security-Policy (sent on every response, tests/app/
test_http_hardening.py): Chromium enforces it, and no page, script or stylesheet trips it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from models.registry import DEMOS

# a listener set before any page script runs: each violation the browser reports is kept
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""
PAGES = ["/", "/papers/wavenet", "/search?q=receptive+field", "/tags", "/stream", "/demos", "/login", "/signup",
         "/docs", "/demos/colorization/test", *(f"/demos/{spec.name}" for spec in DEMOS)]


@pytest.mark.parametrize("path", PAGES)
def test_the_page_runs_with_the_policy_enforced_and_no_violation(page: Page, path: str) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.ok, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_timeout(300)  # scripts that typeset or draw after load (KaTeX, demo widgets)
    violations = page.evaluate("window.__violations")
    assert violations == [], (path, violations)
    assert not [text for text in console if "Content Security Policy" in text], (path, console)
    assert page.foreign_requests == []
