"""Background jobs: work that can take longer than a second, run by a Celery worker
(or at once, without a broker) and followed on its page, /jobs/<id>/.

- models.py    the Job row: who started what, its status, progress and outcome
- services.py  job_start and the transitions the runner makes
- runner.py    @job_task: turns a service into a task that reports progress, retries
               where safe and records its failure with the reason
- selectors.py, permissions.py   who may see a job (its owner and administrators)
"""
