"""Python's cyclic garbage collector set for a server process that answers large pages.

A 2,000-action plan page allocates some 55,000 container objects more than it frees before it
ends (model instances, their dicts, the rows' lists): with the default thresholds (700, 10, 10)
the collector ran ~80 times in such a request, and in some requests a full collection over every
object the process holds, Django's own included (those requests took ~300 ms, the others ~200).
What was loaded at start-up lives as long as the process, so it is moved out of the collector's
sight (`gc.freeze`, which also keeps a forked worker from touching those pages); and the
youngest generation is collected after 50,000 allocations instead of 700, so a request of that
size runs it once or twice. Reference counting still frees everything that is not a cycle at
once; only cyclic garbage waits a little longer."""

import gc

THRESHOLDS = (50_000, 20, 10)


def tune() -> None:
    """Called once the application is loaded (jospar.wsgi)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
