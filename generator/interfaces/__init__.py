"""The interface a repository declares (options, environment variables, dependencies),
and what each commit or release changed in it. Pure functions of file contents: no git,
no network. README: Interface changes.

* `candidate(path, rules)`: can this file declare anything?
* `declarations(path, text, rules)`: what one revision of a file declares;
* `compare(path, old_text, new_text, rules, old_path)`: the changes between two revisions
  of a file, read whole (what the piecewise reading must agree with);
* `Extractor(rules).changes(files, read)`: a commit's changes (or two tags') from blob
  ids, cached and piecewise (the git source, release records);
* `from_patch(path, patch, rules, old_path)`: the changes from a patch alone, or None
  when it is not enough (the GitHub API source).
"""

from generator.interfaces.compare import FileChanges, compare, declarations, diff
from generator.interfaces.extractor import CommitInterfaces, Extractor, FileRevision, Reader
from generator.interfaces.patch import from_patch
from generator.interfaces.paths import candidate, language
from generator.interfaces.python import ParseFailed
from generator.interfaces.resolve import Declarations, Rule

__all__ = [
    "CommitInterfaces",
    "Declarations",
    "Extractor",
    "FileChanges",
    "FileRevision",
    "ParseFailed",
    "Reader",
    "Rule",
    "candidate",
    "compare",
    "declarations",
    "diff",
    "from_patch",
    "language",
]
