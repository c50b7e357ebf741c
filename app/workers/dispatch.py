"""How the web process hands a queued job to whatever runs it."""


class QueueUnreachable(RuntimeError):
    """The queue (Redis) did not take the job; the message says so in words a reader can use."""
