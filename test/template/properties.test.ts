import fc from 'fast-check';

import {
	TemplateSyntaxError,
	encodeHeaderText,
	renderHeaderValue,
	renderJsonBody,
	renderUrl,
	type TemplateVariables,
} from '../../shared/template';

// Enough runs to meet lone surrogates, CR/LF and '%' many times, few enough that the whole
// template suite stays within a few seconds on a shared two-core machine.
const RUNS = { numRuns: 500 };

// Single UTF-16 code units (so lone and misordered surrogates occur), whole code points beyond
// the BMP, and the characters and fragments that each renderer treats specially.
const awkwardUnit = fc.oneof(
	fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
	fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
	fc.constantFrom(
		...['"', '\\', '\r', '\n', '\r\n', '\t', '\u0000', '\u007f', '\u2028', '\ud800', '\udfff'],
		...['%', '%0D', '&', '=', '?', '#', '/', '+', '.', ' ', '{{', '}}', '{{summary}}'],
	),
);
const awkwardString = fc.string({ unit: awkwardUnit, maxLength: 60 });
const awkwardStringWithoutPercent = awkwardString.map((text) => text.replaceAll('%', ''));

const HEADER_SAFE_CHAR = /^[\t\x20-\x7e]$/;

/** What encodeHeaderText must give, stated one code point at a time. */
function headerTextModel(value: string): string {
	return [...value.toWellFormed()]
		.map((char) => (HEADER_SAFE_CHAR.test(char) ? char : encodeURIComponent(char)))
		.join('');
}

/** A variable as renderJsonBody inserts it where a JSON value goes, read back by JSON.parse. */
function asJsonValue(value: unknown): unknown {
	const json = value === null || value === undefined ? undefined : JSON.stringify(value);
	return json === undefined ? '' : JSON.parse(json);
}

describe('renderJsonBody for any values', () => {
	it('renders Nova’s generic body so that every field parses back exactly', () => {
		const template =
			'{"caller_name": "{{name}}", "caller_phone": "{{caller_number}}", ' +
			'"reason": "{{reason}}", "summary": "{{summary}}", "appointment_date": "{{appointment_date}}"}';
		const fields = { name: awkwardString, reason: awkwardString, summary: awkwardString };
		const callArb = fc.record({
			...fields,
			caller_number: awkwardString,
			appointment_date: awkwardString,
		});
		fc.assert(
			fc.property(callArb, (call) => {
				expect(JSON.parse(renderJsonBody(template, call))).toEqual({
					caller_name: call.name,
					caller_phone: call.caller_number,
					reason: call.reason,
					summary: call.summary,
					appointment_date: call.appointment_date,
				});
			}),
			RUNS,
		);
	});

	it('round-trips a string through text, value and key positions', () => {
		const template = '{"text": "<{{v}}>", "value": {{ v }}, "{{v}}": [{{v}}]}';
		fc.assert(
			fc.property(awkwardString, awkwardString, (v, other) => {
				const body = JSON.parse(renderJsonBody(template, { v, other })) as Record<string, unknown>;
				expect(body.text).toBe(`<${v}>`);
				expect(body[v]).toEqual([v]);
				if (v !== 'value' && v !== 'text') expect(body.value).toBe(v);
			}),
			RUNS,
		);
	});

	it('gives any JSON value its own type under keepTypes', () => {
		const template = '{"sole": "{{v}}", "value": {{v}}, "nested": {"in": ["{{ v }}"]}}';
		fc.assert(
			fc.property(fc.jsonValue(), (v) => {
				const body = JSON.parse(renderJsonBody(template, { v }, { keepTypes: true })) as unknown;
				const expected = asJsonValue(v);
				expect(body).toEqual({ sole: expected, value: expected, nested: { in: [expected] } });
			}),
			RUNS,
		);
	});

	it('renders valid JSON for anything a variable may hold', () => {
		const template = '{"sole": "{{v}}", "value": {{v}}, "list": [{{v}}, "{{v}}"]}';
		fc.assert(
			fc.property(fc.anything(), fc.boolean(), (v, keepTypes) => {
				const body = JSON.parse(renderJsonBody(template, { v }, { keepTypes })) as {
					sole: unknown;
					value: unknown;
					list: unknown[];
				};
				expect(body.value).toEqual(asJsonValue(v));
				expect(body.list[0]).toEqual(asJsonValue(v));
				if (keepTypes) expect(body.sole).toEqual(asJsonValue(v));
				else expect(typeof body.sole).toBe('string');
			}),
			RUNS,
		);
	});
});

describe('renderJsonBody for any template without placeholders', () => {
	const jsonishUnit = fc.constantFrom(
		...['{', '}', '[', ']', ',', ':', '"', "'", '\\', 'u', 'a', '0', '1', '-', '.', 'e', '+'],
		...[' ', '\n', '\r', '\t', '\u0001', 'true', 'false', 'null', '/'],
	);
	const templateArb = fc
		.oneof(
			fc.string({ unit: jsonishUnit, maxLength: 30 }),
			fc.tuple(fc.jsonValue(), fc.constantFrom(0, 1, '\t')).map(([value, indent]) => {
				return JSON.stringify(value, null, indent);
			}),
		)
		.filter((text) => !/\{\{[^}]*\}\}/.test(text));

	it('accepts exactly what JSON.parse accepts and returns it unchanged', () => {
		fc.assert(
			fc.property(templateArb, (template) => {
				let parsedByJson = true;
				try {
					JSON.parse(template);
				} catch {
					// Rejection by JSON.parse is the outcome under test, not a failure.
					parsedByJson = false;
				}
				const render = () => renderJsonBody(template, {});
				if (parsedByJson) expect(render()).toBe(template);
				else expect(render).toThrow(TemplateSyntaxError);
			}),
			{ numRuns: 1000 },
		);
	});

	it('reports a position whose line and column match its offset', () => {
		fc.assert(
			fc.property(templateArb, (template) => {
				let position: TemplateSyntaxError['position'] | undefined;
				try {
					renderJsonBody(template, {});
				} catch (error: unknown) {
					if (!(error instanceof TemplateSyntaxError)) throw error;
					position = error.position;
				}
				fc.pre(position !== undefined);

				const lines = template.slice(0, position.offset).split('\n');
				expect(position.offset).toBeLessThanOrEqual(template.length);
				expect(position.line).toBe(lines.length);
				expect(position.column).toBe(lines[lines.length - 1].length + 1);
			}),
			RUNS,
		);
	});
});

describe('renderHeaderValue for any values', () => {
	const template = 'Note: {{v}} (end)';

	it('renders only tab, space and visible ASCII', () => {
		fc.assert(
			fc.property(awkwardString, (v) => {
				const rendered = renderHeaderValue(template, { v });
				expect(rendered).not.toMatch(/[\r\n]/);
				expect(rendered).toMatch(/^[\t\x20-\x7e]*$/);
			}),
			RUNS,
		);
	});

	it('percent-encodes as UTF-8 exactly the code points a header cannot carry', () => {
		fc.assert(
			fc.property(awkwardString, (v) => {
				expect(encodeHeaderText(v)).toBe(headerTextModel(v));
				expect(renderHeaderValue(template, { v })).toBe(`Note: ${headerTextModel(v)} (end)`);
			}),
			RUNS,
		);
	});

	// With a '%' in the value the encoding is ambiguous ('é' and '%C3%A9' render alike), so
	// decoding gives the value back only when the value holds no '%'.
	it('decodes back to the well-formed value when the value holds no percent sign', () => {
		fc.assert(
			fc.property(awkwardStringWithoutPercent, (v) => {
				const rendered = renderHeaderValue(template, { v });
				expect(decodeURIComponent(rendered)).toBe(`Note: ${v.toWellFormed()} (end)`);
			}),
			RUNS,
		);
	});
});

describe('renderUrl for any values', () => {
	const template = 'https://api.example.com/calls?name={{name}}&summary={{summary}}&n=1';

	it('renders a URL whose query parameters decode back to the values', () => {
		fc.assert(
			fc.property(awkwardString, awkwardString, (name, summary) => {
				const rendered = renderUrl(template, { name, summary });
				const url = new URL(rendered);

				expect(url.origin).toBe('https://api.example.com');
				expect(url.pathname).toBe('/calls');
				expect(url.hash).toBe('');
				expect([...url.searchParams]).toEqual([
					['name', name.toWellFormed()],
					['summary', summary.toWellFormed()],
					['n', '1'],
				]);
				const rawName = rendered.slice(rendered.indexOf('=') + 1, rendered.indexOf('&'));
				expect(decodeURIComponent(rawName)).toBe(name.toWellFormed());
			}),
			RUNS,
		);
	});

	it('inserts a start URL as it is and encodes what follows', () => {
		fc.assert(
			fc.property(fc.webUrl({ withQueryParameters: true }), awkwardString, (base, q) => {
				const rendered = renderUrl('{{base}}#{{q}}', { base, q });
				expect(rendered).toBe(`${base}#${encodeURIComponent(q.toWellFormed())}`);
				expect(decodeURIComponent(new URL(rendered).hash.slice(1))).toBe(q.toWellFormed());
			}),
			RUNS,
		);
	});
});

describe('every renderer, for a value that holds a placeholder', () => {
	const names = fc.constantFrom('summary', 'name', 'customer.id', 'v', 'constructor');
	const spaces = fc.constantFrom('', ' ', '  ', '\t');
	const valueArb = fc
		.tuple(awkwardStringWithoutPercent, spaces, names, spaces, awkwardStringWithoutPercent)
		.map(([before, open, name, close, after]) => `${before}{{${open}${name}${close}}}${after}`);

	/** Call data in which every name a value may mention has a value of its own. */
	function variablesFor(v: string): TemplateVariables {
		return { v, summary: 'EXPANDED', name: 'EXPANDED', customer: { id: 'EXPANDED' } };
	}

	it('never expands it, in a body, a URL or a header', () => {
		fc.assert(
			fc.property(valueArb, fc.constantFrom('empty', 'keep', 'error'), (v, missing) => {
				const variables = variablesFor(v);
				const options = { missing, keepTypes: true } as const;

				const body = JSON.parse(renderJsonBody('{"a": "{{v}}", "b": {{v}}}', variables, options));
				expect(body).toEqual({ a: v, b: v });

				const url = new URL(renderUrl('https://x.test/?a={{v}}', variables, options));
				expect(url.searchParams.get('a')).toBe(v.toWellFormed());

				const header = renderHeaderValue('x {{v}}', variables, options);
				expect(decodeURIComponent(header)).toBe(`x ${v.toWellFormed()}`);
			}),
			RUNS,
		);
	});
});

describe('every renderer, for any variable name the syntax allows', () => {
	const nameUnit = fc.constantFrom(...'abzAZ09_-éЖ名'.split(''));
	const segment = fc.string({ unit: nameUnit, minLength: 1, maxLength: 8 });

	it('resolves the name, with or without spaces inside the braces', () => {
		fc.assert(
			fc.property(segment, fc.constantFrom('', ' ', '\t '), awkwardString, (name, pad, v) => {
				const variables = { [name]: v };
				const placeholder = `{{${pad}${name}${pad}}}`;
				const bodyTemplate = `{"a": ${JSON.stringify(placeholder)}}`;
				const body = renderJsonBody(bodyTemplate, variables, { missing: 'error' });
				expect(JSON.parse(body)).toEqual({ a: v });
				const url = renderUrl(`https://x.test/?a=${placeholder}`, variables);
				expect(new URL(url).searchParams.get('a')).toBe(v.toWellFormed());
			}),
			RUNS,
		);
	});

	it('resolves a dotted path through nested objects', () => {
		fc.assert(
			fc.property(fc.array(segment, { minLength: 2, maxLength: 4 }), awkwardString, (keys, v) => {
				const variables = keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), v);
				const body = renderJsonBody(`{"a": {{${keys.join('.')}}}}`, variables as TemplateVariables);
				expect(JSON.parse(body)).toEqual({ a: v });
			}),
			RUNS,
		);
	});
});
