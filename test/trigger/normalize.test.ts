import fc from 'fast-check';

import { normalizeVariables, trimDeep } from '../../nodes/NovaPostCallTrigger/normalize';
import { phoneCountry } from '../../nodes/NovaPostCallTrigger/phoneCountries';
import type { NormalizationSettings } from '../../nodes/NovaPostCallTrigger/settings';

const RUNS = { numRuns: 300 };
const EVERYTHING: NormalizationSettings = {
	trimStrings: true,
	phoneNumbers: true,
	appointmentDate: true,
	defaultCountry: phoneCountry('DE'),
};

const variableName = fc.oneof(
	fc.constantFrom('name', 'phone', 'caller_number', 'callee_number', 'appointment_date'),
	fc.constantFrom('summary', '__proto__', 'constructor', 'nova'),
	fc.string({ maxLength: 12 }),
);
const variableValue = fc.oneof(
	fc.string({ maxLength: 30 }),
	fc.constantFrom(' 030 1234567 ', '+49 (0)30 1234567', ' 14.03.2025 15:30 ', '2025-03-14'),
	fc.jsonValue({ maxDepth: 2 }),
);
const variablesArb = fc
	.uniqueArray(fc.tuple(variableName, variableValue), { selector: ([name]) => name, maxLength: 8 })
	.map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
const settingsArb = fc.record({
	trimStrings: fc.boolean(),
	phoneNumbers: fc.boolean(),
	appointmentDate: fc.boolean(),
	defaultCountry: fc.constantFrom(undefined, phoneCountry('DE'), phoneCountry('US')),
});

describe('normalizeVariables for any variables', () => {
	it('never loses a value: the original of every changed variable is kept', () => {
		fc.assert(
			fc.property(variablesArb, settingsArb, (variables, settings) => {
				const { variables: normalized, original } = normalizeVariables(variables, settings);
				const restored = Object.fromEntries(
					Object.entries(normalized).map(([name, value]) => [
						name,
						Object.hasOwn(original, name) ? original[name] : value,
					]),
				);
				expect(restored).toStrictEqual(variables);
			}),
			RUNS,
		);
	});

	it('keeps the names and their order, and records originals only for changed values', () => {
		fc.assert(
			fc.property(variablesArb, settingsArb, (variables, settings) => {
				const result = normalizeVariables(variables, settings);
				expect(Object.keys(result.variables)).toEqual(Object.keys(variables));
				for (const name of Object.keys(result.original)) {
					expect(result.variables[name]).not.toStrictEqual(variables[name]);
				}
			}),
			RUNS,
		);
	});

	it('changes nothing when no normalisation is chosen', () => {
		const nothing = { trimStrings: false, phoneNumbers: false, appointmentDate: false };
		fc.assert(
			fc.property(variablesArb, (variables) => {
				const result = normalizeVariables(variables, nothing);
				expect(result).toStrictEqual({ variables, original: {}, notNormalized: {} });
			}),
			RUNS,
		);
	});
});

describe('normalizeVariables', () => {
	it('says why it left a phone number or a date as received', () => {
		const variables = { phone: '12345', appointment_date: 'soon', summary: ' x ' };

		const result = normalizeVariables(variables, EVERYTHING);

		expect(result.notNormalized).toEqual({
			phone: 'no country code and no leading 0: may be a local number in Germany',
			appointment_date: 'not a date format this node reads',
		});
		expect(result.variables.summary).toBe('x');
	});

	it('leaves null and absent standard variables alone', () => {
		const result = normalizeVariables({ phone: null, appointment_date: null }, EVERYTHING);

		expect(result).toEqual({
			variables: { phone: null, appointment_date: null },
			original: {},
			notNormalized: {},
		});
	});
});

describe('trimDeep', () => {
	it('returns the very same value when there is nothing to trim', () => {
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
				const trimmedOnce = trimDeep(value);
				expect(trimDeep(trimmedOnce)).toBe(trimmedOnce);
			}),
			RUNS,
		);
	});

	it('trims strings at every depth', () => {
		expect(trimDeep({ a: [' x ', { b: '\ty\n' }], c: 1 })).toEqual({ a: ['x', { b: 'y' }], c: 1 });
	});
});
