'use strict';

// Child processes for the scripts and suites that run real servers: a command run to its end,
// a server kept running until stopped, and a wait for it to be ready.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Servers still running when a script exits, by an uncaught error or `process.exit`: each is
// killed, with the children it started. Jest runs suites with a process object of its own that
// never sees 'exit', so a suite stops what it starts in afterAll.
const running = new Set();
const temporaryDirs = new Set();

// Polling fast enough that a ready server is noticed within a quarter of a second.
const POLL_EVERY_MS = 250;

// A server killed just now may still be writing its last files: removal is retried.
const removeDir = (dir) => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });

process.once('exit', () => {
	for (const server of running) server.kill('SIGKILL');
	for (const dir of temporaryDirs) removeDir(dir);
});

/** A new folder under the system's temporary folder, removed by `remove()` or at exit. */
function temporaryDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	temporaryDirs.add(dir);
	const remove = () => {
		removeDir(dir);
		temporaryDirs.delete(dir);
	};
	return { path: dir, remove };
}

async function run(command, args, options) {
	return await new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(output);
			else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
		});
	});
}

async function waitFor(check, { timeoutMs, what }) {
	const giveUpAt = Date.now() + timeoutMs;
	while (Date.now() < giveUpAt) {
		if (await check().catch(() => false)) return;
		await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
	}
	throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The ids of the processes `pid` started, read from /proc (Linux); none elsewhere. */
function childPids(pid) {
	if (!fs.existsSync('/proc')) return [];
	const children = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		// A process may end between the listing and the read; it has no children to kill then.
		const stat = fs.existsSync(`/proc/${entry}/stat`)
			? fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
			: '';
		// The parent id is the second field after the command name, which may hold spaces.
		const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		if (parent === pid) children.push(Number(entry));
	}
	return children;
}

function killTree(pid, signal) {
	for (const child of childPids(pid)) killTree(child, signal);
	try {
		process.kill(pid, signal);
	} catch (error) {
		// ESRCH: the process ended on its own in the meantime, which is what killing it wants.
		if (error.code !== 'ESRCH') throw error;
	}
}

/**
 * Starts a long-running server and collects what it prints. `stop()` sends `stopSignal`, and
 * once `graceMs` has passed without an exit, kills it and every process it started.
 */
function startProcess(command, args, { stopSignal = 'SIGTERM', graceMs = 15_000, ...options }) {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => {
		child.on('exit', resolve);
		// A command that cannot start emits no exit; what went wrong is kept with the output.
		child.on('error', (error) => resolve((output += `\n${command}: ${error.message}\n`)));
	});
	const server = { kill: (signal) => child.pid && killTree(child.pid, signal) };
	running.add(server);
	exited.then(() => running.delete(server));

	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
		const children = childPids(child.pid);
		child.kill(stopSignal);
		const timer = setTimeout(() => server.kill('SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
		// A child that outlived its parent's shutdown (n8n's task runner, say) goes with it.
		for (const pid of children) killTree(pid, 'SIGKILL');
	};
	return { child, exited, stop, output: () => output };
}

module.exports = { run, startProcess, temporaryDir, waitFor };
