"""Start-up is one process at a time: a second holder waits until the first lets go (a
PostgreSQL advisory lock, or a lock file beside a SQLite database)."""

import threading

from app.db.engine import make_engine
from app.db.process_lock import exclusive_startup


def test_a_second_holder_waits_for_the_first(settings) -> None:
    first, second = make_engine(settings.resolved_database_url), make_engine(settings.resolved_database_url)
    acquired = threading.Event()

    def second_holder() -> None:
        with exclusive_startup(second):
            acquired.set()

    with exclusive_startup(first):
        waiter = threading.Thread(target=second_holder)
        waiter.start()
        assert not acquired.wait(0.5)  # blocked while the first holds it
    assert acquired.wait(10)  # and through as soon as it is let go
    waiter.join(10)
    first.dispose()
    second.dispose()
