'use strict';

// `npm run bench`: times the built package (dist/) against its peers in one run and writes the
// figures to bench/results/latest.json. Pass `renderer` or `dispatcher` to run one part only,
// for example under `node --cpu-prof`; a partial run does not overwrite latest.json.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { printDispatcherReport, printRendererReport, printVerdicts } = require('./report');

const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

function describeMachine() {
	const cpus = os.cpus();
	return {
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		cpuModel: cpus[0]?.model ?? 'unknown',
		cpuCount: cpus.length,
		loadAverageAtStart: os.loadavg().map((load) => Number(load.toFixed(2))),
	};
}

function assertBuilt() {
	if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'shared', 'template', 'index.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
	}
}

function writeResults(results) {
	fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
	fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, '\t')}\n`);
	console.log(`\nWrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

async function main(only) {
	assertBuilt();
	const machine = describeMachine();
	console.log(`Node ${machine.node}, ${machine.cpuCount} x ${machine.cpuModel}`);
	console.log(`load average at start: ${machine.loadAverageAtStart.join(', ')}`);
	const startedMs = performance.now();

	const results = { measuredAt: new Date().toISOString(), machine };
	if (only !== 'dispatcher') {
		results.renderer = await require('./renderer').runRendererBench();
		printRendererReport(results.renderer);
	}
	if (only !== 'renderer') {
		results.dispatcher = await require('./dispatcher').runDispatcherBench();
		printDispatcherReport(results.dispatcher);
	}

	const targets = [
		...(results.renderer?.targets ?? []),
		...(results.dispatcher?.levels.map((level) => level.target) ?? []),
	];
	printVerdicts(targets);
	results.durationSeconds = Math.round((performance.now() - startedMs) / 1000);
	console.log(`\nBench took ${results.durationSeconds} s`);
	if (only === undefined) writeResults(results);
}

main(process.argv[2]).catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
