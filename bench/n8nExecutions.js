'use strict';

// Reads n8n's own record of executions from its SQLite database, with the sqlite3 module n8n
// installed, so that the bench can tell how many executions finished and how many failed.
const { createRequire } = require('node:module');
const path = require('node:path');

const { cacheRoot } = require('../scripts/lib/n8nRuntime');

// Statuses n8n gives an execution that will not change any more.
const FINISHED_STATUSES = ['success', 'error', 'crashed', 'canceled'];

function openDatabase(runtime, userFolder) {
	const fromN8n = createRequire(path.join(cacheRoot(), `n8n-${runtime.release}`, 'package.json'));
	const sqlite3 = fromN8n('sqlite3');
	const file = path.join(userFolder, '.n8n', 'database.sqlite');
	return new Promise((resolve, reject) => {
		const database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) =>
			error ? reject(error) : resolve(database),
		);
	});
}

async function query(runtime, userFolder, sql, parameters) {
	const database = await openDatabase(runtime, userFolder);
	try {
		return await new Promise((resolve, reject) => {
			database.all(sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows)));
		});
	} finally {
		database.close();
	}
}

/** Per workflow id, how many executions n8n recorded with each status. */
async function executionCounts(runtime, userFolder) {
	const rows = await query(
		runtime,
		userFolder,
		`SELECT workflowId, status, COUNT(*) AS count FROM execution_entity
		 GROUP BY workflowId, status`,
		[],
	);
	const counts = {};
	for (const { workflowId, status, count } of rows) {
		counts[workflowId] = { ...counts[workflowId], [status]: count };
	}
	return counts;
}

/** Per workflow id, the mean size of what n8n stored for one successful execution. */
async function storedBytesPerExecution(runtime, userFolder) {
	const rows = await query(
		runtime,
		userFolder,
		`SELECT e.workflowId, AVG(LENGTH(CAST(d.data AS BLOB))) AS bytes FROM execution_entity e
		 JOIN execution_data d ON d.executionId = e.id
		 WHERE e.status = 'success' GROUP BY e.workflowId`,
		[],
	);
	return Object.fromEntries(rows.map(({ workflowId, bytes }) => [workflowId, bytes]));
}

/** How many executions of the workflow finished, whatever the outcome. */
function finishedCount(countsByStatus = {}) {
	return FINISHED_STATUSES.reduce((sum, status) => sum + (countsByStatus[status] ?? 0), 0);
}

/** How many failed executions of the workflow hold `text` in their recorded data. */
async function failedExecutionsMentioning(runtime, userFolder, workflowId, text) {
	const [row] = await query(
		runtime,
		userFolder,
		`SELECT COUNT(*) AS count FROM execution_entity e
		 JOIN execution_data d ON d.executionId = e.id
		 WHERE e.workflowId = ? AND e.status = 'error' AND instr(d.data, ?) > 0`,
		[workflowId, text],
	);
	return row.count;
}

module.exports = {
	executionCounts,
	failedExecutionsMentioning,
	finishedCount,
	storedBytesPerExecution,
};
