/**
 * Leader operations that finish after the call that started them: membership changes (done
 * when their CONF_CHANGE entry is applied, failed by a `conf-change-aborted` notice) and
 * leadership transfers (done when this node steps down, failed by a `transfer-aborted` notice).
 */
import type { ConfChange, ConfChangeRecord, ConfState, NodeId, Notice } from "../core/index.js";
import { catchUpFailed } from "./node-error.js";

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

export class LeaderOperations {
  private readonly changes: { change: ConfChange; waiter: Waiter<ConfState> }[] = [];
  private readonly transfers: { transferee: NodeId; waiter: Waiter<NodeId> }[] = [];

  /** Resolves with the configuration once `change` is committed and applied here. */
  waitForChange(change: ConfChange): Promise<ConfState> {
    return new Promise((resolve, reject) =>
      this.changes.push({ change, waiter: { resolve, reject } }),
    );
  }

  /** Resolves with the transferee once this node has stepped down in its favour. */
  waitForTransfer(transferee: NodeId): Promise<NodeId> {
    return new Promise((resolve, reject) =>
      this.transfers.push({ transferee, waiter: { resolve, reject } }),
    );
  }

  /** A CONF_CHANGE entry was applied. */
  changeApplied(record: ConfChangeRecord): void {
    this.settleChanges(
      (change) => change.kind === record.change.kind && change.node === record.change.node,
      (waiter) => waiter.resolve(record.conf),
    );
  }

  notice(notice: Notice): void {
    // Losing leadership is handled once for everything pending (`leadershipLost`).
    if (notice.reason === "leadership-lost") return;
    if (notice.kind === "conf-change-aborted") {
      const error = catchUpFailed(`${notice.change.node} made no catch-up progress in time`);
      this.settleChanges(
        (change) => change.kind === notice.change.kind && change.node === notice.change.node,
        (waiter) => waiter.reject(error),
      );
      return;
    }
    const error = catchUpFailed(
      `leadership transfer to ${notice.transferee} failed (${notice.reason})`,
    );
    for (let i = this.transfers.length - 1; i >= 0; i--) {
      const transfer = this.transfers[i];
      if (transfer === undefined || transfer.transferee !== notice.transferee) continue;
      this.transfers.splice(i, 1);
      transfer.waiter.reject(error);
    }
  }

  /**
   * This node stopped leading. A pending transfer is done (its transferee is taking over, or
   * another node won, which ends the transfer too); membership changes fail with `error`, their
   * outcome unknown.
   */
  leadershipLost(error: unknown): void {
    for (const transfer of this.transfers.splice(0)) transfer.waiter.resolve(transfer.transferee);
    for (const { waiter } of this.changes.splice(0)) waiter.reject(error);
  }

  rejectAll(error: unknown): void {
    for (const { waiter } of this.changes.splice(0)) waiter.reject(error);
    for (const { waiter } of this.transfers.splice(0)) waiter.reject(error);
  }

  private settleChanges(
    matches: (change: ConfChange) => boolean,
    settle: (waiter: Waiter<ConfState>) => void,
  ): void {
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const entry = this.changes[i];
      if (entry === undefined || !matches(entry.change)) continue;
      this.changes.splice(i, 1);
      settle(entry.waiter);
    }
  }
}
