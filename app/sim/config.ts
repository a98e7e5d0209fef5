/**
 * The local pool the main job, the benchmarks and the end-to-end tests deploy: the
 * migrations' own `migrations/localnet.json` (two collaterals, one per Pyth kind:
 * wSOL on SPL Token with a legacy feed, a tokenized T-bill on Token-2022 with a pull
 * feed; senior and junior tranches).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { z } from 'zod';

import type { DeployConfigSchema } from '../admin/deploy.js';

export const LOCAL_CONFIG_PATH = fileURLToPath(new URL('../../migrations/localnet.json', import.meta.url));

export const LOCAL_CONFIG = JSON.parse(readFileSync(LOCAL_CONFIG_PATH, 'utf8')) as z.input<typeof DeployConfigSchema>;
