"""The level-3 controls (cấp độ 3) an inspector checks, each with whether
it is on, how it is set and the evidence for it, read by the evidence page
(``workflows/views/security_level.py``).

Each app registers what it enforces from its ``ready()``:
``register_controls(provider)``, where ``provider()`` returns a list of
``Control``; an app above ``workflows`` (publishing) registers its own
the same way."""

from dataclasses import dataclass, field

_providers = []


@dataclass
class Control:
    key: str
    title: str
    on: bool
    setting: str
    evidence: str = ""
    # What an inspector may count (shown as "label: value" lines).
    facts: list = field(default_factory=list)


def register_controls(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def all_controls():
    return [control for provider in _providers for control in provider()]
