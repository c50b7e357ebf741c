"""Queue workers: the inline thread pool (default) and, later, the Celery worker."""
