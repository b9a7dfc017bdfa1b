import { applyExceptions, terraformStacks } from '../lib/pipeline/guardrails/check';
import { K8sObject } from '../lib/core/k8s-objects';
import { rehearse, rehearseAll, REHEARSAL_RULES } from '../lib/pipeline/rehearsal';
import { SynthResult, synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { EnvironmentModel } from '../stacks/environment';
import { examples, fixture, nameIs } from './helpers';

/** The objects and stacks of a synthesized environment, as the rehearsal reads them. */
function inputOf(result: SynthResult, env: string) {
  const model = result.models.find((m) => m.env.name === env)!;
  return { model, objects: [...(result.objects.get(env) ?? [])], stacks: terraformStacks(result.files, env) };
}

const clone = <T>(o: T): T => {
  const copy = JSON.parse(JSON.stringify(o));
  Object.defineProperty(copy, 'file', { value: (o as any).file, enumerable: false });
  return copy;
};

/** Rehearses `env` with its objects changed by `mutate`. */
function rehearseWith(env: string, mutate: (objects: K8sObject[], model: EnvironmentModel) => K8sObject[] | void, stacks?: (s: any[]) => any[]) {
  const input = inputOf(examples(), env);
  const objects = input.objects.map(clone);
  const changed = mutate(objects, input.model) ?? objects;
  return rehearse({
    model: input.model,
    objects: changed,
    stacks: stacks ? stacks(input.stacks.map((s) => ({ ...s, json: JSON.parse(JSON.stringify(s.json)) }))) : input.stacks,
  });
}

const find = (objects: K8sObject[], kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && nameIs(x, name));
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o as any;
};

describe('deploy rehearsal on the shipped environments', () => {
  it('reports nothing beyond the exceptions the environments accept', () => {
    const { findings } = rehearseAll(examples());
    const unexcepted = examples().models.flatMap(
      (m) =>
        applyExceptions(
          m.env,
          findings.filter((f) => f.environment === m.env.name),
        ).findings,
    );
    expect(unexcepted).toEqual([]);
  });

  it('every rule has a name and a fix hint', () => {
    for (const [id, rule] of Object.entries(REHEARSAL_RULES)) {
      expect(id).toMatch(/^REH-\d{3}$/);
      expect(rule.name).toMatch(/^[a-z0-9-]+$/);
      expect(rule.hint.length).toBeGreaterThan(20);
    }
  });
});

describe('rehearsal rules fire on their fixtures', () => {
  it('REH-001: a custom resource before the Application that installs its CRD, and without SkipDryRun', () => {
    const findings = rehearseWith('dev', (objects) => {
      const issuer = find(objects, 'ClusterIssuer', 'parity-selfsigned');
      issuer.metadata.annotations['argocd.argoproj.io/sync-wave'] = '-20';
      delete issuer.metadata.annotations['argocd.argoproj.io/sync-options'];
    }).filter((f) => f.ruleId === 'REH-001');
    expect(findings.map((f) => [f.target, f.path])).toEqual([
      ['ClusterIssuer/parity-selfsigned', 'apiVersion'],
      ['ClusterIssuer/parity-selfsigned', 'metadata.annotations["argocd.argoproj.io/sync-options"]'],
    ]);
    expect(findings[0]).toMatchObject({ environment: 'dev', severity: 'error', hint: REHEARSAL_RULES['REH-001'].hint });
    expect(findings[0].message).toMatch(/produced by Application cert-manager at Sync wave -10, but is needed at Sync wave -20/);
  });

  it('REH-002: Argo CD without the Application health check', () => {
    const findings = rehearseWith('prod', (objects) => {
      delete find(objects, 'Application', 'argo-cd').spec.source.helm.valuesObject.configs.cm;
    });
    const f = findings.find((x) => x.ruleId === 'REH-002')!;
    expect(f.target).toBe('Application/argocd/argo-cd');
    expect(f.message).toMatch(/do not wait for \d+ child Applications/);
    // ... and every custom resource of a child's CRD is then not there in time.
    expect(findings.some((x) => x.ruleId === 'REH-001' && /never during the first sync/.test(x.message))).toBe(true);
  });

  it('REH-003: an object synced before its namespace exists', () => {
    const findings = rehearseWith('dev', (objects) => {
      find(objects, 'Namespace', 'dev-center').metadata.annotations['argocd.argoproj.io/sync-wave'] = '5';
    }).filter((f) => f.ruleId === 'REH-003');
    expect(findings.length).toBeGreaterThan(5);
    expect(findings.find((f) => f.target === 'Deployment/dev-center/axiom-backend')!.message).toBe(
      'namespace dev-center is produced by Namespace/dev-center at Sync wave 5, but is needed at Sync wave 3',
    );
  });

  it('REH-004: a Secret that nothing produces, and one produced too late', () => {
    const missing = rehearseWith('onprem', (objects) => {
      objects.splice(
        objects.findIndex((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'velero-credentials'),
        1,
      );
    }).filter((f) => f.ruleId === 'REH-004');
    // velero's chart reads the first; the rendered Redis of the Axiom app reads the other.
    expect(missing.map((f) => f.message)).toContain(
      "Secret velero/velero-credentials (read by the chart's velero) is produced by nothing in this environment (no object, chart, operator or controller creates it)",
    );
    const late = rehearseWith('dev', (objects) => {
      find(objects, 'ExternalSecret', 'redis-auth').metadata.annotations['argocd.argoproj.io/sync-wave'] = '4';
    }).filter((f) => f.ruleId === 'REH-004');
    expect(late.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Secret dev-center\/redis-auth is produced by ExternalSecret\/dev-center\/redis-auth \(External Secrets\) at Sync wave 4, but is needed at Sync wave \d$/,
        ),
      ]),
    );
  });

  it('REH-004: the ServiceAccount a Vault secret store logs in with, synced after the store (its ExternalSecrets never turn healthy)', () => {
    const late = rehearseWith('prod', (objects) => {
      find(objects, 'ServiceAccount', 'velero-secrets').metadata.annotations['argocd.argoproj.io/sync-wave'] = '0';
    }).filter((f) => f.ruleId === 'REH-004');
    expect(late.map((f) => [f.target, f.path, f.message])).toEqual([
      [
        'ClusterSecretStore/vault-velero-velero',
        'spec.provider.vault.auth.kubernetes.serviceAccountRef',
        'ServiceAccount velero/velero-secrets is produced by ServiceAccount/velero/velero-secrets at Sync wave 0, but is needed at Sync wave -2',
      ],
    ]);
  });

  it('REH-004: a database login generator that nothing defines, and one whose CA Secret comes too late', () => {
    const missing = rehearseWith('dev', (objects) =>
      objects.filter((o) => !(o.kind === 'VaultDynamicSecret' && o.metadata.name === 'axiom-postgres-vault-creds')),
    ).filter((f) => f.ruleId === 'REH-004');
    expect(missing.map((f) => [f.target, f.path])).toContainEqual([
      'ExternalSecret/dev-center/axiom-postgres-vault-creds',
      'spec.dataFrom[0].sourceRef.generatorRef',
    ]);
    const late = rehearseWith('dev', (objects) => {
      find(objects, 'Certificate', 'axiom-postgres-vault-ca').metadata.annotations['argocd.argoproj.io/sync-wave'] = '3';
    }).filter((f) => f.ruleId === 'REH-004');
    expect(late.map((f) => [f.target, f.path])).toContainEqual([
      'VaultDynamicSecret/dev-center/axiom-postgres-vault-creds',
      'spec.provider.caProvider',
    ]);
  });

  it("REH-004: a Secret a chart's pods read, produced after the chart's wave (they would never start)", () => {
    const findings = [
      ...rehearseWith('dev', (objects) => {
        find(objects, 'ExternalSecret', 'operator-oauth').metadata.annotations['argocd.argoproj.io/sync-wave'] = '-1';
      }),
      // Velero reads a credentials Secret where the store gives keys, not identities (AKS here).
      ...rehearseWith('prod', (objects) => {
        find(objects, 'ExternalSecret', 'velero-credentials').metadata.annotations['argocd.argoproj.io/sync-wave'] = '-1';
      }),
    ].filter((f) => f.ruleId === 'REH-004');
    expect(findings.map((f) => [f.target, f.path, f.message])).toEqual([
      [
        'Application/argocd/tailscale-operator',
        'chart workload operator',
        "Secret tailscale/operator-oauth (read by the chart's operator) is produced by ExternalSecret/tailscale/operator-oauth (External Secrets) at Sync wave -1, but is needed at Sync wave -6",
      ],
      [
        'Application/argocd/velero',
        'chart workload node-agent',
        "Secret velero/velero-credentials (read by the chart's node-agent) is produced by ExternalSecret/velero/velero-credentials (External Secrets) at Sync wave -1, but is needed at Sync wave -2",
      ],
      [
        'Application/argocd/velero',
        'chart workload velero',
        "Secret velero/velero-credentials (read by the chart's velero) is produced by ExternalSecret/velero/velero-credentials (External Secrets) at Sync wave -1, but is needed at Sync wave -2",
      ],
    ]);
  });

  it("REH-005: a pod that its namespace's Pod Security level rejects (rendered and chart-made)", () => {
    const findings = rehearseWith('dev', (objects) => {
      find(objects, 'Deployment', 'axiom-backend').spec.template.spec.hostNetwork = true;
      find(objects, 'Namespace', 'monitoring-agents').metadata.labels['pod-security.kubernetes.io/enforce'] = 'restricted';
    }).filter((f) => f.ruleId === 'REH-005');
    expect(findings.map((f) => f.target).sort()).toEqual(['Application/argocd/kube-prometheus-stack', 'Deployment/dev-center/axiom-backend']);
    expect(findings.find((f) => f.target.startsWith('Application'))!.message).toMatch(
      /node-exporter needs Pod Security "privileged" \(hostNetwork, hostPID/,
    );
  });

  it('REH-006: a GPU pod without the toleration, and a quota smaller than the replicas', () => {
    const findings = rehearseWith('prod', (objects) => {
      delete find(objects, 'Deployment', 'arbitex-platform-ner-gpu').spec.template.spec.tolerations;
      find(objects, 'ResourceQuota', 'compute').spec.hard['requests.cpu'] = '1';
    }).filter((f) => f.ruleId === 'REH-006');
    expect(findings.map((f) => f.target).sort()).toEqual(['Deployment/arbitex/arbitex-platform-ner-gpu', 'ResourceQuota/arbitex/compute']);
    expect(findings.find((f) => f.target.startsWith('ResourceQuota'))!.message).toMatch(/exceed the quota: requests.cpu [\d.]+ > 1/);
  });

  it('REH-007: a claim whose StorageClass has no provisioner (EKS without the EBS CSI driver)', () => {
    const findings = rehearseWith(
      'dev',
      (objects) => objects.filter((o) => !(o.kind === 'StorageClass' && o.metadata.name === 'gp3')),
      (stacks) => stacks,
    ).filter((f) => f.ruleId === 'REH-007');
    expect(findings.length).toBeGreaterThan(3);
    expect(findings.find((f) => f.target === 'Cluster/dev-center/axiom-postgres')!.message).toBe(
      'StorageClass gp3 (with a running provisioner) is produced by nothing in this environment (no object, chart, operator or controller creates it)',
    );
    const gp2 = rehearseWith(
      'dev',
      (objects) => {
        find(objects, 'Cluster', 'axiom-postgres').spec.storage.storageClass = 'gp2';
      },
      (stacks) =>
        stacks.map((s) => ({
          ...s,
          json: {
            ...s.json,
            resource: {
              ...s.json.resource,
              aws_eks_addon: Object.fromEntries(
                Object.entries<any>(s.json.resource?.aws_eks_addon ?? {}).filter(([, a]) => a.addon_name !== 'aws-ebs-csi-driver'),
              ),
            },
          },
        })),
    );
    expect(gp2.some((f) => f.ruleId === 'REH-007' && f.target === 'Cluster/dev-center/axiom-postgres')).toBe(true);
  });

  it('REH-008: a declared connection the policies block, and an implied one nobody declared', () => {
    // Removing the generated policy of the collector closes its ingress while the namespace denies by default.
    const findings = rehearseWith('dev', (objects) =>
      objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'opentelemetry-collector-connections')),
    );
    expect(findings.filter((f) => f.ruleId === 'REH-008').map((f) => f.target)).toEqual(
      expect.arrayContaining(['dev-center/axiom-backend -> monitoring/opentelemetry-collector:4318']),
    );
  });

  it('REH-008: removing one declared connection from the graph is reported, with the config that needs it', () => {
    const result = synthesizeAll({ environmentsDir: fixture('dev', () => undefined) });
    const input = inputOf(result, 'dev');
    const removed = input.model.platform.facts.removeConnections(
      (c) => c.to.kind === 'workload' && c.to.name === 'dev-center/redis' && c.from.kind === 'workload' && c.from.name === 'dev-center/axiom-backend',
    );
    expect(removed).toBe(1);
    const findings = rehearse(input).filter((f) => f.ruleId === 'REH-008');
    expect(findings).toEqual([
      expect.objectContaining({
        target: 'Deployment/dev-center/axiom-backend',
        message: expect.stringMatching(
          /^REDIS_HOST names redis-master\.dev-center\.svc: connection .* -> dev-center\/redis:6379 is not declared, so no NetworkPolicy opens it$/,
        ),
      }),
    ]);
  });

  it('REH-008: an ACME HTTP-01 certificate whose solver pod the ingress controller may not reach', () => {
    const result = synthesizeAll({ environmentsDir: fixture('axiom-prod', () => undefined) });
    const input = inputOf(result, 'axiom-prod');
    const removed = input.model.platform.facts.removeConnections((c) => c.to.kind === 'workload' && c.to.name === 'auth/acme-http01-solver');
    expect(removed).toBe(1);
    const findings = rehearse(input).filter((f) => f.ruleId === 'REH-008');
    expect(findings.map((f) => [f.target, f.path])).toEqual([['Ingress/auth/keycloak', 'metadata.annotations["cert-manager.io/cluster-issuer"]']]);
    expect(findings[0].message).toMatch(
      /the HTTP-01 challenge of letsencrypt-prod for its hosts: connection .* -> auth\/acme-http01-solver:8089 is not declared/,
    );
  });

  it('REH-009: EKS without VPC CNI network policy enforcement', () => {
    const findings = rehearseWith(
      'dev',
      () => undefined,
      (stacks) =>
        stacks.map((s) => {
          for (const a of Object.values<any>(s.json.resource?.aws_eks_addon ?? {})) if (a.addon_name === 'vpc-cni') delete a.configuration_values;
          return s;
        }),
    ).filter((f) => f.ruleId === 'REH-009');
    expect(findings).toEqual([expect.objectContaining({ target: 'dev:cni', message: expect.stringMatching(/enableNetworkPolicy/) })]);
  });

  it('REH-010: a hostname that names a namespace where no such Service runs', () => {
    const findings = rehearseWith('dev', (objects) => {
      const env = find(objects, 'Deployment', 'axiom-backend').spec.template.spec.containers[0].env;
      env.find((e: any) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT').value = 'http://opentelemetry-collector.observability.svc:4318';
    }).filter((f) => f.ruleId === 'REH-010');
    expect(findings.map((f) => f.message)).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT names Service opentelemetry-collector in namespace observability, which nothing in this environment provides',
    ]);
  });

  it('REH-011: a Job in a sync wave with a TTL', () => {
    const findings = rehearseWith('dev', (objects) => {
      find(objects, 'Job', 'axiom-flyway-migrate').spec.ttlSecondsAfterFinished = 300;
    }).filter((f) => f.ruleId === 'REH-011');
    expect(findings.map((f) => f.target)).toEqual([expect.stringMatching(/^Job\/dev-center\/axiom-flyway-migrate-[0-9a-f]{8}$/)]);
  });

  it('REH-024: a chart whose CRDs are larger than client-side apply can annotate, synced without server-side apply', () => {
    const findings = rehearseWith('dev', (objects) => {
      const app = find(objects, 'Application', 'redis-operator');
      app.spec.syncPolicy.syncOptions = app.spec.syncPolicy.syncOptions.filter((o: string) => o !== 'ServerSideApply=true');
    }).filter((f) => f.ruleId === 'REH-024');
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^CRD redisclusters\.redis\.redis\.opstreelabs\.in of chart redis-operator 0\.25\.0 is \d+ bytes: client-side apply's last-applied annotation allows 262144, so its sync fails$/,
      ),
      expect.stringMatching(/^CRD redisreplications\.redis\.redis\.opstreelabs\.in of chart redis-operator/),
    ]);
    expect(findings[0].target).toBe('Application/argocd/redis-operator');
  });

  it('REH-025: objects a fail-closed webhook covers, created before the pods that serve it are ready', () => {
    const findings = rehearseWith('dev', (objects) => {
      find(objects, 'TempoMonolithic', 'traces').metadata.annotations['argocd.argoproj.io/sync-wave'] = '-7';
    }).filter((f) => f.ruleId === 'REH-025');
    expect(findings.map((f) => [f.target, f.message])).toEqual([
      [
        'TempoMonolithic/monitoring/traces',
        expect.stringMatching(
          /^created .*-7.*, but webhook vtempomonolithic\.kb\.io of ValidatingWebhookConfiguration\/tempo-operator-validating-webhook-configuration \(failurePolicy Fail, webhooks\[0\]\) is served only once Deployment\/monitoring\/tempo-operator-controller is ready, .*-6.*: the API server rejects it$/,
        ),
      ],
    ]);
    // A webhook whose Service no workload backs rejects everything it covers.
    const unserved = rehearseWith('dev', (objects) =>
      objects.filter((o) => !(o.kind === 'Deployment' && o.metadata.name === 'tempo-operator-controller')),
    ).filter((f) => f.ruleId === 'REH-025');
    expect(unserved.map((f) => f.message)).toEqual([expect.stringContaining('which no workload of the manifests backs')]);
  });

  it('REH-012: a StatefulSet whose governing Service is not headless', () => {
    const findings = rehearseWith('dev', (objects) => {
      find(objects, 'StatefulSet', 'minio').spec.serviceName = 'minio';
    }).filter((f) => f.ruleId === 'REH-012');
    expect(findings.map((f) => f.message)).toEqual(['governing Service minio is not headless (clusterIP: None): pods get no stable DNS names']);
  });

  it('REH-013: a probe on a port the container does not declare', () => {
    const findings = rehearseWith('dev', (objects) => {
      const c = find(objects, 'Deployment', 'keycloak-operator').spec.template.spec.containers[0];
      c.ports = c.ports.filter((p: any) => p.containerPort !== 8080);
    }).filter((f) => f.ruleId === 'REH-013');
    expect(findings.map((f) => f.path).sort()).toEqual([
      'spec.template.spec.containers[0].livenessProbe',
      'spec.template.spec.containers[0].readinessProbe',
      'spec.template.spec.containers[0].startupProbe',
    ]);
  });

  it('REH-014: kubelet serving certificates with nothing to approve them', () => {
    const findings = rehearseWith('onprem', (objects) =>
      objects.filter((o) => !(o.kind === 'Application' && o.metadata.name === 'kubelet-csr-approver')),
    ).filter((f) => f.ruleId === 'REH-014');
    expect(findings).toEqual([expect.objectContaining({ target: 'onprem:kubeadm', path: 'KubeletConfiguration.serverTLSBootstrap' })]);
  });

  it('REH-015: a chart that never reports healthy before a manual step', () => {
    const input = inputOf(examples(), 'prod');
    const facts = new Map(input.model.platform.applicationFacts);
    facts.set('vault', { ...facts.get('vault'), healthBlockedBy: 'an operator runs `vault operator init`' });
    const model = { ...input.model, platform: { ...input.model.platform, applicationFacts: facts } };
    const findings = rehearse({ ...input, model }).filter((f) => f.ruleId === 'REH-015');
    expect(findings).toEqual([expect.objectContaining({ target: 'Application/argocd/vault', message: expect.stringMatching(/waits at wave -7/) })]);
  });

  it('REH-016: a Service whose selector matches no workload', () => {
    const findings = rehearseWith('prod', (objects) => {
      find(objects, 'Service', 'arbitex-platform-api').spec.selector['app.kubernetes.io/name'] = 'arbitex-api';
    }).filter((f) => f.ruleId === 'REH-016');
    expect(findings.map((f) => f.target)).toEqual(['Service/arbitex/arbitex-platform-api']);
  });

  it('REH-017: an autoscaler whose target does not exist', () => {
    const findings = rehearseWith('prod', (objects) => {
      const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as any;
      hpa.spec.scaleTargetRef.name = 'renamed';
    }).filter((f) => f.ruleId === 'REH-017');
    expect(findings).toEqual([
      expect.objectContaining({ path: 'spec.scaleTargetRef', message: expect.stringMatching(/targets Deployment renamed/) }),
    ]);
  });

  it('REH-006: a pod whose requests no node of its pools can hold', () => {
    const findings = rehearseWith('dev', (objects) => {
      find(objects, 'Deployment', 'axiom-backend').spec.template.spec.containers[0].resources.requests.cpu = '12';
    }).filter((f) => f.ruleId === 'REH-006' && f.target === 'Deployment/dev-center/axiom-backend');
    expect(findings.map((f) => f.message)).toEqual([
      'requests 12 CPU and 0.5Gi per pod, more than any node it may run on offers: m6i.xlarge (4 CPU, 16Gi)',
    ]);
  });

  it('REH-018: a stack that reads the outputs of a stack applied after it, or an output that does not exist', () => {
    const input = inputOf(examples(), 'dev');
    const bootstrapFirst = [...input.model.stacks].sort((a, b) => (a.stackId === 'bootstrap' ? -1 : b.stackId === 'bootstrap' ? 1 : 0));
    const reordered = rehearse({ ...input, model: { ...input.model, stacks: bootstrapFirst } }).filter((f) => f.ruleId === 'REH-018');
    expect(reordered.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/^stack bootstrap \(step 1\) reads the outputs of stack cluster, which is applied later \(step 3\)$/),
    );
    const withoutOutputs = rehearseWith(
      'dev',
      () => undefined,
      (stacks) => stacks.map((s) => (s.stackId === 'cluster' ? { ...s, json: { ...s.json, output: {} } } : s)),
    ).filter((f) => f.ruleId === 'REH-018');
    expect(withoutOutputs.length).toBeGreaterThan(0);
    expect(withoutOutputs[0]).toMatchObject({
      target: expect.stringMatching(/^(bootstrap|vault):data\.terraform_remote_state\./),
      message: expect.stringMatching(/which stack cluster does not declare$/),
    });
  });

  it('every rule of the catalogue has a firing fixture above', () => {
    const tested = [
      'REH-001',
      'REH-002',
      'REH-003',
      'REH-004',
      'REH-005',
      'REH-006',
      'REH-007',
      'REH-008',
      'REH-009',
      'REH-010',
      'REH-011',
      'REH-012',
      'REH-013',
      'REH-014',
      'REH-015',
      'REH-016',
      'REH-017',
      'REH-018',
      // The Terraform first-apply rules: fixtures in test/terraform-rehearsal.test.ts.
      'REH-019',
      'REH-020',
      'REH-021',
      'REH-022',
      'REH-023',
      'REH-024',
      'REH-025',
    ];
    expect(Object.keys(REHEARSAL_RULES).sort()).toEqual(tested);
  });
});

describe('the sync order and connection graph in the environment README', () => {
  it('lists the waves with what each waits for, and the connections', () => {
    const readme = examples().files.get('dev/README.md')!;
    expect(readme).toMatch(/## Sync order \(first deploy\)/);
    expect(readme).toMatch(/\| -40 \| .*Namespace\/dev-center/);
    expect(readme).toMatch(/## Connections/);
    expect(readme).toMatch(/dev-center\/axiom-backend.*monitoring\/opentelemetry-collector/);
  });
});
