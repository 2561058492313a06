"""What each changed file is, judged by its path alone: docs, tests, CI, build, code."""

from __future__ import annotations

import re
from functools import lru_cache

from generator.globs import glob_regex as glob_regex  # where globs are matched
from generator.models import FileKind

# ---- Paths: what kind of file each one is (checked in the order of `file_kind`).

CI_DIRS = frozenset({".github", ".gitlab", ".circleci", ".buildkite", ".ci", "ci"})
CI_FILES = frozenset({".gitlab-ci.yml", ".travis.yml", "jenkinsfile", "azure-pipelines.yml"})
DOC_DIRS = frozenset({"docs", "doc", "documentation"})
DOC_NAMES = ("readme", "changelog", "license", "contributing", "authors", "notice")
DOC_SUFFIXES = (".md", ".rst", ".adoc", ".txt", ".ipynb")
# Benchmarks sit with tests: both exercise the product and neither ships with it. Cargo keeps
# a crate's benchmarks in `benches/` and its integration tests in `tests/`; a unit-test module
# split out of its parent is `tests.rs` (or `foo_tests.rs`), compiled only under `cfg(test)`.
TEST_DIRS = frozenset(
    {"test", "tests", "testing", "benchmark", "benchmarks", "benches", "__tests__"}
)
TEST_NAME = re.compile(r"test_.*|tests?\.\w+|conftest\.py|.*_tests?\.\w+|.*\.(test|spec)\.\w+")
# Manifests and lockfiles pin what gets installed: a change here reaches every environment.
DEPENDENCY_FILE = re.compile(
    r"pyproject[\w.-]*\.toml|setup\.(py|cfg)|requirements[\w.-]*\.(txt|in)|pipfile(\.lock)?"
    r"|poetry\.lock|uv\.lock|cargo\.(toml|lock)|go\.(mod|sum)|package(-lock)?\.json|yarn\.lock"
    r"|pnpm-lock\.yaml|gemfile(\.lock)?|environment\.ya?ml|cmakelists\.txt"
)
# Build recipes change how artifacts are made (`build.rs` is a crate's build script, the
# toolchain file pins the compiler).
BUILD_FILE = re.compile(
    r"dockerfile[\w.-]*|[\w.-]+\.dockerfile|\.dockerignore|makefile|[\w.-]+\.cmake|build\.(sh|rs)"
    r"|rust-toolchain(\.toml)?|(docker-)?compose[\w.-]*\.ya?ml"
)
# A top-level docker/ or container/ folder holds the images' recipes: their scripts and
# settings change how the product is packaged, as the Dockerfiles beside them do.
CONTAINER_DIRS = frozenset({"docker", "container", "containers"})
# Deployment manifests (Kubernetes, Helm charts, Kustomize) say how the product is packaged
# and run, like build recipes; they are not the product itself.
DEPLOY_DIRS = frozenset(
    {"deploy", "deployment", "deployments", "charts", "helm", "k8s", "kubernetes", "manifests"}
)
DEPLOY_NAME = re.compile(r"(chart|values[\w.-]*|kustomization|deploy[\w.-]*)\.ya?ml")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".tpl")  # .tpl: Helm's template helpers
CODE_SUFFIXES = re.compile(
    r".*\.(py|pyx|pxd|pyi|c|h|cc|cpp|cxx|hpp|hh|cu|cuh|rs|go|java|kt|scala|js|jsx|ts|tsx|mjs|vue"
    r"|rb|php|swift|m|mm|cs|lua|sh|sql|proto|jl|zig)"
)
# Argument parsers define the public command line; one that gains lines gains options.
ARG_FILE = re.compile(r"(server_)?args?\.py|arguments\.py|cli\.py|flags?\.py|options\.py")
# Kernels and compiled extensions are where performance is won or lost.
KERNEL_PATH = re.compile(r"kernel|cuda|triton|csrc|\.cuh?$")
SECURITY_PATH = re.compile(
    r"(^|[^a-z0-9])(auth[nz]?|authentication|authorization|oauth|jwt|crypto|cryptography|security"
    r"|secrets?|credentials?|permissions?|tls|ssl|certs|sandbox)($|[^a-z0-9])"
)
# Written by tools, not people: their line counts say little about the change.
LOCK_FILE = re.compile(
    r"[\w.-]+\.lock|package-lock\.json|pnpm-lock\.yaml|go\.sum|npm-shrinkwrap\.json"
)
VENDOR_DIRS = frozenset({"vendor", "vendored", "third_party", "thirdparty", "3rdparty", "_vendor"})
GENERATED_NAME = re.compile(
    r".*(_pb2(_grpc)?\.pyi?|\.pb\.(go|cc|h)|\.min\.(js|css)|\.generated\.\w+)"
)
SOURCE_ROOTS = frozenset({"python", "src", "lib", "pkg", "packages", "crates", "internal"})


@lru_cache(maxsize=1 << 16)  # a repository's commits touch the same paths again and again
def file_kind(path: str) -> FileKind:
    """CI, then docs, tests, generated and build files: a directory says more than a name."""
    *dirs, name = path.lower().split("/")
    if CI_DIRS.intersection(dirs) or name in CI_FILES or any(d[:3] in ("ci_", "ci-") for d in dirs):
        return "ci"
    if DOC_DIRS.intersection(dirs) or name.startswith(DOC_NAMES):
        return "docs"
    if TEST_DIRS.intersection(dirs) or TEST_NAME.fullmatch(name):
        return "test"
    if (
        VENDOR_DIRS.intersection(dirs)
        or LOCK_FILE.fullmatch(name)
        or GENERATED_NAME.fullmatch(name)
    ):
        return "generated"
    if DEPENDENCY_FILE.fullmatch(name) or BUILD_FILE.fullmatch(name) or is_deployment(dirs, name):
        return "build"
    if name.endswith(DOC_SUFFIXES):
        return "docs"
    return "code" if CODE_SUFFIXES.fullmatch(name) else "other"


def is_deployment(dirs: list[str], name: str) -> bool:
    """Container recipes and deployment manifests; `dirs` and `name` in lower case."""
    if dirs[:1] and dirs[0] in CONTAINER_DIRS:
        return True
    if not name.endswith(MANIFEST_SUFFIXES):
        return False
    return bool(DEPLOY_DIRS.intersection(dirs) or DEPLOY_NAME.fullmatch(name))


@lru_cache(maxsize=1 << 16)
def module_of(path: str) -> str:
    """The file's directory cut to three components, not counting a leading source root
    nor a `src` folder further down.

    Two components say too little in a monorepo (`python/sglang`), more than three split
    one component into many; `python/sglang/srt/layers` and `sgl-kernel/csrc/gemm` read
    well. A crate or package keeps its code in `src/` (`lib/llm/src/kv_router`,
    `components/src/dynamo/vllm`), a folder that names nothing. Files at the top level
    belong to the module `/`.
    """
    dirs = path.split("/")[:-1]
    counted = 0
    for depth, name in enumerate(dirs, 1):
        low = name.lower()
        counted += not (low == "src" or (depth == 1 and low in SOURCE_ROOTS))
        if counted == 3:
            return "/".join(dirs[:depth])
    return "/".join(dirs) or "/"
