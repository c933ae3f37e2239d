"""The JVM's start-up cache of the launcher (scripts/startup-cache.sh): `./tarn run` maps it; it is made
by a training run when missing, made again when the jar changes or the cache was written to, and
nothing about it ever stops the server (a failed training run, a file the JVM cannot map)."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import requests

from conftest import REPO_ROOT, ensure_jar, java_home

SCRIPT = REPO_ROOT / "scripts" / "startup-cache.sh"


def cache_flags(jar: Path, *opts: str, mode: str = "auto") -> subprocess.CompletedProcess:
    env = dict(os.environ, JAVA_HOME=java_home(), TARN_STARTUP_CACHE=mode)
    return subprocess.run(["bash", str(SCRIPT), str(jar), *opts], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)


def cache_file(result: subprocess.CompletedProcess) -> Path:
    """The cache the flags name (-XX:AOTCache=FILE or -XX:SharedArchiveFile=FILE)."""
    assert result.returncode == 0, result.stderr
    files = [line.split("=", 1)[1] for line in result.stdout.splitlines()
             if line.startswith(("-XX:AOTCache=", "-XX:SharedArchiveFile="))]
    assert len(files) == 1, (result.stdout, result.stderr)
    return Path(files[0])


def maps_strictly(jar: Path, flags: list) -> subprocess.CompletedProcess:
    """`java FLAGS -jar JAR --version` with mapping required: fails unless the JVM can use the cache."""
    strict = ["-XX:AOTMode=on"] if any(f.startswith("-XX:AOTCache=") for f in flags) else ["-Xshare:on"]
    cmd = [str(Path(java_home()) / "bin" / "java"), *[f for f in flags if f != "-Xshare:auto"], *strict,
           "-jar", str(jar), "--version"]
    return subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture
def jar_copy(tmp_path) -> Path:
    """A copy of target/tarn.jar in a folder of its own (its cache goes beside it)."""
    jar = tmp_path / "tarn.jar"
    shutil.copy2(ensure_jar(), jar)
    return jar


def test_launcher_maps_the_cache_of_its_jar(tarn_factory):
    server = tarn_factory.start("startup-cache", launcher=True)
    maps = Path(f"/proc/{server.proc.pid}/maps").read_text()
    mapped = {line.split()[-1] for line in maps.splitlines() if "/startup-cache/tarn-" in line}
    assert len(mapped) == 1, maps[-3000:]
    cache = Path(mapped.pop())
    assert cache.parent == REPO_ROOT / "target" / "startup-cache"
    log = server.log.read_text(errors="replace")
    assert "[error" not in log and "[warning][aot]" not in log and "[warning][cds]" not in log, log[-3000:]
    r = requests.get(f"{server.url}/api/v0/repositories", auth=(server.access_key_id, server.secret_access_key),
                     timeout=30)
    assert r.status_code == 200, r.text


def test_cache_is_made_once_reused_and_made_again_when_damaged_or_the_jar_changes(jar_copy):
    first = cache_flags(jar_copy, "-Xmx512m")
    made = cache_file(first)
    assert "preparing the JVM's start-up cache" in first.stderr
    assert made.parent == jar_copy.parent / "startup-cache" and made.stat().st_size > 1_000_000
    assert "tarn: training run done" in (made.parent / "training.log").read_text()
    mapped = maps_strictly(jar_copy, ["-Xmx512m", *first.stdout.split()])
    assert mapped.returncode == 0 and "tarn" in mapped.stdout, mapped.stdout + mapped.stderr

    again = cache_flags(jar_copy, "-Xmx512m", "-Dsome.property=1")  # system properties share the cache
    assert cache_file(again) == made and again.stderr == ""

    with open(made, "r+b") as f:  # damaged since it was made: its first bytes overwritten
        f.write(os.urandom(4096))
    os.utime(made, (time.time() + 5, time.time() + 5))
    remade = cache_flags(jar_copy, "-Xmx512m")
    assert cache_file(remade) == made and "preparing the JVM's start-up cache" in remade.stderr
    assert maps_strictly(jar_copy, ["-Xmx512m", *remade.stdout.split()]).returncode == 0

    later = time.time() + 10
    os.utime(jar_copy, (later, later))  # a rebuilt jar
    rebuilt = cache_flags(jar_copy, "-Xmx512m")
    new = cache_file(rebuilt)
    assert new != made and new.exists() and not made.exists()
    assert "preparing the JVM's start-up cache" in rebuilt.stderr


def test_class_data_sharing_archive_on_request(jar_copy):
    result = cache_flags(jar_copy, mode="cds")
    archive = cache_file(result)
    assert archive.suffix == ".cds" and "-Xshare:auto" in result.stdout.split()
    mapped = maps_strictly(jar_copy, result.stdout.split())
    assert mapped.returncode == 0, mapped.stdout + mapped.stderr


@pytest.mark.parametrize("own", ["-Xms256m", "-XX:InitialHeapSize=100m", "-XX:InitialRAMPercentage=5"])
def test_an_initial_heap_of_the_users_own_replaces_the_default(own):
    result = cache_flags(REPO_ROOT / "no-such.jar", own)
    assert result.returncode == 0 and result.stdout == "", result.stdout


def test_a_failed_training_run_leaves_no_cache_and_no_flags(tmp_path):
    jar = tmp_path / "tarn.jar"
    with zipfile.ZipFile(jar, "w") as z:  # a jar without a main class: the training run fails
        z.writestr("nothing.txt", "no server here")
    result = cache_flags(jar)
    assert result.returncode == 0 and result.stdout.split() == ["-Xms32m"]
    assert "no start-up cache (the training run failed" in result.stderr
    assert not list((tmp_path / "startup-cache").glob("tarn-*"))


def test_off_gives_no_cache(jar_copy):
    result = cache_flags(jar_copy, mode="off")
    assert result.returncode == 0 and result.stdout.split() == ["-Xms32m"] and result.stderr == ""
    assert not (jar_copy.parent / "startup-cache").exists()


@pytest.mark.parametrize("own", ["-Xshare:off", "-XX:SharedArchiveFile=/tmp/x.jsa", "-XX:AOTCache=/tmp/x.aot",
                                 "-XX:+AutoCreateSharedArchive"])
def test_options_of_the_users_own_about_sharing_turn_it_off(jar_copy, own):
    # the JVM refuses e.g. -XX:AOTCache beside -Xshare:off: adding ours would stop the server
    result = cache_flags(jar_copy, "-Xmx512m", own)
    assert result.returncode == 0 and result.stdout.split() == ["-Xms32m"] and result.stderr == ""
    assert not (jar_copy.parent / "startup-cache").exists()


@pytest.mark.parametrize("flag", ["-XX:AOTCache", "-XX:SharedArchiveFile"])
def test_server_starts_when_the_jvm_cannot_map_the_cache(tarn_factory, tmp_path, flag):
    garbage = tmp_path / "garbage.cache"
    garbage.write_bytes(os.urandom(64 * 1024))
    opts = [f"{flag}={garbage}"] + (["-Xshare:auto"] if flag == "-XX:SharedArchiveFile" else [])
    server = tarn_factory.start("unmappable-cache", java_opts=opts)
    r = requests.get(f"{server.url}/api/v0/repositories", auth=(server.access_key_id, server.secret_access_key),
                     timeout=30)
    assert r.status_code == 200, r.text
