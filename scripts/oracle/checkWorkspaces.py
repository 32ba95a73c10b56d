"""Confirms the crash labels of the multi-file fixture workspaces by running them under real PyTorch.

Each folder in test/fixtures/workspaces/ is a small project that `normlint check <folder>` must
report exactly as its `expected.json` lists, a JSON list of findings:

    {"file": "train.py", "line": 10, "code": "NL101"}
    {"file": "explore.ipynb", "cell": 1, "line": 2, "code": "NL101"}
    {"file": "models/blocks.py", "line": 8, "code": "NL101", "from": {"file": "train.py", "line": 10}}

Paths are relative to the workspace and lines count from 1; in a notebook `cell` is the 0-based
code cell and `line` counts within it, as the CLI's JSON reports them. An entry with `from` is a
mirror: the same finding repeated on a line it involves (the layer, an intermediate call, a
constant, a config value), pointing back at the place the user acts.

`oracle.json` next to it says how to make PyTorch show each crash:

    {"programs": {...}, "runs": [{
      "about": "one sentence: what this run shows",
      "script": "train.py",
      "patch": {"conf/train.yaml": [["base_channels: 30", "base_channels: 32"]]},
      "raises": "ValueError",
      "message": "Expected more than 1 value per channel when training",
      "through": [{"file": "train.py", "line": 16}],
      "confirms": [{"file": "train.py", "line": 12, "code": "NL104"}]
    }]}

  - `script` is a workspace file to run: a `.py` file as `python3 script.py` would (its folder
    first on the path), or a `.ipynb` notebook, whose code cells run in order as one program in the
    notebook's folder, as a kernel started there would (IPython magics and shell lines are skipped,
    as normlint skips them). Instead of `script`, `program` names an entry of the top-level
    `programs` (a list of source lines) to run from the workspace root: a stand-in for a consumer
    the workspace does not contain, such as the library that reads a model config. Its
    traceback lines are named with the file "<program>".
  - `patch` edits a copy of the workspace first: for each file, [old, new] pairs applied in
    order, each `old` occurring exactly once when it is applied, so a patch cannot silently miss.
  - `raises` is the exception's class name and `message` a substring of its text; `raises: null`
    means the run must finish, which shows that fixing the labelled lines leaves nothing else
    that crashes (and that a patch used to isolate one label does not crash on its own).
  - `through` lists the places the traceback must pass through: {"file", "line"}, with "cell"
    for a notebook.
  - `confirms` lists the labels of expected.json this crash shows: each must be an entry there
    (not a mirror), of a crash rule, and the error must be the one PyTorch gives for what that
    rule finds. A label need not be on the traceback itself: a DataLoader's batch size crashes
    later, in the model call, and a config value crashes in the code that reads it.

Then every expected entry of a crash rule at the place the user acts must be confirmed by a run
that behaved as declared, and every mirror must point back at an expected entry of its rule
(which, for a crash rule, is then confirmed). The crash rules and their errors are
checkFixtures.py's, so the single-file and workspace oracles agree on what a crash is.

Run with a Python that has torch and omegaconf, as `npm run test:oracle` does:
    python3 scripts/oracle/checkWorkspaces.py [workspace folder…]
"""
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

# The runs use this same Python, so its torch is the version they ran under.
import torch

# The crash rules (by name) and the errors PyTorch raises for each, kept in one place.
from checkFixtures import CRASH_RULES

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORKSPACES = ROOT / "test" / "fixtures" / "workspaces"
PROGRAM = "<program>"
PROGRAM_FILE = ".oracle-program.py"
TIMEOUT_SECONDS = 300

# Runs inside the child Python: a traceback is only worth something as data, so the child reports
# the exception and every frame instead of printing text for this script to parse.
RUNNER = r"""
import json, os, runpy, sys, traceback
script, report = sys.argv[1], sys.argv[2]
sys.argv = [script]
sys.path[0] = os.path.dirname(script)
outcome = {"raised": None}
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as error:
    if error.code not in (None, 0):
        outcome = {"raised": "SystemExit", "message": str(error.code), "frames": []}
except BaseException as error:
    frames = [[os.path.realpath(frame.filename), frame.lineno] for frame in traceback.extract_tb(error.__traceback__)]
    outcome = {"raised": type(error).__name__, "message": str(error), "frames": frames}
with open(report, "w") as file:
    json.dump(outcome, file)
"""


def rule_names_by_code():
    """NL101 → group-divisibility, read from the rule files so no table here can drift from them."""
    names = {}
    for path in (ROOT / "src" / "rules").glob("*.ts"):
        for code, name in re.findall(r"code:\s*'(NL\d+)',\s*name:\s*'([a-z0-9-]+)'", path.read_text()):
            names[code] = name
    return names


def code_cells(path):
    """The sources of a notebook's code cells, in order."""
    notebook = json.loads(path.read_text())
    sources = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        sources.append("".join(source) if isinstance(source, list) else source)
    return sources


def notebook_program(sources):
    """The program a kernel runs, and the program line (1-based) each code cell starts on."""
    lines, first_lines = [], []
    for source in sources:
        first_lines.append(len(lines) + 1)
        cell_lines = source.split("\n")
        if cell_lines and cell_lines[-1] == "":
            cell_lines.pop()
        whole_cell_magic = bool(cell_lines) and cell_lines[0].lstrip().startswith("%%")
        # Blank lines keep every position, so the traceback's lines map back into the cells.
        lines.extend("" if whole_cell_magic or re.match(r"\s*[%!]", line) else line for line in cell_lines)
    return "\n".join(lines) + "\n", first_lines


class Location:
    """A place in a workspace: a file and a 1-based line, and a code cell for a notebook."""

    def __init__(self, file, line, cell=None):
        self.file, self.line, self.cell = file, line, cell

    @classmethod
    def of(cls, entry):
        return cls(entry["file"], entry["line"], entry.get("cell"))

    def key(self):
        return (self.file, self.cell, self.line)

    def __str__(self):
        return f"{self.file}:cell {self.cell}:{self.line}" if self.cell is not None else f"{self.file}:{self.line}"


class Label:
    """One entry of expected.json."""

    def __init__(self, entry):
        self.location = Location.of(entry)
        self.code = entry["code"]
        self.mirror_of = Location.of(entry["from"]) if "from" in entry else None

    def key(self):
        return (*self.location.key(), self.code)

    def __str__(self):
        return f"{self.location} {self.code}"


def apply_patches(copy, patches):
    """Edits the copy; a patch that does not match exactly once is a mistake in oracle.json."""
    for relative, pairs in patches.items():
        path = copy / relative
        text = path.read_text()
        for old, new in pairs:
            count = text.count(old)
            if count != 1:
                raise ValueError(f"patch {old!r} occurs {count} times in {relative}")
            text = text.replace(old, new)
        path.write_text(text)


def execute(workspace, programs, run):
    """Runs one entry of oracle.json in a fresh copy; the outcome with frames as workspace locations."""
    try:
        return execute_in_copy(workspace, programs, run)
    except (OSError, KeyError, ValueError) as error:
        # A mistake in oracle.json (a patch that misses, a missing script) is a disagreement to report, not a crash of the oracle.
        return {"failure": f"could not run: {type(error).__name__}: {error}"}


def execute_in_copy(workspace, programs, run):
    with tempfile.TemporaryDirectory() as temporary:
        copy = pathlib.Path(temporary, workspace.name).resolve()
        shutil.copytree(workspace, copy)
        apply_patches(copy, run.get("patch", {}))
        cells = None
        if "program" in run:
            target = copy / PROGRAM_FILE
            target.write_text("\n".join(programs[run["program"]]) + "\n")
            folder = copy
        elif run["script"].endswith(".ipynb"):
            notebook = copy / run["script"]
            text, first_lines = notebook_program(code_cells(notebook))
            cells = (run["script"], first_lines)
            target = notebook.with_name(notebook.name + ".py")
            target.write_text(text)
            folder = notebook.parent
        else:
            target = copy / run["script"]
            if not target.is_file():
                raise FileNotFoundError(f"no script {run['script']} in the workspace")
            folder = copy
        report = pathlib.Path(temporary, "outcome.json")
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
        try:
            completed = subprocess.run(
                [sys.executable, "-c", RUNNER, str(target), str(report)],
                cwd=folder,
                env=environment,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            return {"failure": f"did not finish within {TIMEOUT_SECONDS} s"}
        if not report.exists():
            return {"failure": f"the runner itself failed: {completed.stderr.strip()[-400:]}"}
        outcome = json.loads(report.read_text())
        outcome["frames"] = [location for location in (workspace_location(copy, target, cells, filename, line) for filename, line in outcome.get("frames", [])) if location]
        return outcome


def workspace_location(copy, target, cells, filename, line):
    """A traceback frame as a workspace location; frames in libraries and in the runner are none."""
    path = pathlib.Path(filename)
    if not path.is_file():
        return None
    if path == target and target.name == PROGRAM_FILE:
        return Location(PROGRAM, line)
    if path == target and cells:
        notebook, first_lines = cells
        index = 0
        for candidate, first in enumerate(first_lines):
            if first <= line:
                index = candidate
        return Location(notebook, line - first_lines[index] + 1, index)
    try:
        return Location(path.relative_to(copy).as_posix(), line)
    except ValueError:
        return None


def describe_outcome(outcome):
    if outcome["raised"] is None:
        return "it finished"
    last = outcome["frames"][-1] if outcome["frames"] else "a library"
    return f"it raised {outcome['raised']}: {outcome['message'][:160]} (last workspace frame {last})"


def check_run(run, outcome, labels, rule_names):
    """The disagreements of one run with what oracle.json declares, and the labels it confirms."""
    name = run.get("script") or f"<program {run.get('program')}>"
    if "failure" in outcome:
        return [f"{name}: {outcome['failure']}"], []
    problems = []
    expected_error = run["raises"]
    if expected_error is None:
        if outcome["raised"] is not None:
            problems.append(f"{name}: declared to finish, but {describe_outcome(outcome)}")
        return problems, []
    if outcome["raised"] != expected_error or run["message"] not in outcome["message"]:
        return [f"{name}: declared to raise {expected_error} ({run['message']}), but {describe_outcome(outcome)}"], []
    frames = {location.key() for location in outcome["frames"]}
    for place in map(Location.of, run.get("through", [])):
        if place.key() not in frames:
            problems.append(f"{name}: the traceback does not pass through {place}; it passes through {', '.join(map(str, outcome['frames']))}")
    confirmed = []
    for entry in run.get("confirms", []):
        key = (entry["file"], entry.get("cell"), entry["line"], entry["code"])
        label = labels.get(key)
        rule = rule_names.get(entry["code"])
        if label is None or label.mirror_of is not None:
            problems.append(f"{name}: confirms {Location.of(entry)} {entry['code']}, which expected.json does not list at the place the user acts")
        elif rule not in CRASH_RULES:
            problems.append(f"{name}: confirms {label}, but {rule} is not a crash rule")
        elif not CRASH_RULES[rule].search(outcome["message"]):
            problems.append(f"{name}: confirms {label}, but the error is not {rule}'s: {outcome['message'][:160]}")
        else:
            confirmed.append(label)
    return problems, ([] if problems else confirmed)


def check_labels(workspace, labels):
    """Every entry names a line that exists: a label on a line that moved would confirm nothing."""
    problems = []
    for label in labels.values():
        path = workspace / label.location.file
        if not path.is_file():
            problems.append(f"expected.json: {label} names a file that does not exist")
            continue
        if label.location.cell is not None:
            sources = code_cells(path)
            lines = sources[label.location.cell].split("\n") if label.location.cell < len(sources) else None
        else:
            lines = path.read_text().split("\n")
        if lines is None or not 1 <= label.location.line <= len(lines):
            problems.append(f"expected.json: {label} is past the end of its file or cell")
    return problems


def check_workspace(workspace, rule_names, pool):
    labels = {label.key(): label for label in map(Label, json.loads((workspace / "expected.json").read_text()))}
    oracle_path = workspace / "oracle.json"
    oracle = json.loads(oracle_path.read_text()) if oracle_path.exists() else {}
    runs, programs = oracle.get("runs", []), oracle.get("programs", {})
    problems = check_labels(workspace, labels)
    confirmed = set()
    outcomes = list(pool.map(lambda run: execute(workspace, programs, run), runs))
    for run, outcome in zip(runs, outcomes):
        run_problems, run_confirmed = check_run(run, outcome, labels, rule_names)
        problems.extend(run_problems)
        confirmed.update(label.key() for label in run_confirmed)

    at_user = [label for label in labels.values() if label.mirror_of is None]
    crash_labels = [label for label in at_user if rule_names.get(label.code) in CRASH_RULES]
    for label in crash_labels:
        if label.key() not in confirmed:
            problems.append(f"expected.json: {label} is a crash label, but no run confirms it")
    origins = {(*label.location.key(), label.code) for label in at_user}
    mirrors = [label for label in labels.values() if label.mirror_of is not None]
    for mirror in mirrors:
        if (*mirror.mirror_of.key(), mirror.code) not in origins:
            problems.append(f"expected.json: {mirror} mirrors {mirror.mirror_of}, where expected.json lists no {mirror.code}")
    problems = [f"{workspace.name}/{problem}" for problem in problems]
    confirmed_count = sum(1 for label in crash_labels if label.key() in confirmed)
    print(f"{workspace.name}: {len(runs)} runs, {confirmed_count} of {len(crash_labels)} crash labels confirmed, {len(mirrors)} mirrors")
    return confirmed_count, problems


def main():
    rule_names = rule_names_by_code()
    missing = set(CRASH_RULES) - set(rule_names.values())
    assert not missing, f"checkFixtures.py names crash rules that src/rules does not define: {sorted(missing)}"
    # Folders named on the command line are checked instead of all of them, to try one workspace.
    named = [pathlib.Path(argument).resolve() for argument in sys.argv[1:]]
    workspaces = named or sorted(path for path in WORKSPACES.iterdir() if (path / "expected.json").is_file())
    confirmed, problems = 0, []
    # Each run is a separate Python that imports torch; running a few at once hides that start-up.
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for workspace in workspaces:
            count, workspace_problems = check_workspace(workspace, rule_names, pool)
            confirmed += count
            problems.extend(workspace_problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{confirmed} crash labels confirmed in {len(workspaces)} workspaces under PyTorch {torch.__version__}, {len(problems)} disagreements")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
