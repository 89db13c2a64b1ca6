import { describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '../../lib/metrics/catalogue.ts';
import { EmfMetrics } from '../../lib/metrics/emf.ts';

describe('EMF metrics', () => {
  it('writes one EMF document per dimension set, with the tenant as a property and not a dimension', async () => {
    const lines: string[] = [];
    const metrics = new EmfMetrics({ sink: (line) => lines.push(line) });
    metrics.record('TenantsProcessed', 1, { Job: 'production', Status: 'success' }, { tenantId: 't1' });
    metrics.record('GenerationDuration', 250, { Job: 'production' }, { tenantId: 't1' });
    metrics.record('ForecastCacheHits', 12, {}, { tenantId: 't1' });
    await metrics.flush();
    const documents = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(documents).toHaveLength(3);
    const processed = documents.find((d) => 'TenantsProcessed' in d)!;
    expect(processed._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['Job', 'Status']],
      Metrics: [{ Name: 'TenantsProcessed', Unit: 'Count' }],
    });
    expect(processed).toMatchObject({ TenantsProcessed: 1, Job: 'production', Status: 'success', tenantId: 't1' });
    const duration = documents.find((d) => 'GenerationDuration' in d)!;
    expect(duration._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'GenerationDuration', Unit: 'Milliseconds' }]);
    for (const d of documents) expect(d._aws.CloudWatchMetrics[0].Dimensions.flat()).not.toContain('tenantId');
  });

  it('writes a batch of tenants as one document per dimension set, keeping only the properties they share', async () => {
    const lines: string[] = [];
    const metrics = new EmfMetrics({ sink: (line) => lines.push(line) });
    for (const tenantId of ['t1', 't2', 't3']) {
      metrics.record('TenantsProcessed', 1, { Job: 'production', Status: 'success' }, { tenantId, planDate: 'd' });
      metrics.record('GenerationDuration', tenantId.length * 100, { Job: 'production' }, { tenantId });
    }
    metrics.record('TenantsProcessed', 1, { Job: 'production', Status: 'failed' }, { tenantId: 't4' });
    await metrics.flush();
    const documents = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(documents).toHaveLength(3);
    const succeeded = documents.find((d) => d.Status === 'success')!;
    expect(succeeded.TenantsProcessed).toEqual([1, 1, 1]);
    expect(succeeded.planDate).toBe('d');
    expect(succeeded).not.toHaveProperty('tenantId');
    expect(documents.find((d) => 'GenerationDuration' in d)!.GenerationDuration).toEqual([200, 200, 200]);
    expect(documents.find((d) => d.Status === 'failed')).toMatchObject({ TenantsProcessed: 1, tenantId: 't4' });
  });

  it('writes nothing twice: flush empties the buffer', async () => {
    const lines: string[] = [];
    const metrics = new EmfMetrics({ sink: (line) => lines.push(line) });
    metrics.record('BatchesCreated', 3, {});
    await metrics.flush();
    await metrics.flush();
    expect(lines).toHaveLength(1);
  });
});

describe('the runbook', () => {
  it('lists every metric of the catalogue', async () => {
    const { readFileSync } = await import('node:fs');
    const { METRICS } = await import('../../lib/metrics/catalogue.ts');
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    for (const name of Object.keys(METRICS)) expect(runbook, name).toContain(`\`${name}\``);
  });
});
