"""git as the baseline of the metadata scenarios: a bare index and object store built from the
same paths (blobs are never written: `--missing-ok`, the same metadata-only work Tarn does)."""
import os
import subprocess

from . import proc


def env(workdir):
    e = dict(os.environ)
    e.update({
        "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_AUTHOR_DATE": "1764000000 +0000", "GIT_COMMITTER_DATE": "1764000000 +0000",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": workdir,
    })
    return e


class GitRepo:
    def __init__(self, workdir, name):
        self.dir = os.path.join(workdir, name)
        self.env = env(workdir)
        subprocess.run(["git", "init", "-q", self.dir], check=True, env=self.env)
        subprocess.run(["git", "-C", self.dir, "config", "gc.auto", "0"], check=True, env=self.env)

    def run(self, *args, stdin=None, stdout=None):
        """Runs git in the repository; returns proc.run's figures (wall, cpu, maxrss, stdout)."""
        import subprocess as sp
        return proc.run(["git", "-C", self.dir] + list(args), stdin=stdin, env=self.env,
                        stdout=sp.PIPE if stdout is None else stdout)

    def stage(self, index_info_file):
        return self.run("update-index", "--index-info", stdin=index_info_file)

    def write_tree(self):
        r = self.run("write-tree", "--missing-ok")
        r["tree"] = r["stdout"].strip()
        return r

    def commit_tree(self, tree, message, *parents):
        args = ["commit-tree", tree, "-m", message]
        for p in parents:
            args += ["-p", p]
        r = self.run(*args)
        r["commit"] = r["stdout"].strip()
        return r

    def read_tree(self, tree):
        return self.run("read-tree", tree)
