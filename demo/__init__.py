"""The demo: what ``make run`` loads (``seed_demo``, ``demo_logins``) and the cycle played end to
end (``demo_cycle``). Not production: it may import every app, and no app imports it."""
