// One connected calendar account: who, its state in words, and what can be done about it.
import { useEffect, useId, useRef, useState } from 'react';
import type { AccountInfo } from '../../../../src-shared/bridge/contract';
import {
  STATUS_LABEL,
  STATUS_TONE,
  absoluteTime,
  adviceFor,
  lastSyncText,
  pollingText,
  progressText,
} from './account-words';

const providerLabel = (a: AccountInfo) => (a.provider === 'google' ? 'Google Calendar' : 'Microsoft 365');

interface AccountRowProps {
  account: AccountInfo;
  now: number;
  onSyncNow: (account: AccountInfo) => Promise<string | null>;
  onDisconnect: (account: AccountInfo) => Promise<void>;
  onReconnect: (account: AccountInfo) => void;
  /** Sign-in is busy elsewhere in the card: Reconnect waits. */
  signInBusy: boolean;
  children?: React.ReactNode;
}

export function AccountRow({
  account,
  now,
  onSyncNow,
  onDisconnect,
  onReconnect,
  signInBusy,
  children,
}: AccountRowProps) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<'sync' | 'disconnect' | null>(null);
  const [note, setNote] = useState('');
  const keepButton = useRef<HTMLButtonElement>(null);
  const disconnectButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    // Focus follows the question, and goes back to where it came from when it is dismissed.
    if (confirming) keepButton.current?.focus();
    else if (wasConfirming.current) disconnectButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const syncNow = async () => {
    setBusy('sync');
    setNote('');
    try {
      setNote((await onSyncNow(account)) ?? '');
    } finally {
      setBusy(null);
    }
  };
  const disconnect = async () => {
    setBusy('disconnect');
    try {
      await onDisconnect(account);
    } finally {
      setBusy(null);
      setConfirming(false);
    }
  };

  const polling = pollingText(account);
  const advice = adviceFor(account);
  return (
    <li className="account" aria-labelledby={`${id}-email`} data-testid="account">
      <div className="account__head">
        <div className="account__who">
          <span className="account__email" id={`${id}-email`}>
            {account.email}
          </span>
          <span className="account__provider">
            {providerLabel(account)}
            {account.sandbox ? <span className="badge badge--muted">Sandbox</span> : null}
          </span>
        </div>
        <span className={`badge ${STATUS_TONE[account.status]}`} data-testid="account-status">
          {STATUS_LABEL[account.status]}
        </span>
      </div>
      <p className="account__meta">
        <span title={account.lastSyncAt > 0 ? absoluteTime(account.lastSyncAt) : undefined}>
          {lastSyncText(account, now)}
        </span>
        {polling ? <span> · {polling}</span> : null}
      </p>
      <p className="account__progress" role="status">
        {account.progress ? progressText(account.progress) : note}
      </p>
      {account.lastError ? (
        <p className="account__error danger-text">
          <strong>Last error:</strong> {account.lastError}
        </p>
      ) : null}
      {advice ? <p className="account__advice">{advice}</p> : null}
      {children}
      {confirming ? (
        <div
          className="confirm"
          role="group"
          aria-labelledby={`${id}-confirm`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setConfirming(false);
          }}
        >
          <p id={`${id}-confirm`}>
            Disconnect {account.email}? Duet signs out of this calendar and stops syncing it.{' '}
            <strong>Your meetings, agendas and notes stay in Duet.</strong>
          </p>
          <div className="confirm__actions">
            <button
              type="button"
              className="button button--danger button--small"
              disabled={busy === 'disconnect'}
              onClick={() => void disconnect()}
            >
              Disconnect
            </button>
            <button
              type="button"
              className="button button--small"
              ref={keepButton}
              onClick={() => setConfirming(false)}
            >
              Keep connected
            </button>
          </div>
        </div>
      ) : (
        <div className="account__actions">
          {account.status === 'needs-reconnect' ? (
            <button
              type="button"
              className="button button--primary button--small"
              disabled={signInBusy}
              onClick={() => onReconnect(account)}
            >
              Reconnect
            </button>
          ) : null}
          <button
            type="button"
            className="button button--small"
            disabled={busy === 'sync' || account.status === 'needs-reconnect'}
            onClick={() => void syncNow()}
          >
            Sync now
          </button>
          <button
            type="button"
            className="button button--small button--danger"
            ref={disconnectButton}
            onClick={() => setConfirming(true)}
          >
            Disconnect
          </button>
        </div>
      )}
    </li>
  );
}
