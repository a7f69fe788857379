"""What the suites over the real Bifrost charts share: where the repository, the charts and the
binary are, and how YAML is read (PyYAML when present, else Helm's own reader)."""
import os

import helm_python as helm

try:
    import yaml
    load_yaml = yaml.safe_load
except ImportError:  # Helm's own reader parses one document as well
    load_yaml = helm.values_from_yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHARTS = os.path.normpath(os.path.join(ROOT, "..", "shared", "real-charts"))
BINARY = os.path.abspath(os.environ.get("KUBECTL_BIFROST") or os.path.join(ROOT, ".build", "debug", "kubectl-bifrost"))


def rendered_config(rendered):
    """config.json from the rendered ConfigMap or Secret that carries it (Helm's render output:
    template name -> text), or None."""
    import base64
    import json
    import re
    for source, text in rendered.items():
        if source.endswith("NOTES.txt"):
            continue
        for body in re.split(r"(?m)^---\s*$", text):
            try:
                obj = load_yaml(body) if body.strip() else None
            except Exception:
                continue
            if not isinstance(obj, dict) or obj.get("kind") not in ("ConfigMap", "Secret"):
                continue
            for field in ("data", "stringData"):
                payload = (obj.get(field) or {}).get("config.json")
                if payload is None:
                    continue
                if obj["kind"] == "Secret" and field == "data":
                    payload = base64.b64decode(payload).decode()
                return json.loads(payload)
    return None


def resolve_ref(root, s):
    """A subschema with its local `$ref` chain followed (siblings of `$ref` kept), or {}."""
    seen = 0
    while isinstance(s, dict) and "$ref" in s and seen < 20:
        target = root
        for tok in s["$ref"].split("#", 1)[1].split("/")[1:]:
            target = target[tok.replace("~1", "/").replace("~0", "~")]
        merged = dict(target)
        merged.update({k: v for k, v in s.items() if k != "$ref"})
        s = merged
        seen += 1
    return s if isinstance(s, dict) else {}
