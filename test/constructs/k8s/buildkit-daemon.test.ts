import { BuildKitDaemon, BuildKitDaemonProps } from '../../../constructs/k8s/buildkit-daemon';
import { workloadPeer } from '../../../lib/core/facts/connections';
import { FactRegistry } from '../../../lib/core/facts/registry';
import { errorOf, k8sChart, only, synthK8s } from '../helpers';

function chart() {
  const c = k8sChart();
  FactRegistry.of(c).provideName('CRD group', 'cert-manager.io', 'test');
  FactRegistry.of(c).provideName('StorageClass', 'gp3', 'test');
  return c;
}

const props: BuildKitDaemonProps = {
  namespace: 'build',
  image: 'docker.io/moby/buildkit:v0.23.2-rootless',
  cacheSize: '100Gi',
  registries: ['registry.example.com'],
};

describe('BuildKitDaemon', () => {
  it('defaults: one rootless buildkitd with its layer cache on a volume, garbage-collected to 80%, serving mutual TLS on 1234', () => {
    const c = chart();
    const b = new BuildKitDaemon(c, 'b', props);
    const objects = synthK8s(c);
    const sts = only(objects, 'StatefulSet');
    const pod = sts.spec.template.spec;
    const [container] = pod.containers;
    expect(container.args).toEqual(
      expect.arrayContaining([
        '--oci-worker-no-process-sandbox',
        '--oci-worker-gc',
        '--oci-worker-gc-keepstorage=81920',
        '--tlscacert',
        '/certs/ca.crt',
      ]),
    );
    expect(container.args.join(' ')).toContain('--addr tcp://0.0.0.0:1234');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
    expect(container.volumeMounts).toContainEqual({ name: 'cache', mountPath: '/home/user/.local/share/buildkit' });
    // Non-root; unconfined seccomp and AppArmor only, which rootless BuildKit's user namespaces need.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'Unconfined' },
    });
    expect(sts.spec.template.metadata.annotations).toEqual({ 'container.apparmor.security.beta.kubernetes.io/buildkitd': 'unconfined' });
    expect(container.securityContext.privileged).toBeUndefined();
    expect(container.readinessProbe.exec.command).toEqual([
      'buildctl',
      '--addr',
      'unix:///run/user/1000/buildkit/buildkitd.sock',
      'debug',
      'workers',
    ]);
    // Its serving certificate from the internal CA, for the Service's names.
    const cert = only(objects, 'Certificate');
    expect(cert.spec).toMatchObject({
      secretName: 'buildkitd-tls',
      dnsNames: ['buildkitd.build.svc', 'buildkitd.build.svc.cluster.local'],
      usages: ['server auth'],
    });
    expect(b.endpoint).toMatchObject({ namespace: 'build', service: 'buildkitd', port: 1234 });
    expect(
      FactRegistry.of(c)
        .connections()
        .map(({ connection: x }) => [x.to.kind === 'external' ? x.to.host : '', x.ports[0].port]),
    ).toEqual([['registry.example.com', 443]]);
  });

  it('addClient: a client certificate in the client’s namespace and the connection to the daemon', () => {
    const c = chart();
    const b = new BuildKitDaemon(c, 'b', props);
    const runner = workloadPeer('ci', 'runner', { app: 'runner' });
    expect(b.addClient(runner, 'buildkit-client', 'image builds')).toBe('buildkit-client');
    const client = synthK8s(c).find((o) => o.kind === 'Certificate' && o.metadata.namespace === 'ci');
    expect(client.spec).toMatchObject({
      secretName: 'buildkit-client',
      usages: ['client auth'],
      issuerRef: { kind: 'ClusterIssuer', name: 'parity-internal-ca' },
    });
    const flow = FactRegistry.of(c)
      .connections()
      .find(({ connection: x }) => x.from.kind === 'workload' && x.from.name === 'ci/runner')!.connection;
    expect(flow.to).toMatchObject({ kind: 'workload', name: 'build/buildkitd' });
    expect(flow.ports).toEqual([{ port: 1234 }]);
  });

  it('options: dedicated pool (selector and toleration), storage class, resources, sync wave', () => {
    const c = chart();
    new BuildKitDaemon(c, 'b', {
      ...props,
      dedicatedPool: 'compute',
      storageClass: 'gp3',
      resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '6', memory: '12Gi' } },
      syncWave: 1,
    });
    const sts = only(synthK8s(c), 'StatefulSet');
    expect(sts.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
    expect(sts.spec.template.spec.nodeSelector).toEqual({ 'parity.dev/dedicated': 'compute' });
    expect(sts.spec.template.spec.tolerations).toEqual([{ key: 'parity.dev/dedicated', operator: 'Equal', value: 'compute', effect: 'NoSchedule' }]);
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
    expect(sts.spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '6', memory: '12Gi' });
  });

  it('rejects a cache size it cannot garbage-collect to, an untagged image, and needs cert-manager', () => {
    expect(errorOf(() => new BuildKitDaemon(chart(), 'b', { ...props, cacheSize: '1Ti' }))).toMatch(
      /prop "cacheSize" is "1Ti"; expected a size in Gi such as 100Gi$/,
    );
    expect(errorOf(() => new BuildKitDaemon(chart(), 'b', { ...props, image: 'docker.io/moby/buildkit' }))).toMatch(/image/);
    expect(errorOf(() => new BuildKitDaemon(k8sChart(), 'b', props))).toMatch(/needs CRD group "cert-manager.io"/);
  });
});
