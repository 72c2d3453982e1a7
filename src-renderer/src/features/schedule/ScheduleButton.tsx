// "Schedule 1:1": opens the scheduling form in place (on a person's page and in Meetings).
import { useRef, useState } from 'react';
import type { PersonDoc } from '../../db/schemas';
import { useCalendarAccounts } from '../calendars/use-accounts';
import { ScheduleForm } from './ScheduleForm';
import type { ScheduleOutcome } from './schedule-meeting';

interface ScheduleButtonProps {
  person?: PersonDoc;
  people: readonly PersonDoc[];
  onScheduled?: (outcome: ScheduleOutcome) => void;
}

export function ScheduleButton({ person, people, onScheduled }: ScheduleButtonProps) {
  const [open, setOpen] = useState(false);
  const { accounts } = useCalendarAccounts();
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    // Back to where the user started, for the keyboard.
    setTimeout(() => button.current?.focus(), 0);
  };
  return (
    <div className="schedule">
      <button
        type="button"
        className="button button--primary"
        ref={button}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        Schedule 1:1
      </button>
      {open ? (
        <ScheduleForm
          {...(person ? { person } : {})}
          people={people}
          accounts={(accounts ?? []).filter((a) => a.status !== 'needs-reconnect')}
          onCancel={close}
          onDone={(outcome) => {
            close();
            onScheduled?.(outcome);
          }}
        />
      ) : null}
    </div>
  );
}
