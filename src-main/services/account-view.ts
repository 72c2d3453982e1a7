// What the renderer sees of an account: sign-in's record joined with the scheduler's sync status
// (docs/architecture.md §6). Kept separate so neither service needs to know the other's state.
import type { AccountInfo, AccountStatus } from '../../src-shared/bridge/contract';
import type { AccountRecord, AccountSyncStatus } from './types';

export function accountStatus(record: AccountRecord, sync: AccountSyncStatus): AccountStatus {
  if (record.auth === 'needs-reconnect') return 'needs-reconnect';
  if (sync.state === 'syncing') return 'syncing';
  if (sync.state === 'offline') return 'offline';
  if (sync.state === 'error') return 'error';
  return 'connected';
}

export function accountInfo(record: AccountRecord, sync: AccountSyncStatus): AccountInfo {
  return {
    id: record.id,
    provider: record.provider,
    sandbox: record.sandbox,
    email: record.email,
    name: record.name,
    status: accountStatus(record, sync),
    lastSyncAt: sync.lastSyncAt,
    lastError: sync.lastError,
    progress: sync.progress,
    push: sync.push,
    pollMinutes: sync.pollMinutes,
  };
}
