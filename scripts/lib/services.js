'use strict';

// Redis and PostgreSQL from Debian's packages, each started on loopback on a free port with its
// data in a temporary folder that goes when it stops, for the queue-mode suite. Nothing here touches the
// machine's own clusters or services; the packages are installed when they are missing.
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { findFreePortPair } = require('./freePort');
const { run, startProcess, temporaryDir, waitFor } = require('./processes');

const REDIS_SERVER = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';
const POSTGRES_ROOT = '/usr/lib/postgresql';
const DEBIAN_PACKAGES = ['redis-server', 'postgresql'];

// Both servers start in well under a second here; a slow disk can take a few seconds.
const SERVER_START_TIMEOUT_MS = 30_000;

// The database role and database n8n uses; the password only keeps other local users out.
const POSTGRES_USER = 'n8n';
const POSTGRES_DATABASE = 'n8n';
const PASSWORD_BYTES = 16;

/** The bin folder of the newest PostgreSQL Debian installed, e.g. /usr/lib/postgresql/15/bin. */
function postgresBinDir() {
	const versions = fs.existsSync(POSTGRES_ROOT) ? fs.readdirSync(POSTGRES_ROOT) : [];
	const installed = versions
		.filter((version) => fs.existsSync(path.join(POSTGRES_ROOT, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return installed.length > 0 ? path.join(POSTGRES_ROOT, installed[0], 'bin') : undefined;
}

function missingPackages() {
	const present = { 'redis-server': fs.existsSync(REDIS_SERVER), postgresql: !!postgresBinDir() };
	return DEBIAN_PACKAGES.filter((name) => !present[name]);
}

/** Installs redis-server and postgresql with apt-get when either is missing (needs root). */
async function ensureServicePackages(log = console.log) {
	const missing = missingPackages();
	if (missing.length === 0) return;

	if (process.getuid?.() !== 0) {
		throw new Error(
			`The queue-mode suite needs ${missing.join(' and ')} from Debian's packages. Install ` +
				`them as root: apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(' ')}`,
		);
	}
	log(`Installing ${missing.join(' and ')} from Debian's packages for the queue-mode suite`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await run('apt-get', ['update'], { env });
	const install = ['install', '-y', '--no-install-recommends', ...DEBIAN_PACKAGES];
	await run('apt-get', install, { env });

	const stillMissing = missingPackages();
	if (stillMissing.length > 0) {
		throw new Error(`apt-get installed no ${stillMissing.join(' or ')}: see its output above`);
	}
}

/** A Redis server on 127.0.0.1 that keeps nothing on disk, until `stop()`. */
async function startRedis() {
	const port = await findFreePortPair();
	const dir = temporaryDir('nova-redis-');
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path];
	// A queue that lives as long as the test needs no snapshots and no append-only file.
	args.push('--save', '', '--appendonly', 'no', '--daemonize', 'no');
	const server = startProcess(REDIS_SERVER, args, { graceMs: 5_000 });
	const stop = async () => {
		await server.stop();
		dir.remove();
	};

	const ping = async () =>
		(await run(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), 'ping'])).includes('PONG');
	await waitFor(ping, { timeoutMs: SERVER_START_TIMEOUT_MS, what: 'Redis' }).catch(
		async (error) => {
			await stop();
			throw new Error(`${error.message}:\n${server.output()}`);
		},
	);
	return { host: '127.0.0.1', port, output: server.output, stop };
}

/**
 * PostgreSQL refuses to run as root. Run as root (CI), the cluster belongs to Debian's
 * `postgres` user; run as anyone else, to that user.
 */
function clusterOwner() {
	if (process.getuid?.() !== 0) return {};
	const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
	return { uid: id('-u'), gid: id('-g') };
}

async function initCluster(bin, dir, owner) {
	const dataDir = path.join(dir, 'data');
	const passwordFile = path.join(dir, 'password');
	const password = randomBytes(PASSWORD_BYTES).toString('hex');
	fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
	if (owner.uid !== undefined) fs.chownSync(passwordFile, owner.uid, owner.gid);

	const initdb = [`--pgdata=${dataDir}`, `--username=${POSTGRES_USER}`];
	initdb.push(`--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8');
	// The cluster lives as long as the test: flushing its files to disk would only cost time.
	initdb.push('--locale=C', '--no-sync');
	await run(path.join(bin, 'initdb'), initdb, { ...owner, cwd: dir });
	fs.rmSync(passwordFile);
	return { dataDir, password };
}

async function startCluster(bin, dir, owner) {
	const { dataDir, password } = await initCluster(bin, dir.path, owner);
	const port = await findFreePortPair();
	const settings = ['listen_addresses=127.0.0.1', `port=${port}`, 'unix_socket_directories='];
	const args = ['-D', dataDir, ...settings.flatMap((setting) => ['-c', setting])];
	// SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them.
	const server = startProcess(path.join(bin, 'postgres'), args, {
		...owner,
		cwd: dir.path,
		stopSignal: 'SIGINT',
		graceMs: 10_000,
	});
	return { server, port, password };
}

/** A PostgreSQL cluster on 127.0.0.1 with an empty database for n8n, until `stop()`. */
async function startPostgres() {
	const bin = postgresBinDir();
	if (!bin) throw new Error(`No PostgreSQL under ${POSTGRES_ROOT}: run ensureServicePackages`);
	const owner = clusterOwner();
	const dir = temporaryDir('nova-postgres-');
	// mkdtemp makes the folder private to whoever runs this; the cluster's owner needs it.
	if (owner.uid !== undefined) fs.chownSync(dir.path, owner.uid, owner.gid);
	const { server, port, password } = await startCluster(bin, dir, owner);
	const stop = async () => {
		await server.stop();
		dir.remove();
	};

	const client = { env: { ...process.env, PGPASSWORD: password }, cwd: dir.path };
	const where = ['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_USER];
	const ready = async () => !!(await run(path.join(bin, 'pg_isready'), where, client));
	try {
		await waitFor(ready, { timeoutMs: SERVER_START_TIMEOUT_MS, what: 'PostgreSQL' });
		await run(path.join(bin, 'createdb'), [...where, POSTGRES_DATABASE], client);
	} catch (error) {
		await stop();
		throw new Error(`${error.message}:\n${server.output()}`);
	}
	const connection = { user: POSTGRES_USER, password, database: POSTGRES_DATABASE };
	return { host: '127.0.0.1', port, ...connection, output: server.output, stop };
}

module.exports = { ensureServicePackages, startPostgres, startRedis };
