// EventBridge Scheduler adapter for the schedule-sync use case.
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SCHEDULE_RETRY, type ScheduleDefinition } from '../jobs/schedules.ts';
import type { ScheduleStore } from '../ports.ts';

export interface SchedulerTarget {
  groupName: string;
  fanOutFunctionArn: string;
  roleArn: string;
  deadLetterQueueArn: string;
}

export class EventBridgeScheduleStore implements ScheduleStore {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly target: SchedulerTarget,
  ) {}

  private request(definition: ScheduleDefinition): CreateScheduleCommandInput {
    return {
      Name: definition.name,
      GroupName: this.target.groupName,
      Description: definition.description,
      ScheduleExpression: definition.expression,
      ScheduleExpressionTimezone: definition.timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: this.target.fanOutFunctionArn,
        RoleArn: this.target.roleArn,
        Input: definition.input,
        RetryPolicy: {
          MaximumRetryAttempts: SCHEDULE_RETRY.maximumRetryAttempts,
          MaximumEventAgeInSeconds: SCHEDULE_RETRY.maximumEventAgeInSeconds,
        },
        DeadLetterConfig: { Arn: this.target.deadLetterQueueArn },
      },
    };
  }

  async upsert(definition: ScheduleDefinition): Promise<'created' | 'updated'> {
    try {
      await this.scheduler.send(new CreateScheduleCommand(this.request(definition)));
      return 'created';
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await this.scheduler.send(new UpdateScheduleCommand(this.request(definition)));
      return 'updated';
    }
  }

  async remove(name: string): Promise<'deleted' | 'absent'> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
      return 'deleted';
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return 'absent';
      throw error;
    }
  }
}
