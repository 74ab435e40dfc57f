"""The simulated users of the load benchmark (``benchmarks/load.py``), run by locust in its own
environment (``var/bench-venv``); never imported by the application.

The plan — who logs in and which pages each role opens — is the JSON file named by
``BENCH_LOAD_PLAN``, written by ``load.py`` from the generated national world: for each role a
demo login and its main pages (paths and the name each is reported under). A user logs in once
(the login form, its CSRF token), then opens its role's pages one after the other with 1–3 s of
think time. Anonymous visitors open the login page (the anchor: every page's p95 is compared
with the login page's in the same run). Any status but 200 — a redirect to the login form
included — is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())
PASSWORD = PLAN["password"]
ROLES = PLAN["roles"]
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_role = itertools.cycle(sorted(ROLES))


def _get(client, path: str, name: str) -> None:
    with client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} {response.headers.get('Location', '')}")


class Visitor(HttpUser):
    """Not logged in: the login page."""

    weight = 1
    wait_time = between(1, 3)

    @task
    def login_page(self) -> None:
        _get(self.client, "/accounts/login/", "login page")


class RoleUser(HttpUser):
    """A person of one role (the roles taken in turn), logged in, opening the role's pages."""

    weight = 9
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.role = next(_next_role)
        plan = ROLES[self.role]
        self.pages = plan["pages"]
        self.turn = random.randrange(len(self.pages))
        form = self.client.get("/accounts/login/", name="login page")
        token = _TOKEN.search(form.text)
        with self.client.post("/accounts/login/", name="login (POST)", catch_response=True,
                              allow_redirects=False, data={
                                  "username": plan["username"], "password": PASSWORD,
                                  "csrfmiddlewaretoken": token.group(1) if token else ""},
                              headers={"Referer": self.host + "/accounts/login/"}) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code}")

    @task
    def next_page(self) -> None:
        page = self.pages[self.turn % len(self.pages)]
        self.turn += 1
        _get(self.client, page["path"], page["name"])
