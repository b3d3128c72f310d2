'use strict';

const { isDeepStrictEqual } = require('node:util');
const { Eta } = require('eta');
const Handlebars = require('handlebars');
const Mustache = require('mustache');

const { renderJsonBody } = require('../dist/shared/template');
const { BODY_TEMPLATE, HOSTILE_VARIABLES, expectedBody } = require('./hostileCall');
const { runInterleaved } = require('./lib/rounds');
const { compareRounds, median } = require('./lib/stats');

// Each timed batch lasts about this long: long enough that the clock's resolution and the loop
// around it do not count, short enough that many rounds fit in the time budget.
const BATCH_TARGET_MS = 100;
const WARMUP_MS = 400;
const ROUND_COUNT = 15;

/** The text of a JSON string literal without its quotes: what goes between `"` and `"`. */
function jsonStringContent(value) {
	return JSON.stringify(String(value)).slice(1, -1);
}

function prepareOurs() {
	renderJsonBody(BODY_TEMPLATE, HOSTILE_VARIABLES); // parses and caches the template
	return (variables) => renderJsonBody(BODY_TEMPLATE, variables);
}

function prepareMustache() {
	Mustache.escape = jsonStringContent;
	Mustache.parse(BODY_TEMPLATE); // Mustache caches the parsed template by its text
	return (variables) => Mustache.render(BODY_TEMPLATE, variables);
}

function prepareHandlebars() {
	// `{{x}}` goes through escapeExpression, so JSON escaping replaces the HTML escaping.
	const handlebars = Handlebars.create();
	handlebars.Utils.escapeExpression = jsonStringContent;
	return handlebars.compile(BODY_TEMPLATE);
}

function prepareEta() {
	const eta = new Eta({ autoEscape: true, escapeFunction: jsonStringContent, autoTrim: false });
	const etaTemplate = BODY_TEMPLATE.replace(/\{\{(\w+)\}\}/g, '<%= it.$1 %>');
	const compiled = eta.compile(etaTemplate);
	return (variables) => eta.render(compiled, variables);
}

function prepareJsonStringify() {
	return (variables) =>
		JSON.stringify({
			caller_name: variables.name,
			caller_phone: variables.caller_number,
			reason: variables.reason,
			summary: variables.summary,
			appointment_date: variables.appointment_date,
		});
}

const CONTENDERS = [
	{ name: 'ours (renderJsonBody)', prepare: prepareOurs },
	{ name: 'mustache', prepare: prepareMustache },
	{ name: 'handlebars', prepare: prepareHandlebars },
	{ name: 'eta', prepare: prepareEta },
	{ name: 'JSON.stringify', prepare: prepareJsonStringify },
];

// Adds up output lengths so that no render can be optimised away as unused.
let outputLengthSink = 0;

/** Whether a contender's output parses back to exactly the values that went in. */
function verifyJsonSafe(render) {
	const expected = expectedBody(HOSTILE_VARIABLES);
	let parsed;
	try {
		parsed = JSON.parse(render(HOSTILE_VARIABLES));
	} catch (error) {
		return { jsonSafe: false, problem: `output is not JSON: ${error.message}` };
	}
	if (isDeepStrictEqual(parsed, expected)) return { jsonSafe: true, problem: '' };

	const wrongFields = Object.keys(expected).filter((field) => parsed?.[field] !== expected[field]);
	return { jsonSafe: false, problem: `parses, but these fields differ: ${wrongFields.join(', ')}` };
}

function timeBatchNs(render, iterations) {
	const startNs = process.hrtime.bigint();
	for (let iteration = 0; iteration < iterations; iteration++) {
		outputLengthSink += render(HOSTILE_VARIABLES).length;
	}
	return Number(process.hrtime.bigint() - startNs) / iterations;
}

/** Warms the contender up, then returns how many renders fill one timed batch. */
function calibrateIterations(render) {
	const deadlineMs = performance.now() + WARMUP_MS;
	let iterations = 0;
	while (performance.now() < deadlineMs) {
		outputLengthSink += render(HOSTILE_VARIABLES).length;
		iterations++;
	}
	return Math.max(1, Math.round((iterations * BATCH_TARGET_MS) / WARMUP_MS));
}

function prepareContender({ name, prepare }) {
	const render = prepare();
	return { name, render, ...verifyJsonSafe(render) };
}

// `ratio` is the peer's time per render divided by ours: how many times faster ours is.
const TARGETS = [
	{ peer: 'mustache', minRatio: 2, label: 'ours >= 2x mustache' },
	{ peer: 'handlebars', minRatio: 2, label: 'ours >= 2x handlebars' },
	{ peer: 'eta', minRatio: 1, label: 'ours >= 1x eta' },
	{ peer: 'JSON.stringify', minRatio: 1 / 1.2, label: 'ours within 1.2x of JSON.stringify' },
];
const OURS = CONTENDERS[0].name;

function summarize(contender, samplesNs) {
	const { name, jsonSafe, problem } = contender;
	if (samplesNs === undefined) return { name, jsonSafe, problem };
	const nsPerRender = median(samplesNs);
	return {
		name,
		jsonSafe,
		problem,
		nsPerRender,
		rendersPerSecond: 1e9 / nsPerRender,
		roundsNs: samplesNs,
	};
}

function judgeTargets(samplesByName) {
	const ourSamplesNs = samplesByName.get(OURS);
	return TARGETS.map(({ peer, minRatio, label }) => {
		const peerSamplesNs = samplesByName.get(peer);
		if (peerSamplesNs === undefined || ourSamplesNs === undefined) {
			return { label, peer, minRatio, ratio: NaN, met: false, note: 'not JSON-safe, not timed' };
		}
		const comparison = compareRounds(peerSamplesNs, ourSamplesNs);
		const met = comparison.ratio >= minRatio;
		const borderline = comparison.pairedMedian >= minRatio !== met;
		return { label, peer, minRatio, ...comparison, met, borderline };
	});
}

/** Verifies every contender, then times the JSON-safe ones in interleaved rounds. */
async function runRendererBench() {
	const contenders = CONTENDERS.map(prepareContender);
	const timed = contenders.filter((contender) => contender.jsonSafe);
	for (const contender of timed) contender.iterations = calibrateIterations(contender.render);

	const samplesByName = await runInterleaved(timed, ROUND_COUNT, (contender) =>
		timeBatchNs(contender.render, contender.iterations),
	);
	return {
		template: BODY_TEMPLATE,
		bodyBytes: Buffer.byteLength(prepareOurs()(HOSTILE_VARIABLES)),
		rounds: ROUND_COUNT,
		batchTargetMs: BATCH_TARGET_MS,
		contenders: contenders.map((contender) =>
			summarize(contender, samplesByName.get(contender.name)),
		),
		targets: judgeTargets(samplesByName),
		outputLengthSink,
	};
}

module.exports = { runRendererBench };
