import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const runtimeLib = require('../../scripts/lib/n8nRuntime') as {
	startN8n(options: object): Promise<N8nRuntime>;
	waitForWebhook(runtime: N8nRuntime, path: string): Promise<void>;
	cacheRoot(): string;
};
const { findFreePortPair } = require('../../scripts/lib/freePort') as {
	findFreePortPair(): Promise<number>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface N8nRuntime {
	release: string;
	baseUrl: string;
	env: Record<string, string>;
	output(): string;
	stop(): Promise<void>;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> } & object>;
	connections: object;
}

export interface ExecutionRow {
	id: number;
	status: string;
	workflowId: string;
	data: string;
}

/** Starts `release` on a free pair of ports (n8n and its task-runner broker). */
export async function startRealN8n(
	release: string,
	setup: { workflows: Workflow[]; credentials: object[] },
): Promise<N8nRuntime & { userFolder: string }> {
	const port = await findFreePortPair();
	const userFolder = mkdtempSync(join(tmpdir(), `nova-e2e-${release}-`));
	const runtime = await runtimeLib.startN8n({ release, port, userFolder, setup });
	return Object.assign(runtime, { userFolder });
}

export const waitForWebhook = runtimeLib.waitForWebhook;

/** Reads n8n's own record of executions from its SQLite database, with n8n's sqlite3 module. */
export async function executions(
	release: string,
	userFolder: string,
	workflowId: string,
): Promise<ExecutionRow[]> {
	const fromN8n = createRequire(join(runtimeLib.cacheRoot(), `n8n-${release}`, 'package.json'));
	const sqlite3 = fromN8n('sqlite3') as {
		Database: new (
			file: string,
			mode: number,
			callback: (error: Error | null) => void,
		) => {
			all(
				sql: string,
				params: unknown[],
				callback: (error: Error | null, rows: ExecutionRow[]) => void,
			): void;
			close(): void;
		};
		OPEN_READONLY: number;
	};
	const file = join(userFolder, '.n8n', 'database.sqlite');
	return await new Promise((resolve, reject) => {
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
			if (openError) return reject(openError);
			db.all(
				`SELECT e.id, e.status, e.workflowId, d.data FROM execution_entity e
				 LEFT JOIN execution_data d ON d.executionId = e.id
				 WHERE e.workflowId = ? ORDER BY e.id`,
				[workflowId],
				(error, rows) => {
					db.close();
					if (error) reject(error);
					else resolve(rows);
				},
			);
		});
	});
}
