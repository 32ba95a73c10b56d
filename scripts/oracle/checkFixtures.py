"""Confirms the rule fixtures' crash labels by running them under real PyTorch.

Each fixture of a crash rule in test/fixtures/rules/ is executed statement by statement, with
`torch`, `nn` and `F` already defined (as an earlier notebook cell would). Afterwards every class
it defines is built with its defaults, every function whose parameters all have defaults is
called, and every module-level nn.Module (and every default-built class) runs a forward pass in
training mode on the inputs its `# oracle-inputs:` line declares. An exception means "PyTorch
rejects" every fixture line in its traceback.

Then:
  - every line annotated `# error: [crash-rule]` must be among the rejected lines, by an error
    whose message is the one PyTorch gives for what that rule finds, and
  - every rejection must pass through a line with an `# error:` annotation, a `# normlint: ignore`
    suppression, or `# oracle: raises` (a program the analyzer deliberately does not follow, such
    as a value assigned only in a branch, which is never guessed).
Names and modules a fixture leaves undefined (`train_set`, `mylib`) make statements unrunnable,
not wrong. A label marked `# oracle: not run` (a DataLoader whose batches only crash inside a
training loop the fixture does not contain) or `# oracle: silent` (a layer PyTorch runs but whose
output is degenerate) is not held to a crash.

Run with the Python that has torch (Debian's python3-torch): /usr/bin/python3 scripts/oracle/checkFixtures.py
"""
import ast
import pathlib
import re
import sys
import traceback
import warnings

import torch
from torch import nn

# The crash rules, each with the errors PyTorch raises for what it finds.
CRASH_RULES = {
    "group-divisibility": re.compile(r"num_channels must be divisible by num_groups|integer modulo by zero"),
    "channel-mismatch": re.compile(
        r"running_mean should contain|weight should contain|Expected weight to be a vector|normalized_shape|mat1 and mat2 shapes cannot be multiplied"
    ),
    "norm-rank-mismatch": re.compile(r"expected \dD input|expected 2D or 3D input|expected \dD or \dD input"),
    "batch-size-one": re.compile(r"Expected more than 1 value per channel when training"),
    "instance-norm-spatial-one": re.compile(r"Expected more than 1 spatial element when training"),
}
# Which fixture line built each module, and which modules are running: a forward pass that fails
# inside a layer is that layer's constructor line's doing, even though no fixture frame shows it.
constructed_on = {}
running = []
entered = [0]
current_fixture = None
_original_init = nn.Module.__init__


def _recording_init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    for frame in reversed(traceback.extract_stack()[:-1]):
        if frame.filename == current_fixture:
            constructed_on[id(self)] = frame.lineno
            break


def _entered(module, inputs):
    running.append(module)
    entered[0] += 1


def _left(module, inputs, output):
    # A forward hook that returned something would replace the layer's output: return nothing.
    running.pop()


nn.Module.__init__ = _recording_init
torch.nn.modules.module.register_module_forward_pre_hook(_entered)
torch.nn.modules.module.register_module_forward_hook(_left)

ANNOTATION = re.compile(r"#\s*error:\s*\[([a-z0-9-]+)\]")
INPUTS = re.compile(r"#\s*oracle-inputs:\s*(.+)")
ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "test" / "fixtures" / "rules"


def fixture_lines(error, path):
    """The fixture's lines in the traceback: the statement that ran, down to the layer that refused."""
    return frozenset(frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == str(path))


class Rejection:
    """One error PyTorch raised: the fixture lines involved and its message."""

    def __init__(self, lines, message):
        self.lines = frozenset(lines)
        self.message = message


def run(path):
    """Every rejection PyTorch made while running the fixture, as the set of fixture lines involved."""
    global current_fixture
    current_fixture = str(path)
    source = path.read_text()
    tree = ast.parse(source)
    namespace = {"__name__": "fixture", "torch": torch, "nn": nn, "F": torch.nn.functional}
    rejected = []
    inputs_match = INPUTS.search(source)
    inputs = eval(inputs_match.group(1), {"torch": torch}) if inputs_match else ()
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)

    def attempt(action):
        try:
            action()
            return True
        except (NameError, ImportError):
            return False
        except Exception as error:  # noqa: BLE001 - any other exception is PyTorch refusing
            lines = fixture_lines(error, path)
            if lines:
                rejected.append(Rejection(lines, f"{type(error).__name__}: {error}"))
            return False

    # The line that built each module-level object: a forward pass that fails is that line's doing too.
    created_on = {}
    for statement in tree.body:
        before = dict(namespace)
        attempt(lambda statement=statement: exec(compile(ast.Module(body=[statement], type_ignores=[]), str(path), "exec"), namespace))
        for name, value in namespace.items():
            if before.get(name) is not value:
                created_on[id(value)] = statement.lineno

    def forward(module):
        module.train()
        if not inputs:
            return
        failures = []
        for sample in inputs:
            running.clear()
            entered[0] = 0
            try:
                module(sample.clone())
                return
            except Exception as error:  # noqa: BLE001
                # The innermost module still running is the one that refused.
                failing = {constructed_on[id(running[-1])]} if running and id(running[-1]) in constructed_on else set()
                failures.append((entered[0], fixture_lines(error, path) | failing, f"{type(error).__name__}: {error}"))
        # A sample of the wrong shape fails in the first layer; the one that got through most layers tells.
        _, lines, message = max(failures, key=lambda failure: failure[0])
        creation = {created_on[id(module)]} if id(module) in created_on else set()
        if lines or creation:
            rejected.append(Rejection(lines | creation, message))

    for value in list(namespace.values()):
        if isinstance(value, nn.Module):
            attempt(lambda value=value: forward(value))
        elif isinstance(value, type) and issubclass(value, nn.Module) and value.__module__ == "fixture":
            built = []
            if attempt(lambda value=value: built.append(value())):
                attempt(lambda: forward(built[0]))
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef) and callable_without_arguments(statement):
            attempt(lambda name=statement.name: namespace[name]())
    return rejected


def callable_without_arguments(function):
    """Every parameter has a default, and there is no `*args`/`**kwargs` to invent values for."""
    arguments = function.args
    return not arguments.vararg and not arguments.kwarg and len(arguments.defaults) == len(arguments.posonlyargs) + len(arguments.args) and all(
        default is not None for default in arguments.kw_defaults
    )


def labels(path):
    crash_labelled, raises_allowed = {}, set()
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        match = ANNOTATION.search(text)
        if match and match.group(1) in CRASH_RULES and "# oracle: not run" not in text and "# oracle: silent" not in text:
            crash_labelled[number] = match.group(1)
        if match or "# oracle: raises" in text or "# normlint: ignore" in text:
            raises_allowed.add(number)
    return crash_labelled, raises_allowed


def main():
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    failures = []
    checked = 0
    fixtures = [path for path in sorted(FIXTURES.glob("*.py")) if path.name.split(".")[0] in CRASH_RULES]
    for path in fixtures:
        crash_labelled, raises_allowed = labels(path)
        rejections = run(path)
        checked += len(crash_labelled)
        for line, rule in sorted(crash_labelled.items()):
            through = [rejection for rejection in rejections if line in rejection.lines]
            if not through:
                failures.append(f"{path.name}:{line}: labelled to crash, but PyTorch accepted it (or it could not run)")
            elif not any(CRASH_RULES[rule].search(rejection.message) for rejection in through):
                failures.append(f"{path.name}:{line}: PyTorch rejects it, but not with {rule}'s error: {through[0].message[:120]}")
        for rejection in rejections:
            if not rejection.lines & raises_allowed:
                failures.append(f"{path.name}:{min(rejection.lines)}: PyTorch rejects this, but no line on the way carries an error label")
        print(f"{path.name}: {len(crash_labelled)} crash labels, {len(rejections)} rejections by PyTorch {torch.__version__}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{checked} crash labels checked, {len(failures)} disagreements")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
