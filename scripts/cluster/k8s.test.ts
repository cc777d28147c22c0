import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifestFile = join(import.meta.dirname, 'k8s-indexed-job.yaml');

describe('Kubernetes Indexed Job manifest (scripts/cluster/k8s-indexed-job.yaml)', () => {
  const manifest = parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;

  it('behavior: validates against the batch/v1 Job schema', () => {
    const job = new Job(manifest as ConstructorParameters<typeof Job>[0]);
    expect(() => job.validate()).not.toThrow();
    // the validator is not a no-op: a wrong type is refused
    const broken = new Job({ ...(manifest as object), spec: { ...(manifest.spec as object), completions: 'four' } } as unknown as ConstructorParameters<typeof Job>[0]);
    expect(() => broken.validate()).toThrow();
  });

  it('behavior: Indexed completion, the pod index wired to --shard i/n with n = completions, --out on the mounted volume', () => {
    const job = new Job(manifest as ConstructorParameters<typeof Job>[0]);
    const spec = job.spec!;
    expect(spec.completionMode).toBe('Indexed');
    const n = spec.completions!;
    expect(n).toBeGreaterThan(1);
    const pod = spec.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    const c = pod.containers[0]!;
    const command = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
    expect(command).toMatch(/node scripts\/ammsim\.mjs sweep /);
    expect(command).toContain(`--shard "\${JOB_COMPLETION_INDEX}/${n}"`);
    const out = /--out "([^"$]+)\/shard-\$\{JOB_COMPLETION_INDEX\}"/.exec(command);
    expect(out).not.toBeNull();
    const mount = c.volumeMounts?.find((m) => m.mountPath === out![1]);
    expect(mount).toBeDefined();
    const volume = pod.volumes?.find((v) => v.name === mount!.name);
    expect(volume?.persistentVolumeClaim?.claimName).toBeTruthy();
  });
});
