// An uncaught assertion error: its message holds a diff with blank lines.
const assert = require('assert');
console.log(`${new Date().toISOString()} info: checking totals`);
assert.deepStrictEqual({ total: 10, items: [1, 2] }, { total: 12, items: [1, 2, 3] });
