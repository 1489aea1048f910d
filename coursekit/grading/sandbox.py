"""A process for one submission: bubblewrap where it works, else a plain process with limits, said loudly.

    box = Sandbox.detect()                 # once per run: box.kind is "bubblewrap" or "none", box.reason why
    process = box.start(build, files, limits)   # the collector, talking on process.stdin / process.stdout
    process.stop()                         # every process the submission started ends with it

Inside bubblewrap the submission sees: the system's /usr, /etc and libraries and the Python installation,
read-only; coursekit as the grading build (the course's answers removed, see build.py) bound over the
installed package; no package that differentiates for it (MASKED: sympy, torch, jax, scikit-learn, …, found
by path in every site folder) and no site folder the grader's Python does not use (the base interpreter's
under a venv); the notebook's data files, read-only, in an empty /course; its own empty /tmp and home
(tmpfs, size-limited). It does not see the course's solved notebooks, other submissions, the output folder,
the grader's files or its command line (own PID namespace), has no network, runs as an unprivileged user with
no capabilities, and dies with the grader. Limits: CPU seconds, address space, file size, open files, and
processes (a pids cgroup where the host allows one). Without bubblewrap: the same limits, a clean
environment and a temporary home, a new session that is killed whole — but files and network are the
grader's own, which the reports say.
"""
import functools
import glob
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import coursekit

PACKAGE = Path(coursekit.__file__).resolve().parent
MASKED = ("torch", "jax", "jaxlib", "flax", "autograd", "tensorflow", "keras", "sympy", "mpmath", "sklearn",
          "numdifftools", "findiff", "casadi", "pytensor", "theano", "tinygrad", "micrograd", "mxnet", "chainer",
          "paddle")                    # they differentiate for you (scikit-learn: its MLP's backward pass)
SITE_FOLDERS = ("lib/python3*/site-packages", "lib/python3*/dist-packages", "lib/python3/dist-packages",
                "local/lib/python3*/site-packages", "local/lib/python3*/dist-packages")
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc")


@functools.cache
def masked_locations():
    """What the sandbox hides: every site folder the grader's Python does not itself import from (the base
    interpreter's under a venv, the system's), and in the ones it uses, every package of MASKED, by path."""
    used = {os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)}
    sites = set()
    for prefix in (sys.base_prefix, sys.prefix, sys.exec_prefix, "/usr", "/usr/local"):
        for pattern in SITE_FOLDERS:
            sites.update(os.path.realpath(p) for p in glob.glob(os.path.join(prefix, pattern)) if os.path.isdir(p))
    hidden = {site for site in sites if site not in used}
    for site in sites & used:
        for name in MASKED:
            for location in (os.path.join(site, name), os.path.join(site, name + ".py")):
                if os.path.exists(location):
                    hidden.add(location)
    return sorted(hidden)


@dataclass(frozen=True)
class Limits:
    """What one submission's process may use."""

    cpu_seconds: int = 600              #: CPU time of the whole notebook run
    memory_bytes: int = 4 * 2 ** 30     #: address space of each process
    file_bytes: int = 64 * 2 ** 20      #: largest file it may write
    processes: int = 64                 #: processes and threads at once (pids cgroup)
    tmp_bytes: int = 256 * 2 ** 20      #: size of its /tmp and of its home


def _environment(home, tmp):
    env = {"HOME": home, "TMPDIR": tmp, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
           "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
           "IPYTHONDIR": f"{tmp}/ipython", "MPLCONFIGDIR": f"{tmp}/matplotlib",
           "JUPYTER_CONFIG_DIR": f"{tmp}/jupyter/config", "JUPYTER_DATA_DIR": f"{tmp}/jupyter/data",
           "JUPYTER_RUNTIME_DIR": f"{tmp}/jupyter/runtime", "JUPYTER_PLATFORM_DIRS": "1",
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "PYTHONHASHSEED": "0",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return env


class _Cgroup:
    """A pids cgroup (v2 unified or v1 pids) that caps and later kills every process of one submission."""

    def __init__(self, limit):
        self.path = None
        for root in ("/sys/fs/cgroup/pids", "/sys/fs/cgroup"):
            control = Path(root) / "pids.max" if root.endswith("pids") else Path(root) / "cgroup.controllers"
            if root == "/sys/fs/cgroup" and not (control.exists() and "pids" in control.read_text()):
                continue
            if root.endswith("pids") and not Path(root, "cgroup.procs").exists():
                continue
            path = Path(root) / f"coursekit-grade-{uuid.uuid4().hex[:12]}"
            try:
                path.mkdir()
                (path / "pids.max").write_text(str(limit))
                self.path = path
                return
            except OSError:
                try:
                    path.rmdir()
                except OSError:
                    pass

    def join(self):
        """Put the calling process (a child before exec) into the group."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def kill_all(self):
        if self.path is None:
            return
        for _ in range(50):
            try:
                pids = [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                break
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.02)
        try:
            self.path.rmdir()
        except OSError:
            pass


class Process:
    """A running collector: stdin/stdout for the protocol, stderr kept (the first 64 KiB) for diagnosis."""

    def __init__(self, popen, cgroup, folders):
        self.popen, self.cgroup, self.folders = popen, cgroup, folders
        self.stdin, self.stdout, self.stderr = popen.stdin, popen.stdout, popen.stderr

    def stop(self):
        """End the collector and everything it started; remove its temporary folders."""
        for stream in (self.stdin,):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.popen.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.popen.kill()
        except ProcessLookupError:
            pass
        self.popen.wait()
        self.cgroup.kill_all()
        for stream in (self.stdout, self.stderr):
            try:
                stream.close()
            except OSError:
                pass
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)


class Sandbox:
    """How submissions run on this machine: kind "bubblewrap" or "none", and if none, why."""

    def __init__(self, kind, reason=""):
        self.kind, self.reason = kind, reason

    @property
    def sandboxed(self):
        return self.kind == "bubblewrap"

    @classmethod
    def detect(cls, choice="auto"):
        """"auto": bubblewrap if it starts here, else none; "bubblewrap": that or an error; "none": none."""
        if choice == "none":
            return cls("none", "asked for no sandbox (--sandbox none)")
        bwrap = shutil.which("bwrap")
        if bwrap is None:
            reason = "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
        else:
            box = cls("bubblewrap")
            with tempfile.TemporaryDirectory(prefix="coursekit-probe-") as folder:
                command = box._command(Path(folder), PACKAGE.parent, [], Limits()) + [sys.executable, "-I", "-c",
                                                                                  "import numpy, coursekit"]
                try:
                    probe = subprocess.run(command, capture_output=True, text=True, timeout=60)
                    if probe.returncode == 0:
                        return box
                    reason = f"bubblewrap does not start here: {probe.stderr.strip()[:300]}"
                except (OSError, subprocess.TimeoutExpired) as error:
                    reason = f"bubblewrap does not start here: {error}"
        if choice == "bubblewrap":
            raise RuntimeError(reason)
        return cls("none", reason)

    def _command(self, staging, build_root, files, limits):
        """bwrap's arguments for a submission whose files are in staging and coursekit build in build_root."""
        args = ["bwrap", "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000", "--die-with-parent",
                "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox"]
        for path in SYSTEM:
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                args += ["--ro-bind", path, path]
        args += ["--proc", "/proc", "--dev", "/dev",        # the empty folders first, so that a Python or a
                 "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",        # course under /tmp is bound on top
                 "--size", str(limits.tmp_bytes), "--tmpfs", "/home/student",
                 "--tmpfs", "/course"]
        for prefix in dict.fromkeys(os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)):
            if not prefix.startswith(SYSTEM):
                args += ["--ro-bind", prefix, prefix]
        args += ["--ro-bind", str(build_root / "coursekit"), str(PACKAGE)]
        refusal = staging / ".masked"                # bound over a masked package: importing it fails by name
        refusal.mkdir(exist_ok=True)
        (refusal / "__init__.py").write_text('raise ImportError(f"{__name__} is not available while grading")\n')
        for location in masked_locations():
            if location.endswith((".py", "-packages")):
                args += ["--tmpfs", location] if os.path.isdir(location) else ["--ro-bind", os.devnull, location]
            else:
                args += ["--ro-bind", str(refusal), location]
        for name in files:
            args += ["--ro-bind", str(staging / name), f"/course/{name}"]
        args += ["--chdir", "/course", "--clearenv"]
        for key, value in _environment("/home/student", "/tmp").items():
            args += ["--setenv", key, value]
        return args + ["--"]

    def start(self, build_root, files, limits):
        """Start the collector on the build in build_root with these data files {name: path}."""
        staging = Path(tempfile.mkdtemp(prefix="coursekit-submission-"))
        folders = [staging]
        for name, path in files.items():
            shutil.copy2(path, staging / name)
        cgroup = _Cgroup(limits.processes)

        def prepare():                           # in the child, before exec
            os.setsid()
            cgroup.join()
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
            resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if cgroup.path is None and os.getuid() != 0:
                resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))

        if self.sandboxed:
            command = self._command(staging, build_root, list(files), limits) + [
                sys.executable, "-I", "-m", "coursekit.grading.collect"]
            env, cwd = None, None
        else:
            home = Path(tempfile.mkdtemp(prefix="coursekit-home-"))
            tmp = home / "tmp"
            tmp.mkdir()
            folders.append(home)
            env = _environment(str(home), str(tmp))
            launcher = (f"import sys; sys.path.insert(0, {str(build_root)!r}); import runpy; "
                        f"runpy.run_module('coursekit.grading.collect', run_name='__main__')")
            command, cwd = [sys.executable, "-I", "-c", launcher], str(staging)
        popen = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env, cwd=cwd, preexec_fn=prepare, close_fds=True)
        return Process(popen, cgroup, folders)
