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
