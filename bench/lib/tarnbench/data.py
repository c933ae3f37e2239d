"""The data every scenario and its baseline share: object paths, their checksums, and change sets.
Deterministic, so Tarn and git (and nginx and S3Proxy) get exactly the same paths."""
import hashlib
import os
import random

ZERO_SHA = "0" * 40


def path_of(i):
    """Lake-like layout: 10 tables, 1,000 partitions each, files spread over them."""
    return f"data/t{i % 10}/p{(i // 10) % 1000:03d}/part-{i:07d}.parquet"


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def sha1(s):
    return hashlib.sha1(s.encode()).hexdigest()


def entries(workdir, n):
    """Writes (once) the N entries in a fixed shuffled order, as `md5 TAB path` for the harness and
    `100644 sha1 TAB path` for git update-index --index-info. Returns (tarn_file, git_file, paths_file)."""
    base = os.path.join(workdir, f"entries-{n}")
    tarn, git, paths = base + ".tarn", base + ".git", base + ".paths"
    if os.path.exists(paths):
        return tarn, git, paths
    order = list(range(n))
    random.Random(42).shuffle(order)
    with open(tarn + ".tmp", "w") as t, open(git + ".tmp", "w") as g, open(paths + ".tmp", "w") as p:
        for i in order:
            path = path_of(i)
            t.write(f"{md5(path)}\t{path}\n")
            g.write(f"100644 {sha1(path)}\t{path}\n")
            p.write(path + "\n")
    for f in (tarn, git, paths):
        os.replace(f + ".tmp", f)
    return tarn, git, paths


def change_sets(workdir, n, runs, k=10):
    """For each run r, two disjoint sets of K changes on top of the N entries: `src` (6 changed,
    2 added, 2 removed) and `dst` (K changed). Written for the harness (r<r>-src.txt: KIND TAB md5
    TAB path) and for git (r<r>-src.git: index-info lines). Returns the folder."""
    d = os.path.join(workdir, f"changes-{n}-{runs}")
    if os.path.isdir(d):
        return d
    os.makedirs(d + ".tmp", exist_ok=True)
    ordered = sorted(path_of(i) for i in range(n))
    for r in range(runs):
        for side in ("src", "dst"):
            offset = 3 if side == "src" else n // (2 * k) + 5
            tarn_lines, git_lines = [], []
            for j in range(k):
                path = ordered[(j * n // k + 7 * r + offset) % n]
                kind = "C" if side == "dst" or j < 6 else ("A" if j < 8 else "R")
                if kind == "A":
                    path = f"{path}.new{r}"
                if kind == "R":
                    tarn_lines.append(f"R\t-\t{path}")
                    git_lines.append(f"0 {ZERO_SHA}\t{path}")
                else:
                    tag = f"{path}#{side}{r}"
                    tarn_lines.append(f"{kind}\t{md5(tag)}\t{path}")
                    git_lines.append(f"100644 {sha1(tag)}\t{path}")
            with open(os.path.join(d + ".tmp", f"r{r}-{side}.txt"), "w") as f:
                f.write("\n".join(tarn_lines) + "\n")
            with open(os.path.join(d + ".tmp", f"r{r}-{side}.git"), "w") as f:
                f.write("\n".join(git_lines) + "\n")
    os.replace(d + ".tmp", d)
    return d


def big_file(workdir, size):
    """A file of `size` random bytes for the large transfer."""
    path = os.path.join(workdir, f"big-{size}.bin")
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as f:
            left = size
            chunk = os.urandom(1 << 20)
            while left > 0:
                # distinct blocks: vary the first bytes of each MiB so no layer can dedupe them
                f.write(left.to_bytes(8, "little") + chunk[8:min(len(chunk), left)])
                left -= min(len(chunk), left)
        os.replace(path + ".tmp", path)
    return path


def lookups(workdir, n, k):
    """K paths drawn at random (with a fixed seed) from the N entries, one per line."""
    path = os.path.join(workdir, f"lookups-{n}-{k}.txt")
    if not os.path.exists(path):
        rnd = random.Random(7)
        with open(path + ".tmp", "w") as f:
            for _ in range(k):
                f.write(path_of(rnd.randrange(n)) + "\n")
        os.replace(path + ".tmp", path)
    return path


def multipart_form(content, boundary="tarnbenchboundary", filename="f"):
    """A classic uploadObject body: the one form field `content` (bytes or text), as the 2020 clients
    send it; returns (body, Content-Type header)."""
    if isinstance(content, str):
        content = content.encode()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"content\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
