// Renderer entry point.
import { config as zodConfig } from 'zod';
import { boot } from './app/boot';
import { getBridge } from './bridge';
import { openDuetDatabase } from './db/database';
import './styles/app.css';

// zod probes `new Function` to speed up parsing; the CSP forbids eval, so skip the probe (and the
// CSP violation it would log).
zodConfig({ jitless: true });

const container = document.getElementById('root');
if (container) void boot(container, { getBridge, openDatabase: () => openDuetDatabase() });
