// Showing a notification outside the app (docs/architecture.md §5 "Notifications"): through the
// platform first (the desktop app's Electron Notification, via main), else the browser's
// Notification API when the user allowed it (web mode), else nowhere: the inbox still has it.
import type { DuetApi } from '../../../../src-shared/bridge/contract';
import type { DeliveredNotification } from './notifier';

type BrowserNotification = {
  permission: NotificationPermission;
  new (title: string, options?: NotificationOptions): Notification;
};

export function notificationDelivery(
  bridge: Pick<DuetApi, 'app'>,
  browser: BrowserNotification | undefined = (globalThis as { Notification?: BrowserNotification }).Notification,
): (n: DeliveredNotification) => Promise<boolean> {
  return async (n) => {
    const { shown } = await bridge.app.notify({ title: n.title, body: n.body }).catch(() => ({ shown: false }));
    if (shown) return true;
    if (!browser || browser.permission !== 'granted') return false;
    // The tag is the notification's id: the browser replaces rather than stacks a repeat.
    new browser(n.title, { body: n.body, tag: n.id });
    return true;
  };
}
