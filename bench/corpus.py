#!/usr/bin/env python3
"""Generates the benchmark corpus: a stream of rendered Bifrost releases (StatefulSet, headless
Service, NetworkPolicy, ConfigMap with embedded config.json) — some pre-2.1.14, most migrated —
plus a values file with tens of thousands of virtual keys. Deterministic for a given size.

`corpus.py DIR RELEASES VIRTUAL_KEYS` writes the findings-light stream (a tenth of the releases
old, `allowed_keys` their only governance finding); `corpus.py --dense DIR RELEASES EVERY` writes
a findings-dense one: every EVERY-th release pre-2.1.14 (1: all of them) with the old governance
shapes in its config.json (`allowed_keys` and `budget` on each of six virtual keys, Azure
`deployments`, `allow_direct_keys`, `enable_litellm_fallbacks`)."""
import os
import random
import sys

def dense_governance(i, old):
    """config.json's client, providers and governance of a findings-dense release."""
    client = f'"client": {{"drop_excess_requests": false, "initial_pool_size": {100 + i % 800}, "enable_logging": true' + (', "allow_direct_keys": true, "enable_litellm_fallbacks": true}' if old else '}')
    deployments = ', "deployments": {"gpt-4o": "prod-gpt4o", "gpt-4o-mini": "prod-mini"}' if old else ''
    keys = "allowed_keys" if old else "key_ids"
    vks = []
    for k in range(6):
        provider = ("openai", "anthropic", "azure")[k % 3]
        budget = f', "budget": {{"max_limit": {100 + k * 50}, "reset_duration": "1M"}}' if old else ''
        vks.append(f'          {{"id": "vk-{i}-{k}", "name": "tenant key {k}"{budget}, "provider_configs": [{{"provider": "{provider}", "{keys}": ["{provider}-{i}"], "allowed_models": ["*"]}}]}}')
    vk_lines = ",\n".join(vks)
    return f"""      {client},
      "cluster_config": {{"enabled": true, "gossip": {{"port": 10101}}, "grpc": {{"port": 10102}}}},
      "providers": {{
        "openai": {{"keys": [{{"name": "openai-{i}", "value": "env.OPENAI_API_KEY", "weight": 1, "models": ["gpt-4o", "gpt-4o-mini"]}}]}},
        "anthropic": {{"keys": [{{"name": "anthropic-{i}", "value": "env.ANTHROPIC_API_KEY", "weight": 1, "models": ["*"]}}]}},
        "azure": {{"keys": [{{"name": "azure-{i}", "value": "env.AZURE_API_KEY", "weight": 1, "azure_key_config": {{"endpoint": "https://tenant-{i}.openai.azure.com"{deployments}}}}}]}}
      }},
      "governance": {{
        "virtual_keys": [
{vk_lines}
        ]
      }}
"""

def release(i, rng, out, every=None):
    """One rendered release. every: the dense stream, where each every-th release is old."""
    ns = f"tenant-{i % 97}"
    name = f"gw{i}"
    old = rng.random() < 0.1 if every is None else i % every == 0
    chart = "2.1.10" if old else "2.1.14"
    grpc = "" if old else "            - {name: grpc, containerPort: 10102, protocol: TCP}\n"
    sgrpc = "" if old else "    - {name: grpc, port: 10102, targetPort: grpc, protocol: TCP}\n"
    pgrpc = "" if old else "        - {port: 10102, protocol: TCP}\n"
    light = f"""      "client": {{"drop_excess_requests": false, "initial_pool_size": {rng.randint(100, 900)}, "enable_logging": true}},
      "cluster_config": {{"enabled": true, "gossip": {{"port": 10101}}, "grpc": {{"port": 10102}}}},
      "providers": {{
        "openai": {{"keys": [{{"name": "openai-{i}", "value": "env.OPENAI_API_KEY", "weight": 1, "models": ["gpt-4o", "gpt-4o-mini"]}}]}},
        "anthropic": {{"keys": [{{"name": "anthropic-{i}", "value": "env.ANTHROPIC_API_KEY", "weight": 1, "models": ["*"]}}]}}
      }},
      "governance": {{
        "virtual_keys": [
          {{"id": "vk-{i}-a", "provider_configs": [{{"provider": "openai", "key_ids": ["openai-{i}"], "allowed_models": ["*"]}}]}},
          {{"id": "vk-{i}-b", "provider_configs": [{{"provider": "anthropic", "{'allowed_keys' if old else 'key_ids'}": ["anthropic-{i}"], "allowed_models": ["*"]}}]}}
        ]
      }}
""" if every is None else ""
    labels = f"    app.kubernetes.io/name: bifrost\n    app.kubernetes.io/instance: {name}\n    helm.sh/chart: bifrost-{chart}\n"
    out.write(f"""---
# Source: bifrost/templates/networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}-bifrost-cluster
  namespace: {ns}
  labels:
{labels}spec:
  podSelector:
    matchLabels: {{app.kubernetes.io/name: bifrost, app.kubernetes.io/instance: {name}}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels: {{app.kubernetes.io/name: bifrost, app.kubernetes.io/instance: {name}}}
      ports:
        - {{port: 10101, protocol: TCP}}
        - {{port: 10101, protocol: UDP}}
{pgrpc}---
# Source: bifrost/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-bifrost-config
  namespace: {ns}
  labels:
{labels}data:
  config.json: |
    {{
{dense_governance(i, old) if every else light}    }}
---
# Source: bifrost/templates/service-headless.yaml
apiVersion: v1
kind: Service
metadata:
  name: {name}-bifrost-headless
  namespace: {ns}
  labels:
{labels}spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {{app.kubernetes.io/name: bifrost, app.kubernetes.io/instance: {name}}}
  ports:
    - {{name: gossip, port: 10101, targetPort: gossip, protocol: TCP}}
    - {{name: gossip-udp, port: 10101, targetPort: gossip-udp, protocol: UDP}}
{sgrpc}---
# Source: bifrost/templates/stateful.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}-bifrost
  namespace: {ns}
  labels:
{labels}spec:
  serviceName: {name}-bifrost-headless
  replicas: 3
  selector:
    matchLabels: {{app.kubernetes.io/name: bifrost, app.kubernetes.io/instance: {name}}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: bifrost
        app.kubernetes.io/instance: {name}
    spec:
      securityContext: {{fsGroup: 1000, runAsUser: 1000, runAsNonRoot: true}}
      containers:
        - name: bifrost
          image: "docker.io/maximhq/bifrost:v1.4.0"
          ports:
            - {{name: http, containerPort: 8080, protocol: TCP}}
            - {{name: gossip, containerPort: 10101, protocol: TCP}}
            - {{name: gossip-udp, containerPort: 10101, protocol: UDP}}
{grpc}          env:
            - {{name: APP_DIR, value: /app/data}}
            - {{name: APP_PORT, value: "8080"}}
            - {{name: LOG_LEVEL, value: info}}
          readinessProbe:
            httpGet: {{path: /health, port: http}}
          resources:
            limits: {{cpu: 2000m, memory: 2Gi}}
            requests: {{cpu: 500m, memory: 512Mi}}
          volumeMounts:
            - {{name: data, mountPath: /app/data}}
            - {{name: config, mountPath: /app/data/config.json, subPath: config.json, readOnly: true}}
      volumes:
        - name: config
          configMap: {{name: {name}-bifrost-config}}
""")

def values(count, out):
    # The v1.5.0 shape the real chart carries: budgets listed under governance.budgets, each naming
    # its virtual key (a budget written on the key is dropped by the chart's template).
    out.write("# Generated: a large Bifrost values file\nbifrost:\n  governance:\n    virtualKeys:\n")
    for i in range(count):
        out.write(f"""      - id: vk-{i}
        name: "Virtual key {i}"
        team_id: team-{i % 50}
        provider_configs:
          - provider: openai
            weight: 1
            key_ids: ["openai-{i % 7}"]
            allowed_models: ["gpt-4o", "gpt-4o-mini"]
""")
    out.write("    budgets:\n")
    for i in range(count):
        out.write(f"      - {{id: budget-vk-{i}, max_limit: {100 + i % 900}, reset_duration: 1M, virtual_key_id: vk-{i}}}\n")

def main():
    if sys.argv[1] == "--dense":
        out_dir, releases, every = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        os.makedirs(out_dir, exist_ok=True)
        rng = random.Random(42)
        with open(os.path.join(out_dir, f"dense-{releases}-{every}.yaml"), "w") as f:
            for i in range(releases):
                release(i, rng, f, every=every)
        return
    out_dir = sys.argv[1]
    releases = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    vks = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(42)
    with open(os.path.join(out_dir, "releases.yaml"), "w") as f:
        for i in range(releases):
            release(i, rng, f)
    with open(os.path.join(out_dir, "values.yaml"), "w") as f:
        values(vks, f)
    with open(os.path.join(out_dir, "stream.yaml"), "w") as f:
        for part in ("releases.yaml", "values.yaml"):
            with open(os.path.join(out_dir, part)) as p:
                if part == "values.yaml":
                    f.write("---\n")
                f.write(p.read())

if __name__ == "__main__":
    main()
