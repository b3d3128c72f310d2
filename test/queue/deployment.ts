import { example, pointedAt, SECRET_CREDENTIAL } from '../e2e/exampleWorkflows';
import { waitForWebhook, type N8nRuntime } from '../e2e/realN8n';
import { startServer, type LoopbackServer } from '../support/servers';
import {
	connectTo,
	ensureServicePackages,
	startPostgres,
	startQueueCluster,
	startRedis,
	type QueueCluster,
} from './queueCluster';

const WEBHOOK_PATH = 'nova-slack/nova-post-call';

// Enough of each process's output to show an error it logged, without the whole load's lines.
const OUTPUT_TAIL_CHARS = 4_000;

/** Prints what each n8n process said last: what a missing delivery is explained by, if anything. */
export function reportOutputs({ main, webhook, workers }: QueueCluster) {
	const named: Array<[string, N8nRuntime]> = [
		['main', main],
		['webhook processor', webhook],
		...workers.map((worker): [string, N8nRuntime] => [worker.name, worker]),
	];
	for (const [name, runtime] of named) {
		const lines = runtime.output().split('\n');
		const unusual = lines.filter((line) => !/^Worker (started|finished) execution/.test(line));
		process.stdout.write(`--- n8n ${name}:\n${unusual.join('\n').slice(-OUTPUT_TAIL_CHARS)}\n`);
	}
}

/** Execution ids a worker's log says it started or finished, one entry a line. */
export const executionsIn = (worker: { output(): string }, what: 'started' | 'finished') =>
	[...worker.output().matchAll(/Worker (started|finished) execution (\d+) \(job \d+\)/g)]
		.filter(([, verb]) => verb === what)
		.map(([, , id]) => id);

export interface Deployment {
	receiver: LoopbackServer;
	/** When each request reached the receiver (performance.now()). */
	receivedAt: number[];
	cluster: QueueCluster;
	database: Awaited<ReturnType<typeof connectTo>>;
	stop(): Promise<void>;
}

/**
 * Redis, PostgreSQL, a receiver and n8n `release` as main, webhook processor and `workers`
 * workers, with the Slack example pointed at the receiver and its webhook registered. What started before a failure is stopped before the failure is passed on.
 */
export async function startDeployment(release: string, workers: number): Promise<Deployment> {
	const stops: Array<() => Promise<void>> = [];
	const stop = async () => {
		for (const stopOne of [...stops].reverse()) await stopOne();
	};
	const receivedAt: number[] = [];

	try {
		// Fails, rather than skips, when the packages cannot be installed: the suite proves
		// nothing without them.
		await ensureServicePackages();
		const redis = await startRedis();
		stops.push(redis.stop);
		const postgres = await startPostgres();
		stops.push(postgres.stop);
		const receiver = await startServer((_request, response) => {
			receivedAt.push(performance.now());
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok": true}');
		});
		stops.push(async () => await receiver.close());

		const workflows = [pointedAt(example('slack-message.json'), receiver, '/slack')];
		const setup = { workflows, credentials: [SECRET_CREDENTIAL] };
		const options = { release, redis, postgres, workers, setup };
		const cluster = await startQueueCluster(options);
		stops.push(cluster.stop);
		await waitForWebhook(cluster.webhook, WEBHOOK_PATH);
		const database = await connectTo(release, postgres);
		stops.push(database.close);
		return { receiver, receivedAt, cluster, database, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
