// The jobs queue of each lane (jobs/lanes.ts): the day's jobs and the model refits go to queues of
// their own, each consumed by its own function under its own concurrency cap.
import type { TenantJob } from '../jobs/job-message.ts';
import { type Lane, laneOf } from '../jobs/lanes.ts';
import type { JobQueue } from '../ports.ts';

/** Sends each job to its lane's queue. */
export class LaneQueues implements JobQueue {
  constructor(private readonly lanes: Record<Lane, JobQueue>) {}

  async enqueue(jobs: readonly TenantJob[], options?: { delaySeconds?: number }): Promise<void> {
    const training = jobs.filter((job) => laneOf(job.job) === 'training');
    const daily = jobs.filter((job) => laneOf(job.job) === 'daily');
    await Promise.all([
      daily.length > 0 ? this.lanes.daily.enqueue(daily, options) : undefined,
      training.length > 0 ? this.lanes.training.enqueue(training, options) : undefined,
    ]);
  }
}
