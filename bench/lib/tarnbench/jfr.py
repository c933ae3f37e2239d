"""Profiles: JDK Flight Recorder recordings of the engine harness and the Tarn server (bench/run
--profile), summarised as the hottest methods and the hottest Tarn frames."""
import collections
import os
import re
import subprocess


def flag(path):
    return f"-XX:StartFlightRecording=filename={path},settings=profile,dumponexit=true"


def summarize(java_home, recording, top=25):
    """Writes <recording>.txt next to the recording: jfr's hot-methods view (Java code on CPU), then
    the execution and native-method samples (the latter catch threads blocked in I/O) grouped by their
    first io.tarn frame (which Tarn code the CPU was in or called from). Returns the text."""
    jfr = os.path.join(java_home, "bin", "jfr")
    hot = subprocess.run([jfr, "view", "--width", "200", "hot-methods", recording],
                         capture_output=True, text=True).stdout
    printed = subprocess.run([jfr, "print", "--stack-depth", "64", "--events",
                              "jdk.ExecutionSample,jdk.NativeMethodSample", recording],
                             capture_output=True, text=True).stdout
    first_tarn = collections.Counter()
    inclusive = collections.Counter()
    samples = 0
    frames = []
    in_stack = False
    for line in printed.splitlines():
        s = line.strip()
        if s.startswith("stackTrace = ["):
            in_stack, frames = True, []
        elif in_stack and s == "]":
            in_stack = False
            samples += 1
            tarn = [f for f in frames if f.startswith("io.tarn.") and not f.startswith("io.tarn.bench.")]
            first_tarn[tarn[0] if tarn else "(no io.tarn frame)"] += 1
            for f in set(tarn):
                inclusive[f] += 1
        elif in_stack and s and not s.startswith("..."):
            frames.append(re.sub(r"\s+line:.*$", "", s))
    lines = [f"# {os.path.basename(recording)}: {samples} samples (Java code running, and threads in "
             "native code such as I/O and fsync)", "", hot.strip(), "",
             "Samples by first io.tarn frame (self + the library code it called):", ""]
    for name, n in first_tarn.most_common(top):
        lines.append(f"{n:7d} {100.0 * n / max(samples, 1):5.1f}%  {name}")
    lines += ["", "io.tarn frames on the stack (inclusive):", ""]
    for name, n in inclusive.most_common(top):
        lines.append(f"{n:7d} {100.0 * n / max(samples, 1):5.1f}%  {name}")
    text = "\n".join(lines) + "\n"
    with open(recording + ".txt", "w") as f:
        f.write(text)
    return text
