// An admin's manual run: a job now, for all tenants, one zone, or a list of tenants, for a date.
import { PlannerError } from '../errors.ts';
import type { JobName } from '../jobs/job-table.ts';
import type { PlannerPorts } from '../ports.ts';
import type { LocalDate } from '../time/tenant-clock.ts';
import { type FanOutResult, runFanOut } from './fan-out.ts';

export interface ManualRunRequest {
  job: JobName;
  planDate?: LocalDate;
  timezone?: string;
  tenantIds?: string[];
  includeDemo: boolean;
}

class UnknownTenantsError extends PlannerError {
  constructor(readonly tenantIds: string[]) {
    super('not_found', `Unknown tenant(s): ${tenantIds.join(', ')}.`);
  }
}

export async function runManual(ports: PlannerPorts, request: ManualRunRequest): Promise<FanOutResult[]> {
  let targets: { timezone: string; tenantIds?: string[] }[];
  if (request.tenantIds) {
    const tenants = await Promise.all(request.tenantIds.map((id) => ports.tenants.getTenant(id)));
    const missing = request.tenantIds.filter((_, i) => !tenants[i]);
    if (missing.length) throw new UnknownTenantsError(missing);
    const byZone = new Map<string, string[]>();
    for (const t of tenants) byZone.set(t!.timezone, [...(byZone.get(t!.timezone) ?? []), t!.tenantId]);
    targets = [...byZone].map(([timezone, tenantIds]) => ({ timezone, tenantIds }));
  } else if (request.timezone) {
    targets = [{ timezone: request.timezone }];
  } else {
    targets = (await ports.tenants.listZones()).map((z) => ({ timezone: z.timezone }));
  }
  const scheduledTime = ports.now().toISOString();
  const results: FanOutResult[] = [];
  for (const target of targets) {
    results.push(
      await runFanOut(ports, {
        job: request.job,
        timezone: target.timezone,
        scheduledTime,
        trigger: 'manual',
        includeDemo: request.includeDemo,
        ...(request.planDate ? { planDate: request.planDate } : {}),
        ...(target.tenantIds ? { tenantIds: target.tenantIds } : {}),
      }),
    );
  }
  return results;
}
