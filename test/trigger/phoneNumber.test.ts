import fc from 'fast-check';

import { PHONE_COUNTRIES, phoneCountry } from '../../nodes/NovaPostCallTrigger/phoneCountries';
import { normalizePhoneNumber } from '../../nodes/NovaPostCallTrigger/phoneNumber';

const RUNS = { numRuns: 500 };
const E164 = /^\+[1-9]\d{6,14}$/;

describe('normalizePhoneNumber', () => {
	it.each([
		['+49 30 1234567', undefined, '+49301234567'],
		['+49 (0)30 123 45 67', undefined, '+49301234567'],
		['+49 030 1234567', undefined, '+49301234567'],
		['0049 30 1234567', undefined, '+49301234567'],
		['0049-(0)30-1234567', undefined, '+49301234567'],
		['030 1234567', 'DE', '+49301234567'],
		['0170/1234567', 'DE', '+491701234567'],
		['030.123.4567', 'DE', '+49301234567'],
		['+1 (415) 555-0100', undefined, '+14155550100'],
		['(415) 555-0100', 'US', '+14155550100'],
		['1-415-555-0100', 'US', '+14155550100'],
		['011 49 30 1234567', 'US', '+49301234567'],
		['07911 123456', 'GB', '+447911123456'],
		['06 12345678', 'NL', '+31612345678'],
		['06 1234 5678', 'IT', '+390612345678'],
		['612 345 678', 'ES', '+34612345678'],
		['+55 11 91234-5678', 'DE', '+5511912345678'],
		['\u00a0+41\u202f44\u00a0668\u00a01800 ', undefined, '+41446681800'],
		[4930123456, undefined, undefined],
		[4930123456, 'DE', undefined],
	])('writes %p (default country %p) as %p', (input, country, expected) => {
		const result = normalizePhoneNumber(input, country ? phoneCountry(country) : undefined);

		if (expected === undefined) expect(result.kind).toBe('unsure');
		else expect(result).toEqual({ kind: 'normalized', value: expected });
	});

	it.each([
		['030 1234567', undefined, 'no country code, and no Default Country is set'],
		['30 1234567', 'DE', 'no country code and no leading 0: may be a local number in Germany'],
		['+49 30 123 ext. 4', undefined, 'holds characters other than digits, + and formatting'],
		['call me maybe', 'DE', 'holds characters other than digits, + and formatting'],
		['+0 123 4567', undefined, 'no country calling code starts with 0'],
		['+49 123', undefined, '5 digits cannot be an international number'],
		['+49 1234 5678 9012 3456', undefined, '18 digits cannot be an international number'],
		['555 0100', 'US', '7 digits do not fit a national number of United States'],
		[true, 'DE', 'not text or a whole number'],
		[{ number: '+4930' }, 'DE', 'not text or a whole number'],
	])('leaves %p (default country %p) alone because of: %s', (input, country, reason) => {
		const result = normalizePhoneNumber(input, country ? phoneCountry(country) : undefined);

		expect(result).toEqual({ kind: 'unsure', reason });
	});

	it.each(['', '   ', '\t'])('reports %p as empty rather than unsure', (input) => {
		expect(normalizePhoneNumber(input, phoneCountry('DE'))).toEqual({ kind: 'empty' });
	});

	it('has one entry per country code and calling codes that are digits', () => {
		const codes = PHONE_COUNTRIES.map((country) => country.code);

		expect(new Set(codes).size).toBe(codes.length);
		for (const country of PHONE_COUNTRIES) expect(country.callingCode).toMatch(/^[1-9]\d{0,2}$/);
	});
});

describe('normalizePhoneNumber for any input', () => {
	const countryArb = fc.option(fc.constantFrom(...PHONE_COUNTRIES), { nil: undefined });
	const phoneText = fc.stringMatching(/^[+0-9 ()./-]{0,24}$/);
	const anyText = fc.oneof(phoneText, fc.string({ maxLength: 24 }));

	it('gives either a valid E.164 number or the reason it did not', () => {
		fc.assert(
			fc.property(anyText, countryArb, (text, country) => {
				const result = normalizePhoneNumber(text, country);
				if (result.kind === 'normalized') expect(result.value).toMatch(E164);
				if (result.kind === 'unsure') expect(result.reason).not.toBe('');
			}),
			RUNS,
		);
	});

	it('leaves its own result unchanged when given it again', () => {
		fc.assert(
			fc.property(anyText, countryArb, (text, country) => {
				const result = normalizePhoneNumber(text, country);
				if (result.kind !== 'normalized') return;
				expect(normalizePhoneNumber(result.value, country)).toEqual(result);
				expect(normalizePhoneNumber(result.value)).toEqual(result);
			}),
			RUNS,
		);
	});

	it('keeps every digit of a national number after the calling code', () => {
		const national = fc.stringMatching(/^[1-9]\d{8}$/);
		fc.assert(
			fc.property(national, (digits) => {
				const result = normalizePhoneNumber(`0${digits}`, phoneCountry('FR'));
				expect(result).toEqual({ kind: 'normalized', value: `+33${digits}` });
			}),
			RUNS,
		);
	});
});
