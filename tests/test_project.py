"""The project as others use it: licences, workflows, lint, hooks, benchmarks' files."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from workbook import bench

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_licences_are_present_and_named():
    readme = (ROOT / "README.md").read_text()
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "CC BY 4.0" in (ROOT / "LICENSE-CONTENT").read_text()
    for name in ("LICENSE", "LICENSE-CONTENT", "CONTRIBUTING.md"):
        assert (ROOT / name).exists() and name in readme, f"README does not name {name}"
    footer = yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["extra_footer"]
    assert "MIT" in footer and "CC BY 4.0" in footer


def test_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflows under .github/workflows"
    run = subprocess.run(
        [str(BIN / "actionlint"), *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stdout + run.stderr


def run_steps(name):
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    return [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


def test_workflows_build_with_the_readmes_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in run_steps("test.yml") and "make test" in readme
    assert "make book" in run_steps("book.yml") and "make book" in readme
    book = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert "actions/upload-pages-artifact" in book and "actions/deploy-pages" in book
    assert "_build/.jupyter_cache" in book, "the execution cache is not kept between runs"
    for step in run_steps("test.yml") + run_steps("book.yml"):
        assert step.startswith(("make ", "apt-get ")), f"a step the README does not name: {step}"


def test_code_is_linted_and_formatted():
    ruff = str(BIN / "ruff")
    check = subprocess.run([ruff, "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout[-4000:] + check.stderr
    form = subprocess.run(
        [ruff, "format", "--check", "."], capture_output=True, text=True, cwd=ROOT
    )
    assert form.returncode == 0, "run `.venv/bin/ruff format .`: " + form.stdout[-3000:]


def test_pre_commit_hooks_cover_lint_outputs_and_generated_files():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "nbstripout", "generated-files"} <= hooks
    assert "pre-commit install" in (ROOT / "README.md").read_text()


def test_make_bench_leaves_tracked_files_alone():
    assert bench.outputs(update=False) == [bench.OUT]
    assert bench.OUT.is_relative_to(bench.ROOT / "_build")
    assert bench.PUBLISHED in bench.outputs(update=True)
    makefile = (ROOT / "Makefile").read_text()
    assert "bench-update:" in makefile and "--update" in makefile


def test_make_help_is_the_default_and_lists_every_command():
    if shutil.which("make") is None:
        return
    run = subprocess.run(["make", "--no-print-directory"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    for command in (
        "book",
        "test",
        "lint",
        "lab",
        "update",
        "grade",
        "mock",
        "generate",
        "bench",
        "bench-update",
        "clean",
    ):
        assert f"make {command} " in run.stdout, f"make help does not list {command}"
