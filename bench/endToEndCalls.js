'use strict';

// The calls the end-to-end bench sends through n8n: Nova's post-call variables, each call with
// its own id inside the summary, so that the receiver can tell which call a body belongs to
// even when the body is not valid JSON.
const { isDeepStrictEqual } = require('node:util');

const { HOSTILE_VARIABLES, expectedBody } = require('./hostileCall');

const CALL_ID_PATTERN = /nova-bench-call-(\d+)\]/;

// ~2 KB, like the hostile summary, but nothing in it that needs escaping in JSON.
const PLAIN_SUMMARY = 'Ana asked to move her cleaning to Friday afternoon, after four. '.repeat(32);

const PLAIN_VARIABLES = Object.freeze({
	name: 'Ana Souza',
	caller_number: '+5511912345678',
	reason: 'Move a dental cleaning',
	summary: PLAIN_SUMMARY,
	appointment_date: '2025-03-14T15:30:00-03:00',
});

/**
 * One kind of trouble each, over plain values, to show which characters break a body built by
 * string interpolation. The last kind, everything at once, is what every timed call carries.
 */
const CALL_KINDS = [
	{ name: 'plain text', values: {} },
	{ name: 'emoji and accents', values: { name: 'Zoë Ørsted 😀', reason: 'Café 👩‍⚕️ visit' } },
	{ name: 'double quotes', values: { name: 'Zoë "Z" O\'Brien' } },
	{ name: 'line breaks and tabs', values: { reason: 'Line one\r\nLine two\ttab' } },
	{ name: 'backslashes', values: { reason: 'Folder C:\\calls\\2025' } },
	{ name: 'control characters', values: { caller_number: '+49 30 1234567\u0000\u0007\u001b' } },
	{ name: 'U+2028, lone surrogate', values: { reason: 'split \u2028\u2029 here, lone \udc00' } },
	{
		name: '{{...}} in values',
		values: { name: 'Ana {{summary}}', reason: '{{ $json.body.name }}' },
	},
	{ name: 'all of these at once', values: HOSTILE_VARIABLES },
];
const ALL_AT_ONCE = CALL_KINDS[CALL_KINDS.length - 1];

/** The variables Nova sends for call `callId`: the kind's values, the id first in the summary. */
function callVariables(callId, kind = ALL_AT_ONCE) {
	const variables = { ...PLAIN_VARIABLES, ...kind.values };
	return { ...variables, summary: `[nova-bench-call-${callId}] ${variables.summary}` };
}

/** The call id a received body names, or undefined when none can be found in it. */
function callIdOf(bodyText) {
	const match = CALL_ID_PATTERN.exec(bodyText);
	return match ? Number(match[1]) : undefined;
}

/** Whether a received body parses as JSON and holds exactly the values Nova sent. */
function isExactBody(bodyText, variables) {
	try {
		return isDeepStrictEqual(JSON.parse(bodyText), expectedBody(variables));
	} catch {
		// Not JSON at all: the body is counted as not exact, which is what this check reports.
		return false;
	}
}

module.exports = { CALL_KINDS, callIdOf, callVariables, isExactBody };
