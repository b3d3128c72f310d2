export type DateResult =
	{ kind: 'normalized'; value: string } | { kind: 'unsure'; reason: string } | { kind: 'empty' };

interface DateParts {
	year: number;
	month: number;
	day: number;
	time?: { hour: number; minute: number; second: number; fraction: string };
	zone?: string;
}

const TIME = String.raw`(\d{1,2})[:.](\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?`;
const ISO_LIKE = new RegExp(
	String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[T ]${TIME}\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$`,
	'i',
);
// 14.03.2025, 14.03.2025 15:30, 14.03.2025, 15:30 Uhr
const DOTTED = new RegExp(
	String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+${TIME}\s*(?:uhr|h)?)?$`,
	'i',
);
// 03/14/2025 3:30 PM or 14/03/2025 15:30: the order is read off the numbers when it can be.
const SLASHED = new RegExp(
	String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+${TIME}\s*([ap]\.?m\.?)?)?$`,
	'i',
);

const unsure = (reason: string): DateResult => ({ kind: 'unsure', reason });
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function timeOf(match: RegExpMatchArray, start: number): DateParts['time'] {
	if (match[start] === undefined) return undefined;
	return {
		hour: Number(match[start]),
		minute: Number(match[start + 1]),
		second: Number(match[start + 2] ?? 0),
		fraction: (match[start + 3] ?? '').slice(0, 3),
	};
}

function fromSlashed(match: RegExpMatchArray): DateParts | string {
	const [first, second] = [Number(match[1]), Number(match[2])];
	if (first <= 12 && second <= 12 && first !== second) {
		return 'day and month could be either way round';
	}
	const [day, month] = first > 12 ? [first, second] : [second, first];
	const parts: DateParts = { year: Number(match[3]), month, day, time: timeOf(match, 4) };
	const meridiem = match[8]?.toLowerCase().replaceAll('.', '');
	if (meridiem && parts.time) {
		if (parts.time.hour < 1 || parts.time.hour > 12) return 'an hour over 12 with AM or PM';
		parts.time.hour = (parts.time.hour % 12) + (meridiem === 'pm' ? 12 : 0);
	}
	return parts;
}

function parse(text: string): DateParts | string {
	const iso = ISO_LIKE.exec(text);
	if (iso) {
		const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
		return { year, month, day, time: timeOf(iso, 4), zone: iso[8] };
	}
	const dotted = DOTTED.exec(text);
	if (dotted) {
		const [day, month, year] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])];
		return { year, month, day, time: timeOf(dotted, 4) };
	}
	const slashed = SLASHED.exec(text);
	if (slashed) return fromSlashed(slashed);
	return 'not a date format this node reads';
}

// +05:30, +0530 or +05, after the ISO pattern has matched the whole text.
const OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;

/** The offset as ±hh:mm, or undefined when it cannot be one. Z stays Z. */
function canonicalZone(zone: string): string | undefined {
	if (zone.toUpperCase() === 'Z') return 'Z';
	const [, sign, hours, minutes = '00'] = OFFSET.exec(zone) ?? [];
	if (Number(hours) > 14 || Number(minutes) > 59) return undefined;
	return `${sign}${hours}:${minutes}`;
}

function problemWith(parts: DateParts): string | undefined {
	const { year, month, day, time, zone } = parts;
	if (month < 1 || month > 12) return 'the month is out of range';
	if (day < 1 || day > daysInMonth(year, month)) return 'that day does not exist in that month';
	if (time && (time.hour > 23 || time.minute > 59 || time.second > 59)) {
		return 'the time is out of range';
	}
	if (zone && !canonicalZone(zone)) return 'the time zone offset is out of range';
	return undefined;
}

function format({ year, month, day, time, zone }: DateParts): string {
	const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
	if (!time) return date;
	const fraction = time.fraction ? `.${time.fraction}` : '';
	const clock = `${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}${fraction}`;
	const offset = zone === undefined ? '' : (canonicalZone(zone) ?? '');
	return `${date}T${clock}${offset}`;
}

/**
 * Writes an appointment date as ISO 8601 when it is in a form read without guessing:
 * ISO 8601 itself (with a space or T, any offset), day-first dotted dates (14.03.2025 15:30)
 * and slashed dates whose day is over 12 (14/03/2025, 03/14/2025 3:30 PM). The result keeps
 * what the text said and nothing more: a date stays a date, a time without a zone stays
 * without one (it is the caller's local time, which this node cannot know), and an offset is
 * kept as given. Anything else, such as "next Tuesday at 3", comes back as `unsure`.
 */
export function normalizeAppointmentDate(value: unknown): DateResult {
	if (typeof value !== 'string') return unsure('not text');
	const text = value.trim();
	if (text === '') return { kind: 'empty' };

	const parts = parse(text);
	if (typeof parts === 'string') return unsure(parts);
	const problem = problemWith(parts);
	if (problem) return unsure(problem);
	return { kind: 'normalized', value: format(parts) };
}
