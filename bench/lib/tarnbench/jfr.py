"""Profiles: JDK Flight Recorder recordings of the engine harness and the Tarn server (bench/run
--profile), summarised as the hottest methods and the hottest Tarn frames."""
import collections
import os
import re
import subprocess


def flag(path):
    return f"-XX:StartFlightRecording=filename={path},settings=profile,dumponexit=true"


# the server records continuously; bench/run cuts one file per scenario with cut()
SERVER_FLAG = "-XX:StartFlightRecording=name=bench,settings=profile"


def cut(java_home, pid, path):
    """Stops the server's recording into `path` and starts the next one. True if the file was written."""
    jcmd = os.path.join(java_home, "bin", "jcmd")
    subprocess.run([jcmd, str(pid), "JFR.stop", "name=bench", f"filename={path}"], capture_output=True, text=True)
    subprocess.run([jcmd, str(pid), "JFR.start", "name=bench", "settings=profile"], capture_output=True, text=True)
    return os.path.exists(path)


def summarize(java_home, recording, top=25):
    """Writes <recording>.txt next to the recording: jfr's hot-methods view (Java code on CPU), then
    the execution and native-method samples (the latter catch threads blocked in I/O) grouped by their
    first io.tarn frame (which Tarn code the CPU was in or called from). Returns the text."""
    jfr = os.path.join(java_home, "bin", "jfr")
    hot = subprocess.run([jfr, "view", "--width", "200", "hot-methods", recording],
                         capture_output=True, text=True).stdout
    printer = subprocess.Popen([jfr, "print", "--stack-depth", "32", "--events",
                                "jdk.ExecutionSample,jdk.NativeMethodSample", recording],
                               stdout=subprocess.PIPE, text=True)
    cpu_first, cpu_inclusive, native_first = (collections.Counter() for _ in range(3))
    counts = collections.Counter()
    frames, kind, in_stack = [], None, False
    for line in printer.stdout:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample"):
            kind = "cpu"
        elif s.startswith("jdk.NativeMethodSample"):
            kind = "native"
        elif s.startswith("stackTrace = ["):
            in_stack, frames = True, []
        elif in_stack and s == "]":
            in_stack = False
            counts[kind] += 1
            tarn = [f for f in frames if f.startswith("io.tarn.") and not f.startswith("io.tarn.bench.")]
            if kind == "cpu":
                cpu_first[tarn[0] if tarn else "(no io.tarn frame: Jetty, JVM, GC)"] += 1
                for f in set(tarn):
                    cpu_inclusive[f] += 1
            elif tarn:
                native_first[tarn[0]] += 1
        elif in_stack and s and not s.startswith("..."):
            frames.append(re.sub(r"\s+line:.*$", "", s))
    printer.wait()

    def table(title, counter, total):
        out = ["", title, ""]
        for name, n in counter.most_common(top):
            out.append(f"{n:7d} {100.0 * n / max(total, 1):5.1f}%  {name}")
        return out

    lines = [f"# {os.path.basename(recording)}: {counts['cpu']} CPU samples (Java code running), "
             f"{counts['native']} native-method samples (threads in native code: I/O, fsync, waiting)",
             "", hot.strip()]
    lines += table("CPU samples by first io.tarn frame (self + the library code it called):", cpu_first, counts["cpu"])
    lines += table("CPU samples: io.tarn frames on the stack (inclusive):", cpu_inclusive, counts["cpu"])
    lines += table("Native-method samples inside Tarn code (blocking I/O, fsync), by first io.tarn frame, "
                   "% of all native samples:", native_first, counts["native"])
    text = "\n".join(lines) + "\n"
    with open(recording + ".txt", "w") as f:
        f.write(text)
    return text
