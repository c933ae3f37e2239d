#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine (this is what .ci/run calls):
#   1. selects a JDK >= 21 and installs what the tests need (Python venv .venv, pinned packages)
#   2. starts a throw-away PostgreSQL (scripts/postgres.sh; installs Debian's postgresql when
#      missing) and passes its JDBC URL to the tests in TARN_TEST_POSTGRES_URL; stopped at exit
#      (its port: TARN_TEST_POSTGRES_PORT, default a free one)
#   3. Java tests: ./mvnw -B -ntp verify (unit tests, backend contract suites incl. S3 on S3Proxy and
#      PostgreSQL, the engine's suites on every KV backend, server tests) — this also builds
#      target/tarn.jar
#   4. validates the API document src/main/resources/api/swagger.json as Swagger 2.0 with
#      swagger-spec-validator and @apidevtools/swagger-parser 12.1.0, and
#      src/main/resources/api/openapi.json as OpenAPI 3 with openapi-spec-validator (its own venv,
#      .venv-openapi, from tests/python/requirements-openapi.txt) and the same swagger-parser
#   5. Python suites (tests/python: bravado, the lakeFS SDKs, boto3 newest and 1.35, the AWS CLI v1
#      and v2, rclone, s3cmd, pyarrow, pandas through s3fs and raw HTTP against real servers; the web
#      UI in Debian's Chromium, installed when missing, with Playwright; screenshots under
#      target/test-output/web-ui/)
#   6. Spark through the S3 gateway (tests/python/test_s3_gateway_spark.py) in a section of its own,
#      with its install and run times printed: scripts/spark.sh install makes .venv-spark (pyspark
#      from PyPI, a source archive of ~320 MB that pip builds: about 2 minutes the first time), fetches
#      hadoop-aws and the few AWS SDK modules s3a needs from Maven Central (tools/spark/pom.xml, 6 MB)
#      and finds a JDK 17 (Debian's openjdk-17-jdk-headless when there is none)
#   7. the benchmarks at small size (bench/run --size small), when bench/run exists
# Every section runs even when an earlier one failed (so one run shows everything); the exit code
# is non-zero if any section failed. Options: --skip-java, --skip-bench, --skip-spark, or pytest
# arguments after `--` (e.g. scripts/test-all.sh --skip-java -- tests/python/test_seed_page.py); with
# pytest arguments the Spark section does not run (name tests/python/test_s3_gateway_spark.py among
# them to run it: its setup is made first).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

skip_java=0
skip_bench=0
skip_spark=0
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-java) skip_java=1 ;;
    --skip-bench) skip_bench=1 ;;
    --skip-spark) skip_spark=1 ;;
    --) shift; pytest_args=("$@"); break ;;
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#'; exit 0 ;;
    *) echo "test-all: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

export NO_PROXY=localhost,127.0.0.1 no_proxy=localhost,127.0.0.1
export PYTHONDONTWRITEBYTECODE=1
start_all=$(date +%s)
results=()     # "name|status|seconds|detail"
failed=0

section() {
  echo
  echo "================================================================================"
  echo "== $*"
  echo "================================================================================"
}
record() {   # record NAME STATUS SECONDS [DETAIL]
  results+=("$1|$2|$3|${4:-}")
  [ "$2" = ok ] || [ "$2" = skipped ] || failed=1
}
fatal() {
  echo "test-all: FATAL: $*" >&2
  exit 1
}

# ------------------------------------------------------------------------------------------------
section "Environment"
. scripts/java-home.sh || fatal "no JDK 21 or newer (scripts/java-home.sh)"
echo "JDK:     $JAVA_HOME ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
echo "host:    $(nproc) cores, $(free -g 2>/dev/null | awk '/Mem:/ {print $2 " GiB"}'), CI=${CI:-}"

apt_updated=0
apt_install() {   # apt_install PACKAGE... (only when something is missing; root only)
  if [ "$(id -u)" != 0 ]; then fatal "need packages $* but not root; install them first"; fi
  if [ $apt_updated = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || fatal "apt-get update failed"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || fatal "apt-get install $* failed"
}

# curl: scripts/s3proxy.sh polls S3Proxy with it; node + npm: the swagger-parser validation
command -v curl >/dev/null 2>&1 || apt_install curl
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
# strace: tests/python/test_durability.py traces the server's syncs
command -v strace >/dev/null 2>&1 || apt_install strace
echo "strace:  $(strace -V 2>&1 | head -1)"
# chromium: tests/python/test_web_ui.py drives Debian's Chromium with Playwright (chromium-driver
# comes along for WebDriver clients)
[ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null 2>&1 || apt_install chromium chromium-driver
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
echo "node:    $(node --version)"

python=""
for cand in python3 python3.13 python3.12 python3.11 python3.10; do
  if command -v "$cand" >/dev/null 2>&1 \
     && "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
    python=$(command -v "$cand"); break
  fi
done
if [ -z "$python" ]; then
  apt_install python3 python3-venv
  python=$(command -v python3)
fi
echo "python:  $python ($("$python" --version 2>&1))"

# Python venv with the pinned test dependencies; rebuilt when the pins or the interpreter change.
req=tests/python/requirements.txt
venv=.venv
stamp="$venv/.tarn-stamp"
want_stamp="$("$python" -c 'import sys; print(sys.version)' | head -1) $(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]; then
  echo "venv:    creating $venv from $req"
  rm -rf "$venv"
  if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    apt_install python3-venv
    "$python" -m venv "$venv" || fatal "cannot create a Python venv"
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" \
    || fatal "pip install -r $req failed"
  echo "$want_stamp" > "$stamp"
else
  echo "venv:    $venv up to date"
fi
"$venv/bin/python" -c 'import bravado, bravado_core, jsonschema, pytest, requests, swagger_spec_validator' \
  || fatal "the venv lacks a test dependency"
echo "bravado $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("bravado"), "/ bravado-core", m.version("bravado-core"), "/ jsonschema", m.version("jsonschema"))')"

# The S3 clients of the gateway suites beyond the main venv's boto3 and AWS CLI v1: Debian's
# rclone and AWS CLI v2 (awscli), and a venv of its own (.venv-s3clients) for the Python clients
# whose pins clash with the main venv's (boto3 1.35.x, s3fs/aiobotocore, pandas, pyarrow, s3cmd).
command -v rclone >/dev/null 2>&1 || apt_install rclone
[ -x /usr/bin/aws ] || apt_install awscli
echo "rclone:  $(rclone version 2>/dev/null | head -1)"
echo "aws v2:  $(/usr/bin/aws --version 2>&1)"
cl_req=tests/python/requirements-s3clients.txt
cl_venv=.venv-s3clients
cl_stamp="$cl_venv/.tarn-stamp"
cl_want="$("$python" -c 'import sys; print(sys.version)' | head -1) $(sha256sum "$cl_req" | cut -d' ' -f1)"
if [ ! -x "$cl_venv/bin/python" ] || [ "$(cat "$cl_stamp" 2>/dev/null)" != "$cl_want" ]; then
  echo "venv:    creating $cl_venv from $cl_req"
  rm -rf "$cl_venv"
  "$python" -m venv "$cl_venv" && "$cl_venv/bin/python" -m pip install -q --disable-pip-version-check -r "$cl_req" \
    && echo "$cl_want" > "$cl_stamp" || echo "test-all: creating $cl_venv failed; the S3 client suites will fail" >&2
else
  echo "venv:    $cl_venv up to date"
fi

# ------------------------------------------------------------------------------------------------
section "PostgreSQL: a throw-away cluster for the tests (scripts/postgres.sh)"
t0=$(date +%s)
pg_dir="$root/target/postgres"
# TARN_TEST_POSTGRES_PORT: the cluster's port (default: a free one)
if bash scripts/postgres.sh install \
   && pg_url="$(bash scripts/postgres.sh start "${TARN_TEST_POSTGRES_PORT:-0}" "$pg_dir")"; then
  trap 'bash scripts/postgres.sh stop 0 "$pg_dir" || true' EXIT
  export TARN_TEST_POSTGRES_URL="$pg_url"
  echo "postgres: $pg_url"
  record "postgres (install+start)" ok $(( $(date +%s) - t0 ))
else
  echo "test-all: PostgreSQL did not start; the PostgreSQL tests will fail" >&2
  record "postgres (install+start)" FAILED $(( $(date +%s) - t0 )) "scripts/postgres.sh install/start failed"
fi

# ------------------------------------------------------------------------------------------------
if [ $skip_java = 0 ]; then
  section "Java tests: ./mvnw -B -ntp verify"
  t0=$(date +%s)
  built_from=$(scripts/build-stamp.sh)
  if ./mvnw -B -ntp verify; then
    # the jar verify packaged is the one ./tarn runs: no second build for the Python suites
    printf '%s\n' "$built_from" > target/tarn.jar.sources
    record "java (mvn verify)" ok $(( $(date +%s) - t0 ))
  else
    record "java (mvn verify)" FAILED $(( $(date +%s) - t0 )) "see the Maven output above"
    echo "test-all: Java tests FAILED; reports under target/surefire-reports/" >&2
  fi
else
  record "java (mvn verify)" skipped 0 "--skip-java"
fi

# ------------------------------------------------------------------------------------------------
section "API document: Swagger 2.0 validation of src/main/resources/api/swagger.json"
t0=$(date +%s)
doc=src/main/resources/api/swagger.json
if [ ! -f "$doc" ]; then
  echo "missing: $doc"
  record "swagger.json validation" FAILED 0 "$doc is missing"
else
  # two standard validators: swagger-spec-validator (PyPI) and @apidevtools/swagger-parser (npm)
  problems=()
  "$venv/bin/python" scripts/validate-swagger.py "$doc" || problems+=("swagger-spec-validator")
  parser_dir=target/tools/swagger-parser
  if [ ! -f "$parser_dir/node_modules/@apidevtools/swagger-parser/package.json" ]; then
    mkdir -p "$parser_dir"
    (cd "$parser_dir" && npm install --silent --no-audit --no-fund --no-save --no-package-lock \
       @apidevtools/swagger-parser@12.1.0 >/dev/null) || problems+=("npm install of swagger-parser")
  fi
  NODE_PATH="$parser_dir/node_modules" node scripts/validate-swagger-parser.js "$doc" \
    || problems+=("swagger-parser")
  if [ ${#problems[@]} -eq 0 ]; then
    record "swagger.json validation" ok $(( $(date +%s) - t0 ))
  else
    record "swagger.json validation" FAILED $(( $(date +%s) - t0 )) "failed: ${problems[*]}"
  fi
fi

# ------------------------------------------------------------------------------------------------
section "API document: OpenAPI 3 validation of src/main/resources/api/openapi.json"
t0=$(date +%s)
doc=src/main/resources/api/openapi.json
oas_req=tests/python/requirements-openapi.txt
oas_venv=.venv-openapi
oas_stamp="$oas_venv/.tarn-stamp"
oas_want="$("$python" -c 'import sys; print(sys.version)' | head -1) $(sha256sum "$oas_req" | cut -d' ' -f1)"
problems=()
if [ ! -x "$oas_venv/bin/python" ] || [ "$(cat "$oas_stamp" 2>/dev/null)" != "$oas_want" ]; then
  rm -rf "$oas_venv"
  if "$python" -m venv "$oas_venv" >/dev/null 2>&1 \
     && "$oas_venv/bin/python" -m pip install -q --disable-pip-version-check -r "$oas_req"; then
    echo "$oas_want" > "$oas_stamp"
  else
    problems+=("creating $oas_venv")
  fi
fi
if [ ! -f "$doc" ]; then
  problems+=("$doc is missing")
else
  "$oas_venv/bin/python" -m openapi_spec_validator "$doc" || problems+=("openapi-spec-validator")
  NODE_PATH="target/tools/swagger-parser/node_modules" node scripts/validate-swagger-parser.js "$doc" \
    || problems+=("swagger-parser")
fi
if [ ${#problems[@]} -eq 0 ]; then
  record "openapi.json validation" ok $(( $(date +%s) - t0 ))
else
  record "openapi.json validation" FAILED $(( $(date +%s) - t0 )) "failed: ${problems[*]}"
fi

# ------------------------------------------------------------------------------------------------
section "Python suites: pytest tests/python"
t0=$(date +%s)
mkdir -p target
rm -f target/pytest-junit.xml
spark_test=tests/python/test_s3_gateway_spark.py
if [ ${#pytest_args[@]} -gt 0 ]; then
  skip_spark=1   # the Spark section runs with the whole suite only
  case " ${pytest_args[*]} " in
    *test_s3_gateway_spark*) bash scripts/spark.sh install || echo "test-all: scripts/spark.sh install failed" >&2 ;;
  esac
else
  # the Spark test runs in its own section below
  pytest_args=(tests/python "--ignore=$spark_test")
fi
# --timeout: a hung request fails its test (and prints where it hung) instead of stalling the run
"$venv/bin/python" -m pytest -p no:cacheprovider -rfEs --tb=short --durations=15 --timeout=900 \
  --junitxml=target/pytest-junit.xml "${pytest_args[@]}"
rc=$?
case $rc in
  0) record "python (pytest)" ok $(( $(date +%s) - t0 )) ;;
  5) echo "test-all: pytest collected NO TESTS — that is a failure here" >&2
     record "python (pytest)" FAILED $(( $(date +%s) - t0 )) "no tests collected (exit 5)" ;;
  *) record "python (pytest)" FAILED $(( $(date +%s) - t0 )) "pytest exit $rc (server log tails printed above)" ;;
esac

# ------------------------------------------------------------------------------------------------
if [ $skip_spark = 0 ]; then
  section "Spark: pyspark + hadoop-aws (s3a://) through the S3 gateway ($spark_test)"
  t0=$(date +%s)
  rm -f target/pytest-junit-spark.xml
  if bash scripts/spark.sh install; then
    t_install=$(( $(date +%s) - t0 ))
    echo "spark setup: ${t_install}s"
    t1=$(date +%s)
    "$venv/bin/python" -m pytest -p no:cacheprovider -rfEs --tb=short --timeout=900 \
      --junitxml=target/pytest-junit-spark.xml "$spark_test"
    rc=$?
    t_run=$(( $(date +%s) - t1 ))
    echo "spark: setup ${t_install}s, tests ${t_run}s"
    if [ $rc = 0 ]; then
      record "spark (s3a)" ok $(( $(date +%s) - t0 )) "setup ${t_install}s + tests ${t_run}s"
    else
      record "spark (s3a)" FAILED $(( $(date +%s) - t0 )) "pytest exit $rc (setup ${t_install}s + tests ${t_run}s)"
    fi
  else
    record "spark (s3a)" FAILED $(( $(date +%s) - t0 )) "scripts/spark.sh install failed"
  fi
else
  record "spark (s3a)" skipped 0 "--skip-spark or pytest arguments given"
fi

# ------------------------------------------------------------------------------------------------
if [ -x bench/run ] || [ -f bench/run ]; then
  if [ $skip_bench = 0 ]; then
    section "Benchmarks: bench/run --size small"
    t0=$(date +%s)
    if bash bench/run --size small; then
      record "bench (small)" ok $(( $(date +%s) - t0 ))
    else
      record "bench (small)" FAILED $(( $(date +%s) - t0 )) "bench/run --size small failed"
    fi
  else
    record "bench (small)" skipped 0 "--skip-bench"
  fi
else
  record "bench (small)" skipped 0 "bench/run does not exist yet"
fi

# ------------------------------------------------------------------------------------------------
section "Summary"
for r in "${results[@]}"; do
  IFS='|' read -r name status secs detail <<<"$r"
  printf '  %-26s %-8s %5ss  %s\n' "$name" "$status" "$secs" "$detail"
done
echo "  wall time: $(( $(date +%s) - start_all ))s"
# The closing line, in the plain form: test cases passed/failed/skipped over the JUnit reports of
# Maven Surefire and pytest of this run.
reports=()
[ $skip_java = 1 ] || reports+=(target/surefire-reports)
reports+=(target/pytest-junit.xml)
[ $skip_spark = 1 ] || reports+=(target/pytest-junit-spark.xml)
if [ $failed != 0 ]; then
  echo "test-all: FAILED"
else
  echo "test-all: OK"
fi
"$venv/bin/python" scripts/count-tests.py "${reports[@]}" || failed=1
exit $failed
