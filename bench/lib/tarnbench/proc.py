"""Running processes and measuring them: wall time, CPU time (rusage), resident memory."""
import os
import shlex
import signal
import subprocess
import threading
import time


class CommandFailed(RuntimeError):
    pass


def run(cmd, *, stdin=None, stdout=subprocess.PIPE, env=None, cwd=None, cpus=None, check=True,
        timeout=None):
    """Runs cmd (a list), optionally pinned to `cpus` with taskset. Returns a dict with wall seconds,
    cpu seconds (user + sys of the process and its children), peak RSS (bytes), stdout and rc."""
    if cpus is not None:
        cmd = ["taskset", "-c", cpus] + list(cmd)
    stdin_f = open(stdin, "rb") if isinstance(stdin, str) else stdin
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=stdin_f, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=cwd)
    out_chunks, err_chunks = [], []
    readers = []
    if p.stdout is not None:
        readers.append(threading.Thread(target=lambda: out_chunks.append(p.stdout.read())))
    readers.append(threading.Thread(target=lambda: err_chunks.append(p.stderr.read())))
    for r in readers:
        r.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.monotonic() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    if stdin_f is not None and stdin_f is not stdin:
        stdin_f.close()
    out = b"".join(c for c in out_chunks if c)
    err = b"".join(c for c in err_chunks if c)
    res = {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss": ru.ru_maxrss * 1024,
           "rc": p.returncode, "stdout": out.decode(errors="replace"),
           "stderr": err.decode(errors="replace")}
    if check and p.returncode != 0:
        raise CommandFailed(f"{shlex.join(cmd)} exited {p.returncode}:\n{res['stderr'][-3000:]}\n"
                            f"{res['stdout'][-2000:]}")
    return res


def status_kib(pid, field):
    """A field of /proc/<pid>/status in KiB (VmRSS, VmHWM), or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def descendants(pid):
    """pid and every process below it (a launcher script and the JVM it started, nginx's workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def main_process(pid):
    """The process of the tree with the largest resident memory (the JVM behind a launcher script)."""
    best, best_rss = pid, -1
    for p in descendants(pid):
        v = status_kib(p, "VmRSS") or 0
        if v > best_rss:
            best, best_rss = p, v
    return best


def rss_bytes(pid):
    v = status_kib(pid, "VmRSS")
    return None if v is None else v * 1024


def cpu_seconds(pid):
    """user + sys CPU seconds used so far by a running process tree (all threads, live children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, seen = 0, False
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seen = True
        total += int(fields[11]) + int(fields[12])
    return total / ticks if seen else None


class PeakRss:
    """Peak resident memory of a running process over a window: resets the kernel's high-water mark
    (clear_refs 5) at the start and reads VmHWM at the end; also samples VmRSS every 20 ms, in case
    the reset is not permitted."""

    def __init__(self, pid):
        self.pid = main_process(pid)
        self.samples_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.reset_ok = False

    def _sample(self):
        while not self._stop.is_set():
            v = rss_bytes(self.pid)
            if v is not None and v > self.samples_peak:
                self.samples_peak = v
            self._stop.wait(0.02)

    def __enter__(self):
        self.idle = rss_bytes(self.pid)
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as f:
                f.write("5")
            self.reset_ok = True
        except OSError:
            self.reset_ok = False
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        hwm = status_kib(self.pid, "VmHWM")
        self.peak = max(self.samples_peak, hwm * 1024 if (hwm and self.reset_ok) else 0)
        return False


def terminate(p, timeout=20):
    """Stops a process we started: SIGTERM, then SIGKILL after `timeout` seconds."""
    if p is None or p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
