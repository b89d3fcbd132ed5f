"""The server process's garbage collector (jospar.ops.collector), set when jospar.wsgi loads."""

import gc
import importlib

import pytest

from jospar.ops import collector


@pytest.fixture
def restored():
    """Whatever a test does to the collector, the test process gets its own back."""
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_tuning_moves_what_is_loaded_out_of_sight_and_collects_less_often(restored):
    collector.tune()
    assert gc.get_threshold() == collector.THRESHOLDS
    assert gc.get_freeze_count() > 10_000  # Django and Jospar, loaded by now


def test_the_wsgi_application_tunes_the_collector_once_it_is_loaded(restored, monkeypatch):
    calls = []
    monkeypatch.setattr(collector, "tune", lambda: calls.append(gc.get_threshold()))
    import jospar.wsgi  # (the first import in this process tunes it too)

    calls.clear()
    importlib.reload(jospar.wsgi)
    assert len(calls) == 1
    assert callable(jospar.wsgi.application)
