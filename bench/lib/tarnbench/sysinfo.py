"""What machine a run was made on: cores, memory, disk, JDK, tool versions, date."""
import datetime
import os
import platform
import subprocess


def _out(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return None


def _disk(path):
    df = _out(["df", "-P", "-B1", path])
    dev, size, avail = None, None, None
    if df:
        parts = df.splitlines()[-1].split()
        dev, size, avail = parts[0], int(parts[1]), int(parts[3])
    rotational = None
    if dev and dev.startswith("/dev/"):
        name = os.path.basename(dev)
        base = name.rstrip("0123456789")
        if base.endswith("p") and base[:-1].startswith("nvme"):
            base = base[:-1]
        for cand in (name, base):
            try:
                with open(f"/sys/block/{cand}/queue/rotational") as f:
                    rotational = f.read().strip() == "1"
                break
            except OSError:
                continue
    fs = _out(["stat", "-f", "-c", "%T", path])
    return {"device": dev, "filesystem": fs, "size_bytes": size, "available_bytes": avail,
            "rotational": rotational}


def collect(java_home, workdir):
    java = os.path.join(java_home, "bin", "java")
    jver = _out([java, "-version"]) or ""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_bytes": _mem_total(),
        "kernel": platform.release(),
        "os": _out(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "disk": _disk(workdir),
        "jdk": jver.splitlines()[1] if len(jver.splitlines()) > 1 else jver,
        "git": _out(["git", "--version"]),
        "wrk": (_out(["wrk", "-v"]) or "").splitlines()[0] if _out(["wrk", "-v"]) else None,
        "nginx": _out(["nginx", "-v"]),
        "loadavg_at_start": open("/proc/loadavg").read().split()[:3],
    }


def header_lines(info):
    gib = 1024 ** 3
    d = info["disk"]
    disk = (f"{d['device']} ({d['filesystem']}, {'rotational' if d['rotational'] else 'non-rotational'}"
            f"{'' if d['rotational'] is not None else '?'}, {d['size_bytes'] / gib:.0f} GiB)"
            if d.get("size_bytes") else "unknown")
    return [
        f"- date: {info['date']}" + (f" to {info['finished']}" if info.get("finished") else ""),
        f"- machine: {info['cores']} cores ({info['cpu']}), {info['memory_bytes'] / gib:.1f} GiB memory, "
        f"disk {disk}, {info['os']}, kernel {info['kernel']}",
        f"- JDK: {info['jdk']}; {info['git']}; {info['wrk']}; {info['nginx']}",
        f"- load average (1/5/15 min) at start: {' '.join(info['loadavg_at_start'])}"
        + (f"; at end: {' '.join(info['loadavg_at_end'])}" if info.get("loadavg_at_end") else "")
        + " (other work on the machine competes with the measured processes)",
    ]
