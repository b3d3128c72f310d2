'use strict';

/** The body a Nova customer might send after a call, with one placeholder per field. */
const BODY_TEMPLATE =
	'{"caller_name": "{{name}}", "caller_phone": "{{caller_number}}", "reason": "{{reason}}", ' +
	'"summary": "{{summary}}", "appointment_date": "{{appointment_date}}"}';

/** Which call variable each body field holds, for contenders that build the object themselves. */
const FIELD_VARIABLES = {
	caller_name: 'name',
	caller_phone: 'caller_number',
	reason: 'reason',
	summary: 'summary',
	appointment_date: 'appointment_date',
};

// One sentence of a transcript summary with everything that breaks naive JSON templating:
// quotes, backslashes, line breaks, a control character, U+2028, an emoji, a lone surrogate
// and template syntax that must stay text.
const SUMMARY_SENTENCE =
	'Caller said "move it to {{appointment_date}}" \\ not {{summary}};\n' +
	'\tasked for Zoë\u2028😀, code \u0001, half \ud83d pair. ';

// ~2 KB, the size of a long call's summary.
const SUMMARY_TARGET_CHARS = 2048;

function buildSummary() {
	const repeats = Math.ceil(SUMMARY_TARGET_CHARS / SUMMARY_SENTENCE.length);
	return SUMMARY_SENTENCE.repeat(repeats);
}

const HOSTILE_VARIABLES = Object.freeze({
	name: 'Zoë "Z" O\'Brien \\ {{summary}}',
	caller_number: '+49 30 1234567\u0000\u0007\u001b[31m',
	reason: 'Line one\r\nLine two\ttab \u2028\u2029 lone \udc00 low, 👩‍⚕️ doctor',
	summary: buildSummary(),
	appointment_date: '2025-03-04T09:30:00+01:00 </script><!-- {{ name }}',
});

/** The object every JSON-safe contender's output must parse back to. */
function expectedBody(variables) {
	const body = {};
	for (const [field, variable] of Object.entries(FIELD_VARIABLES)) {
		body[field] = variables[variable];
	}
	return body;
}

module.exports = { BODY_TEMPLATE, FIELD_VARIABLES, HOSTILE_VARIABLES, expectedBody };
