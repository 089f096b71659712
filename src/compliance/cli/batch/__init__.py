"""``compliance batch``: the pipeline over many files, on a process pool or a Dask cluster.

Modules: :mod:`~compliance.cli.batch.records` (the frozen per-file records),
:mod:`~compliance.cli.batch.settings` (a run's settings, what workers load, the versions
fingerprint), :mod:`~compliance.cli.batch.work` (one file through :mod:`compliance.pipeline`),
:mod:`~compliance.cli.batch.engines` (process pool, Dask), :mod:`~compliance.cli.batch.manifest`
(resuming), :mod:`~compliance.cli.batch.summary` (JSON, CSV, HTML),
:mod:`~compliance.cli.batch.output` (what is printed) and :mod:`~compliance.cli.batch.runner`
(the coordinator).
"""
