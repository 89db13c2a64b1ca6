// Plan statuses and the transitions between them. Only these moves are legal.

import type { ProcurementStatus, ProductionStatus } from '../domain.ts';
import { PlannerError } from '../errors.ts';

export const PROCUREMENT_TRANSITIONS: Readonly<Record<ProcurementStatus, readonly ProcurementStatus[]>> = {
  draft: ['pending_approval', 'approved', 'rejected', 'cancelled', 'expired'],
  pending_approval: ['approved', 'rejected', 'cancelled', 'expired'],
  approved: ['in_execution', 'cancelled'],
  in_execution: ['completed', 'cancelled'],
  completed: ['archived'],
  rejected: ['archived'],
  cancelled: ['archived'],
  expired: ['archived'],
  archived: [],
};

const PRODUCTION_TRANSITIONS: Readonly<Record<ProductionStatus, readonly ProductionStatus[]>> = {
  draft: ['confirmed', 'expired'],
  confirmed: ['in_progress', 'completed'],
  in_progress: ['completed'],
  completed: ['archived'],
  expired: ['archived'],
  archived: [],
};

export class IllegalTransitionError extends PlannerError {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly allowed: readonly string[],
  ) {
    super(
      'conflict',
      `A plan in status "${from}" cannot move to "${to}"; allowed: ${allowed.length ? allowed.join(', ') : 'none (final status)'}.`,
      { from, to, allowed },
    );
  }
}

export function assertProcurementTransition(from: ProcurementStatus, to: ProcurementStatus): void {
  const allowed = PROCUREMENT_TRANSITIONS[from];
  if (!allowed.includes(to)) throw new IllegalTransitionError(from, to, allowed);
}

/**
 * Any plan's move: the plan store checks every status change with it before writing, so no caller (an
 * operator, cleanup, a regeneration) can move a plan outside its kind's table.
 */
export function assertTransition(kind: 'production' | 'procurement', from: string, to: string): void {
  const table: Readonly<Record<string, readonly string[]>> =
    kind === 'production' ? PRODUCTION_TRANSITIONS : PROCUREMENT_TRANSITIONS;
  const allowed = table[from] ?? [];
  if (!allowed.includes(to)) throw new IllegalTransitionError(from, to, allowed);
}
