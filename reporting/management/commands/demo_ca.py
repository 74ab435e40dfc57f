"""``manage.py demo_ca``: create the demo certification authority (idempotent), issue signing
credentials, export the trust root."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from reporting.signing import ca
from reporting.signing.errors import SigningError
from reporting.signing.pkcs12 import certificate_fingerprint


class Command(BaseCommand):
    help = (
        "Create the demo CA under SIGNING_CA_DIR if it does not exist (idempotent); optionally "
        "issue a signing credential to people and export the root as trust-root.pem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--issue", metavar="USERNAME", action="append", default=[],
                            help="issue a credential to this user (repeatable)")
        parser.add_argument("--all-users", action="store_true",
                            help="issue a credential to every active user without one")
        parser.add_argument("--passphrase",
                            help="passphrase protecting the issued PKCS#12 (asked if omitted)")
        parser.add_argument("--reissue", action="store_true",
                            help="with --issue: replace an existing active credential")
        parser.add_argument("--export-root", metavar="DIR",
                            help="write DIR/trust-root.pem (the root certificate)")

    def handle(self, *args, **options):
        from assessments.models import User
        from reporting.signing.services import active_credential, signing_credential_issue

        authority = ca.demo_ca()
        self.stdout.write(
            f"Demo CA: {authority.root_path}  "
            f"(SHA-256 {certificate_fingerprint(authority.certificate)})"
        )
        users = []
        for username in options["issue"]:
            try:
                users.append(User.objects.get(username=username))
            except User.DoesNotExist:
                raise CommandError(f"no user {username!r}")
        if options["all_users"]:
            users += list(User.objects.filter(is_active=True).exclude(
                signing_credentials__active=True))
        if users:
            passphrase = options["passphrase"] or getpass.getpass("PKCS#12 passphrase: ")
            for user in users:
                if active_credential(user) is not None and not options["reissue"]:
                    self.stdout.write(f"  {user.username}: has an active credential (kept)")
                    continue
                try:
                    credential = signing_credential_issue(user=user, passphrase=passphrase)
                except SigningError as exc:
                    raise CommandError(f"{user.username}: {exc}")
                self.stdout.write(f"  {user.username}: issued {credential.subject}")
        if options["export_root"]:
            path = ca.export_trust_root(options["export_root"])
            self.stdout.write(f"Trust root written to {path}")
