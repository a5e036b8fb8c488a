"""Sign in to a running inspect-ready and fetch its pages, as scripts/check_package.sh needs.

    python check_package_pages.py BASE_URL LOGINS.json [ANNEX_A_WORKBOOK.xlsx]

For each demo login (one per role): the sign-in page (200, its title), a sign-in with the
form's CSRF token, the home page (200, the council's name), every page the navigation
shows that role and the static files the home page uses. Given a workbook, a senior leader
then imports it and the page must show the figures within a minute: a job consumer must be
running the queue. Exits non-zero, naming the page, on the first failure. Only the
standard library: it runs with whatever Python is at hand.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html import unescape
from html.parser import HTMLParser

SIGN_IN_TITLE = "Sign in – Inspect ready"


class Failure(Exception):
    pass


class Links(HTMLParser):
    """The navigation's links and the page's own stylesheets and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.navigation: list[str] = []
        self.assets: list[str] = []
        self._in_nav = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav":
            self._in_nav += 1
        elif tag == "a" and self._in_nav and attributes.get("href", "").startswith("/"):
            self.navigation.append(attributes["href"])
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.assets.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        # Production cookies are Secure. The check talks to gunicorn over plain HTTP on
        # 127.0.0.1, standing in for the HTTPS proxy a council puts in front of it, so
        # this jar sends Secure cookies over http too: Python's jar would not by default
        # (curl does, for 127.0.0.1 and localhost).
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, method="POST"))

    def post_file(self, path: str, fields: dict[str, str], name: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.base + path,
            data=b"".join(parts),
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode("utf-8", "replace")


def title_of(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    return unescape(found.group(1)).strip() if found else ""


def expect_page(browser: Browser, path: str, *texts: str) -> str:
    status, url, page = browser.get(path)
    if status != 200:
        raise Failure(f"GET {path}: status {status} (at {url})")
    if not title_of(page):
        raise Failure(f"GET {path}: the page has no title")
    for text in texts:
        if text not in page:
            raise Failure(f"GET {path}: {text!r} is not on the page (title {title_of(page)!r})")
    return page


def csrf_token(page: str, where: str) -> str:
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    if not token:
        raise Failure(f"the form on {where} has no CSRF token")
    return token.group(1)


def sign_in(browser: Browser, login: dict) -> None:
    page = expect_page(browser, "/sign-in")
    if title_of(page) != SIGN_IN_TITLE:
        raise Failure(f"the sign-in page's title is {title_of(page)!r}, not {SIGN_IN_TITLE!r}")
    status, url, page = browser.post(
        "/sign-in", {"csrf_token": csrf_token(page, "/sign-in"), "email": login["email"], "password": login["password"]}
    )
    if status != 200 or urllib.parse.urlsplit(url).path != "/":
        raise Failure(f"signing in as {login['email']} ended at {url} with status {status} ({title_of(page)!r})")


def check_login(base: str, login: dict) -> int:
    browser = Browser(base)
    sign_in(browser, login)
    home = expect_page(browser, "/", login["council"])
    links = Links()
    links.feed(home)
    if not links.navigation:
        raise Failure(f"the home page shows {login['role']} no navigation")
    for path in dict.fromkeys(links.navigation):
        expect_page(browser, path)
    for asset in dict.fromkeys(links.assets):
        status, _, _ = browser.get(asset)
        if status != 200:
            raise Failure(f"GET {asset}: status {status}")
    return 2 + len(set(links.navigation)) + len(set(links.assets))


def import_annex_a(base: str, login: dict, workbook: str) -> None:
    """The workbook the synthetic generator wrote for March 2025, imported by a job."""
    browser = Browser(base)
    sign_in(browser, login)
    form = expect_page(browser, "/performance/annex-a")
    fields = {
        "csrf_token": csrf_token(form, "/performance/annex-a"),
        "month": "3",
        "year": "2025",
        "cp_visit_working_days": "10",
    }
    with open(workbook, "rb") as file:
        status, url, page = browser.post_file("/performance/annex-a", fields, "workbook", "annex-a.xlsx", file.read())
    job_page = urllib.parse.urlsplit(url).path
    if status != 200 or not re.fullmatch(r"/performance/annex-a/\d+", job_page):
        raise Failure(f"uploading the Annex A workbook ended at {url} with status {status} ({title_of(page)!r})")
    deadline = time.monotonic() + 60
    while "figures saved as the indicators' values for March 2025" not in page:
        if "already has figures. Nothing has been saved" in page:
            # The demo holds March 2025's values: the import waits for a person to confirm.
            status, url, page = browser.post(
                f"{job_page}/confirm", {"csrf_token": csrf_token(page, job_page), "confirm": "Save the new figures"}
            )
            if status != 200:
                raise Failure(f"confirming the Annex A import ended at {url} with status {status}")
            continue
        if "The import failed" in page:
            raise Failure(f"the Annex A import failed: {job_page}")
        if time.monotonic() > deadline:
            raise Failure(
                f"the Annex A import did not finish within a minute: is the job consumer running? ({job_page})"
            )
        time.sleep(0.5)
        page = expect_page(browser, job_page)
    print(f"  {login['role']} imported an Annex A workbook: the job consumer computed its figures ({job_page})")


def main(base: str, logins_file: str, workbook: str | None) -> int:
    logins = json.loads(open(logins_file, encoding="utf-8").read())
    if not logins:
        raise Failure(f"{logins_file} holds no logins")
    fetched = 0
    for login in logins:
        fetched += check_login(base, login)
        print(f"  signed in as {login['role']} of {login['council']}: home and every page of the navigation")
    print(f"  {fetched} pages and files fetched for {len(logins)} logins")
    if workbook:
        leader = next((login for login in logins if login["role"] == "senior leader"), None)
        if leader is None:
            raise Failure(f"{logins_file} has no senior leader to import the workbook")
        import_annex_a(base, leader, workbook)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
    except Failure as failure:
        print(f"check_package_pages: {failure}", file=sys.stderr)
        sys.exit(1)
