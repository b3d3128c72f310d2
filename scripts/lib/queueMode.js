'use strict';

// n8n in queue mode on this machine: one main process, one webhook processor and workers, all
// sharing one Redis queue, one PostgreSQL database and one encryption key, each in a user
// folder of its own as if on a host of its own. For the queue-mode suite.
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const { findFreePortPair } = require('./freePort');
const { importWorkflows, launchN8n, prepareRuntime } = require('./n8nRuntime');
const { temporaryDir } = require('./processes');

// 24 random bytes, as hex: as strong as the key n8n generates for itself when none is given.
const ENCRYPTION_KEY_BYTES = 24;

/** The variables every process of one queue-mode deployment shares. */
function queueModeEnvironment({ redis, postgres, encryptionKey }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		// Workers decrypt the credentials main stored: without the same key they cannot.
		N8N_ENCRYPTION_KEY: encryptionKey,
	};
}

/**
 * The n8n command each role runs, and what it adds to the environment, given the first of the
 * two free ports it was handed (the second is its task-runner broker, see n8nEnvironment).
 */
const ROLES = {
	main: {
		command: 'start',
		env: () => ({
			// Production webhooks go to the webhook processor; main keeps the editor and the API.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			// n8n 2.x warns without it: in queue mode, manual runs belong on the workers too.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		}),
	},
	webhook: { command: 'webhook', env: () => ({}) },
	worker: {
		command: 'worker',
		env: (port) => ({
			// A worker serves nothing on N8N_PORT; its health server is what says it is ready.
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			// "Worker started execution <id>" is an info line: it tells which worker ran what.
			N8N_LOG_LEVEL: 'info',
		}),
	},
};

async function prepareRole(role, name, { root, shared, release, log }) {
	const port = await findFreePortPair();
	const env = { ...shared, ...ROLES[role].env(port) };
	const userFolder = path.join(root, name);
	const runtime = await prepareRuntime({ release, port, userFolder, env, log });
	return { ...runtime, name, command: ROLES[role].command };
}

async function stopAll(servers) {
	await Promise.all(servers.map(async (server) => await server.stop()));
}

/**
 * Imports `setup` into a fresh database and starts main, then the webhook processor and
 * `workers` workers side by side. Resolves once all are ready; `stop()` ends them all and
 * removes their folders. Production webhooks are served at `webhook.baseUrl`.
 */
async function startQueueCluster({ release, redis, postgres, workers = 2, setup = {}, log }) {
	const root = temporaryDir('nova-queue-n8n-');
	const encryptionKey = randomBytes(ENCRYPTION_KEY_BYTES).toString('hex');
	const shared = queueModeEnvironment({ redis, postgres, encryptionKey });
	const context = { root: root.path, shared, release, log };
	const started = [];

	try {
		const main = await prepareRole('main', 'main', context);
		await importWorkflows(main, setup);
		started.push(await launchN8n(main, main.command));

		const others = [prepareRole('webhook', 'webhook', context)];
		for (let index = 1; index <= workers; index++) {
			others.push(prepareRole('worker', `worker-${index}`, context));
		}
		const runtimes = await Promise.all(others);
		const launches = await Promise.allSettled(
			runtimes.map(async (runtime) => await launchN8n(runtime, runtime.command)),
		);
		for (const launch of launches) if (launch.status === 'fulfilled') started.push(launch.value);
		const failed = launches.find((launch) => launch.status === 'rejected');
		if (failed) throw failed.reason;
	} catch (error) {
		await stopAll(started);
		root.remove();
		throw error;
	}

	const [main, webhook, ...workerRuntimes] = started;
	const stop = async () => {
		await stopAll(started);
		root.remove();
	};
	return { main, webhook, workers: workerRuntimes, stop };
}

module.exports = { queueModeEnvironment, startQueueCluster };
