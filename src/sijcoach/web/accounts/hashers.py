"""The password hasher: Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), Django's documented way of
choosing Argon2's costs (a subclass of its hasher).

Django's own Argon2 costs (m=100 MiB, t=2, p=8) took 145-210 ms a check on the 2-core server the
benchmark runs on (bench/web.py prints both), using every core while it runs: each sign-in
stalled the pages being served beside it, and a few sign-ins at once held every worker. OWASP's
Password Storage Cheat Sheet lists m=19 MiB, t=2, p=1 as the minimum Argon2id configuration; it
costs 20-25 ms a check here (a sixth to a ninth of Django's) on one core. Guessing online is held back by the sign-in
limits, not by the hash; the hash protects passwords in a stolen database, where Argon2id stays
memory-hard at these costs.

The algorithm's name stays "argon2", so passwords hashed with Django's costs still check, and
Django re-hashes them with these costs at the person's next sign-in (`must_update` compares them).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
