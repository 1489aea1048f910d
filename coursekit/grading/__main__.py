"""The command line: `python -m coursekit.grading SUBMISSIONS …` and `python -m coursekit.grading merge …`."""
import argparse
import re
import sys

from . import grade, merge


def _size(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)B?", text.strip(), re.I)
    if not match:
        raise argparse.ArgumentTypeError(f"a size like 4G or 512M, not {text!r}")
    return int(float(match.group(1)) * 1024 ** " KMG".index(match.group(2).upper() or " "))


def _shard(text):
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise argparse.ArgumentTypeError(f"K/N with 1 ≤ K ≤ N, e.g. 2/8; not {text!r}")
    return int(match.group(1)), int(match.group(2))


def _positive(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"a positive number of seconds, not {text!r}")
    return value


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["merge"]:
        parser = argparse.ArgumentParser(prog="python -m coursekit.grading merge",
                                         description="Write the reports from the results of sharded runs.")
        parser.add_argument("results", nargs="+", help="result folders of the shards (their --out)")
        parser.add_argument("--out", default="grades", help="folder for the reports (default: grades)")
        args = parser.parse_args(argv[1:])
        try:
            merge(args.results, args.out)
        except ValueError as error:
            parser.error(str(error))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m coursekit.grading",
        description="Grade submitted notebooks, SUBMISSIONS/<student>/…/<notebook>.ipynb: each in its own sandbox, "
                    "its answers judged by the grader on fresh problems. (`merge` after --shard runs.)")
    parser.add_argument("submissions", help="folder with one sub-folder per student")
    parser.add_argument("--source", default="notebooks", help="the solved course notebooks (default: notebooks)")
    parser.add_argument("--out", default="grades", help="folder for results and reports (default: grades)")
    parser.add_argument("--notebooks", nargs="+", metavar="NB",
                        help="grade only these notebooks (file name, stem or number, e.g. 08); default: those in "
                             "--release, else every course notebook with graded cells")
    parser.add_argument("--release", default="release", help="the student release, whose notebooks are the "
                                                             "assigned ones by default (default: release)")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: cores)")
    parser.add_argument("--shard", type=_shard, help="K/N: grade every N-th job starting at K, results only")
    parser.add_argument("--fresh", action="store_true", help="regrade everything, ignoring earlier results")
    parser.add_argument("--sandbox", choices=["auto", "bubblewrap", "none"], default="auto",
                        help="auto (default): bubblewrap where it works, else unsandboxed with a warning")
    parser.add_argument("--cell-timeout", type=_positive, default=60.0, help="seconds per cell (default: 60)")
    parser.add_argument("--check-timeout", type=_positive, default=5.0,
                        help="seconds per call of a student's function (default: 5)")
    parser.add_argument("--notebook-timeout", type=_positive, default=300.0,
                        help="seconds per notebook, cells and answers together (default: 300)")
    parser.add_argument("--memory", type=_size, default=4 * 2 ** 30, help="address space per process (default: 4G)")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):         # a student's folder name need not be UTF-8: the log still is
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    try:
        grade(args.submissions, args.source, args.out, args.notebooks, args.jobs, args.shard, args.fresh,
              args.sandbox, args.cell_timeout, args.check_timeout, args.notebook_timeout, args.memory, args.release)
    except (ValueError, RuntimeError) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
