// Preload: exposes exactly one object, `window.duet`, built from the shared contract. It runs
// sandboxed, so it is bundled into one CommonJS file and imports nothing from node_modules at run time.
import { contextBridge, ipcRenderer } from 'electron';
import { contract } from '../src-shared/bridge/contract';
import { createClient } from '../src-shared/bridge/define';
import { createIpcTransport } from './ipc-transport';

// plainErrors: contextBridge would reduce a thrown BridgeError to its message; plain data crosses whole.
contextBridge.exposeInMainWorld('duet', createClient(contract, createIpcTransport(ipcRenderer), { plainErrors: true }));
