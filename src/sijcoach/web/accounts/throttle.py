"""Sign-in limits that slow guessing down without letting anyone lock anyone out.

Every password check (signing in, changing the password, deleting the account) is counted before the
password is looked at, against the account name and against the network address, each in one row
changed under a row lock (SQLite: the write lock IMMEDIATE transactions take), so parallel tries are
counted one by one: 40 at once check no more passwords than the limit allows.

After SIGNIN_FREE_TRIES failures in a row for an account (four times as many for an address), each
further try must wait: SIGNIN_FIRST_WAIT_S, then twice as long after each failure, up to
SIGNIN_LONGEST_WAIT_S. A success starts the account's count again; failures are forgotten after
SIGNIN_FORGET_S without one. An account that is waiting still takes one try from an address with no
failures of its own, so the right password from elsewhere still signs in: someone guessing cannot
lock the owner out, and each new address they use gets a single guess before it has to wait too.

Behind a reverse proxy every visitor arrives from the proxy's address: list the proxy in
SIJCOACH_TRUSTED_PROXIES and the client's address is read from the X-Forwarded-For header it sets.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sijcoach.web.accounts.models import SignInCounter

ACCOUNT, ADDRESS = SignInCounter.Kind.ACCOUNT, SignInCounter.Kind.ADDRESS
ADDRESS_FACTOR = 4  # an address may be shared (an office, a household): it gets more tries


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def address_of(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the right-most address in
    X-Forwarded-For that is not a trusted proxy (the entries to its left are whatever the client sent)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if _is_trusted(remote):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        for candidate in reversed(forwarded):
            if not _is_trusted(candidate):
                return candidate[:64]
    return remote[:64]


def _wait_after(failures: int, free: int) -> dt.timedelta | None:
    if failures < free:
        return None
    seconds = settings.SIGNIN_FIRST_WAIT_S * 2 ** min(failures - free, 20)
    return dt.timedelta(seconds=min(seconds, settings.SIGNIN_LONGEST_WAIT_S))


def _locked_row(kind: str, key: str, now) -> SignInCounter:
    row, _ = SignInCounter.objects.select_for_update().get_or_create(kind=kind, key=key)
    if row.last_at < now - dt.timedelta(seconds=settings.SIGNIN_FORGET_S):
        row.failures, row.wait_until = 0, None
    return row


def _clear_forgotten(now) -> None:
    """Rows nobody has failed on for SIGNIN_FORGET_S. Only those no other try holds (skip_locked):
    a plain DELETE could lock them in another order than a try does, and the two would deadlock."""
    with transaction.atomic():
        stale = SignInCounter.objects.select_for_update(skip_locked=True).filter(
            last_at__lt=now - dt.timedelta(seconds=settings.SIGNIN_FORGET_S))
        SignInCounter.objects.filter(pk__in=list(stale.values_list("pk", flat=True)[:100])).delete()


@dataclass(frozen=True)
class Attempt:
    """One password check, counted as a failure until `succeeded` says otherwise."""

    username: str
    address: str
    allowed: bool
    wait_s: int = 0
    address_wait: dt.datetime | None = None  # the address's wait this try started, if it did

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.wait_s / 60))
        return f"Too many wrong passwords: try again in {minutes} minute{'s' if minutes > 1 else ''}."

    def succeeded(self) -> None:
        """The password was right: the account's count starts again, and the address gets its try back
        (signing in to one's own account does not use up a shared address's tries)."""
        with transaction.atomic():
            SignInCounter.objects.filter(kind=ACCOUNT, key=self.username).delete()
            place = SignInCounter.objects.select_for_update().filter(kind=ADDRESS, key=self.address).first()
            if place is not None and place.failures > 0:
                place.failures -= 1
                if place.wait_until is not None and place.wait_until == self.address_wait:
                    place.wait_until = None
                place.save(update_fields=["failures", "wait_until"])


def begin(username: str, address: str) -> Attempt:
    """May a password be checked for `username` from `address` now? If so, the try is counted."""
    username = username.strip().lower()[:254]
    now = timezone.now()
    free = settings.SIGNIN_FREE_TRIES
    with transaction.atomic():
        # Always the account's row first, then the address's: two tries never wait on each other in a circle.
        account = _locked_row(ACCOUNT, username, now)
        place = _locked_row(ADDRESS, address, now)
        waits = [place.wait_until]
        if place.failures > 0:  # an address with no failures may try an account that is waiting
            waits.append(account.wait_until)
        until = max((w for w in waits if w is not None and w > now), default=None)
        if until is not None:
            return Attempt(username, address, allowed=False, wait_s=math.ceil((until - now).total_seconds()))
        for row, limit in ((account, free), (place, free * ADDRESS_FACTOR)):
            row.failures += 1
            row.last_at = now
            wait = _wait_after(row.failures, limit)
            row.wait_until = now + wait if wait else None
            row.save()
    _clear_forgotten(now)
    return Attempt(username, address, allowed=True, address_wait=place.wait_until)

