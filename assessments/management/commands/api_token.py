"""Issue, list and revoke API tokens, and create service accounts (issue 19; docs/api.md).

    manage.py api_token issue --admin admin --user mf-system --scopes scores:read,reports:submit \
        --name "ИС министерства" --days 365
    manage.py api_token service-account --admin admin --organisation 123456789012 \
        --username mf-system --system "ИС министерства" --role body_submitter
    manage.py api_token revoke --admin admin --prefix oa_AbCdEfG
    manage.py api_token list
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from assessments.api.services import service_account_create, token_issue, token_revoke
from assessments.kernel import clock
from assessments.kernel.errors import DomainError
from assessments.models import ApiToken, Organisation, User


class Command(BaseCommand):
    help = "Issue, list and revoke API tokens; create an organisation's service account."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue")
        issue.add_argument("--admin", required=True, help="the administrator issuing it")
        issue.add_argument("--user", required=True, help="the account it is issued to")
        issue.add_argument("--scopes", required=True,
                           help="comma-separated: scores:read, reports:submit, imports:write")
        issue.add_argument("--name", default="")
        issue.add_argument("--days", type=int, default=365)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("--admin", required=True)
        revoke.add_argument("--prefix", required=True)
        sub.add_parser("list")
        account = sub.add_parser("service-account")
        account.add_argument("--admin", required=True)
        account.add_argument("--organisation", required=True, help="the organisation's БИН")
        account.add_argument("--username", required=True)
        account.add_argument("--system", required=True, help="the information system's name")
        account.add_argument("--role", action="append", required=True,
                             help="role[:direction], repeatable")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}")

    def handle(self, *args, action, **options):
        try:
            if action == "issue":
                issued = token_issue(
                    actor=self._user(options["admin"]), user=self._user(options["user"]),
                    name=options["name"], scopes=[s.strip() for s in options["scopes"].split(",")
                                                  if s.strip()],
                    expires_at=clock.now() + timedelta(days=options["days"]))
                self.stdout.write(issued.key)
            elif action == "revoke":
                tokens = ApiToken.objects.filter(prefix=options["prefix"][:10])
                if not tokens:
                    raise CommandError("no token with that prefix")
                for token in tokens:
                    token_revoke(actor=self._user(options["admin"]), token=token)
                self.stdout.write(f"revoked {len(tokens)}")
            elif action == "list":
                for t in ApiToken.objects.select_related("user"):
                    state = "revoked" if t.revoked_at else (
                        "expired" if t.expires_at <= clock.now() else "live")
                    self.stdout.write(f"{t.prefix}  {t.user.username:<24} {','.join(t.scopes):<45}"
                                      f" {t.expires_at:%Y-%m-%d}  {state}  {t.name}")
            else:
                try:
                    organisation = Organisation.objects.get(bin=options["organisation"])
                except Organisation.DoesNotExist:
                    raise CommandError("no organisation with that БИН")
                roles = [tuple((r.split(":", 1) + [""])[:2]) for r in options["role"]]
                account = service_account_create(
                    actor=self._user(options["admin"]), organisation=organisation,
                    system=options["system"], username=options["username"], roles=roles)
                self.stdout.write(f"service account {account.user.username} of {organisation}")
        except DomainError as error:
            raise CommandError(error.message)
