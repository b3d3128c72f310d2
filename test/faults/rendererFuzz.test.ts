import fc from 'fast-check';

import {
	MissingVariablesError,
	TemplateSyntaxError,
	TemplateValueError,
	renderHeaderValue,
	renderJsonBody,
	renderUrl,
	type MissingVariablePolicy,
	type TemplateVariables,
} from '../../shared/template';

/**
 * Cases per property. The default keeps this file to a few seconds on a shared two-core CI
 * machine; NOVA_FUZZ_RUNS=200000 runs a long fuzz locally, and fast-check prints the seed and
 * the shrunk case of any failure so that it can be replayed.
 */
const RUNS = Number(process.env.NOVA_FUZZ_RUNS ?? 3_000);

/** The errors the renderer documents. Anything else escaping it is a bug. */
const DOCUMENTED = [TemplateSyntaxError, MissingVariablesError, TemplateValueError];

const NAMES = ['name', 'summary', 'customer.id', 'list', '__proto__', 'constructor', 'absent'];

const nastyText = fc.string({
	unit: fc.oneof(
		fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
		fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
		fc.constantFrom('"', '\\', '\r\n', '\u2028', '\ud83d', '{{', '}}', '{{name}}', '%', '/..'),
	),
	maxLength: 40,
});

/** What call data may hold after n8n expressions and upstream nodes: JSON and some oddities. */
const variableValue: fc.Arbitrary<unknown> = fc.oneof(
	nastyText,
	fc.jsonValue({ maxDepth: 3 }),
	fc.constantFrom(null, undefined, 0, -0, 1e21, Number.NaN, 12345678901234567890n, '.', '..'),
);

const variables: fc.Arbitrary<TemplateVariables> = fc
	.record({
		name: variableValue,
		summary: variableValue,
		customer: fc.oneof(fc.record({ id: variableValue }), variableValue),
		list: fc.array(variableValue, { maxLength: 3 }),
	})
	.map((values) => JSON.parse(JSON.stringify(values, bigintAsText)) as TemplateVariables)
	// JSON.parse, as n8n reads a webhook body, makes "__proto__" an own, plain key.
	.map((values) => Object.assign(JSON.parse('{"__proto__": {"x": "{{name}}"}}'), values));

function bigintAsText(_key: string, value: unknown): unknown {
	return typeof value === 'bigint' ? String(value) : value;
}

const paddedPlaceholder = (pads: string[]) =>
	fc
		.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...pads))
		.map(([name, pad]) => `{{${pad}${name}${pad}}}`);
const placeholder = paddedPlaceholder(['', ' ', '\t']);
// A raw tab is not allowed inside a JSON string, so quoted placeholders pad with spaces only.
const quotablePlaceholder = paddedPlaceholder(['', ' ']);

/** Templates made of JSON-ish pieces, placeholders and noise: valid JSON bodies and broken ones. */
const bodyTemplate = fc
	.array(
		fc.oneof(
			{ weight: 4, arbitrary: placeholder },
			{ weight: 2, arbitrary: placeholder.map((text) => `"${text}"`) },
			{ weight: 2, arbitrary: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', ' ', '\n') },
			{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)) },
			{ weight: 1, arbitrary: nastyText },
		),
		{ maxLength: 12 },
	)
	.map((pieces) => pieces.join(''));

/** Well-formed object bodies, so that the success path is fuzzed as often as the error path. */
const objectBodyTemplate = fc
	.array(fc.tuple(quotablePlaceholder, fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 5 })
	.map((fields) => {
		const entries = fields.map(
			([text, quoted, asKey], index) =>
				`${asKey ? `"${text}-${index}"` : `"k${index}"`}: ${quoted ? `"a ${text} b"` : text}`,
		);
		return `{${entries.join(', ')}}`;
	});

const policy = fc.constantFrom<MissingVariablePolicy>('empty', 'keep', 'error');

/** Renders, returning the text or the documented error; any other failure fails the property. */
function attempt(render: () => string): string | Error {
	try {
		return render();
	} catch (error: unknown) {
		if (DOCUMENTED.some((type) => error instanceof type)) return error as Error;
		throw error;
	}
}

describe('the renderer under fuzzing', () => {
	it('renders any body template to valid JSON or a documented error', () => {
		fc.assert(
			fc.property(
				fc.oneof(bodyTemplate, objectBodyTemplate),
				variables,
				policy,
				fc.boolean(),
				(template, values, missing, keepTypes) => {
					const result = attempt(() => renderJsonBody(template, values, { missing, keepTypes }));

					if (typeof result === 'string') expect(() => JSON.parse(result)).not.toThrow();
					if (result instanceof TemplateSyntaxError) {
						expect(result.position.offset).toBeLessThanOrEqual(template.length);
						expect(result.hint.length).toBeGreaterThan(0);
					}
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('renders every well-formed object body without a syntax error', () => {
		fc.assert(
			fc.property(objectBodyTemplate, variables, (template, values) => {
				expect(() => JSON.parse(renderJsonBody(template, values))).not.toThrow();
			}),
			{ numRuns: RUNS },
		);
	});

	it('renders any header template to one line of visible ASCII or a documented error', () => {
		const headerTemplate = fc
			.array(fc.oneof(placeholder, fc.constantFrom('Bearer ', 'x-', ';', ' ', '=')), {
				maxLength: 6,
			})
			.map((pieces) => pieces.join(''));
		fc.assert(
			fc.property(headerTemplate, variables, policy, (template, values, missing) => {
				const result = attempt(() => renderHeaderValue(template, values, { missing }));

				if (typeof result === 'string') expect(result).toMatch(/^[\t\x20-\x7e]*$/);
			}),
			{ numRuns: RUNS },
		);
	});

	it('renders any URL template to a URL on the template’s own host or a documented error', () => {
		const urlTemplate = fc
			.array(fc.oneof(placeholder, fc.constantFrom('/', '?', '&', '=', '#', 'calls', '%20')), {
				maxLength: 6,
			})
			.map((pieces) => `https://api.example.com/${pieces.join('')}`);
		fc.assert(
			fc.property(urlTemplate, variables, policy, (template, values, missing) => {
				const result = attempt(() => renderUrl(template, values, { missing }));

				if (typeof result === 'string') {
					const url = new URL(result);
					expect(url.host).toBe('api.example.com');
					expect(result).toMatch(/^[\x21-\x7e]*$/);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	it('never changes the prototype of plain objects, whatever the data holds', () => {
		fc.assert(
			fc.property(bodyTemplate, variables, (template, values) => {
				attempt(() => renderJsonBody(template, values, { keepTypes: true }));

				expect(({} as Record<string, unknown>).x).toBeUndefined();
				expect(Object.getPrototypeOf({})).toBe(Object.prototype);
			}),
			{ numRuns: RUNS },
		);
	});
});
