"""``jiancha run --engine spark`` against a real standalone cluster, storing clues in PostgreSQL.

A master and one worker are started on 127.0.0.1 (random free ports) with the pyspark package's
own daemon script (``$SPARK_HOME/sbin/spark-daemon.sh``, which start-master.sh and
start-worker.sh wrap; the pip package ships only the former) and stopped afterwards. The run
is a separate process, as a user would start it; its clues must be the DuckDB run's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clues.conftest import PG_URL, _pg_schema_url, pg_problem  # noqa: F401 (a fixture)
from jiancha.clues import ClueStore
from jiancha.clues.anchors import ANCHOR_FILE
from jiancha.clues.seal import ENV_ANCHORS, ENV_KEY

from .conftest import on_duckdb
from .test_faults import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(2400)]

MASTER = "org.apache.spark.deploy.master.Master"
WORKER = "org.apache.spark.deploy.worker.Worker"


def _java_missing() -> bool:
    home = os.environ.get("JAVA_HOME")
    return not ((home and Path(home, "bin", "java").exists()) or shutil.which("java"))


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The master's URL, once a worker has registered with it."""
    if _java_missing():
        pytest.skip("Java is missing (no $JAVA_HOME/bin/java, no java on the PATH): Spark needs a JVM")
    pyspark = pytest.importorskip("pyspark")
    home = Path(pyspark.__file__).parent
    folder = tmp_path_factory.mktemp("standalone")
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOG_DIR": str(folder / "logs"),
        "SPARK_PID_DIR": str(folder),
        "SPARK_WORKER_DIR": str(folder / "work"),
        "SPARK_IDENT_STRING": f"jiancha-test-{uuid.uuid4().hex[:8]}",
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
    }
    env.pop("SPARK_MASTER", None)  # spark-daemon.sh would rsync from it
    daemon = ["bash", str(home / "sbin" / "spark-daemon.sh")]
    port, ui = free_port(), free_port()
    url = f"spark://127.0.0.1:{port}"
    started = []

    def start(cls: str, *args: str) -> None:
        subprocess.run([*daemon, "start", cls, "1", *args], env=env, check=True, capture_output=True)
        started.append(cls)

    try:
        start(MASTER, "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui))
        start(
            WORKER, "--host", "127.0.0.1", "--port", str(free_port()), "--webui-port", str(free_port()),
            "--cores", "2", "--memory", "1g", url,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5) as answer:
                    if json.load(answer).get("aliveworkers", 0) >= 1:
                        break
            except OSError:
                pass
            time.sleep(1)
        else:
            logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in (folder / "logs").glob("*.out"))
            pytest.fail(f"the standalone worker did not register with {url} within 120 s:\n{logs}")
        yield url
    finally:
        for cls in reversed(started):
            subprocess.run([*daemon, "stop", cls, "1"], env=env, check=False, capture_output=True)


@pytest.fixture
def pg_store(pg_problem, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:  # noqa: F811
    """A PostgreSQL schema of its own, and the environment a run storing clues in it needs."""
    if pg_problem:
        if os.environ.get("JIANCHA_REQUIRE_POSTGRES"):
            pytest.fail(pg_problem)
        pytest.skip(pg_problem)
    schema = f"spark_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_schema_url(schema)
    env = {
        "JIANCHA_DATABASE_URL": url,
        ENV_KEY: f"ktest:{uuid.uuid4().hex}{uuid.uuid4().hex}",
        ENV_ANCHORS: str(tmp_path / ANCHOR_FILE),
    }
    try:
        yield url, env
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_run_on_a_standalone_cluster_stores_the_duckdb_clues_in_postgresql(
    standalone: str, synthetic, pg_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, env = pg_store
    workspace = synthetic(1, 0.1)
    _, expected = on_duckdb(workspace)
    command = ["--home", str(workspace.home), "run", "--engine", "spark", "--spark-master", standalone,
               "--time-limit", "1800"]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", "from jiancha.cli import run_cli; run_cli()", *command],
        env={**os.environ, **env, "COLUMNS": "200"}, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with ClueStore(url) as store:
        stored = sorted((c.model_id, c.subject_id, c.period or None) for c in store.iter_clues())
        runs = store.runs()
    assert stored == sorted((model, subject, period) for model, subject, period, _ in expected)
    assert len(runs) == 1 and len(stored) >= 15
