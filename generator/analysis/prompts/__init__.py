"""The prompts an LLM analyzer sends: Jinja2 templates, one set per language.

PROMPT_VERSION is part of every LLM analysis's `analyzer` name
(`llm:<model>@<PROMPT_VERSION>`): change it whenever a template changes what the
model is asked, so a record always says which prompt produced it.
"""

PROMPT_VERSION = "p4"
"""p2: the tier rubric of rules@3; p3: the commit's topics (issue 20) are told as facts;
p4: the commit's interface changes (issue 22) are told as facts."""
