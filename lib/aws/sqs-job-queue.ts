// Sends tenant jobs to SQS, ten per SendMessageBatch call, resending only the entries that failed.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TenantJob } from '../jobs/job-message.ts';
import type { JobQueue } from '../ports.ts';

const MAX_ATTEMPTS = 5;

export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly backoffMs = 100,
  ) {}

  async enqueue(jobs: readonly TenantJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      let pending = jobs.slice(i, i + 10).map((job, index) => ({ Id: `m${index}`, MessageBody: JSON.stringify(job), job }));
      let lastErrors: string[] = [];
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new Error(
            `SQS refused ${pending.length} job(s) after ${MAX_ATTEMPTS} attempts (${pending.map((p) => p.job.idempotencyKey).join(', ')}): ${lastErrors.join('; ')}`,
          );
        }
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.backoffMs * 2 ** (attempt - 1)));
        const result = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map(({ Id, MessageBody }) => ({ Id, MessageBody })) }),
        );
        const failed = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
        // A sender's fault (a bad message) will not pass on retry: fail now, loudly.
        const permanent = [...failed.values()].filter((f) => f.SenderFault);
        if (permanent.length > 0) throw new Error(`SQS rejected job(s) as malformed: ${permanent.map((f) => `${f.Id} ${f.Code}: ${f.Message}`).join('; ')}`);
        lastErrors = [...failed.values()].map((f) => `${f.Code}: ${f.Message}`);
        pending = pending.filter((entry) => failed.has(entry.Id));
      }
    }
  }
}
