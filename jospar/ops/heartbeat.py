"""The background worker's heartbeat: `jospar worker` calls `beat()` every few seconds while
it runs; the health check reads `last_beat()`, the most recent beat of any worker."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db.models import Max
from django.utils import timezone

from jospar.ops.models import WorkerHeartbeat

# Beats of workers silent for this long are deleted (a restarted worker has a new pid).
FORGET_AFTER = dt.timedelta(days=7)


def worker_name(host: str | None = None, pid: int | None = None) -> str:
    """This process's name among the workers: `host:pid`."""
    return f"{host or socket.gethostname()}:{pid or os.getpid()}"[:100]


def beat(worker: str | None = None, *, now: dt.datetime | None = None) -> WorkerHeartbeat:
    """Record that `worker` (by default this process) is alive now."""
    now = now or timezone.now()
    host, pid = socket.gethostname(), os.getpid()
    worker = worker or worker_name(host, pid)
    heartbeat, created = WorkerHeartbeat.objects.get_or_create(
        worker=worker,
        defaults={"host": host[:255], "pid": pid, "started_at": now, "beat_at": now},
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(beat_at=now)
        heartbeat.beat_at = now
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
    return heartbeat


def last_beat() -> dt.datetime | None:
    """When a worker last showed it was alive; None if none ever did (or all were forgotten)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
