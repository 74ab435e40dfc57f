"""``manage.py generate_national_data``: the national world every benchmark states
(``demo/national.py``; benchmarks/README.md)."""

from django.core.management.base import BaseCommand, CommandError

from demo.national import Params, generate, remove_generated


class Command(BaseCommand):
    help = ("Generate national data for benchmarks: ≈2,700 evaluated bodies of the registry's "
            "structure, services, two cycles with score sheets, reports, conclusions and "
            "'Мониторинг' rows (idempotent; other parameters replace the generated world).")

    def add_arguments(self, parser):
        parser.add_argument("--bodies", type=int, default=2700,
                            help="evaluated bodies in the world, demo bodies included")
        parser.add_argument("--cycles", type=int, default=2, choices=(1, 2, 3))
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--services", type=int, default=300)
        parser.add_argument("--monitoring-rows", type=int, default=100_000)
        parser.add_argument("--conclusions", action="store_true", default=True,
                            help="conclusion rows (the default)")
        parser.add_argument("--no-conclusions", dest="conclusions", action="store_false")
        parser.add_argument("--replace", action="store_true",
                            help="make the world anew even when it is there")
        parser.add_argument("--remove", action="store_true",
                            help="delete the generated world and stop")

    def handle(self, *args, **o):
        if o["remove"]:
            remove_generated()
            self.stdout.write(self.style.SUCCESS("The generated world is removed."))
            return
        if o["bodies"] < 1 or o["services"] < 1 or o["monitoring_rows"] < 0:
            raise CommandError("--bodies and --services must be positive, "
                               "--monitoring-rows not negative")
        params = Params(bodies=o["bodies"], cycles=o["cycles"], seed=o["seed"],
                        services=o["services"], monitoring_rows=o["monitoring_rows"],
                        conclusions=o["conclusions"])
        result = generate(params, replace=o["replace"], out=self.stdout.write)
        if result["created"]:
            self.stdout.write(self.style.SUCCESS(
                f"National data: {result['bodies']} evaluated bodies, cycles "
                f"{', '.join(result['cycles'])}."))
