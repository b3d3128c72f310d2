'use strict';

// `npm run bench`: times the built package (dist/) against its peers in one run and writes the
// figures to bench/results/latest.json. Pass `renderer`, `dispatcher` or `endToEnd` to run one
// part only, for example under `node --cpu-prof`; a partial run does not overwrite latest.json.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
	printDispatcherReport,
	printEndToEndReport,
	printRendererReport,
	printVerdicts,
} = require('./report');

const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

// In the order they run; the end-to-end part starts n8n, so it comes last.
const PARTS = [
	{
		name: 'renderer',
		run: () => require('./renderer').runRendererBench(),
		print: printRendererReport,
	},
	{
		name: 'dispatcher',
		run: () => require('./dispatcher').runDispatcherBench(),
		print: printDispatcherReport,
	},
	{
		name: 'endToEnd',
		run: () => require('./endToEnd').runEndToEndBench(),
		print: printEndToEndReport,
	},
];

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
	if (only !== undefined && !PARTS.some(({ name }) => name === only)) {
		throw new Error(`Unknown part "${only}": choose ${PARTS.map(({ name }) => name).join(', ')}`);
	}
	assertBuilt();
	const machine = describeMachine();
	console.log(`Node ${machine.node}, ${machine.cpuCount} x ${machine.cpuModel}`);
	console.log(`load average at start: ${machine.loadAverageAtStart.join(', ')}`);
	const startedMs = performance.now();

	const results = { measuredAt: new Date().toISOString(), machine };
	for (const part of PARTS.filter(({ name }) => only === undefined || only === name)) {
		results[part.name] = await part.run();
		part.print(results[part.name]);
	}

	const targets = [
		...(results.renderer?.targets ?? []),
		...(results.dispatcher?.levels.map((level) => level.target) ?? []),
		...(results.endToEnd?.targets ?? []),
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
