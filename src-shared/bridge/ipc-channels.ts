// Channel names of the Electron transport, shared by main and preload so they cannot drift.
export const CALL_CHANNEL = 'duet:call';
export const EVENT_CHANNEL = 'duet:event';
