import {
	MissingVariablesError,
	lookupVariable,
	renderHeaderValue,
	renderJsonBody,
	renderUrl,
	type RenderOptions,
	type TemplateVariables,
} from '../../shared/template';
import { splitPlaceholders, valueAsText } from '../../shared/template/placeholders';
import { callData, withoutVariables } from '../fixtures/callData';

/** Renders `template` as text through one renderer and reads the text back out. */
type TextRenderer = (
	template: string,
	variables: TemplateVariables,
	options?: RenderOptions,
) => string;

// Literal text in these templates avoids '+', '&' and '#', which mean something in a query.
const QUERY_BASE = 'https://example.com/?q=';

const RENDERERS: ReadonlyArray<[string, TextRenderer]> = [
	[
		'renderJsonBody',
		(template, variables, options) =>
			JSON.parse(renderJsonBody(JSON.stringify(template), variables, options)) as string,
	],
	[
		'renderUrl',
		(template, variables, options) => {
			const url = new URL(renderUrl(QUERY_BASE + template, variables, options));
			return url.searchParams.get('q') ?? '';
		},
	],
	['renderHeaderValue', renderHeaderValue],
];

describe('splitPlaceholders', () => {
	it.each([
		['{{name}}', 'name'],
		['{{ name }}', 'name'],
		['{{\tname\n}}', 'name'],
		['{{customer.id}}', 'customer.id'],
		['{{ customer.address.city }}', 'customer.address.city'],
		['{{caller_number}}', 'caller_number'],
		['{{appointment-date}}', 'appointment-date'],
		['{{José}}', 'José'],
		['{{名前}}', '名前'],
		['{{2fa}}', '2fa'],
	])('reads %j as a placeholder for %j', (template, path) => {
		expect(splitPlaceholders(template)).toEqual([{ path, source: template }]);
	});

	it.each([
		['an n8n expression', '{{ $json.x }}'],
		['a dollar variable', '{{$name}}'],
		['empty braces', '{{}}'],
		['spaces only', '{{   }}'],
		['a space inside the name', '{{first name}}'],
		['a leading dot', '{{.name}}'],
		['a trailing dot', '{{name.}}'],
		['a double dot', '{{a..b}}'],
		['single braces', '{name}'],
		['an unclosed placeholder', '{{name}'],
		['a helper call', '{{upper name}}'],
		['a filter', '{{ name | upper }}'],
		['a section tag', '{{#items}}'],
		['a partial', '{{> footer}}'],
	])('leaves %s (%j) as literal text', (_label, template) => {
		expect(splitPlaceholders(template)).toEqual([template]);
	});

	it('keeps literal text and placeholders in template order', () => {
		expect(splitPlaceholders('Hi {{name}}, re: {{ reason }}!')).toEqual([
			'Hi ',
			{ path: 'name', source: '{{name}}' },
			', re: ',
			{ path: 'reason', source: '{{ reason }}' },
			'!',
		]);
	});

	it('reads the inner pair of triple braces as the placeholder', () => {
		expect(splitPlaceholders('{{{name}}}')).toEqual([
			'{',
			{ path: 'name', source: '{{name}}' },
			'}',
		]);
	});
});

describe('lookupVariable', () => {
	const nested = { customer: { id: 7, address: { city: 'Porto' } } };

	it.each([
		['a top-level variable', { name: 'Ana' }, 'name', 'Ana'],
		['a nested value', nested, 'customer.id', 7],
		['a deeply nested value', nested, 'customer.address.city', 'Porto'],
		['a nested object', nested, 'customer.address', { city: 'Porto' }],
		['zero', { count: 0 }, 'count', 0],
		['false', { done: false }, 'done', false],
		['the empty string', { note: '' }, 'note', ''],
	])('finds %s', (_label, variables: TemplateVariables, path, expected) => {
		expect(lookupVariable(variables, path)).toEqual(expected);
	});

	it('prefers a key that contains a dot over the nested path', () => {
		const variables = { 'customer.id': 'flat', customer: { id: 'nested' } };
		expect(lookupVariable(variables, 'customer.id')).toBe('flat');
	});

	it.each([
		['an absent variable', {}, 'email'],
		['a null variable', { email: null }, 'email'],
		['an absent nested key', nested, 'customer.email'],
		['a path through a string', { name: 'Ana' }, 'name.length'],
		['a path through null', { customer: null }, 'customer.id'],
		['a null nested value', { customer: { id: null } }, 'customer.id'],
	])('returns undefined for %s', (_label, variables: TemplateVariables, path) => {
		expect(lookupVariable(variables, path)).toBeUndefined();
	});

	it.each(['constructor', '__proto__', 'toString', 'prototype', 'hasOwnProperty', 'valueOf'])(
		'does not reach the inherited %s',
		(path) => {
			expect(lookupVariable(callData(), path)).toBeUndefined();
			expect(lookupVariable(nested, `customer.${path}`)).toBeUndefined();
		},
	);

	it('does not reach a function prototype through a dotted path', () => {
		const variables = { handler: { prototype: { secret: 1 } } };
		expect(lookupVariable(variables, 'constructor.prototype')).toBeUndefined();
		expect(lookupVariable(variables, 'handler.prototype.secret')).toBeUndefined();
	});

	it('ignores an own __proto__ key that JSON.parse created', () => {
		const variables = JSON.parse(
			'{"__proto__": {"polluted": "yes"}, "name": "Ana"}',
		) as TemplateVariables;
		expect(Object.keys(variables)).toContain('__proto__');
		expect(lookupVariable(variables, '__proto__')).toBeUndefined();
		expect(lookupVariable(variables, '__proto__.polluted')).toBeUndefined();
	});

	it('ignores own constructor and prototype keys', () => {
		const variables = JSON.parse(
			'{"constructor": "c", "prototype": {"x": 1}}',
		) as TemplateVariables;
		expect(lookupVariable(variables, 'constructor')).toBeUndefined();
		expect(lookupVariable(variables, 'prototype.x')).toBeUndefined();
	});

	it('reads variables from an object without a prototype', () => {
		const variables = Object.assign(Object.create(null) as TemplateVariables, { name: 'Ana' });
		expect(lookupVariable(variables, 'name')).toBe('Ana');
	});
});

describe('valueAsText', () => {
	it.each([
		['a string as it is', 'José "x"', 'José "x"'],
		['an integer', 42, '42'],
		['a decimal', -1.5, '-1.5'],
		['negative zero', -0, '0'],
		['true', true, 'true'],
		['false', false, 'false'],
		['a bigint', 12345678901234567890n, '12345678901234567890'],
		['an object as JSON', { id: 7, tags: ['a'] }, '{"id":7,"tags":["a"]}'],
		['an array as JSON', [1, 'two', null], '[1,"two",null]'],
	])('reads %s', (_label, value: unknown, expected) => {
		expect(valueAsText(value)).toBe(expected);
	});

	it.each([
		['null', null],
		['undefined', undefined],
		['a function', () => 1],
		['a symbol', Symbol('s')],
	])('has no text for %s', (_label, value: unknown) => {
		expect(valueAsText(value)).toBeUndefined();
	});
});

describe.each(RENDERERS)('%s with any missing-variable policy', (_name, render) => {
	const template = 'Dear {{name}}, re {{ email }} and {{customer.id}}';
	const present = callData({ name: 'Ana', customer: { id: 7 } });
	const absent = withoutVariables(present, 'email');

	it('inserts present values as text', () => {
		expect(render(template, { ...present, email: 'a@b.co' })).toBe('Dear Ana, re a@b.co and 7');
	});

	it('renders a missing variable as empty by default', () => {
		expect(render(template, absent)).toBe('Dear Ana, re  and 7');
	});

	it('treats null like an absent variable', () => {
		expect(render(template, { ...present, email: null }, { missing: 'empty' })).toBe(
			'Dear Ana, re  and 7',
		);
	});

	it('keeps a missing placeholder as written under "keep"', () => {
		expect(render(template, absent, { missing: 'keep' })).toBe('Dear Ana, re {{ email }} and 7');
	});

	it('lists every missing path once, in template order, under "error"', () => {
		const twice = '{{zip}} {{ email }} {{customer.id}} {{zip}} {{email}} {{name}}';
		const variables = withoutVariables(callData(), 'email');
		const thrown = captureError(() => render(twice, variables, { missing: 'error' }));
		expect(thrown).toBeInstanceOf(MissingVariablesError);
		expect((thrown as MissingVariablesError).variables).toEqual(['zip', 'email', 'customer.id']);
		expect((thrown as Error).message).toBe('No value for {{zip}}, {{email}}, {{customer.id}}');
	});

	it('renders normally under "error" when nothing is missing', () => {
		const variables = { ...present, email: null, customer: { id: 0 } };
		expect(render('{{name}} {{customer.id}}', variables, { missing: 'error' })).toBe('Ana 0');
	});

	it('never renders a placeholder that a value contains', () => {
		const variables = { name: '{{summary}} {{ email }}', summary: 'LEAK', email: 'LEAK' };
		expect(render('Hi {{name}}', variables, { missing: 'keep' })).toBe(
			'Hi {{summary}} {{ email }}',
		);
	});

	it.each([
		['a template literal', '`${a * b}` ${name}'],
		['EJS tags', '<%= total %> <%- name %>'],
		['a Handlebars helper', '{{if name}}yes{{/if}}'],
		['a Mustache inverted section', '{{^name}}none{{/name}}'],
		['a Mustache partial', '{{> name}}'],
		['an n8n expression', '{{ $json.name }}'],
	])('leaves %s as literal text', (_label, literal) => {
		expect(render(literal, callData(), { missing: 'error' })).toBe(literal);
	});

	it('does not resolve prototype members, even under "keep"', () => {
		const template = '{{constructor}}{{__proto__}}{{toString}}{{prototype}}';
		expect(render(template, callData())).toBe('');
		expect(render(template, callData(), { missing: 'keep' })).toBe(template);
	});
});

function captureError(action: () => unknown): unknown {
	try {
		action();
	} catch (error: unknown) {
		return error;
	}
	throw new Error('Expected the action to throw');
}
