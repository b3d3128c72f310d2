import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { N8nRuntime, Workflow } from '../e2e/realN8n';

export interface Server {
	host: string;
	port: number;
	output(): string;
	stop(): Promise<void>;
}

export interface Postgres extends Server {
	user: string;
	password: string;
	database: string;
}

export interface QueueCluster {
	main: N8nRuntime;
	webhook: N8nRuntime;
	workers: Array<N8nRuntime & { name: string }>;
	stop(): Promise<void>;
}

interface ClusterOptions {
	release: string;
	redis: Server;
	postgres: Postgres;
	workers: number;
	setup: { workflows: Workflow[]; credentials: object[] };
}

/* eslint-disable @typescript-eslint/no-require-imports */
const services = require('../../scripts/lib/services') as {
	ensureServicePackages(log?: (line: string) => void): Promise<void>;
	startRedis(): Promise<Server>;
	startPostgres(): Promise<Postgres>;
};
const queueMode = require('../../scripts/lib/queueMode') as {
	startQueueCluster(options: ClusterOptions): Promise<QueueCluster>;
};
const runtimeLib = require('../../scripts/lib/n8nRuntime') as { cacheRoot(): string };
/* eslint-enable @typescript-eslint/no-require-imports */

export const { ensureServicePackages, startRedis, startPostgres } = services;
export const { startQueueCluster } = queueMode;

export interface ExecutionRow {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
}

interface PgClient {
	connect(): Promise<void>;
	query<Row>(sql: string, parameters: unknown[]): Promise<{ rows: Row[] }>;
	end(): Promise<void>;
}

/** A client of the cluster's database, with the pg module n8n itself installed. */
export async function connectTo(release: string, postgres: Postgres) {
	const fromN8n = createRequire(join(runtimeLib.cacheRoot(), `n8n-${release}`, 'package.json'));
	const pg = fromN8n('pg') as { Client: new (options: object) => PgClient };
	const { host, port, user, password, database } = postgres;
	const client = new pg.Client({ host, port, user, password, database });
	await client.connect();

	/** n8n's own record of the workflow's executions. */
	const executions = async (workflowId: string) =>
		(
			await client.query<ExecutionRow>(
				'SELECT id::text AS id, status, mode, finished FROM execution_entity WHERE "workflowId" = $1',
				[workflowId],
			)
		).rows;
	return { executions, close: async () => await client.end() };
}
