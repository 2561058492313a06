"""The `llm:` section: an OpenAI-compatible endpoint for `analyzer: llm`."""

from __future__ import annotations

from pydantic import Field, field_validator

from generator.config.base import Strict, http_base_url


class TierBudget(Strict):
    """Output tokens the model may spend on one commit, by tier: depth follows the tier."""

    high: int = Field(1500, ge=100)
    medium: int = Field(800, ge=100)
    low: int = Field(300, ge=100)


class LlmConfig(Strict):
    """An OpenAI-compatible chat-completions endpoint that writes the analyses."""

    base_url: str
    """The API's base URL, e.g. `https://api.deepseek.com/v1` or `http://127.0.0.1:8000/v1`."""
    model: str = Field(min_length=1)
    api_key_env: str | None = "LLM_API_KEY"
    """Name of the environment variable holding the key; null for an endpoint without one."""
    temperature: float = Field(0.2, ge=0, le=2)
    max_output_tokens: int | TierBudget = TierBudget()
    """One number for every tier, or `{high: 1500, medium: 800, low: 300}`."""
    timeout: float = Field(120, gt=0)
    """Seconds per request."""
    concurrency: int = Field(4, ge=1, le=64)
    """Requests in flight at once."""
    max_input_tokens: int = Field(24000, ge=2000)
    """Per commit: message, PR text, file list and diff are packed into this."""
    max_commits_per_run: int = Field(500, ge=0)
    """Beyond it, commits keep the rules analysis and later runs do them."""
    overview: bool = True
    """Write one paragraph per repository and day from its commits' analyses."""
    decides_tier: bool = False
    """True: the model's tier replaces the importance score's (kept beside it)."""

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return http_base_url(value)

    def output_budget(self, tier: str) -> int:
        budget = self.max_output_tokens
        return budget if isinstance(budget, int) else getattr(budget, tier)
