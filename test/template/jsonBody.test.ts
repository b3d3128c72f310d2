import {
	MissingVariablesError,
	TemplateSyntaxError,
	TemplateValueError,
	parseJsonBodyTemplate,
	renderJsonBody,
	type RenderOptions,
	type TemplateVariables,
} from '../../shared/template';
import {
	HOSTILE_ROTATIONS,
	HOSTILE_VALUES,
	callData,
	hostileCallData,
	withoutVariables,
	type CallData,
} from '../fixtures/callData';

function renderParsed(
	template: string,
	variables: TemplateVariables,
	options?: RenderOptions,
): unknown {
	return JSON.parse(renderJsonBody(template, variables, options));
}

function syntaxErrorOf(template: string): TemplateSyntaxError {
	try {
		renderJsonBody(template, callData());
	} catch (error: unknown) {
		if (error instanceof TemplateSyntaxError) return error;
		throw error;
	}
	throw new Error(`Expected a TemplateSyntaxError for ${JSON.stringify(template)}`);
}

describe('renderJsonBody', () => {
	describe('placeholders inside JSON strings', () => {
		it.each(HOSTILE_VALUES)('escapes $label into the string', ({ value }) => {
			const body = renderParsed('{"note": "<< {{summary}} >>"}', callData({ summary: value }));
			expect(body).toEqual({ note: `<< ${value} >>` });
		});

		it('inserts numbers, booleans and objects as their text', () => {
			const variables = { n: 42, ok: false, customer: { id: 7 }, tags: ['a', 'b'] };
			const template = '{"text": "{{n}} {{ok}} {{customer}} {{tags}} {{customer.id}}"}';
			expect(renderParsed(template, variables)).toEqual({
				text: '42 false {"id":7} ["a","b"] 7',
			});
		});

		it('keeps the escapes the template itself wrote', () => {
			const template = '{"a": "\\u00e9\\t\\"{{x}}\\"\\n\\\\"}';
			expect(renderParsed(template, { x: 'X' })).toEqual({ a: 'é\t"X"\n\\' });
		});

		it('renders a placeholder written with JSON escapes', () => {
			expect(renderParsed('{"a": "\\u007b\\u007bx}}"}', { x: 'X' })).toEqual({ a: 'X' });
		});

		it('leaves an n8n expression in a string as literal text', () => {
			const template = '{"a": "{{ $json.name }}"}';
			expect(renderParsed(template, { $json: { name: 'x' } })).toEqual({
				a: '{{ $json.name }}',
			});
		});
	});

	describe('placeholders where a JSON value goes', () => {
		it.each([
			['a string', 'Ana "A"', '"Ana \\"A\\""'],
			['an integer', 42, '42'],
			['a negative decimal', -1.25, '-1.25'],
			['true', true, 'true'],
			['false', false, 'false'],
			['an object', { id: 7, tags: ['x'] }, '{"id":7,"tags":["x"]}'],
			['an array', [1, 'two', null], '[1,"two",null]'],
			['a numeric string, still a string', '007', '"007"'],
			['a non-finite number, as null', Number.NaN, 'null'],
		])('inserts %s as JSON', (_label, value: unknown, json) => {
			expect(renderJsonBody('{"v": {{ value }}}', { value })).toBe(`{"v": ${json}}`);
		});

		it.each(HOSTILE_VALUES)('inserts $label as a JSON string', ({ value }) => {
			expect(renderParsed('{"v": {{summary}}}', callData({ summary: value }))).toEqual({
				v: value,
			});
		});

		it('inserts values at the top level, in arrays and in nested objects', () => {
			const variables = { a: 1, b: { c: [2] }, d: 'x' };
			expect(renderJsonBody('{{b}}', variables)).toBe('{"c":[2]}');
			expect(renderJsonBody('[{{a}}, {{ b.c }}, {"d": {{d}}}]', variables)).toBe(
				'[1, [2], {"d": "x"}]',
			);
		});

		it.each([
			['an empty string by default', {}, '""'],
			['an empty string under "empty"', { missing: 'empty' }, '""'],
			['the placeholder as a string under "keep"', { missing: 'keep' }, '"{{ email }}"'],
		] as const)('renders a missing value as %s', (_label, options: RenderOptions, json) => {
			const variables = withoutVariables(callData(), 'email');
			expect(renderJsonBody('{"v": {{ email }}}', variables, options)).toBe(`{"v": ${json}}`);
			expect(renderJsonBody('{"v": {{email}}}', { email: null }, options)).toBe(
				`{"v": ${json.replaceAll(' ', '')}}`,
			);
		});

		it('inserts a bigint as a JSON number', () => {
			expect(renderJsonBody('{"n": {{n}}}', { n: 12345678901234567890n })).toBe(
				'{"n": 12345678901234567890}',
			);
		});

		it('rejects an n8n expression where a value goes', () => {
			expect(() => renderJsonBody('{"a": {{ $json.x }}}', {})).toThrow(TemplateSyntaxError);
		});
	});

	describe('with keepTypes', () => {
		it.each([
			['a number', 42],
			['a boolean', true],
			['an object', { id: 7, nested: { ok: [1, 'x'] } }],
			['an array', ['a', 2]],
			['a string', 'She said "hi"\n'],
		])('gives a sole-placeholder string the type of %s', (_label, value: unknown) => {
			const options = { keepTypes: true };
			expect(renderParsed('{"v": "{{value}}"}', { value }, options)).toEqual({ v: value });
			expect(renderParsed('{"v": "{{ value }}"}', { value }, options)).toEqual({ v: value });
		});

		it('keeps a string that holds more than the placeholder a string', () => {
			const options = { keepTypes: true };
			expect(renderParsed('{"v": " {{n}}"}', { n: 42 }, options)).toEqual({ v: ' 42' });
			expect(renderParsed('{"v": "{{n}}{{n}}"}', { n: 4 }, options)).toEqual({ v: '44' });
		});

		it('keeps the string type without keepTypes', () => {
			expect(renderParsed('{"v": "{{n}}"}', { n: 42 })).toEqual({ v: '42' });
			expect(renderParsed('{"v": "{{n}}"}', { n: { a: 1 } })).toEqual({ v: '{"a":1}' });
		});

		it.each([
			['empty', '' as string],
			['keep', '{{ amount }}'],
		] as const)('renders a missing sole placeholder as a string under "%s"', (missing, text) => {
			const options: RenderOptions = { keepTypes: true, missing };
			expect(renderParsed('{"v": "{{ amount }}"}', {}, options)).toEqual({ v: text });
		});

		it.each([
			['a number', 5],
			['a boolean', true],
			['an object', { a: 1 }],
			['an array', [1]],
		])('keeps a key that is one placeholder a string when it holds %s', (_label, value) => {
			const body = renderJsonBody('{"{{field}}": 1}', { field: value }, { keepTypes: true });
			const expectedKey = typeof value === 'object' ? JSON.stringify(value) : String(value);
			expect(JSON.parse(body)).toEqual({ [expectedKey]: 1 });
		});
	});

	describe('placeholders in keys', () => {
		it('renders and escapes keys', () => {
			const variables = { field: 'first "name"', suffix: 'x\ny' };
			const body = renderParsed('{"{{field}}": 1, "k_{{suffix}}": 2}', variables);
			expect(body).toEqual({ 'first "name"': 1, 'k_x\ny': 2 });
		});

		it.each(HOSTILE_VALUES)('escapes $label into a key', ({ value }) => {
			const body = renderParsed('{"k {{summary}}": true}', callData({ summary: value }));
			expect(body).toEqual({ [`k ${value}`]: true });
		});
	});

	describe('literal template text', () => {
		it('comes back byte for byte when the template has no placeholders', () => {
			const template = '{\n\t"a": [1, -2.5e3, true, null],\r\n  "b": {"c": "\\u00e9\\/"}\n}';
			expect(renderJsonBody(template, callData())).toBe(template);
		});

		it('keeps its layout around rendered strings', () => {
			const template = '{\n\t"a": "{{name}}",\n\t"b": [ {{n}} ]\n}';
			expect(renderJsonBody(template, { name: 'Ana', n: 3 })).toBe(
				'{\n\t"a": "Ana",\n\t"b": [ 3 ]\n}',
			);
		});
	});

	describe('missing variables under "error"', () => {
		it('names every missing path once, in template order, keys and values included', () => {
			const template = '{"{{k}}": {{b}}, "c": "{{a}} {{ b }}", "d": ["{{k}}", {{name}}]}';
			const render = () => renderJsonBody(template, { name: 'x' }, { missing: 'error' });
			expect(render).toThrow(MissingVariablesError);
			expect(render).toThrow(expect.objectContaining({ variables: ['k', 'b', 'a'] }));
		});
	});

	it('renders the same template with new data each time', () => {
		const template = '{"a": "{{name}}"}';
		expect(renderParsed(template, { name: 'one' })).toEqual({ a: 'one' });
		expect(renderParsed(template, { name: 'two' })).toEqual({ a: 'two' });
	});

	it('renders a template again after many other templates', () => {
		const template = '{"first": "{{name}}"}';
		expect(renderParsed(template, { name: 'A' })).toEqual({ first: 'A' });
		for (let index = 0; index < 300; index++) {
			renderJsonBody(`{"n${index}": "{{name}}"}`, { name: 'x' });
		}
		expect(renderParsed(template, { name: 'B' })).toEqual({ first: 'B' });
	});
});

const EMPTY = 'The body template is empty';
const KEY_EXPECTED = 'Expected a property name in double quotes';
const AFTER_PROPERTY = "Expected ',' or '}' after a property value";
const CONTROL_IN_STRING = 'A line break or control character inside a string';
const BAD_ESCAPE = 'An invalid escape inside a string';

/** label, template, problem, [offset, line, column], what the hint must mention */
type SyntaxCase = [string, string, string, [number, number, number], RegExp];

const SYNTAX_CASES: SyntaxCase[] = [
	['an empty template', '', EMPTY, [0, 1, 1], /JSON object/],
	['whitespace only', '  \n ', EMPTY, [4, 2, 2], /JSON object/],
	['a trailing comma in an object', '{"a": 1,}', KEY_EXPECTED, [8, 1, 9], /comma/],
	['a trailing comma in an array', '[1, 2,]', 'Trailing comma before ]', [6, 1, 7], /comma/],
	['a single-quoted key', "{'a': 1}", KEY_EXPECTED, [1, 1, 2], /"key"/],
	['a single-quoted value', `{"a": 'x'}`, 'Single quotes are not JSON', [6, 1, 7], /double/],
	['an unquoted key', '{a: 1}', KEY_EXPECTED, [1, 1, 2], /"key"/],
	[
		'a raw line break',
		'{\n  "note": "line one\nline two"\n}',
		CONTROL_IN_STRING,
		[21, 2, 20],
		/\\n/,
	],
	['a raw tab in a string', '{"a": "x\ty"}', CONTROL_IN_STRING, [8, 1, 9], /\\n/],
	['a bad escape', '{"path": "C:\\q"}', BAD_ESCAPE, [12, 1, 13], /\\\\/],
	['a short \\u escape', '{"a": "\\u12"}', BAD_ESCAPE, [7, 1, 8], /\\\\/],
	['an unclosed string', '{"a": "abc', 'A string that is never closed', [6, 1, 7], /quote/],
	[
		'text after the end',
		'{"a": 1} {"b": 2}',
		'Unexpected text after the end of the JSON body',
		[9, 1, 10],
		/Remove/,
	],
	['a missing colon', '{"a" 1}', 'Expected a colon after the property name', [5, 1, 6], /JSON/],
	['a missing comma', '{"a": 1 "b": 2}', AFTER_PROPERTY, [8, 1, 9], /JSON/],
	['an unclosed object', '{"a": 1', AFTER_PROPERTY, [7, 1, 8], /JSON/],
	[
		'a misspelt literal',
		'{\n\t"a": 1,\n\t"b": tru\n}',
		'Expected a JSON value',
		[17, 3, 7],
		/true/,
	],
	['a leading zero', '{"a": 01}', AFTER_PROPERTY, [7, 1, 8], /JSON/],
	['a comment', '{"a": 1 // why\n}', AFTER_PROPERTY, [8, 1, 9], /JSON/],
	['an n8n expression as a value', '{"a": {{ $json.x }}}', KEY_EXPECTED, [7, 1, 8], /"key"/],
];

describe('renderJsonBody with an invalid template', () => {
	it.each(SYNTAX_CASES)(
		'reports %s with its exact position and a hint',
		(_label, template, problem, [offset, line, column], hint) => {
			const error = syntaxErrorOf(template);
			expect(error.position).toEqual({ offset, line, column });
			expect(error.message).toBe(`${problem} at line ${line}, column ${column}`);
			expect(error.hint).toMatch(hint);
			expect(error.name).toBe('TemplateSyntaxError');
		},
	);

	it('reports the error again on every render', () => {
		expect(syntaxErrorOf('{"a": }').position).toEqual({ offset: 6, line: 1, column: 7 });
		expect(syntaxErrorOf('{"a": }').position).toEqual({ offset: 6, line: 1, column: 7 });
	});

	it('reports the syntax error before any missing variable', () => {
		const render = () => renderJsonBody('{"a": "{{x}}",}', {}, { missing: 'error' });
		expect(render).toThrow(TemplateSyntaxError);
	});
});

describe('renderJsonBody with deeply nested input', () => {
	const nestedTemplate = (levels: number) => `${'['.repeat(levels)}"{{name}}"${']'.repeat(levels)}`;

	it('renders a template nested 256 levels deep', () => {
		const rendered = renderParsed(nestedTemplate(256), { name: 'Ana' });

		expect(JSON.stringify(rendered)).toBe(nestedTemplate(256).replace('{{name}}', 'Ana'));
	});

	it('refuses a template nested 257 levels deep, naming where it goes too deep', () => {
		const error = syntaxErrorOf(nestedTemplate(257));

		expect(error.message).toBe(
			'The body nests objects and lists more than 256 levels deep at line 1, column 257',
		);
		expect(error.hint).toMatch(/Flatten/);
	});

	it('refuses a template nested 100,000 levels deep without running out of stack', () => {
		expect(syntaxErrorOf(nestedTemplate(100_000)).position.offset).toBe(256);
	});

	it('names the placeholder whose value is nested too deeply to write as JSON', () => {
		let deep: unknown = 'bottom';
		for (let level = 0; level < 100_000; level++) deep = [deep];

		for (const template of ['{"a": {{deep}}}', '{"a": "{{deep}}"}']) {
			const render = () => renderJsonBody(template, { deep });
			expect(render).toThrow(TemplateValueError);
			expect(render).toThrow('{{deep}} cannot be written as JSON: it is nested too deeply');
		}
	});

	it('names the placeholder whose value holds a nested bigint', () => {
		const render = () => renderJsonBody('{"a": {{order}}}', { order: { id: 10n } });

		expect(render).toThrow(TemplateValueError);
		expect(render).toThrow(/^\{\{order\}\} cannot be written as JSON: .*BigInt/);
	});
});

describe('parseJsonBodyTemplate', () => {
	it('lists every placeholder occurrence in template order', () => {
		const template = '{"{{k}}": "a {{x}} b {{ y.z }}", "n": {{n}}, "arr": ["{{x}}"]}';
		expect(parseJsonBodyTemplate(template)).toEqual([
			{ path: 'k', source: '{{k}}' },
			{ path: 'x', source: '{{x}}' },
			{ path: 'y.z', source: '{{ y.z }}' },
			{ path: 'n', source: '{{n}}' },
			{ path: 'x', source: '{{x}}' },
		]);
	});

	it('lists nothing for a template without placeholders', () => {
		expect(parseJsonBodyTemplate('{"a": "{{ $json.x }}", "b": [1]}')).toEqual([]);
	});

	it('rejects an invalid template without rendering it', () => {
		expect(() => parseJsonBodyTemplate('{"a": 1,}')).toThrow(TemplateSyntaxError);
	});
});

/** The bodies Nova's documentation suggests, each with the object it must parse to. */
const NOVA_DOCUMENTED_BODIES: ReadonlyArray<[string, string, (data: CallData) => unknown]> = [
	[
		'the generic webhook body',
		'{"caller_name": "{{name}}", "caller_phone": "{{caller_number}}", "reason": "{{reason}}", ' +
			'"summary": "{{summary}}", "appointment_date": "{{appointment_date}}"}',
		(data) => ({
			caller_name: data.name,
			caller_phone: data.caller_number,
			reason: data.reason,
			summary: data.summary,
			appointment_date: data.appointment_date,
		}),
	],
	[
		'the HubSpot contact body',
		'{"properties": {"firstname": "{{name}}", "phone": "{{caller_number}}", ' +
			'"hs_lead_status": "NEW", "notes_last_contacted": "{{summary}}"}}',
		(data) => ({
			properties: {
				firstname: data.name,
				phone: data.caller_number,
				hs_lead_status: 'NEW',
				notes_last_contacted: data.summary,
			},
		}),
	],
	[
		'the Slack message body',
		'{"text": "New call from {{name}} ({{caller_number}}): {{reason}}"}',
		({ name, caller_number: callerNumber, reason }) => ({
			text: `New call from ${String(name)} (${String(callerNumber)}): ${String(reason)}`,
		}),
	],
	[
		'the Zendesk ticket body',
		'{"ticket": {"subject": "Call from {{name}}", "description": "{{summary}}", ' +
			'"requester": {"name": "{{name}}", "email": "{{email}}"}}}',
		(data) => ({
			ticket: {
				subject: `Call from ${String(data.name)}`,
				description: data.summary,
				requester: { name: data.name, email: data.email },
			},
		}),
	],
];

describe.each(NOVA_DOCUMENTED_BODIES)('renderJsonBody with %s', (_label, template, expected) => {
	it('renders typical call data field by field', () => {
		const data = callData();
		expect(renderParsed(template, data, { missing: 'error' })).toEqual(expected(data));
	});

	it.each(HOSTILE_ROTATIONS)(
		'renders hostile call data, rotation %i, field by field',
		(rotation) => {
			const data = hostileCallData(rotation);
			expect(renderParsed(template, data)).toEqual(expected(data));
		},
	);
});
