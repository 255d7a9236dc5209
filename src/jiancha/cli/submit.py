"""The file ``spark-submit`` runs: the jiancha command line, inside the JVM spark-submit started.

``spark-submit --master URL …/jiancha/cli/submit.py run --engine spark --lake URI``: the session
then takes spark-submit's master and configuration (``jiancha.spark.session.spark_master``).
"""

from jiancha.cli import run_cli

if __name__ == "__main__":
    run_cli()
