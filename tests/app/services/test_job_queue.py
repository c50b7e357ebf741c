from datetime import timedelta

import pytest

from app.services import job_queue


def queue(session, demo: str = "tiny"):
    return job_queue.enqueue(session, job_id=job_queue.new_job_id(), demo=demo, params={}, inputs={},
                             submitter=None, client="127.0.0.1", max_active=10, per_minute=100)


def test_claims_are_oldest_first_and_never_double(session) -> None:
    first, second = queue(session), queue(session)
    assert job_queue.claim_next_job(session).id == first.id
    assert job_queue.claim_next_job(session).id == second.id
    assert job_queue.claim_next_job(session) is None


def test_a_restart_retries_a_cut_off_job_once_then_fails_it(session) -> None:
    job = queue(session)
    job_queue.claim_next_job(session)
    assert job_queue.recover_jobs(session) == (1, 0)  # running when the process died: queued again
    session.refresh(job)
    assert job.status == "queued"
    job_queue.claim_next_job(session)
    assert job_queue.recover_jobs(session) == (0, 1)
    session.refresh(job)
    assert job.status == "failed" and "interrupted by a restart 2 times" in job.error


def test_queued_jobs_survive_a_restart_untouched(session) -> None:
    job = queue(session)
    assert job_queue.recover_jobs(session) == (0, 0)
    assert job_queue.claim_next_job(session).id == job.id


def test_finished_jobs_expire_with_their_files(session, tmp_path) -> None:
    job = queue(session)
    job_queue.claim_next_job(session)
    job_queue.complete_job(session, job.id, result={}, files=["a.txt"])
    folder = job_queue.job_folder(tmp_path, job.id)
    folder.mkdir(parents=True)
    assert job_queue.expire_jobs(session, tmp_path, older_than=timedelta(hours=1)) == 0
    assert job_queue.expire_jobs(session, tmp_path, older_than=timedelta(seconds=-1)) == 1
    assert not folder.exists() and job_queue.get_job(session, job.id) is None


def test_per_client_rate_limit(session) -> None:
    def submit(client: str):
        return job_queue.enqueue(session, job_id=job_queue.new_job_id(), demo="tiny", params={}, inputs={},
                                 submitter=None, client=client, max_active=100, per_minute=2)

    submit("10.0.0.1"), submit("10.0.0.1")
    with pytest.raises(job_queue.RateLimited):
        submit("10.0.0.1")
    submit("10.0.0.2")  # another client is not held back
