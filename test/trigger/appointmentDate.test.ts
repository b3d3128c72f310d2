import fc from 'fast-check';

import { normalizeAppointmentDate } from '../../nodes/NovaPostCallTrigger/appointmentDate';

const RUNS = { numRuns: 500 };

describe('normalizeAppointmentDate', () => {
	it.each([
		['2025-03-14', '2025-03-14'],
		['2025-03-14T15:30', '2025-03-14T15:30:00'],
		['2025-03-14 15:30:45', '2025-03-14T15:30:45'],
		['2025-03-14t09:05:00z', '2025-03-14T09:05:00Z'],
		['2025-03-14T15:30:00-03:00', '2025-03-14T15:30:00-03:00'],
		['2025-03-14T15:30:00+0530', '2025-03-14T15:30:00+05:30'],
		['2025-03-14T15:30:00+01', '2025-03-14T15:30:00+01:00'],
		['2025-03-14T15:30:00.123456Z', '2025-03-14T15:30:00.123Z'],
		['14.03.2025', '2025-03-14'],
		['4.3.2025 9:05', '2025-03-04T09:05:00'],
		['14.03.2025, 15:30 Uhr', '2025-03-14T15:30:00'],
		['14.03.2025 15.30', '2025-03-14T15:30:00'],
		['14/03/2025', '2025-03-14'],
		['03/14/2025 3:30 PM', '2025-03-14T15:30:00'],
		['03/14/2025 12:15 a.m.', '2025-03-14T00:15:00'],
		['05/05/2025', '2025-05-05'],
		['29.02.2024', '2024-02-29'],
		['  2025-03-14  ', '2025-03-14'],
	])('writes %p as %p', (input, expected) => {
		expect(normalizeAppointmentDate(input)).toEqual({ kind: 'normalized', value: expected });
	});

	it.each([
		['next Tuesday at 3', 'not a date format this node reads'],
		['14.03.25', 'not a date format this node reads'],
		['2025-3-14', 'not a date format this node reads'],
		['03/04/2025', 'day and month could be either way round'],
		['2025-13-01', 'the month is out of range'],
		['29.02.2025', 'that day does not exist in that month'],
		['31.04.2025', 'that day does not exist in that month'],
		['2025-03-14T24:00', 'the time is out of range'],
		['2025-03-14T15:60', 'the time is out of range'],
		['2025-03-14T15:30:00+15:00', 'the time zone offset is out of range'],
		['03/14/2025 13:30 PM', 'an hour over 12 with AM or PM'],
		[1741966200000, 'not text'],
		[null, 'not text'],
	])('leaves %p alone because %s', (input, reason) => {
		expect(normalizeAppointmentDate(input)).toEqual({ kind: 'unsure', reason });
	});

	it('reports blank text as empty', () => {
		expect(normalizeAppointmentDate('  ')).toEqual({ kind: 'empty' });
	});
});

describe('normalizeAppointmentDate for any moment', () => {
	const moment = fc.date({
		min: new Date('1900-01-01T00:00:00Z'),
		max: new Date('2199-12-31T23:59:59Z'),
		noInvalidDate: true,
	});

	it('reads back what Date#toISOString writes, to the millisecond', () => {
		fc.assert(
			fc.property(moment, (date) => {
				const iso = date.toISOString();
				expect(normalizeAppointmentDate(iso)).toEqual({ kind: 'normalized', value: iso });
			}),
			RUNS,
		);
	});

	it('gives the same day for a dotted date as for its ISO form', () => {
		fc.assert(
			fc.property(moment, (date) => {
				const [year, month, day] = date.toISOString().slice(0, 10).split('-');
				const dotted = `${Number(day)}.${Number(month)}.${year}`;
				expect(normalizeAppointmentDate(dotted)).toEqual({
					kind: 'normalized',
					value: `${year}-${month}-${day}`,
				});
			}),
			RUNS,
		);
	});

	it('leaves its own result unchanged when given it again', () => {
		const text = fc.oneof(
			moment.map((date) => date.toISOString().replace('T', ' ').slice(0, 16)),
			fc.string({ maxLength: 30 }),
		);
		fc.assert(
			fc.property(text, (input) => {
				const result = normalizeAppointmentDate(input);
				if (result.kind !== 'normalized') return;
				expect(normalizeAppointmentDate(result.value)).toEqual(result);
			}),
			RUNS,
		);
	});
});
