"""PySpark through s3a:// against the gateway; run by test_s3_gateway_spark.py in .venv-spark.

One Spark session (its JVM takes seconds to start) for the whole exchange, which goes in lines of JSON:
  1. writes a partitioned Parquet table and a CSV to s3a://<repo>/main/spark/... with Spark's defaults
     (FileOutputCommitter: tasks write under _temporary/ and the job renames, which s3a does as copy +
     delete), reads both back from the branch and prints {"step": "written", ...};
  2. reads a line {"ref": "<commit id>"} from stdin (the test commits through the API meanwhile and
     changes the branch), reads the same paths at that ref and prints {"step": "read", ...};
  3. meets the errors (a wrong secret, an unknown repository, an unknown path, a write to a tag) and
     prints {"step": "errors", ...} with what Spark raised for each.
s3a is configured only with what a user pointing it at Tarn sets: the endpoint, path-style access,
the Tarn key and secret, no SSL; every other s3a and Spark setting is at its default. The wrong secret
is s3a's per-bucket setting for a second repository (fs.s3a.bucket.<name>.secret.key), so one Spark
JVM serves every case.
Environment: TARN_ENDPOINT, TARN_KEY, TARN_SECRET, TARN_REPO, TARN_SPARK_JARS (comma-separated),
TARN_WRONG_SECRET_REPO (a repository s3a is given a wrong secret for), TARN_TAG (a tag of TARN_REPO)."""
import json
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

endpoint, repo = os.environ["TARN_ENDPOINT"], os.environ["TARN_REPO"]
spark = (SparkSession.builder.master("local[2]").appName("tarn-s3a")
         .config("spark.jars", os.environ["TARN_SPARK_JARS"])
         .config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "2")
         .config("spark.hadoop.fs.s3a.endpoint", endpoint)
         .config("spark.hadoop.fs.s3a.path.style.access", "true")
         .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
         .config("spark.hadoop.fs.s3a.access.key", os.environ["TARN_KEY"])
         .config("spark.hadoop.fs.s3a.secret.key", os.environ["TARN_SECRET"])
         .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                 "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
         .config(f"spark.hadoop.fs.s3a.bucket.{os.environ['TARN_WRONG_SECRET_REPO']}.secret.key",
                 "wrong-secret-wrong-secret-wrong-secret00")
         .getOrCreate())
spark.sparkContext.setLogLevel("WARN")


def say(obj):
    print(json.dumps(obj), flush=True)


def table_rows(ref):
    df = spark.read.parquet(f"s3a://{repo}/{ref}/spark/events")
    return [[r["year"], r["n"], r["name"]] for r in df.orderBy("n").collect()]


def csv_rows(ref):
    df = spark.read.option("header", "true").option("inferSchema", "true").csv(f"s3a://{repo}/{ref}/spark/csv")
    return [[r["id"], r["word"]] for r in df.orderBy("id").collect()]


def listing(ref):
    """Every object under spark/ at ref, through Hadoop's FileSystem API (the committer's view)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(f"s3a://{repo}/{ref}/spark/")
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    it = fs.listFiles(path, True)
    out = []
    while it.hasNext():
        out.append(it.next().getPath().toString().split(f"/{ref}/", 1)[1])
    return sorted(out)


events = spark.createDataFrame([(2024, 1, "a"), (2024, 2, "b"), (2025, 3, "c"), (2025, 4, "d"), (2026, 5, "e")],
                               "year INT, n INT, name STRING")
events.repartition(2).write.partitionBy("year").parquet(f"s3a://{repo}/main/spark/events")
words = spark.createDataFrame([(1, "one"), (2, "two"), (3, "three")], "id INT, word STRING")
words.coalesce(1).write.option("header", "true").csv(f"s3a://{repo}/main/spark/csv")
say({"step": "written", "spark": spark.version,
     "hadoop": spark.sparkContext._jvm.org.apache.hadoop.util.VersionInfo.getVersion(),
     "files": listing("main"), "rows": table_rows("main"), "csv": csv_rows("main")})

ref = json.loads(sys.stdin.readline())["ref"]
# the branch moved on meanwhile: appended to, so the branch and the commit differ
branch_rows = table_rows("main")
say({"step": "read", "rows": table_rows(ref), "csv": csv_rows(ref), "branch_rows": branch_rows,
     "count_2025": spark.read.parquet(f"s3a://{repo}/{ref}/spark/events").where(F.col("year") == 2025).count()})


def failure(action):
    """What Spark raised for action: the Java exception's class and message chain (or "no error")."""
    try:
        action()
    except Exception as e:  # Py4JJavaError or Spark's AnalysisException
        java = getattr(e, "java_exception", None)
        if java is None:
            return type(e).__name__ + ": " + str(e)[:2000]
        parts = []
        while java is not None and len(parts) < 6:
            parts.append(java.getClass().getName() + ": " + str(java.getMessage())[:600])
            java = java.getCause()
        return " <- ".join(parts)
    return "no error"


say({"step": "errors",
     "wrong_secret": failure(lambda: words.write.csv(f"s3a://{os.environ['TARN_WRONG_SECRET_REPO']}/main/bad")),
     "no_bucket": failure(lambda: spark.read.parquet("s3a://no-such-repo-tarn/main/spark/events").count()),
     "no_key": failure(lambda: spark.read.parquet(f"s3a://{repo}/main/spark/nothing-here").count()),
     "write_to_tag": failure(lambda: words.write.csv(f"s3a://{repo}/{os.environ['TARN_TAG']}/spark/tagged"))})
spark.stop()
