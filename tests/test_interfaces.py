"""Interface changes of one file between two revisions, as a reader sees them in a commit's
record: what is found with no configuration, what is left out, what a rule adds."""

from __future__ import annotations

import pytest

from generator.config.interfaces import InterfaceRule
from generator.interfaces import Extractor, FileRevision, candidate, compare


def changes(path, old, new, rules=()):
    result = compare(path, old, new, rules)
    assert result.note is None
    return [(c.kind, c.name, c.change, c.old, c.new) for c in result.changes]


SERVER_ARGS = """from dataclasses import dataclass
from typing import Annotated, Optional


@dataclass
class ServerArgs:
    model_path: Annotated[str, "The model's path or Hugging Face name."] = "x"
    tp_size: Annotated[int, "Tensor parallelism."] = 1
    enable_lora: bool = False

    def url(self) -> str:
        return f"http://{self.model_path}"
"""


def test_a_dataclass_of_options_its_annotated_fields_added_removed_and_defaults():
    new = SERVER_ARGS.replace('"Tensor parallelism."] = 1', '"Tensor parallelism."] = 2')
    new = new.replace(
        "    enable_lora: bool = False\n", "    max_running_requests: Optional[int] = None\n"
    )
    assert changes("python/sglang/srt/server_args.py", SERVER_ARGS, new) == [
        ("option", "enable_lora", "removed", "False", None),
        ("option", "max_running_requests", "added", None, "None"),
        ("option", "tp_size", "default", "1", "2"),
    ]


def test_a_pydantic_settings_class_is_one_too():
    old = "from pydantic import BaseModel\n\n"
    old += "class RouterSettings(BaseModel):\n    port: int = 30000\n"
    new = old.replace("30000", "30001")
    assert changes("pkg/settings.py", old, new) == [("option", "port", "default", "30000", "30001")]


ENVS = """class Envs:
    SGLANG_USE_MODELSCOPE = EnvBool(False)
    SGLANG_OLD_KNOB = EnvBool(True)
    _PRIVATE = EnvInt(1)
"""


def test_an_env_class_its_upper_snake_attributes_are_variables():
    new = ENVS.replace("SGLANG_OLD_KNOB = EnvBool(True)", "SGLANG_NEW_KNOB = EnvInt(3)")
    new = new.replace("EnvBool(False)", "EnvBool(True)").replace("EnvInt(1)", "EnvInt(2)")
    assert changes("python/sglang/srt/environ.py", ENVS, new) == [
        ("env", "SGLANG_NEW_KNOB", "added", None, "EnvInt(3)"),
        ("env", "SGLANG_OLD_KNOB", "removed", "EnvBool(True)", None),
        ("env", "SGLANG_USE_MODELSCOPE", "default", "EnvBool(False)", "EnvBool(True)"),
    ]


def test_vllm_envs_a_dict_of_lambdas_reading_the_environment():
    old = "import os\n\nenvironment_variables = {\n"
    old += '    "VLLM_HOST_IP": lambda: os.getenv("VLLM_HOST_IP", ""),\n}\n'
    new = old.replace("}", '    "VLLM_PORT": lambda: int(os.environ.get("VLLM_PORT", "0")),\n}')
    assert changes("vllm/envs.py", old, new) == [
        ("env", "VLLM_PORT", "added", None, "lambda: int(os.environ.get('VLLM_PORT', '0'))")
    ]


def test_argparse_click_and_typer_options_are_named_by_their_flag():
    argparse_old = "import argparse\np = argparse.ArgumentParser()\n"
    argparse_old += 'p.add_argument("--host", default="127.0.0.1")\n'
    argparse_new = argparse_old + 'p.add_argument("--enable-lora", action="store_true")\n'
    assert changes("pkg/cli.py", argparse_old, argparse_new) == [
        ("option", "--enable-lora", "added", None, None)
    ]
    click_old = 'import click\n\n@click.command()\n@click.option("--port", default=8000)\n'
    click_old += "def main(port):\n    pass\n"
    assert changes("pkg/cmd.py", click_old, click_old.replace("8000", "9000")) == [
        ("option", "--port", "default", "8000", "9000")
    ]
    typer_old = (
        "import typer\n\napp = typer.Typer()\n\n@app.command()\n"
        'def serve(port: int = typer.Option(8000, "--port"),\n'
        '          host: str = typer.Option("x", "--host")):\n'
        "    pass\n"
    )
    typer_new = typer_old.replace(',\n          host: str = typer.Option("x", "--host")', "")
    assert changes("pkg/app.py", typer_old, typer_new) == [
        ("option", "--host", "removed", "'x'", None)
    ]


def test_rust_clap_arguments_env_attributes_and_env_reads():
    old = """use clap::Parser;
#[derive(Parser)]
struct Cli {
    #[arg(long, default_value = "8080")]
    http_port: u16,
    #[arg(long, env = "DYN_LOG")]
    log: String,
}
fn main() { let home = std::env::var("DYN_HOME"); }
"""
    new = old.replace('"8080"', '"9090"').replace('var("DYN_HOME")', 'var("DYN_ROOT")')
    assert changes("lib/runtime/src/main.rs", old, new) == [
        ("env", "DYN_HOME", "removed", None, None),
        ("env", "DYN_ROOT", "added", None, None),
        ("option", "--http-port", "default", '"8080"', '"9090"'),
    ]


def test_dependency_pins_in_pyproject_requirements_cargo_and_package_json():
    pyproject = '[project]\nname = "x"\ndependencies = ["torch==2.8.0", "numpy"]\n'
    assert changes(
        "python/pyproject.toml",
        pyproject,
        pyproject.replace('"numpy"', '"requests>=2"').replace("2.8.0", "2.9.1"),
    ) == [
        ("dependency", "numpy", "removed", None, None),
        ("dependency", "requests", "added", None, ">=2"),
        ("dependency", "torch", "default", "==2.8.0", "==2.9.1"),
    ]
    assert changes("requirements.txt", "torch==2.8\nnumpy\n", "torch==2.9\n") == [
        ("dependency", "numpy", "removed", None, None),
        ("dependency", "torch", "default", "==2.8", "==2.9"),
    ]
    cargo_new = '[dependencies]\nserde = "1.1"\ntokio = { version = "1", features = ["full"] }\n'
    assert changes("Cargo.toml", '[dependencies]\nserde = "1.0"\n', cargo_new) == [
        ("dependency", "serde", "default", "1.0", "1.1"),
        ("dependency", "tokio", "added", None, "1"),
    ]
    assert changes(
        "web/package.json",
        '{"dependencies": {"react": "^18"}}',
        '{"dependencies": {"react": "^19"}}',
    ) == [("dependency", "react", "default", "^18", "^19")]


@pytest.mark.parametrize(
    "path",
    [
        "test/srt/test_server_args.py",
        "python/sglang/test/runners.py",
        "benchmark/hicache/config.py",
        "examples/runtime/engine/launch.py",
        "docs/conf.py",
    ],
)
def test_tests_benchmarks_examples_and_docs_are_left_out(path):
    assert not candidate(path)
    assert changes(path, SERVER_ARGS, SERVER_ARGS.replace("= 1", "= 2")) == []


def test_a_file_that_does_not_parse_gives_a_note_and_no_changes():
    result = compare("pkg/server_args.py", SERVER_ARGS, "class ServerArgs(:\n")
    assert result.changes == ()
    assert result.note == (
        "pkg/server_args.py: not read at this revision (line 1: invalid syntax); "
        "its interface changes are left out"
    )


def test_commit_by_commit_a_syntax_error_and_its_fix_are_notes_not_failures():
    """The extractor the git source runs: blobs by id, one revision derived from the last."""
    good = SERVER_ARGS.encode()
    broken = good.replace(
        b'tp_size: Annotated[int, "Tensor parallelism."] = 1', b"tp_size: int = ("
    )
    fixed = good.replace(b"    enable_lora: bool = False\n", b"    enable_lora: bool = True\n")
    blobs = {"a1": good, "b2": broken, "c3": fixed}
    extractor = Extractor()

    def step(old, new):
        found = extractor.changes(
            [FileRevision("pkg/server_args.py", old, new)], lambda ids: {i: blobs[i] for i in ids}
        )
        return [(c.name, c.change) for c in found.changes], found.notes

    assert step(None, "a1") == (
        [("enable_lora", "added"), ("model_path", "added"), ("tp_size", "added")],
        (),
    )
    assert step("a1", "b2") == (
        [],
        ("pkg/server_args.py: not read at this revision (line 8: '(' was never closed); "
         "its interface changes are left out",),
    )  # fmt: skip
    assert step("b2", "c3")[0] == []
    assert step("a1", "c3") == ([("enable_lora", "default")], ())


def test_an_interfaces_rule_adds_a_class_the_defaults_miss_with_its_flag_spelling():
    rule = InterfaceRule.model_validate(
        {"paths": "pkg/knobs.py", "class": "Knobs", "flag": "--{name}"}
    )
    old, new = (
        "class Knobs:\n    max_batch = 8\n",
        "class Knobs:\n    max_batch = 16\n    warm_up = True\n",
    )
    assert changes("pkg/knobs.py", old, new) == []
    assert changes("pkg/knobs.py", old, new, [rule]) == [
        ("option", "--max-batch", "default", "8", "16"),
        ("option", "--warm-up", "added", None, "True"),
    ]


def test_a_revision_kept_when_a_change_began_is_still_there_when_its_turn_comes():
    """The extractor keeps revisions up to a memory budget and asks only for the others; a
    change of many files (a large commit, two release tags) must not drop one it counted on."""
    texts = {
        "x1": b"torch==2.1.0\n",
        "y1": b"numpy==1.26.0\n",
        "x2": b"torch==2.2.0\n",
        "y2": b"numpy==2.0.0\n",
    }
    asked: list[list[str]] = []

    def read(ids):
        asked.append(list(ids))
        return {i: texts[i] for i in ids}

    extractor = Extractor(budget=len(texts["x1"]) + len(texts["y1"]))  # x1 and y1, no more
    added = [
        FileRevision("a/requirements.txt", None, "x1"),
        FileRevision("b/requirements.txt", None, "y1"),
    ]
    extractor.changes(added, read)
    bumped = [
        FileRevision("a/requirements.txt", "x1", "x2"),
        FileRevision("b/requirements.txt", "y1", "y2"),
    ]
    result = extractor.changes(bumped, read)
    assert asked[-1] == ["x2", "y2"]  # x1 and y1 were kept, so not asked for again
    assert result.notes == ()
    assert [(c.name, c.change, c.old, c.new) for c in result.changes] == [
        ("torch", "default", "==2.1.0", "==2.2.0"),
        ("numpy", "default", "==1.26.0", "==2.0.0"),
    ]
