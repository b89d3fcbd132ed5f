"""The burst benchmark's floor: Jospar's settings (middleware, logging, database connections)
with one URL, a view that makes one INSERT. bench_burst serves it with `jospar serve`, as
Jospar itself, so that the two differ only in what a save does."""

from jospar.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
