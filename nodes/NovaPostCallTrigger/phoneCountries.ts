/**
 * What the phone-number rules need to know about a country. The table is short on purpose: it
 * holds the countries whose national dialling rules fit in these four facts. A number from any
 * other country is still normalised when it arrives in international form (+… or 00…).
 */
export interface PhoneCountry {
	/** ISO 3166-1 alpha-2 code, the value of the "Default Country" option. */
	code: string;
	name: string;
	callingCode: string;
	/** Dialled before a national number inside the country; dropped in E.164. Empty: none. */
	trunkPrefix: string;
	/** Dialled before a country calling code to call abroad from this country. */
	internationalPrefix: string;
	/** Digits of the national number after the trunk prefix, the shortest and the longest. */
	nationalDigits: readonly [min: number, max: number];
}

function row(
	code: string,
	name: string,
	callingCode: string,
	trunkPrefix: string,
	internationalPrefix: string,
	minNationalDigits: number,
	maxNationalDigits: number,
): PhoneCountry {
	const nationalDigits = [minNationalDigits, maxNationalDigits] as const;
	return { code, name, callingCode, trunkPrefix, internationalPrefix, nationalDigits };
}

/**
 * Code, name, calling code, trunk prefix, international prefix, national digits (min, max).
 * Italy's national numbers keep their leading 0 in E.164, so Italy has no trunk prefix here.
 */
export const PHONE_COUNTRIES: readonly PhoneCountry[] = [
	row('AT', 'Austria', '43', '0', '00', 4, 13),
	row('AU', 'Australia', '61', '0', '0011', 9, 9),
	row('BE', 'Belgium', '32', '0', '00', 8, 9),
	row('CA', 'Canada', '1', '1', '011', 10, 10),
	row('CH', 'Switzerland', '41', '0', '00', 9, 9),
	row('DE', 'Germany', '49', '0', '00', 5, 13),
	row('DK', 'Denmark', '45', '', '00', 8, 8),
	row('ES', 'Spain', '34', '', '00', 9, 9),
	row('FI', 'Finland', '358', '0', '00', 5, 12),
	row('FR', 'France', '33', '0', '00', 9, 9),
	row('GB', 'United Kingdom', '44', '0', '00', 9, 10),
	row('IE', 'Ireland', '353', '0', '00', 7, 9),
	row('IT', 'Italy', '39', '', '00', 6, 11),
	row('LU', 'Luxembourg', '352', '', '00', 4, 11),
	row('NL', 'Netherlands', '31', '0', '00', 9, 9),
	row('NO', 'Norway', '47', '', '00', 8, 8),
	row('NZ', 'New Zealand', '64', '0', '00', 8, 10),
	row('PL', 'Poland', '48', '', '00', 9, 9),
	row('PT', 'Portugal', '351', '', '00', 9, 9),
	row('SE', 'Sweden', '46', '0', '00', 6, 10),
	row('US', 'United States', '1', '1', '011', 10, 10),
];

export function phoneCountry(code: string): PhoneCountry | undefined {
	return PHONE_COUNTRIES.find((country) => country.code === code);
}

/** The table's countries whose calling code starts `digits`, longest calling code first. */
export function countriesByCallingCode(digits: string): PhoneCountry[] {
	return PHONE_COUNTRIES.filter((country) => digits.startsWith(country.callingCode)).sort(
		(a, b) => b.callingCode.length - a.callingCode.length,
	);
}
