"""The Spark session a cluster run works in, checked before anything is read or written.

The master comes from ``--spark-master``, else ``JIANCHA_SPARK_MASTER``, else ``local[*]``;
under ``spark-submit`` (which starts the JVM itself and says so through
``PYSPARK_GATEWAY_PORT``) the master spark-submit was given is kept unless one is named.
Java and the master's address are checked first, with a connect timeout of a few seconds:
Spark itself would retry an unreachable standalone master for a minute before giving up,
and its message names neither the URL nor what to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from jiancha.errors import WorkspaceError
from jiancha.i18n import tr

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

MASTER_ENV = "JIANCHA_SPARK_MASTER"
DEFAULT_MASTER = "local[*]"
#: Seconds to wait for the master's port to answer.
CONNECT_TIMEOUT = 3.0
#: Hosts whose executors run on this machine (they can use this interpreter and source tree).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class SparkUnavailable(WorkspaceError):
    """Spark cannot start here: no pyspark, no Java, or the master does not answer."""


def spark_master(option: str | None = None) -> str | None:
    """The master URL to use; None under spark-submit when none is named (spark-submit's stands)."""
    named = option or os.environ.get(MASTER_ENV)
    if named:
        return named.strip()
    return None if _under_spark_submit() else DEFAULT_MASTER


def _under_spark_submit() -> bool:
    return "PYSPARK_GATEWAY_PORT" in os.environ


def check_java(master: str) -> None:
    """Spark's driver needs a JVM: ``$JAVA_HOME/bin/java``, else ``java`` on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return
    if shutil.which("java"):
        return
    where = tr(f"JAVA_HOME={home} 下没有 bin/java", f"JAVA_HOME={home} has no bin/java") if home else ""
    raise SparkUnavailable(
        tr(
            f"无法连接 Spark（{master}）：本机找不到 Java{('，' + where) if where else ''}；"
            "请安装 Java 17 并设置 JAVA_HOME 或把 java 加入 PATH。",
            f"Cannot start Spark ({master}): no Java found{(', ' + where) if where else ''}; "
            "install Java 17 and set JAVA_HOME or put java on the PATH.",
        )
    )


def master_addresses(master: str) -> list[tuple[str, int]]:
    """The (host, port) pairs a master URL names: ``spark://h1:7077,h2:7077``, ``k8s://https://h:443``;
    none for ``local`` and ``yarn`` (YARN is found through the Hadoop configuration)."""
    if master.startswith("spark://"):
        hosts = master.removeprefix("spark://").split(",")
        return [(h.rpartition(":")[0].strip("[]"), int(h.rpartition(":")[2] or 7077)) for h in hosts]
    if master.startswith("k8s://"):
        url = urlsplit(master.removeprefix("k8s://"))
        return [(url.hostname or "", url.port or (443 if url.scheme == "https" else 80))]
    return []


def check_master(master: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """At least one of the master's addresses answers within ``timeout`` seconds."""
    addresses = master_addresses(master)
    if not addresses:
        return
    reasons = []
    for host, port in addresses:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return
        except OSError as exc:
            reasons.append(f"{host}:{port} {exc.strerror or exc}")
    raise SparkUnavailable(
        tr(
            f"无法连接 Spark 主节点 {master}（{'；'.join(reasons)}）：请确认主节点已启动、地址和端口无误，"
            "且本机能访问该端口（防火墙）；或用 --spark-master local[*] 在本机运行。",
            f"Cannot reach the Spark master {master} ({'; '.join(reasons)}): check that the master is "
            "running, the host and port are right and this machine may reach that port (firewall); "
            "or run here with --spark-master local[*].",
        )
    )


def _is_local(master: str | None) -> bool:
    if master is None:
        return False
    if master.startswith("local"):
        return True
    return all(host in LOOPBACK for host, _ in master_addresses(master)) and bool(master_addresses(master))


def build_session(master: str | None = None, app_name: str = "jiancha") -> SparkSession:
    """A Spark session on ``master`` (see :func:`spark_master`), checked first: a sentence, not a
    stack trace, when pyspark or Java is missing or the master does not answer.

    On this machine (local mode, or a master on the loopback address) the driver binds to
    127.0.0.1 and executors run this interpreter with this source tree; on a remote cluster
    jiancha must be installed on the executors (README, "Running on a cluster").
    """
    shown = master or tr("spark-submit 指定的主节点", "the master spark-submit was given")
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(
            tr(
                f"无法使用 Spark（{shown}）：未安装 pyspark；请运行 pip install 'jiancha[spark]'。",
                f"Cannot use Spark ({shown}): pyspark is not installed; run pip install 'jiancha[spark]'.",
            )
        ) from exc
    if not _under_spark_submit():
        check_java(shown)
    if master is not None:
        check_master(master)
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    settings = {
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.warehouse.dir": str(Path(tempfile.gettempdir()) / "jiancha-spark-warehouse"),
        # a failed task is retried once, not four times: a model's error is reported, not repeated
        "spark.task.maxFailures": "2",
    }
    if _is_local(master):
        # the Python workers run the interpreter PySpark reads from the environment, else python3
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        source = str(Path(__file__).resolve().parents[2])
        settings |= {
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "8",  # 200 tiny tasks per shuffle cost more than they share
            "spark.executorEnv.PYTHONPATH": os.pathsep.join(
                p for p in (source, os.environ.get("PYTHONPATH")) if p
            ),
        }
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:
        raise SparkUnavailable(
            tr(
                f"无法启动 Spark（{shown}）：{exc}。请检查 Java 与主节点设置。",
                f"Cannot start Spark ({shown}): {exc}. Check Java and the master setting.",
            )
        ) from exc
    session.sparkContext.setLogLevel("OFF")
    return session
