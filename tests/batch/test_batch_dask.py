"""The batch on Dask distributed: the same result files, byte for byte, as the process pool."""

from __future__ import annotations

import pytest

from tests.batch.conftest import AS_OF, batch, batch_json, corpus, result_files

pytest.importorskip("distributed", reason="the 'dask' extra is not installed")


@pytest.mark.slow
def test_a_local_dask_cluster_writes_the_pool_s_files_byte_for_byte(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    pool_code, pool = batch_json(
        str(inputs), "--out", str(tmp_path / "pool"), "--as-of", AS_OF, "--workers", "2"
    )
    dask_code, dask = batch_json(
        str(inputs), "--out", str(tmp_path / "dask"), "--as-of", AS_OF, "--dask-local", "2"
    )
    assert (pool_code, dask_code) == (1, 1)
    assert dask["files"] == pool["files"]
    pool_files, dask_files = result_files(tmp_path / "pool"), result_files(tmp_path / "dask")
    # 3 summary files, 31 issues files (28 invalid inputs, 3 valid submissions with warnings),
    # 3 passports and 3 DD results
    assert len(pool_files) == 3 + 31 + 6
    assert dask_files == pool_files


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_usage_error(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    code, _, err = batch(
        str(inputs / "sub-valid"), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9"
    )
    assert code == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in err
