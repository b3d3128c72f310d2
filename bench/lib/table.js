'use strict';

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A whole number with thousands separators, such as 1,234,567. */
function formatCount(value) {
	return numberFormat.format(value);
}

function formatFixed(value, digits) {
	return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function formatRatio(value) {
	return Number.isFinite(value) ? `${value.toFixed(2)}x` : '-';
}

/** Prints rows as a plain-text table: text columns left-aligned, numbers right-aligned. */
function printTable(headers, rows) {
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...rows.map((row) => String(row[column]).length)),
	);
	const isNumeric = headers.map((_, column) =>
		rows.every((row) => /^[-\d.,x%+ ]+$/.test(String(row[column]))),
	);
	const line = (cells) =>
		cells
			.map((cell, column) => {
				const text = String(cell);
				return isNumeric[column] ? text.padStart(widths[column]) : text.padEnd(widths[column]);
			})
			.join('  ')
			.trimEnd();

	console.log(line(headers));
	console.log(widths.map((width) => '-'.repeat(width)).join('  '));
	for (const row of rows) console.log(line(row));
}

module.exports = { formatCount, formatFixed, formatRatio, printTable };
